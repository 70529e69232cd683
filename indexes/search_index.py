"""``SearchIndex``: dense (faiss) + BM25 + fusion over passages, aggregated to commitments.

On disk (one directory, written all-or-nothing)::

    config.json      embedder, dim, passage count, passages hash, fusion settings
    passages.jsonl   the passages, row i = vector i
    vectors.npy      the passage vectors (reused by later builds: no re-embedding)
    dense.faiss      the faiss index
    bm25/            the BM25 index (term frequencies and vocabulary)
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ogp_graph.errors import InputError

from indexes.bm25 import BM25Index
from indexes.dense import DenseIndex
from indexes.embedders import DEFAULT_EMBEDDER, Embedder, get_embedder
from indexes.fusion import convex, rrf
from indexes.passages import Passage
from indexes.vector_cache import embed, text_key
from ogp_graph.text import detect_language

MODES = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 2000
#: Weight of BM25 in hybrid fusion, by query language (dense carries cross-lingual queries).
LEXICAL_WEIGHT = {"es": 1.0, "en": 0.25}

Progress = Callable[[Iterable, int, str], Iterable]
PASSAGES = "passages.jsonl"
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class Hit:
    """A commitment found by a search, with the passage that matched best."""

    commitment: str
    score: float
    passage: Passage


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` highest scores, best first (argpartition: no full sort)."""
    if n >= len(scores):
        return np.argsort(-scores)
    part = np.argpartition(-scores, n)[:n]
    return part[np.argsort(-scores[part])]


def _vectors(embedder: Embedder, passages: Sequence[Passage], reuse: SearchIndex | None,
             progress: Progress | None) -> np.ndarray:
    """The vectors of ``passages``: those of texts ``reuse`` or the vector cache has are copied, the
    others embedded (once per text) and kept in the cache."""
    known = {} if reuse is None else {text_key(embedder, p.text, "passage"): v for p, v in zip(reuse.passages, reuse.vectors)}
    return embed(embedder, [p.text for p in passages], kind="passage", known=known, progress=progress)


