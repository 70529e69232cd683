"""The ogp-kg command line: build, sparql, export, and clear one-line errors on bad input."""
import json

import pytest
import rdflib
from typer.testing import CliRunner

from api.cli import app
from ogp_graph.store import current_build, read_manifest
from tests.conftest import shared_file

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_sparql_select_formats(built):
    data_dir = str(built[0])
    query = "SELECT ?n WHERE { ?c ogp:commitmentNumber ?n } ORDER BY ?n LIMIT 3"
    as_json = json.loads(invoke("sparql", query, "--data-dir", data_dir, "--format", "json").stdout)
    assert [b["n"]["value"] for b in as_json["results"]["bindings"]] == ["1", "2", "3"]
    as_csv = invoke("sparql", query, "--data-dir", data_dir, "--format", "csv").stdout
    assert as_csv.split() == ["n", "1", "2", "3"]
    assert "<?xml" in invoke("sparql", query, "--data-dir", data_dir, "-f", "xml").stdout


def test_sparql_from_file_and_construct(built, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("CONSTRUCT { ?c dct:title ?t } WHERE { ?c ogp:commitmentNumber 18 ; dct:title ?t }")
    out = invoke("sparql", str(query), "--data-dir", str(built[0]), "--format", "nt").stdout
    graph = rdflib.Graph().parse(data=out, format="nt")
    assert [str(t) for t in graph.objects()] == ["ACCIONES PARA MEJORAR LA DISPONIBILIDAD Y CALIDAD DE LA INFORMACIÓN PRESUPUESTARIA."]


@pytest.mark.parametrize(
    "args, message",
    [
        (["sparql", "SELEC nothing"], "error:"),
        (["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--format", "turtle"], "cannot answer a SELECT/ASK query"),
        (["sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "read-only"),
    ],
)
def test_sparql_errors_are_one_line(built, args, message):
    result = runner.invoke(app, [*args, "--data-dir", str(built[0])])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_export_formats_parse_back(built, tmp_path):
    data_dir = str(built[0])
    sizes = {}
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        out = tmp_path / f"graph.{fmt}"
        assert invoke("export", "--format", fmt, "-o", str(out), "--data-dir", data_dir).exit_code == 0
        sizes[fmt] = len(rdflib.Graph().parse(out, format=parser))
    assert sizes["turtle"] == sizes["nt"] == sizes["jsonld"] == built[1].triples


def _bad_inputs(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Compromiso número 1: Información pública".encode("latin-1"))
    (tmp_path / "empty.txt").write_bytes(b"")
    return {
        tmp_path / "missing.pdf": "no such file",
        tmp_path / "latin1.txt": "not UTF-8",
        tmp_path / "empty.txt": "empty",
    }


def test_bad_documents_leave_the_store_untouched(tmp_path):
    home = tmp_path / "home"
    assert invoke("build", "--data-dir", str(home)).exit_code == 0
    published = current_build(home)
    for path, reason in _bad_inputs(tmp_path).items():
        result = runner.invoke(app, ["build", str(path), "--data-dir", str(home)])
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0]
        assert "Traceback" not in result.output
        assert current_build(home) == published
    assert [p.name for p in (home / "builds").iterdir()] == [published.name]


def test_query_before_any_build(tmp_path):
    result = runner.invoke(app, ["sparql", "ASK {}", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "run `ogp-kg build` first" in result.stderr


def test_ecuador_plan_builds(tmp_path):
    plan = shared_file("corpus", "foreign", "ec-2019-2022-plan-accion-es.txt")
    result = invoke("build", str(plan), "--data-dir", str(tmp_path))
    assert result.exit_code == 0
    [report] = read_manifest(current_build(tmp_path))["documents"]
    assert (report["commitments"], report["country"], report["period"], report["language"], report["layout"]) == \
        (10, "EC", "2019-2022", "es", "form-sheets")
    assert report["without_title"] == report["without_responsible"] == 0
    out = invoke("sparql", """SELECT ?n ?t ?org WHERE { ?c ogp:commitmentNumber ?n ; dct:title ?t ;
        ogp:responsibleOrganization ?o . ?o skos:prefLabel ?org } ORDER BY ?n ?org""",
                 "--data-dir", str(tmp_path), "--format", "json").stdout
    rows = [(int(b["n"]["value"]), b["t"]["value"], b["org"]["value"]) for b in json.loads(out)["results"]["bindings"]]
    assert {n for n, _, _ in rows} == set(range(1, 11))
    assert (3, "Plataforma de Información Abierta de Contratación Pública", "Servicio Nacional de Contratación Pública") in rows
    orgs9 = {org for n, _, org in rows if n == 9}
    assert orgs9 == {"Presidencia de la República del Ecuador",
                     "Ministerio de Telecomunicaciones y de la Sociedad de la Información"}
    assert read_manifest(current_build(tmp_path))["conforms"] is True
    laws = invoke("sparql", 'SELECT ?c WHERE { ?c ogp:citesLegislation ?l . ?l skos:altLabel "LOTAIP" }',
                  "--data-dir", str(tmp_path), "--format", "csv").stdout
    assert len(laws.split()) > 1


def test_sparql_accepts_long_inline_queries(built):
    query = "SELECT ?n WHERE { ?c ogp:commitmentNumber ?n . FILTER(?n = 7) }" + " " * 300 + "# " + "x" * 300
    assert invoke("sparql", query, "--data-dir", str(built[0]), "-f", "csv").stdout.split() == ["n", "7"]
