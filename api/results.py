"""Serialising query answers under caps: the stream is stopped at the cap, the query is never rewritten.

SELECT solutions are read up to ``max_rows`` (one more tells whether the answer was cut), written
as SPARQL JSON results, and — for another format — re-serialised by Oxigraph from that JSON, so
every format shows the same rows. CONSTRUCT/DESCRIBE triples stop at ``max_triples``. The results
must be consumed on the thread that made them (pyoxigraph's rule); these functions do it at once.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, Triple

if TYPE_CHECKING:
    from ogp_graph.remote import Solutions

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class SparqlResult:
    """A serialised query answer; ``truncated`` names the cap that cut it ("rows=N", "triples=N") or is None."""

    body: bytes
    media_type: str
    kind: str  # "solutions" | "boolean" | "graph"
    truncated: str | None = None


def _term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction).rsplit(".", 1)[-1].lower()
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": _term(term.subject), "predicate": _term(term.predicate),
                                            "object": _term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


class _Bounded:
    """A binary sink that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit, self.size, self.parts = limit, 0, []

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise OverflowError(f"more than {self.limit} bytes")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing buffered."""


def solutions(results: pyoxigraph.QuerySolutions | Solutions, fmt: QueryResultsFormat, *, max_rows: int,
              fits: int | None = None) -> tuple[bytes, bool] | None:
    """(serialised solutions, whether more than ``max_rows`` existed).

    ``fits``: this very query was answered uncut in at most ``fits`` bytes before (same text, same
    build): Oxigraph serialises it natively into a sink bounded by that size, and None comes back
    if it no longer fits (the caller runs the query again without ``fits``)."""
    if fits is not None:
        sink = _Bounded(fits)
        try:
            results.serialize(sink, format=fmt)
        except OverflowError:
            return None
        return b"".join(sink.parts), False
    names = [v.value for v in results.variables]
    rows = list(islice(results, max_rows + 1))
    cut = len(rows) > max_rows
    bindings = [{n: _term(t) for n, t in zip(names, row) if t is not None} for row in rows[:max_rows]]
    body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    if fmt != QueryResultsFormat.JSON:
        body = pyoxigraph.parse_query_results(body, format=QueryResultsFormat.JSON).serialize(format=fmt)
    return body, cut


def triples(results: Iterable[Triple], fmt: pyoxigraph.RdfFormat, *, max_triples: int,
            prefixes: dict[str, str] | None = None) -> tuple[bytes, bool]:
    """(serialised triples, whether more than ``max_triples`` existed)."""
    items = list(islice(results, max_triples + 1))
    cut = len(items) > max_triples
    extra = {"prefixes": prefixes} if prefixes and fmt == pyoxigraph.RdfFormat.TURTLE else {}
    return pyoxigraph.serialize(items[:max_triples], format=fmt, **extra) or b"", cut
