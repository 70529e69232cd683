"""Content negotiation: an Accept header (or a format name) → a result or graph format."""
from __future__ import annotations

import functools
from collections.abc import Iterable

from pyoxigraph import QueryResultsFormat, RdfFormat

#: media type → format, for SELECT/ASK answers (first one is the default)
RESULT_MEDIA = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
#: media type → format, for CONSTRUCT/DESCRIBE answers and entity pages (first one is the default)
GRAPH_MEDIA = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/x-turtle": RdfFormat.TURTLE,
}
#: names clients pass as ?format= / ?output= (SPARQLWrapper, YASGUI…)
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml",
}
_GRAPH_ALIASES = {"json": "application/ld+json", "xml": "application/rdf+xml"}


def _ranges(header: str | None) -> tuple[list[str], set[str]]:
    """(acceptable media ranges best first — by q, then specificity, then order; ranges refused with q=0)."""
    ranges, refused = [], set()
    for position, part in enumerate((header or "").split(",")[:64]):
        pieces = [p.strip() for p in part.split(";")]
        media, q = pieces[0].lower(), 1.0
        for param in pieces[1:]:
            if param.replace(" ", "").startswith("q="):
                try:
                    q = min(max(float(param.split("=", 1)[1]), 0.0), 1.0)
                except ValueError:
                    q = 1.0  # a malformed weight counts as the default
        if not media:
            continue
        if q <= 0:
            refused.add(media)
            continue
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((-q, -specificity, position, media))
    return [media for *_, media in sorted(ranges)], refused


def parse_accept(header: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (by q, then specificity, then order; q=0 left out)."""
    return _ranges(header)[0]


def negotiate(accept: str | None, kind: str, format_name: str | None = None) -> tuple[str, object] | None:
    """(media type, pyoxigraph format) for a ``kind`` of answer ("results" or "graph"), or None
    when nothing acceptable exists. An explicit ``format_name`` (?format=json) wins over Accept;
    a type refused with ``q=0`` is never chosen, not even through a wildcard. Cached for headers
    of usual length (a client sends the same Accept header again and again)."""
    if len(accept or "") + len(format_name or "") > 256:
        return _negotiate.__wrapped__(accept, kind, format_name)
    return _negotiate(accept, kind, format_name)


@functools.lru_cache(maxsize=512)
def _negotiate(accept: str | None, kind: str, format_name: str | None) -> tuple[str, object] | None:
    table = RESULT_MEDIA if kind == "results" else GRAPH_MEDIA
    if format_name:
        name = format_name.lower()
        media = (_GRAPH_ALIASES.get(name) if kind == "graph" else None) or FORMAT_NAMES.get(name, name)
        return (media, table[media]) if media in table else None
    ranges, refused = _ranges(accept)
    if not ranges and not refused:
        ranges = ["*/*"]
    allowed = [m for m in table if m not in refused and table[m] not in {table[r] for r in refused if r in table}]
    for media in ranges:
        if media in table and media in allowed:
            return media, table[media]
        if media == "*/*" or media.endswith("/*"):
            first = next((m for m in allowed if media == "*/*" or m.startswith(media[:-1])), None)
            if first is not None:
                return first, table[first]
    return None


def language(preferred: Iterable[str | None], supported: tuple[str, ...]) -> str:
    """The first of the ``preferred`` language tags (best first: ``?lang=``, the ranges of an
    Accept-Language header from ``parse_accept``…) that is ``supported``, a region counting as its
    language (``es-GT`` → ``es``); else ``supported[0]``."""
    for tag in preferred:
        base = (tag or "").split("-")[0].strip().lower()
        if base in supported:
            return base
    return supported[0]


#: media types a browser asks for first when it wants a page
HTML_MEDIA = ("text/html", "application/xhtml+xml")


def wants_html(accept: str | None, format_name: str | None = None) -> bool:
    """Whether a request wants a web page: ``?format=html``, or an Accept header whose best
    range is HTML (browsers). API clients (``*/*``, JSON, RDF, no header) and any other explicit
    ``format`` get data."""
    if format_name:
        return format_name.lower() == "html"
    ranges = parse_accept(accept)
    return bool(ranges) and ranges[0] in HTML_MEDIA
