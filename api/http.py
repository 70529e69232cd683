"""The HTTP app: routers per area over ``api.core``, one error model, one guard middleware.

``create_app(service_or_live, settings)`` mounts ``routes.sparql`` (SPARQL 1.1 Protocol),
``routes.api`` (search, ask, commitments, health), ``routes.data`` (dumps, ontology, entity IRIs)
and ``api.explorer`` (the HTML pages). ``_Guard`` answers what must not reach a route: an oversized URL (414)
or header block (431), a body past the limit counted on the bytes actually received, chunked
included (413), OPTIONS (204 with CORS); and adds the security headers to every answer.
"""
from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from api.conneg import language, parse_accept
from api.core import Live, Service
from api.errors import (LANGS, HeadersTooLarge, MalformedQuery, QueryTimeout, RequestError, TooLarge, Unavailable,
                        UriTooLong, code_of, message_of, status_of)
from api.executor import PoolSettings, QueryPool, Runner
from api.routes.sparql import lean, lean_body
from api.settings import Settings
from ogp_graph.errors import OgpKgError, StoreError

__all__ = ["Settings", "create_app", "app_from_env"]
_T = TypeVar("_T")


def error_response(exc: BaseException, request_or_scope: Request | Scope) -> Response:
    """An error in the negotiated format — JSON for the JSON API and JSON clients, a text line for
    other SPARQL clients — with its message in the client's language (``Accept-Language``, see
    ``errors.LANGS``) and ``Content-Language``; ``Retry-After`` on 503s."""
    scope = request_or_scope.scope if isinstance(request_or_scope, Request) else request_or_scope
    headers = {k: v.decode("latin-1") for k, v in scope.get("headers", ()) if k in (b"accept", b"accept-language")}
    lang = language(parse_accept(headers.get(b"accept-language")), LANGS)
    status, message = status_of(exc), message_of(exc, lang)
    extra = {"Content-Language": lang}
    if status == 503:
        extra["Retry-After"] = str(getattr(exc, "retry_after", 2))
    if not scope.get("path", "").startswith("/sparql") or any("json" in m for m in parse_accept(headers.get(b"accept"))[:3]):
        return JSONResponse({"error": message, "code": code_of(exc), "status": status}, status_code=status,
                            headers=extra)
    return PlainTextResponse(f"{message}\n", status_code=status, headers=extra)


async def offload(request: Request, func: Callable[..., _T], *args, **kwargs) -> _T:
    """Blocking in-process work (search, ask, our own template queries) in a thread, with the deadline."""
    timeout = request.app.state.settings.timeout
    try:
        return await asyncio.wait_for(anyio.to_thread.run_sync(lambda: func(*args, **kwargs)), timeout)
    except TimeoutError:
        raise QueryTimeout("request", seconds=f"{timeout:g}") from None


# -- the guard ---------------------------------------------------------------------------------------------
_SECURITY = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
             (b"referrer-policy", b"no-referrer")]
_NOT_HTML_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
_DOCS_CSP = (b"content-security-policy", b"default-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; "
                                          b"img-src 'self' data: https:; frame-ancestors 'none'")
_CORS = [(b"access-control-allow-origin", b"*"),
         (b"access-control-expose-headers", b"X-Result-Truncated, Retry-After")]
_PREFLIGHT = [(b"access-control-allow-methods", b"GET, HEAD, POST, OPTIONS"),
              (b"access-control-allow-headers", b"Accept, Content-Type, Authorization"),
              (b"access-control-max-age", b"86400"), (b"allow", b"GET, HEAD, POST, OPTIONS")]


class _Guard:
    """Pure ASGI middleware (cheaper than ``@app.middleware``): limits, OPTIONS, security headers."""

    def __init__(self, app, settings: Settings, html_csp: bytes):
        self.app, self.settings = app, settings
        self.html_csp = (b"content-security-policy", html_csp)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        s, path = self.settings, scope["path"]
        headers = scope["headers"]
        refusal = None
        if len(scope.get("raw_path") or path.encode()) + len(scope.get("query_string", b"")) > s.max_url_bytes:
            refusal = UriTooLong("url", limit=s.max_url_bytes)
        elif len(headers) > s.max_headers or sum(len(k) + len(v) for k, v in headers) > s.max_header_bytes:
            refusal = HeadersTooLarge("headers", fields=s.max_headers, limit=s.max_header_bytes)
        extra = list(_SECURITY)
        if path.startswith("/sparql"):
            extra += _CORS

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                out = list(message.get("headers", ()))
                media = next((v for k, v in out if k == b"content-type"), b"")
                csp = self.html_csp if media.startswith(b"text/html") else _NOT_HTML_CSP
                if path.startswith(("/docs", "/redoc")):
                    csp = _DOCS_CSP
                message = {**message, "headers": out + extra + [csp]}
            await send(message)

        if refusal is not None:
            return await error_response(refusal, scope)(scope, _empty, send_with_headers)
        if scope["method"] == "OPTIONS":
            return await Response(status_code=204, headers={k.decode(): v.decode() for k, v in _PREFLIGHT})(
                scope, receive, send_with_headers)
        length = next((v for k, v in headers if k == b"content-length"), None)
        chunked = any(k == b"transfer-encoding" for k, _ in headers)
        if length is None and not chunked:
            return await self.app(scope, receive, send_with_headers)
        if length is not None and (not length.isdigit() or int(length) > s.max_request_bytes):
            return await error_response(TooLarge("body", limit=s.max_request_bytes), scope)(
                scope, _empty, send_with_headers)
        body, more = [], True
        size = 0
        while more:  # count what actually arrives: a chunked body has no Content-Length to trust
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > s.max_request_bytes:
                return await error_response(TooLarge("body", limit=s.max_request_bytes), scope)(
                    scope, _empty, send_with_headers)
            body.append(chunk)
            more = message.get("more_body", False)
        return await self.app(scope, _replay(b"".join(body), receive), send_with_headers)


