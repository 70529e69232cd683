"""Open data: the dumps and their VoID + DCAT description, the ontology, entity IRIs as linked data."""
from __future__ import annotations

import html
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.conneg import negotiate
from api.errors import NotAcceptable, NotFound, RequestError
from api.http import offload
from ogp_graph.rdf import entity_iri

router = APIRouter(tags=["data"])
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~:/@!$&'()*+,;=%-]{1,300}$")
_DUMP_MEDIA = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}


@router.get("/id/{path:path}", summary="Entity IRIs dereference as linked data (HTML, Turtle, JSON-LD)")
async def entity(request: Request, path: str) -> Response:
    """The description of the entity at ``/id/{path}`` in the negotiated RDF format.

    :raises RequestError: not an entity path.
    :raises NotAcceptable: no RDF format the client accepts.
    :raises NotFound: the graph says nothing about it.
    """
    if not _SAFE_PATH.match(path) or ".." in path.split("/"):
        raise RequestError("not-entity-path")
    iri = entity_iri(path).value
    accept = request.headers.get("accept")
    with request.app.state.live.use() as service:
        chosen = negotiate(accept, "graph")
        if chosen is None:
            raise NotAcceptable("entity", wanted=repr((accept or "")[:100]))
        body = await offload(request, service.describe, iri, chosen[1])
    if not body.strip():
        raise NotFound("entity", iri=iri)
    return Response(body, media_type=chosen[0])


@router.get("/data/", summary="Open-data dumps of the graph and their VoID + DCAT description", response_model=None)
async def dumps(request: Request) -> HTMLResponse | dict:
    """The dump URLs and the VoID description (a link list for browsers)."""
    base = request.app.state.settings.base
    with request.app.state.live.use() as service:
        names = service.dumps()
    if "text/html" in (request.headers.get("accept") or ""):
        items = "".join(f'<li><a href="/data/{html.escape(n)}">{html.escape(n)}</a></li>' for n in [*names, "void.ttl"])
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>ogp-kg · datos</title><h1>Descargas</h1><ul>{items}</ul>")
    return {"dumps": [f"{base}/data/{n}" for n in names], "void": f"{base}/data/void.ttl"}


@router.get("/data/{name}", summary="One dump, or void.ttl")
async def dump(request: Request, name: str) -> Response:
    """Dump ``name`` of the published build, or ``void.ttl``."""
    with request.app.state.live.use() as service:
        if name == "void.ttl":
            return Response(await offload(request, service.void, request.app.state.settings.base),
                            media_type="text/turtle")
        path = service.dump_path(name)
        body = path.read_bytes()
    return Response(body, media_type=_DUMP_MEDIA.get(path.suffix.lstrip("."), "application/octet-stream"))


@router.get("/ontology", summary="The ogp-kg ontology (Turtle)")
async def ontology() -> Response:
    """The ontology as Turtle."""
    from ontology import ONTOLOGY_TTL

    return Response(ONTOLOGY_TTL.read_bytes(), media_type="text/turtle")
