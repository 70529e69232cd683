"""Documents → commitments → mentions → RDF store: the graph stage of a build."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from ogp_graph.readers import Document, load_document
from ogp_graph.errors import DocumentError
from ogp_graph.laws import LawGazetteer
from ogp_graph.mentions import Mention
from ogp_graph.nlp.mentions import mentions
from ogp_graph.countries import UNKNOWN_COUNTRY
from ogp_graph.metadata import DocumentInfo, describe
from ogp_graph.nlp.pipeline import build_nlp, make_doc
from ogp_graph.nlp.spans import CommitmentParts
from ogp_graph.places import PlaceGazetteer
from ogp_graph.org_resolver import InstitutionResolver
from ogp_graph.rdf import GraphWriter, dedupe
from ogp_graph.segment import CommitmentText, Section, Segmentation, find, sections
from ogp_graph.vocab import sparql_prefixes

if TYPE_CHECKING:
    from spacy.language import Language

BUNDLED_REPORT = "gt-2016-2018-autoevaluacion-medio-termino.txt"

Progress = Callable[[Iterable, int, str], Iterable]


def bundled_report() -> Path:
    """Path of the Guatemala 2016-2018 mid-term self-assessment shipped with the package."""
    return Path(str(resources.files("ogp_graph") / "data" / BUNDLED_REPORT))


@dataclass(frozen=True)
class ExtractedCommitment:
    """A commitment with its responsible institutions (and where they are named) and mentions."""

    text: CommitmentText
    responsible: tuple[tuple[object, tuple[int, int]], ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class ExtractedDocument:
    """A document's commitments, or — when it has none — its sections, each with its mentions."""

    document: Document
    info: DocumentInfo
    segmentation: Segmentation
    commitments: tuple[ExtractedCommitment, ...]
    sections: tuple[tuple[Section, tuple[Mention, ...]], ...] = ()


@dataclass(frozen=True)
class DocumentReport:
    """What the build found in one document, and why something was not found."""

    source: str
    sha256: str
    country: str
    language: str
    period: str
    genre: str
    layout: str | None
    commitments: int
    stated: int | None
    titled: int
    without_title: int
    without_responsible: int
    sections: int
    mentions: int
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        """The report as plain JSON-ready data (tuples as lists)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}

    def describe(self) -> str:
        """One line for people: what was found, what was not, and why."""
        what = (f"{self.commitments} commitments ({self.country}, {self.period}, {self.language}; {self.layout} layout)"
                if self.commitments else f"no commitments ({self.country}, {self.period}, {self.language})")
        parts = [what, f"{self.mentions} mentions"]
        if self.commitments:
            parts += [f"{self.without_title} without title", f"{self.without_responsible} without responsible institution"]
        else:
            parts.append(f"indexed {self.sections} sections")
        return f"{self.source}: " + " · ".join(parts) + "".join(f"; {r}" for r in self.reasons)


def document_report(ed: ExtractedDocument) -> DocumentReport:
    """The per-document report of ``ed``."""
    info, seg = ed.info, ed.segmentation
    reasons = list(seg.reasons)
    if info.country == UNKNOWN_COUNTRY:
        reasons.append("country not recognised (pass --country with its ISO code)")
    if info.period[0] is None:
        reasons.append("no plan period found (no year in the text)")
    return DocumentReport(
        source=ed.document.source, sha256=ed.document.sha256, country=info.country, language=info.language,
        period=info.period_key, genre=info.genre, layout=seg.layout, commitments=len(ed.commitments),
        stated=seg.stated, titled=seg.titled, without_title=sum(not ec.text.title for ec in ed.commitments),
        without_responsible=sum(not ec.responsible for ec in ed.commitments), sections=len(ed.sections),
        mentions=sum(len(ec.mentions) for ec in ed.commitments) + sum(len(m) for _, m in ed.sections),
        reasons=tuple(reasons),
    )


@dataclass
class BuildSummary:
    """What a build produced; printed by ``ogp-kg build`` and stored in the manifest."""

    documents: list[dict] = field(default_factory=list)  # DocumentReport.as_dict() per document
    commitments: int = 0
    institutions: int = 0
    laws: int = 0
    places: int = 0
    metrics: int = 0
    mentions: int = 0
    similar: int = 0
    progress_links: int = 0
    triples: int = 0
    conforms: bool | None = None
    violations: int = 0
    warnings: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per build stage


def _no_progress(items: Iterable, total: int, desc: str) -> Iterable:
    return items


Loaded = tuple[Document, DocumentInfo, Segmentation]


def load_documents(paths: Sequence[str | Path], *, country: str | None = None) -> list[Loaded]:
    """Load, segment and describe every document before any model is loaded or anything written.
    A document without commitments is loaded too (its sections are indexed instead).

    :raises DocumentError: for the first document that cannot be read.
    """
    loaded = []
    for path in paths:
        doc = load_document(path)
        loaded.append((doc, describe(doc, country=country), find(doc)))
    return loaded


def _parts(part: CommitmentText | Section) -> CommitmentParts | None:
    """Where the commitment ``part``'s body and responsible field are, relative to its own text."""
    if isinstance(part, Section):
        return None
    shift = part.start
    span = part.responsible_span
    return CommitmentParts(tuple((s - shift, e - shift) for s, e in part.body_spans),
                           (span[0] - shift, span[1] - shift) if span else None, tuple(part.responsible))


