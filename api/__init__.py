"""ogp-kg's query stage: the build's composition, the query core, question answering, the HTTP app.

The public names below are imported on first use, so importing a submodule stays cheap.
"""
from __future__ import annotations

import importlib

_PUBLIC = {
    "Answer": "api.ask",
    "Asker": "api.ask",
    "Service": "api.core",
    "add_documents": "api.pipeline",
    "build_all": "api.pipeline",
    "create_app": "api.http",
    "list_documents": "api.pipeline",
    "remove_documents": "api.pipeline",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> object:
    """The public name ``name``, imported from its module on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
