"""Load: 50 concurrent clients against ``/sparql`` (simple SELECT), ``/search`` and ``/ask`` of
``ogp-kg serve`` on the bundled graph, and, in the same run on the same store and load, against two
baselines: a bare Oxigraph server (``oxigraph serve-read-only``) and a bare ASGI app calling
pyoxigraph (``bare_asgi`` below, under uvicorn with the options ``ogp-kg serve`` uses —
httptools, uvloop, no access log, no proxy headers, no ``server`` header — and the same number of worker processes),
with wrk.

Two views of ogp-kg: "repeated" — every client sends the same request, as wrk does, so a
deterministic SELECT is answered from the answer kept for that request on that build, a search or
question from the per-build memo; and "evaluated" — a second ogp-kg server with
``OGP_KG_MAX_KEPT_ANSWER=0`` (the SELECT runs on the store for every request, like the baselines),
and /search and /ask with a different text in every request (``DISTINCT_LUA``: the embedding and
the asker run every time). wrk's timeout is the service's deadline (10 s): a request counts as an
error when it fails or passes the deadline, not when it waits in a queue for 2 s.

Robust to a shared machine: ``--rounds`` rounds (default 3), each running every contender for
``--duration`` seconds (default 5) in turn, so that a change of load hits all of them alike; each
figure is the median over the rounds, each ratio the median of the per-round ratios, with the load
average printed; each run starts when the four servers are idle (``settle``).

Run: ``python benchmarks/service_load.py [--rounds 3] [--duration 5] [--workers 2] [--data-dir DIR]
[--sparql-only]`` (needs ``wrk`` and the ``oxigraph`` CLI from ``pip install oxigraph``; without
``--data-dir`` it builds the bundled report first). Targets: /sparql ≥ 0.6× bare Oxigraph and ≥ 0.9× bare ASGI; 0 errors.
Keep runs short on a shared machine (each wrk run lasts ``--duration`` seconds).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

SEARCH = "compras públicas transparentes"
ASK = "¿Qué compromisos están a cargo del MINFIN?"
SELECT = "SELECT ?n ?t WHERE { ?c <https://w3id.org/ogp-kg/ontology#commitmentNumber> ?n ; " \
         "<http://purl.org/dc/terms/title> ?t } LIMIT 5"
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""

#: a different request each time: ``NNN`` in the path becomes a counter (one range per wrk thread)
DISTINCT_LUA = """
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
init = function(args) n = id * 1000000 end
request = function()
  n = n + 1
  return wrk.format(nil, (string.gsub(wrk.path, "NNN", tostring(n))))
