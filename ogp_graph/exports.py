"""A package's public names, imported on first use (PEP 562), so importing a submodule stays cheap."""
from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, public: Mapping[str, str]) -> tuple[Callable[[str], object], list[str]]:
    """``(__getattr__, __all__)`` for ``package``: each name of ``public`` (name → module) is
    imported from its module the first time it is asked for.

    The returned ``__getattr__`` raises ``AttributeError`` for any other name.
    """
    def __getattr__(name: str) -> object:
        if name not in public:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(public[name]), name)

    return __getattr__, sorted(public)
