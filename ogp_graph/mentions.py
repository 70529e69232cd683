"""Turn what the spaCy components found in a commitment into ``Mention`` records."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from ogp_graph.nlp import spans

#: span group → (mention kind, extractor name)
KINDS = {
    spans.INSTITUTIONS: ("institution", "ogp_institutions"),
    spans.LAWS: ("law", "ogp_laws"),
    spans.PLACES: ("place", "ogp_places"),
    spans.METRICS: ("metric", "ogp_metrics"),
}


@dataclass(frozen=True)
class Mention:
    """One thing found in the text, with its span in the source document's cleaned text."""

    kind: str
    start: int
    end: int
    text: str
    key: str
    extractor: str
    entity: Any


def mentions(doc: Doc, offset: int = 0) -> list[Mention]:
    """Every mention our components put in ``doc``; ``offset`` = where ``doc`` starts in the source."""
    found = []
    for group, (kind, extractor) in KINDS.items():
        for span in doc.spans.get(group, []):
            entity = span._.ogp
            start, end = _char_span(span, entity)
            found.append(
                Mention(kind, offset + start, offset + end, doc.text[start:end], span.kb_id_, extractor, entity)
            )
    return sorted(found, key=lambda m: (m.start, m.end, m.kind))


def _char_span(span, entity) -> tuple[int, int]:
    """The exact characters matched (token-expanded spans may be wider than the match)."""
    start, end = getattr(entity, "start", None), getattr(entity, "end", None)
    if isinstance(start, int) and isinstance(end, int) and span.start_char <= start < end <= span.end_char:
        return start, end
    return span.start_char, span.end_char
