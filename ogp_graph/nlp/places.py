"""spaCy component ``ogp_places``: gazetteer places, disambiguated by their context.

"los departamentos de Santa Rosa, Escuintla…" → departments; "las municipalidades de: …,
Jalapa, Quetzaltenango" → municipalities; "San Pedro la Laguna (Sololá)" → the municipality in
that department; a bare department name → the department; "Guatemala" alone → the country.
A municipality name shared by several departments with nothing in context to choose is skipped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from ogp_graph.nlp.spans import INSTITUTIONS, PLACES, doc_country
from ogp_graph.places import Place, PlaceGazetteer

_CUE = re.compile(
    r"\b(?P<cue>departamentos?|municipios?|municipalidad(?:es)?|ciudad(?:es)?|provincias?|estados?|states?|"
    r"counties|county)\s+(?:de|del|of)?\s*:?\s*$",
    re.IGNORECASE,
)
_CUE_KIND = {"departamento": "department", "provincia": "subdivision", "estado": "subdivision",
             "state": "subdivision", "municipio": "municipality", "municipalidad": "municipality",
             "ciudad": "municipality", "county": "municipality", "countie": "municipality"}
_LIST_GAP = re.compile(r"^\s*\)?\s*(?:[,;]|\by\b|\be\b|\band\b)?\s*$")
_PAREN_GAP = re.compile(r"^\s*\(\s*$")
_PAREN_AFTER = re.compile(r"^\s*\(\s*([^()]{2,40}?)\s*\)")


@dataclass(frozen=True)
class PlaceMatch:
    """A place mention and how it was resolved."""

    place: Place
    how: str


def _variants(name: str) -> set[str]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return {name, bare}


class PlaceTagger:
    """Matches every place name of the document's country (PhraseMatcher on LOWER, one per
    country, built on first use), then picks the right place for each from its context."""

    def __init__(self, nlp: Language, gazetteer: PlaceGazetteer):
        self.nlp, self.gazetteer = nlp, gazetteer
        self._matchers: dict[str, PhraseMatcher] = {}

    def _matcher(self, country: str) -> PhraseMatcher:
        if country not in self._matchers:
            matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
            names = {v for n in self.gazetteer.names(country) for v in _variants(n)}
            matcher.add("PLACE", list(self.nlp.tokenizer.pipe(sorted(names))))
            self._matchers[country] = matcher
        return self._matchers[country]

    def __call__(self, doc: Doc) -> Doc:
        country = doc_country(doc)
        taken = {t.i for s in doc.spans.get(INSTITUTIONS, []) for t in s}
        matches = filter_spans(
            [doc[s:e] for _, s, e in self._matcher(country)(doc) if not taken.intersection(range(s, e))]
        )
        matches = [m for m in matches if m.text[:1].isupper()]
        found: list[Span] = []
        cue, prev_end, prev_place = None, None, None
        for span in matches:
            gap = doc.text[prev_end : span.start_char] if prev_end is not None else None
            before = doc.text[max(0, span.start_char - 60) : span.start_char]
            if gap is not None and _PAREN_GAP.match(gap):
                place = self._pick(span.text, country, "department", None) or self._pick(span.text, country, None, None)
                how = "qualifier"
            else:
                if m := _CUE.search(before):
                    cue = _CUE_KIND[m.group("cue").lower().rstrip("s").replace("ade", "ad")]
                elif gap is None or not _LIST_GAP.match(gap):
                    cue = None
                hint = self._qualifier(doc, span, country) or (prev_place.key if prev_place and prev_place.kind == "department" else None)
                place = self._pick(span.text, country, cue, hint)
                how = f"cue:{cue}" if cue else "default"
                prev_place = place
            prev_end = span.end_char
            if place is not None:
                new = doc.char_span(span.start_char, span.end_char, label="PLACE", kb_id=place.key)
                new._.ogp = PlaceMatch(place, how)
                found.append(new)
        doc.spans[PLACES] = SpanGroup(doc, name=PLACES, spans=found)
        return doc

    def _qualifier(self, doc: Doc, span: Span, country: str) -> str | None:
        """Key of a department named in parentheses right after ``span``."""
        m = _PAREN_AFTER.match(doc.text, span.end_char)
        if m:
            depts = [p for p in self.gazetteer.candidates(m.group(1), country) if p.kind == "department"]
            return depts[0].key if depts else None
        return None

    def _pick(self, name: str, country: str, kind: str | None, within: str | None) -> Place | None:
        candidates = self.gazetteer.candidates(name, country)
        if kind:
            candidates = [p for p in candidates if p.kind == kind]
        else:
            for preferred in ("country", "department", "subdivision"):
                if any(p.kind == preferred for p in candidates):
                    candidates = [p for p in candidates if p.kind == preferred]
                    break
        if len(candidates) > 1 and within:
            candidates = [p for p in candidates if p.parent == within]
        return candidates[0] if len(candidates) == 1 else None


@Language.factory("ogp_places", assigns=["doc.spans"])
def make_place_tagger(nlp: Language, name: str) -> PlaceTagger:
    return PlaceTagger(nlp, PlaceGazetteer.default())
