"""What the explorer shows, read from the graph through ``Service.query``: labels, the filtered
commitment list with facet counts, entity pages grouped into sections, the raw triples, charts and
the network. Every fact is optional: a missing label falls back to the IRI's last segment."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache, partial

import pyoxigraph
from pyoxigraph import Literal, NamedNode

from api.explorer import figures
from ogp_graph.rdf import entity_iri as entity_iri_of
from ogp_graph.rdf import entity_path
from ogp_graph.vocab import ID_NS, OGP_NS, PREFIXES

LANGS = ("es", "en")
_IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|^`\\]+")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~:/@!$&'()*+,;=%-]{1,300}$")
_LABEL_PROPERTIES = ("skos:prefLabel", "schema:name", "dct:title", "rdfs:label")

#: entity class → page kind (first match wins)
KINDS = (
    ("ogp:Commitment", "commitment"), ("ogp:ActionPlan", "plan"), ("ogp:SourceDocument", "document"),
    ("org:Organization", "org"), ("eli:LegalResource", "law"), ("eli:LegalResourceSubdivision", "law"),
    ("schema:Country", "country"), ("schema:Place", "place"), ("schema:QuantitativeValue", "metric"),
)
#: page kind → the kind of mark it gets in the source view
MARKS = {"org": "org", "law": "law", "place": "place", "country": "place", "metric": "metric"}

#: facet name → SPARQL pattern binding ?v for commitment ?c
FACETS = {
    "country": "?c ogp:actionPlan/ogp:country ?v",
    "plan": "?c ogp:actionPlan ?v",
    "institution": "?c ogp:responsibleOrganization ?v",
    "department": "{ ?c dct:spatial ?v } UNION { ?c dct:spatial/schema:containedInPlace+ ?v } ?v a ogp:Department",
    "law": "{ ?c ogp:citesLegislation ?v } UNION { ?c ogp:citesProvision/eli:is_part_of ?v }",
    "value": "?c ogp:ogpValue ?v",
    "status": "?c ogp:completionStatus ?v",
}


def expand(curie: str) -> str:
    """The full IRI of ``curie`` (a prefix of ``PREFIXES``).

    :raises KeyError: unknown prefix.
    """
    prefix, _, name = curie.partition(":")
    return PREFIXES[prefix] + name


def compact(iri: str) -> str:
    """``ogp:Commitment`` for an IRI in a known namespace, else the IRI."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and prefix != "ogpid":
            return f"{prefix}:{iri[len(base):]}"
    return iri


def local_path(iri: str) -> str | None:
    """The explorer path of an entity IRI (``/id/…``, fragment kept), or None for outside IRIs."""
    path = entity_path(iri)
    return None if path is None else "/id/" + path


def entity_iri(path: str) -> str:
    """The entity IRI of an explorer path below ``/id/``.

    :raises ValueError: not a safe entity path.
    """
    if not _SAFE_PATH.match(path) or ".." in path.split("/"):
        raise ValueError("not an entity path")
    return entity_iri_of(path).value


def filter_param(iri: str) -> str:
    """The query-parameter form of a facet value: ``org/GT/minfin``, ``Complete``."""
    path = entity_path(iri)
    return path if path is not None else iri[len(OGP_NS):] if iri.startswith(OGP_NS) else iri


def filter_iri(param: str) -> str:
    """Inverse of ``filter_param``.

    :raises ValueError: a value that is not an entity path or an ontology term.
    """
    if "/" in param:
        return entity_iri(param)
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", param):
        return OGP_NS + param
    raise ValueError(f"not a filter value: {param!r}")


@lru_cache(maxsize=1)
def _ontology() -> pyoxigraph.Store:
    from ontology import ONTOLOGY_TTL

    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY_TTL), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _pick(candidates: list[tuple[int, Literal]], lang: str) -> str:
    """The best label: the language asked for, then untagged, then any; by property order."""
    def rank(item: tuple[int, Literal]) -> tuple[int, int]:
        prop, lit = item
        tag = lit.language or ""
        return (0 if tag == lang else 1 if not tag else 2, prop)

    return min(candidates, key=rank)[1].value


