"""Extraction throughput of our pipeline vs bare ``es_core_news_sm`` ``nlp.pipe``, same texts, same run.

Also prints the time of a whole build of the bundled report and the peak RSS.
Run: ``python benchmarks/extraction.py [--repeat 5]``. Target: ratio ≥ 0.8.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time


from api.pipeline import build_all  # noqa: E402
from ogp_graph.build import bundled_report, load_documents  # noqa: E402
from ogp_graph.nlp.pipeline import build_nlp, load_base, make_doc  # noqa: E402


def _chars_per_second(nlp, texts: list[str], country: str | None) -> float:
    started = time.perf_counter()
    docs = (make_doc(nlp, t, country) for t in texts) if country else iter(texts)
    for _ in nlp.pipe(docs, batch_size=8):
        pass
    return sum(map(len, texts)) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="copies of the report's commitments to process")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (best kept)")
    args = parser.parse_args()

    [(doc, info, found)] = load_documents([bundled_report()])
    commitments = found.commitments
    texts = [doc.text[c.start : c.end] for c in commitments] * args.repeat
    bare, ours = load_base(), build_nlp()
    _chars_per_second(bare, texts[:5], None), _chars_per_second(ours, texts[:5], info.country)  # warm up
    bare_cps = max(_chars_per_second(bare, texts, None) for _ in range(args.rounds))
    ours_cps = max(_chars_per_second(ours, texts, info.country) for _ in range(args.rounds))
    print(f"texts: {len(texts)} commitments, {sum(map(len, texts)):,} chars")
    print(f"bare es_core_news_sm nlp.pipe: {bare_cps:,.0f} chars/s")
    print(f"ogp-kg pipeline (ruler + institutions, places, laws, metrics): {ours_cps:,.0f} chars/s")
    print(f"ratio ours/bare: {ours_cps / bare_cps:.2f}  (target >= 0.80)")

    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        summary = build_all(data_dir=home)
        print(f"full build of the bundled report: {time.perf_counter() - started:.1f} s "
              f"({summary.triples:,} triples, SHACL conforms={summary.conforms})")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
