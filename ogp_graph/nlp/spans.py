"""Where our spaCy components put what they find.

Each component writes a ``SpanGroup`` under its key in ``doc.spans``; every span carries
``span.kb_id_`` = the canonical key of the entity and, under the extension named like its group
(``entity(span, group)``), the component's frozen dataclass describing it (an ``Institution``,
``LawCitation``, ``PlaceMatch``, ``Quantity``, ``Responsible``, ``Completion``, ``Milestone``,
``ValueMatch``). spaCy keys span extensions by the span's characters, so each group has its own
extension: two groups may hold spans over the same characters (an institution and the same
institution as the responsible one).
The document's country (ISO 3166-1 alpha-2) is read from ``doc.user_data["ogp_country"]``, its
``InstitutionResolver`` (the acronyms the whole document defines) from ``doc.user_data["ogp_institutions"]``.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, SpanGroup

from ogp_graph.countries import UNKNOWN_COUNTRY

INSTITUTIONS = "ogp_institutions"
LAWS = "ogp_laws"
PLACES = "ogp_places"
METRICS = "ogp_metrics"
STATUS = "ogp_status"  # completion statements and percentages
MILESTONES = "ogp_milestones"
VALUES = "ogp_values"
RESPONSIBLE = "ogp_responsible"  # the institutions responsible for the commitment
COUNTRY_KEY = "ogp_country"
RESOLVER_KEY = "ogp_institutions"  # doc.user_data: the document's InstitutionResolver, when given
PART_KEY = "ogp_commitment"  # doc.user_data: the commitment's layout (a ``CommitmentParts``), when the doc is one

GROUPS = (INSTITUTIONS, LAWS, PLACES, METRICS, STATUS, MILESTONES, VALUES, RESPONSIBLE)
for _group in GROUPS:
    if not Span.has_extension(_group):
        Span.set_extension(_group, default=None)


def attach(span: Span, group: str, item: object) -> None:
    """Attach ``item`` (what a component found, keyed by ``span.kb_id_``) to ``span`` of
    ``doc.spans[group]``; the items of spans over the same characters are kept together, in order."""
    span._.set(group, (*(span._.get(group) or ()), (span.kb_id_, item)))


def keyed_entities(span: Span, group: str) -> tuple[tuple[str, object], ...]:
    """(key, item) of every item attached to the characters of ``span`` in ``doc.spans[group]``."""
    return span._.get(group) or ()


def entity(span: Span, group: str) -> object:
    """The item attached to ``span`` of ``doc.spans[group]`` (the first, when several share its characters)."""
    return keyed_entities(span, group)[0][1]


@dataclass(frozen=True)
class CommitmentParts:
    """Where a commitment's parts are in its Doc (character offsets into ``doc.text``): the body
    spans, the responsible field's span and raw values (``None``/empty when the layout has none)."""

    body: tuple[tuple[int, int], ...] = ()
    responsible_span: tuple[int, int] | None = None
    responsible: tuple[str, ...] = ()


def commitment_parts(doc: Doc) -> CommitmentParts | None:
    """The commitment layout ``make_doc`` tagged ``doc`` with; None for a doc that is not a commitment."""
    return doc.user_data.get(PART_KEY)


def doc_country(doc: Doc) -> str:
    """The country code the document was tagged with (``UNKNOWN_COUNTRY`` when none)."""
    return doc.user_data.get(COUNTRY_KEY, UNKNOWN_COUNTRY)


def set_span_group(doc: Doc, key: str, items: Iterable, label: str, kb_id: Callable[[object], str]) -> None:
    """Put one token-aligned span per item (anything with character ``start``/``end``) in
    ``doc.spans[key]``, with ``kb_id_`` from ``kb_id(item)`` and the item attached (``entity``)."""
    spans = []
    for item in items:
        span = doc.char_span(item.start, item.end, label=label, kb_id=kb_id(item), alignment_mode="expand")
        if span is not None:
            attach(span, key, item)
            spans.append(span)
    doc.spans[key] = SpanGroup(doc, name=key, spans=spans)
