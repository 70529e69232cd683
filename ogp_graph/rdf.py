"""Mentions and commitments → RDF quads. The only place where IRIs are minted.

IRIs are stable across runs: they derive from the country, the plan period, the commitment
number and the canonical keys of gazetteer entries, never from run order or counters over
the whole corpus.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import pycountry
from pyoxigraph import Literal, NamedNode, Quad

from ogp_graph.readers import Document
from ogp_graph.mentions import Mention
from ogp_graph.countries import country_name
from ogp_graph.metadata import DocumentInfo
from ogp_graph.segment import CommitmentText, Section
from ogp_graph.statements import Completion, CompletionPercent, Milestone
from ogp_graph.values import ValueMatch
from ogp_graph.vocab import DCT, ELI, ID_NS, ITSRDF, NIF, OGP, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

if TYPE_CHECKING:
    from ogp_graph.institutions import Institution
    from ogp_graph.laws import LawCitation, LawGazetteer
    from ogp_graph.places import PlaceGazetteer

ORG_KINDS = {
    "government": OGP.GovernmentBody,
    "civil_society": OGP.CivilSocietyOrganization,
    "international": OGP.InternationalOrganization,
    "academic": OGP.AcademicInstitution,
    "private": OGP.PrivateCompany,
}
_FALLBACK_LABEL = {"es": "Compromiso", "en": "Commitment", "pt": "Compromisso", "fr": "Engagement"}


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: safe inside an IRI path segment."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9.]+", "-", ascii_text).strip("-").lower() or "x"


def _id(*parts: str) -> NamedNode:
    return NamedNode(ID_NS + "/".join(parts))


def entity_iri(path: str) -> NamedNode:
    """The entity IRI whose path below the entity namespace is ``path`` (``org/GT/minfin``)."""
    return NamedNode(ID_NS + path)


def entity_path(iri: str) -> str | None:
    """The path of an entity IRI below the entity namespace, or None for any other IRI."""
    return iri[len(ID_NS):] if iri.startswith(ID_NS) else None


def dataset_iri() -> NamedNode:
    """The IRI of the whole published dataset (VoID/DCAT)."""
    return _id("dataset")


def document_iri(doc: Document) -> NamedNode:
    """The IRI of a source document (by the first 16 hex digits of its SHA-256)."""
    return _id("document", doc.sha256[:16])


def plan_iri(info: DocumentInfo) -> NamedNode:
    """The IRI of an action plan: country and period (and the language of a translation)."""
    suffix = (info.language,) if info.is_translation else ()
    return _id("plan", info.country, info.period_key, *suffix)


def commitment_iri(info: DocumentInfo, label: str | int) -> NamedNode:
    """``…/commitment/3`` from the document's own label ("3", "PI-3", "C01"), case kept; a
    report built with its plan has its own ``…/report/<id>/commitment/3``."""
    scope = f"/report/{info.report}" if info.report else ""
    return NamedNode(f"{plan_iri(info).value}{scope}/commitment/{re.sub(r'[^A-Za-z0-9.-]+', '-', str(label)).strip('-') or 'x'}")


def section_iri(doc: Document, index: int) -> NamedNode:
    """The IRI of section ``index`` of ``doc``."""
    return NamedNode(f"{document_iri(doc).value}/section/{index}")


def org_iri(country: str, key: str) -> NamedNode:
    """The IRI of an institution of ``country`` by its gazetteer key."""
    return _id("org", country, slug(key))


def law_iri(key: str) -> NamedNode:
    """The IRI of a law by its key (``<country>/<type>/<number>``)."""
    return _id("law", *(slug(p) if i else p for i, p in enumerate(key.split("/"))))


def place_iri(key: str) -> NamedNode:
    """The IRI of a place by its key (an ISO code or a gazetteer key)."""
    return _id("place", key)


def span_iri(doc_iri: NamedNode, start: int, end: int) -> NamedNode:
    """The IRI of characters ``start``–``end`` of a document (RFC 5147 fragment)."""
    return NamedNode(f"{doc_iri.value}#char={start},{end}")


def extractor_iri(name: str) -> NamedNode:
    """The IRI of the extractor (software agent) ``name``."""
    return _id("extractor", name)


def _str(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def _typed(value, datatype: NamedNode) -> Literal:
    return Literal(str(value), datatype=datatype)


@dataclass
class GraphWriter:
    """Collects the quads of one build; entities shared by documents are written once."""

    places: PlaceGazetteer
    laws: LawGazetteer
    quads: list[Quad] = field(default_factory=list)
    _seen: set[NamedNode] = field(default_factory=set)

    def _add(self, s, p, o) -> None:
        self.quads.append(Quad(s, p, o))

    def _first_time(self, node: NamedNode) -> bool:
        if node in self._seen:
            return False
        self._seen.add(node)
        return True

    # -- entities -------------------------------------------------------------------------
    def country(self, code: str) -> NamedNode:
        """The node of country ``code``, described the first time."""
        node = place_iri(code)
        if self._first_time(node):
            name = country_name(code)
            for t in (SCHEMA.Country, SCHEMA.Place):
                self._add(node, RDF.type, t)
            self._add(node, SCHEMA.name, _str(name))
            self._add(node, OGP.iso3166_1, _str(code))
        return node

    def place(self, key: str) -> NamedNode:
        """The node of the place ``key`` (and of the places containing it), described the first time.

        :raises KeyError: the gazetteer has no place ``key``.
        """
        place = self.places.get(key)
        if place.kind == "country":
            return self.country(place.key)
        node = place_iri(place.key)
        if self._first_time(node):
            types = [SCHEMA.AdministrativeArea, SCHEMA.Place]
            types += {"department": [OGP.Department], "municipality": [OGP.Municipality]}.get(place.kind, [])
            for t in types:
                self._add(node, RDF.type, t)
            self._add(node, SCHEMA.name, _str(place.name))
            self._add(node, SCHEMA.containedInPlace, self.place(place.parent))
            if place.iso3166_2:
                self._add(node, OGP.iso3166_2, _str(place.iso3166_2))
            if place.ine_code:
                self._add(node, OGP.ineCode, _str(place.ine_code))
        return node

    def organization(self, inst: Institution) -> NamedNode:
        """The node of institution ``inst``, described the first time."""
        node = org_iri(inst.country, inst.key)
        if self._first_time(node):
            self._add(node, RDF.type, ORG.Organization)
            self._add(node, RDF.type, ORG_KINDS.get(inst.kind, OGP.GovernmentBody))
            self._add(node, SKOS.prefLabel, _str(inst.name, "es"))
            for acronym in inst.acronyms:
                self._add(node, OGP.acronym, _str(acronym))
                self._add(node, SKOS.altLabel, _str(acronym))
            for alt in inst.alt_names:
                self._add(node, SKOS.altLabel, _str(alt, "es"))
            if pycountry.countries.get(alpha_2=inst.country):
                self._add(node, OGP.country, self.country(inst.country))
        return node

    def law(self, cite: LawCitation) -> NamedNode:
        """The node of the law ``cite`` cites (and of the laws it amends), described the first time."""
        node = law_iri(cite.key)
        if self._first_time(node):
            country = cite.key.split("/", 1)[0]
            self._add(node, RDF.type, ELI.LegalResource)
            if cite.doc_type == "iniciativa":
                self._add(node, RDF.type, OGP.Bill)
            concept = "".join(part.capitalize() for part in cite.doc_type.split("-"))
            self._add(node, ELI.type_document, OGP[concept])
            self._add(node, RDFS.label, _str(cite.label, "es"))
            if cite.id_local:
                self._add(node, ELI.id_local, _str(cite.id_local))
            if cite.name:
                self._add(node, SKOS.prefLabel, _str(cite.name, "es"))
            if cite.acronym:
                self._add(node, SKOS.altLabel, _str(cite.acronym))
            if cite.year:
                self._add(node, OGP.year, _typed(cite.year, XSD.gYear))
            if pycountry.countries.get(alpha_2=country):
                self._add(node, OGP.country, self.country(country))
            for amended in cite.amends:
                self._add(node, ELI.amends, self.law(self.laws.citation(amended)))
        return node

    def article(self, cite: LawCitation) -> NamedNode:
        """The node of the article ``cite`` cites, part of its law, described the first time."""
        law = self.law(cite)
        node = NamedNode(f"{law.value}/art/{slug(cite.article)}")
        if self._first_time(node):
            self._add(node, RDF.type, ELI.LegalResourceSubdivision)
            self._add(node, ELI.is_part_of, law)
            self._add(node, ELI.number, _str(cite.article))
            self._add(node, RDFS.label, _str(f"Artículo {cite.article} del {cite.label}", "es"))
        return node

    def extractor(self, name: str) -> NamedNode:
        """The node of the extractor ``name``, described the first time."""
        node = extractor_iri(name)
        if self._first_time(node):
            self._add(node, RDF.type, OGP.Extractor)
            self._add(node, RDF.type, PROV.SoftwareAgent)
            self._add(node, RDFS.label, _str(f"ogp-kg {name}"))
        return node

    # -- documents, plans, commitments ------------------------------------------------------
    def span(self, doc: NamedNode, text: str, start: int, end: int, extractor: str) -> NamedNode:
        """The NIF string of ``text[start:end]`` in document ``doc``, attributed to ``extractor``."""
        node = span_iri(doc, start, end)
        if self._first_time(node):
            self._add(node, RDF.type, NIF.OffsetBasedString)
            self._add(node, RDF.type, NIF.Phrase)
            self._add(node, NIF.referenceContext, doc)
            self._add(node, NIF.beginIndex, _typed(start, XSD.nonNegativeInteger))
            self._add(node, NIF.endIndex, _typed(end, XSD.nonNegativeInteger))
            self._add(node, NIF.anchorOf, _str(text[start:end]))
            self._add(node, PROV.wasAttributedTo, self.extractor(extractor))
        return node

    def document(self, doc: Document, info: DocumentInfo) -> NamedNode:
        """The node of source document ``doc`` with its metadata and full text, described the first time."""
        node = document_iri(doc)
        if self._first_time(node):
            for t in (OGP.SourceDocument, PROV.Entity, NIF.Context):
                self._add(node, RDF.type, t)
            self._add(node, DCT.title, _str(info.title, info.language))
            self._add(node, DCT.source, _str(doc.name))
            self._add(node, DCT.language, _str(info.language))
            self._add(node, OGP.genre, _str(info.genre))
            self._add(node, DCT["format"], _str(doc.media_type))
            self._add(node, OGP.sha256, _str(doc.sha256))
            self._add(node, NIF.isString, _str(doc.text))
            self._add(node, NIF.beginIndex, _typed(0, XSD.nonNegativeInteger))
            self._add(node, NIF.endIndex, _typed(len(doc.text), XSD.nonNegativeInteger))
            self._add(node, OGP.country, self.country(info.country))
        return node

    def plan(self, info: DocumentInfo) -> NamedNode:
        """The node of the action plan ``info`` belongs to, described the first time."""
        node = plan_iri(info)
        if self._first_time(node):
            self._add(node, RDF.type, OGP.ActionPlan)
            self._add(node, DCT.title, _str(info.plan_title, info.language))
            self._add(node, DCT.language, _str(info.language))
            self._add(node, OGP.country, self.country(info.country))
            start, end = info.period
            if start:
                self._add(node, OGP.periodStart, _typed(start, XSD.gYear))
            if end:
                self._add(node, OGP.periodEnd, _typed(end, XSD.gYear))
        return node

    def commitment(
        self,
        doc: Document,
        info: DocumentInfo,
        ct: CommitmentText,
        responsible: Iterable[tuple[object, tuple[int, int]]],
        found: Iterable[Mention],
    ) -> NamedNode:
        """Write one commitment, its responsible organisations and everything it mentions."""
        doc_node, lang = self.document(doc, info), info.language
        node = commitment_iri(info, ct.label)
        self._add(node, RDF.type, OGP.Commitment)
        self._add(node, RDF.type, PROV.Entity)
        self._add(node, OGP.commitmentNumber, _typed(ct.number, XSD.integer))
        self._add(node, OGP.commitmentId, _str(ct.label))
        if ct.title:
            self._add(node, DCT.title, _str(ct.title, lang))
        else:  # a label to show, never a title the document does not give
            self._add(node, RDFS.label, _str(f"{_FALLBACK_LABEL.get(lang, 'Commitment')} {ct.label}", lang))
        if ct.theme:
            self._add(node, OGP.theme, _str(ct.theme, lang))
        self._add(node, OGP.actionPlan, self.plan(info))
        self._add(node, PROV.wasDerivedFrom, doc_node)
        body = ct.body(doc)
        if body:
            self._add(node, OGP.progressText, _str(body, lang))
        self._add(node, OGP.sourceSpan, self.span(doc_node, doc.text, ct.start, ct.end, "segmenter"))
        if ct.title_spans:
            self._add(node, OGP.titleSpan, self.span(doc_node, doc.text, *ct.title_spans[0], "segmenter"))
        for start, end in ct.body_spans:  # several when the body is split by a page break
            self._add(node, OGP.bodySpan, self.span(doc_node, doc.text, start, end, "segmenter"))
        for inst, (start, end) in responsible:
            org = self.organization(inst)
            self._add(node, OGP.responsibleOrganization, org)
            self._annotate(self.span(doc_node, doc.text, start, end, "ogp_institutions"), org, node)
        for m in found:
            if type(m.entity) in _STATEMENTS:
                self._statement(doc, doc_node, node, m, lang)
            else:
                self._mention(doc, doc_node, node, m)
        return node

    def _statement(self, doc: Document, doc_node: NamedNode, node: NamedNode, m: Mention, lang: str) -> None:
        """A commitment's own statement (a mention whose entity is one of ``_STATEMENTS``) as quads."""
        span = self.span(doc_node, doc.text, m.start, m.end, m.extractor)
        _STATEMENTS[type(m.entity)](self, node, m.entity, span, " ".join(m.text.split()), lang)

    def _completion(self, node: NamedNode, said: Completion, span: NamedNode, text: str, lang: str) -> None:
        """The report's words on completion, as a level of the IRM scale."""
        self._add(node, OGP.completionStatus, OGP[said.level])
        self._annotate(span, OGP[said.level], node)

    def _completion_percent(self, node: NamedNode, said: CompletionPercent, span: NamedNode, text: str,
                            lang: str) -> None:
        """A stated completion percentage, as the commitment's completion metric."""
        metric = NamedNode(f"{node.value}/completion")
        self._add(metric, RDF.type, SCHEMA.QuantitativeValue)
        self._add(metric, SCHEMA.value, _typed(_decimal(said.value), XSD.decimal))
        self._add(metric, SCHEMA.unitText, _str("%"))
        self._add(metric, SCHEMA.unitCode, _str("P1"))
        self._add(metric, SCHEMA.description, _str(text, lang))
        self._add(metric, OGP.metricKind, _str("completion"))
        self._add(metric, PROV.wasDerivedFrom, span)
        self._add(node, OGP.completionPercent, metric)
        self._add(node, OGP.metric, metric)
        self._annotate(span, metric, node)

    def _milestone(self, node: NamedNode, said: Milestone, span: NamedNode, text: str, lang: str) -> None:
        """A numbered milestone with its description."""
        milestone = NamedNode(f"{node.value}/milestone/{said.number}")
        self._add(node, OGP.milestone, milestone)
        self._add(milestone, RDF.type, OGP.Milestone)
        self._add(milestone, OGP.milestoneNumber, _typed(said.number, XSD.integer))
        self._add(milestone, DCT.description, _str(text, lang))
        self._add(milestone, OGP.sourceSpan, span)

    def _value(self, node: NamedNode, said: ValueMatch, span: NamedNode, text: str, lang: str) -> None:
        """An OGP value the commitment claims."""
        self._add(node, OGP.ogpValue, OGP[said.value])
        self._annotate(span, OGP[said.value], node)

    def section(self, doc: Document, info: DocumentInfo, index: int, sec: Section, found: Iterable[Mention]) -> NamedNode:
        """A section of a document without commitments: searchable text with its span, and what it
        mentions; part of the document's plan when the document is a plan (a page summarising one)."""
        doc_node = self.document(doc, info)
        node = section_iri(doc, index)
        self._add(node, RDF.type, OGP.Section)
        self._add(node, PROV.wasDerivedFrom, doc_node)
        if info.genre == "plan":
            self._add(node, DCT.isPartOf, self.plan(info))
        self._add(node, OGP.sectionNumber, _typed(index, XSD.integer))
        if sec.heading:
            self._add(node, DCT.title, _str(sec.heading, info.language))
        self._add(node, OGP.sourceSpan, self.span(doc_node, doc.text, sec.start, sec.end, "sections"))
        for m in found:
            self._mention(doc, doc_node, node, m)
        return node

    def _annotate(self, span: NamedNode, entity: NamedNode, commitment: NamedNode) -> None:
        self._add(span, ITSRDF.taIdentRef, entity)
        self._add(span, OGP.mentionedIn, commitment)

    def _mention(self, doc: Document, doc_node: NamedNode, commitment: NamedNode, m: Mention) -> None:
        """An entity mention (institution, law, place, metric) as quads with its NIF span."""
        span = self.span(doc_node, doc.text, m.start, m.end, m.extractor)
        if m.kind == "metric":
            q = m.entity
            if q.kind == "date":
                if q.date:
                    self._add(commitment, OGP.mentionsDate, _typed(q.date.isoformat(), XSD.date))
                return
            if q.value is None:
                return
            metric = NamedNode(f"{commitment.value}/metric/{m.start}-{m.end}")
            self._add(metric, RDF.type, SCHEMA.QuantitativeValue)
            self._add(metric, SCHEMA.value, _typed(_decimal(q.value), XSD.decimal))
            self._add(metric, SCHEMA.unitText, _str(q.unit))
            if code := {"money": q.unit, "percent": "P1"}.get(q.kind):
                self._add(metric, SCHEMA.unitCode, _str(code))
            self._add(metric, SCHEMA.description, _str(q.description or q.kind, "es"))
            self._add(metric, OGP.metricKind, _str(q.kind))
            self._add(metric, PROV.wasDerivedFrom, span)
            self._add(commitment, OGP.metric, metric)
            self._annotate(span, metric, commitment)
            return
        if m.kind == "institution":
            entity = self.organization(m.entity)
        elif m.kind == "law":
            entity = self.law(m.entity)
            self._add(commitment, OGP.citesLegislation, entity)
            if m.entity.article:
                self._add(commitment, OGP.citesProvision, self.article(m.entity))
        elif m.kind == "place":
            entity = self.place(m.key)
            self._add(commitment, DCT.spatial, entity)
        else:
            return
        self._add(commitment, OGP.mentions, entity)
        self._annotate(span, entity, commitment)


