"""The explorer's routes: HTML pages for people, in Spanish and English (``?lang=en``).

Pages that share a path with the JSON API (/search, /ask, /commitments, /commitments/{n}, /id/…)
are ``HtmlRoute``s: they match only requests that want HTML (``api.conneg.wants_html``), so JSON
and RDF clients reach the API routes registered after them.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from starlette.datastructures import Headers
from starlette.routing import Match
from starlette.types import Scope

from api import conneg
from api.conneg import wants_html
from api.explorer import figures, highlight
from api.explorer.views import FACETS, LANGS, Explorer, entity_iri, filter_iri, filter_param, local_path, source_href
from ogp_graph.errors import OgpKgError

PACKAGE = resources.files("api.explorer")
STATIC = Path(str(PACKAGE / "static")).resolve()
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(str(PACKAGE / "templates")), autoescape=True))


class HtmlRoute(APIRoute):
    """A route that only matches requests wanting HTML (by Accept, or ``?format=html``)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """The route's match of ``scope``; none for an HTTP request that does not want HTML."""
        match, child = super().matches(scope)
        if match is not Match.NONE and scope["type"] == "http":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if not wants_html(Headers(scope=scope).get("accept"), (query.get("format") or [None])[0]):
                return Match.NONE, {}
        return match, child


pages = APIRouter(include_in_schema=False)
negotiated = APIRouter(include_in_schema=False, route_class=HtmlRoute)


@lru_cache(maxsize=len(LANGS))
def strings(lang: str) -> dict[str, str]:
    """The UI strings of ``lang`` (``data/ui.<lang>.json``)."""
    return json.loads((PACKAGE / "data" / f"ui.{lang}.json").read_text(encoding="utf-8"))


def explorer(request: Request) -> Explorer:
    """The explorer over the newest published build (a new one after a rebuild)."""
    state = request.app.state
    service = state.live.current()
    if getattr(state, "explorer", None) is None or state.explorer.service is not service:
        state.explorer = Explorer(service)
    return state.explorer


def language(request: Request) -> str:
    """The page language: ``?lang=`` when it is one of ``LANGS``, else the first."""
    return conneg.language([request.query_params.get("lang")], LANGS)


def render(request: Request, template: str, *, status: int = 200, **context) -> HTMLResponse:
    """A page: ``template`` with the UI strings, the language and link helpers."""
    lang = language(request)

    def url(path: str, **params) -> str:
        """``path`` with ``params`` (lists repeat) and the page language; a fragment stays last."""
        path, _, fragment = path.partition("#")
        base, _, existing = path.partition("?")
        pairs = [p for p in (existing.split("&") if existing else []) if p]
        pairs += [urlencode({k: v}) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])
                  if v is not None]
        if lang != LANGS[0]:
            pairs.append(f"lang={lang}")
        return base + ("?" + "&".join(pairs) if pairs else "") + ("#" + fragment if fragment else "")

    other = LANGS[1] if lang == LANGS[0] else LANGS[0]
    switch = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if other != LANGS[0]:
        switch.append(("lang", other))
    context |= {"t": strings(lang), "lang": lang, "url": url, "path": request.url.path,
                "switch_url": request.url.path + ("?" + urlencode(switch) if switch else "")}
    return templates.TemplateResponse(request, template, context, status_code=status)


