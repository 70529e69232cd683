"""The build, as stages: load → segment → extract → write → validate → index → link → publish.

Every document goes through the first five on its own, one at a time (memory does not grow with
the library), and what they produce — the document's share of the graph, its search passages,
its JSON-LD, its SHACL result and what was found — is cached by content hash and pipeline version
(``ogp_graph.library``), so a document is read once and validated once, on its own. A change of
the library (``build``, ``add``, ``remove``) then fills a fresh build directory
(``ogp_graph.layout.BuildLayout``). A ``build`` writes everything from the cache. An ``add`` or
``remove`` is incremental, its work proportional to the change: ``write`` copies the published
store and applies the documents' triples (counts follow the delta), ``index`` appends and drops
passages (only new ones embedded and analysed), ``link`` recomputes similar commitments only for
the plans that changed and progress links only for the report/plan pairs that changed, and
``publish`` applies those links to the named graph (``LINKS_GRAPH``) as deletions and insertions,
appends to the dumps, writes manifest and library and swaps the directory in atomically. Either
way the result is the same. The extracted graph (the default graph) is never rewritten by a later
stage.
"""
from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import DefaultGraph, Quad, RdfFormat

from api.export import DUMP_FORMATS, jsonld_context, write_dumps
from indexes.embedders import DEFAULT_EMBEDDER, get_embedder
from indexes.passages import Passage, passages_from_store
from indexes.search_index import SearchIndex
from indexes.similarity import Similar, similar_across_groups
from ogp_graph.build import BuildSummary, ExtractedDocument, Progress, bundled_report, count, distinct, \
    document_report, write_graph
from ogp_graph.build import extract as extract_mentions
from ogp_graph.readers import Document, load_document
from ogp_graph.errors import DocumentError, StoreError
from ogp_graph.layout import BuildLayout
from ogp_graph.library import CachedDocument, Entry, Library, entries_json, file_sha256, find_entries, now, read_entries
from ogp_graph.metadata import DocumentInfo, describe
from ogp_graph.rdf import LINKS_GRAPH, commitment_iri, document_iri, plan_iri, progress_quads, similarity_quads
from ogp_graph.remote import RemoteStore
from ogp_graph.progress import ProgressDocument, progress_links, report_scopes
from ogp_graph.segment import Segmentation, find
from ogp_graph.store import current_build, default_data_dir, new_build, read_manifest
from ogp_graph.validate import ValidationReport, to_rdflib
from ogp_graph.vocab import OGP, PREFIXES
from ogp_graph.validate import validate as shacl

if TYPE_CHECKING:
    from spacy.language import Language

BASE_URL = "https://w3id.org/ogp-kg"
STAGES = ("load", "segment", "extract", "write", "validate", "index", "link", "publish")
COUNTED = ("commitments", "institutions", "laws", "places", "metrics", "mentions")


def _no_progress(items: Iterable, total: int, desc: str) -> Iterable:
    return items


@dataclass
class StageClock:
    """Seconds spent per stage, for the build report."""

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    def __call__(self, stage: str, started: float) -> None:
        self.seconds[stage] = round(self.seconds[stage] + time.perf_counter() - started, 3)


# -- per-document stages ------------------------------------------------------------------------
@dataclass(frozen=True)
class Segmented:
    """Output of ``segment``: the document's commitments (maybe none, with the reasons) and what
    it is about."""

    document: Document
    info: DocumentInfo
    segmentation: Segmentation


@dataclass(frozen=True)
class DocumentGraph:
    """Output of ``write``: one document's share of the graph (the entities it names included),
    in memory and as the files of ``directory`` (graph.nt, graph.ttl, graph.jsonld, passages.jsonl)."""

    extracted: ExtractedDocument
    store: pyoxigraph.Store
    rdflib: object  # rdflib.Graph: the same triples, for JSON-LD and SHACL
    directory: Path


def load(path: Path) -> Document:
    """Read and clean ``path``.

    :raises DocumentError: missing, unreadable or unsupported file, no text.
    """
    return load_document(path)


def segment(document: Document, *, country: str | None = None, scope: str = "") -> Segmented:
    """Find the commitments of a loaded document, then its language, country (``country``
    overrides detection), plan and genre; ``scope`` gives a report's commitments IRIs of their own
    (see ``ogp_graph.progress.report_scopes``).

    :raises DocumentError: ``country`` is not a known ISO code.
    """
    info = replace(describe(document, country=country), report=scope)
    return Segmented(document, info, find(document))


