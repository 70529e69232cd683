"""The explorer over the bundled report, through the ASGI app: HTML for browsers and data for API
clients on the same paths, filters and facet counts, entity pages grouped for people, the source
view's marks, figures for the reader, and a crawl of the whole site (every link 200, nothing
loaded from outside)."""
from __future__ import annotations

import html
import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from api.conneg import wants_html
from api.core import Service
from api.explorer import figures
from api.http import create_app

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what browsers send
DOC = "https://w3id.org/ogp-kg/id/document/"


@pytest.fixture(scope="module")
def site(built):
    service = Service(built[0])
    return TestClient(create_app(service)), service


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "form" and attrs.get("action"):
            self.links.append(attrs["action"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])

    def handle_data(self, data):
        self.texts.append(data)


def parse(page: str) -> _Links:
    parser = _Links()
    parser.feed(page)
    return parser


def select(service: Service, query: str) -> list[dict]:
    results = service.query(query)
    names = [v.value for v in results.variables]
    return [{n: r[n].value if r[n] is not None else None for n in names} for r in results]


@pytest.mark.parametrize("accept, fmt, expected", [
    (HTML["Accept"], None, True), ("text/html", None, True), ("application/xhtml+xml", None, True),
    (None, None, False), ("*/*", None, False), ("application/json", None, False), ("text/turtle", None, False),
    ("application/json;q=0.9, text/html", None, True), ("text/html;q=0.5, application/json", None, False),
    ("text/html", "json", False), ("*/*", "html", True),
])
def test_wants_html(accept, fmt, expected):
    assert wants_html(accept, fmt) is expected


def test_figures_for_the_reader():
    assert figures.money("139988000", "GTQ", country="GT") == "Q139,988,000"
    assert figures.money("1000000", "USD", country="EC") == "$1.000.000"  # Ecuador groups with dots
    assert figures.money("1500.5", "USD", country="US") == "$1,500.50"
    metrics = [{"kind": "count", "value": "3", "unit": "niveles"}, {"kind": "count", "value": "2337365", "unit": "alumnos"},
               {"kind": "money", "value": "95613729", "unit": "GTQ"}, {"kind": "percent", "value": "45", "unit": "%"},
               {"kind": "money", "value": "139988000", "unit": "GTQ"}]
    ranked = figures.headline(metrics)
    assert [m["value"] for m in ranked] == ["139988000", "95613729", "45", "2337365"]  # "3 niveles" left out


def test_source_marks_nest_and_escape():
    from api.explorer.highlight import render

    text = "El <b>MINFIN</b> y Zacapa & Petén."
    marks = [{"begin": 6, "end": 12, "href": "/id/org/GT/minfin", "kind": "org", "title": 'Min "F"'},
             {"begin": 7, "end": 9, "href": "/id/x", "kind": "org", "title": "x"},  # inside a longer mark: dropped
             {"begin": 19, "end": 25, "href": "/id/place/GT-19", "kind": "place", "title": "Zacapa"}]
    shown = str(render(text, marks, focus=(8, 22), mark_label={"org": "INST", "place": "LUGAR"}, anchor_label="C"))
    assert "<b>" not in shown and "&lt;b&gt;" in shown and "&amp; Petén" in shown and 'title="Min &#34;F&#34;"' in shown
    assert shown.count('class="ent ') == 2
    assert '<mark class="focus" id="char=6,25">' in shown  # widened so that no mark is cut
    assert shown.index("<mark") < shown.index('id="char=6,12"') and shown.index("</mark>") > shown.index('id="char=19,25"')


def test_metric_phrases_are_whole_sentences(site):
    _, service = site
    rows = select(service, """SELECT ?text ?b ?e WHERE { ?m ogp:metricKind "money" ; prov:wasDerivedFrom ?s .
        ?s nif:referenceContext ?d ; nif:beginIndex ?b ; nif:endIndex ?e . ?d nif:isString ?text }""")
    assert rows
    for r in rows:
        text, b, e = r["text"], int(r["b"]), int(r["e"])
        shown = figures.phrase(text, b, e)
        assert " ".join(text[b:e].split()) in shown
        if not shown.startswith("…"):  # shown from its start: at a line start or after a sentence end
            first = shown.split()[0]
            assert re.search(rf"(?:^|\n|[.;:!?]\s+){re.escape(first)}", text[: b + 1]), shown


