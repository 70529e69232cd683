"""A SPARQL 1.1 endpoint (Query + Update + Graph Store Protocol) used like a pyoxigraph ``Store``.

``RemoteStore("http://127.0.0.1:7878")`` talks to an Oxigraph server (``/query``, ``/update``,
``/store``); other servers can pass their three URLs. It is the remote adapter of
``ogp_graph.store.GraphStore`` (``query`` answers parsed back into pyoxigraph results, ``update``,
``dump``, ``quads_for_pattern``, ``len``), plus the Graph Store Protocol writes a build publishes
with (``replace_default_graph``, ``add_to_graph``). Python-side SPARQL functions (``ogp:search``)
need the embedded store.
"""
from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pyoxigraph
from pyoxigraph import QueryResultsFormat, RdfFormat

from ogp_graph.errors import StoreError


class Solutions(list):
    """SELECT solutions read at once, with their ``variables``: no pyoxigraph iterator outlives the
    call (pyoxigraph objects must be dropped on the thread that made them)."""

    def __init__(self, results: pyoxigraph.QuerySolutions):
        super().__init__(results)
        self.variables = results.variables


class RemoteStore:
    """A remote SPARQL store behind the pyoxigraph ``Store`` methods ogp-kg uses."""

    def __init__(self, url: str, *, query_url: str | None = None, update_url: str | None = None,
                 store_url: str | None = None, timeout: float = 60.0):
        base = url.rstrip("/")
        self.url = base
        self.query_url, self.update_url = query_url or f"{base}/query", update_url or f"{base}/update"
        self.store_url = store_url or f"{base}/store"
        self.client = httpx.Client(timeout=timeout)

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL store at {self.url}: {exc}") from exc
        if response.status_code == 400:
            raise SyntaxError(response.text.strip()[:500])
        if response.status_code >= 300:
            raise StoreError(f"the SPARQL store at {self.url} answered {response.status_code}: {response.text[:300]}")
        return response

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, custom_functions: dict | None = None,
              base_iri: str | None = None, default_graph: list[pyoxigraph.NamedNode] | None = None,
              named_graphs: list[pyoxigraph.NamedNode] | None = None
              ) -> Solutions | pyoxigraph.QueryBoolean | list[pyoxigraph.Triple]:
        """Run ``query`` remotely; SELECT/ASK come back as pyoxigraph ``QuerySolutions``/``QueryBoolean``,
        CONSTRUCT/DESCRIBE as a list of ``Triple``.

        Python-side ``custom_functions`` cannot run there: the caller inlines them first.
        The answer's kind comes from the server's response, not from the query text.

        :raises StoreError: the store fails.
        :raises SyntaxError: the store rejects the query.
        """
        text = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items()) + query
        params = [("default-graph-uri", g.value) for g in default_graph or []]
        params += [("named-graph-uri", g.value) for g in named_graphs or []]
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        response = self._send("POST", self.query_url, params=params, content=text.encode(),
                              headers={"Content-Type": "application/sparql-query",
                                       "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        if response.headers.get("content-type", "").startswith("application/sparql-results+json"):
            results = pyoxigraph.parse_query_results(response.content, format=QueryResultsFormat.JSON)
            return results if isinstance(results, pyoxigraph.QueryBoolean) else Solutions(results)
        return [quad.triple for quad in pyoxigraph.parse(response.content, format=RdfFormat.N_TRIPLES)]

    def update(self, update: str, *, prefixes: dict[str, str] | None = None) -> None:
        """Run SPARQL ``update`` remotely.

        :raises StoreError: the store fails.
        :raises SyntaxError: the store rejects the update.
        """
        text = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items()) + update
        self._send("POST", self.update_url, content=text.encode(), headers={"Content-Type": "application/sparql-update"})

    def replace_default_graph(self, ntriples: bytes, *, graph: str | None = None) -> None:
        """Replace the default graph (or the named ``graph``) with ``ntriples`` in one Graph Store
        Protocol PUT."""
        self._send("PUT", self._graph_url(graph), content=ntriples, headers={"Content-Type": "application/n-triples"})

    def add_to_graph(self, ntriples: bytes, *, graph: str | None = None) -> None:
        """Add ``ntriples`` to the default graph (or the named ``graph``) in one Graph Store Protocol POST."""
        self._send("POST", self._graph_url(graph), content=ntriples, headers={"Content-Type": "application/n-triples"})

    def _graph_url(self, graph: str | None) -> str:
        return f"{self.store_url}?graph={quote(graph, safe='')}" if graph else f"{self.store_url}?default"

    def dump(self, output: None = None, format: RdfFormat = RdfFormat.N_TRIPLES, *,
             from_graph: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
        """One graph — the default graph, or the named graph ``from_graph`` — serialised as ``format``
        (``output`` is ignored: the bytes are returned)."""
        graph = from_graph.value if isinstance(from_graph, pyoxigraph.NamedNode) else None
        data = self._send("GET", self._graph_url(graph), headers={"Accept": "application/n-triples"}).content
        if format != RdfFormat.N_TRIPLES:
            data = pyoxigraph.serialize(list(pyoxigraph.parse(data, format=RdfFormat.N_TRIPLES)), format=format,
                                        **({"prefixes": prefixes} if prefixes else {}))
        return data

    def quads_for_pattern(self, subject: pyoxigraph.NamedNode | None, predicate: pyoxigraph.NamedNode | None,
                          obj: pyoxigraph.NamedNode | pyoxigraph.Literal | None,
                          graph_name: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph | None = None
                          ) -> Iterator[pyoxigraph.Quad]:
        """The quads matching the pattern (``None`` matches anything; ``graph_name=None`` every graph),
        found by one SELECT on the server.

        :raises StoreError: a blank node is given (its label means nothing to the server).
        """
        if any(isinstance(term, pyoxigraph.BlankNode) for term in (subject, predicate, obj, graph_name)):
            raise StoreError("a remote store cannot match a blank node by its label")
        s, p, o = (str(term) if term is not None else f"?{name}"
                   for term, name in ((subject, "s"), (predicate, "p"), (obj, "o")))
        if isinstance(graph_name, pyoxigraph.DefaultGraph):
            where = f"{s} {p} {o}"
        elif isinstance(graph_name, pyoxigraph.NamedNode):
            where = f"GRAPH {graph_name} {{ {s} {p} {o} }}"
        else:
            where = f"{{ {s} {p} {o} }} UNION {{ GRAPH ?g {{ {s} {p} {o} }} }}"
        for row in self.query(f"SELECT * WHERE {{ {where} }}"):
            graph = row["g"] if graph_name is None else graph_name
            yield pyoxigraph.Quad(row["s"] if subject is None else subject, row["p"] if predicate is None else predicate,
                                  row["o"] if obj is None else obj, pyoxigraph.DefaultGraph() if graph is None else graph)

    def flush(self) -> None:
        """Nothing to do: the remote store commits each request."""

    def __len__(self) -> int:
        """The number of quads in every graph (as for the embedded store)."""
        count = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        return int(next(iter(self.query(count)))["n"].value)

