"""``Mention``: one thing an extractor found in a document's text, with its characters (the
records the spaCy components' findings become, ``ogp_graph.nlp.mentions``, and ``rdf`` writes)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from ogp_graph.institutions import Institution
    from ogp_graph.laws import LawCitation
    from ogp_graph.metrics import Quantity
    from ogp_graph.nlp.institutions import Responsible
    from ogp_graph.nlp.places import PlaceMatch
    from ogp_graph.statements import Completion, CompletionPercent, Milestone
    from ogp_graph.values import ValueMatch

#: what a component found, by mention kind (institution, law, place, metric, responsible, status, milestone, value)
Entity = Union["Institution", "LawCitation", "PlaceMatch", "Quantity", "Responsible", "Completion",
               "CompletionPercent", "Milestone", "ValueMatch"]


@dataclass(frozen=True)
class Mention:
    """One thing found in the text, with its span in the source document's cleaned text."""

    kind: str
    start: int
    end: int
    text: str
    key: str
    extractor: str
    entity: Entity
