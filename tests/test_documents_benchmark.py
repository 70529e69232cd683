"""Floors of issue #9 on the real and foreign documents of ../shared (skipped without them).

Builds every file once with the scorer of ``benchmarks/documents.py`` (a few minutes)."""
import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED

pytestmark = pytest.mark.slow


def _benchmark():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "documents.py"
    spec = importlib.util.spec_from_file_location("documents_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scored():
    if not (SHARED / "corpus" / "real" / "gold.json").exists():
        pytest.skip("../shared/corpus/real not present")
    bench = _benchmark()
    rows = bench.run()
    return {r.file: r for r in rows}, bench.totals(rows)


def test_every_file_builds(scored):
    rows, totals = scored
    assert totals["files"] == 17
    assert [r.file for r in rows.values() if not r.built] == []


def test_the_page_without_commitments_reports_zero_and_is_searchable(scored):
    rows, _ = scored
    page = rows["co-2017-2019-indicador-avance-web.html"]
    assert page.found == 0 and page.sections > 0
    assert any("no commitment openers found" in r for r in page.reasons)


def test_exact_counts_on_numbered_files(scored):
    rows, totals = scored
    numbered = [r for r in rows.values() if r.numbered]
    assert len(numbered) >= 10
    assert sum(r.found == r.gold for r in numbered) >= len(numbered) - 1, [(r.file, r.found, r.gold) for r in numbered]


def test_title_precision_and_recall(scored):
    _, totals = scored
    assert totals["title_precision"] >= 0.9 and totals["title_recall"] >= 0.9, totals


def test_responsible_recall_where_the_text_states_them(scored):
    _, totals = scored
    assert totals["responsible_recall_with_field"] >= 0.8, totals


def test_no_invented_titles(scored):
    rows, totals = scored
    assert totals["invented_titles"] == 0
    for name in ("br-saopaulo-2018-2020-plano-web.md", "co-2023-2025-resultados-v-plan-web.md"):
        assert rows[name].titles_found == rows[name].titles_tp == 0
