"""The query core: one loaded store per process, shared by the CLI and the HTTP app."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples, RdfFormat

from api.functions import search_functions
from indexes.search_index import Hit, SearchIndex
from ogp_graph.errors import StoreError
from ogp_graph.store import current_build, default_data_dir, open_store
from ogp_graph.vocab import PREFIXES

INDEX_DIR = "index"

#: --format names of SELECT/ASK result formats and of graph (CONSTRUCT/DESCRIBE) formats
RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}


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

    def sparql(self, query: str, *, format: str | None = None) -> SparqlResult:
        """Run a query and serialise its answer (``format`` from RESULT_FORMATS or GRAPH_FORMATS).

        :raises SyntaxError: the query does not parse.
        :raises ValueError: the format does not suit the query form.
        """
        results = self.query(query)
        if isinstance(results, QueryTriples):
            fmt = GRAPH_FORMATS.get(format or "turtle")
            if fmt is None:
                raise ValueError(f"format {format!r} is for SELECT/ASK; graphs take {sorted(GRAPH_FORMATS)}")
            return SparqlResult(results.serialize(format=fmt), fmt.media_type, "graph")
        fmt = RESULT_FORMATS.get(format or "json")
        if fmt is None:
            raise ValueError(f"format {format!r} is for graphs; SELECT/ASK take {sorted(RESULT_FORMATS)}")
        kind = "boolean" if isinstance(results, QueryBoolean) else "solutions"
        assert isinstance(results, (QueryBoolean, QuerySolutions))
        return SparqlResult(results.serialize(format=fmt), fmt.media_type, kind)
