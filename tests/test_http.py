"""The HTTP service: SPARQL protocol, JSON API, linked data, safety limits, real clients, bad input."""
import shutil
from urllib.parse import quote

import pytest
import rdflib
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.core import Service
from api.http import Settings, create_app

JSON = {"Accept": "application/sparql-results+json"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?c a ogp:Commitment }"


@pytest.fixture(scope="module")
def client(built):
    with TestClient(create_app(Service(built[0]), Settings(max_rows=50))) as client:  # start-up warms the models
        yield client


def test_query_by_get_post_form_and_direct_post(client):
    for response in (
        client.get("/sparql", params={"query": COUNT}, headers=JSON),
        client.post("/sparql", data={"query": COUNT}, headers=JSON),
        client.post("/sparql", content=COUNT, headers={**JSON, "Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 200
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "22"


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml"),
])
def test_select_content_negotiation(client, accept, media):
    response = client.get("/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)


@pytest.mark.parametrize("accept, parser", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_content_negotiation(client, accept, parser):
    query = "CONSTRUCT { ?c dct:title ?t } WHERE { ?c ogp:commitmentNumber ?n ; dct:title ?t }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert len(rdflib.Graph().parse(data=response.text, format=parser)) == 22


def test_sparqlwrapper_style_format_parameter(client):
    response = client.get("/sparql", params={"query": COUNT, "format": "json", "output": "json"})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "22"


def test_service_description(client):
    response = client.get("/sparql")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, None) in graph and (None, sd.extensionFunction, None) in graph


def test_semantic_search_in_sparql_over_http(client):
    query = """SELECT ?n WHERE { ?c ogp:commitmentNumber ?n ; ogp:responsibleOrganization/ogp:acronym "MINFIN" .
               BIND(ogp:search(?c, "subasta electrónica inversa", 3) AS ?s) FILTER(BOUND(?s)) }"""
    rows = client.get("/sparql", params={"query": query}, headers=JSON).json()["results"]["bindings"]
    assert "19" in {r["n"]["value"] for r in rows}


def test_updates_are_forbidden_without_the_token(client):
    for response in (
        client.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
        client.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"}),
        client.post("/sparql", content="LOAD <http://example.org/x.ttl>", headers={"Content-Type": "application/sparql-update"}),
        client.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    ):
        assert response.status_code == 403 and "read-only" in response.text
    assert client.get("/sparql", params={"query": COUNT}, headers=JSON).json()["results"]["bindings"][0]["n"]["value"] == "22"


def test_updates_with_the_write_token(built, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(built[0], home, symlinks=True)
    writable = TestClient(create_app(Service(home, writable=True), Settings(write_token="s3cret")))
    update = {"update": "INSERT DATA { <urn:x> a ogp:Commitment }"}
    assert writable.post("/sparql", data=update, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert writable.post("/sparql", data=update, headers={"Authorization": "Bearer s3cret"}).status_code == 204
    count = writable.get("/sparql", params={"query": COUNT}, headers=JSON).json()["results"]["bindings"][0]["n"]["value"]
    assert count == "23"


def test_service_calls_are_refused(client):
    query = "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 403 and "SERVICE" in response.json()["error"]


def test_row_cap(client):
    rows = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=JSON).json()
    assert len(rows["results"]["bindings"]) == 50
    rows = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 100000"}, headers=JSON).json()
    assert len(rows["results"]["bindings"]) == 50


def test_timeout(built):
    slow = TestClient(create_app(Service(built[0]), Settings(timeout=0.2)))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = slow.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 503 and "longer than 0.2 s" in response.json()["error"]


def test_request_size_limit(built):
    small = TestClient(create_app(Service(built[0]), Settings(max_request_bytes=1000)))
    response = small.post("/sparql", content="SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000,
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


@pytest.mark.parametrize("params, content, headers, status", [
    ({"query": "SELEC * WHERE"}, None, {}, 400),
    ({}, b"query=ASK%7B%7D", {"Content-Type": "text/plain"}, 415),
    ({"query": ["ASK {}", "ASK {}"]}, None, {}, 400),
    ({}, "ASK {}".encode("utf-16"), {"Content-Type": "application/sparql-query"}, 400),
    ({"query": "ASK {}"}, None, {"Accept": "image/png"}, 406),
])
def test_bad_sparql_requests(client, params, content, headers, status):
    if content is None:
        response = client.get("/sparql", params=params, headers=headers)
    else:
        response = client.post("/sparql", params=params, content=content, headers=headers)
    assert response.status_code == status and response.text.strip()


def test_errors_come_in_the_negotiated_format(client):
    as_json = client.get("/sparql", params={"query": "nonsense"}, headers={"Accept": "application/json"})
    assert as_json.json()["status"] == 400 and "malformed query" in as_json.json()["error"]
    as_text = client.get("/sparql", params={"query": "nonsense"}, headers={"Accept": "text/csv"})
    assert as_text.headers["content-type"].startswith("text/plain") and "malformed query" in as_text.text


@pytest.mark.parametrize("method, path, kwargs", [
    ("get", "/sparql", {"params": {"query": "nonsense"}}),                                   # 400 malformed
    ("get", "/sparql", {"params": {"query": "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}}),  # 403
    ("post", "/sparql", {"content": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                         "headers": {"Content-Type": "application/sparql-update"}}),           # 403 read-only
    ("get", "/sparql", {"params": {"query": "ASK {}", "format": "png"}}),                     # 406
    ("post", "/sparql", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}),  # 415
    ("get", "/sparql", {"params": {"query": "{" * 40 + "}" * 40}}),                          # 400 too deep
    ("get", "/commitments/999", {}),                                                         # 404
])
def test_errors_speak_the_clients_language(client, method, path, kwargs):
    """Same request with Accept-Language es and en: same code and status, a one-line message in each
    language (they differ), Content-Language says which; no or another language → English."""
    def send(lang: str | None):
        headers = {**kwargs.get("headers", {}), "Accept": "application/json"}
        if lang:
            headers["Accept-Language"] = lang
        return getattr(client, method)(path, **{**kwargs, "headers": headers})

    es, en, default = send("es-GT,es;q=0.9,en;q=0.5"), send("en-US"), send("fr")
    assert es.status_code == en.status_code == default.status_code >= 400
    body_es, body_en = es.json(), en.json()
    assert body_es["code"] == body_en["code"] and body_es["status"] == body_en["status"] == es.status_code
    assert body_es["error"] != body_en["error"] and default.json()["error"] == body_en["error"]
    assert all(len(b["error"].splitlines()) == 1 for b in (body_es, body_en))
    assert (es.headers["content-language"], en.headers["content-language"]) == ("es", "en")


def test_error_catalogues_match():
    """Every language has the same codes and keys with the same placeholders."""
    import string

    from api.errors import LANGS, catalogue

    def shape(lang):
        return {(code, key, frozenset(f for _, f, _, _ in string.Formatter().parse(text) if f))
                for code, keys in catalogue(lang).items() if not code.startswith("_") for key, text in keys.items()}

    assert all(shape(lang) == shape(LANGS[0]) for lang in LANGS[1:])


def test_a_repeated_query_is_answered_like_the_first(client):
    """The lean path (a GET seen before on this build) answers what the full route answers, with the
    guard's headers; a query whose value changes between runs (RAND) is run again every time."""
    responses = [client.get("/sparql", params={"query": COUNT}, headers=JSON) for _ in range(5)]
    responses += [client.post("/sparql", content=COUNT, headers={**JSON, "Content-Type": "application/sparql-query"})
                  for _ in range(5)]
    responses += [client.post("/sparql", data={"query": COUNT}, headers=JSON) for _ in range(5)]
    assert len({r.content for r in responses}) == 1 and responses[0].json()["results"]["bindings"]
    last = responses[-1].headers
    assert last["x-content-type-options"] == "nosniff" and last["access-control-allow-origin"] == "*"
    assert "frame-ancestors 'none'" in last["content-security-policy"]
    rand = "SELECT (RAND() AS ?r) WHERE { }"
    values = {client.get("/sparql", params={"query": rand}, headers=JSON).json()["results"]["bindings"][0]["r"]["value"]
              for _ in range(6)}
    assert len(values) > 1
    other = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    assert other.headers["content-type"].startswith("text/csv") and other.text.splitlines()[0] == "n"


def test_search_and_ask_endpoints(client):
    got = client.get("/search", params={"q": "presupuesto para la salud", "k": 2}).json()
    assert got["results"][0]["number"] == 21
    posted = client.post("/search", json={"q": "presupuesto para la salud", "k": 2}).json()
    assert posted == got
    answer = client.get("/ask", params={"q": "¿Qué compromisos citan el Decreto 37-2016?"}).json()
    assert answer["intent"] == "commitments_citing_law" and answer["items"][0]["number"] == 20
    assert client.post("/ask", json={"q": "¿Qué compromisos citan el Decreto 37-2016?"}).json() == answer
    english = client.get("/ask", params={"q": "Which commitments cite Decree 37-2016?"}).json()
    assert english["language"] == "en" and set(english) == set(answer)  # same structure in every language
    assert client.get("/search", params={"q": "salud", "k": 0}).status_code == 400


def test_commitments(client):
    commitments = client.get("/commitments").json()
    assert [c["number"] for c in commitments] == list(range(1, 23))
    c21 = client.get("/commitments/21", headers={"Accept": "application/json"}).json()
    assert {p["name"] for p in c21["places"]} >= {"Alta Verapaz", "Petén"}
    assert {m["value"] for m in c21["metrics"] if m["unit"] == "GTQ"} == {"139988000", "95613729"}
    assert c21["institutions"][0]["acronym"] == "MSPAS"
    page = client.get("/commitments/21", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "Alta Verapaz" in page.text
    assert client.get("/commitments/99").status_code == 404


def test_entities_dereference(client):
    path = "/id/plan/GT/2016-2018/commitment/18"
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert any("194-2017" in str(o) for o in graph.objects())
    jsonld = client.get(path, headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == 200 and "ACCIONES PARA MEJORAR LA DISPONIBILIDAD" in html.text
    assert client.get("/id/org/GT/nope", headers={"Accept": "text/turtle"}).status_code == 404
    for bad in ("/id/..%2F..%2Fetc%2Fpasswd", "/id/a/../../etc/passwd", "/id/%00"):
        assert client.get(bad).status_code in (400, 404)


def test_docs_health_and_home(client):
    assert client.get("/docs").status_code == 200
    assert "/sparql" in client.get("/openapi.json").json()["paths"]
    assert client.get("/health").json()["status"] == "ok"
    home = client.get("/")
    assert "Haga una pregunta" in home.text and "Consulta SPARQL" in home.text


# -- real clients over a live server ----------------------------------------------------------------
def test_sparqlwrapper_json_and_xml(live):
    from SPARQLWrapper import JSON as SW_JSON
    from SPARQLWrapper import XML, SPARQLWrapper

    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setQuery("PREFIX ogp: <https://w3id.org/ogp-kg/ontology#> SELECT ?n WHERE { ?c ogp:commitmentNumber ?n } ORDER BY ?n")
    sparql.setReturnFormat(SW_JSON)
    numbers = [int(b["n"]["value"]) for b in sparql.query().convert()["results"]["bindings"]]
    assert numbers == list(range(1, 23))
    sparql.setReturnFormat(XML)
    document = sparql.query().convert()
    assert len(document.getElementsByTagName("result")) == 22


def test_rdflib_sparqlstore(live):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(live.url + "/sparql"))
    rows = list(graph.query("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX ogp: <https://w3id.org/ogp-kg/ontology#>
        SELECT ?name WHERE { ?o ogp:acronym "CONRED" ; skos:prefLabel ?name }"""))
    assert [str(r[0]) for r in rows] == ["Coordinadora Nacional para la Reducción de Desastres"]


# -- 200 malformed inputs: a clear 4xx, never a 5xx, and the server stays up ------------------------
_junk = st.one_of(st.text(max_size=300), st.sampled_from([
    "SELECT * WHERE {", "'; DROP TABLE commitments; --", "1 OR 1=1", "../../etc/passwd", "<script>alert(1)</script>",
    "DELETE WHERE { ?s ?p ?o }", "SELECT * WHERE { SERVICE <http://evil> { ?s ?p ?o } }", "\x00", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Which commitments does the Ministry of Finance run?", "", "   ",
]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["sparql-get", "sparql-post", "sparql-bytes", "ask", "search", "entity", "commitment"]),
       text=_junk, raw=st.binary(max_size=200),
       media=st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded", "text/plain", "", "application/json"]))
def test_malformed_inputs_get_clear_4xx(client, kind, text, raw, media):
    if kind == "sparql-get":
        response = client.get("/sparql", params={"query": text})
    elif kind == "sparql-post":
        response = client.post("/sparql", content=text.encode(), headers={"Content-Type": media})
    elif kind == "sparql-bytes":
        response = client.post("/sparql", content=raw, headers={"Content-Type": media})
    elif kind == "ask":
        response = client.get("/ask", params={"q": text})
    elif kind == "search":
        response = client.get("/search", params={"q": text, "k": len(text) - 5})
    elif kind == "entity":
        response = client.get("/id/" + quote(text, safe="/"))
    else:
        response = client.get("/commitments/" + quote(text, safe=""))
    assert response.status_code < 500, (kind, text, response.text[:200])
    if response.status_code >= 400:
        assert response.text.strip()
    assert client.get("/health").status_code == 200


class _Wire:
    """A transport that records each write (one write is one ``send``)."""

    def __init__(self):
        self.writes, self.closed = [], False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


def test_a_response_head_leaves_with_its_body():
    """``HeadWithBody``: the status line and headers go out with the first body part, in one write;
    later parts as they come; on close, a head still held is written first."""
    from api.server import HeadWithBody

    wire = _Wire()
    out = HeadWithBody(wire)
    out.write(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n")
    assert wire.writes == []
    out.write(b"hello")
    out.write(b" more")
    assert wire.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello", b" more"]
    wire = _Wire()
    out = HeadWithBody(wire)
    out.write(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
    out.close()
    assert wire.writes == [b"HTTP/1.1 500 Internal Server Error\r\n\r\n"] and wire.closed
