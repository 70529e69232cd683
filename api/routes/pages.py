"""The HTML pages (Spanish), kept thin: the home page, commitment and entity pages.

``content_security_policy()`` allows exactly the inline scripts and styles of these pages (by
their SHA-256), nothing from elsewhere, and no framing.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.conneg import parse_accept
from ogp_graph.vocab import ID_NS, OGP_NS

router = APIRouter(include_in_schema=False)
PAGES = ("index.html", "commitment.html", "entity.html")
_INLINE = re.compile(r"<(script|style)(\s[^>]*)?>(.*?)</\1>", re.DOTALL | re.IGNORECASE)


@lru_cache(maxsize=None)
def page(name: str) -> str:
    return (resources.files("api") / "static" / name).read_text(encoding="utf-8")


def content_security_policy() -> bytes:
    """The CSP of every HTML answer: the hashes of the pages' own inline scripts and styles."""
    hashes = {"script": set(), "style": set()}
    for name in PAGES:
        for kind, attrs, body in _INLINE.findall(page(name)):
            if kind.lower() == "script" and "application/" in (attrs or ""):
                continue  # data blocks (JSON, JSON-LD) are not executed
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            hashes[kind.lower()].add(f"'sha256-{digest}'")
    return (f"default-src 'self'; script-src 'self' {' '.join(sorted(hashes['script']))}; "
            f"style-src 'self' {' '.join(sorted(hashes['style']))}; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'").encode()


def wants_html(request: Request, *, default: bool = False) -> bool:
    """Whether the client's first choice is HTML (or it sent no Accept and ``default``)."""
    accept = request.headers.get("accept")
    return default if not accept else parse_accept(accept)[:1] == ["text/html"]


def _json_for_html(data) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _schema_org(c: dict) -> dict:
    """schema.org JSON-LD of a commitment page, for search engines."""
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": c["commitment"],
        "name": c["title"],
        "position": c["number"],
        "isPartOf": {"@id": c["plan"], "@type": "CreativeWork"},
        "inLanguage": "es",
        "text": c["progress"],
        "accountablePerson": [{"@type": "GovernmentOrganization", "@id": i["iri"], "name": i["name"]}
                              for i in c["institutions"] if i["role"] == "responsable"],
        "mentions": [{"@type": "Organization", "@id": i["iri"], "name": i["name"]}
                     for i in c["institutions"] if i["role"] != "responsable"],
        "citation": [{"@type": "Legislation", "@id": law["iri"], "name": law["name"] or law["label"],
                      "legislationIdentifier": law["label"]} for law in c["laws"]],
        "spatialCoverage": [{"@type": "AdministrativeArea", "@id": p["iri"], "name": p["name"]} for p in c["places"]],
    }


def commitment_page(details: dict) -> HTMLResponse:
    return HTMLResponse(page("commitment.html").replace("__DATA__", _json_for_html(details))
                        .replace("__SCHEMA_ORG__", _json_for_html(_schema_org(details))))


def entity_page(data: dict, base_url: str) -> HTMLResponse:
    def show(term: dict) -> str:
        value = term["value"]
        if term["type"] == "uri":
            href = value.replace(ID_NS, f"{base_url}/id/") if value.startswith(ID_NS) else value
            label = value.replace(ID_NS, "ogpid:").replace(OGP_NS, "ogp:")
            return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'
        return html.escape(value)

    rows = "".join(f"<tr><td>{show(p)}</td><td>{show(o)}</td></tr>" for p, o in data["triples"])
    title = html.escape(data.get("label") or data["iri"])
    return HTMLResponse(page("entity.html").replace("__TITLE__", title).replace("__IRI__", html.escape(data["iri"]))
                        .replace("__ROWS__", rows))


@router.get("/", response_class=HTMLResponse)
async def home():
    return HTMLResponse(page("index.html"))
