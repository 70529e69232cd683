"""BM25 over Spanish text (bm25s): accent folding, Spanish stopwords, Snowball stemming."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

BM25_DIR = "bm25"
_TOKEN = re.compile(r"\w\w+")


def fold(text: str) -> str:
    """Lower case without accents: "Información" → "informacion"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _analyzer():
    stemmer = Stemmer.Stemmer("spanish")
    stop = {fold(w) for w in bm25s.stopwords.STOPWORDS_SPANISH} | set(bm25s.stopwords.STOPWORDS_EN)
    return stemmer, frozenset(stop)


def analyze(text: str) -> list[str]:
    """The index terms of ``text``: folded, stopwords removed, stemmed."""
    stemmer, stop = _analyzer()
    return stemmer.stemWords([t for t in _TOKEN.findall(fold(text)) if t not in stop])


class BM25Index:
    """Lexical scores for a fixed list of passages (row ids as in the dense index)."""

    def __init__(self, model: bm25s.BM25):
        self.model = model

    @classmethod
    def build(cls, texts: list[str]) -> BM25Index:
        model = bm25s.BM25()
        model.index([analyze(t) or ["_"] for t in texts], show_progress=False)
        return cls(model)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros when no term is known)."""
        terms = [t for t in analyze(query) if t in self.model.vocab_dict]
        if not terms:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return self.model.get_scores(terms).astype(np.float32)

    def save(self, directory: Path) -> None:
        """Write the index into ``directory``."""
        self.model.save(str(Path(directory) / BM25_DIR))

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        return cls(bm25s.BM25.load(str(Path(directory) / BM25_DIR)))
