"""Open data: dated dumps that parse back to the same graph, VoID + DCAT that conforms to the
shapes, /data/ on the server, schema.org JSON-LD in commitment pages."""
import json
import re

import pyoxigraph
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from api.cli import app
from api.core import Service
from api.http import Settings, create_app
from ogp_graph.validate import to_rdflib, validate


@pytest.fixture(scope="module")
def dumps(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("dumps")
    result = CliRunner().invoke(app, ["export", "--dump-dir", str(out), "--data-dir", str(built[0])])
    assert result.exit_code == 0, result.output
    return out


def test_dumps_parse_back_to_the_same_graph(store, dumps):
    original = to_rdflib(store)
    files = {p.suffix: p for p in dumps.glob("ogp-kg-*")}
    assert set(files) == {".ttl", ".nt", ".jsonld"}
    assert all(re.fullmatch(r"ogp-kg-\d{4}-\d{2}-\d{2}\.\w+", p.name) for p in files.values())
    for suffix, fmt in ((".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")):
        assert isomorphic(rdflib.Graph().parse(files[suffix], format=fmt), original), suffix
    expected = set(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    for suffix, fmt in ((".ttl", pyoxigraph.RdfFormat.TURTLE), (".nt", pyoxigraph.RdfFormat.N_TRIPLES),
                        (".jsonld", pyoxigraph.RdfFormat.JSON_LD)):
        parsed = {pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in pyoxigraph.parse(path=str(files[suffix]), format=fmt)}
        assert parsed == expected, suffix


def test_void_dcat_description_conforms(store, dumps):
    void = rdflib.Graph().parse(dumps / "void.ttl", format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dataset = next(void.subjects(rdflib.RDF.type, VOID.Dataset))
    assert int(void.value(dataset, VOID.triples)) == len(store)
    assert len(list(void.objects(dataset, DCAT.distribution))) == 3
    report = validate(void)
    assert report.conforms, report.text
    broken = rdflib.Graph()
    for t in void:
        if t[1] != DCAT.distribution:
            broken.add(t)
    assert not validate(broken).conforms


def test_server_publishes_and_advertises_dumps(built):
    """Dump links come from the configured base URL, never from the Host header."""
    client = TestClient(create_app(Service(built[0]), Settings(base_url="https://ogp.example.org/")),
                        headers={"Host": "evil.example"})
    listing = client.get("/data/").json()
    assert len(listing["dumps"]) == 3
    name = listing["dumps"][1].rsplit("/", 1)[1]
    dump = client.get(f"/data/{name}")
    assert dump.status_code == 200 and len(rdflib.Graph().parse(data=dump.text, format="nt")) > 1000
    void_text = client.get("/data/void.ttl").text
    void = rdflib.Graph().parse(data=void_text, format="turtle")
    assert rdflib.URIRef(f"https://ogp.example.org/data/{name}") in set(void.objects())
    description = client.get("/sparql").text
    assert f"void:dataDump <https://ogp.example.org/data/{name}>" in description
    assert "evil.example" not in void_text + description
    assert client.get("/data/..%2Fstore").status_code == 404


def test_commitment_pages_embed_schema_org(built):
    client = TestClient(create_app(Service(built[0])))
    page = client.get("/commitments/17", headers={"Accept": "text/html"}).text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1))
    assert data["@context"] == "https://schema.org" and data["position"] == 17
    assert {law["legislationIdentifier"] for law in data["citation"]} >= {"Decreto 9-2017", "Decreto 46-2016"}
    assert data["accountablePerson"][0]["name"] == "Ministerio de Finanzas Públicas"
    offline = {**data, "@context": {"@vocab": "https://schema.org/"}}  # schema.org's context is remote
    assert len(rdflib.Graph().parse(data=json.dumps(offline), format="json-ld")) > 10