#: what a commitment states about itself (``ogp_graph.statements``, ``values``), by entity type → its writer
_STATEMENTS = {Completion: GraphWriter._completion, CompletionPercent: GraphWriter._completion_percent,
               Milestone: GraphWriter._milestone, ValueMatch: GraphWriter._value}


def _decimal(value) -> str:
    d = Decimal(value)
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")


def dedupe(quads: Iterable[Quad]) -> Iterator[Quad]:
    """``quads`` without repeats, order kept."""
    seen: set[Quad] = set()
    for q in quads:
        if q not in seen:
            seen.add(q)
            yield q


def progress_quads(links: Iterable[tuple[str, str]]) -> list[Quad]:
    """``report-commitment ogp:progressOf plan-commitment`` for each pair of ``links``."""
    return [Quad(NamedNode(report), OGP.progressOf, NamedNode(plan)) for report, plan in links]


def similarity_quads(source: str, target: str, score: float, method: str) -> list[Quad]:
    """``source ogp:similarCommitment target`` and its qualified form with the score."""
    s, t = NamedNode(source), NamedNode(target)
    node = NamedNode(f"{source}/similar/{slug(target.removeprefix(ID_NS))}")
    return [
        Quad(s, OGP.similarCommitment, t),
        Quad(s, OGP.qualifiedSimilarity, node),
        Quad(node, RDF.type, OGP.Similarity),
        Quad(node, OGP.similarTo, t),
        Quad(node, OGP.score, _typed(score, XSD.decimal)),
        Quad(node, PROV.wasAttributedTo, extractor_iri(slug(method))),
        Quad(extractor_iri(slug(method)), RDF.type, OGP.Extractor),
        Quad(extractor_iri(slug(method)), RDFS.label, _str(f"ogp-kg similarity ({method})")),
    ]


#: The named graph holding the links computed after indexing (similar commitments); everything
#: extracted from the documents is in the default graph, which no later stage rewrites.
LINKS_GRAPH = _id("graph", "links")
