"""Where our spaCy components put what they find.

Each component writes a ``SpanGroup`` under its key in ``doc.spans``; every span carries
``span.kb_id_`` = the canonical key of the entity and ``span._.ogp`` = the component's
frozen dataclass describing it (an ``Institution``, ``LawCitation``, ``PlaceMatch``, ``Quantity``).
The document's country (ISO 3166-1 alpha-2) is read from ``doc.user_data["ogp_country"]``, its
``InstitutionResolver`` (the acronyms the whole document defines) from ``doc.user_data["ogp_institutions"]``.
"""
from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span, SpanGroup

from ogp_graph.countries import UNKNOWN_COUNTRY

INSTITUTIONS = "ogp_institutions"
LAWS = "ogp_laws"
PLACES = "ogp_places"
METRICS = "ogp_metrics"
COUNTRY_KEY = "ogp_country"
RESOLVER_KEY = "ogp_institutions"  # doc.user_data: the document's InstitutionResolver, when given

if not Span.has_extension("ogp"):
    Span.set_extension("ogp", default=None)


def doc_country(doc: Doc) -> str:
    """The country code the document was tagged with (``UNKNOWN_COUNTRY`` when none)."""
    return doc.user_data.get(COUNTRY_KEY, UNKNOWN_COUNTRY)


def set_span_group(doc: Doc, key: str, items: Iterable, label: str, kb_id: Callable[[object], str]) -> None:
    """Put one token-aligned span per item (anything with character ``start``/``end``) in
    ``doc.spans[key]``, with ``kb_id_`` from ``kb_id(item)`` and the item in ``span._.ogp``."""
    spans = []
    for item in items:
        span = doc.char_span(item.start, item.end, label=label, kb_id=kb_id(item), alignment_mode="expand")
        if span is not None:
            span._.ogp = item
            spans.append(span)
    doc.spans[key] = SpanGroup(doc, name=key, spans=spans)
