"""What a segment is: ``CommitmentText``, and the block helpers every layout shares."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ogp_graph.readers import Block, Document
from ogp_graph.segment.cues import cues, field_label

Span = tuple[int, int]

_CONNECTOR_END = re.compile(
    r"(?:,|\b(?:de|del|la|las|los|el|y|e|para|en|con|por|a|al|of|the|and|for|to|in|on|with|da|do|das|dos|et|des|du))\s*$",
    re.IGNORECASE,
)
_SMALL_WORDS = {"de", "del", "la", "las", "los", "el", "y", "e", "o", "u", "para", "en", "con", "por", "a", "al", "of",
                "the", "and", "for", "to", "in", "on", "with", "by", "an", "or", "at", "as", "from", "into", "through",
                "da", "do", "das", "dos", "et", "des", "du", "le", "les", "un", "una", "sobre", "entre", "via", "vs"}


@dataclass(frozen=True)
class CommitmentText:
    """Where one commitment lies in a document's cleaned text.

    ``number`` is the 1-based ordinal in document order; ``label`` the document's own
    identifier ("3", "PI-3" where numbering restarts per theme, "C01" from data); ``title``
    is verbatim ("" where the document gives none); ``responsible`` the raw field values.
    """

    number: int
    title: str
    title_spans: tuple[Span, ...]
    responsible: tuple[str, ...]
    responsible_span: Span | None
    body_spans: tuple[Span, ...]
    start: int
    end: int
    layout: str
    label: str = ""
    theme: str | None = None

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", str(self.number))

    def body(self, doc: Document) -> str:
        """The progress / description text, page-break fragments joined by newlines."""
        return "\n".join(doc.text[s:e] for s, e in self.body_spans)

    @property
    def body_span(self) -> Span:
        """The smallest span holding every body fragment."""
        return (self.body_spans[0][0], self.body_spans[-1][1]) if self.body_spans else (self.end, self.end)


def upper_ratio(text: str) -> float:
    """The share of upper-case letters of ``text`` (0.0 with fewer than four letters)."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 4 else 0.0


def title_case(text: str) -> bool:
    """True for "Modernize Management of Government Records" (content words capitalised)."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'.-]*", text) if w.lower() not in _SMALL_WORDS]
    return len(words) >= 1 and sum(w[0].isupper() for w in words) / len(words) >= 0.75


def is_titleish(text: str, block: Block) -> bool:
    """True when ``block`` looks like a title: bold, a heading, or mostly upper case."""
    letters = sum(c.isalpha() for c in text)
    return block.bold or block.heading > 0 or (letters >= 8 and upper_ratio(text) > 0.8)


def is_trailer(text: str, block: Block) -> bool:
    """True when ``text`` opens the matter after the commitments (annexes, signatures…), outside tables."""
    return block.row is None and bool(cues().trailer.search(text))


def continues(previous: str, line: str) -> bool:
    """True when ``line`` visibly continues a wrapped title line ``previous``."""
    if not line or field_label(line) is not None or line[:1].isdigit():
        return False
    if _CONNECTOR_END.search(previous) or line[:1].islower():
        return True
    return upper_ratio(previous) > 0.8 and upper_ratio(line) > 0.8 and not previous.rstrip().endswith(".")


def span_of(doc: Document, blocks: Iterable[Block]) -> tuple[Span, ...]:
    """Merge consecutive blocks into spans (blocks separated by only whitespace)."""
    spans: list[list[int]] = []
    for b in blocks:
        if spans and not doc.text[spans[-1][1] : b.start].strip():
            spans[-1][1] = b.end
        else:
            spans.append([b.start, b.end])
    return tuple((s, e) for s, e in spans)


def clean_title(text: str) -> str:
    """Whitespace-normalised, without a final period."""
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip()


def title_of(doc: Document, spans: tuple[Span, ...]) -> str:
    """The text of ``spans`` joined, whitespace-normalised."""
    return re.sub(r"\s+", " ", " ".join(doc.text[s:e] for s, e in spans)).strip()
