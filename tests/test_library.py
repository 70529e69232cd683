"""The document library: add, remove and list reports; only what changed is read again."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

import api.pipeline as pipeline
from api.cli import app
from api.pipeline import add_documents, build_all, list_documents, remove_documents
from indexes.passages import Passage
from indexes.search_index import SearchIndex
from indexes.similarity import similar_across_groups
from ogp_graph.errors import DocumentError
from ogp_graph.layout import BuildLayout
from ogp_graph.rdf import LINKS_GRAPH
from ogp_graph.store import current_build, open_store
from tests.conftest import REPORT, oxigraph_serving

OLD_PLAN = "https://w3id.org/ogp-kg/id/plan/GT/2016-2018"
NEW_PLAN = "https://w3id.org/ogp-kg/id/plan/GT/2018-2020"


def later_plan(folder: Path) -> Path:
    """A second, different report made from the bundled one: its header and first three
    commitments, for the next plan period."""
    lines = REPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    fourth = next(i for i, line in enumerate(lines) if re.search(r"<b>4</b>", line))
    path = folder / "gt-2018-2020-extracto.txt"
    path.write_text("".join(lines[:fourth]).replace("2016-2018", "2018-2020").replace("2017", "2019"),
                    encoding="utf-8")
    return path


def graph_of(store, graph=pyoxigraph.DefaultGraph()) -> Graph:
    """One graph of ``store`` as an rdflib Graph."""
    return Graph().parse(data=store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph), format="nt")


def commitment_triples(store, plan: str) -> dict[str, set]:
    """Every commitment of ``plan`` with its own triples."""
    rows = store.query(f"SELECT ?c ?p ?o WHERE {{ ?c <https://w3id.org/ogp-kg/ontology#actionPlan> <{plan}> ; ?p ?o }}")
    found: dict[str, set] = {}
    for r in rows:
        found.setdefault(r["c"].value, set()).add((r["p"].value, str(r["o"])))
    return found


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("library")
    build_all(data_dir=home)
    return home


@pytest.fixture
def extractions(monkeypatch) -> list[str]:
    """The source of every document the NLP stage runs over."""
    calls: list[str] = []
    real = pipeline.extract_mentions

    def counting(loaded, **kwargs):
        calls.extend(doc.name for doc, _, _ in loaded)
        return real(loaded, **kwargs)

    monkeypatch.setattr(pipeline, "extract_mentions", counting)
    return calls


def test_add_then_remove_restores_the_graph(library, tmp_path, extractions):
    before = open_store(library)
    old = commitment_triples(before, OLD_PLAN)
    default_before, links_before = graph_of(before), graph_of(before, LINKS_GRAPH)
    del before
    assert [e.source for e in list_documents(data_dir=library)] == [REPORT.name]

    new_doc = later_plan(tmp_path)
    summary = add_documents([new_doc], data_dir=library, country="GT")
    assert extractions == [new_doc.name]  # only the new report was read
    assert [Path(d["source"]).name for d in summary.documents] == [new_doc.name]
    store = open_store(library)
    assert sorted(commitment_triples(store, NEW_PLAN)) == [f"{NEW_PLAN}/commitment/{n}" for n in (1, 2, 3)]
    assert commitment_triples(store, OLD_PLAN) == old  # the others: same IRIs, same triples
    assert summary.commitments == len(old) + 3
    entries = list_documents(data_dir=library)
    assert [(e.source, e.period, e.counts["commitments"]) for e in entries] == [
        (REPORT.name, "2016-2018", 22), (new_doc.name, "2018-2020", 3)]
    del store

    removed, _ = remove_documents([entries[1].id], data_dir=library)
    assert [e.source for e in removed] == [new_doc.name]
    assert extractions == [new_doc.name]  # removing reads nothing
    store = open_store(library)
    assert isomorphic(graph_of(store), default_before)
    assert isomorphic(graph_of(store, LINKS_GRAPH), links_before)
    assert [e.source for e in list_documents(data_dir=library)] == [REPORT.name]


def test_adding_a_document_already_there_reads_nothing(library, extractions):
    summary = add_documents([REPORT], data_dir=library)
    assert extractions == [] and summary.documents == []
    assert len(list_documents(data_dir=library)) == 1


def test_a_failed_add_leaves_the_library_untouched(library, tmp_path, extractions):
    published, builds = current_build(library), sorted((library / "builds").iterdir())
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DocumentError, match="empty"):
        add_documents([later_plan(tmp_path), empty], data_dir=library, country="GT")
    assert current_build(library) == published
    assert [e.source for e in list_documents(data_dir=library)] == [REPORT.name]
    assert sorted((library / "builds").iterdir()) == builds  # no half-built directory left
    assert all(not p.name.startswith(".tmp") for p in (library / "cache").rglob("*"))


def test_cli_list_add_remove(library, tmp_path):
    runner = CliRunner()
    new_doc = later_plan(tmp_path)
    added = runner.invoke(app, ["add", str(new_doc), "--country", "GT", "--data-dir", str(library)])
    assert added.exit_code == 0, added.output
    listed = json.loads(runner.invoke(app, ["list", "--json", "--data-dir", str(library)]).output)
    assert [(d["source"], d["genre"], d["counts"]["commitments"]) for d in listed] == [
        (REPORT.name, "self_assessment", 22), (new_doc.name, "self_assessment", 3)]
    assert all(re.fullmatch(r"[0-9a-f]{12}", d["id"]) and d["added"] for d in listed)
    gone = runner.invoke(app, ["remove", new_doc.name, "--data-dir", str(library)])
    assert gone.exit_code == 0 and listed[1]["id"] in gone.output
    unknown = runner.invoke(app, ["remove", "no-such-report.pdf", "--data-dir", str(library)])
    assert unknown.exit_code == 2 and len(unknown.output.strip().splitlines()) == 1


def test_the_build_reports_its_stages(library):
    manifest = json.loads(BuildLayout(current_build(library)).manifest.read_text(encoding="utf-8"))
    assert list(manifest["stages"]) == list(pipeline.STAGES)
    assert manifest["stages"]["index"] >= 0 and manifest["documents"] is not None


def test_library_against_an_oxigraph_server(library, tmp_path):
    """Remote mode: the graph lives in a SPARQL server; add and remove change it there too."""
    home = tmp_path / "home"
    shutil.copytree(library, home, symlinks=True)  # the cache and vectors come along: nothing is re-read
    count = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ogp:Commitment }"
    with oxigraph_serving(tmp_path / "server") as url:
        build_all(data_dir=home, store_url=url)
        remote = open_store(home)
        before = Graph().parse(data=remote.dump(), format="nt")

        def commitments() -> int:
            return int(next(iter(remote.query(count, prefixes={"ogp": "https://w3id.org/ogp-kg/ontology#"})))["n"].value)

        assert commitments() == 22
        add_documents([later_plan(tmp_path)], data_dir=home, country="GT")
        assert commitments() == 25
        remove_documents(["gt-2018-2020-extracto.txt"], data_dir=home)
        assert commitments() == 22
        assert isomorphic(Graph().parse(data=remote.dump(), format="nt"), before)


def published_state(home: Path) -> dict:
    """Everything a build publishes, in comparable form: both graphs, the counts, the links
    file, the dumps, and the index (passages, vectors, BM25 and dense answers)."""
    layout = BuildLayout(current_build(home))
    store = open_store(home)
    manifest = json.loads(layout.manifest.read_text(encoding="utf-8"))
    index = SearchIndex.load(layout.index)
    queries = ["acceso a la información pública", "presupuesto municipal", "participación ciudadana"]
    dumps = {p.suffix: p.read_bytes() for p in layout.dumps.glob("ogp-kg-*")}
    return {
        "default": set(store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()).splitlines()),
        "links": set(store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=LINKS_GRAPH).splitlines()),
        "counts": {k: manifest[k] for k in ("triples", "commitments", "institutions", "laws", "places", "metrics",
                                            "mentions", "similar", "progress_links", "quads")},
        "void": int(next(Graph().parse(layout.dumps / "void.ttl").objects(
            None, URIRef("http://rdfs.org/ns/void#triples")))),
        "links.tsv": set(layout.links.read_text(encoding="utf-8").splitlines()),
        "nt": set(dumps[".nt"].splitlines()), "ttl": dumps[".ttl"],
        "jsonld": sorted(json.dumps(n, sort_keys=True) for n in json.loads(dumps[".jsonld"])["@graph"]),
        "passages": [p.id for p in index.passages], "vectors": index.vectors.tobytes(),
        "bm25": [index.bm25.scores(q).tolist() for q in queries],
        "dense": [index.search(q, k=5, mode="dense") for q in queries],
    }


def test_add_and_remove_equal_a_build_from_scratch(library, tmp_path, extractions, monkeypatch):
    """An incremental change publishes exactly what a build of the resulting library does."""
    bases, write_store = [], pipeline.write_store
    monkeypatch.setattr(pipeline, "write_store", lambda *a, **k: bases.append(k["base"]) or write_store(*a, **k))
    home, fresh = tmp_path / "home", tmp_path / "fresh"
    shutil.copytree(library, home, symlinks=True)
    new_doc = later_plan(tmp_path)
    add_documents([new_doc], data_dir=home)
    shutil.copytree(home, fresh, symlinks=True)  # the same cache: the fresh builds read nothing
    build_all([REPORT, new_doc], data_dir=fresh)
    added = published_state(home)
    assert added["links"] and added["counts"]["similar"] > 0
    assert added["void"] == added["counts"]["quads"] == len(open_store(home))
    assert added == published_state(fresh)
    # removing the first document: the triples it shared with the second (institutions, places) stay
    remove_documents([REPORT.name], data_dir=home)
    build_all([new_doc], data_dir=fresh)
    assert published_state(home) == published_state(fresh)
    assert extractions == [new_doc.name]
    assert [b is not None for b in bases] == [True, False, True, False]  # the changes were incremental


def plan_of_the_report(folder: Path) -> Path:
    """The plan the bundled report reports on, made from it: its header as a plan's, its first three
    commitments."""
    lines = REPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    fourth = next(i for i, line in enumerate(lines) if re.search(r"<b>4</b>", line))
    path = folder / "gt-2016-2018-plan.txt"
    path.write_text("".join(lines[:fourth]).replace("(Según autoevaluación de medio término)", "")
                    .replace("LOGROS INSTITUCIONALES", "TERCER PLAN DE ACCIÓN NACIONAL DE GOBIERNO ABIERTO"),
                    encoding="utf-8")
    return path


def test_progress_links_follow_an_add_and_a_remove(tmp_path, monkeypatch):
    """A report added to the library of its plan gets its ogp:progressOf links incrementally, and
    loses them on removal, exactly as a build from scratch has them."""
    bases, write_store = [], pipeline.write_store
    monkeypatch.setattr(pipeline, "write_store", lambda *a, **k: bases.append(k["base"]) or write_store(*a, **k))
    home, fresh = tmp_path / "home", tmp_path / "fresh"
    plan = plan_of_the_report(tmp_path)
    build_all([plan], data_dir=home, country="GT")
    assert list_documents(data_dir=home)[0].genre == "plan"
    summary = add_documents([REPORT], data_dir=home, country="GT")
    assert summary.progress_links >= 3  # the plan's three commitments, reported on
    shutil.copytree(home, fresh, symlinks=True)
    build_all([plan, REPORT], data_dir=fresh, country="GT")
    assert published_state(home) == published_state(fresh)
    remove_documents([REPORT.name], data_dir=home)
    build_all([plan], data_dir=fresh, country="GT")
    after = published_state(home)
    assert after["counts"]["progress_links"] == 0 and after == published_state(fresh)
    assert [b is not None for b in bases] == [False, True, False, True, False]


class _Vectors:
    """The two attributes of a SearchIndex that similarity reads."""

    def __init__(self, groups: dict[str, list[np.ndarray]]):
        self.passages = [Passage(f"{g}/{i}#p0", f"{g}/{i}", "", "", 0, 0, "title")
                         for g, vs in groups.items() for i in range(len(vs))]
        self.vectors = np.vstack([v for vs in groups.values() for v in vs]).astype(np.float32)


def test_incremental_links_equal_a_full_recomputation():
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(4, 16))
    groups = {g: [centres[k % 4] + 0.3 * rng.normal(size=16) for k in range(12)] for g in "ABCDE"}
    group_of = lambda idx: {p.commitment: p.commitment.split("/")[0] for p in idx.passages}  # noqa: E731
    key = lambda links: {(s.source, s.target, s.score) for s in links}  # noqa: E731
    full = _Vectors(groups)
    without_e = _Vectors({g: v for g, v in groups.items() if g != "E"})
    earlier = similar_across_groups(without_e, group_of(without_e), threshold=0.5)
    fresh = similar_across_groups(full, group_of(full), threshold=0.5, changed={"E"})
    kept = [s for s in earlier if "E" not in (s.source[0], s.target[0])]
    expected = similar_across_groups(full, group_of(full), threshold=0.5)
    assert len(expected) > 50 and any(s.source.startswith("E") for s in expected)
    assert key(kept + fresh) == key(expected)
    # and back: removing E again gives the earlier answer
    back = similar_across_groups(without_e, group_of(without_e), threshold=0.5, changed={"E"})
    assert key([s for s in expected if "E" not in (s.source[0], s.target[0])] + back) == key(earlier)