def _replay(body: bytes, receive):
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _empty():
    """A receive for refusals: the rest of an oversized body is never read."""
    return {"type": "http.request", "body": b"", "more_body": False}


# -- the app -----------------------------------------------------------------------------------------------
def plain_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers the guard adds to a non-HTML answer on ``path`` (for answers written without it:
    the lean path, the protocol's 414/431)."""
    return [*_SECURITY, *(_CORS if path.startswith("/sparql") else ()), _NOT_HTML_CSP]


#: what the guard adds to a non-HTML answer of /sparql, precomputed for the lean path
LEAN_HEADERS = plain_headers("/sparql")


class App(FastAPI):
    """FastAPI with the lean path in front: a remembered ``/sparql`` query request
    (``routes.sparql.lean``) is answered before FastAPI's machinery runs, with the headers the guard
    would add; anything else goes through the guard and the routers (a body read here is replayed)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        size = lean_body(scope, self.state.settings) if scope["type"] == "http" and scope["path"] == "/sparql" else None
        if size is not None:
            parts, more = [], size > 0
            while more:  # at most MAX_LEAN_BODY bytes, as the Content-Length says
                message = await receive()
                parts.append(message.get("body", b""))
                more = message.get("more_body", False) and message["type"] == "http.request"
            body = b"".join(parts)
            if len(body) == size and await lean(self.state, scope, body, send, LEAN_HEADERS):
                return
            if size:
                receive = _replay(body, receive)
        await super().__call__(scope, receive, send)


def create_app(service: Service | Live, settings: Settings | None = None) -> FastAPI:
    """The ASGI app over ``service`` (a ``Live`` follows new builds; a ``Service`` is wrapped in one)."""
    from api import explorer
    from api.routes import api as api_routes
    from api.routes import data, sparql

    settings = settings or Settings()
    live = service if isinstance(service, Live) else Live(writable=service.writable, service=service)
    pool = QueryPool(PoolSettings(size=settings.query_workers, queue_wait=settings.queue_wait,
                                  max_waiting=settings.max_waiting, max_rss_mb=settings.worker_max_rss_mb,
                                  fast_ms=settings.fast_ms))

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        with contextlib.suppress(StoreError):  # nothing built yet: the first request says so
            await anyio.to_thread.run_sync(lambda: live.current().warm())
        gc.freeze()  # start-up objects (models, parsers) leave the collector: full collections cost ~40 % of a cheap query
        yield
        pool.close()  # workers are daemonic too: they also end with the process

    app = App(
        lifespan=lifespan,
        title="ogp-kg",
        description="Grafo de conocimiento y búsqueda semántica sobre planes de acción de Gobierno Abierto (OGP).",
        version="0.1.0",
    )
    app.state.live, app.state.settings, app.state.pool = live, settings, pool
    app.state.runner = Runner(pool, timeout=settings.timeout, max_bytes=settings.max_query_bytes,
                              max_depth=settings.max_depth, max_kept_answer=settings.max_kept_answer)
    app.add_middleware(_Guard, settings=settings, html_csp=explorer.CONTENT_SECURITY_POLICY)

    @app.exception_handler(OgpKgError)
    async def known_error(request: Request, exc: OgpKgError):
        return error_response(exc, request)

    @app.exception_handler(SyntaxError)
    async def syntax_error(request: Request, exc: SyntaxError):
        return error_response(MalformedQuery("syntax", detail=str(exc)), request)

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError):
        return error_response(RequestError("invalid", detail=str(exc)), request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # a bug, reported without a traceback
        return error_response(Unavailable("internal", name=type(exc).__name__), request)

    # the explorer first: its pages on shared paths match only requests that want HTML
    for router in (explorer.router, sparql.router, api_routes.router, data.router):
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory`` (used by ``ogp-kg serve``): settings from OGP_KG_* variables."""
    settings = Settings()
    app = create_app(Live(writable=settings.write_token is not None), settings)
    app.state.pool.start()
    return app
