"""How ``ogp-kg serve`` runs uvicorn: ``UVICORN_OPTIONS``, with uvicorn's httptools protocol under
request-line and header limits enforced while the request is parsed, answered 414/431 with the
error model of every other error (``api.http.error_response``: JSON or a text line, in the language
of ``Accept-Language``) instead of a reset or a generic 400.

A URL or header block past its limit is not stored: its excess is dropped and the request is
refused when its headers are complete, so the refusal knows the client's ``Accept`` and
``Accept-Language``. A head that passes ``HARD_CAP`` times both limits together is refused at once,
in the default language (its headers never ended); httptools buffers at most that much of one
header line, so memory stays bounded whatever is sent.

Each answer's status line and headers are written with the first part of its body
(``HeadWithBody``): uvicorn writes them apart, two ``send`` calls and two TCP segments for every
small answer.
"""
from __future__ import annotations

from http import HTTPStatus

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.errors import HeadersTooLarge, RequestError, UriTooLong
from api.settings import Settings

#: a request head past this many times ``max_url_bytes + max_header_bytes`` is refused at once
HARD_CAP = 2
_NEGOTIATION = (b"accept", b"accept-language")
_KEPT = 1024  # bytes kept of each Accept / Accept-Language header seen past the limits


class GuardedHttpTools(HttpToolsProtocol):
    """``HttpToolsProtocol`` with ``Settings.max_url_bytes``, ``max_header_bytes`` and ``max_headers``."""

    limits = Settings()

    def on_message_begin(self) -> None:
        """A new request: nothing counted, no refusal yet."""
        super().on_message_begin()
        self._in_head, self._head_bytes, self._url_bytes, self._header_bytes, self._fields = True, 0, 0, 0, 0
        self._refusal: RequestError | None = None
        self._negotiation: list[tuple[bytes, bytes]] = []

    def data_received(self, data: bytes) -> None:
        """Parse ``data``; refuse at once a head that is still not complete past the hard cap."""
        super().data_received(data)
        if getattr(self, "_in_head", False) and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > HARD_CAP * (self.limits.max_url_bytes + self.limits.max_header_bytes):
                self._refuse(self._refusal or HeadersTooLarge("headers", fields=self.limits.max_headers,
                                                              limit=self.limits.max_header_bytes))

    def on_url(self, url: bytes) -> None:
        """Keep the URL up to ``max_url_bytes``; past it, drop the rest and refuse (414) later."""
        self._url_bytes += len(url)
        if self._url_bytes > self.limits.max_url_bytes:
            self._refusal = self._refusal or UriTooLong("url", limit=self.limits.max_url_bytes)
        else:
            super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Keep headers up to ``max_headers`` fields and ``max_header_bytes``; past them, drop the
        rest (but note ``Accept`` and ``Accept-Language``, for the refusal) and refuse (431) later."""
        self._header_bytes += len(name) + len(value)
        self._fields += 1
        if self._header_bytes > self.limits.max_header_bytes or self._fields > self.limits.max_headers:
            self._refusal = self._refusal or HeadersTooLarge("headers", fields=self.limits.max_headers,
                                                             limit=self.limits.max_header_bytes)
        if self._refusal is None:
            super().on_header(name, value)
        elif name.lower() in _NEGOTIATION and len(self._negotiation) < len(_NEGOTIATION):
            self._negotiation.append((name.lower(), value[:_KEPT]))

    def on_headers_complete(self) -> None:
        """Answer a refusal now that the client's languages are known; otherwise go on as uvicorn
        does, the response written through ``HeadWithBody`` (not for HEAD or ``Expect: 100-continue``,
        where no body write follows the head)."""
        self._in_head = False
        if self._refusal is not None:
            self._negotiation += [(n, v[:_KEPT]) for n, v in self.headers if n in _NEGOTIATION]
            self._refuse(self._refusal)
            raise ValueError("refused")  # httptools stops parsing this connection
        super().on_headers_complete()
        if self.scope["method"] != "HEAD" and not self.expect_100_continue and self.cycle is not None:
            self.cycle.transport = HeadWithBody(self.transport)

    def _refuse(self, refusal: RequestError) -> None:
        """Write the refusal as ``api.http.error_response`` renders it, and close the connection."""
        from api.http import error_response, plain_headers

        path = self.url.split(b"?", 1)[0].decode("latin-1")
        response = error_response(refusal, {"path": path, "headers": self._negotiation})
        status = response.status_code
        head = [b"HTTP/1.1 %d %s\r\n" % (status, HTTPStatus(status).phrase.encode())]
        fields = [*response.raw_headers, *plain_headers(path), (b"connection", b"close")]
        head += [b"%s: %s\r\n" % pair for pair in fields]
        self.transport.write(b"".join(head) + b"\r\n" + response.body)
        self.transport.close()
        self._refusal, self._in_head = None, False

    def send_400_response(self, msg: str) -> None:
        """After a refusal, nothing more (it was answered); any other parse error as uvicorn does."""
        if not self.transport.is_closing():
            super().send_400_response(msg)


class HeadWithBody:
    """The transport one response is written to: its first write (uvicorn writes the status line and
    headers alone) is held until the next (the first part of the body), so that a small answer leaves
    in one segment with one ``send`` instead of two; ``close`` writes what is held first."""

    __slots__ = ("transport", "held", "fresh")

    def __init__(self, transport):
        self.transport, self.held, self.fresh = transport, b"", True

    def write(self, data: bytes) -> None:
        """Hold the first write (the head); send it with the next one."""
        if self.fresh:
            self.fresh, self.held = False, data
            return
        if self.held:
            data, self.held = self.held + data, b""
        self.transport.write(data)

    def is_closing(self) -> bool:
        """Whether the underlying transport is closing."""
        return self.transport.is_closing()

    def close(self) -> None:
        """Send what is held, then close the underlying transport."""
        if self.held:
            self.transport.write(self.held)
            self.held = b""
        self.transport.close()


#: uvicorn's options for ``ogp-kg serve`` (and the bare baseline of ``benchmarks/service_load.py``):
#: uvloop; no access log (uvicorn formats every line before the level check drops it); no proxy
#: headers (nothing is taken from ``X-Forwarded-*``: links come from ``Settings.base_url``); no
#: ``server`` header; a worker is taken for hung only when it has not answered the supervisor's ping
#: for 60 s (uvicorn's 5 s kill workers that are still importing the models on a loaded machine,
#: over and over)
UVICORN_OPTIONS = {"http": GuardedHttpTools, "loop": "uvloop", "log_level": "warning", "access_log": False,
                   "proxy_headers": False, "server_header": False, "timeout_worker_healthcheck": 60}
