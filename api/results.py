"""Serialising query answers under caps: the stream is stopped at the cap, the query is never rewritten.

SELECT solutions are read up to ``max_rows`` (one more tells whether the answer was cut), written
as SPARQL JSON results, and — for another format — re-serialised by Oxigraph from that JSON, so
every format shows the same rows. CONSTRUCT/DESCRIBE triples stop at ``max_triples``. The results
must be consumed on the thread that made them (pyoxigraph's rule); these functions do it at once.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, RdfFormat, Triple

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
              fits: int | None = None, same: bool = False) -> tuple[bytes, bool] | None:
    """(serialised solutions, whether more than ``max_rows`` existed).

    ``fits``: this very query was answered uncut in at most ``fits`` bytes before (same text, same
    build): Oxigraph serialises it natively into a sink bounded by that size, and None comes back
    if it no longer fits (the caller runs the query again without ``fits``). ``same``: the query is
    deterministic, so its answer is the one measured: serialised natively, with no sink."""
    if fits is not None and same:
        return results.serialize(format=fmt), False
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


@dataclass(frozen=True)
class PreparedQuery:
    """A query with everything decided (``Service.prepare``): ``call`` runs it on the store, the
    answer is serialised as ``fmt`` under the caps. Valid for the build it was prepared on."""

    call: Callable[[], object]
    media_type: str
    fmt: QueryResultsFormat | RdfFormat
    graph: bool
    max_rows: int
    max_triples: int
    deterministic: bool = False  # the same answer on the same build (``Analysis.deterministic``)

    def run(self, *, fits: int | None = None) -> SparqlResult:
        """Run and serialise the query. ``fits`` (see ``solutions``): a SELECT known to fit in that
        many bytes is serialised natively; if it no longer fits, it runs again the general way.

        :raises SyntaxError: the store rejects the query.
        """
        results = self.call()
        if isinstance(results, QueryBoolean):
            return SparqlResult(results.serialize(format=self.fmt), self.media_type, "boolean")
        if self.graph:
            body, cut = triples(results, self.fmt, max_triples=self.max_triples)
            return SparqlResult(body, self.media_type, "graph", f"triples={self.max_triples}" if cut else None)
        answer = solutions(results, self.fmt, max_rows=self.max_rows, fits=fits, same=self.deterministic)
        if answer is None:
            return self.run()
        body, cut = answer
        return SparqlResult(body, self.media_type, "solutions", f"rows={self.max_rows}" if cut else None)
