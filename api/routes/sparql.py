"""SPARQL 1.1 Protocol: GET ``?query=``, POST form, POST ``application/sparql-query`` or
``application/sparql-update``; the service description on GET without a query.

A query measured cheap runs in this process (``Runner.fast``); any other goes to a worker process
that is killed at the deadline (``Runner.pooled``). The lean path: a query request (GET, or a POST
body up to ``MAX_LEAN_BODY``) answered on the fast lane is remembered by its bytes (``request_key``:
method, content type, query string, Accept, body), and the same request on the same build is
answered by ``lean`` in front of FastAPI (``Runner.again``).
"""
from __future__ import annotations

import secrets
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import State
from starlette.types import Scope, Send

from api.errors import Forbidden, RequestError, UnsupportedMedia
from api.settings import Settings

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"

router = APIRouter(tags=["sparql"])
_bearer = HTTPBearer(auto_error=False)


def _params(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise RequestError("not-utf8") from None


async def _answer(request: Request, params: dict[str, list[str]], query: str | None, update: str | None,
                  credentials: HTTPAuthorizationCredentials | None = None, *, remember: bytes | None = None
                  ) -> Response:
    state = request.app.state
    settings = state.settings
    queries = params.get("query", []) + ([query] if query is not None else [])
    updates = params.get("update", []) + ([update] if update is not None else [])
    if queries and updates or len(queries) > 1 or len(updates) > 1:
        raise RequestError("one-operation")
    with state.live.use() as service:
        if updates:
            _authorise(settings, credentials)
            await anyio.to_thread.run_sync(service.update, updates[0])
            return Response(status_code=204)
        if not queries:
            return Response(service.description(f"{settings.base}/sparql"), media_type="text/turtle")
        options = _options(settings, params, request.headers.get("accept"))
        generation = service.generation
        result = state.runner.fast(service, queries[0], options, generation)
        if result is not None and remember is not None:
            state.runner.remember(remember, service, queries[0], options, result)
        if result is None:
            result = await anyio.to_thread.run_sync(state.runner.pooled, service, queries[0], options, generation)
    headers = {"X-Result-Truncated": result.truncated} if result.truncated else None
    return Response(result.body, media_type=result.media_type, headers=headers)


def _options(settings, params: dict[str, list[str]], accept: str | None) -> dict:
    """The ``Service.sparql`` options of a protocol request."""
    fmt = (params.get("format") or params.get("output") or [None])[0]
    if fmt and "/" in fmt:  # a media type passed as format (some clients do)
        accept, fmt = fmt, None
    return {"format": fmt, "accept": accept, "max_rows": settings.max_rows, "max_triples": settings.max_triples,
            "allow_service": settings.allow_service, "default_graphs": params.get("default-graph-uri"),
            "named_graphs": params.get("named-graph-uri"), "base_iri": f"{settings.base}/sparql"}


#: the largest body a remembered POST may have
MAX_LEAN_BODY = 8192
_LEAN_MEDIA = (FORM.encode(), SPARQL_QUERY.encode())


def lean_body(scope: Scope, settings: Settings) -> int | None:
    """How many body bytes decide a ``/sparql`` request the lean path may answer (0 for a GET), or
    None for a request it never answers: another method, a chunked or large body, another content
    type, a query string or headers past the limits (the guard refuses those)."""
    method, size, media, length, chunked = scope["method"], 0, b"", None, False
    if method not in ("GET", "POST") or len(scope["query_string"]) > settings.max_url_bytes - 7:
        return None
    for name, value in scope["headers"]:
        size += len(name) + len(value)
        if name == b"content-length":
            length = value
        elif name == b"content-type":
            media = value.split(b";")[0].strip().lower()
        elif name == b"transfer-encoding":
            chunked = True
    if chunked or size > settings.max_header_bytes or len(scope["headers"]) > settings.max_headers:
        return None
    if method == "GET":
        return 0 if length is None else None
    if media in _LEAN_MEDIA and length is not None and length.isdigit() and int(length) <= MAX_LEAN_BODY:
        return int(length)
    return None


def request_key(scope: Scope, body: bytes = b"") -> bytes:
    """The bytes that decide the answer to a ``/sparql`` query request: method, content type,
    query string, Accept, body."""
    headers = dict(scope["headers"])
    return b"\n".join((scope["method"].encode(), headers.get(b"content-type", b""), scope["query_string"],
                       headers.get(b"accept", b""), body))


async def lean(state: State, scope: Scope, body: bytes, send: Send, headers: list[tuple[bytes, bytes]]) -> bool:
    """Answer a remembered ``/sparql`` request (see ``lean_body`` and ``request_key``; ``body`` read
    already) again on the same build, with ``headers`` added; False when the full route must answer."""
    key = request_key(scope, body)
    try:
        with state.live.use() as service:
            result = state.runner.again(key, service)
    except Exception:  # the full route answers it, with the error in the negotiated form
        return False
    if result is None:
        return False
    start = [(b"content-type", result.media_type.encode()), (b"content-length", str(len(result.body)).encode()),
             *headers]
    if result.truncated:
        start.append((b"x-result-truncated", result.truncated.encode()))
    await send({"type": "http.response.start", "status": 200, "headers": start})
    await send({"type": "http.response.body", "body": result.body})
    return True


def _remember(request: Request, body: bytes) -> bytes | None:
    """The key a fast-lane answer to this request is remembered under, if the lean path may answer it."""
    size = lean_body(request.scope, request.app.state.settings)
    return request_key(request.scope, body) if size == len(body) else None


def _authorise(settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Updates need ``Authorization: Bearer <token>``, compared in constant time."""
    token = settings.write_token.get_secret_value().encode() if settings.write_token else None
    if token is None or credentials is None or not secrets.compare_digest(credentials.credentials.encode(), token):
        raise Forbidden("token")


@router.get("/sparql", summary="SPARQL 1.1 query (GET ?query=); service description without a query")
async def sparql_get(request: Request) -> Response:
    """A SPARQL query by GET ``?query=``, or the service description without one."""
    return await _answer(request, _params(request.url.query), None, None, remember=_remember(request, b""))


@router.post("/sparql", summary="SPARQL 1.1 query or update (form-encoded or direct POST)")
async def sparql_post(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
                      ) -> Response:
    """A SPARQL query or update by POST (form-encoded, ``application/sparql-query`` or ``application/sparql-update``).

    :raises UnsupportedMedia: any other content type.
    :raises RequestError: a body that is not UTF-8.
    """
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError("not-utf8") from None
    params = _params(request.url.query)
    if media == FORM:
        for key, values in _params(text).items():
            params.setdefault(key, []).extend(values)
        return await _answer(request, params, None, None, credentials, remember=_remember(request, raw))
    if media == SPARQL_QUERY:
        return await _answer(request, params, text, None, credentials, remember=_remember(request, raw))
    if media == SPARQL_UPDATE:
        return await _answer(request, params, None, text, credentials)
    raise UnsupportedMedia("content-type", media=repr(media[:80] or "(none)"),
                           allowed=f"{FORM}, {SPARQL_QUERY}, {SPARQL_UPDATE}")

