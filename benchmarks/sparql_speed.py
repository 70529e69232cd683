"""SPARQL speed: pyoxigraph vs rdflib's in-memory Graph on the same 1M-triple synthetic graph, one
join with a FILTER, in one run; and the overhead of ``/sparql`` over the bare store call.

Run: ``python benchmarks/sparql_speed.py [--triples 1000000]``. Target: ≥ 100× on the join.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time


import pyoxigraph  # noqa: E402
import rdflib  # noqa: E402

EX = "http://example.org/"
#: joins with a FILTER: on an IRI (the store can use its indexes) and on a value range (a scan)
JOINS = {
    "join + FILTER on the organisation": f"""PREFIX ex: <{EX}>
SELECT ?c ?t WHERE {{ ?c ex:title ?t ; ex:responsible ?org . ?org ex:kind ex:Ministry . FILTER(?org = <{EX}org/3>) }}""",
    "join + FILTER on a value range": f"""PREFIX ex: <{EX}>
SELECT ?c ?org ?v WHERE {{ ?c ex:responsible ?org ; ex:metric ?m . ?org ex:kind ex:Ministry . ?m ex:value ?v .
  FILTER(?v > 990000) }}""",
}


def synthetic(triples: int) -> str:
    """N-Triples: commitments with a responsible organisation and metrics (4 triples per commitment + orgs)."""
    lines = []
    for org in range(1000):
        kind = "Ministry" if org % 3 == 0 else "Agency"
        lines.append(f"<{EX}org/{org}> <{EX}kind> <{EX}{kind}> .")
    for i in range((triples - 1000) // 4):
        c, m = f"<{EX}c/{i}>", f"<{EX}m/{i}>"
        lines += [f"{c} <{EX}responsible> <{EX}org/{i % 1000}> .", f"{c} <{EX}metric> {m} .",
                  f'{m} <{EX}value> "{(i * 7919) % 1_000_000}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                  f'{c} <{EX}title> "commitment {i}" .']
    return "\n".join(lines) + "\n"


def timed(func, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args()
    data = synthetic(args.triples)

    store = pyoxigraph.Store()
    t_load_ox, _ = timed(lambda: store.bulk_load(data.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES), 1)
    graph = rdflib.Graph()
    t_load_rdflib, _ = timed(lambda: graph.parse(data=data, format="nt"), 1)
    print(f"{len(store):,} triples · load: oxigraph {t_load_ox:.1f} s, rdflib {t_load_rdflib:.1f} s")

    for name, query in JOINS.items():
        t_ox, rows_ox = timed(lambda: len(list(store.query(query))))  # noqa: B023
        t_rdf, rows_rdf = timed(lambda: len(list(graph.query(query))), 1)  # noqa: B023
        assert rows_ox == rows_rdf, (rows_ox, rows_rdf)
        print(f"{name} ({rows_ox} rows): oxigraph {t_ox * 1000:.1f} ms, rdflib {t_rdf * 1000:.0f} ms, "
              f"speed-up ×{t_rdf / t_ox:.0f}  (target ≥ 100)")

    # /sparql over HTTP vs the bare store call, on the bundled report
    from fastapi.testclient import TestClient

    from api.core import Service
    from api.http import create_app
    from api.pipeline import build_all

    query = "SELECT ?n ?t WHERE { ?c ogp:commitmentNumber ?n ; dct:title ?t } ORDER BY ?n"
    with tempfile.TemporaryDirectory() as home:
        build_all(data_dir=home)
        service = Service(home)
        client = TestClient(create_app(service))
        headers = {"Accept": "application/sparql-results+json"}
        bare, http = [], []
        for _ in range(300):
            t0 = time.perf_counter()
            service.query(query).serialize(format=pyoxigraph.QueryResultsFormat.JSON)
            t1 = time.perf_counter()
            client.get("/sparql", params={"query": query}, headers=headers)
            t2 = time.perf_counter()
            bare.append(t1 - t0), http.append(t2 - t1)
    b, h = statistics.median(bare) * 1000, statistics.median(http) * 1000
    print(f"bundled report, simple SELECT: bare store {b:.2f} ms, /sparql (in-process ASGI) {h:.2f} ms, "
          f"overhead ×{h / b:.1f} (+{h - b:.2f} ms)")


if __name__ == "__main__":
    main()
