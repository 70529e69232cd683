"""Turn what the spaCy components found in a commitment into ``Mention`` records."""
from __future__ import annotations

from spacy.tokens import Doc

from ogp_graph.mentions import Mention
from ogp_graph.nlp import spans

#: span group → (mention kind, extractor name)
KINDS = {
    spans.INSTITUTIONS: ("institution", "ogp_institutions"),
    spans.LAWS: ("law", "ogp_laws"),
    spans.PLACES: ("place", "ogp_places"),
    spans.METRICS: ("metric", "ogp_metrics"),
    spans.RESPONSIBLE: ("responsible", "ogp_institutions"),
    spans.STATUS: ("status", "ogp_status"),
    spans.MILESTONES: ("milestone", "segmenter"),
    spans.VALUES: ("value", "ogp_values"),
}


def mentions(doc: Doc, offset: int = 0) -> list[Mention]:
    """Every mention our components put in ``doc``; ``offset`` = where ``doc`` starts in the source."""
    found = []
    for group, (kind, extractor) in KINDS.items():
        seen: set[tuple[int, int]] = set()  # spans over the same characters share their items
        for span in doc.spans.get(group, []):
            if (span.start_char, span.end_char) in seen:
                continue
            seen.add((span.start_char, span.end_char))
            for key, entity in spans.keyed_entities(span, group):
                start, end = _char_span(span, entity)
                found.append(Mention(kind, offset + start, offset + end, doc.text[start:end], key, extractor, entity))
    return sorted(found, key=lambda m: (m.start, m.end, m.kind))


def _char_span(span, entity) -> tuple[int, int]:
    """The exact characters matched (token-expanded spans may be wider than the match)."""
    start, end = getattr(entity, "start", None), getattr(entity, "end", None)
    if isinstance(start, int) and isinstance(end, int) and span.start_char <= start < end <= span.end_char:
        return start, end
    return span.start_char, span.end_char
