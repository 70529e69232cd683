"""Shared fixtures: the bundled report, ../shared when present, one graph built per session."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=r"\[W095\]")

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


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The bundled report built once (graph stage + publish) into a temporary data dir."""
    from api.pipeline import build_all

    data_dir = tmp_path_factory.mktemp("ogp-kg-home")
    summary = build_all(data_dir=data_dir)
    return data_dir, summary


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