def fallback_label(iri: str) -> str:
    """A label for an IRI without one: its last path or fragment segment."""
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri


@dataclass
class Item:
    """One line of a section: a link (or plain text) and an optional note."""

    label: str
    href: str | None = None
    note: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Section:
    key: str  # the UI string naming it
    items: list[Item]


class Explorer:
    """Read-only views over one ``Service``. Labels, facet memberships and document texts are
    cached: a published build does not change (an operator's SPARQL Update shows after a restart)."""

    def __init__(self, service):
        self.service = service
        self._labels: dict[tuple[str, str], str] = {}
        self._marks: dict[tuple[str, str], list[dict]] = {}

    # -- plumbing -----------------------------------------------------------------------------------
    def rows(self, query: str) -> list[dict[str, str | None]]:
        """A SELECT query's solutions as plain values (None where unbound)."""
        return _plain(self.service.query(query))

    def labels(self, iris: Iterable[str | None], lang: str) -> dict[str, str]:
        """Human labels of ``iris`` (graph labels, then the ontology's, then the last segment)."""
        wanted = {i for i in iris if i}
        missing = sorted(i for i in wanted if (i, lang) not in self._labels and _IRI.fullmatch(i))
        self._labels |= {(i, lang): label for i, label in self._fetch_labels(missing, lang).items()}
        return {i: self._labels.get((i, lang)) or fallback_label(i) for i in wanted}

    def _fetch_labels(self, iris: list[str], lang: str) -> dict[str, str]:
        found: dict[str, list[tuple[int, Literal]]] = defaultdict(list)
        order = {expand(p): i for i, p in enumerate(_LABEL_PROPERTIES)}
        props = " ".join(_LABEL_PROPERTIES)
        for chunk in (iris[i:i + 400] for i in range(0, len(iris), 400)):
            values = " ".join(f"<{i}>" for i in chunk)
            query = f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {props} }} ?s ?p ?l FILTER(isLiteral(?l)) }}"
            for results in (self.service.query(query), _ontology().query(query, prefixes=PREFIXES)):
                for r in results:
                    found[r["s"].value].append((order[r["p"].value], r["l"]))
        return {i: _pick(found[i], lang) if found[i] else fallback_label(i) for i in iris}

    def types(self, iri: str) -> set[str]:
        """The ``rdf:type`` IRIs of ``iri``."""
        return {r["t"] for r in self.rows(f"SELECT ?t WHERE {{ <{iri}> a ?t }}")}

    def kind(self, types: set[str]) -> str:
        """The explorer's kind of an entity with these types ("other" when none matches)."""
        return next((kind for curie, kind in KINDS if expand(curie) in types), "other")

    @cached_property
    def _texts(self) -> dict[str, str]:
        return {r["d"]: r["t"] for r in self.rows("SELECT ?d ?t WHERE { ?d nif:isString ?t }")}

    def text(self, doc: str) -> str | None:
        """The cleaned text (``nif:isString``) of a source document."""
        return self._texts.get(doc)

    def link(self, iri: str, labels: dict[str, str], note: str | None = None) -> Item:
        """A link ``Item`` to ``iri``'s page, labelled from ``labels``."""
        return Item(labels.get(iri) or fallback_label(iri), local_path(iri), note)

    # -- the commitment list ------------------------------------------------------------------------
    @cached_property
    def memberships(self) -> dict[str, dict[str, set[str]]]:
        """facet → commitment IRI → its values."""
        out: dict[str, dict[str, set[str]]] = {}
        for facet, pattern in FACETS.items():
            table: dict[str, set[str]] = defaultdict(set)
            for r in self.rows(f"SELECT DISTINCT ?c ?v WHERE {{ ?c a ogp:Commitment . {pattern} }}"):
                table[r["c"]].add(r["v"])
            out[facet] = table
        return out

    @cached_property
    def _all_commitments(self) -> list[dict]:
        return self.rows("""SELECT ?c ?n ?title ?plan WHERE { ?c a ogp:Commitment ; ogp:actionPlan ?plan
            OPTIONAL { ?c ogp:commitmentNumber ?n } OPTIONAL { ?c dct:title ?title } }""")

    def commitment_list(self, filters: dict[str, list[str]], lang: str) -> dict:
        """Commitments matching every filter value (facet → IRIs), with facet counts over the
        matching set; values with no matching commitment are left out.

        :raises ValueError: an unknown facet.
        """
        unknown = set(filters) - set(FACETS)
        if unknown:
            raise ValueError(f"unknown filter {sorted(unknown)[0]!r}; filters: {', '.join(FACETS)}")
        base = self._all_commitments
        member = self.memberships
        chosen = [r for r in base if all(v in member[f].get(r["c"], set()) for f, vs in filters.items() for v in vs)]
        chosen.sort(key=lambda r: (r["plan"], int(r["n"] or 0)))
        counts = {f: Counter(v for r in chosen for v in member[f].get(r["c"], ())) for f in FACETS}
        labels = self.labels({v for c in counts.values() for v in c} | {v for vs in filters.values() for v in vs}
                             | {r["plan"] for r in chosen}
                             | {o for r in chosen for o in member["institution"].get(r["c"], ())}, lang)
        facets = {f: sorted(((v, labels[v], n) for v, n in c.items()), key=lambda x: (-x[2], x[1].lower()))
                  for f, c in counts.items()}
        items = [{"iri": r["c"], "href": local_path(r["c"]), "number": r["n"], "title": r["title"] or fallback_label(r["c"]),
                  "plan": labels[r["plan"]], "responsible": sorted(labels[o] for o in member["institution"].get(r["c"], ()))}
                 for r in chosen]
        return {"items": items, "total": len(base), "facets": facets,
                "active": [(f, v, labels[v]) for f, vs in filters.items() for v in vs]}

    # -- entity pages --------------------------------------------------------------------------------
    def entity(self, iri: str, lang: str) -> dict | None:
        """The page of an entity: kind, label, facts (label, value, href), sections, and the
        kind's extras; None when the graph says nothing about it."""
        types = self.types(iri)
        if not types and not self.rows(f"SELECT ?p WHERE {{ <{iri}> ?p ?o }} LIMIT 1"):
            return None
        kind = self.kind(types)
        page = {"iri": iri, "kind": kind, "facts": [], "sections": []}
        labels = self.labels({iri, *types}, lang)
        page["label"] = labels[iri]
        page["types"] = sorted(labels[t] for t in types if not t.startswith((PREFIXES["prov"], PREFIXES["nif"])))
        build = getattr(self, f"_{kind}", None)
        if build:
            build(iri, lang, page)
        if kind in MARKS:
            page["sections"].append(Section("mentions_in_text", self._mentions(iri)))
        page["sections"] = [s for s in page["sections"] if s.items]
        return page

    def _commitments_where(self, pattern: str, lang: str, note: str | None = None) -> list[Item]:
        rows = self.rows(f"""SELECT DISTINCT ?c ?n ?title ?plan WHERE {{ {pattern} ?c a ogp:Commitment .
            OPTIONAL {{ ?c ogp:commitmentNumber ?n }} OPTIONAL {{ ?c dct:title ?title }} OPTIONAL {{ ?c ogp:actionPlan ?plan }} }}""")
        rows.sort(key=lambda r: (r["plan"] or "", int(r["n"] or 0)))
        plans = self.labels({r["plan"] for r in rows}, lang)
        if len(plans) < 2:  # the plan is worth a note only where commitments of several plans mix
            plans = {}
        return [Item(f"{r['n']}. {r['title']}" if r["n"] and r["title"] else r["title"] or fallback_label(r["c"]),
                     local_path(r["c"]), plans.get(r["plan"])) for r in rows]

    def _mentions(self, iri: str, limit: int = 25) -> list[Item]:
        rows = self.rows(f"""SELECT ?doc ?b ?e ?c ?n WHERE {{ ?m itsrdf:taIdentRef <{iri}> ; nif:referenceContext ?doc ;
            nif:beginIndex ?b ; nif:endIndex ?e . OPTIONAL {{ ?m ogp:mentionedIn ?c . ?c ogp:commitmentNumber ?n }} }}
            ORDER BY ?doc ?b LIMIT {limit}""")
        out = []
        for r in rows:
            text = self.text(r["doc"])
            if text is None:
                continue
            b, e = int(r["b"]), int(r["e"])
            out.append(Item(figures.phrase(text, b, e), source_href(r["doc"], b, e, mark=True),
                            extra={"number": r["n"], "commitment": local_path(r["c"]) if r["c"] else None}))
        return out

    def _values(self, iri: str, curie: str) -> list[str]:
        return [r["o"] for r in self.rows(f"SELECT DISTINCT ?o WHERE {{ <{iri}> {curie} ?o }} ORDER BY ?o")]

    def _facts(self, page: dict, lang: str, pairs: list[tuple[str, list[str]]]) -> None:
        """Facts from (UI key, values): IRIs become labelled links, literals stay text."""
        iris = {v for _, vs in pairs for v in vs if "://" in v}
        labels = self.labels(iris, lang)
        for key, values in pairs:
            for v in values:
                page["facts"].append((key, labels.get(v, v), local_path(v) if v in iris else None))

    def _commitment(self, iri: str, lang: str, page: dict) -> None:
        v = partial(self._values, iri)
        self._facts(page, lang, [("commitment", v("ogp:commitmentNumber")), ("plan", v("ogp:actionPlan")),
                                 ("country", v("ogp:actionPlan/ogp:country")), ("status", v("ogp:completionStatus")),
                                 ("values", v("ogp:ogpValue"))])
        orgs = v("ogp:responsibleOrganization")
        mentioned = [o for o in self._values(iri, "ogp:mentions") if o not in orgs]
        mentioned = [o for o in mentioned if expand("org:Organization") in self.types(o)]
        laws = v("ogp:citesLegislation") + v("ogp:citesProvision")
        places = self.rows(f"""SELECT DISTINCT ?p ?parent WHERE {{ <{iri}> dct:spatial ?p
            OPTIONAL {{ ?p schema:containedInPlace ?parent FILTER NOT EXISTS {{ ?parent a schema:Country }} }} }}""")
        similar = self.rows(f"""SELECT ?t ?score WHERE {{ <{iri}> ogp:qualifiedSimilarity ?q . ?q ogp:similarTo ?t ;
            ogp:score ?score }} ORDER BY DESC(?score) LIMIT 10""")
        labels = self.labels({*orgs, *mentioned, *laws, *(p["p"] for p in places), *(p["parent"] for p in places),
                              *(s["t"] for s in similar)}, lang)
        acronyms = {r["o"]: r["a"] for r in self.rows(f"""SELECT ?o ?a WHERE {{ <{iri}> ogp:mentions ?o .
            ?o ogp:acronym ?a }}""")}
        page["sections"] += [
            Section("responsible", [self.link(o, labels, acronyms.get(o)) for o in sorted(orgs, key=labels.get)]),
            Section("mentioned_institutions", [self.link(o, labels, acronyms.get(o)) for o in sorted(mentioned, key=labels.get)]),
            Section("laws", [self.link(x, labels) for x in sorted(laws, key=labels.get)]),
            Section("places", [self.link(p["p"], labels, labels.get(p["parent"]) if p["parent"] else None)
                               for p in sorted(places, key=lambda p: labels[p["p"]])]),
            Section("similar", [self.link(s["t"], labels, f"{float(s['score']):.2f}") for s in similar]),
        ]
        metrics = self.metrics(f"BIND(<{iri}> AS ?c)")
        page["metrics"] = metrics
        page["headline"] = figures.headline(metrics, limit=6)
        page["progress"] = next(iter(v("ogp:progressText")), None)
        spans = self.rows(f"""SELECT ?doc ?b ?e WHERE {{ <{iri}> ogp:sourceSpan ?s . ?s nif:referenceContext ?doc ;
            nif:beginIndex ?b ; nif:endIndex ?e }} LIMIT 1""")
        page["source"] = source_href(spans[0]["doc"], int(spans[0]["b"]), int(spans[0]["e"])) if spans else None
        number = next(iter(v("ogp:commitmentNumber")), None)
        page["number"] = number
        page["title"] = next(iter(v("dct:title")), page["label"])
        ids = {r["l"]: r["id"] for r in self.rows(f"""SELECT ?l ?id WHERE {{ {{ <{iri}> ogp:citesLegislation ?l }}
            UNION {{ <{iri}> ogp:citesProvision ?l }} ?l rdfs:label ?id }}""")}
        page["schema_org"] = {
            "@context": "https://schema.org", "@type": "CreativeWork", "@id": iri, "name": page["title"],
            "position": int(number) if number else None, "inLanguage": "es", "text": page["progress"],
            "accountablePerson": [{"@type": "GovernmentOrganization", "@id": o, "name": labels[o]} for o in orgs],
            "mentions": [{"@type": "Organization", "@id": o, "name": labels[o]} for o in mentioned],
            "citation": [{"@type": "Legislation", "@id": x, "name": labels[x], "legislationIdentifier": ids.get(x, labels[x])}
                         for x in laws],
            "spatialCoverage": [{"@type": "AdministrativeArea", "@id": p["p"], "name": labels[p["p"]]} for p in places],
        }

    def metrics(self, pattern: str) -> list[dict]:
        """Metrics of the commitments ``pattern`` binds as ?c: value, unit, kind, the reader's
        figure (in its country's format) and the whole phrase it comes from, with links to the
        commitment and the source."""
        rows = self.rows(f"""SELECT ?c ?n ?m ?value ?unit ?kind ?doc ?b ?e ?code WHERE {{ {pattern} ?c ogp:metric ?m .
            OPTIONAL {{ ?c ogp:actionPlan/ogp:country/ogp:iso3166_1 ?code }}
            ?m schema:value ?value OPTIONAL {{ ?m schema:unitText ?unit }} OPTIONAL {{ ?m ogp:metricKind ?kind }}
            OPTIONAL {{ ?c ogp:commitmentNumber ?n }}
            OPTIONAL {{ ?m prov:wasDerivedFrom ?s . ?s nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e }} }}""")
        out = []
        for r in rows:
            kind, unit = r["kind"] or "count", r["unit"] or ""
            text = self.text(r["doc"]) if r["doc"] else None
            b, e = (int(r["b"]), int(r["e"])) if r["b"] else (0, 0)
            out.append({"iri": r["m"], "href": local_path(r["m"]), "commitment": local_path(r["c"]), "number": r["n"],
                        "value": r["value"], "unit": unit, "kind": kind,
                        "figure": figures.metric_value(r["value"], unit, kind, country=r["code"]),
                        "phrase": figures.phrase(text, b, e) if text else "",
                        "source": source_href(r["doc"], b, e, mark=True) if text else None})
        out.sort(key=lambda m: (int(m["number"] or 0), m["kind"] != "money", -Decimal(m["value"])))
        return out

    def _org(self, iri: str, lang: str, page: dict) -> None:
        v = partial(self._values, iri)
        acronyms = v("ogp:acronym")
        self._facts(page, lang, [("acronym", acronyms), ("also_known_as", [a for a in v("skos:altLabel") if a not in acronyms]),
                                 ("country", v("ogp:country"))])
        page["sections"] += [
            Section("responsible_for", self._commitments_where(f"?c ogp:responsibleOrganization <{iri}> .", lang)),
            Section("mentioned_in_commitments", self._commitments_where(
                f"?c ogp:mentions <{iri}> FILTER NOT EXISTS {{ ?c ogp:responsibleOrganization <{iri}> }}", lang)),
        ]

    def _law(self, iri: str, lang: str, page: dict) -> None:
        v = partial(self._values, iri)
        self._facts(page, lang, [("name", [n for n in v("skos:prefLabel") if n != page["label"]]),
                                 ("identifier", v("eli:id_local")), ("document_type", v("eli:type_document")),
                                 ("amends", v("eli:amends")), ("part_of", v("eli:is_part_of"))])
        page["sections"].append(Section("cited_by", self._commitments_where(
            f"{{ ?c ogp:citesLegislation <{iri}> }} UNION {{ ?c ogp:citesProvision <{iri}> }} UNION "
            f"{{ ?c ogp:citesProvision/eli:is_part_of <{iri}> }}", lang)))

    def _place(self, iri: str, lang: str, page: dict) -> None:
        v = partial(self._values, iri)
        self._facts(page, lang, [("contained_in", v("schema:containedInPlace")),
                                 ("identifier", v("ogp:iso3166_2") + v("ogp:ineCode"))])
        children = [r["p"] for r in self.rows(f"SELECT ?p WHERE {{ ?p schema:containedInPlace <{iri}> }}")]
        labels = self.labels(children, lang)
        page["sections"] += [
            Section("located_in", self._commitments_where(f"?c dct:spatial/schema:containedInPlace* <{iri}> .", lang)),
            Section("contains", [self.link(p, labels) for p in sorted(children, key=labels.get)]),
        ]

    def _country(self, iri: str, lang: str, page: dict) -> None:
        plans = [r["p"] for r in self.rows(f"SELECT ?p WHERE {{ ?p a ogp:ActionPlan ; ogp:country <{iri}> }}")]
        departments = [r["p"] for r in self.rows(f"SELECT ?p WHERE {{ ?p a ogp:Department ; schema:containedInPlace <{iri}> }}")]
        orgs = [r["o"] for r in self.rows(f"""SELECT DISTINCT ?o WHERE {{ ?o a org:Organization ; ogp:country <{iri}> .
            ?c ogp:responsibleOrganization ?o }}""")]
        labels = self.labels({*plans, *departments, *orgs}, lang)
        self._facts(page, lang, [("identifier", self._values(iri, "ogp:iso3166_1"))])
        page["sections"] += [Section("plans", [self.link(p, labels) for p in sorted(plans, key=labels.get)]),
                             Section("departments", [self.link(p, labels) for p in sorted(departments, key=labels.get)]),
                             Section("institutions", [self.link(o, labels) for o in sorted(orgs, key=labels.get)])]

    def _plan(self, iri: str, lang: str, page: dict) -> None:
        v = partial(self._values, iri)
        start, end = v("ogp:periodStart"), v("ogp:periodEnd")
        self._facts(page, lang, [("country", v("ogp:country")), ("period", ["–".join(start + end)] if start else [])])
        docs = [r["d"] for r in self.rows(f"SELECT DISTINCT ?d WHERE {{ ?c ogp:actionPlan <{iri}> ; prov:wasDerivedFrom ?d }}")]
        labels = self.labels(docs, lang)
        page["sections"] += [Section("commitments", self._commitments_where(f"?c ogp:actionPlan <{iri}> .", lang)),
                             Section("documents", [self.link(d, labels) for d in docs])]

    def _document(self, iri: str, lang: str, page: dict) -> None:
        v = partial(self._values, iri)
        self._facts(page, lang, [("source", v("dct:source")), ("country", v("ogp:country"))])
        page["sections"].append(Section("commitments", self._commitments_where(f"?c prov:wasDerivedFrom <{iri}> .", lang)))

    def _metric(self, iri: str, lang: str, page: dict) -> None:
        metrics = self.metrics(f"?c ogp:metric <{iri}> . FILTER(?m = <{iri}>)")
        page["metrics"] = metrics
        if metrics:
            page["label"] = metrics[0]["figure"]

    def marks(self, doc: str, lang: str) -> list[dict]:
        """Every mention in ``doc`` that points at an entity: span, kind of mark, link, label."""
        if (doc, lang) not in self._marks:
            self._marks[(doc, lang)] = self._find_marks(doc, lang)
        return self._marks[(doc, lang)]

    def _find_marks(self, doc: str, lang: str) -> list[dict]:
        rows = self.rows(f"""SELECT ?b ?e ?ent (GROUP_CONCAT(STR(?t); separator=" ") AS ?types) WHERE {{
            ?m nif:referenceContext <{doc}> ; nif:beginIndex ?b ; nif:endIndex ?e ; itsrdf:taIdentRef ?ent .
            OPTIONAL {{ ?ent a ?t }} }} GROUP BY ?b ?e ?ent""")
        labels = self.labels({r["ent"] for r in rows}, lang)
        return [{"begin": int(r["b"]), "end": int(r["e"]), "href": mark_href(r["ent"]), "title": labels[r["ent"]],
                 "kind": "value" if r["ent"].startswith(OGP_NS) else MARKS.get(self.kind(set((r["types"] or "").split())), "other")}
                for r in rows]

    def commitment_anchors(self, doc: str) -> list[dict]:
        """Where each commitment derived from document ``doc`` starts in it, with a link to its page."""
        rows = self.rows(f"""SELECT ?c ?n ?b WHERE {{ ?c prov:wasDerivedFrom <{doc}> ; ogp:sourceSpan ?s .
            ?s nif:beginIndex ?b OPTIONAL {{ ?c ogp:commitmentNumber ?n }} }}""")
        return [{"begin": int(r["b"]), "href": local_path(r["c"]), "number": r["n"]} for r in rows]

    def triples(self, iri: str, lang: str) -> dict:
        """The raw triples of an entity, both ways, with labels (the "datos" tab)."""
        out = list(self.service.query(
            f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o FILTER(?p != nif:isString) }} ORDER BY ?p ?o LIMIT 500"))
        inbound = list(self.service.query(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} ORDER BY ?p ?s LIMIT 200"))
        nodes = {t.value for t in [r["o"] for r in out] + [r["s"] for r in inbound] if isinstance(t, NamedNode)}
        labels = self.labels({n for n in nodes if n.startswith(ID_NS)}, lang)

        def term(t) -> Item:
            if not isinstance(t, NamedNode):
                return Item(t.value)
            return Item(labels[t.value], local_path(t.value)) if t.value in labels else Item(compact(t.value))

        return {"out": [(Item(compact(r["p"].value)), term(r["o"])) for r in out],
                "in": [(term(r["s"]), Item(compact(r["p"].value))) for r in inbound]}

    # -- overview, charts, network -------------------------------------------------------------------
    def totals(self) -> dict[str, int]:
        """How many commitments, institutions, laws and places (countries aside) the graph holds."""
        row = self.rows("""SELECT (COUNT(DISTINCT ?c) AS ?commitments) (COUNT(DISTINCT ?o) AS ?institutions)
            (COUNT(DISTINCT ?l) AS ?laws) (COUNT(DISTINCT ?p) AS ?places) WHERE {
            { ?c a ogp:Commitment } UNION { ?o a org:Organization } UNION { ?l a eli:LegalResource }
            UNION { ?p a schema:Place FILTER NOT EXISTS { ?p a schema:Country } } }""")[0]
        return {k: int(v or 0) for k, v in row.items()}

    def money_by(self, group: str, lang: str) -> list[dict]:
        """Money (distinct amounts of a commitment, per currency) summed by ``group``: a SPARQL
        pattern binding ?g for commitment ?c. Biggest first."""
        rows = self.rows(f"""SELECT ?g ?unit ?code (SUM(?v) AS ?total) WHERE {{
            {{ SELECT DISTINCT ?c ?unit ?v ?code WHERE {{ ?c ogp:metric ?m . ?m ogp:metricKind "money" ;
               schema:unitText ?unit ; schema:value ?v OPTIONAL {{ ?c ogp:actionPlan/ogp:country/ogp:iso3166_1 ?code }} }} }}
            {group} }} GROUP BY ?g ?unit ?code""")
        labels = self.labels({r["g"] for r in rows}, lang)
        rows.sort(key=lambda r: -Decimal(r["total"]))
        return [{"label": self._group_label(r["g"], labels), "href": local_path(r["g"]), "value": r["total"],
                 "shown": figures.money(r["total"], r["unit"], country=r["code"]), "unit": r["unit"]} for r in rows]

    def _group_label(self, iri: str, labels: dict[str, str]) -> str:
        number = self.rows(f"SELECT ?n WHERE {{ <{iri}> ogp:commitmentNumber ?n }}")
        return f"{number[0]['n']}. {labels[iri]}" if number else labels[iri]

    def count_by(self, facet: str, lang: str) -> list[dict]:
        """How many commitments have each value of ``facet``, most first."""
        rows = self.rows(f"""SELECT ?v (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a ogp:Commitment . {FACETS[facet]} }}
            GROUP BY ?v""")
        labels = self.labels({r["v"] for r in rows}, lang)
        out = [{"label": labels[r["v"]], "value": r["n"], "shown": r["n"], "param": filter_param(r["v"]),
                "href": None} for r in rows]
        return sorted(out, key=lambda r: (-int(r["value"]), r["label"].lower()))

    def completion(self, lang: str) -> list[dict]:
        """Commitments per completion level of the ontology's scale (in its order), plus those
        whose status the text does not state."""
        levels = [r["l"] for r in _plain(_ontology().query(
            "SELECT ?l WHERE { ?l skos:inScheme ogp:CompletionLevels }", prefixes=PREFIXES))]
        counts = {r["param"]: r for r in self.count_by("status", lang)}
        total = int(self.totals()["commitments"])
        labels = self.labels(levels, lang)
        order = figures.RULES["completion_order"]
        levels.sort(key=lambda l: order.index(filter_param(l)) if filter_param(l) in order else len(order))
        out = [{"label": labels[l], "value": counts[filter_param(l)]["value"] if filter_param(l) in counts else "0",
                "param": filter_param(l), "href": None} for l in levels]
        stated = sum(int(r["value"]) for r in out)
        return [*out, {"label": None, "value": str(total - stated), "param": None, "href": None}]

    def network(self, lang: str, limit: int = 1500) -> dict:
        """Nodes (commitments, institutions, laws, places) and edges between them, for cytoscape."""
        rows = self.rows(f"""SELECT DISTINCT ?c ?e ?rel WHERE {{ ?c a ogp:Commitment .
            {{ ?c ogp:responsibleOrganization ?e BIND("responsible" AS ?rel) }}
            UNION {{ ?c ogp:mentions ?e . ?e a org:Organization
                     FILTER NOT EXISTS {{ ?c ogp:responsibleOrganization ?e }} BIND("mentions" AS ?rel) }}
            UNION {{ ?c ogp:citesLegislation ?e BIND("cites" AS ?rel) }}
            UNION {{ ?c dct:spatial ?e BIND("spatial" AS ?rel) }} }} LIMIT {limit}""")
        kinds = {"responsible": "org", "mentions": "org", "cites": "law", "spatial": "place"}
        nodes = {r["c"]: "commitment" for r in rows} | {r["e"]: kinds[r["rel"]] for r in rows}
        labels = self.labels(nodes, lang)
        numbers = {r["c"]: r["n"] for r in self.rows("SELECT ?c ?n WHERE { ?c ogp:commitmentNumber ?n }")}
        return {
            "nodes": [{"data": {"id": iri, "label": (numbers[iri] + ". " if iri in numbers else "") + labels[iri],
                                "short": numbers.get(iri) or labels[iri], "kind": kind, "href": local_path(iri)}}
                      for iri, kind in nodes.items()],
            "edges": [{"data": {"id": f"{r['c']} {r['rel']} {r['e']}", "source": r["c"], "target": r["e"],
                                "rel": r["rel"]}} for r in rows],
        }


def _plain(results) -> list[dict[str, str | None]]:
    names = [v.value for v in results.variables]
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in results]


def mark_href(iri: str) -> str | None:
    """Where a mark in the source view leads: the entity's page, or for an ontology term (an
    OGP value) the commitment list filtered by it."""
    return local_path(iri) or (f"/commitments?value={filter_param(iri)}" if iri.startswith(OGP_NS) else None)


def source_href(doc: str, begin: int, end: int, *, mark: bool = False) -> str | None:
    """Link to a span of a document in the source view: ``/id/document/…?span=b,e#char=b,e``
    highlights any span; a mention's own mark needs only its anchor (``mark=True``)."""
    path = local_path(doc)
    if path is None:
        return None
    return f"{path}#char={begin},{end}" if mark else f"{path}?span={begin},{end}#char={begin},{end}"
