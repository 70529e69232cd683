"""Markdown (with inline HTML, as exported by converters) and its YAML/TOML front matter."""
from __future__ import annotations

import html
import re
import tomllib

import yaml

from ogp_graph.readers.data import front_matter_skip, load_yaml
from ogp_graph.readers.html import HTMLBlocks
from ogp_graph.readers.model import Builder
from ogp_graph.readers.structured import pretty

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_ATTR = re.compile(r"\{:[^}]*\}")
_MD_HEADING = re.compile(r"^(?:[-*+]\s+)?(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*\s*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_HTML_TAG = re.compile(r"</?(p|b|strong|td|tr|div|br|a|h[1-6]|li|span|table)\b", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TEMPLATE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
_FENCES = {"---": load_yaml, "+++": tomllib.loads}
_LABELLED_WORDS = 12
_NOT_PROSE = re.compile(r"^(?:[a-z]+:/|/|\.{0,2}/)\S*$|^[\d\s:./TZ+-]+$|^(?:true|false)$", re.IGNORECASE)


def _markdown_line(builder: Builder, line: str, row: int, bold: bool = False) -> None:
    """Add one line of markdown or markdown-with-inline-HTML to ``builder``."""
    if _HTML_TAG.search(line):
        for cell, fragment in enumerate(line.split("\t")):
            parser = HTMLBlocks(builder, row=row, cell=cell)
            parser.feed(fragment)
            parser.close()
        return
    line = _MD_ESCAPE.sub(r"\1", _MD_ATTR.sub("", _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", html.unescape(line)))))
    if m := _MD_HEADING.match(line):
        builder.add(m.group(2).replace("**", ""), heading=len(m.group(1)), bold=True)
    elif m := _MD_BOLD_LINE.match(line.strip()):
        builder.add(m.group(1), bold=True)
    else:
        builder.add(line.replace("**", ""), bold=bold)


def _front_values(meta, key: str = "") -> list[tuple[str, str]]:
    """The prose values of parsed front matter as ``(key, text)``, layout keys skipped."""
    if isinstance(meta, dict):
        return [kv for k, v in meta.items() if str(k).lower() not in front_matter_skip()
                for kv in _front_values(v, str(k))]
    if isinstance(meta, list):
        return [kv for v in meta for kv in _front_values(v, key)]
    text = " ".join(str(meta).split()) if isinstance(meta, str) else ""
    return [(key, text)] if text and any(c.isalpha() for c in text) and not _NOT_PROSE.match(text) else []


def _front_matter(text: str, builder: Builder) -> str:
    """``text`` less its front matter; its title becomes the builder's title and every
    prose value a block (some pages hold all their content in front-matter keys)."""
    for fence, parse in _FENCES.items():
        if text.startswith(fence + "\n") and (end := text.find("\n" + fence, len(fence))) != -1:
            try:
                meta = parse(text[len(fence) + 1 : end])
            except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError):
                meta = None
            values = _front_values(meta) if isinstance(meta, dict) else []
            builder.title = next((v for k, v in values if k.lower() == "title"), "")
            for key, value in values:  # a short value keeps its key as a label: "Plano secretaria: SMCC/CGA"
                label = f"{pretty(key)}: " if key.lower() != "title" and len(value.split()) <= _LABELLED_WORDS else ""
                builder.line([(label, None), (value, {})])
            builder.gap()
            return text[end + len(fence) + 1 :]
    return text


def read_lines(raw: str, *, markdown: bool) -> Builder:
    """The blocks of line-oriented text; markdown syntax and inline HTML are read on any
    line that uses them (always when ``markdown``)."""
    builder = Builder()
    raw = _front_matter(raw, builder)
    if markdown:
        raw = _TEMPLATE.sub("", _HTML_COMMENT.sub("", raw))
    bold = False  # inside a "**" that spans lines
    for row, line in enumerate(raw.split("\n")):
        stripped = line.strip()
        opens = stripped.startswith("**") and stripped.count("**") % 2 == 1
        closes = bold and stripped.endswith("**")
        if not stripped:
            builder.gap()
        elif markdown or bold or opens or _HTML_TAG.search(line) or stripped.startswith(("#", "**", "- ")):
            _markdown_line(builder, stripped, row, bold=bold or opens)
        else:
            builder.add(line)
        bold = (bold or opens) and not closes
    return builder


def read_markdown(raw: str) -> Builder:
    """The blocks of a Markdown page."""
    return read_lines(raw, markdown=True)