def test_browsers_get_pages_and_api_clients_get_data(site):
    client, _ = site
    for path in ("/search?q=presupuesto%20para%20la%20salud", "/ask?q=%C2%BFQu%C3%A9%20significa%20la%20sigla%20CONRED%3F",
                 "/commitments", "/commitments/21", "/id/org/GT/minfin"):
        page = client.get(path, headers=HTML)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path
        data = client.get(path, headers={"Accept": "application/json"} if "/id/" not in path else {"Accept": "text/turtle"})
        assert data.status_code == 200 and not data.headers["content-type"].startswith("text/html"), path
    assert client.get("/commitments", params={"format": "json"}, headers=HTML).json()[0]["number"] == 1
    moved = client.get("/buscar?q=salud", headers={"Accept": "application/json"}, follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == "/search?q=salud"
    assert client.get("/preguntar?q=hola", headers={"Accept": "application/json"}, follow_redirects=False).status_code == 307


def test_shared_search_link_lists_commitments_and_their_sentences(site):
    client, service = site
    page = client.get("/buscar", params={"q": "presupuesto para la salud"}, headers=HTML)
    best = service.search("presupuesto para la salud", k=10)[0]
    links = parse(page.text).links
    assert "/id/" + best["commitment"].split("/id/", 1)[1] in links
    begin, end = best["span"]
    assert any(link.endswith(f"?span={begin},{end}#char={begin},{end}") for link in links)


def test_answer_links_to_commitments_and_evidence(site):
    client, _ = site
    page = client.get("/preguntar", params={"q": "¿Qué compromisos citan el Decreto 37-2016?"}, headers=HTML)
    links = parse(page.text).links
    assert "/id/plan/GT/2016-2018/commitment/20" in links
    assert any("#char=" in link for link in links)
    english = client.get("/preguntar", params={"q": "Which commitments cite Decree 37-2016?"}, headers=HTML)
    assert english.status_code == 200 and "Which commitments cite Decree 37-2016?" in english.text  # answered, not refused


def test_filters_narrow_the_list_and_facets_count_it(site):
    client, service = site
    expected = {int(r["n"]) for r in select(service, """SELECT ?n WHERE { ?c ogp:commitmentNumber ?n ;
        ogp:responsibleOrganization/ogp:acronym "MINFIN" ; ogp:ogpValue ogp:AccessToInformation }""")}
    assert expected
    page = client.get("/commitments", params={"institution": "org/GT/minfin", "value": "AccessToInformation"}, headers=HTML)
    listed = {int(n) for n in re.findall(r'href="/id/plan/GT/2016-2018/commitment/(\d+)"', page.text)}
    assert listed == expected
    assert f"{len(expected)} de 22" in html.unescape(page.text)
    # each facet link adds its value to the current filters, and its count is what that page lists
    one = client.get("/commitments", params={"value": "AccessToInformation"}, headers=HTML).text
    link, count = re.search(r'<a href="(/commitments\?[^"]*institution=org%2FGT%2Fminfin[^"]*)">[^<]+</a> '
                            r'<span class="count">(\d+)</span>', one).groups()
    target = client.get(html.unescape(link), headers=HTML).text
    assert len(set(re.findall(r'href="/id/plan/GT/2016-2018/commitment/(\d+)"', target))) == int(count) == len(expected)
    assert client.get("/commitments", params={"institution": "../../etc"}, headers=HTML).status_code == 400


def test_commitment_page_groups_labels_and_figures(site):
    client, _ = site
    page = client.get("/commitments/21", headers=HTML).text
    text = html.unescape(page)
    assert "Compromiso 21: AVANCES EN LA IMPLEMENTACIÓN DEL MODELO DE PRIMER NIVEL DE ATENCIÓN DE SALUD." in text
    assert '<a href="/id/org/GT/mspas">Ministerio de Salud Pública y Asistencia Social</a>' in text
    assert "Q139,988,000" in text and "139988000" not in text.split("<main", 1)[1].split("ld+json")[0]
    figures_block = text.split('id="h-figures"', 1)[1].split("</section>", 1)[0]
    assert figures_block.index("Q139,988,000") < figures_block.index("Q95,613,729")
    assert "niveles" not in figures_block  # a trivial count is not a headline figure
    assert "ogpid:" not in text and "https://w3id.org/ogp-kg/id/place" not in text.split("ld+json")[0]
    schema = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert schema["name"].startswith("AVANCES") and {p["name"] for p in schema["spatialCoverage"]} >= {"Alta Verapaz", "Petén"}


def test_place_pages_follow_the_hierarchy(site):
    client, service = site
    rows = select(service, """SELECT ?m ?d ?dn ?n WHERE { ?m a ogp:Municipality ; schema:containedInPlace ?d .
        ?d schema:name ?dn . ?c dct:spatial ?m ; ogp:commitmentNumber ?n } LIMIT 1""")
    m, d, name, number = rows[0]["m"], rows[0]["d"], rows[0]["dn"], rows[0]["n"]
    municipality = client.get("/id/" + m.split("/id/", 1)[1], headers=HTML).text
    assert f'<a href="/id/{d.split("/id/", 1)[1]}">{name}</a>' in municipality
    department = client.get("/id/" + d.split("/id/", 1)[1], headers=HTML).text
    assert f'/commitment/{number}"' in department  # a commitment naming one of its municipalities
    assert f'<a href="/id/{m.split("/id/", 1)[1]}">' in department  # under "contains"


def test_institution_and_law_pages(site):
    client, _ = site
    minfin = html.unescape(client.get("/id/org/GT/minfin", headers=HTML).text)
    assert "Responsable de" in minfin and "18. ACCIONES PARA MEJORAR LA DISPONIBILIDAD" in minfin
    assert "MINFIN" in minfin
    law = client.get("/id/law/GT/decreto/37-2016", headers=HTML)
    assert law.status_code == 200 and "Citada por" in law.text and "/commitment/20" in law.text


def test_source_view_marks_every_mention_at_its_characters(site):
    client, service = site
    doc = select(service, "SELECT ?d ?t WHERE { ?d nif:isString ?t }")[0]
    text = doc["t"]
    page = client.get("/id/document/" + doc["d"][len(DOC):], headers=HTML).text
    marks = re.findall(r'<a class="ent ent-(\w+)" id="char=(\d+),(\d+)" href="([^"]+)" title="[^"]*">(.*?)<span', page, re.S)
    kinds = {k for k, *_ in marks}
    assert {"org", "law", "place", "metric"} <= kinds and len(marks) >= 200
    for _, b, e, href, shown in marks:
        assert html.unescape(shown) == text[int(b):int(e)]
        assert href.startswith(("/id/", "/commitments?value="))
    focused = client.get(f"/id/document/{doc['d'][len(DOC):]}", params={"span": "20866,21033"}, headers=HTML).text
    assert re.search(r'<mark class="focus" id="char=\d+,\d+">', focused)


def test_pages_in_english(site):
    client, _ = site
    page = client.get("/id/org/GT/minfin", params={"lang": "en"}, headers=HTML).text
    assert '<html lang="en">' in page and "Responsible for" in page
    links = [link for link in parse(page).links if link.startswith("/id/") and link != "/id/org/GT/minfin"]  # not the switch
    assert links and all("lang=en" in link for link in links)
    assert "Responsable de" in client.get("/id/org/GT/minfin", headers=HTML).text


def test_raw_data_tab_labels_its_links(site):
    client, _ = site
    page = html.unescape(client.get("/id/plan/GT/2016-2018/commitment/18", params={"view": "datos"}, headers=HTML).text)
    assert "ogp:responsibleOrganization" in page and ">Ministerio de Finanzas Públicas</a>" in page
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in page and "rdf:type" in page


def _expand(url: str) -> bool:
    """Whether the crawler reads a page's links: list pages with two filters are only fetched,
    so the crawl stays bounded (their links are those of the one-filter pages, narrowed)."""
    parts = urlsplit(url)
    filters = sum(len(v) for k, v in parse_qs(parts.query).items() if k != "lang")
    return parts.path != "/docs" and not (parts.path == "/commitments" and filters >= 2)


def test_every_link_of_the_site_works_and_nothing_is_external(site):
    client, _ = site
    seen, queue, failures, external, pages = {"/"}, deque(["/"]), [], set(), 0
    while queue:
        url = queue.popleft()
        response = client.get(url, headers=HTML)
        pages += 1
        if response.status_code != 200:
            failures.append((url, response.status_code))
            continue
        if not response.headers["content-type"].startswith("text/html") or not _expand(url):
            continue
        parsed = parse(response.text)
        for link in parsed.links:
            if link.startswith("#"):
                assert link[1:] in parsed.ids, (url, link)
                continue
            if not link.startswith("/") or link.startswith("//"):
                external.add(link)
                continue
            target = link.split("#", 1)[0]
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert not failures, failures[:10]
    assert not external, sorted(external)[:10]
    assert pages > 250  # entity pages, their data tabs, filtered lists, both languages
