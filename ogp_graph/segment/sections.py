"""A document's sections: what is indexed and searched when a document has no commitments."""
from __future__ import annotations

from dataclasses import dataclass

from ogp_graph.readers import Document
from ogp_graph.segment.text import clean_title, is_titleish

_MAX_CHARS = 3000


@dataclass(frozen=True)
class Section:
    """A heading (possibly "") and the span of the text under it."""

    heading: str
    start: int
    end: int


def sections(doc: Document) -> list[Section]:
    """The document cut at its headings (markup headings, bold or upper-case short lines);
    a section longer than about 3000 characters is cut at a paragraph end."""
    result: list[Section] = []
    heading, start, end = "", None, None
    for block in doc.blocks:
        text = doc.block_text(block)
        opens = (block.heading > 0 or is_titleish(text, block)) and len(text) < 160
        too_long = start is not None and block.start - start > _MAX_CHARS and "\n\n" in doc.text[end : block.start + 1]
        if start is not None and (opens or too_long):
            result.append(Section(heading, start, end))
            heading, start = "", None
        if start is None:
            start = block.start
            heading = clean_title(text) if opens else ""
        end = block.end
    if start is not None:
        result.append(Section(heading, start, end))
    return [s for s in result if doc.text[s.start : s.end].strip()]
