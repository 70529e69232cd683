"""The document library of a data directory: what is in it, the kept sources, the extraction cache.

::

    DATA_DIR/
      library/sources/<sha256>/<name>      a copy of every document added (content-addressed)
      cache/<pipeline version>/<key>/      one document's extraction: graph.nt, graph.ttl, graph.jsonld
                                           (its node objects, compacted), passages.jsonl,
                                           record.json (what was found, SHACL result)

The list of documents itself is ``library.json`` inside each build (``BuildLayout.library``), so
it is published with the graph by the same atomic swap. A cache entry is keyed by the document's
content hash and the country it was read with, under the pipeline version: a change of the
extractor's code or data starts a new cache, never a stale hit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ogp_graph.errors import DocumentError, StoreError
from ogp_graph.layout import BuildLayout

#: Bump when the graph a document yields changes in a way the code hash does not show.
PIPELINE_SCHEMA = "1"


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """``PIPELINE_SCHEMA`` and a hash of the extractor's code and data (``ogp_graph`` and the
    ontology): a new version whenever any of them changes."""
    digest = hashlib.sha256(PIPELINE_SCHEMA.encode())
    for package in ("ogp_graph", "ontology"):
        root = Path(str(resources.files(package)))
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return f"{PIPELINE_SCHEMA}-{digest.hexdigest()[:12]}"


def file_sha256(path: Path) -> str:
    """The content hash a document is known by in the library.

    :raises DocumentError: missing or unreadable file.
    """
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot read ({exc.strerror})") from exc


@dataclass(frozen=True)
class Entry:
    """One document of the library: its identity, what it is, what was found in it, when added."""

    sha256: str
    source: str
    country: str
    language: str
    plan: str
    period: str
    genre: str
    layout: str
    counts: dict[str, int]
    added: str
    read_as: str | None = None  # the --country it was read with, if any
    stored: str = ""  # the kept copy, relative to the data directory

    @property
    def id(self) -> str:
        """Short id shown by ``ogp-kg list`` (a prefix of the content hash)."""
        return self.sha256[:12]

    def to_dict(self) -> dict:
        """The entry as plain JSON-ready data, with its ``id``."""
        return {"id": self.id, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        return cls(**{k: v for k, v in data.items() if k != "id"})


def now() -> str:
    """The current UTC time, as entries record it."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def read_entries(layout: BuildLayout) -> list[Entry]:
    """The library published with a build (in the order documents were added).

    :raises StoreError: the build predates the library (rebuild it with ``ogp-kg build``).
    """
    if not layout.library.exists():
        raise StoreError(f"the build in {layout.root} has no document library; run `ogp-kg build` once")
    return [Entry.from_dict(d) for d in json.loads(layout.library.read_text(encoding="utf-8"))["documents"]]


def entries_json(entries: list[Entry]) -> str:
    """``library.json`` for ``entries``."""
    return json.dumps({"pipeline": pipeline_version(), "documents": [e.to_dict() for e in entries]},
                      ensure_ascii=False, indent=2)


def find_entries(entries: list[Entry], ref: str) -> list[Entry]:
    """The entries ``ref`` names: a file (by content), an id or hash prefix (6+ hex digits), or a
    source name.

    :raises DocumentError: ``ref`` names no document of the library.
    """
    path = Path(ref)
    if path.is_file():
        sha = file_sha256(path)
        found = [e for e in entries if e.sha256 == sha]
    elif re.fullmatch(r"[0-9a-f]{6,64}", ref.lower()):
        found = [e for e in entries if e.sha256.startswith(ref.lower())]
    else:
        found = [e for e in entries if e.source == ref or Path(e.source).name == ref]
    if not found:
        raise DocumentError(ref, "not in the library (see `ogp-kg list`)")
    return found


@dataclass(frozen=True)
class CachedDocument:
    """One document's extraction as the cache holds it: its graph (``graph.nt``, ``.ttl``,
    ``.jsonld`` in ``directory``), passages and record."""

    directory: Path
    record: dict = field(hash=False)

    @property
    def graph(self) -> Path:
        """N-Triples of the document's share of the graph (shared entities included)."""
        return self.directory / "graph.nt"

    @property
    def passages(self) -> Path:
        """Its search passages, one JSON object a line."""
        return self.directory / "passages.jsonl"



class Library:
    """Kept sources and the extraction cache of ``data_dir``."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.cache_dir = self.data_dir / "cache" / pipeline_version()
        self.sources_dir = self.data_dir / "library" / "sources"

    @staticmethod
    def key(sha256: str, country: str | None, scope: str = "") -> str:
        """The cache entry of a document read with ``country`` (None: detected) and IRI ``scope``."""
        return f"{sha256}-{(country or 'auto').upper()}" + (f"-{scope}" if scope else "")

    def cached(self, sha256: str, country: str | None, scope: str = "") -> CachedDocument | None:
        """The cached extraction of the document, if this pipeline version made one."""
        directory = self.cache_dir / self.key(sha256, country, scope)
        record = directory / "record.json"
        if not record.exists():
            return None
        return CachedDocument(directory, json.loads(record.read_text(encoding="utf-8")))

    def staging(self) -> Path:
        """A fresh directory to write one extraction into before ``commit``."""
        path = self.cache_dir / f".tmp-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        return path

    def commit(self, staging: Path, sha256: str, country: str | None, scope: str, record: dict) -> CachedDocument:
        """Move a complete extraction from ``staging`` into the cache (all or nothing)."""
        (staging / "record.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        target = self.cache_dir / self.key(sha256, country, scope)
        if target.exists():
            shutil.rmtree(staging)
        else:
            os.replace(staging, target)
        return CachedDocument(target, record)

    def keep_source(self, path: Path, sha256: str) -> str:
        """Copy ``path`` into the kept sources (once per content); its path relative to the data dir."""
        target = self.sources_dir / sha256 / Path(path).name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}-{uuid.uuid4().hex[:6]}")
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
        return str(target.relative_to(self.data_dir))

    def source_path(self, entry: Entry) -> Path:
        """The kept copy of ``entry``'s document."""
        return self.data_dir / entry.stored

    def prune(self, keep: set[str]) -> None:
        """Delete the kept sources whose hash is not in ``keep`` and the caches of other pipeline
        versions (the current cache stays whole: a document removed and added again is not re-read)."""
        for folder in [*self.sources_dir.glob("*"), *self.cache_dir.parent.glob("*")]:
            if folder.name not in keep and folder != self.cache_dir:
                shutil.rmtree(folder, ignore_errors=True)
