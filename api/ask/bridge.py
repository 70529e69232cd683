"""Words across languages: a question's content words rendered in another plan language as the
nearest words of that language's commitment titles in the multilingual embedding space ("tax" →
"fiscal", "tributaria"; "school" → "educativa"), so that an English question finds a Spanish
commitment by its words, not only by its sentence's embedding."""
from __future__ import annotations

import re
from functools import cached_property

import numpy as np

from api.ask.analysis import STOP
from indexes.vector_cache import embed
from ogp_graph.text import match_form

#: a rendering is at least this close to the word (e5 cosine; "tax" → "tributaria" 0.911, "relay" →
#: its nearest Spanish title word 0.875, a wrong one)
BRIDGE_MIN = 0.90
#: renderings this close to the best one are kept too ("tax" → "fiscal" 0.921, "tributaria" 0.911)
BRIDGE_TIE = 0.012
_WORD = re.compile(r"[a-z]{4,}")


def content_words(folded: str) -> list[str]:
    """The content words (four letters or more, not function words) of a folded text, in order, once."""
    return list(dict.fromkeys(w for w in _WORD.findall(folded) if w not in STOP))


class Bridge:
    """Renders words in the languages of one graph's plans, from the words of their commitment titles."""

    def __init__(self, embedder, titles: dict[str, list[str]]):
        """``titles``: language → the commitment titles of the plans in that language."""
        self.embedder = embedder
        self.titles = titles

    @cached_property
    def _vocabulary(self) -> dict[str, tuple[list[str], np.ndarray]]:
        found = {}
        for language, titles in self.titles.items():
            words = sorted({w for t in titles for w in content_words(match_form(t))})
            if words:
                found[language] = (words, embed(self.embedder, words, kind="query"))
        return found

    def warm(self) -> None:
        """Embed the title words now (once; from the vector cache after the first run)."""
        self._vocabulary

    def render(self, words: list[str], language: str) -> list[str]:
        """The renderings in ``language`` of ``words`` (each: its nearest title words, when close
        enough); the words themselves are left out. Empty for a language without plans."""
        if language not in self._vocabulary or not words:
            return []
        vocabulary, vectors = self._vocabulary[language]
        out: list[str] = []
        for word, vector in zip(words, embed(self.embedder, words, kind="query")):
            sims = vectors @ vector
            best = float(sims.max())
            if best >= BRIDGE_MIN:
                out += [vocabulary[i] for i in np.flatnonzero(sims >= best - BRIDGE_TIE) if vocabulary[i] != word]
        return list(dict.fromkeys(out))