class SearchIndex:
    """Search commitments by meaning (dense), by words (BM25) or both (hybrid). ``fusion`` is
    "convex" (min-max weighted sum; best on benchmarks/search_questions.json) or "rrf"."""

    def __init__(self, passages: list[Passage], vectors: np.ndarray, dense: DenseIndex, bm25: BM25Index,
                 embedder: Embedder, *, vectors_version: str | None, fusion: str = "convex",
                 origin: tuple[Path, int] | None = None):
        self.passages, self.vectors, self.dense, self.bm25 = passages, vectors, dense, bm25
        self.embedder, self.fusion = embedder, fusion
        #: the embedder version that made ``vectors`` (None: unknown, an index saved before versions were kept)
        self.vectors_version = vectors_version
        self.origin = origin  # (a saved index, how many of the first passages are its passages)
        self.commitment_count = len({p.commitment for p in passages})

    # -- building and storing -----------------------------------------------------------------
    @classmethod
    def build(cls, passages: Sequence[Passage], embedder: str | Embedder = DEFAULT_EMBEDDER, *,
              reuse: SearchIndex | None = None, progress: Progress | None = None,
              fusion: str = "convex") -> SearchIndex:
        """Embed and index ``passages``; vectors of texts already in ``reuse`` are not recomputed.

        :raises ValueError: no passages.
        """
        if not passages:
            raise InputError("nothing to index: no passages")
        model = get_embedder(embedder) if isinstance(embedder, str) else embedder
        reused = reuse if reuse is not None and reuse.made_by(model) else None
        vectors = _vectors(model, passages, reused, progress)
        return cls(list(passages), vectors, DenseIndex.build(vectors), BM25Index.build([p.text for p in passages]),
                   model, vectors_version=model.version, fusion=fusion)

    def extend(self, passages: Sequence[Passage], *, progress: Progress | None = None) -> SearchIndex:
        """A new index: these passages, then ``passages``. Only texts not indexed yet are embedded,
        and only ``passages`` are added to faiss and BM25: the result equals ``build`` over all of them."""
        vectors = _vectors(self.embedder, passages, self, progress)
        return SearchIndex([*self.passages, *passages], np.vstack([self.vectors, vectors]),
                           self.dense.extend(vectors), self.bm25.extend([p.text for p in passages]), self.embedder,
                           fusion=self.fusion, origin=self.origin, vectors_version=self.vectors_version)

    def select(self, rows: Sequence[int]) -> SearchIndex:
        """A new index of the passages ``rows`` (in that order), nothing embedded or analysed again:
        equal to ``build`` over those passages.

        :raises ValueError: no rows.
        """
        if not len(rows):
            raise InputError("nothing to index: no passages")
        vectors = self.vectors[np.asarray(rows, dtype=np.int64)]
        return SearchIndex([self.passages[i] for i in rows], vectors, DenseIndex.build(vectors),
                           self.bm25.select(rows), self.embedder, fusion=self.fusion,
                           vectors_version=self.vectors_version)

    def made_by(self, embedder: Embedder) -> bool:
        """Whether the vectors are ``embedder``'s: the same name and model version (then reusable)."""
        return self.embedder.name == embedder.name and self.vectors_version == embedder.version

    def config(self) -> dict:
        """How the index was built, as saved in ``config.json``: embedder, dimension, passage count and
        SHA-256, fusion, exactness."""
        digest = hashlib.sha256("\n".join(f"{p.id}\t{p.text}" for p in self.passages).encode()).hexdigest()
        return {"embedder": self.embedder.name, "embedder_version": self.vectors_version,
                "dim": int(self.vectors.shape[1]), "passages": len(self.passages),
                "passages_sha256": digest, "fusion": self.fusion, "exact": self.dense.exact}

    def save(self, directory: str | Path) -> None:
        """Write the index to ``directory`` (replaced all at once; a failure leaves it as it was)."""
        directory = Path(directory)
        tmp = directory.with_name(f".{directory.name}-{uuid.uuid4().hex[:6]}")
        tmp.mkdir(parents=True)
        try:
            done = 0
            if self.origin and (self.origin[0] / PASSAGES).exists():  # its passages, then the appended ones
                shutil.copyfile(self.origin[0] / PASSAGES, tmp / PASSAGES)
                done = self.origin[1]
            with open(tmp / PASSAGES, "a", encoding="utf-8") as fh:
                fh.writelines(_ENCODE(p.to_dict()) + "\n" for p in self.passages[done:])
            np.save(tmp / "vectors.npy", self.vectors)
            self.dense.save(tmp)
            self.bm25.save(tmp)
            (tmp / "config.json").write_text(json.dumps(self.config(), indent=2), encoding="utf-8")
            if directory.exists():
                shutil.rmtree(directory)
            os.replace(tmp, directory)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: str | Path, *, embedder: str | None = None) -> SearchIndex:
        """Open a saved index; queries use the embedder that built it.

        :raises ValueError: ``embedder`` differs from the one that built the index.
        :raises FileNotFoundError: no index in ``directory``.
        """
        directory = Path(directory)
        if not (directory / "config.json").exists():
            raise FileNotFoundError(f"no search index in {directory}: run `ogp-kg build` first")
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        if embedder and get_embedder(embedder).name != config["embedder"]:
            raise InputError(f"the index was built with embedder {config['embedder']!r}, not {embedder!r}; "
                             f"rebuild with `ogp-kg build --embedder {embedder}` or query with {config['embedder']!r}")
        with open(directory / PASSAGES, encoding="utf-8") as fh:
            passages = [Passage(**d) for d in json.loads("[" + ",".join(fh) + "]")]
        return cls(passages, np.load(directory / "vectors.npy"), DenseIndex.load(directory), BM25Index.load(directory),
                   get_embedder(config["embedder"]), fusion=config.get("fusion", "convex"),
                   origin=(directory, len(passages)), vectors_version=config.get("embedder_version"))

    # -- searching ------------------------------------------------------------------------------
    def search(self, text: str, *, k: int = 10, mode: str = "hybrid") -> list[Hit]:
        """The ``k`` best commitments for ``text`` (see ``search_batch``)."""
        return self.search_batch([text], k=k, mode=mode)[0]

    def search_batch(self, texts: list[str], *, k: int = 10, mode: str = "hybrid") -> list[list[Hit]]:
        """Best commitments per query, each with its best passage; scores are comparable within a query.

        :raises ValueError: empty query, k < 1, unknown mode.
        """
        if mode not in MODES:
            raise InputError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise InputError(f"k must be a positive integer, not {k!r}")
        queries = [" ".join(t.split())[:MAX_QUERY_CHARS] if isinstance(t, str) else "" for t in texts]
        if any(not q for q in queries):
            raise InputError("empty query")
        k = min(k, self.commitment_count)
        depth = min(len(self.passages), max(50, 10 * k))
        dense_vectors = self.embedder.encode(queries, kind="query") if mode != "bm25" else None
        results = []
        for i, query in enumerate(queries):
            scores = self._passage_scores(query, None if dense_vectors is None else dense_vectors[i : i + 1], mode, depth)
            results.append(self._to_commitments(scores, k))
        return results

    def _passage_scores(self, query: str, vector: np.ndarray | None, mode: str, depth: int) -> dict[int, float]:
        if mode == "bm25":
            lexical = self.bm25.scores(query)
            return {int(i): float(lexical[i]) for i in _top(lexical, depth) if lexical[i] > 0}
        dense_scores, dense_ids = self.dense.search(vector, depth)
        if mode == "dense":
            return {int(i): float(s) for s, i in zip(dense_scores[0], dense_ids[0]) if i >= 0}
        lexical = self.bm25.scores(query)
        weight = LEXICAL_WEIGHT.get(detect_language(query), LEXICAL_WEIGHT["es"])
        if self.fusion == "convex":
            ids = np.array(sorted({int(i) for i in dense_ids[0] if i >= 0} | set(_top(lexical, depth).tolist())))
            dense_all = self.vectors[ids] @ vector[0]
            fused = convex([dense_all, lexical[ids]], [1.0, 0.5 * weight])
            return dict(zip(ids.tolist(), fused.tolist()))
        lexical_rank = np.array([i for i in _top(lexical, depth) if lexical[i] > 0], dtype=np.int64)
        return rrf([dense_ids[0][dense_ids[0] >= 0], lexical_rank], [1.0, weight])

    def _to_commitments(self, scores: dict[int, float], k: int) -> list[Hit]:
        best: dict[str, tuple[float, int]] = {}
        for i, s in scores.items():
            c = self.passages[i].commitment
            if c not in best or s > best[c][0]:
                best[c] = (s, i)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:k]
        return [Hit(c, round(s, 6), self.passages[i]) for c, (s, i) in ranked]
