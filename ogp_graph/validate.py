"""SHACL validation of a built graph with pySHACL and the shipped shapes."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph
import rdflib

from ontology import ONTOLOGY_TTL, SHAPES_TTL


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of a SHACL run: ``conforms`` is False only for violations (warnings pass)."""

    conforms: bool
    violations: int
    warnings: int
    text: str


def to_rdflib(store: pyoxigraph.Store) -> rdflib.Graph:
    """Copy the default graph of ``store`` into an in-memory rdflib Graph."""
    graph = rdflib.Graph()
    graph.parse(data=store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()),
                format="nt")
    return graph


def validate(data: rdflib.Graph) -> ValidationReport:
    """Validate ``data`` (the ontology is added to it) against ``ontology/shapes.ttl``."""
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(SHAPES_TTL)
    data.parse(ONTOLOGY_TTL)  # concept schemes (completion levels, document types) the data points to
    _, results, text = shacl(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    severities = [str(s) for s in results.objects(None, sh.resultSeverity)]
    violations = severities.count(str(sh.Violation))
    return ValidationReport(violations == 0, violations, len(severities) - violations, text)
