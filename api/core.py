"""The query core: one loaded store per process, shared by the CLI and the HTTP app."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph
from pyoxigraph import QueryBoolean, QueryTriples

from api.ask import Answer, Asker
from api.conneg import negotiate
from api.functions import search_functions
from indexes.search_index import Hit, SearchIndex
from ogp_graph.errors import OgpKgError, StoreError
from ogp_graph.store import current_build, default_data_dir, open_store
from ogp_graph.vocab import PREFIXES

INDEX_DIR = "index"

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX|BASE)\b[^{]*?)?\b(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.DOTALL
)
_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?[<?$]", re.IGNORECASE)
_FINAL_LIMIT = re.compile(r"\bLIMIT\s+(\d+)(\s+OFFSET\s+\d+)?\s*$|\bOFFSET\s+\d+\s+LIMIT\s+(\d+)\s*$", re.IGNORECASE)
_COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)


class RequestError(OgpKgError):
    """A request the service refuses; ``status`` is the HTTP status it maps to."""

    status = 400


class Forbidden(RequestError):
    status = 403


class NotAcceptable(RequestError):
    status = 406


class QueryTimeout(RequestError):
    status = 503


def _capped(query: str, max_rows: int) -> str:
    """``query`` with its final LIMIT clamped to ``max_rows`` (or one added)."""
    body = _COMMENT.sub("", query).rstrip()
    m = _FINAL_LIMIT.search(body)
    if m:
        limit = int(m.group(1) or m.group(3))
        return body if limit <= max_rows else body[: m.start()] + f"LIMIT {max_rows}" + (m.group(2) or "")
    return f"{body}\nLIMIT {max_rows}"


@dataclass(frozen=True)
class SparqlResult:
    """A serialised query answer."""

    body: bytes
    media_type: str
    kind: str  # "solutions" | "boolean" | "graph"


class Service:
    """Read-only access to a published build: SPARQL now, search and ask on top."""

    def __init__(self, data_dir: Path | str | None = None):
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()

    @cached_property
    def build_dir(self) -> Path:
        return current_build(self.data_dir)

    @cached_property
    def store(self) -> pyoxigraph.Store:
        return open_store(self.data_dir)

    @cached_property
    def index(self) -> SearchIndex:
        """The search index published with the graph (loaded once, with its embedder)."""
        try:
            return SearchIndex.load(self.build_dir / INDEX_DIR)
        except FileNotFoundError as exc:
            raise StoreError(str(exc)) from exc

    def query(self, query: str):
        """Run a SPARQL query with the graph's prefixes and ``ogp:search`` predeclared.

        :raises SyntaxError: the query does not parse.
        """
        return self.store.query(query, prefixes=PREFIXES, custom_functions=search_functions(self.search_hits))

    @cached_property
    def asker(self) -> Asker:
        return Asker(self)

    def ask(self, question: str) -> Answer:
        """Answer a Spanish question from the graph (see ``api.ask``).

        :raises QuestionError: empty, too long or not Spanish.
        """
        return self.asker.ask(question)

    def search_hits(self, text: str, *, k: int = 10, mode: str = "hybrid") -> list[Hit]:
        """Ranked commitments for ``text`` from the search index.

        :raises ValueError: empty query, k < 1, unknown mode.
        """
        return self.index.search(text, k=k, mode=mode)

    def search(self, text: str, *, k: int = 10, mode: str = "hybrid") -> list[dict]:
        """Ranked commitments with number, title, score and the best passage with its source span."""
        hits = self.search_hits(text, k=k, mode=mode)
        if not hits:
            return []
        values = " ".join(f"<{h.commitment}>" for h in hits)
        about = {
            row["c"].value: (int(row["n"].value), row["title"].value)
            for row in self.query(f"SELECT ?c ?n ?title WHERE {{ VALUES ?c {{ {values} }} "
                                  "?c ogp:commitmentNumber ?n ; dct:title ?title }")
        }
        return [
            {"commitment": h.commitment, "number": about[h.commitment][0], "title": about[h.commitment][1],
             "score": h.score, "passage": h.passage.text, "source": h.passage.doc,
             "span": [h.passage.start, h.passage.end]}
            for h in hits if h.commitment in about
        ]

    def sparql(self, query: str, *, format: str | None = None, accept: str | None = None,
               max_rows: int | None = None, allow_service: bool = False) -> SparqlResult:
        """Run a read-only query and serialise its answer.

        The answer format comes from ``format`` (json, xml, csv, tsv; turtle, nt, jsonld, xml) or
        else from an HTTP ``accept`` header. ``max_rows`` caps SELECT answers.

        :raises Forbidden: an update, or a SERVICE call when not allowed.
        :raises SyntaxError: the query does not parse.
        :raises NotAcceptable: no acceptable format for this kind of answer.
        """
        if _UPDATE.match(_COMMENT.sub("", query)):
            raise Forbidden("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD…) is refused")
        if not allow_service and _SERVICE.search(query):
            raise Forbidden("federated queries (SERVICE) are disabled on this endpoint")
        results = None
        if max_rows:
            try:
                results = self.query(_capped(query, max_rows))
            except SyntaxError:  # the cap did not fit the query's shape (e.g. a trailing VALUES)
                results = None
        if results is None:
            results = self.query(query)
        kind = "graph" if isinstance(results, QueryTriples) else "boolean" if isinstance(results, QueryBoolean) else "solutions"
        chosen = negotiate(accept, "graph" if kind == "graph" else "results", format)
        if chosen is None:
            wanted = format or accept
            raise NotAcceptable(f"cannot answer a {'CONSTRUCT/DESCRIBE' if kind == 'graph' else 'SELECT/ASK'} "
                                f"query as {wanted!r}")
        media, fmt = chosen
        return SparqlResult(results.serialize(format=fmt), media, kind)
