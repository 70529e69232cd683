"""spaCy component ``ogp_laws``: legislation citations as ``doc.spans["ogp_laws"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ogp_graph.laws import LawGazetteer
from ogp_graph.nlp.spans import LAWS, doc_country


class LawTagger:
    """Regex citations of decrees, agreements, bills and named laws, aligned to tokens."""

    def __init__(self, gazetteer: LawGazetteer):
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for cite in self.gazetteer.find_citations(doc.text, doc_country(doc)):
            span = doc.char_span(cite.start, cite.end, label="LAW", kb_id=cite.key, alignment_mode="expand")
            if span is not None:
                span._.ogp = cite
                spans.append(span)
        doc.spans[LAWS] = SpanGroup(doc, name=LAWS, spans=spans)
        return doc


@Language.factory("ogp_laws", assigns=["doc.spans"])
def make_law_tagger(nlp: Language, name: str) -> LawTagger:
    return LawTagger(LawGazetteer.default())
