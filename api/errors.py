"""One catalogue of the errors the service answers with, and the one HTTP status mapping.

Every error carries a stable ``code`` (clients may switch on it) and a one-line message; the HTTP
layer turns it into ``{"error", "code", "status"}`` (JSON) or a text line, never a traceback.
"""
from __future__ import annotations

from ogp_graph.errors import OgpKgError


class RequestError(OgpKgError):
    """A request the service refuses."""

    code = "bad-request"

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split())[:500])  # one line, bounded


class MalformedQuery(RequestError):
    code = "malformed-query"


class QueryTooComplex(RequestError):
    code = "query-too-complex"


class Forbidden(RequestError):
    code = "forbidden"


class NotFound(RequestError):
    code = "not-found"


class NotAcceptable(RequestError):
    code = "not-acceptable"


class UnsupportedMedia(RequestError):
    code = "unsupported-media-type"


class TooLarge(RequestError):
    code = "request-too-large"


class UriTooLong(RequestError):
    code = "uri-too-long"


class HeadersTooLarge(RequestError):
    code = "headers-too-large"


class QueryTimeout(RequestError):
    code = "timeout"


class Busy(RequestError):
    """Every query slot is taken; ``retry_after`` seconds is a fair wait."""

    code = "busy"
    retry_after = 1


#: error class → HTTP status (the only place statuses are decided; subclasses inherit)
STATUS = {
    MalformedQuery: 400, QueryTooComplex: 400, Forbidden: 403, NotFound: 404,
    NotAcceptable: 406, TooLarge: 413, UriTooLong: 414, UnsupportedMedia: 415, HeadersTooLarge: 431,
    QueryTimeout: 503, Busy: 503, RequestError: 400,
}


def status_of(exc: BaseException) -> int:
    """The HTTP status of an error: by catalogue class, else a ``status`` attribute (errors of other
    packages, e.g. ``QuestionError`` → 422), else 503 for other ogp-kg errors (store missing…)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return getattr(exc, "status", 503)


def code_of(exc: BaseException) -> str:
    """The error code of an error: its ``code`` attribute, else "unavailable" for other ogp-kg errors,
    else "invalid"."""
    return getattr(exc, "code", "unavailable" if isinstance(exc, OgpKgError) else "invalid")
