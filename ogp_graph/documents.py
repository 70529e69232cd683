"""Load a report (.txt, .md, .html, .pdf) into a cleaned text with its layout blocks.

The cleaned text is what every character offset in the graph points into: markup is
removed, page furniture (running headers, page numbers, "Página N de M") is dropped, and
each paragraph, table cell or line becomes a ``Block`` that remembers whether it was bold,
a heading, and which table row and cell it came from.
"""
from __future__ import annotations

import hashlib
import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ogp_graph.errors import DocumentError

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}

_PAGE_OF = re.compile(r"\s*\bP[áa]gina\s+\d+\s+de\s+\d+\b\s*", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_ATTR = re.compile(r"\{:[^}]*\}")
_MD_HEADING = re.compile(r"^(?:[-*+]\s+)?(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*\s*$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_HTML_TAG = re.compile(r"</?(p|b|strong|td|tr|div|br|a|h[1-6]|li|span|table)\b", re.IGNORECASE)
_DIGITS_ONLY = re.compile(r"^\s*\d{1,4}\s*$")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Block:
    """A paragraph, table cell paragraph or line of the cleaned text."""

    start: int
    end: int
    bold: bool = False
    heading: int = 0
    row: int | None = None
    cell: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """A loaded report: its cleaned text, layout blocks and identity."""

    source: str
    text: str
    blocks: tuple[Block, ...]
    media_type: str
    sha256: str
    name: str = ""
    title: str = ""

    def block_text(self, block: Block) -> str:
        """The text of ``block``."""
        return self.text[block.start : block.end]


@dataclass
class _Builder:
    """Accumulates cleaned text and blocks with their offsets."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0
    title: str = ""

    def add(self, text: str, **layout) -> None:
        text = _SPACES.sub(" ", _PAGE_OF.sub(" ", text)).strip()
        if not text:
            return
        if self.parts and not self.parts[-1].endswith("\n"):
            self._append("\n")
        self.blocks.append(Block(self.length, self.length + len(text), **layout))
        self._append(text)

    def gap(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n\n"):
            self._append("\n\n" if not self.parts[-1].endswith("\n") else "\n")

    def _append(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        return "".join(self.parts)


class _HTMLBlocks(HTMLParser):
    """Split an HTML fragment into blocks, keeping bold, heading and table-cell layout."""

    _BREAKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "table"}

    def __init__(self, builder: _Builder, row: int | None = None, cell: int | None = None):
        super().__init__(convert_charrefs=True)
        self.builder, self.row, self.cell = builder, row, cell
        self.chunks: list[tuple[str, bool]] = []
        self.bold = 0
        self.heading = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "head"):
            self.skip += 1
        if tag in self._BREAKS:
            self.flush()
        if tag == "tr" and self.row is not None:
            self.row += 1
            self.cell = -1
        if tag in ("td", "th"):
            self.cell = (self.cell if self.cell is not None else -1) + 1
        if tag in ("b", "strong"):
            self.bold += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        if tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        if tag in self._BREAKS:
            self.flush()
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = 0

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.chunks.append((data, self.bold > 0 or self.heading > 0))

    def flush(self) -> None:
        text = "".join(c for c, _ in self.chunks)
        visible = [b for c, b in self.chunks if c.strip()]
        if text.strip():
            self.builder.add(
                text, bold=bool(visible) and all(visible), heading=self.heading, row=self.row, cell=self.cell
            )
        self.chunks = []

    def close(self) -> None:
        super().close()
        self.flush()


def _markdown_line(builder: _Builder, line: str, row: int, bold: bool = False) -> None:
    """Add one line of markdown or markdown-with-inline-HTML to ``builder``."""
    if _HTML_TAG.search(line):
        for cell, fragment in enumerate(line.split("\t")):
            parser = _HTMLBlocks(builder, row=row, cell=cell)
            parser.feed(fragment)
            parser.close()
        return
    line = _MD_ESCAPE.sub(r"\1", _MD_ATTR.sub("", _MD_LINK.sub(r"\1", html.unescape(line))))
    if m := _MD_HEADING.match(line):
        builder.add(m.group(2).replace("**", ""), heading=len(m.group(1)), bold=True)
    elif m := _MD_BOLD_LINE.match(line.strip()):
        builder.add(m.group(1), bold=True)
    else:
        builder.add(line.replace("**", ""), bold=bold)


def _front_matter(text: str) -> tuple[str, str]:
    """The text less its Jekyll front matter, and the front matter's ``title``."""
    if text.startswith("---\n") and (end := text.find("\n---", 4)) != -1:
        title = re.search(r"^title:\s*[\"']?(.*?)[\"']?\s*$", text[4:end], re.MULTILINE)
        return text[end + 4 :], title.group(1) if title else ""
    return text, ""


def _page_furniture(pages: list[list[str]]) -> set[str]:
    """Lines repeated on many pages (running headers and footers), digits ignored."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({re.sub(r"\d+", "#", ln.strip()) for ln in page if ln.strip()})
    threshold = max(3, len(pages) // 4)
    return {ln for ln, n in seen.items() if n >= threshold and len(ln) < 150}


def _paged_lines(builder: _Builder, pages: list[list[str]]) -> None:
    """Add the lines of paginated text (PDF pages or form-feed separated text)."""
    furniture = _page_furniture(pages)
    for number, page in enumerate(pages, start=1):
        for line in page:
            key = re.sub(r"\d+", "#", line.strip())
            if not line.strip():
                builder.gap()
            elif key not in furniture and not _DIGITS_ONLY.match(line):
                builder.add(line, page=number)
        builder.gap()


def _load_text(raw: str, markdown: bool) -> _Builder:
    builder = _Builder()
    raw, builder.title = _front_matter(raw.replace("\r\n", "\n").replace("\r", "\n"))
    if "\f" in raw:
        _paged_lines(builder, [page.split("\n") for page in raw.split("\f")])
        return builder
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


def _load_html(raw: str) -> _Builder:
    builder = _Builder()
    parser = _HTMLBlocks(builder, row=-1)
    parser.feed(raw)
    parser.close()
    return builder


def _load_pdf(path: Path) -> _Builder:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # font-encoding chatter, not errors

    try:
        reader = PdfReader(str(path))
        pages = [(page.extract_text() or "").split("\n") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(path, f"unreadable PDF ({exc})") from exc
    if not any(line.strip() for page in pages for line in page):
        raise DocumentError(path, "the PDF has no extractable text (a scanned image? run OCR first)")
    builder = _Builder()
    _paged_lines(builder, pages)
    return builder


def load_document(path: str | Path) -> Document:
    """Load and clean one report.

    :raises DocumentError: missing or unreadable file, unsupported type, not UTF-8, no text.
    """
    path = Path(path)
    if not path.exists():
        raise DocumentError(path, "no such file")
    if not path.is_file():
        raise DocumentError(path, "not a file")
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise DocumentError(path, f"unsupported file type {path.suffix or '(none)'!r}; use one of {sorted(MEDIA_TYPES)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    if media_type == "application/pdf":
        builder = _load_pdf(path)
    else:
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(path, f"not UTF-8 text (byte {exc.start}); convert it to UTF-8") from exc
        builder = _load_html(raw) if media_type == "text/html" else _load_text(raw, media_type == "text/markdown")
    text = builder.text()
    if not text.strip():
        raise DocumentError(path, "no text after cleaning")
    return Document(
        source=str(path),
        text=text,
        blocks=tuple(builder.blocks),
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        name=path.name,
        title=builder.title,
    )
