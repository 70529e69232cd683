"""The on-disk store: builds are written into a fresh directory, then published atomically.

Layout of the data directory::

    DATA_DIR/
      current -> builds/20261124T150102-3f9a   (symlink, swapped atomically)
      builds/<id>/store/      pyoxigraph store (RocksDB)
      builds/<id>/manifest.json
      builds/<id>/...         later stages (search index) add their files here
      .lock                   held by the one process that builds

Readers open ``current`` read-only; a build never touches a published directory, so a
failed or interrupted build leaves the previous data as it was.

Everything after the build reads the graph through one interface, ``GraphStore``. It has two
adapters, chosen in one place (``open_build_store``, from the build's manifest): the embedded
``pyoxigraph.Store`` itself, and ``ogp_graph.remote.RemoteStore`` for a build published to a SPARQL
server. ``tests/test_store_contract.py`` runs the same contract on both.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO, runtime_checkable

import platformdirs
import pyoxigraph

from ogp_graph.errors import StoreError
from ogp_graph.layout import MANIFEST, STORE_DIR

if TYPE_CHECKING:
    import rdflib

UPDATES_LOG = "updates.rq"  # SPARQL updates applied to a published build (write mode), in order
READERS = ".readers"  # a reader holds a shared lock on it; a publish deletes only builds nobody holds


@runtime_checkable
class GraphStore(Protocol):
    """What ogp-kg asks of a store holding a published graph; both adapters give the same answers
    (``tests/test_store_contract.py``). Failures raise ``StoreError``; malformed SPARQL ``SyntaxError``."""

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, custom_functions: dict | None = None,
              base_iri: str | None = None, default_graph: list | None = None,
              named_graphs: list | None = None) -> object:
        """SELECT solutions (iterable, with ``variables``), an ASK ``QueryBoolean``, or the
        ``Triple`` objects of a CONSTRUCT/DESCRIBE."""

    def update(self, update: str, *, prefixes: dict[str, str] | None = None) -> None:
        """Apply a SPARQL 1.1 Update."""

    def dump(self, output: None = None, format: pyoxigraph.RdfFormat = ..., *,
             from_graph: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph | None = None,
             prefixes: dict[str, str] | None = None) -> bytes | None:
        """One graph serialised as ``format``: the default graph unless ``from_graph`` names another."""

    def quads_for_pattern(self, subject: object, predicate: object, object: object,
                          graph_name: object = None) -> Iterator[pyoxigraph.Quad]:
        """The quads matching the pattern; ``None`` matches anything, ``graph_name=None`` every graph."""

    def flush(self) -> None:
        """Make the writes so far durable."""

    def __len__(self) -> int:
        """The number of quads in every graph."""


def default_data_dir() -> Path:
    """``$OGP_KG_HOME`` if set, else the platform's user data directory for ogp-kg."""
    home = os.environ.get("OGP_KG_HOME")
    return Path(home).expanduser() if home else Path(platformdirs.user_data_dir("ogp-kg"))


def current_build(data_dir: Path | str | None = None) -> Path:
    """The published build directory.

    :raises StoreError: nothing has been built in ``data_dir`` yet.
    """
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    link = data_dir / "current"
    if not link.exists():
        raise StoreError(f"no graph in {data_dir}: run `ogp-kg build` first")
    return link.resolve()


def open_store(data_dir: Path | str | None = None) -> GraphStore:
    """The published store: opened read-only (safe while another process builds), or the remote
    SPARQL store the build was published to (a ``RemoteStore``)."""
    return open_build_store(current_build(data_dir))


def open_build_store(build: Path, *, writable: bool = False) -> GraphStore:
    """The store of the build directory ``build``: the remote SPARQL store its manifest names, else the
    embedded store, read-only unless ``writable`` (then this process must be its one writer).

    :raises StoreError: the embedded store cannot be opened (missing, or another writer holds it).
    """
    remote = read_manifest(build).get("remote_store") if (build / MANIFEST).exists() else None
    if remote:
        from ogp_graph.remote import RemoteStore

        return RemoteStore(remote)
    path = build / STORE_DIR
    try:
        return pyoxigraph.Store(str(path)) if writable else pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        what = "for writing (is another writer running?)" if writable else f"in {path}"
        raise StoreError(f"cannot open the store {what}: {exc}") from exc


def open_graph(data_dir: Path | str | None = None) -> rdflib.Graph:
    """The published graph as an ``rdflib.Graph`` backed by Oxigraph (read-only use)."""
    import rdflib
    from oxrdflib import OxigraphStore

    return rdflib.Graph(store=OxigraphStore(store=open_store(data_dir)))


def read_manifest(build_dir: Path) -> dict:
    """The manifest written with a build (documents, counts, validation)."""
    return json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))


def hold_build(build: Path) -> TextIO:
    """Keep ``build`` from being deleted by a publish while the returned file stays open (close it to let go)."""
    handle = open(build / READERS, "a")
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def _unheld(build: Path) -> bool:
    try:
        with open(build / READERS, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except BlockingIOError:
        return False
    except OSError:
        return True


@contextlib.contextmanager
def new_build(data_dir: Path | str | None = None) -> Iterator[Path]:
    """A fresh build directory, published as ``current`` when the block succeeds.

    Holds an exclusive lock for the duration; on any exception the new directory is removed
    and ``current`` is untouched.

    :raises StoreError: another process is building in the same data directory.
    """
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    builds = data_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"another build is running in {data_dir}") from exc
        link = data_dir / "current"
        if link.exists() and (link.resolve() / UPDATES_LOG).exists():
            raise StoreError(f"the published graph has SPARQL updates a rebuild would drop "
                             f"({link.resolve() / UPDATES_LOG}): export them, then delete that file to rebuild")
        build = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        build.mkdir()
        try:
            yield build
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        _publish(data_dir, build)


def _publish(data_dir: Path, build: Path) -> None:
    link, tmp = data_dir / "current", data_dir / f".current-{uuid.uuid4().hex[:6]}"
    previous = link.resolve() if link.exists() else None
    os.symlink(os.path.relpath(build, data_dir), tmp)
    os.replace(tmp, link)
    for path in (data_dir / "builds").iterdir():  # keep the new build, the one it replaces, and those read
        if path not in (build, previous) and _unheld(path):
            shutil.rmtree(path, ignore_errors=True)
