"""spaCy component ``ogp_places``: gazetteer places of the document's country, resolved by context.

- A cue word fixes the kind of every name in the list it introduces ("los departamentos de Santa
  Rosa, Escuintla y Retalhuleu", "las municipalidades de: Jalapa, Cobán"); cue words per country
  are data (``data/places/cues.csv``).
- A department in parentheses, or next to a name in the same list, chooses among municipalities
  of that name ("San José (Petén)", "Petén, San José", "San José, Petén").
- Otherwise a name is its country ("Guatemala"), else its department or subdivision
  ("Quetzaltenango"), else its only municipality; a name still ambiguous is skipped.
- A match counts only if it starts with a capital letter ("flores" is no place) and is not glued
  to a capitalised word that is no place ("Simón Bolívar", "Guatemala Visible"), nor inside an
  institution found by ``ogp_institutions``.

``entity(span, PLACES)`` is a ``PlaceMatch`` whose ``how`` says what decided: "qualifier" (a department in
parentheses after a place), "cue", "context" (a neighbouring department), "cue+context" or "default".
"""
from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup, Token
from spacy.util import filter_spans

from ogp_graph.nlp.spans import INSTITUTIONS, PLACES, attach, doc_country
from ogp_graph.places import LABEL, Place, PlaceGazetteer

#: Kinds a bare name resolves to, in order of preference, before municipalities.
DEFAULT_KINDS = ("country", "department", "subdivision")
#: Kinds that contain municipalities.
CONTAINER_KINDS = ("department", "subdivision")
_LIST_GAP = re.compile(r"\s*\)?\s*(?:[,;]|\by\b|\be\b|\band\b|\bor\b|\bo\b)?\s*", re.IGNORECASE)
_PAREN_GAP = re.compile(r"\s*\(\s*")
_PAREN_CLOSE = re.compile(r"\s*\)")
_CUE_WINDOW = 60


