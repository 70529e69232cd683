"""Operator settings of the server, from keyword arguments or ``OGP_KG_*`` environment variables."""
from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the operator can set; ``Settings()`` reads ``OGP_KG_TIMEOUT``, ``OGP_KG_BASE_URL``…"""

    model_config = SettingsConfigDict(env_prefix="OGP_KG_", extra="ignore", frozen=True)

    base_url: str = "http://127.0.0.1:8000"  # links, service description and void.ttl (never the Host header)
    timeout: float = 10.0                    # seconds a query may run before its worker is killed
    max_rows: int = 10_000                   # SELECT solutions per answer (X-Result-Truncated says when cut)
    max_triples: int = 50_000                # CONSTRUCT/DESCRIBE triples per answer
    max_request_bytes: int = 1_000_000       # body bytes actually received (chunked included) → 413
    max_url_bytes: int = 65_536              # path + query string → 414
    max_header_bytes: int = 32_768           # all request headers together → 431
    max_headers: int = 100                   # number of request headers → 431
    max_query_bytes: int = 256_000           # a query's text → 400
    max_depth: int = 16                      # bracket nesting of a query → 400
    query_workers: int = 2                   # worker processes running SPARQL
    queue_wait: float = 2.0                  # seconds a query waits for a worker before a 503
    max_waiting: int = 16                    # queries waiting for a worker at most; more get 503 at once
    worker_max_rss_mb: int = 1024            # a worker past this peak RSS is replaced after answering
    fast_ms: float = 25.0                    # queries measured under this run in the server process
    max_kept_answer: int = 32_768            # bytes of a deterministic query's answer kept for the same request (0: none)
    allow_service: tuple[str, ...] = ()      # SERVICE endpoints the operator allows (none by default)
    write_token: SecretStr | None = None     # enables SPARQL Update for `Authorization: Bearer <token>`

    @property
    def base(self) -> str:
        return self.base_url.rstrip("/")
