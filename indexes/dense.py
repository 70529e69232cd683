"""faiss inner-product index over L2-normalised vectors: exact when small, HNSW when large."""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

EXACT_LIMIT = 20_000
INDEX_FILE = "dense.faiss"


class DenseIndex:
    """Vectors by row id; ``search`` returns (scores, ids) like faiss, -1 for missing."""

    def __init__(self, index: faiss.Index):
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray, *, exact_limit: int = EXACT_LIMIT, hnsw_m: int = 32) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        if len(vectors) <= exact_limit:
            index = faiss.IndexFlatIP(dim)
        else:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 64
        index.add(vectors)
        return cls(index)

    def extend(self, vectors: np.ndarray, *, exact_limit: int = EXACT_LIMIT) -> DenseIndex:
        """A new index: these vectors, then ``vectors`` added to a copy (rebuilt only when the exact
        index grows past ``exact_limit`` and becomes HNSW, as ``build`` would make it)."""
        if self.exact and len(self) + len(vectors) > exact_limit:
            return DenseIndex.build(np.vstack([self.index.reconstruct_n(0, len(self)), vectors]), exact_limit=exact_limit)
        index = faiss.clone_index(self.index)
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return DenseIndex(index)

    def __len__(self) -> int:
        return self.index.ntotal

    @property
    def exact(self) -> bool:
        return isinstance(self.index, faiss.IndexFlat)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, row indexes) of the ``k`` nearest vectors to each query row (``k`` clamped to 1..size)."""
        k = max(1, min(k, len(self)))
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def save(self, directory: Path) -> None:
        """Write the index into ``directory``."""
        faiss.write_index(self.index, str(Path(directory) / INDEX_FILE))

    @classmethod
    def load(cls, directory: Path) -> DenseIndex:
        return cls(faiss.read_index(str(Path(directory) / INDEX_FILE)))
