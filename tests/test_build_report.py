"""Builds that never dead-end: per-document reports, sections as passages, progress reports
linked to their plan, completion on the IRM scale (fixtures in tests/fixtures)."""
from pathlib import Path

import pyoxigraph
import pytest

from api.pipeline import build_all
from indexes.passages import passages_from_store
from ogp_graph.layout import BuildLayout
from ogp_graph.store import current_build
from ogp_graph.vocab import sparql_prefixes

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("build")
    paths = [FIXTURES / n for n in ("page-without-commitments.html", "plan-theme-restart.txt",
                                    "report-theme-restart-toc.txt", "plan-compromiso-nro.txt")]
    summary = build_all(paths, data_dir=data_dir)
    return summary, pyoxigraph.Store.read_only(str(BuildLayout(current_build(data_dir)).store))


def _select(store, query: str, *names: str) -> list[tuple]:
    return [tuple(row[n].value if row[n] is not None else None for n in names)
            for row in store.query(sparql_prefixes() + query)]


def test_every_document_is_reported_with_reasons(built):
    summary, _ = built
    page, plan, report, co = summary.documents
    assert page["commitments"] == 0 and page["sections"] >= 3 and page["layout"] is None
    assert any("no commitment openers found" in r for r in page["reasons"])
    assert (plan["genre"], report["genre"]) == ("plan", "self_assessment")
    assert plan["commitments"] == report["commitments"] == 4 and co["commitments"] == co["stated"] == 3
    assert summary.conforms, summary


def test_sections_of_a_document_without_commitments_are_searchable(built):
    _, store = built
    sections = [p for p in passages_from_store(store) if p.kind == "section"]
    assert sections and any("Decreto 672 de 2017" in p.text for p in sections)
    named = _select(store, """SELECT DISTINCT ?e WHERE { ?m ogp:mentionedIn ?s ; itsrdf:taIdentRef ?e .
        ?s a ogp:Section }""", "e")
    assert named, "what the page names (institutions, laws, places, metrics) is in the graph"


def test_report_commitments_are_linked_to_the_plan(built):
    summary, store = built
    assert summary.progress_links == 4
    pairs = _select(store, """SELECT ?rt ?pt WHERE { GRAPH ?links { ?r ogp:progressOf ?p } ?r dct:title ?rt . ?p dct:title ?pt }""",
                    "rt", "pt")
    assert len(pairs) == 4 and all(a == b for a, b in pairs)
    distinct = _select(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ogp:Commitment }", "n")
    assert int(distinct[0][0]) == 11  # the report's commitments do not merge into the plan's


def test_completion_levels_on_the_irm_scale_with_their_words(built):
    _, store = built
    found = dict(_select(store, """SELECT ?t ?level WHERE { ?c ogp:completionStatus ?level ; dct:title ?t .
        GRAPH ?links { ?c ogp:progressOf ?p } }""", "t", "level"))
    short = {t: level.rsplit("#", 1)[1] for t, level in found.items()}
    assert short == {"Open Data for Safer Roads and Transport Networks in Rural Counties": "Substantial",
                     "Modernize the Public Records Portal": "Complete",
                     "Publish Lobbying Registers": "Limited",
                     "Protect Whistleblowers in Public Agencies": "NotStarted"}
    words = _select(store, """SELECT ?w WHERE { ?s itsrdf:taIdentRef ogp:Substantial ; nif:anchorOf ?w }""", "w")
    assert words == [("Completion level: Substantial",)]


def test_ids_and_titles(built):
    _, store = built
    rows = _select(store, """SELECT ?id ?t WHERE { ?c ogp:commitmentId ?id ; dct:title ?t ; ogp:commitmentNumber 3 ;
        ogp:actionPlan ?p . FILTER NOT EXISTS { GRAPH ?links { ?c ogp:progressOf ?x } } FILTER(CONTAINS(STR(?p), "2016")) }""", "id", "t")
    assert rows == [("IPI-1", "Publish Lobbying Registers")]