end
""" + LUA


def bare_asgi():
    """The second baseline: an ASGI app that runs ``?query=`` on the read-only store and answers JSON."""
    from urllib.parse import parse_qs

    import pyoxigraph

    store = pyoxigraph.Store.read_only(os.environ["BARE_STORE"])

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        query = parse_qs(scope["query_string"].decode())["query"][0]
        body = store.query(query).serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/sparql-results+json")]})
        await send({"type": "http.response.body", "body": body})

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, seconds: float = 240) -> None:
    import httpx

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, duration: int, connections: int, script: Path, accept: str) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
                          "-H", f"Accept: {accept}", url], capture_output=True, text=True, check=True).stdout
    requests, errors, micros, p50, p95, p99 = re.search(r"RESULT (\d+) (\d+) (\d+) (\S+) (\S+) (\S+)", out).groups()
    return {"rps": int(requests) / (int(micros) / 1e6), "errors": int(errors), "p50": float(p50),
            "p95": float(p95), "p99": float(p99)}


#: the bare ASGI baseline runs under the same uvicorn options as ``ogp-kg serve`` (``api.server.UVICORN_OPTIONS``)
BARE_UVICORN = ["--http", "httptools", "--loop", "uvloop", "--log-level", "warning", "--no-access-log",
                "--no-proxy-headers", "--no-server-header"]


def contenders(ports: dict[str, int], script: Path, distinct: Path, *, sparql_only: bool) -> dict[str, tuple]:
    """name → (url, Accept, wrk script) for every measured run, in the order of a round (the evaluated
    /sparql right after the two baselines it is compared with)."""
    json_results = "application/sparql-results+json"
    ours, evaluated = f"http://127.0.0.1:{ports['ours']}", f"http://127.0.0.1:{ports['evaluated']}"
    runs = {
        "oxigraph /query (bare)": (f"http://127.0.0.1:{ports['oxigraph']}/query?query={quote(SELECT)}", json_results,
                                   script),
        "bare ASGI + pyoxigraph": (f"http://127.0.0.1:{ports['asgi']}/?query={quote(SELECT)}", json_results, script),
        "ogp-kg /sparql evaluated": (f"{evaluated}/sparql?query={quote(SELECT)}", json_results, script),
        "ogp-kg /sparql repeated": (f"{ours}/sparql?query={quote(SELECT)}", json_results, script),
    }
    if not sparql_only:
        runs |= {
            "ogp-kg /search repeated": (f"{ours}/search?q={quote(SEARCH)}&k=5", "application/json", script),
            "ogp-kg /search distinct": (f"{ours}/search?q={quote(SEARCH)}%20NNN&k=5", "application/json", distinct),
            "ogp-kg /ask repeated": (f"{ours}/ask?q={quote(ASK)}", "application/json", script),
            "ogp-kg /ask distinct": (f"{ours}/ask?q={quote(ASK)}%20NNN", "application/json", distinct),
        }
    return runs


def settle(pids: list[int], *, seconds: float = 20) -> None:
    """Wait (at most ``seconds``) until the servers ``pids`` and their workers are idle: a run's
    backlog (a question or a search still being answered after wrk stops) must not load the next."""
    import psutil

    def used() -> float:
        total = 0.0
        for pid in pids:
            with contextlib.suppress(psutil.NoSuchProcess):
                root = psutil.Process(pid)
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += sum(p.cpu_times()[:2])
        return total

    deadline = time.time() + seconds
    while time.time() < deadline:
        before = used()
        time.sleep(0.5)
        if used() - before < 0.05:
            return


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each runs every contender once, in turn")
    parser.add_argument("--data-dir", type=Path, help="an existing ogp-kg data dir (default: build the bundled report)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sparql-only", action="store_true", help="skip /search and /ask")
    args = parser.parse_args()
    for tool in ("wrk", "oxigraph"):
        if not shutil.which(tool):
            sys.exit(f"needs {tool!r} on PATH (apt-get install wrk; pip install oxigraph)")
    with tempfile.TemporaryDirectory() as tmp:
        home = args.data_dir or Path(tmp) / "home"
        env = {**os.environ, "OGP_KG_HOME": str(home)}
        if not args.data_dir:
            subprocess.run([sys.executable, "-m", "api.cli", "build"], env=env, check=True, capture_output=True)
        script, distinct = Path(tmp) / "report.lua", Path(tmp) / "distinct.lua"
        script.write_text(LUA)
        distinct.write_text(DISTINCT_LUA)
        ports = {name: free_port() for name in ("ours", "evaluated", "oxigraph", "asgi")}
        store = str((home / "current").resolve() / "store")
        serve = [sys.executable, "-m", "api.cli", "serve", "--workers", str(args.workers), "--port"]
        servers = [
            subprocess.Popen([*serve, str(ports["ours"])], env=env),
            subprocess.Popen([*serve, str(ports["evaluated"])], env={**env, "OGP_KG_MAX_KEPT_ANSWER": "0"}),
            subprocess.Popen(["oxigraph", "serve-read-only", "--location", store,
                              "--bind", f"127.0.0.1:{ports['oxigraph']}"], stderr=subprocess.DEVNULL),
            subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "benchmarks.service_load:bare_asgi",
                              "--port", str(ports["asgi"]), "--workers", str(args.workers), *BARE_UVICORN],
                             env={**env, "BARE_STORE": store}),
        ]
        try:
            for name in ("ours", "evaluated"):
                wait_up(f"http://127.0.0.1:{ports[name]}/health")
            wait_up(f"http://127.0.0.1:{ports['oxigraph']}/query?query={quote('ASK {}')}")
            wait_up(f"http://127.0.0.1:{ports['asgi']}/?query={quote('ASK {}')}")
            runs = contenders(ports, script, distinct, sparql_only=args.sparql_only)
            # warm every worker: a query is measured in a pool worker once, then known cheap
            for _ in range(20):
                for url, accept, _lua in runs.values():
                    subprocess.run(["curl", "-s", "-o", "/dev/null", "-H", f"Accept: {accept}",
                                    url.replace("NNN", "0")], check=False)
            load = os.getloadavg()
            rounds = []
            for _ in range(args.rounds):
                measured = {}
                for name, (url, accept, lua) in runs.items():
                    settle([server.pid for server in servers])
                    measured[name] = wrk(url, args.duration, args.connections, lua, accept)
                rounds.append(measured)
            after = os.getloadavg()
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=20)
    print(f"{args.connections} clients; {args.rounds} rounds × {args.duration} s per contender, contenders in turn "
          f"within each round; median over rounds. ogp-kg and bare ASGI with {args.workers} uvicorn workers each "
          f"(same uvicorn options; ogp-kg: + 2 query processes per worker, idle here), Oxigraph multi-threaded; "
          f"{os.cpu_count()} cores; load average (1 min) before {load[0]:.2f}, after {after[0]:.2f}")
    for name in rounds[0]:
        r = {key: median([one[name][key] for one in rounds]) for key in ("rps", "p50", "p95", "p99")}
        errors = sum(one[name]["errors"] for one in rounds)
        spread = ", ".join(f"{one[name]['rps']:.0f}" for one in rounds)
        print(f"{name:<28}{r['rps']:>9.0f} req/s   p50 {r['p50']:7.2f} ms   p95 {r['p95']:7.2f} ms   "
              f"p99 {r['p99']:7.2f} ms   errors {errors}   (rounds: {spread})")
    for view in ("repeated", "evaluated"):
        ratios = {base: median([one[f"ogp-kg /sparql {view}"]["rps"] / one[base]["rps"] for one in rounds])
                  for base in ("oxigraph /query (bare)", "bare ASGI + pyoxigraph")}
        print(f"/sparql {view} vs bare Oxigraph: ×{ratios['oxigraph /query (bare)']:.2f} (target ≥ 0.6); "
              f"vs bare ASGI + pyoxigraph: ×{ratios['bare ASGI + pyoxigraph']:.2f} (target ≥ 0.9)  "
              f"(median of the per-round ratios)")


if __name__ == "__main__":
    main()
