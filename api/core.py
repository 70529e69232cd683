"""The query core: one loaded store per process, shared by the CLI and the HTTP app."""
from __future__ import annotations

import datetime
import functools
import os
import threading
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import NamedNode, QueryBoolean, RdfFormat

from api.ask import Answer, Asker
from api.conneg import negotiate
from api.errors import Forbidden, NotAcceptable, NotFound, RequestError  # noqa: F401 (re-exported)
from api.functions import inline_search, scored_functions, search_functions
from api.memo import LRU, digest
from api.policy import Analysis, SearchCall, analyse, check
from api.results import PreparedQuery, SparqlResult
from indexes.search_index import Hit, SearchIndex
from ogp_graph.errors import StoreError
from ogp_graph.layout import DUMPS_DIR, INDEX_DIR
from ogp_graph.rdf import LINKS_GRAPH
from ogp_graph.store import UPDATES_LOG, GraphStore, current_build, default_data_dir, hold_build, open_build_store
from ogp_graph.vocab import PREFIXES

if TYPE_CHECKING:
    from ogp_graph.remote import Solutions

MAX_ROWS = 10_000
MAX_TRIPLES = 50_000
MEMO_SIZE = 1024  # searches and questions remembered per build


class Service:
    """Access to one published build (store, index and dumps of the same build): SPARQL, search, ask.

    ``Service(data_dir)`` serves the build that is current when first used; ``Live`` follows new builds.
    """

    def __init__(self, data_dir: Path | str | None = None, *, writable: bool = False, build_dir: Path | None = None):
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.writable = writable
        self.generation = 0  # updates applied through this service (readers elsewhere reopen on a change)
        if build_dir is not None:
            self.build_dir = Path(build_dir)

    @cached_property
    def build_dir(self) -> Path:
        return current_build(self.data_dir)

    @cached_property
    def build_id(self) -> str:
        return self.build_dir.name

    @cached_property
    def store(self) -> GraphStore:
        """The build's store; writable when this service is the one writer (operator-enabled updates)."""
        return open_build_store(self.build_dir, writable=self.writable)

    @property
    def embedded(self) -> bool:
        """Whether the store runs in this process (and can call Python functions such as ogp:search)."""
        return isinstance(self.store, pyoxigraph.Store)

    @cached_property
    def index(self) -> SearchIndex:
        """The search index published with the graph (loaded once, with its embedder)."""
        try:
            return SearchIndex.load(self.build_dir / INDEX_DIR)
        except FileNotFoundError as exc:
            raise StoreError(str(exc)) from exc

    def query(self, query: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None, scores: dict | None = None, prefixed: bool = True
              ) -> (pyoxigraph.QuerySolutions | QueryBoolean | pyoxigraph.QueryTriples | Solutions
                    | list[pyoxigraph.Triple]):
        """Run a SPARQL query with the graph's prefixes and ``ogp:search`` predeclared; the
        dataset may be set by graph IRIs (SPARQL Protocol ``default-graph-uri``/``named-graph-uri``).
        ``scores`` are precomputed ``ogp:search`` answers (see ``search_scores``) for a process
        without the index (empty: the query calls none). ``prefixed=False``: the query declares
        every prefix it uses (``Analysis.prefixed``), so none are predeclared (faster).

        :raises SyntaxError: the query does not parse.
        """
        return self._store_call(query, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri,
                                scores=scores, prefixed=prefixed)()

    def _store_call(self, query: str, *, default_graphs: list[str] | None, named_graphs: list[str] | None,
                    base_iri: str | None, scores: dict | None, prefixed: bool) -> Callable[[], object]:
        """The store's run of ``query`` with everything decided (functions, dataset, prefixes, the
        searches inlined for a remote store): what ``query`` calls, and what a prepared query repeats."""
        if scores is not None:
            functions = scored_functions(scores) if scores else None
        else:
            functions = search_functions(self.search_hits)
        if not self.embedded and "search" in query:  # a remote store cannot call Python: searches are inlined
            analysis = analyse(query)
            if analysis.dynamic_search:
                raise RequestError("search-constant")
            if analysis.searches:
                found = scores if scores is not None else self.search_scores(analysis.searches)
                query = inline_search(query, lambda text, k, mode: found.get((text, k, mode)),
                                      calls=len(analysis.searches))
        extra: dict = {}
        if default_graphs:
            extra["default_graph"] = [NamedNode(g) for g in default_graphs]
        if named_graphs:
            extra["named_graphs"] = [NamedNode(g) for g in named_graphs]
        if prefixed:
            extra["prefixes"] = PREFIXES
        return functools.partial(self.store.query, query, custom_functions=functions, base_iri=base_iri, **extra)

    def search_scores(self, calls: Iterable[SearchCall]) -> dict:
        """The answers of ``ogp:search`` calls (``policy.SearchCall``): (text, k, mode) → ranked hits."""
        return {(c.text, c.k, c.mode): [(h.commitment, h.score) for h in self.search_hits(c.text, k=c.k, mode=c.mode)]
                for c in dict.fromkeys(calls)}

    def update(self, update: str) -> None:
        """Apply a SPARQL Update (only on a service opened with ``writable=True``) and record it in the
        build's update log, so a rebuild knows it would drop it (``store.new_build`` refuses).

        :raises Forbidden: the service is read-only, or the update LOADs or calls SERVICE.
        :raises MalformedQuery: the update does not parse.
        """
        if not self.writable:
            raise Forbidden("read-only")
        analysis = analyse(update)
        check(analysis, allow_update=True)
        if analysis.kind != "update":
            raise RequestError("query-not-update")
        with _WRITE_LOCK:
            self.store.update(update, prefixes=PREFIXES)
            self.store.flush()
            self.generation += 1
            with open(self.build_dir / UPDATES_LOG, "a", encoding="utf-8") as log:
                log.write(update.rstrip() + "\n;\n")

    @cached_property
    def asker(self) -> Asker:
        return Asker(self)

    def warm(self) -> None:
        """Load the search index and the question models now, so that the first request does not
        wait for them."""
        self.index
        self.asker.warm()

    @cached_property
    def _memo(self) -> LRU:
        """Answers of this build by request: the build never changes, so a repeated question or
        search is answered from here (bounded: ``MEMO_SIZE`` entries)."""
        return LRU(MEMO_SIZE)

    def ask(self, question: str) -> Answer:
        """Answer a question (Spanish, English, Portuguese) from the graph (see ``api.ask``);
        remembered per build (use ``to_dict``, which copies).

        :raises QuestionError: empty, too long or without words.
        """
        return self._memo.get_or_make(("ask", digest(question)), lambda: self.asker.ask(question))

    def search_hits(self, text: str, *, k: int = 10, mode: str = "hybrid") -> list[Hit]:
        """Ranked commitments for ``text`` from the search index (remembered per build).

        :raises ValueError: empty query, k < 1, unknown mode.
        """
        return list(self._memo.get_or_make(("search", digest(text), k, mode),
                                           lambda: self.index.search(text, k=k, mode=mode)))

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

    def sparql(self, query: str, *, fits: int | None = None, **options) -> SparqlResult:
        """Run a read-only query, exactly as written, and serialise its answer (``prepare`` says how;
        ``fits``: see ``PreparedQuery.run``)."""
        return self.prepare(query, **options).run(fits=fits)

    def prepare(self, query: str, *, format: str | None = None, accept: str | None = None,
                max_rows: int = MAX_ROWS, max_triples: int = MAX_TRIPLES, allow_service: tuple[str, ...] = (),
                default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                base_iri: str | None = None, scores: dict | None = None, analysis: Analysis | None = None
                ) -> PreparedQuery:
        """Decide everything about a read-only query once — policy, answer format, the store's
        call — so that ``PreparedQuery.run`` only runs and serialises it (as often as wanted, on this
        build); the query is run exactly as written.

        The answer format comes from ``format`` (json, xml, csv, tsv; turtle, nt, jsonld, xml) or
        else from an HTTP ``accept`` header, and is chosen before the query runs. A SELECT answer
        stops at ``max_rows`` solutions, a CONSTRUCT/DESCRIBE answer at ``max_triples`` triples
        (``SparqlResult.truncated`` says so).

        :raises QueryTooComplex: too large or nested too deeply (before parsing).
        :raises MalformedQuery: the query does not parse (rdflib's message).
        :raises Forbidden: an update, LOAD, or a SERVICE call to an endpoint not in ``allow_service``.
        :raises NotAcceptable: no acceptable format for this kind of answer.
        :raises SyntaxError: Oxigraph rejects the query (when it runs).
        """
        analysis = analysis or analyse(query)
        check(analysis, allow_service=allow_service)
        graph = not analysis.tabular
        chosen = negotiate(accept, "graph" if graph else "results", format)
        if chosen is None:
            wanted = (format or accept or "")[:100]
            raise NotAcceptable("answer", form="CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK", wanted=repr(wanted))
        if analysis.dynamic_search and scores is not None:
            raise RequestError("search-constant")
        if scores is None and not self.embedded and analysis.searches:
            scores = self.search_scores(analysis.searches)
        if scores is None and not analysis.searches and not analysis.dynamic_search:
            scores = {}  # no ogp:search in the query: no Python functions to pass to the store
        media, fmt = chosen
        call = self._store_call(query, default_graphs=default_graphs, named_graphs=named_graphs,
                                base_iri=base_iri if analysis.relative else None, scores=scores,
                                prefixed=analysis.prefixed)
        return PreparedQuery(call, media, fmt, graph=graph, max_rows=max_rows, max_triples=max_triples,
                             deterministic=analysis.deterministic)

    # -- entities and commitments -------------------------------------------------------------------
    def describe(self, iri: str, fmt: RdfFormat = RdfFormat.TURTLE) -> bytes:
        """The entity's own triples and the labels of what they point to, serialised."""
        query = f"""CONSTRUCT {{ <{iri}> ?p ?o . ?o rdfs:label ?l . ?o skos:prefLabel ?pl . ?o schema:name ?n }}
            WHERE {{ <{iri}> ?p ?o . OPTIONAL {{ ?o rdfs:label ?l }} OPTIONAL {{ ?o skos:prefLabel ?pl }}
                     OPTIONAL {{ ?o schema:name ?n }} FILTER(?p != nif:isString) }}"""
        triples = list(self.query(query))
        if not triples:
            return b""
        prefixes = {"prefixes": PREFIXES} if fmt == RdfFormat.TURTLE else {}
        return pyoxigraph.serialize(triples, format=fmt, **prefixes)

    def commitments(self) -> list[dict]:
        """Every commitment: plan, number, title, responsible organisations."""
        rows = self.query("""SELECT ?c ?plan ?n ?title (GROUP_CONCAT(DISTINCT ?org; separator="|") AS ?orgs) WHERE {
            ?c ogp:commitmentNumber ?n ; dct:title ?title ; ogp:actionPlan ?plan .
            OPTIONAL { ?c ogp:responsibleOrganization/skos:prefLabel ?org } }
            GROUP BY ?c ?plan ?n ?title ORDER BY ?plan ?n""")
        return [{"commitment": r["c"].value, "plan": r["plan"].value, "number": int(r["n"].value),
                 "title": r["title"].value, "responsible": [o for o in r["orgs"].value.split("|") if o]} for r in rows]

    def commitment(self, number: int, *, plan: str | None = None) -> dict:
        """One commitment with its institutions, laws, places and metrics (first plan by default).

        :raises NotFound: no such commitment.
        """
        plans = [c for c in self.commitments() if c["number"] == number and (plan is None or c["plan"] == plan)]
        if not plans:
            raise NotFound("commitment-number", number=number)
        c = plans[0]
        iri = f"<{c['commitment']}>"

        def rows(query: str) -> list[dict]:
            results = self.query(query)
            names = [v.value for v in results.variables]
            return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in results]

        return {
            **c,
            "progress": next(iter(rows(f"SELECT ?t WHERE {{ {iri} ogp:progressText ?t }}")), {}).get("t"),
            "institutions": rows(f"""SELECT DISTINCT ?iri ?name ?acronym ?role WHERE {{ {{ {iri} ogp:responsibleOrganization ?iri
                BIND("responsable" AS ?role) }} UNION {{ {iri} ogp:mentions ?iri . ?iri a org:Organization
                FILTER NOT EXISTS {{ {iri} ogp:responsibleOrganization ?iri }} BIND("mencionada" AS ?role) }}
                ?iri skos:prefLabel ?name OPTIONAL {{ ?iri ogp:acronym ?acronym }} }} ORDER BY ?role ?name"""),
            "laws": rows(f"""SELECT DISTINCT ?iri ?label ?name WHERE {{ {iri} ogp:citesLegislation ?iri . ?iri rdfs:label ?label
                OPTIONAL {{ ?iri skos:prefLabel ?name }} }} ORDER BY ?label"""),
            "places": rows(f"""SELECT DISTINCT ?iri ?name ?parent WHERE {{ {iri} dct:spatial ?iri . ?iri schema:name ?name
                OPTIONAL {{ ?iri schema:containedInPlace/schema:name ?parent }} }} ORDER BY ?name"""),
            "metrics": rows(f"""SELECT ?value ?unit ?description ?kind ?quote WHERE {{ {iri} ogp:metric ?m .
                ?m schema:value ?value ; schema:unitText ?unit ; schema:description ?description ; ogp:metricKind ?kind ;
                   prov:wasDerivedFrom/nif:anchorOf ?quote }} ORDER BY ?kind DESC(?value)"""),
        }

    def similar(self, commitment: str) -> list[dict]:
        """Commitments of other plans similar to ``commitment`` (an IRI), best first.

        :raises NotFound: no such commitment.
        """
        if not bool(self.query(f"ASK {{ <{commitment}> a ogp:Commitment }}")):
            raise NotFound("commitment", iri=commitment)
        rows = self.query(f"""SELECT ?t ?score ?n ?title ?plan WHERE {{
            GRAPH <{LINKS_GRAPH.value}> {{ <{commitment}> ogp:qualifiedSimilarity ?q . ?q ogp:similarTo ?t ; ogp:score ?score }}
            ?t ogp:commitmentNumber ?n ; dct:title ?title ; ogp:actionPlan ?plan }} ORDER BY DESC(?score)""")
        return [{"commitment": r["t"].value, "score": float(r["score"].value), "number": int(r["n"].value),
                 "title": r["title"].value, "plan": r["plan"].value} for r in rows]

    def description(self, endpoint: str) -> bytes:
        """SPARQL 1.1 Service Description of the endpoint (Turtle), advertising the dumps."""
        base = endpoint.rsplit("/", 1)[0]
        formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
        dumps = [f"      void:dataDump <{base}/data/{name}> ;" for name in self.dumps()]
        lines = [
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
            "@prefix ogp: <https://w3id.org/ogp-kg/ontology#> .",
            "@prefix void: <http://rdfs.org/ns/void#> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            f"<{endpoint}> a sd:Service ;",
            f"  sd:endpoint <{endpoint}> ;",
            "  sd:supportedLanguage sd:SPARQL11Query ;",
            "  sd:extensionFunction ogp:search ;",
            *[f"  sd:resultFormat <http://www.w3.org/ns/formats/{f}> ;" for f in formats],
            "  sd:defaultDataset [ a sd:Dataset, void:Dataset ;",
            *dumps,
            f"      rdfs:seeAlso <{base}/data/void.ttl> ;",
            f"      sd:defaultGraph [ a sd:Graph ; void:triples {len(self.store)} ] ] .",
            "ogp:search a sd:Function .",
        ]
        return ("\n".join(lines) + "\n").encode()

    def dumps(self) -> list[str]:
        """File names of the dumps published with the build."""
        folder = self.build_dir / DUMPS_DIR
        return sorted(p.name for p in folder.glob("ogp-kg-*")) if folder.exists() else []

    def dump_path(self, name: str) -> Path:
        """The dump file ``name``.

        :raises NotFound: no such dump.
        """
        if name not in self.dumps():
            raise NotFound("dump", name=repr(name))
        return self.build_dir / DUMPS_DIR / name

    def void(self, base_url: str) -> bytes:
        """VoID + DCAT description of the graph with links under ``base_url``."""
        from api.export import DCAT, DUMP_FORMATS, VOID, describe_dataset

        media = {ext: m for ext, m, _ in DUMP_FORMATS.values()}
        dumps = {media[n.rsplit(".", 1)[1]]: n for n in self.dumps()}
        issued = datetime.date.fromisoformat(self.dumps()[0][7:17]) if self.dumps() else datetime.date.today()
        quads = describe_dataset(self.store, dumps, base_url, issued)
        return pyoxigraph.serialize([q.triple for q in quads], format=RdfFormat.TURTLE,
                                    prefixes={**PREFIXES, "void": VOID.base, "dcat": DCAT.base})

    def status(self) -> dict:
        """What this service has loaded (for /health)."""
        return {"build": self.build_id, "index_loaded": "index" in self.__dict__, "writable": self.writable,
                "store": "embedded" if self.embedded else "remote"}


