"""Namespaces of the vocabularies the graph uses, as pyoxigraph ``NamedNode`` factories."""
from __future__ import annotations

from pyoxigraph import NamedNode

OGP_NS = "https://w3id.org/ogp-kg/ontology#"
ID_NS = "https://w3id.org/ogp-kg/id/"

PREFIXES: dict[str, str] = {
    "ogp": OGP_NS,
    "ogpid": ID_NS,
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class Namespace:
    """``NS.term`` and ``NS["term"]`` give the ``NamedNode`` of a term."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)


OGP = Namespace(OGP_NS)
ORG = Namespace(PREFIXES["org"])
ELI = Namespace(PREFIXES["eli"])
SCHEMA = Namespace(PREFIXES["schema"])
SKOS = Namespace(PREFIXES["skos"])
DCT = Namespace(PREFIXES["dct"])
PROV = Namespace(PREFIXES["prov"])
NIF = Namespace(PREFIXES["nif"])
ITSRDF = Namespace(PREFIXES["itsrdf"])
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
XSD = Namespace(PREFIXES["xsd"])


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to put in front of a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
