"""ogp-kg's graph stage: documents → commitments → mentions → RDF, and the store.

The public names below are imported on first use, so importing a submodule stays cheap.
"""
from __future__ import annotations

import importlib

_PUBLIC = {
    "GraphStore": "ogp_graph.store",
    "OgpKgError": "ogp_graph.errors",
    "countries": "ogp_graph.countries",
    "describe": "ogp_graph.metadata",
    "find": "ogp_graph.segment",
    "load_document": "ogp_graph.readers",
    "open_graph": "ogp_graph.store",
    "open_store": "ogp_graph.store",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> object:
    """The public name ``name``, imported from its module on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