@dataclass(frozen=True)
class PlaceMatch:
    """A place mention and how it was resolved."""

    place: Place
    how: str


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    """Per country: a regex for a cue word right before a name, and cue word → place kind."""
    kinds: dict[str, dict[str, str]] = {}
    with (resources.files("ogp_graph") / "data" / "places" / "cues.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kinds.setdefault(row["country"], {})[row["cue"]] = row["kind"]
    return {
        country: (re.compile(rf"\b({'|'.join(map(re.escape, words))})(?:\s+(?:de|del|of|of the))?\s*:?\s*$",
                             re.IGNORECASE), words)
        for country, words in kinds.items()
    }


class PlaceTagger:
    """Matches every name of the document country's places (a ``PhraseMatcher`` on LOWER built
    from ``PlaceGazetteer.patterns``, one per country, on first use), then resolves each match."""

    def __init__(self, nlp: Language, gazetteer: PlaceGazetteer):
        self.nlp, self.gazetteer = nlp, gazetteer
        self._matchers: dict[str, PhraseMatcher] = {}

    def __call__(self, doc: Doc) -> Doc:
        country = doc_country(doc)
        if not self.gazetteer.knows(country):  # a document whose country was not recognised names no place
            doc.spans[PLACES] = SpanGroup(doc, name=PLACES, spans=[])
            return doc
        cue_re, cue_kinds = _cues().get(country, (None, {}))
        text = doc.text
        names = self._names(doc, country, cue_kinds)
        # gaps[i]: the text between name i-1 and name i (None before the first)
        gaps = [None, *(text[a.end_char : b.start_char] for a, b in pairwise(names))]
        found, cue, prev = [], None, None  # prev: the place of the last name that was not a qualifier
        for i, span in enumerate(names):
            if self._is_qualifier(text, names, gaps, i):
                place = self._resolve(span.label_, country, "department")[0] or self._resolve(span.label_, country)[0]
                how = "qualifier"
            else:
                in_list = gaps[i] is not None and _LIST_GAP.fullmatch(gaps[i]) is not None
                m = cue_re.search(text, max(0, span.start_char - _CUE_WINDOW), span.start_char) if cue_re else None
                cue = cue_kinds[m.group(1).lower()] if m else cue if in_list else None
                contexts = self._contexts(text, names, gaps, i, prev if in_list else None, country)
                place, by_context = self._resolve(span.label_, country, cue, contexts)
                how = "+".join(h for h, used in (("cue", cue), ("context", by_context)) if used) or "default"
                prev = place
            if place is not None:
                new = Span(doc, span.start, span.end, label=LABEL, kb_id=place.key)
                attach(new, PLACES, PlaceMatch(place, how))
                found.append(new)
        doc.spans[PLACES] = SpanGroup(doc, name=PLACES, spans=found)
        return doc

    def _names(self, doc: Doc, country: str, cue_words: dict[str, str]) -> list[Span]:
        """Capitalised matches (label = folded name), longest first, not inside an institution
        nor glued to another capitalised word."""
        taken = {t.i for s in doc.spans.get(INSTITUTIONS, []) for t in s}
        spans = filter_spans([s for s in self._matcher(country)(doc, as_spans=True)
                              if s.text[:1].isupper() and not taken.intersection(range(s.start, s.end))])
        in_place = {t.i for s in spans for t in s}

        def glued(span: Span, token: Token) -> bool:
            if token.i in in_place or not token.is_alpha or token.is_stop or token.lower_ in cue_words:
                return False
            return token.is_title or (span.text.isupper() and token.is_upper)

        def neighbours(span: Span) -> list[Token]:
            return [*doc[max(0, span.start - 1) : span.start], *doc[span.end : span.end + 1]]

        return [s for s in spans if not any(glued(s, t) for t in neighbours(s))]

    def _matcher(self, country: str) -> PhraseMatcher:
        if country not in self._matchers:
            matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
            by_id: dict[str, list[str]] = {}
            for pattern in self.gazetteer.patterns(country):
                by_id.setdefault(pattern["id"], []).append(pattern["pattern"])
            for ident, texts in by_id.items():
                matcher.add(ident, list(self.nlp.tokenizer.pipe(texts)))
            self._matchers[country] = matcher
        return self._matchers[country]

    @staticmethod
    def _is_qualifier(text: str, names: list[Span], gaps: list[str | None], i: int) -> bool:
        """Name ``i`` stands alone in parentheses right after name ``i - 1``: "Gualán (Zacapa)"."""
        return gaps[i] is not None and _PAREN_GAP.fullmatch(gaps[i]) is not None \
            and _PAREN_CLOSE.match(text, names[i].end_char) is not None

    def _contexts(self, text: str, names: list[Span], gaps: list[str | None], i: int, prev: Place | None,
                  country: str) -> list[set[str]]:
        """Keys of the departments next to name ``i``, nearest evidence first: the next name when
        it qualifies this one in parentheses, ``prev`` (the previous list item), the next list item."""
        before = {prev.key} if prev is not None and prev.kind in CONTAINER_KINDS else set()
        if i + 1 == len(names):
            return [before]
        after = {p.key for p in self.gazetteer.candidates(names[i + 1].label_, country) if p.kind in CONTAINER_KINDS}
        if self._is_qualifier(text, names, gaps, i + 1):
            return [after, before]
        return [before, after] if _LIST_GAP.fullmatch(gaps[i + 1]) else [before]

    def _resolve(self, ident: str, country: str, kind: str | None = None,
                 contexts: Iterable[Collection[str]] = ()) -> tuple[Place | None, bool]:
        """The place named ``ident`` (of ``kind`` when a cue gave one), and whether a context
        (department keys, tried in turn) was needed to choose it."""
        candidates = self.gazetteer.candidates(ident, country)
        if kind:
            candidates = [p for p in candidates if p.kind == kind]
        else:
            preferred = next((k for k in DEFAULT_KINDS if any(p.kind == k for p in candidates)), "municipality")
            candidates = [p for p in candidates if p.kind == preferred]
        if len(candidates) == 1:
            return candidates[0], False
        for context in contexts:
            inside = [p for p in candidates if p.parent in context]
            if len(inside) == 1:
                return inside[0], True
        return None, False


@Language.factory("ogp_places", assigns=["doc.spans"])
def make_place_tagger(nlp: Language, name: str) -> PlaceTagger:
    """The ``ogp_places`` component over the default gazetteer."""
    return PlaceTagger(nlp, PlaceGazetteer.default())