_WRITE_LOCK = threading.Lock()


class Live:
    """The service of the newest published build, switched at request boundaries.

    ``with live.use() as service:`` gives one ``Service`` for the whole request (its store, index and
    dumps come from one build). A newer build is noticed by one ``readlink`` of ``current``; the
    old service is dropped when its last request ends. Each build in use is held with a shared
    lock (``store.hold_build``) so a publish never deletes it under a reader.
    """

    def __init__(self, data_dir: Path | str | None = None, *, writable: bool = False, service: Service | None = None):
        self.data_dir = Path(data_dir) if data_dir else (service.data_dir if service else default_data_dir())
        self.writable = writable
        self._lock = threading.Lock()
        self._users: dict[str, int] = {}
        self._holds: dict[str, object] = {}
        self._service = service
        self._link, self._target = str(self.data_dir / "current"), None
        if service is not None:
            self._hold(service)

    def _hold(self, service: Service) -> None:
        try:
            self._holds[service.build_id] = hold_build(service.build_dir)
        except OSError:  # a read-only data directory: nothing can delete the build under us either
            pass
        self._users.setdefault(service.build_id, 0)

    def _release(self, build_id: str) -> None:
        if self._users.get(build_id) == 0 and (self._service is None or self._service.build_id != build_id):
            self._users.pop(build_id, None)
            hold = self._holds.pop(build_id, None)
            if hold is not None:
                hold.close()

    def current(self) -> Service:
        """The service of the published build (switching to a newer one if there is one).

        :raises StoreError: nothing has been built yet.
        """
        try:
            target = os.readlink(self._link)
        except OSError:
            raise StoreError(f"no graph in {self.data_dir.name}: run `ogp-kg build` first") from None
        service = self._service
        if service is not None and target == self._target:  # one readlink per request, nothing else
            return service
        with self._lock:
            if self._service is None or self._service.build_id != Path(target).name:
                old = self._service
                self._service = Service(self.data_dir, writable=self.writable,
                                        build_dir=(self.data_dir / target).resolve())
                self._hold(self._service)
                if old is not None:
                    self._release(old.build_id)
            self._target = target
            return self._service

    def use(self) -> _InUse:
        """One consistent service for the duration of a request: ``with live.use() as service:``."""
        return _InUse(self)


class _InUse:
    """The context manager of ``Live.use`` (a class: cheaper than a generator on the lean path)."""

    __slots__ = ("live", "service")

    def __init__(self, live: Live):
        self.live = live

    def __enter__(self) -> Service:
        live, service = self.live, self.live.current()
        with live._lock:
            live._users[service.build_id] = live._users.get(service.build_id, 0) + 1
        self.service = service
        return service

    def __exit__(self, *exc) -> None:
        live, build_id = self.live, self.service.build_id
        with live._lock:
            live._users[build_id] -= 1
            live._release(build_id)
