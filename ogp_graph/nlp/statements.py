"""spaCy components for what a commitment states about itself: ``ogp_status`` (completion level
and percentage), ``ogp_milestones`` and ``ogp_values`` (the OGP values it concerns). They act on
docs ``make_doc`` tagged as commitments (``commitment_parts``) and leave other docs alone."""
from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from ogp_graph.nlp.spans import MILESTONES, STATUS, VALUES, commitment_parts, set_span_group
from ogp_graph.statements import Completion, completion, milestones
from ogp_graph.values import ogp_values


def tag_status(doc: Doc) -> Doc:
    """The first completion statement and stated percentage of the body into ``doc.spans["ogp_status"]``."""
    if parts := commitment_parts(doc):
        found = [s for s in completion(doc.text, parts.body) if s is not None]
        set_span_group(doc, STATUS, found, "STATUS", lambda s: s.level if isinstance(s, Completion) else "completion")
    return doc


def tag_milestones(doc: Doc) -> Doc:
    """The numbered milestones of the body into ``doc.spans["ogp_milestones"]``."""
    if parts := commitment_parts(doc):
        set_span_group(doc, MILESTONES, milestones(doc.text, parts.body), "MILESTONE", lambda m: str(m.number))
    return doc


def tag_values(doc: Doc) -> Doc:
    """The OGP values the commitment's words concern into ``doc.spans["ogp_values"]``."""
    if commitment_parts(doc):
        set_span_group(doc, VALUES, ogp_values(doc.text), "OGP_VALUE", lambda v: v.value)
    return doc


@Language.factory("ogp_status", assigns=["doc.spans"])
def make_status_tagger(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The ``ogp_status`` component (phrases from ``data/cues/``)."""
    return tag_status


@Language.factory("ogp_milestones", assigns=["doc.spans"])
def make_milestone_tagger(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The ``ogp_milestones`` component (milestone words from ``data/cues/``)."""
    return tag_milestones


@Language.factory("ogp_values", assigns=["doc.spans"])
def make_value_tagger(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The ``ogp_values`` component (keyword rules of ``data/ogp_values.csv``)."""
    return tag_values
