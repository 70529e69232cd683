"""The HTTP app: a thin FastAPI layer over ``api.core.Service``.

``create_app(service, settings)`` mounts the SPARQL 1.1 Protocol endpoint, the JSON API
(/search, /ask, /commitments), linked-data pages for entity IRIs, the web page and /health.
"""
from __future__ import annotations

import asyncio
import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field

from api.conneg import negotiate, parse_accept
from api.explorer import router as explorer_router
from api.core import Forbidden, QueryTimeout, RequestError, Service
from ogp_graph.errors import OgpKgError
from ogp_graph.vocab import ID_NS

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~:/@!$&'()*+,;=%-]{1,300}$")


@dataclass(frozen=True)
class Settings:
    """Operator settings of the server."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    write_token: str | None = None
    base_url: str = ""


class SearchRequest(BaseModel):
    q: str = Field(..., description="Texto a buscar (español o inglés)")
    k: int = Field(5, description="Número de compromisos")
    mode: str = Field("hybrid", description="hybrid | dense | bm25")


class AskRequest(BaseModel):
    q: str = Field(..., description="Pregunta en español")


def _error(status: int, message: str, request: Request) -> Response:
    """An error in the negotiated format: JSON for the JSON API and JSON clients, plain text for
    other SPARQL clients."""
    accept = request.headers.get("accept")
    if not request.url.path.startswith("/sparql") or any("json" in m for m in parse_accept(accept)):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return PlainTextResponse(f"{message}\n", status_code=status)


async def _offload(settings: Settings, func, *args, **kwargs):
    """Run blocking work in a thread with the per-request timeout."""
    try:
        return await asyncio.wait_for(anyio.to_thread.run_sync(lambda: func(*args, **kwargs)), settings.timeout)
    except TimeoutError:
        raise QueryTimeout(f"the request took longer than {settings.timeout:g} s and was stopped") from None


class _LimitRequestSize:
    """Pure ASGI middleware: 413 for a body or query string over ``limit`` bytes (cheaper than
    FastAPI's ``@app.middleware``, which wraps every request in extra tasks)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"")
            if (length.isdigit() and int(length) > self.limit) or len(scope.get("query_string", b"")) > self.limit:
                response = _error(413, f"request larger than {self.limit} bytes", Request(scope))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(service: Service, settings: Settings | None = None) -> FastAPI:
    """The ASGI app over ``service``."""
    settings = settings or Settings()
    app = FastAPI(
        title="ogp-kg",
        description="Grafo de conocimiento y búsqueda semántica sobre planes de acción de Gobierno Abierto (OGP).",
        version="0.1.0",
    )

    app.add_middleware(_LimitRequestSize, limit=settings.max_request_bytes)
    app.state.service = service
    app.include_router(explorer_router)  # HTML pages first: they match only requests that want HTML

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError):
        return _error(exc.status, str(exc), request)

    @app.exception_handler(OgpKgError)
    async def service_error(request: Request, exc: OgpKgError):
        return _error(getattr(exc, "status", 503), str(exc), request)

    @app.exception_handler(SyntaxError)
    async def syntax_error(request: Request, exc: SyntaxError):
        return _error(400, f"malformed query: {exc}", request)

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError):
        return _error(400, str(exc), request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # pragma: no cover - a bug, reported without traceback
        return _error(500, f"internal error ({type(exc).__name__})", request)

    # -- SPARQL 1.1 Protocol -----------------------------------------------------------------------
    async def _sparql(request: Request, params: dict[str, list[str]], body_query: str | None,
                      body_update: str | None) -> Response:
        accept = request.headers.get("accept")
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        updates = params.get("update", []) + ([body_update] if body_update is not None else [])
        if queries and updates or len(queries) > 1 or len(updates) > 1:
            raise RequestError("send exactly one query or one update per request")
        if updates:
            return await _update(request, updates[0], params)
        if not queries:
            return Response(service.description(str(request.url).split("?")[0]), media_type="text/turtle")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        if fmt and "/" in fmt:  # a media type passed as format (some clients do)
            accept, fmt = fmt, None
        result = await _offload(settings, service.sparql, queries[0], format=fmt, accept=accept,
                                max_rows=settings.max_rows, default_graphs=params.get("default-graph-uri"),
                                named_graphs=params.get("named-graph-uri"), base_iri=str(request.url).split("?")[0])
        return Response(result.body, media_type=result.media_type)

    async def _update(request: Request, update: str, params: dict[str, list[str]]) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not settings.write_token or token != settings.write_token:
            raise Forbidden("this endpoint is read-only: SPARQL Update needs the operator's write token")
        await _offload(settings, service.update, update)
        return Response(status_code=204)

    @app.get("/sparql", summary="SPARQL 1.1 query (GET ?query=); service description without a query")
    async def sparql_get(request: Request):
        try:
            params = parse_qs(request.url.query, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise RequestError("the query string is not valid UTF-8") from None
        return await _sparql(request, params, None, None)

    @app.post("/sparql", summary="SPARQL 1.1 query or update (form-encoded or direct POST)")
    async def sparql_post(request: Request):
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
            params = parse_qs(request.url.query, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise RequestError("the request is not valid UTF-8") from None
        if media == FORM:
            for key, values in parse_qs(text, keep_blank_values=True, errors="strict").items():
                params.setdefault(key, []).extend(values)
            return await _sparql(request, params, None, None)
        if media == SPARQL_QUERY:
            return await _sparql(request, params, text, None)
        if media == SPARQL_UPDATE:
            return await _sparql(request, params, None, text)
        return _error(415, f"unsupported content type {media or '(none)'!r}: use {FORM}, {SPARQL_QUERY} "
                           f"or {SPARQL_UPDATE}", request)

    # -- JSON API ------------------------------------------------------------------------------------
    @app.get("/search", summary="Búsqueda semántica de compromisos")
    async def search_get(q: str, k: int = 5, mode: str = "hybrid"):
        return {"query": q, "results": await _offload(settings, service.search, q, k=k, mode=mode)}

    @app.post("/search", summary="Búsqueda semántica de compromisos (JSON)")
    async def search_post(body: SearchRequest):
        return await search_get(body.q, body.k, body.mode)

    @app.get("/ask", summary="Responder una pregunta en español")
    async def ask_get(q: str):
        return (await _offload(settings, service.ask, q)).to_dict()

    @app.post("/ask", summary="Responder una pregunta en español (JSON)")
    async def ask_post(body: AskRequest):
        return await ask_get(body.q)

    @app.get("/commitments", summary="Todos los compromisos")
    async def commitments():
        return await _offload(settings, service.commitments)

    @app.get("/commitments/{number}", summary="Un compromiso: instituciones, leyes, lugares, métricas")
    async def commitment(number: int, plan: str | None = None):
        return await _offload(settings, service.commitment, number, plan=plan)

    # -- linked data -----------------------------------------------------------------------------------
    @app.get("/id/{path:path}", summary="Entity IRIs dereference as linked data (HTML, Turtle, JSON-LD)")
    async def entity(request: Request, path: str):
        if not _SAFE_PATH.match(path) or ".." in path.split("/"):
            raise RequestError("not an entity path")
        iri = ID_NS + path
        accept = request.headers.get("accept")
        chosen = negotiate(accept, "graph")
        if chosen is None:
            raise RequestError(f"cannot describe an entity as {accept!r}")
        body = await _offload(settings, service.describe, iri, chosen[1])
        if not body.strip():
            return _error(404, f"no entity {iri}", request)
        return Response(body, media_type=chosen[0])

    @app.get("/data/", summary="Open-data dumps of the graph and their VoID + DCAT description")
    async def dumps(request: Request):
        names = service.dumps()
        if "text/html" in (request.headers.get("accept") or ""):
            items = "".join(f'<li><a href="/data/{n}">{html.escape(n)}</a></li>' for n in [*names, "void.ttl"])
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>ogp-kg · datos</title><h1>Descargas</h1><ul>{items}</ul>")
        return {"dumps": [f"{settings.base_url}/data/{n}" for n in names], "void": f"{settings.base_url}/data/void.ttl"}

    @app.get("/data/{name}", summary="One dump, or void.ttl")
    async def dump(request: Request, name: str):
        if name == "void.ttl":
            base = settings.base_url or str(request.base_url).rstrip("/")
            return Response(await _offload(settings, service.void, base), media_type="text/turtle")
        path = service.dump_path(name)
        media = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
        return Response(path.read_bytes(), media_type=media.get(path.suffix.lstrip("."), "application/octet-stream"))

    @app.get("/ontology", summary="The ogp-kg ontology (Turtle)")
    async def ontology():
        from ontology import ONTOLOGY_TTL

        return Response(ONTOLOGY_TTL.read_bytes(), media_type="text/turtle")

    @app.get("/health", summary="Liveness and what is loaded")
    async def health():
        return {"status": "ok", **service.status()}

    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory`` (used by ``ogp-kg serve``): settings from OGP_KG_* variables."""
    import os

    settings = Settings(
        timeout=float(os.environ.get("OGP_KG_TIMEOUT", Settings.timeout)),
        max_rows=int(os.environ.get("OGP_KG_MAX_ROWS", Settings.max_rows)),
        max_request_bytes=int(os.environ.get("OGP_KG_MAX_REQUEST_BYTES", Settings.max_request_bytes)),
        write_token=os.environ.get("OGP_KG_WRITE_TOKEN") or None,
        base_url=os.environ.get("OGP_KG_BASE_URL", "").rstrip("/"),
    )
    return create_app(Service(writable=bool(settings.write_token)), settings)
