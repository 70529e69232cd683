"""Passages to search: each commitment's title and sentence-aligned chunks of its body."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph

from ogp_graph.vocab import sparql_prefixes

_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[\"“¿¡(]?[A-ZÁÉÍÓÚÑ0-9])|\n+")


@dataclass(frozen=True)
class Passage:
    """A searchable piece of a commitment (or of a section of a document without commitments),
    with its span in the source document's text."""

    id: str
    commitment: str
    text: str
    doc: str
    start: int
    end: int
    kind: str  # "title" | "body" | "section"

    def to_dict(self) -> dict:
        """The passage as plain JSON-ready data."""
        return dict(self.__dict__)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def chunk_body(text: str, offset: int = 0, *, min_words: int = 100, max_words: int = 250) -> list[tuple[int, int]]:
    """Sentence-aligned chunks of ``text`` of about ``min_words``–``max_words`` words, as spans
    shifted by ``offset``; a sentence longer than ``max_words`` is cut between words."""
    chunks: list[tuple[int, int]] = []
    start = end = None
    words = 0
    for s, e in _sentences(text):
        pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[s:e])]
        for i in range(0, len(pieces), max_words):  # over-long sentences, cut between words
            part = pieces[i : i + max_words]
            ps, pe, n = s + part[0][0], s + part[-1][1], len(part)
            if start is not None and words + n > max_words:
                chunks.append((start, end))
                start, words = None, 0
            start = ps if start is None else start
            end, words = pe, words + n
            if words >= min_words:
                chunks.append((start, end))
                start, words = None, 0
    if start is not None:
        if chunks and words < min_words // 3 and end - chunks[-1][0] <= max_words * 12:
            chunks[-1] = (chunks[-1][0], end)  # a short tail joins the previous chunk
        else:
            chunks.append((start, end))
    return [(offset + s, offset + e) for s, e in chunks]


_TITLES = """SELECT ?c ?title ?doc ?b ?e WHERE {
  ?c a ogp:Commitment ; dct:title ?title ; prov:wasDerivedFrom ?doc ; ogp:titleSpan ?s .
  ?s nif:beginIndex ?b ; nif:endIndex ?e . } ORDER BY ?c"""
_BODIES = """SELECT ?c ?doc ?text ?b ?e WHERE {
  ?c a ogp:Commitment ; prov:wasDerivedFrom ?doc ; ogp:bodySpan ?s . ?doc nif:isString ?text .
  ?s nif:beginIndex ?b ; nif:endIndex ?e . } ORDER BY ?c ?b"""
_SECTIONS = """SELECT ?c ?doc ?text ?b ?e WHERE {
  ?c a ogp:Section ; prov:wasDerivedFrom ?doc ; ogp:sourceSpan ?s . ?doc nif:isString ?text .
  ?s nif:beginIndex ?b ; nif:endIndex ?e . } ORDER BY ?c ?b"""


def passages_from_store(store: pyoxigraph.Store) -> list[Passage]:
    """Every commitment's title passage and body chunks (per body fragment), and the chunks of
    every ``ogp:Section`` (documents without commitments), read from the graph."""
    passages: dict[str, list[Passage]] = {}
    for row in store.query(sparql_prefixes() + _TITLES):
        c = row["c"].value
        passages[c] = [Passage(f"{c}#p0", c, row["title"].value, row["doc"].value,
                               int(row["b"].value), int(row["e"].value), "title")]
    for query, kind in ((_BODIES, "body"), (_SECTIONS, "section")):
        for row in store.query(sparql_prefixes() + query):
            c, doc, text = row["c"].value, row["doc"].value, row["text"].value
            b, e = int(row["b"].value), int(row["e"].value)
            group = passages.setdefault(c, [])
            for s, t in chunk_body(text[b:e], b):
                group.append(Passage(f"{c}#p{len(group)}", c, re.sub(r"\s+", " ", text[s:t]), doc, s, t, kind))
    return [p for group in passages.values() for p in group]
