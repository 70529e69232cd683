"""Atomic publication of builds, locking, and the read-only store."""
import fcntl

import pyoxigraph
import pytest

from ogp_graph.errors import StoreError
from ogp_graph.store import current_build, new_build, open_store


def _write(build_dir, value: str) -> None:
    store = pyoxigraph.Store(str(build_dir / "store"))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("urn:x"), pyoxigraph.NamedNode("urn:v"), pyoxigraph.Literal(value)))
    store.flush()


def _value(data_dir) -> str:
    return next(iter(open_store(data_dir).query("SELECT ?v WHERE { <urn:x> <urn:v> ?v }")))["v"].value


def test_failed_build_leaves_published_data_untouched(tmp_path):
    with new_build(tmp_path) as build_dir:
        _write(build_dir, "first")
    published = current_build(tmp_path)
    with pytest.raises(RuntimeError):
        with new_build(tmp_path) as build_dir:
            _write(build_dir, "half-written")
            raise RuntimeError("extraction failed")
    assert current_build(tmp_path) == published
    assert _value(tmp_path) == "first"
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == [published.name]


def test_rebuild_swaps_and_keeps_one_previous(tmp_path):
    for value in ("a", "b", "c"):
        with new_build(tmp_path) as build_dir:
            _write(build_dir, value)
    assert _value(tmp_path) == "c"
    assert len(list((tmp_path / "builds").iterdir())) == 2


def test_second_writer_is_refused(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another build"):
            with new_build(tmp_path):
                pass


def test_no_build_yet(tmp_path):
    with pytest.raises(StoreError, match="run `ogp-kg build` first"):
        open_store(tmp_path)
