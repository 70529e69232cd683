"""ogp-kg's search stage: embedders, faiss, BM25 and their fusion over the graph's passages.

The public names below are imported on first use, so importing a submodule stays cheap.
"""
from __future__ import annotations

import importlib

_PUBLIC = {
    "DEFAULT_EMBEDDER": "indexes.embedders",
    "Hit": "indexes.search_index",
    "SearchIndex": "indexes.search_index",
    "get_embedder": "indexes.embedders",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> object:
    """The public name ``name``, imported from its module on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
