"""Embedded Oxigraph store vs a remote Oxigraph SPARQL server on the same data, in one run: build
(publish) time and query latency for a few typical queries.

Run: ``python benchmarks/store_backends.py [--repeat 50]`` (needs ``pip install oxigraph``).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


import httpx  # noqa: E402

from api.core import Service  # noqa: E402
from api.pipeline import build_all  # noqa: E402

QUERIES = {
    "count commitments": "SELECT (COUNT(*) AS ?n) WHERE { ?c a ogp:Commitment }",
    "MINFIN's commitments": 'SELECT ?n ?t WHERE { ?c ogp:responsibleOrganization/ogp:acronym "MINFIN" ; '
                            'ogp:commitmentNumber ?n ; dct:title ?t }',
    "laws per commitment": "SELECT ?n (COUNT(?l) AS ?k) WHERE { ?c ogp:commitmentNumber ?n ; ogp:citesLegislation ?l } GROUP BY ?n",
    "mentions with text": "SELECT ?a ?b WHERE { ?m itsrdf:taIdentRef ?x ; nif:anchorOf ?a ; nif:beginIndex ?b }",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    exe = shutil.which("oxigraph") or sys.exit("needs the oxigraph server CLI: pip install oxigraph")
    with tempfile.TemporaryDirectory() as tmp:
        url = "http://127.0.0.1:7893"
        server = subprocess.Popen([exe, "serve", "--location", str(Path(tmp) / "ox"), "--bind", url[7:]],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{url}/query", params={"query": "ASK {}"})
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            timings = {}
            for backend, store_url in (("embedded", None), ("remote", url)):
                started = time.perf_counter()
                build_all(data_dir=Path(tmp) / backend, store_url=store_url)
                timings[backend] = {"build": time.perf_counter() - started}
                service = Service(Path(tmp) / backend)
                for name, query in QUERIES.items():
                    list(service.query(query))  # warm
                    samples = []
                    for _ in range(args.repeat):
                        t0 = time.perf_counter()
                        list(service.query(query))
                        samples.append(time.perf_counter() - t0)
                    timings[backend][name] = statistics.median(samples)
        finally:
            server.terminate()
            server.wait(timeout=20)
    emb, rem = timings["embedded"], timings["remote"]
    print(f"{'':<24}{'embedded':>12}{'remote':>12}{'remote/embedded':>18}")
    print(f"{'build + publish (s)':<24}{emb['build']:>12.1f}{rem['build']:>12.1f}{rem['build'] / emb['build']:>17.2f}×")
    for name in QUERIES:
        print(f"{name + ' (ms)':<24}{emb[name] * 1000:>12.2f}{rem[name] * 1000:>12.2f}{rem[name] / emb[name]:>17.1f}×")


if __name__ == "__main__":
    main()
