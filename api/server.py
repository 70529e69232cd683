"""How ``ogp-kg serve`` runs uvicorn: ``UVICORN_OPTIONS``, with uvicorn's httptools protocol under
request-line and header limits enforced while the request is parsed (a 1 GB header never reaches
memory), answered 414/431 with one line instead of a reset or a generic 400 (in the default
language: the request's headers are not known yet)."""
from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.errors import HeadersTooLarge, UriTooLong
from api.settings import Settings

_REASONS = {414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


class GuardedHttpTools(HttpToolsProtocol):
    """``HttpToolsProtocol`` with ``Settings.max_url_bytes``, ``max_header_bytes`` and ``max_headers``."""

    limits = Settings()

    def on_message_begin(self) -> None:
        """A new request: no header bytes counted, no refusal yet."""
        super().on_message_begin()
        self._header_bytes, self._refusal = 0, None

    def on_url(self, url: bytes) -> None:
        """Refuse (414) a URL past ``max_url_bytes``, counted as it arrives."""
        if len(self.url) + len(url) > self.limits.max_url_bytes:
            self._refuse(414, str(UriTooLong("url", limit=self.limits.max_url_bytes)))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Refuse (431) headers past ``max_headers`` fields or ``max_header_bytes``, counted as they arrive."""
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > self.limits.max_header_bytes or len(self.headers) >= self.limits.max_headers:
            self._refuse(431, str(HeadersTooLarge("headers", fields=self.limits.max_headers,
                                                  limit=self.limits.max_header_bytes)))
        super().on_header(name, value)

    def _refuse(self, status: int, message: str):
        self._refusal = (status, message)
        raise ValueError(message)  # httptools stops parsing; uvicorn then calls send_400_response

    def send_400_response(self, msg: str) -> None:
        """Answer a refusal with its status and one line; any other parse error as uvicorn does."""
        refusal = getattr(self, "_refusal", None)
        if refusal is None:
            return super().send_400_response(msg)
        status, message = refusal
        body = (message + "\n").encode()
        self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                             b"x-content-type-options: nosniff\r\nconnection: close\r\n\r\n%s"
                             % (status, _REASONS[status], len(body), body))
        self.transport.close()


#: uvicorn's options for ``ogp-kg serve`` (and the bare baseline of ``benchmarks/service_load.py``):
#: uvloop; no access log (uvicorn formats every line before the level check drops it); no proxy
#: headers (nothing is taken from ``X-Forwarded-*``: links come from ``Settings.base_url``); no
#: ``server`` header
UVICORN_OPTIONS = {"http": GuardedHttpTools, "loop": "uvloop", "log_level": "warning", "access_log": False,
                   "proxy_headers": False, "server_header": False}
