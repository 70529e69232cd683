"""Dumps of the whole graph: Turtle, N-Triples, JSON-LD compacted with the published context."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph

from ogp_graph.store import open_store
from ogp_graph.vocab import PREFIXES
from ontology import CONTEXT_JSONLD

EXPORT_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}


def export_graph(format: str = "turtle", *, data_dir: Path | str | None = None) -> bytes:
    """The default graph of the published build serialised as ``format`` (turtle, nt, jsonld).

    :raises ValueError: unknown format.
    """
    store = open_store(data_dir)
    if format in EXPORT_FORMATS:
        kwargs = {"prefixes": PREFIXES} if format == "turtle" else {}
        return store.dump(format=EXPORT_FORMATS[format], from_graph=pyoxigraph.DefaultGraph(), **kwargs)
    if format == "jsonld":
        from ogp_graph.validate import to_rdflib

        context = json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))
        return to_rdflib(store).serialize(format="json-ld", context=context.get("@context", context)).encode()
    raise ValueError(f"unknown export format {format!r}; use one of {sorted([*EXPORT_FORMATS, 'jsonld'])}")
