"""The ``GraphStore`` contract, run on both adapters: the embedded pyoxigraph store and a real Oxigraph
SPARQL server behind ``RemoteStore``. Every other test reads the embedded store only."""
from __future__ import annotations

import pyoxigraph
import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat

from ogp_graph.rdf import LINKS_GRAPH
from ogp_graph.remote import RemoteStore
from ogp_graph.store import GraphStore, open_store
from tests.conftest import oxigraph_serving

OGP = "https://w3id.org/ogp-kg/ontology#"
PREFIXES = {"ogp": OGP}
COMMITMENT = NamedNode(OGP + "Commitment")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(scope="module")
def reference(built) -> pyoxigraph.Store:
    """The embedded store of the bundled report: what every adapter must answer like."""
    return open_store(built[0])


@pytest.fixture(scope="module")
def store(any_built) -> GraphStore:
    return open_store(any_built[0])


@pytest.fixture(params=["embedded", "remote"])
def scratch(request, tmp_path):
    """An empty writable store of each adapter."""
    if request.param == "embedded":
        yield pyoxigraph.Store()
        return
    with oxigraph_serving(tmp_path / "server") as url:
        yield RemoteStore(url)


def _rows(results) -> set[tuple]:
    return {tuple(row[v] for v in results.variables) for row in results}


def test_both_adapters_are_graph_stores(store):
    assert isinstance(store, GraphStore)


@pytest.mark.parametrize("query", [
    "SELECT ?c ?n WHERE { ?c a ogp:Commitment ; ogp:commitmentNumber ?n }",
    "SELECT ?n (COUNT(?o) AS ?k) WHERE { ?c ogp:commitmentNumber ?n ; ogp:responsibleOrganization ?o } GROUP BY ?n",
    'SELECT ?l WHERE { ?x ?p ?l FILTER(isLiteral(?l) && langMatches(lang(?l), "es")) } LIMIT 50',
    "SELECT ?a ?b WHERE { GRAPH ?g { ?a ?p ?b } } LIMIT 200",
    "SELECT ?missing WHERE { OPTIONAL { ?c <urn:nothing> ?missing } }",
])
def test_select_answers_match_the_embedded_store(store, reference, query):
    results, expected = store.query(query, prefixes=PREFIXES), reference.query(query, prefixes=PREFIXES)
    assert [v.value for v in results.variables] == [v.value for v in expected.variables]
    assert _rows(results) == _rows(expected)


def test_select_sees_the_report(store):
    numbers = {int(row["n"].value) for row in
               store.query("SELECT ?n WHERE { ?c a ogp:Commitment ; ogp:commitmentNumber ?n }", prefixes=PREFIXES)}
    assert numbers == set(range(1, 23))


def test_ask_and_construct(store, reference):
    assert bool(store.query("ASK { ?c a ogp:Commitment }", prefixes=PREFIXES)) is True
    assert bool(store.query("ASK { ?c a <urn:no-such-class> }")) is False
    construct = "CONSTRUCT { ?c ogp:commitmentNumber ?n } WHERE { ?c ogp:commitmentNumber ?n }"
    triples = set(store.query(construct, prefixes=PREFIXES))
    assert len(triples) == 22 and triples == set(reference.query(construct, prefixes=PREFIXES))
    assert all(isinstance(t, pyoxigraph.Triple) for t in triples)


def test_length_and_dumps_agree(store, reference):
    assert len(store) == len(reference) > 1000
    for graph in (DefaultGraph(), LINKS_GRAPH):
        dumped = set(pyoxigraph.parse(store.dump(format=RdfFormat.N_TRIPLES, from_graph=graph), format=RdfFormat.N_TRIPLES))
        expected = set(pyoxigraph.parse(reference.dump(format=RdfFormat.N_TRIPLES, from_graph=graph),
                                        format=RdfFormat.N_TRIPLES))
        assert dumped == expected
    assert set(pyoxigraph.parse(store.dump(format=RdfFormat.TURTLE, from_graph=DefaultGraph()), format=RdfFormat.TURTLE)) \
        == set(pyoxigraph.parse(reference.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()),
                                format=RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("pattern", [
    (None, RDF_TYPE, COMMITMENT, None),
    (None, RDF_TYPE, COMMITMENT, DefaultGraph()),
    (None, None, None, LINKS_GRAPH),
    (None, NamedNode(OGP + "commitmentNumber"), Literal("7", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")), None),
])
def test_quads_for_pattern_match_the_embedded_store(store, reference, pattern):
    found, expected = set(store.quads_for_pattern(*pattern)), set(reference.quads_for_pattern(*pattern))
    assert found == expected and (found or pattern[2] is None)


def test_a_subject_pattern_finds_its_quads(store, reference):
    commitment = next(iter(reference.quads_for_pattern(None, RDF_TYPE, COMMITMENT))).subject
    found = set(store.quads_for_pattern(commitment, None, None))
    assert found == set(reference.quads_for_pattern(commitment, None, None)) and len(found) > 5


def test_malformed_queries_are_syntax_errors(store):
    with pytest.raises(SyntaxError):
        store.query("SELECT ?x WHERE { ?x")


def test_updates_are_seen_and_undone(scratch):
    text = Literal('comillas " y salto\nde línea', language="es")
    scratch.update(f"INSERT DATA {{ <urn:a> <urn:label> {text} . GRAPH <urn:g> {{ <urn:a> <urn:b> <urn:c> }} }}")
    scratch.flush()
    assert len(scratch) == 2
    assert set(scratch.quads_for_pattern(None, NamedNode("urn:label"), text)) == \
        {Quad(NamedNode("urn:a"), NamedNode("urn:label"), text, DefaultGraph())}
    assert {q.graph_name for q in scratch.quads_for_pattern(NamedNode("urn:a"), None, None)} == {DefaultGraph(), NamedNode("urn:g")}
    assert b"<urn:b>" in scratch.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode("urn:g"))
    scratch.update("DELETE WHERE { GRAPH <urn:g> { ?s ?p ?o } }")
    assert len(scratch) == 1
    with pytest.raises(SyntaxError):
        scratch.update("INSERT DATA { <urn:a> ")
