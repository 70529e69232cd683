"""Passage vectors kept across builds and data directories: a text embedded once by a model is
never embedded again by that model, whichever library it is built into.

One SQLite file, ``vectors.sqlite3``, in ``$OGP_KG_CACHE`` (default: the platform's user cache
directory for ogp-kg; ``OGP_KG_CACHE=off`` turns the cache off). Rows are keyed by a hash of
(embedder name, model version, query or passage, text) and hold float32 vectors. Several processes may read and write it at once
(SQLite's own locking, WAL journal). The cache only ever saves work: when it cannot be opened,
read or written, the vectors are computed as if it were empty and a warning is logged once.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import platformdirs

from indexes.embedders import Embedder, Kind

FILE = "vectors.sqlite3"
_LOG = logging.getLogger(__name__)


class VectorCache:
    """Vectors by key in one SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
                self._db = db
            except (OSError, sqlite3.Error) as exc:
                self._fail(exc)
        return self._db

    def _fail(self, exc: Exception) -> None:
        _LOG.warning("vector cache %s not used: %s", self.path, exc)
        self._broken, self._db = True, None

    def get(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """The cached vectors of ``keys`` (absent keys are left out)."""
        keys = list(dict.fromkeys(keys))
        db = self._connection()
        if db is None or not keys:
            return {}
        found: dict[str, np.ndarray] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                rows = db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        """Keep ``vectors`` (float32 rows by key), replacing what a key held (a damaged vector is mended)."""
        db = self._connection()
        if db is None or not vectors:
            return
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self._fail(exc)


@lru_cache(maxsize=4)
def _cache_at(path: Path) -> VectorCache:
    return VectorCache(path)


def vector_cache() -> VectorCache | None:
    """The cache named by ``$OGP_KG_CACHE`` (default: the user cache directory), None when it is ``off``."""
    setting = os.environ.get("OGP_KG_CACHE", "").strip()
    if setting.lower() == "off":
        return None
    directory = Path(setting).expanduser() if setting else Path(platformdirs.user_cache_dir("ogp-kg"))
    return _cache_at(directory / FILE)


def text_key(embedder: Embedder, text: str, kind: Kind) -> str:
    """The key of ``text``'s vector by ``embedder`` as a query or a passage."""
    return hashlib.sha1(f"{embedder.name}\0{embedder.version}\0{kind}\0{text}".encode()).hexdigest()


def embed(embedder: Embedder, texts: Sequence[str], *, kind: Kind,
          known: Mapping[str, np.ndarray] | None = None,
          progress: Callable[[Iterable, int, str], Iterable] | None = None, batch: int = 64) -> np.ndarray:
    """The ``(len(texts), dim)`` float32 vectors of ``texts``: those in ``known`` (by ``text_key``) or
    in the cache are copied, the others embedded once per distinct text (in batches, shown by
    ``progress`` as "embedding") and kept in the cache. When every vector is found the model is not
    loaded; cached vectors of another length than the others (a damaged cache) are embedded again."""
    keys = [text_key(embedder, t, kind) for t in texts]
    found = dict(known or {})
    cache = vector_cache()
    if cache is not None:
        found.update(cache.get(k for k in keys if k not in found))
    lengths = [v.shape for v in found.values()]
    usual = max(set(lengths), key=lengths.count) if lengths else None
    found = {k: v for k, v in found.items() if v.shape == usual}
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
    batches = range(0, len(missing), batch)
    if progress:
        batches = progress(batches, len(batches), "embedding")
    fresh: dict[str, np.ndarray] = {}
    for i in batches:
        part = missing[i : i + batch]
        fresh.update(zip((k for k, _ in part), embedder.encode([t for _, t in part], kind=kind)))
    if cache is not None:
        cache.put(fresh)
    found.update(fresh)
    if not keys:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack([found[k] for k in keys]).astype(np.float32)
