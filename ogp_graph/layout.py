"""The shape of a build directory: every path inside it, in one place.

::

    builds/<id>/
      store/            pyoxigraph store: the extracted graph (default graph) and the
                        cross-document links (named graph ``ogpid:graph/links``); a change of
                        the library copies the published one and applies only its delta
      manifest.json     what the build produced (summary, index config, remote store)
      library.json      the documents of the library, with what was found in each
      index/            the search index (passages, vectors, faiss, BM25)
      links.tsv         the link stage's output: similar commitments across plans (source,
                        target, score; tab-separated), which the next change updates
      data/             open-data dumps and their VoID description
      shacl-report.txt  written only when a document's graph violates the shapes

Only the build stages (``api.pipeline``) write into a build directory; readers open it through
these paths.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STORE_DIR = "store"
MANIFEST = "manifest.json"
LIBRARY = "library.json"
INDEX_DIR = "index"
LINKS = "links.tsv"
DUMPS_DIR = "data"
SHACL_REPORT = "shacl-report.txt"


@dataclass(frozen=True)
class BuildLayout:
    """The paths of one build directory ``root`` (nothing is created by asking)."""

    root: Path

    @property
    def store(self) -> Path:
        return self.root / STORE_DIR

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def library(self) -> Path:
        return self.root / LIBRARY

    @property
    def index(self) -> Path:
        return self.root / INDEX_DIR

    @property
    def links(self) -> Path:
        return self.root / LINKS

    @property
    def dumps(self) -> Path:
        return self.root / DUMPS_DIR

    @property
    def shacl_report(self) -> Path:
        return self.root / SHACL_REPORT
