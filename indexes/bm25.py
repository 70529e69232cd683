"""BM25 over Spanish text: accent folding, Spanish stopwords, Snowball stemming.

The index keeps term frequencies, not scores: idf and length normalisation are applied when a
query is scored, so passages can be appended (``extend``) or dropped (``select``) without
touching the others, and the result always equals an index built from scratch over the same
passages (Lucene's BM25: k1 = 1.5, b = 0.75, as bm25s scores it).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from ogp_graph.text import match_form

BM25_DIR = "bm25"
K1, B = 1.5, 0.75
_TOKEN = re.compile(r"\w\w+")
_EMPTY = "_"  # the one term of a passage with no index term (as bm25s does)


@lru_cache(maxsize=1)
def _analyzer():
    stemmer = Stemmer.Stemmer("spanish")
    stop = {match_form(w) for w in bm25s.stopwords.STOPWORDS_SPANISH} | set(bm25s.stopwords.STOPWORDS_EN)
    return stemmer, frozenset(stop)


def analyze(text: str) -> list[str]:
    """The index terms of ``text``: folded, stopwords removed, stemmed."""
    stemmer, stop = _analyzer()
    return stemmer.stemWords([t for t in _TOKEN.findall(match_form(text)) if t not in stop])


class BM25Index:
    """Lexical scores for a list of passages (row ids as in the dense index): per passage its
    term frequencies (CSR: ``indptr``, ``terms``, ``tf``) and length; ``vocab`` maps a term to its id."""

    def __init__(self, vocab: dict[str, int], indptr: np.ndarray, terms: np.ndarray, tf: np.ndarray):
        self.vocab, self.indptr, self.terms, self.tf = vocab, indptr, terms, tf
        self.lengths = np.add.reduceat(tf, indptr[:-1]).astype(np.float64) if len(tf) else np.zeros(0)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def build(cls, texts: Sequence[str]) -> BM25Index:
        """The index of ``texts``."""
        return cls({}, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
                   ).extend(texts)

    def extend(self, texts: Sequence[str]) -> BM25Index:
        """A new index: these passages and then ``texts`` (only ``texts`` are analysed)."""
        vocab = dict(self.vocab)
        counts = [Counter(analyze(t) or [_EMPTY]) for t in texts]
        terms = [vocab.setdefault(term, len(vocab)) for c in counts for term in c]
        tf = [n for c in counts for n in c.values()]
        sizes = np.fromiter((len(c) for c in counts), dtype=np.int64, count=len(counts))
        return BM25Index(vocab, np.concatenate([self.indptr, self.indptr[-1] + np.cumsum(sizes)]),
                         np.concatenate([self.terms, np.asarray(terms, dtype=np.int32)]),
                         np.concatenate([self.tf, np.asarray(tf, dtype=np.float32)]))

    def select(self, rows: Sequence[int]) -> BM25Index:
        """A new index of the passages ``rows`` (in that order); terms no passage keeps are dropped."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        sizes = ends - starts
        picked = np.repeat(starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes) + np.arange(sizes.sum())
        kept = np.unique(self.terms[picked])
        renumber = np.full(len(self.vocab), -1, dtype=np.int32)
        renumber[kept] = np.arange(len(kept), dtype=np.int32)
        names = self._names()
        return BM25Index({names[t]: i for i, t in enumerate(kept.tolist())},
                         np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
                         renumber[self.terms[picked]], self.tf[picked])

    def _names(self) -> list[str]:
        names = [""] * len(self.vocab)
        for term, i in self.vocab.items():
            names[i] = term
        return names

    @cached_property
    def _postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per term: the rows it occurs in and its frequencies there (CSC of the same matrix)."""
        order = np.argsort(self.terms, kind="stable")
        rows = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))[order]
        starts = np.searchsorted(self.terms[order], np.arange(len(self.vocab) + 1))
        return starts, rows, self.tf[order]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros when no term is known)."""
        out = np.zeros(len(self), dtype=np.float64)
        ids = [self.vocab[t] for t in analyze(query) if t in self.vocab]
        if ids:
            starts, rows, tf = self._postings
            n, mean_length = len(self), self.lengths.mean()
            for t in ids:
                r, f = rows[starts[t] : starts[t + 1]], tf[starts[t] : starts[t + 1]].astype(np.float64)
                idf = np.log(1 + (n - len(r) + 0.5) / (len(r) + 0.5))
                out[r] += idf * f / (K1 * ((1 - B) + B * self.lengths[r] / mean_length) + f)
        return out.astype(np.float32)

    def save(self, directory: Path) -> None:
        """Write the index into ``directory``."""
        folder = Path(directory) / BM25_DIR
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "tf.npz", indptr=self.indptr, terms=self.terms, tf=self.tf)
        (folder / "vocab.json").write_text(json.dumps(self._names(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        """The index saved in ``directory``.

        :raises FileNotFoundError: no index there (or one of an older format).
        """
        folder = Path(directory) / BM25_DIR
        arrays = np.load(folder / "tf.npz")
        names = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        return cls({t: i for i, t in enumerate(names)}, arrays["indptr"], arrays["terms"], arrays["tf"])
