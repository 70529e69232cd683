"""What every reader produces: a cleaned text and its layout blocks, built by one ``Builder``.

The cleaned text is what every character offset in the graph points into. Each paragraph,
line, table cell or data field becomes a ``Block`` that remembers its layout (bold, heading
level, font size, table row and cell, page) and, for structured data, which field of which
commitment it holds (``role``, ``ref``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

ROLES = frozenset({"commitment", "title", "description", "responsible", "milestone", "date", "status", "theme", "other"})

_PAGE_OF = re.compile(r"\s*\b(?:P[áa]gina|Page|P[áa]g\.)\s+\d+\s+(?:de|of|sur)\s+\d+\b\s*", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
_TOC_LINE = re.compile(r"^(?P<title>\S.*?)\s*(?:[.·…_]\s?){4,}\s*(?P<page>\d{1,4})\s*$")


@dataclass(frozen=True)
class Block:
    """A paragraph, line, table cell or data field of the cleaned text.

    ``size`` is the font size (PDF); ``role``/``ref`` are set for structured data only: the
    field the block holds (one of ``ROLES``) and the commitment's id as the data gives it.
    """

    start: int
    end: int
    bold: bool = False
    heading: int = 0
    row: int | None = None
    cell: int | None = None
    page: int | None = None
    size: float | None = None
    role: str | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Document:
    """A loaded document: its cleaned text, layout blocks and identity."""

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


def clean(text: str) -> str:
    """``text`` on one line: runs of spaces folded, "Página N de M" furniture removed."""
    return _SPACES.sub(" ", _PAGE_OF.sub(" ", text.replace("\n", " "))).strip()


def toc_entry(text: str) -> tuple[str, int] | None:
    """``(title, page)`` when ``text`` is a dotted-leader table-of-contents line
    ("3. Open data ........ 12"), else ``None``; readers keep such lines as text."""
    m = _TOC_LINE.match(text.strip())
    return (m.group("title").strip(), int(m.group("page"))) if m else None


@dataclass
class Builder:
    """Accumulates cleaned text and blocks with their offsets; each ``add`` is one line."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0
    title: str = ""

    def add(self, text: str, **layout) -> None:
        """Add ``text`` (cleaned) as one block on its own line; empty text adds nothing."""
        self.line([(text, layout)])

    def line(self, parts: list[tuple[str, dict | None]]) -> None:
        """Add one line made of ``(text, layout)`` parts. A part with layout ``None`` is a
        label kept verbatim and belonging to no block (the "Responsable: " before a value);
        every other part is cleaned and becomes a block. A line without blocks adds nothing."""
        cleaned = [(clean(t) if lay is not None else t.replace("\n", " "), lay) for t, lay in parts]
        if not any(t for t, lay in cleaned if lay is not None):
            return
        if self.parts and not self.parts[-1].endswith("\n"):
            self._append("\n")
        at_start, after_block = True, False
        for text, layout in cleaned:
            if not text:
                continue
            if layout is None:
                self._append(text.lstrip() if at_start else text)
                after_block = False
            else:
                if after_block:
                    self._append(" ")
                self.blocks.append(Block(self.length, self.length + len(text), **layout))
                self._append(text)
                after_block = True
            at_start = False

    def gap(self) -> None:
        """End the paragraph: a blank line before whatever comes next."""
        if self.parts and not self.parts[-1].endswith("\n\n"):
            self._append("\n\n" if not self.parts[-1].endswith("\n") else "\n")

    def extend(self, other: Builder) -> None:
        """Append ``other``'s text and blocks as a new paragraph."""
        self.gap()
        offset = self.length
        self._append(other.text())
        self.blocks.extend(replace(b, start=b.start + offset, end=b.end + offset) for b in other.blocks)

    def _append(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        """The text built so far."""
        return "".join(self.parts)
