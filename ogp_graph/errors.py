"""Errors a user can act on; the CLI prints them as one line, never a traceback."""
from pathlib import Path


class OgpKgError(Exception):
    """Base class of the errors ogp-kg reports to users."""


class DocumentError(OgpKgError):
    """A document cannot be used: the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


class StoreError(OgpKgError):
    """The store is missing, locked or incompatible."""


class InputError(OgpKgError, ValueError):
    """An argument the user can fix (an empty search, an unknown mode, format or embedder): one
    line in the CLI, a 400 over HTTP. Still a ``ValueError`` for callers that catch those."""
