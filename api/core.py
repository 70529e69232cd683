"""The query core: one loaded store per process, shared by the CLI and the HTTP app."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, QueryBoolean, QueryTriples, RdfFormat

from api.ask import Answer, Asker
from api.conneg import negotiate
from api.functions import inline_search, search_functions
from indexes.search_index import Hit, SearchIndex
from ogp_graph.errors import OgpKgError, StoreError
from ogp_graph.sparql_text import UPDATE_OPERATIONS, operation
from ogp_graph.store import STORE_DIR, current_build, default_data_dir, open_store
from ogp_graph.vocab import PREFIXES

INDEX_DIR = "index"
DUMPS_DIR = "data"

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


class NotFound(RequestError):
    status = 404


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

    def __init__(self, data_dir: Path | str | None = None, *, writable: bool = False):
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.writable = writable

    @cached_property
    def build_dir(self) -> Path:
        return current_build(self.data_dir)

    @cached_property
    def store(self) -> pyoxigraph.Store:
        if self.writable:  # the one writer of this build directory (operator-enabled updates)
            return pyoxigraph.Store(str(self.build_dir / STORE_DIR))
        return open_store(self.data_dir)

    @cached_property
    def index(self) -> SearchIndex:
        """The search index published with the graph (loaded once, with its embedder)."""
        try:
            return SearchIndex.load(self.build_dir / INDEX_DIR)
        except FileNotFoundError as exc:
            raise StoreError(str(exc)) from exc

    def query(self, query: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None):
        """Run a SPARQL query with the graph's prefixes and ``ogp:search`` predeclared; the
        dataset may be set by graph IRIs (SPARQL Protocol ``default-graph-uri``/``named-graph-uri``).

        :raises SyntaxError: the query does not parse.
        """
        if not isinstance(self.store, pyoxigraph.Store):  # a remote SPARQL store cannot call back into Python
            query = inline_search(query, self.search_hits)
        dataset = {}
        if default_graphs:
            dataset["default_graph"] = [NamedNode(g) for g in default_graphs]
        if named_graphs:
            dataset["named_graphs"] = [NamedNode(g) for g in named_graphs]
        return self.store.query(query, prefixes=PREFIXES, custom_functions=search_functions(self.search_hits),
                                base_iri=base_iri, **dataset)

    def update(self, update: str) -> None:
        """Apply a SPARQL Update (only on a service opened with ``writable=True``).

        :raises Forbidden: the service is read-only.
        :raises SyntaxError: the update does not parse.
        """
        if not self.writable:
            raise Forbidden("this service is read-only")
        self.store.update(update, prefixes=PREFIXES)
        self.store.flush()

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
               max_rows: int | None = None, allow_service: bool = False,
               default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
               base_iri: str | None = None) -> SparqlResult:
        """Run a read-only query and serialise its answer.

        The answer format comes from ``format`` (json, xml, csv, tsv; turtle, nt, jsonld, xml) or
        else from an HTTP ``accept`` header. ``max_rows`` caps SELECT answers.

        :raises Forbidden: an update, or a SERVICE call when not allowed.
        :raises SyntaxError: the query does not parse.
        :raises NotAcceptable: no acceptable format for this kind of answer.
        """
        form = operation(query)
        if form in UPDATE_OPERATIONS:
            raise Forbidden("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD…) is refused")
        if not allow_service and _SERVICE.search(query):
            raise Forbidden("federated queries (SERVICE) are disabled on this endpoint")
        dataset = {"default_graphs": default_graphs, "named_graphs": named_graphs, "base_iri": base_iri}
        results = None
        if max_rows and form == "SELECT":
            try:
                results = self.query(_capped(query, max_rows), **dataset)
            except SyntaxError:  # the cap did not fit the query's shape (e.g. a trailing VALUES)
                results = None
        if results is None:
            results = self.query(query, **dataset)
        graph = isinstance(results, (QueryTriples, list))  # a list of triples from a RemoteStore
        kind = "graph" if graph else "boolean" if isinstance(results, QueryBoolean) else "solutions"
        chosen = negotiate(accept, "graph" if kind == "graph" else "results", format)
        if chosen is None:
            wanted = format or accept
            raise NotAcceptable(f"cannot answer a {'CONSTRUCT/DESCRIBE' if kind == 'graph' else 'SELECT/ASK'} "
                                f"query as {wanted!r}")
        media, fmt = chosen
        body = pyoxigraph.serialize(results, format=fmt) if isinstance(results, list) else results.serialize(format=fmt)
        return SparqlResult(body, media, kind)

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
            raise NotFound(f"no commitment number {number}")
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
            raise NotFound(f"no commitment {commitment}")
        rows = self.query(f"""SELECT ?t ?score ?n ?title ?plan WHERE {{ <{commitment}> ogp:qualifiedSimilarity ?q .
            ?q ogp:similarTo ?t ; ogp:score ?score . ?t ogp:commitmentNumber ?n ; dct:title ?title ; ogp:actionPlan ?plan }}
            ORDER BY DESC(?score)""")
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
            raise NotFound(f"no dump {name!r}; see /data/")
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
        return {"data_dir": str(self.data_dir), "build": self.build_dir.name,
                "index_loaded": "index" in self.__dict__, "writable": self.writable}
