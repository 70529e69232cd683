"""SHACL: the built graph conforms; broken copies of it do not."""
import pytest
import rdflib
from rdflib import Literal, Namespace
from rdflib.namespace import RDF, RDFS

from ogp_graph.validate import to_rdflib, validate

OGP = Namespace("https://w3id.org/ogp-kg/ontology#")
DCT = Namespace("http://purl.org/dc/terms/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = Namespace("http://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")


@pytest.fixture(scope="module")
def graph(store) -> rdflib.Graph:
    return to_rdflib(store)


def _copy(graph: rdflib.Graph) -> rdflib.Graph:
    copy = rdflib.Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _one(graph, predicate, obj=None):
    return next(graph.subjects(predicate, obj) if obj is not None else graph.subjects(predicate, None))


def test_built_graph_conforms(graph):
    report = validate(_copy(graph))
    assert report.conforms and report.violations == 0, report.text


def _break_title(g):
    c = _one(g, OGP.commitmentNumber)
    g.remove((c, DCT.title, None))


def _second_number(g):
    c = _one(g, OGP.commitmentNumber)
    g.add((c, OGP.commitmentNumber, Literal(99)))


def _string_number(g):
    c = _one(g, OGP.commitmentNumber)
    g.set((c, OGP.commitmentNumber, Literal("uno")))


def _metric_without_value(g):
    m = _one(g, RDF.type, SCHEMA.QuantitativeValue)
    g.remove((m, SCHEMA.value, None))


def _mention_backwards(g):
    m = _one(g, NIF.anchorOf)
    g.set((m, NIF.beginIndex, Literal(10**7)))


def _law_without_label(g):
    law = _one(g, RDF.type, ELI.LegalResource)
    g.remove((law, RDFS.label, None))


def _orphan_municipality(g):
    m = _one(g, RDF.type, OGP.Municipality)
    g.remove((m, SCHEMA.containedInPlace, None))


def _money_as_text(g):
    m = _one(g, RDF.type, SCHEMA.QuantitativeValue)
    g.set((m, SCHEMA.value, Literal("ciento treinta")))


@pytest.mark.parametrize(
    "damage, path",
    [
        (_break_title, DCT.title),
        (_second_number, OGP.commitmentNumber),
        (_string_number, OGP.commitmentNumber),
        (_metric_without_value, SCHEMA.value),
        (_mention_backwards, NIF.beginIndex),
        (_law_without_label, RDFS.label),
        (_orphan_municipality, SCHEMA.containedInPlace),
        (_money_as_text, SCHEMA.value),
    ],
)
def test_broken_graphs_fail_the_shapes(graph, damage, path):
    broken = _copy(graph)
    damage(broken)
    report = validate(broken)
    assert not report.conforms
    assert f"Result Path: {broken.namespace_manager.normalizeUri(path)}" in report.text or str(path) in report.text