def _filters(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key in FACETS and value:
            out.setdefault(key, []).append(filter_iri(value))
    return out


# -- pages for browsers only ------------------------------------------------------------------------
@pages.get("/")
def home(request: Request) -> Response:
    """The home page: totals, headline figures and the commitments (an old ``/?q=`` link goes to the question page)."""
    question = request.query_params.get("q")
    if question:  # an old shared link: the question now has its own page
        return RedirectResponse(f"/preguntar?{request.url.query}", status_code=307)
    ex = explorer(request)
    lang = language(request)
    listing = ex.commitment_list({}, lang)
    metrics = ex.metrics("?c a ogp:Commitment .")
    return render(request, "home.html", totals=ex.totals(), headline=figures.headline(metrics, limit=6),
                  commitments=listing["items"])


@pages.get("/buscar")
def search_page(request: Request, q: str = "", k: int = 10, mode: str = "hybrid") -> Response:
    """The search page: hits of ``q`` (400 with the error on a bad search); non-HTML clients go to ``/search``."""
    if not wants_html(request.headers.get("accept"), request.query_params.get("format")) and request.url.path == "/buscar":
        return RedirectResponse(f"/search?{request.url.query}", status_code=307)
    hits, error = [], None
    if q.strip():
        try:
            hits = explorer(request).service.search(q, k=k, mode=mode)
        except (ValueError, OgpKgError) as exc:
            error = str(exc)
    for h in hits:
        h["href"] = local_path(h["commitment"])
        h["source_href"] = source_href(h["source"], *h["span"])
    return render(request, "search.html", status=400 if error else 200, q=q, hits=hits, error=error)


@pages.get("/preguntar")
def ask_page(request: Request, q: str = "") -> Response:
    """The question page: the answer to ``q`` with its evidence (422 on a bad question); non-HTML
    clients go to ``/ask``."""
    if not wants_html(request.headers.get("accept"), request.query_params.get("format")):
        return RedirectResponse(f"/ask?{request.url.query}", status_code=307)
    answer, error = None, None
    if q.strip():
        try:
            answer = explorer(request).service.ask(q).to_dict()
        except (ValueError, OgpKgError) as exc:
            error = str(exc)
    if answer:
        said = " ".join(answer["answer"].split())
        for ev in answer["evidence"]:
            ev["source_href"] = source_href(ev["source"], *ev["span"]) if ev.get("source") and ev.get("span") else None
            ev["repeats_answer"] = " ".join(ev.get("text", "").split()) in said
        for item in answer["items"]:
            item["href"] = local_path(item.get("commitment") or item.get("entity") or "")
    return render(request, "ask.html", status=422 if error else 200, q=q, answer=answer, error=error)


@pages.get("/graficos")
@pages.get("/charts")
def charts(request: Request) -> Response:
    """The charts page: money and commitments by commitment, institution, department and completion."""
    ex, lang = explorer(request), language(request)
    return render(request, "charts.html", charts=[
        ("chart_money_commitment", "amount", ex.money_by("BIND(?c AS ?g)", lang), None),
        ("chart_money_institution", "amount", ex.money_by("?c ogp:responsibleOrganization ?g .", lang), None),
        ("chart_commitments_institution", "count", ex.count_by("institution", lang), "institution"),
        ("chart_commitments_department", "count", ex.count_by("department", lang), "department"),
        ("chart_completion", "count", ex.completion(lang), "status"),
    ])


@pages.get("/red")
@pages.get("/network")
def network(request: Request) -> Response:
    """The network page: institutions, commitments, laws and places as a graph."""
    data = explorer(request).network(language(request))
    return render(request, "network.html", network=data,
                  network_json=Markup(json.dumps(data, ensure_ascii=False).replace("</", "<\\/")))


@pages.get("/consulta")
def sparql_page(request: Request, query: str = "") -> Response:
    """The query page: a SELECT/ASK result as a table (400 with the error; CONSTRUCT/DESCRIBE point to /sparql)."""
    result, error = None, None
    if query.strip():
        try:
            answer = explorer(request).service.sparql(query, format="json", max_rows=500)
            result = json.loads(answer.body) if answer.kind != "graph" else None
            if result is None:
                error = "CONSTRUCT/DESCRIBE: /sparql"
        except (SyntaxError, ValueError, OgpKgError) as exc:
            error = str(exc)
    return render(request, "sparql.html", status=400 if error else 200, query=query, result=result, error=error)


@pages.get("/explorer/static/{name:path}")
def static(name: str) -> Response:
    """A static file of the explorer (404 outside the static folder)."""
    path = (STATIC / name).resolve()
    if not path.is_relative_to(STATIC) or not path.is_file():
        return Response("not found\n", status_code=404, media_type="text/plain")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})


# -- pages sharing a path with the JSON API ----------------------------------------------------------
@negotiated.get("/search")
def search_html(request: Request, q: str = "", k: int = 10, mode: str = "hybrid") -> Response:
    """``/search`` for browsers: the search page."""
    return search_page(request, q, k, mode)


@negotiated.get("/ask")
def ask_html(request: Request, q: str = "") -> Response:
    """``/ask`` for browsers: the question page."""
    return ask_page(request, q)


@negotiated.get("/commitments")
def commitments_page(request: Request) -> Response:
    """The commitments page, filtered by the facets in the query string (400 on a bad filter)."""
    lang = language(request)
    try:
        filters = _filters(request)
        listing = explorer(request).commitment_list(filters, lang)
    except ValueError as exc:
        return render(request, "error.html", status=400, message=str(exc))
    selected = {f: [filter_param(v) for v in vs] for f, vs in filters.items()}
    return render(request, "commitments.html", listing=listing, selected=selected, facets=list(FACETS),
                  filter_param=filter_param)


@negotiated.get("/commitments/{number}")
def commitment_page(request: Request, number: str, plan: str | None = None) -> Response:
    """The page of commitment ``number`` (of ``plan`` when given; the first plan's otherwise; 404 when none)."""
    rows = explorer(request).rows(f"""SELECT ?c ?plan WHERE {{ ?c ogp:commitmentNumber ?n ; ogp:actionPlan ?plan
        FILTER(STR(?n) = {json.dumps(number)}) }} ORDER BY ?plan""")
    rows = [r for r in rows if plan is None or r["plan"] == plan]
    if not rows:
        return render(request, "error.html", status=404, message=f"no commitment number {number}")
    return _entity(request, rows[0]["c"])


@negotiated.get("/id/{path:path}")
def entity_page(request: Request, path: str) -> Response:
    """The page of the entity at ``/id/{path}`` (400 on a bad path)."""
    try:
        iri = entity_iri(path)
    except ValueError as exc:
        return render(request, "error.html", status=400, message=str(exc))
    return _entity(request, iri)


def _entity(request: Request, iri: str) -> HTMLResponse:
    ex, lang = explorer(request), language(request)
    page = ex.entity(iri, lang)
    if page is None:
        return render(request, "error.html", status=404, message=f"no entity {iri}")
    view = request.query_params.get("view")
    context = {"page": page, "view": view, "schema_org": None}
    if page.get("schema_org"):
        context["schema_org"] = Markup(json.dumps(page["schema_org"], ensure_ascii=False).replace("</", "<\\/"))
    if view == "datos":
        context["triples"] = ex.triples(iri, lang)
    elif page["kind"] == "document":
        span = request.query_params.get("span", "")
        focus = tuple(int(x) for x in span.split(",")) if span.count(",") == 1 and span.replace(",", "").isdigit() else None
        t = strings(lang)
        context["source"] = highlight.render(
            ex.text(iri) or "", ex.marks(iri, lang), anchors=ex.commitment_anchors(iri), focus=focus,
            mark_label={k: t[f"mark_{k}"] for k in ("org", "law", "place", "metric", "value", "other")},
            anchor_label=t["commitment"])
    return render(request, "entity.html", **context)


router = APIRouter()
router.include_router(pages)
router.include_router(negotiated)
