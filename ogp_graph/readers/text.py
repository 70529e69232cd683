"""Plain text: lines and paragraphs; form-feed separated pages lose their running furniture."""
from __future__ import annotations

import re
from collections import Counter

from ogp_graph.readers.markdown import read_lines
from ogp_graph.readers.model import Builder

_DIGITS_ONLY = re.compile(r"^\s*\d{1,4}\s*$")
_DIGITS = re.compile(r"\d+")


def furniture_key(line: str) -> str:
    """The form of a line compared across pages: stripped, digits folded."""
    return _DIGITS.sub("#", line.strip())


def page_furniture(pages: list[list[str]]) -> set[str]:
    """Keys of lines repeated on many pages (running headers and footers), digits ignored."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({furniture_key(ln) for ln in page if ln.strip()})
    threshold = max(3, len(pages) // 4)
    return {ln for ln, n in seen.items() if n >= threshold and len(ln) < 150}


def is_page_number(line: str) -> bool:
    """True for a line holding only a page number."""
    return bool(_DIGITS_ONLY.match(line))


def read_paged(pages: list[list[str]]) -> Builder:
    """The blocks of paginated lines, running headers, footers and page numbers dropped."""
    builder = Builder()
    furniture = page_furniture(pages)
    for number, page in enumerate(pages, start=1):
        for line in page:
            if not line.strip():
                builder.gap()
            elif furniture_key(line) not in furniture and not is_page_number(line):
                builder.add(line, page=number)
        builder.gap()
    return builder


def read_text(raw: str) -> Builder:
    """The blocks of a plain-text document (markdown or HTML used on a line is read as such)."""
    if "\f" in raw:
        return read_paged([page.split("\n") for page in raw.split("\f")])
    return read_lines(raw, markdown=False)
