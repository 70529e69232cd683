"""Open-data dumps of the graph (Turtle, N-Triples, JSON-LD with the published context) and their
VoID + DCAT description."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Quad

from ogp_graph.errors import InputError
from ogp_graph.rdf import dataset_iri
from ogp_graph.store import open_store
from ogp_graph.validate import to_rdflib
from ogp_graph.vocab import ID_NS, OGP_NS, PREFIXES, Namespace
from ontology import CONTEXT_JSONLD

#: --format → (file extension, media type, pyoxigraph format or None for JSON-LD via rdflib)
DUMP_FORMATS = {
    "turtle": ("ttl", "text/turtle", pyoxigraph.RdfFormat.TURTLE),
    "nt": ("nt", "application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    "jsonld": ("jsonld", "application/ld+json", None),
}
DATASET = dataset_iri()
LICENSE = NamedNode("https://creativecommons.org/licenses/by/4.0/")
VOID, DCAT = Namespace("http://rdfs.org/ns/void#"), Namespace("http://www.w3.org/ns/dcat#")
DCT, RDF, XSD = Namespace("http://purl.org/dc/terms/"), Namespace(PREFIXES["rdf"]), Namespace(PREFIXES["xsd"])


def serialize_graph(store: pyoxigraph.Store, format: str) -> bytes:
    """The default graph of ``store`` as ``format`` (turtle, nt, jsonld).

    :raises ValueError: unknown format.
    """
    if format not in DUMP_FORMATS:
        raise InputError(f"unknown export format {format!r}; use one of {sorted(DUMP_FORMATS)}")
    _, _, rdf_format = DUMP_FORMATS[format]
    if rdf_format is None:
        return to_rdflib(store).serialize(format="json-ld", context=jsonld_context()).encode()
    prefixes = {"prefixes": PREFIXES} if format == "turtle" else {}
    return store.dump(format=rdf_format, from_graph=pyoxigraph.DefaultGraph(), **prefixes)


def jsonld_context() -> dict:
    """The published JSON-LD context (``ontology/context.jsonld``)."""
    return json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))["@context"]


_JSONLD_END = "\n]}\n"


def _merge_jsonld(parts: Iterable[Path], path: Path, *, base: Path | None = None) -> None:
    """One JSON-LD document with the published context from files that each hold a list of node
    objects (after the nodes of ``base``, a document this function wrote)."""
    if base is not None:
        shutil.copyfile(base, path)
        with open(path, "r+b") as out:
            out.seek(-len(_JSONLD_END) - 1, 2)
            first = out.read(1) == b"["
            out.seek(-len(_JSONLD_END), 2)
            out.truncate()
    with open(path, "a" if base is not None else "w", encoding="utf-8") as out:
        if base is None:
            out.write('{"@context": ' + json.dumps(jsonld_context(), ensure_ascii=False) + ',\n "@graph": [')
            first = True
        for part in parts:
            for node in json.loads(Path(part).read_text(encoding="utf-8")):
                out.write(("\n  " if first else ",\n  ") + json.dumps(node, ensure_ascii=False))
                first = False
        out.write(_JSONLD_END)


def export_graph(format: str = "turtle", *, data_dir: Path | str | None = None) -> bytes:
    """The published graph serialised as ``format``."""
    return serialize_graph(open_store(data_dir), format)


def describe_dataset(store: pyoxigraph.Store, dumps: dict[str, str], base_url: str, issued: dt.date, *,
                     triples: int | None = None) -> list[Quad]:
    """VoID + DCAT description of the graph: size (``triples`` when known: every quad of the store,
    else counted), classes, vocabularies, sources, licence, the SPARQL endpoint and one DCAT
    distribution per dump (``dumps``: media type → file name)."""
    def lit(value, datatype=None):
        return Literal(str(value), datatype=datatype) if datatype else Literal(str(value))

    triples = len(store) if triples is None else triples
    quads = [
        Quad(DATASET, RDF.type, VOID.Dataset), Quad(DATASET, RDF.type, DCAT.Dataset),
        Quad(DATASET, DCT.title, Literal("ogp-kg: OGP action plans and progress reports as linked data", language="en")),
        Quad(DATASET, DCT.description, Literal("Commitments of Open Government Partnership action plans with the "
                                               "institutions, laws, places and metrics they mention, each traceable "
                                               "to its source text.", language="en")),
        Quad(DATASET, DCT.license, LICENSE),
        Quad(DATASET, DCT.issued, lit(issued.isoformat(), XSD.date)),
        Quad(DATASET, VOID.triples, lit(triples, XSD.integer)),
        Quad(DATASET, VOID.vocabulary, NamedNode(OGP_NS)),
        Quad(DATASET, VOID.sparqlEndpoint, NamedNode(f"{base_url}/sparql")),
        Quad(DATASET, VOID.uriSpace, lit(ID_NS)),
    ]
    for vocabulary in ("org", "eli", "schema", "skos", "dct", "prov", "nif"):
        quads.append(Quad(DATASET, VOID.vocabulary, NamedNode(PREFIXES[vocabulary])))
    classes = list(store.query("SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class"))
    quads.append(Quad(DATASET, VOID.classes, lit(len(classes), XSD.integer)))
    for k, row in enumerate(classes):
        part = NamedNode(f"{DATASET.value}/class/{k}")
        quads += [Quad(DATASET, VOID.classPartition, part), Quad(part, VOID["class"], row["class"]),
                  Quad(part, VOID.entities, lit(row["n"].value, XSD.integer))]
    for row in store.query("SELECT ?d ?name WHERE { ?d a <https://w3id.org/ogp-kg/ontology#SourceDocument> ; "
                           "<http://purl.org/dc/terms/source> ?name }"):
        quads.append(Quad(DATASET, DCT.source, row["d"]))
    for media, name in dumps.items():
        dist = NamedNode(f"{DATASET.value}/distribution/{name}")
        url = NamedNode(f"{base_url}/data/{name}")
        quads += [Quad(DATASET, DCAT.distribution, dist), Quad(DATASET, VOID.dataDump, url),
                  Quad(dist, RDF.type, DCAT.Distribution), Quad(dist, DCAT.downloadURL, url),
                  Quad(dist, DCAT.mediaType, lit(media)), Quad(dist, DCT.license, LICENSE)]
    return quads


def write_dumps(store: pyoxigraph.Store, out_dir: Path, *, base_url: str = "", issued: dt.date | None = None,
                parts: Callable[[str], Iterable[Path]] | None = None, base: Path | None = None,
                triples: int | None = None) -> list[Path]:
    """Write dated dumps in every format and ``void.ttl`` into ``out_dir``; returns the files.

    With ``parts`` (format name → files whose union is the graph in that format, e.g. one per
    document) every dump is streamed from them — N-Triples and Turtle concatenated, JSON-LD node
    lists merged into one ``@graph`` — so it costs a file copy and memory does not grow with the graph.
    With ``base`` too (a dumps directory this function wrote from parts), its dumps come first and
    ``parts`` are only what follows: the cost is that of copying files and of the new parts.
    ``triples``: the store's size when the caller knows it (see ``describe_dataset``).
    """
    issued = issued or dt.date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    written, dumps = [], {}
    for format, (ext, media, rdf_format) in DUMP_FORMATS.items():
        path = out_dir / f"ogp-kg-{issued.isoformat()}.{ext}"
        previous = max(base.glob(f"ogp-kg-*.{ext}"), default=None) if base is not None else None
        if base is not None and previous is None:
            raise FileNotFoundError(f"no .{ext} dump in {base} to start from")
        if parts is None:
            path.write_bytes(serialize_graph(store, format))
        elif rdf_format is None:
            _merge_jsonld(parts(format), path, base=previous)
        else:
            if previous is not None:
                shutil.copyfile(previous, path)
            with open(path, "ab" if previous is not None else "wb") as out:
                for part in parts(format):
                    with open(part, "rb") as fh:
                        shutil.copyfileobj(fh, out)
        written.append(path)
        dumps[media] = path.name
    void = out_dir / "void.ttl"
    void.write_bytes(pyoxigraph.serialize([q.triple for q in describe_dataset(store, dumps, base_url, issued, triples=triples)],
                                          format=pyoxigraph.RdfFormat.TURTLE,
                                          prefixes={**PREFIXES, "void": VOID.base, "dcat": DCAT.base}))
    return [*written, void]
