"""Question answering quality on our Spanish question set (every template + the search fallback).

A question counts as correct when its answer contains every expected string (case- and
accent-insensitive) — for "unknown" questions, when the service says it does not know.
Run: ``python benchmarks/ask_quality.py [--data-dir DIR]`` (builds the bundled report when no DIR).
Target: ≥ 90 % correct.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

warnings.filterwarnings("ignore", message=r"\[W095\]")

from api.ask import fold  # noqa: E402
from api.core import Service  # noqa: E402
from api.pipeline import build_all  # noqa: E402

QUESTIONS = Path(__file__).with_name("ask_questions.json")


def score(service: Service, questions: list[dict]) -> list[tuple[dict, str, bool]]:
    """(question, answer text, correct) for each question."""
    results = []
    for q in questions:
        answer = service.ask(q["q"])
        correct = all(fold(e) in fold(answer.answer) for e in q["expect"])
        results.append((q, answer.answer, correct))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", help="an existing build (default: build the bundled report)")
    args = parser.parse_args()
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or tmp
        if not args.data_dir:
            build_all(data_dir=data_dir)
        service = Service(data_dir)
        started = time.perf_counter()
        results = score(service, questions)
        elapsed = time.perf_counter() - started
    by_intent: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for q, answer, ok in results:
        by_intent[q["intent"]] += 1
        right[q["intent"]] += ok
        if not ok:
            print(f"WRONG [{q['intent']}] {q['q']}\n      → {answer[:200]}")
    for intent in sorted(by_intent):
        print(f"{intent:<24}{right[intent]:>3}/{by_intent[intent]}")
    total = sum(right.values())
    print(f"correct: {total}/{len(results)} = {total / len(results):.1%}  (target ≥ 90%) · "
          f"{1000 * elapsed / len(results):.0f} ms per question")


if __name__ == "__main__":
    main()
