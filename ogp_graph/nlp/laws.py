"""spaCy component ``ogp_laws``: legislation citations as ``doc.spans["ogp_laws"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ogp_graph.laws import LawGazetteer
from ogp_graph.nlp.spans import LAWS, doc_country, set_span_group


class LawTagger:
    """Regex citations of decrees, agreements, bills and named laws over the whole text, aligned to
    tokens: ``span.kb_id_`` is the law's key, ``entity(span, LAWS)`` the ``LawCitation``."""

    def __init__(self, gazetteer: LawGazetteer):
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        citations = self.gazetteer.find_citations(doc.text, doc_country(doc))
        set_span_group(doc, LAWS, citations, "LAW", lambda cite: cite.key)
        return doc


@Language.factory("ogp_laws", assigns=["doc.spans"])
def make_law_tagger(nlp: Language, name: str) -> LawTagger:
    """The ``ogp_laws`` component over the shipped gazetteer (``data/laws``)."""
    return LawTagger(LawGazetteer.default())