def extract(loaded: Sequence[Loaded], *, progress: Progress = _no_progress, nlp: Language | None = None
            ) -> list[ExtractedDocument]:
    """Run the pipeline over every commitment of the loaded documents, and over the sections
    of the documents that have none."""
    nlp = nlp or build_nlp()
    jobs: list[tuple[Document, DocumentInfo, CommitmentText | Section]] = []
    resolvers: dict[str, InstitutionResolver] = {}  # one per document: its acronyms, one key per organisation
    for doc, info, seg in loaded:
        jobs += [(doc, info, part) for part in (seg.commitments or sections(doc))]
        resolvers[doc.sha256] = InstitutionResolver.for_text(doc.text, info.country)
    docs = (make_doc(nlp, doc.text[part.start : part.end], info.country, institutions=resolvers[doc.sha256],
                     parts=_parts(part)) for doc, info, part in jobs)
    per_doc: dict[str, list] = {doc.sha256: [] for doc, _, _ in loaded}
    for (doc, info, part), processed in progress(zip(jobs, nlp.pipe(docs, batch_size=8)), len(jobs), "extracting"):
        found = tuple(mentions(processed, offset=part.start))
        if isinstance(part, Section):
            per_doc[doc.sha256].append((part, found))
        else:
            responsible = tuple((m.entity.institution, (m.start, m.end)) for m in found if m.kind == "responsible")
            per_doc[doc.sha256].append(ExtractedCommitment(part, responsible, tuple(m for m in found
                                                                                  if m.kind != "responsible")))
    result = []
    for doc, info, seg in loaded:
        parts = per_doc[doc.sha256]
        result.append(ExtractedDocument(doc, info, seg, tuple(p for p in parts if isinstance(p, ExtractedCommitment)),
                                        tuple(p for p in parts if not isinstance(p, ExtractedCommitment))))
    return result


def write_graph(extracted: Sequence[ExtractedDocument], store: pyoxigraph.Store) -> int:
    """Write the RDF of ``extracted`` into ``store``; returns the number of triples written."""
    writer = GraphWriter(PlaceGazetteer.default(), LawGazetteer.default())
    for ed in extracted:
        writer.document(ed.document, ed.info)
        for ec in ed.commitments:
            writer.commitment(ed.document, ed.info, ec.text, ec.responsible, ec.mentions)
        for index, (sec, found) in enumerate(ed.sections, start=1):
            writer.section(ed.document, ed.info, index, sec, found)
    quads = list(dedupe(writer.quads))
    store.bulk_extend(quads)
    store.flush()
    return len(quads)


_COUNTS = {
    "commitments": "?x a ogp:Commitment",
    "institutions": "?x a org:Organization",
    "laws": "?x a eli:LegalResource",
    "places": "?c dct:spatial ?x",
    "metrics": "?x a schema:QuantitativeValue",
    "mentions": "?x itsrdf:taIdentRef ?e",
}


def count(store: pyoxigraph.Store, what: str, *, among: Iterable[pyoxigraph.NamedNode] | None = None) -> int:
    """Distinct ``what`` (a key of the summary: commitments, institutions, laws, places, …); with
    ``among``, only those of these nodes (the ones ``store`` has)."""
    values = "" if among is None else "VALUES ?x { " + " ".join(map(str, among)) + " } "
    query = f"{sparql_prefixes()}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {values}{_COUNTS[what]} }}"
    return int(next(iter(store.query(query)))["n"].value)


def distinct(store: pyoxigraph.Store, what: str) -> list[pyoxigraph.NamedNode]:
    """The distinct ``what`` of ``store`` (the nodes ``count`` counts)."""
    return [row["x"] for row in store.query(f"{sparql_prefixes()}SELECT DISTINCT ?x WHERE {{ {_COUNTS[what]} }}")]


__all__ = ["extract", "load_documents", "bundled_report", "BuildSummary", "DocumentError"]