def extract(segmented: Segmented, *, nlp: Language) -> ExtractedDocument:
    """Run the NLP pipeline over every commitment (or, without any, every section)."""
    return extract_mentions([(segmented.document, segmented.info, segmented.segmentation)], nlp=nlp)[0]


def write(extracted: ExtractedDocument, directory: Path) -> DocumentGraph:
    """The RDF of one document in a store of its own, saved in ``directory`` as N-Triples, with
    its search passages and its JSON-LD node objects (compacted with the published context)."""
    store = pyoxigraph.Store()
    write_graph([extracted], store)
    store.dump(str(directory / "graph.nt"), RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    store.dump(str(directory / "graph.ttl"), RdfFormat.TURTLE, from_graph=DefaultGraph(), prefixes=PREFIXES)
    with open(directory / "passages.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in passages_from_store(store))
    graph = to_rdflib(store)
    compacted = json.loads(graph.serialize(format="json-ld", context=jsonld_context()))
    nodes = compacted.get("@graph", [{k: v for k, v in compacted.items() if k != "@context"}])
    (directory / "graph.jsonld").write_text(json.dumps(nodes, ensure_ascii=False), encoding="utf-8")
    return DocumentGraph(extracted, store, graph, directory)


def validate(graph: DocumentGraph) -> ValidationReport:
    """SHACL report of one document's graph (it names its entities, so it stands alone); the
    report text is kept beside the graph when it does not conform."""
    report = shacl(graph.rdflib)
    if not report.conforms:
        (graph.directory / "shacl-report.txt").write_text(report.text, encoding="utf-8")
    return report


def read_document(path: Path, *, library: Library, country: str | None, nlp: Callable[[], object],
                  clock: StageClock, scope: str = "") -> CachedDocument:
    """``path`` through load → segment → extract → write → validate, or its cached result.

    :raises DocumentError: the document cannot be used (nothing is cached then).
    """
    sha256 = file_sha256(path)
    if cached := library.cached(sha256, country, scope):
        return cached
    t = time.perf_counter()
    document = load(path)
    clock("load", t)
    t = time.perf_counter()
    segmented = segment(document, country=country, scope=scope)
    clock("segment", t)
    t = time.perf_counter()
    extracted = extract(segmented, nlp=nlp())
    clock("extract", t)
    staging = library.staging()
    try:
        t = time.perf_counter()
        graph = write(extracted, staging)
        clock("write", t)
        t = time.perf_counter()
        report = validate(graph)
        clock("validate", t)
        doc, info, commitments = extracted.document, extracted.info, extracted.commitments
        found = document_report(extracted)
        record = {
            "source": doc.name or doc.source, "sha256": sha256, "document": document_iri(doc).value,
            "country": info.country, "language": info.language, "period": info.period_key,
            "first_year": info.period[0], "plan": plan_iri(info).value, "genre": info.genre,
            "layout": found.layout, "scope": scope, "report": found.as_dict(),
            "counts": {**{what: count(graph.store, what) for what in COUNTED},
                       "triples": len(graph.store),
                       "without_title": found.without_title, "without_responsible": found.without_responsible},
            "commitments": [[commitment_iri(info, ec.text.label).value, ec.text.label, ec.text.title]
                            for ec in commitments],
            "conforms": report.conforms, "violations": report.violations, "warnings": report.warnings,
        }
        return library.commit(staging, sha256, country, scope, record)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# -- library stages ---------------------------------------------------------------------------------
def _progress_record(record: dict) -> ProgressDocument:
    return ProgressDocument(record["sha256"], record["country"], record["language"], record["first_year"],
                            record["genre"], tuple(tuple(c) for c in record["commitments"]))


def _progress_entry(entry: Entry) -> ProgressDocument:
    year = entry.period.split("-")[0]
    return ProgressDocument(entry.sha256, entry.country, entry.language, int(year) if year.isdigit() else None,
                            entry.genre)


def _entry(cached: CachedDocument, stored: str, read_as: str | None) -> Entry:
    r = cached.record
    return Entry(sha256=r["sha256"], source=r["source"], country=r["country"], language=r["language"],
                 plan=r["plan"], period=r["period"], genre=r["genre"], layout=r["layout"], counts=r["counts"],
                 added=now(), read_as=read_as, stored=stored)


def _passages(docs: Sequence[CachedDocument]) -> Iterator[Passage]:
    for doc in docs:
        with open(doc.passages, encoding="utf-8") as fh:
            yield from (Passage(**json.loads(line)) for line in fh)


def _dump_parts(docs: Sequence[CachedDocument]) -> Callable[[str], list[Path]]:
    """Each document's share of the graph in a dump format (see ``api.export.DUMP_FORMATS``)."""
    return lambda format: [doc.directory / f"graph.{DUMP_FORMATS[format][0]}" for doc in docs]


def _graph(doc: CachedDocument) -> pyoxigraph.Store:
    """One document's share of the graph, in memory."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(doc.graph), format=RdfFormat.N_TRIPLES)
    return store


def _triples(store: pyoxigraph.Store) -> int:
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))["n"].value)


_WRITE_BATCH = 64  # documents' graphs per bulk load (a few MB)


@dataclass
class Written:
    """Output of the library's ``write``: the build's store, its counts (``triples`` and ``COUNTED``
    of the default graph) and the N-Triples lines taken out of the default graph."""

    store: pyoxigraph.Store
    counts: dict[str, int]
    removed: list[bytes] = field(default_factory=list)
    quads: int | None = None  # quads of the store, links graph included (as published), when known


def write_store(layout: BuildLayout, docs: Sequence[CachedDocument], *, base: BuildLayout | None,
                added: Sequence[CachedDocument] = (), removed: Sequence[CachedDocument] = (),
                progress: Progress) -> Written:
    """The build's store. Without ``base``: the graphs of ``docs``, counted afresh (the link stage
    writes the links graph). With ``base`` (the published build, whose library was ``docs`` less
    ``added`` plus ``removed``): a copy of its store, links graph included, with the graphs of
    ``removed`` taken out — but for the triples a kept document also has — and those of ``added``
    put in; its manifest's counts follow the change, so the work is that of the change."""
    if base is None:
        store = pyoxigraph.Store(str(layout.store))
        batches = range(0, len(docs), _WRITE_BATCH)
        for b in progress(batches, len(batches), "write"):  # one bulk load per batch: fewer, larger segments
            store.bulk_load(b"".join(doc.graph.read_bytes() for doc in docs[b : b + _WRITE_BATCH]),
                            RdfFormat.N_TRIPLES)
        store.flush()
        return Written(store, {"triples": _triples(store), **{what: count(store, what) for what in COUNTED}})
    pyoxigraph.Store.read_only(str(base.store)).backup(str(layout.store))
    store = pyoxigraph.Store(str(layout.store))
    previous = read_manifest(base.root)
    written = Written(store, {what: previous[what] for what in ("triples", *COUNTED)})
    if removed:
        lines = {line for doc in removed for line in doc.graph.read_bytes().splitlines(keepends=True)}
        graphs = [_graph(doc) for doc in removed]
        gone = {what: {x for graph in graphs for x in distinct(graph, what)} for what in COUNTED}
        for quad in pyoxigraph.parse(b"".join(lines), RdfFormat.N_TRIPLES):
            store.remove(Quad(quad.subject, quad.predicate, quad.object, DefaultGraph()))
        kept = {line for doc in docs for line in doc.graph.read_bytes().splitlines(keepends=True) if line in lines}
        if kept:  # triples the removed documents shared with kept ones (an institution, a law, a place)
            store.bulk_load(b"".join(kept), RdfFormat.N_TRIPLES)
        written.removed = sorted(lines - kept)
        written.counts["triples"] -= len(written.removed)
        for what, nodes in gone.items():
            written.counts[what] -= len(nodes) - (count(store, what, among=nodes) if nodes else 0)
    for doc in progress(added, len(added), "write"):
        own = _graph(doc)
        written.counts["triples"] += sum(quad not in store for quad in own)
        for what in COUNTED:
            if nodes := distinct(own, what):
                written.counts[what] += len(nodes) - count(store, what, among=nodes)
        store.bulk_load(path=str(doc.graph), format=RdfFormat.N_TRIPLES)
    store.flush()
    if "quads" in previous:
        written.quads = previous["quads"] + written.counts["triples"] - previous["triples"]
    return written


def index(docs: Sequence[CachedDocument], *, embedder: str, reuse: SearchIndex | None, progress: Progress,
          added: Sequence[CachedDocument] | None = None) -> SearchIndex:
    """The search index over the passages of ``docs``; vectors of texts ``reuse`` has are kept.
    With ``added`` (``reuse`` being the published index, over the other documents of ``docs``
    and maybe removed ones): ``reuse`` less the removed documents' passages, then the added ones
    appended — only they are embedded and analysed (equal to a build from scratch)."""
    def named(items, total, desc):
        return progress(items, total, "index")

    if added is None or reuse is None or not reuse.made_by(get_embedder(embedder)):
        return SearchIndex.build(list(_passages(docs)), embedder, reuse=reuse, progress=named)
    fresh = {d.record["document"] for d in added}
    kept = {d.record["document"] for d in docs} - fresh
    rows = [i for i, p in enumerate(reuse.passages) if p.doc in kept]
    if len(rows) < len(reuse.passages):
        reuse = reuse.select(rows)
    return reuse.extend(list(_passages(added)), progress=named)


@dataclass(frozen=True)
class LinkChange:
    """What a change of the library does to the links graph: similar-commitment links (see
    ``indexes.similarity``) and ``(report commitment, plan commitment)`` progress links, added
    and dropped (a build from scratch adds every link)."""

    similar_added: set[Similar]
    similar_dropped: set[Similar]
    progress_added: set[tuple[str, str]]
    progress_dropped: set[tuple[str, str]]

    def quads(self, method: str, *, left: Similar | None) -> tuple[set[Quad], set[Quad]]:
        """(quads to delete, quads to insert) in the links graph; ``left``: any link that stays,
        whose quads shared by every link (the extractor's) are not deleted."""
        def of(similar: Iterable[Similar], progress: Iterable[tuple[str, str]]) -> set[Quad]:
            found = {q for s in similar for q in similarity_quads(s.source, s.target, s.score, method)}
            return {Quad(q.subject, q.predicate, q.object, LINKS_GRAPH) for q in [*found, *progress_quads(progress)]}

        insert = of(self.similar_added, self.progress_added)
        drop = of(self.similar_dropped, self.progress_dropped) - insert
        return drop - (of([left], ()) if left else set()), insert


def _line(s: Similar) -> str:
    """A link as a line of ``links.tsv``."""
    return f"{s.source}\t{s.target}\t{s.score}\n"


@dataclass(frozen=True)
class Linked:
    """Output of ``link``: every similar-commitment link (as ``links.tsv`` lines) and, against the
    previous links, those added and dropped."""

    lines: list[str]
    added: set[Similar]
    dropped: set[Similar]


def link(index: SearchIndex, plan_of: dict[str, str], *, previous: Path | None, changed: set[str],
         touched: set[str] | None) -> Linked:
    """Similar commitments across plans. With ``previous`` (a ``links.tsv``), the plans that
    ``changed`` and the commitments of the previous library in those plans (``touched``), only
    pairs touching those plans are recomputed (the others cannot have moved): the previous lines
    not naming a touched commitment are kept as they are (all of them, unread, when none is;
    ``touched`` None: those whose commitments are all still there, in unchanged plans), and
    added/dropped are the difference."""
    fresh = similar_across_groups(index, plan_of, changed=None if previous is None else changed)
    if previous is None:
        return Linked([_line(s) for s in fresh], set(fresh), set())
    kept, dropped = [], set()
    with open(previous, encoding="utf-8") as fh:
        if touched is not None and not touched:
            kept = fh.readlines()
        for line in fh:
            source, target, score = line.rstrip("\n").split("\t")
            if touched is None:
                a, b = plan_of.get(source), plan_of.get(target)
                goes = a is None or b is None or a in changed or b in changed
            else:
                goes = source in touched or target in touched
            if goes:
                dropped.add(Similar(source, target, float(score)))
            else:
                kept.append(line)
    fresh_set = set(fresh)
    return Linked(kept + [_line(s) for s in fresh], fresh_set - dropped, dropped - fresh_set)


def progress_change(before: Sequence[ProgressDocument], after: Sequence[ProgressDocument], *,
                    changed: set[tuple] | None) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Progress links (added, dropped) between the library ``before`` and ``after``: with
    ``changed`` (the keys — country, language, first year — of the documents added or removed)
    only documents with those keys are paired again (no other pair can have changed)."""
    def links(docs: Sequence[ProgressDocument]) -> set[tuple[str, str]]:
        return set(progress_links([d for d in docs if changed is None or d.key in changed]))

    old, new = links(before) if changed is not None else set(), links(after)
    return new - old, old - new


def _data(quads: Iterable[Quad]) -> str:
    """``quads`` as the body of a SPARQL ``INSERT DATA`` / ``DELETE DATA``."""
    return " ".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)


def publish(layout: BuildLayout, written: Written, links: Linked, change: LinkChange, *,
            docs: Sequence[CachedDocument], entries: list[Entry], method: str, remote: RemoteStore | None,
            base: BuildLayout | None, added: Sequence[CachedDocument]) -> None:
    """Write the links — similar commitments (``links.tsv`` and, as the ``change``, the named
    graph) and reports' ``ogp:progressOf`` their plan's commitments (named graph) —, the dumps
    (with ``base`` and nothing removed: its dumps and the ``added`` documents') and the library
    of the build; with ``remote``, send the graph there (with ``base``, only the change). The
    manifest, written last, makes the directory a complete build."""
    store = written.store
    with open(layout.links, "w", encoding="utf-8") as fh:
        fh.writelines(links.lines)
    left = links.lines[0].rstrip("\n").split("\t") if links.lines else None
    drop, insert = change.quads(method, left=Similar(left[0], left[1], float(left[2])) if left else None)
    if written.quads is not None:
        written.quads += sum(quad not in store for quad in insert) - sum(quad in store for quad in drop)
    for quad in drop:
        store.remove(quad)
    store.bulk_extend(insert)
    store.flush()
    if written.quads is None:
        written.quads = len(store)
    if base is not None and not written.removed:
        write_dumps(store, layout.dumps, base_url=BASE_URL, parts=_dump_parts(added), base=base.dumps,
                    triples=written.quads)
    else:
        write_dumps(store, layout.dumps, base_url=BASE_URL, parts=_dump_parts(docs), triples=written.quads)
    if remote is not None:  # scale-out: queries go to the SPARQL server; the local copy feeds later changes
        if base is None:
            remote.replace_default_graph(store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()))
            remote.replace_default_graph(store.dump(format=RdfFormat.N_TRIPLES, from_graph=LINKS_GRAPH),
                                         graph=LINKS_GRAPH.value)
        else:
            if written.removed:
                remote.update("DELETE DATA { " + b"".join(written.removed).decode() + " }")
            for doc in added:
                remote.add_to_graph(doc.graph.read_bytes())
            if drop:
                remote.update(f"DELETE DATA {{ {_data(drop)} }}")
            if insert:
                remote.update(f"INSERT DATA {{ {_data(insert)} }}")
    layout.library.write_text(entries_json(entries), encoding="utf-8")


# -- changes of the library -------------------------------------------------------------------------
def _published(data_dir: Path) -> BuildLayout | None:
    try:
        return BuildLayout(current_build(data_dir))
    except StoreError:
        return None


def _previous_index(layout: BuildLayout | None) -> SearchIndex | None:
    """The published index, whose vectors a rebuild reuses for unchanged passages."""
    try:
        return SearchIndex.load(layout.index) if layout else None
    except (FileNotFoundError, ValueError, OSError, KeyError):
        return None


def _change(data_dir: Path | str | None, *, keep: list[Entry], add: Sequence[Path], remove: Sequence[Entry] = (),
            country: str | None, embedder: str, base: BuildLayout | None, reuse: SearchIndex | None,
            store_url: str | None, progress: Progress) -> BuildSummary:
    """Publish a build whose library is ``keep`` plus the documents ``add`` (the published one less
    ``remove``). With ``base`` (the published build, with a local store) the change is
    incremental: its store, index, links and dumps are reused and only the added and removed
    documents' share is written, indexed and linked; without, everything is written afresh
    (from the cache). A change that gives a kept document other IRIs (a report whose plan
    comes or goes) or a new pipeline version falls back to the latter."""
    started = time.perf_counter()
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    library, clock = Library(data_dir), StageClock()
    get_embedder(embedder)  # an unknown embedder fails before any work
    nlp_model = []

    def nlp():
        if not nlp_model:
            from ogp_graph.nlp.pipeline import build_nlp

            nlp_model.append(build_nlp())
        return nlp_model[0]

    if base is not None and not base.links.exists():
        base = None  # a build of an earlier layout: write everything afresh
    with new_build(data_dir) as root:
        layout = BuildLayout(root)
        known = {e.sha256 for e in keep}
        added, added_paths = [], []
        for path in progress(list(add), len(add), "extract"):
            cached = read_document(Path(path), library=library, country=country, nlp=nlp, clock=clock)
            if cached.record["sha256"] in known:
                continue
            known.add(cached.record["sha256"])
            added.append(cached)
            added_paths.append(Path(path))
        # a report whose plan is in the library gets commitment IRIs of its own (read again if that changed)
        before = report_scopes([_progress_entry(e) for e in [*keep, *remove]])
        scopes = report_scopes([*(_progress_entry(e) for e in keep), *(_progress_record(d.record) for d in added)])
        if base is not None and any(scopes[e.sha256] != before[e.sha256] for e in keep):
            base = None  # a kept report changes its IRIs: write the whole store afresh
        removed = [library.cached(e.sha256, e.read_as, before[e.sha256]) for e in remove]
        if any(r is None for r in removed):
            base = None  # a new pipeline version: nothing of the published build is reused
        kept, keep = [], list(keep)
        for k, entry in enumerate(keep):
            cached = library.cached(entry.sha256, entry.read_as, scopes[entry.sha256])
            if cached is None:  # a new pipeline version or scope: read the kept copy again, once
                base = None
                cached = read_document(library.source_path(entry), library=library, country=entry.read_as, nlp=nlp,
                                       clock=clock, scope=scopes[entry.sha256])
                keep[k] = replace(_entry(cached, entry.stored, entry.read_as), added=entry.added)
            kept.append(cached)
        new_entries = []
        for k, (cached, path) in enumerate(zip(added, added_paths)):
            if scope := scopes[cached.record["sha256"]]:
                added[k] = cached = read_document(path, library=library, country=country, nlp=nlp, clock=clock,
                                                  scope=scope)
            new_entries.append(_entry(cached, library.keep_source(path, cached.record["sha256"]), country))
        docs, entries = kept + added, keep + new_entries
        if not docs:
            raise DocumentError("library", "no documents left; a library needs at least one")
        t = time.perf_counter()
        written = write_store(layout, docs, base=base, added=added, removed=[r for r in removed if r],
                              progress=progress)
        clock("write", t)
        t = time.perf_counter()
        summary = BuildSummary(**written.counts)
        summary.documents = [d.record["report"] for d in added]
        failing = [d for d in docs if not d.record["conforms"]]
        summary.conforms = not failing
        summary.violations = sum(d.record["violations"] for d in docs)
        summary.warnings = sum(d.record["warnings"] for d in docs)
        if failing:
            layout.shacl_report.write_text("\n\n".join(f"# {d.record['source']}\n" + (
                d.directory / "shacl-report.txt").read_text(encoding="utf-8") for d in failing), encoding="utf-8")
        clock("validate", t)
        t = time.perf_counter()
        search_index = index(docs, embedder=embedder, reuse=reuse, progress=progress,
                             added=added if base is not None else None)
        search_index.save(layout.index)
        clock("index", t)
        t = time.perf_counter()
        plan_by_doc = {d.record["document"]: d.record["plan"] for d in docs}
        plan_of = {p.commitment: plan_by_doc[p.doc] for p in search_index.passages}
        changed = {d.record["plan"] for d in added} | {e.plan for e in remove}
        plan_before = {d.record["document"]: d.record["plan"] for d in [*kept, *(r for r in removed if r)]}
        touched = {p.commitment for p in reuse.passages if plan_before.get(p.doc) in changed} if reuse else None
        links = link(search_index, plan_of, changed=changed, touched=touched,
                     previous=base.links if base is not None else None)
        records = [_progress_record(d.record) for d in docs]
        if base is None:
            progress_added, progress_dropped = progress_change([], records, changed=None)
        else:
            before_records = [_progress_record(d.record) for d in [*kept, *(r for r in removed if r)]]
            progress_added, progress_dropped = progress_change(before_records, records, changed={
                d.key for d in [*before_records, *records]
                if d.sha256 in {x.record["sha256"] for x in added} | {e.sha256 for e in remove}})
        change = LinkChange(links.added, links.dropped, progress_added, progress_dropped)
        clock("link", t)
        t = time.perf_counter()
        remote = RemoteStore(store_url) if store_url else None
        publish(layout, written, links, change, docs=docs, entries=entries, method=search_index.embedder.name,
                remote=remote, base=base, added=added)
        summary.similar = len(links.lines)
        summary.progress_links = sum(1 for _ in written.store.quads_for_pattern(None, OGP.progressOf, None, LINKS_GRAPH))
        quads = written.quads
        del written
        clock("publish", t)
        summary.stages = clock.seconds
        summary.seconds = round(time.perf_counter() - started, 2)
        manifest = {**asdict(summary), "quads": quads, "index": search_index.config(),
                    **({"remote_store": store_url} if remote else {})}
        layout.manifest.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    library.prune({e.sha256 for e in entries})
    return summary


def _current(data_dir: Path | str | None) -> tuple[BuildLayout, list[Entry], dict]:
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    layout = BuildLayout(current_build(data_dir))
    return layout, read_entries(layout), read_manifest(layout.root)


def build_all(
    paths: Sequence[str | Path] | None = None,
    *,
    data_dir: Path | str | None = None,
    country: str | None = None,
    embedder: str = DEFAULT_EMBEDDER,
    store_url: str | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Replace the library with ``paths`` (default: the bundled report): graph and search index
    built into a fresh directory and published at once; the previous data stays untouched when
    anything fails. With ``store_url`` the graph is published to that SPARQL server (Graph Store
    Protocol PUT) instead; queries then go there.

    :raises DocumentError: a document is missing or cannot be read.
    :raises StoreError: another build holds the data directory.
    :raises ValueError: unknown embedder.
    """
    published = _published(Path(data_dir) if data_dir else default_data_dir())
    return _change(data_dir, keep=[], add=[Path(p) for p in paths or [bundled_report()]], country=country,
                   embedder=embedder, base=None, reuse=_previous_index(published), store_url=store_url,
                   progress=progress or _no_progress)


def add_documents(paths: Sequence[str | Path], *, data_dir: Path | str | None = None, country: str | None = None,
                  progress: Progress | None = None) -> BuildSummary:
    """Add ``paths`` to the published library: only they are read; the published store, vectors
    and links are reused; the result is published atomically (a failure changes nothing).
    Documents already in the library are skipped. ``summary.documents`` lists the added ones.

    :raises StoreError: nothing built yet, a build without library, or another build running.
    :raises DocumentError: a document cannot be used.
    """
    layout, entries, manifest = _current(data_dir)
    if {file_sha256(Path(p)) for p in paths} <= {e.sha256 for e in entries}:  # nothing new: nothing to publish
        return BuildSummary(**{**{f.name: manifest[f.name] for f in fields(BuildSummary) if f.name in manifest}, "documents": []})
    return _change(data_dir, keep=entries, add=[Path(p) for p in paths], country=country,
                   embedder=manifest["index"]["embedder"], base=layout if layout.store.exists() else None,
                   reuse=_previous_index(layout), store_url=manifest.get("remote_store"),
                   progress=progress or _no_progress)


def remove_documents(refs: Sequence[str], *, data_dir: Path | str | None = None,
                     progress: Progress | None = None) -> tuple[list[Entry], BuildSummary]:
    """Remove the documents ``refs`` name (a file, an id or hash prefix, a source name) and publish
    the library without them, rebuilt from the cache; returns the removed entries and the summary.

    :raises DocumentError: a reference names no document, or nothing would be left.
    :raises StoreError: nothing built yet, or another build running.
    """
    layout, entries, manifest = _current(data_dir)
    removed = {e.sha256: e for ref in refs for e in find_entries(entries, ref)}
    keep = [e for e in entries if e.sha256 not in removed]
    if not keep:
        raise DocumentError(", ".join(refs), "removing it would leave the library empty; use `ogp-kg build` instead")
    summary = _change(data_dir, keep=keep, add=[], remove=list(removed.values()), country=None,
                      embedder=manifest["index"]["embedder"], base=layout if layout.store.exists() else None,
                      reuse=_previous_index(layout), store_url=manifest.get("remote_store"),
                      progress=progress or _no_progress)
    return list(removed.values()), summary


def list_documents(*, data_dir: Path | str | None = None) -> list[Entry]:
    """The documents of the published library, in the order they were added.

    :raises StoreError: nothing built yet, or a build without library.
    """
    return _current(data_dir)[1]
