"""One catalogue of the errors the service answers with, and the one HTTP status mapping.

Every error carries a stable ``code`` (clients may switch on it), a message ``key`` and its
parameters; the message itself comes from the catalogue ``api/data/errors/<lang>.json`` (one
template per code and key, in each language of ``LANGS``). ``str(error)`` is the English message
(the CLI, logs); ``error.message(lang)`` is the message in ``lang``. The HTTP layer turns an
error into ``{"error", "code", "status"}`` (JSON) or a text line in the client's language, never a
traceback.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ogp_graph.errors import DocumentError, InputError, OgpKgError, StoreError

#: languages of the catalogue; the first is the default
LANGS = ("en", "es")
_CATALOGUE = Path(__file__).parent / "data" / "errors"


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    """The message templates of ``lang``: code → key → template."""
    return json.loads((_CATALOGUE / f"{lang}.json").read_text(encoding="utf-8"))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:500]


class RequestError(OgpKgError):
    """An error the service answers with: ``RequestError(key, **params)``, the message being the
    catalogue's template for (``code``, ``key``) filled with ``params`` (one line, bounded).

    :raises KeyError: no such key for this code in the default language (a programming error).
    """

    code = "bad-request"

    def __init__(self, key: str, /, **params):
        catalogue(LANGS[0])[self.code][key]  # noqa: B018 - a key missing from the catalogue fails here, at once
        self.key, self.params = key, {k: _one_line(v)[:200] if isinstance(v, str) else v for k, v in params.items()}
        super().__init__(self.message(LANGS[0]))

    def message(self, lang: str) -> str:
        """The message in ``lang`` (the default language when ``lang`` has none)."""
        templates = catalogue(lang if lang in LANGS else LANGS[0]).get(self.code, {})
        template = templates.get(self.key) or catalogue(LANGS[0])[self.code][self.key]
        return _one_line(template.format(**self.params))

    def __reduce__(self):  # pickled across worker processes with its key and parameters
        return _rebuild, (type(self), self.key, self.params)


def _rebuild(cls: type[RequestError], key: str, params: dict) -> RequestError:
    return cls(key, **params)


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


class Unavailable(RequestError):
    """The service cannot answer (a bug, reported without a traceback, or a missing store)."""

    code = "unavailable"


class QuestionError(OgpKgError):
    """A question that cannot be asked (not a string, empty, too long, no words); its message is in
    the question's language (``api/ask/data/messages.json``)."""

    code = "bad-question"


#: error class → HTTP status: the only place statuses are decided (subclasses inherit); errors of
#: the graph and index stages carry no status of their own
STATUS = {
    MalformedQuery: 400, QueryTooComplex: 400, Forbidden: 403, NotFound: 404,
    NotAcceptable: 406, TooLarge: 413, UriTooLong: 414, UnsupportedMedia: 415, HeadersTooLarge: 431,
    QueryTimeout: 503, Busy: 503, Unavailable: 503, RequestError: 400,
    QuestionError: 422, InputError: 400, DocumentError: 422, StoreError: 503,
}


def status_of(exc: BaseException) -> int:
    """The HTTP status of an error, from ``STATUS`` by its class; 503 for any other ogp-kg error."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 503


def code_of(exc: BaseException) -> str:
    """The error code of an error: its ``code`` attribute, else "unavailable" for other ogp-kg errors,
    else "invalid"."""
    return getattr(exc, "code", "unavailable" if isinstance(exc, OgpKgError) else "invalid")


def message_of(exc: BaseException, lang: str) -> str:
    """The one-line message of an error in ``lang``: from the catalogue for ``RequestError``; other
    errors (other packages' ``OgpKgError``) keep their own message."""
    if isinstance(exc, RequestError):
        return exc.message(lang)
    return _one_line(str(exc)) or type(exc).__name__
