"""spaCy component ``ogp_institutions``: institutions named, abbreviated, misspelt or defined."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from ogp_graph.institutions import INTERNATIONAL, InstitutionGazetteer
from ogp_graph.nlp.spans import INSTITUTIONS, doc_country


class InstitutionTagger:
    """Collects the entity ruler's ORG matches, one-letter acronym typos ("SEENACYT") and
    acronyms defined in the text ("… del Estado (DNCAE)") into ``doc.spans["ogp_institutions"]``."""

    def __init__(self, gazetteer: InstitutionGazetteer):
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        country = doc_country(doc)
        found: list[Span] = []
        for ent in doc.ents:
            if ent.label_ == "ORG" and ent.ent_id_:
                owner, _, key = ent.ent_id_.partition("/")
                if owner in (country, INTERNATIONAL):
                    found.append(self._span(doc, ent.start_char, ent.end_char, self.gazetteer.get(owner, key)))
        covered = {t.i for s in found for t in s}
        for inst, start, end in self.gazetteer.find_definitions(doc.text, country):
            span = self._span(doc, start, end, inst)
            if span is not None and not covered.intersection(t.i for t in span):
                found.append(span)
                covered.update(t.i for t in span)
        for token in doc:
            text = token.text
            if token.i not in covered and len(text) >= 4 and text.isupper() and text.isalpha():
                if inst := self.gazetteer.resolve(text, country):
                    found.append(self._span(doc, token.idx, token.idx + len(text), inst))
        doc.spans[INSTITUTIONS] = SpanGroup(doc, name=INSTITUTIONS, spans=filter_spans([s for s in found if s]))
        return doc

    @staticmethod
    def _span(doc: Doc, start: int, end: int, inst) -> Span | None:
        span = doc.char_span(start, end, label="ORG", kb_id=inst.key, alignment_mode="expand")
        if span is not None:
            span._.ogp = inst
        return span


@Language.factory("ogp_institutions", assigns=["doc.spans"])
def make_institution_tagger(nlp: Language, name: str) -> InstitutionTagger:
    return InstitutionTagger(InstitutionGazetteer.default())
