"""spaCy component ``ogp_metrics``: money, counts, percentages and dates as ``doc.spans["ogp_metrics"]``.

Quantities come from the regex finder (``ogp_graph.metrics``) run once over ``doc.text``; when the
doc is POS-tagged, a count's description is rebuilt from the tags: the counted noun (the noun after
an adjective, as in "dos recientes reformas"), its adjectives and one "de ..." complement
("personas de las siguientes instituciones").
"""
from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from ogp_graph.metrics import Quantity, QuantityFinder, default_finder
from ogp_graph.nlp.spans import METRICS, doc_country, set_span_group

_NOMINAL = {"NOUN", "PROPN"}
_MAX_PHRASE = 8  # tokens


class MetricTagger:
    """Puts each quantity of the text in ``doc.spans["ogp_metrics"]`` (``kb_id_`` = its kind)."""

    def __init__(self, finder: QuantityFinder):
        self.finder = finder

    def __call__(self, doc: Doc) -> Doc:
        found = self.finder.find(doc.text, country=doc_country(doc))
        if doc.has_annotation("POS"):
            found = [self._refine(doc, q) if q.kind == "count" else q for q in found]
        set_span_group(doc, METRICS, found, "METRIC", lambda q: q.kind)
        return doc

    def _refine(self, doc: Doc, q: Quantity) -> Quantity:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            return q
        noun = span[-1]
        after = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
        if noun.pos_ == "ADJ" and after is not None and after.pos_ in _NOMINAL and after.lower_.endswith("s"):
            noun, end = after, after.idx + len(after)
            q = replace(q, end=end, text=doc.text[q.start : end], unit=noun.lower_)
        if noun.pos_ not in _NOMINAL:
            return q
        last = _phrase_end(doc, noun)
        return replace(q, description=" ".join(doc.text[noun.idx : last.idx + len(last)].split()))


def _phrase_end(doc: Doc, noun: Token) -> Token:
    """The last token of the noun's phrase: adjectives or participles, then one complement
    "de|del [DET] [ADJ]* NOUN|PROPN [PROPN]* [ADJ]*"."""
    limit = min(len(doc), noun.i + _MAX_PHRASE)
    i = _skip_modifiers(doc, noun.i + 1, limit)
    last = doc[i - 1]
    if i < limit and doc[i].lower_ in ("de", "del") and doc[i].pos_ == "ADP":
        j = i + 1 + (i + 1 < limit and doc[i + 1].pos_ == "DET")
        j = _skip_modifiers(doc, j, limit)
        if j < limit and doc[j].pos_ in _NOMINAL:
            j += 1
            while j < limit and doc[j].pos_ == "PROPN":
                j += 1
            last = doc[_skip_modifiers(doc, j, limit) - 1]
    return last


def _skip_modifiers(doc: Doc, i: int, limit: int) -> int:
    while i < limit and (doc[i].pos_ == "ADJ" or "Part" in doc[i].morph.get("VerbForm")):
        i += 1
    return i


@Language.factory("ogp_metrics", assigns=["doc.spans"])
def make_metric_tagger(nlp: Language, name: str) -> MetricTagger:
    """The ``ogp_metrics`` component over the bundled lexicon."""
    return MetricTagger(default_finder())
