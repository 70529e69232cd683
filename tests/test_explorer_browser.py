"""The explorer in a real headless Chromium (DevTools protocol): pages render with no console
error, clicks open entities, the network and a chart draw, axe-core finds no critical
accessibility violation, and nothing is fetched from outside the app (other hosts do not even
resolve). Screenshots go to artifacts/. Skipped without chromium, or without the npm packages
that scripts/install.sh installs (axe-core, and the vendored chart.js / cytoscape)."""
from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.chromium import EXECUTABLE, Chromium
from tests.conftest import REPO, LiveServer

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VENDOR = REPO / "api" / "explorer" / "static" / "vendor"
ARTIFACTS = REPO / "artifacts"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'"
pytestmark = [
    pytest.mark.skipif(EXECUTABLE is None, reason="chromium not installed (apt-get install chromium)"),
    pytest.mark.skipif(not AXE.exists() or not (VENDOR / "cytoscape.min.js").exists(),
                       reason="npm packages missing (run scripts/install.sh: npm ci)"),
]


@pytest.fixture(scope="module")
def server(built):
    from api.core import Service
    from api.http import create_app

    app = create_app(Service(built[0]))

    @app.middleware("http")
    async def strict_csp(request, call_next):  # what the served pages must live with: nothing inline
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    with LiveServer(app) as live:
        yield live


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def visit(browser: Chromium, server, path: str, shot: str | None = None) -> None:
    """Open ``path``; no console error (a Content-Security-Policy violation is one) and every
    request to the app itself."""
    browser.errors.clear()
    browser.requests.clear()
    browser.open(server.url + path)
    assert browser.eval("document.readyState") == "complete"
    assert not browser.errors, (path, browser.errors)
    outside = [u for u in browser.requests if urlsplit(u).netloc not in ("", urlsplit(server.url).netloc)
               and not u.startswith(("data:", "blob:"))]
    assert not outside, (path, outside)
    if shot:
        shot_path = browser.screenshot(ARTIFACTS / f"explorer-{shot}.png")
        assert shot_path.stat().st_size > 10_000


def critical_violations(browser: Chromium) -> list[str]:
    browser.eval(AXE.read_text(encoding="utf-8"))
    return browser.eval("""axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
        .filter(v => v.impact === "critical").map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))""")


def test_list_with_two_filters(browser, server):
    visit(browser, server, "/commitments?institution=org/GT/minfin&value=AccessToInformation", "list-filtered")
    assert browser.eval("document.querySelectorAll('.chips li').length") == 3  # two filters + "clear all"
    items = browser.eval("[...document.querySelectorAll('ul.commitments > li > a')].map(a => a.textContent)")
    assert items and any(text.startswith("18.") for text in items)


def test_commitment_page(browser, server):
    visit(browser, server, "/commitments/18", "commitment")
    body = browser.eval("document.body.innerText")
    assert "Compromiso 18" in body and "Acuerdo Ministerial 194-2017" in body and "Ministerio de Finanzas Públicas" in body
    browser.click("#h-responsible + ul a")
    assert browser.eval("location.pathname") == "/id/org/GT/minfin"


def test_institution_page(browser, server):
    visit(browser, server, "/id/org/GT/minfin", "institution")
    assert browser.eval("document.querySelector('h1').textContent") == "Ministerio de Finanzas Públicas"
    assert browser.eval("document.querySelectorAll('#h-responsible_for + ul li').length") >= 3


def test_law_page(browser, server):
    visit(browser, server, "/id/law/GT/decreto/37-2016", "law")
    assert "/commitment/20" in browser.eval("document.querySelector('#h-cited_by + ul a').getAttribute('href')")


def test_place_page(browser, server):
    visit(browser, server, "/id/place/GT-19", "place")
    assert browser.eval("document.querySelector('h1').textContent") == "Zacapa"
    assert browser.eval("document.querySelectorAll('#h-located_in + ul li').length") >= 1


def test_source_view_mark_opens_its_entity(browser, server):
    visit(browser, server, "/id/plan/GT/2016-2018/commitment/21")
    href = browser.eval("document.querySelector('a[href*=\"?span=\"]').getAttribute('href')")
    visit(browser, server, href, "source")
    assert browser.eval("document.querySelectorAll('.source a.ent').length") >= 200
    assert browser.eval("!!document.querySelector('mark.focus')")
    target = browser.eval("document.querySelector('mark.focus a.ent-org, .source a.ent-org').getAttribute('href')")
    browser.click("mark.focus a.ent-org, .source a.ent-org")
    assert browser.eval("location.pathname") == target.split("?")[0]
    assert browser.eval("document.querySelector('h1').textContent")


def test_shared_search_link(browser, server):
    visit(browser, server, "/buscar?q=" + quote("compras públicas más transparentes"), "search")
    hits = browser.eval("document.querySelectorAll('#hits li.hit').length")
    assert hits >= 3
    assert browser.eval("document.querySelector('#search-q').value") == "compras públicas más transparentes"


def test_ask_link_answers(browser, server):
    visit(browser, server, "/preguntar?q=" + quote("¿Qué significa la sigla CONRED?"), "ask")
    assert "Coordinadora Nacional para la Reducción de Desastres" in browser.eval("document.querySelector('#answer-text').textContent")


def test_network_renders_nodes(browser, server):
    visit(browser, server, "/red", "network")
    nodes = browser.eval("Number(document.getElementById('network').dataset.nodes)")
    assert nodes > 50
    assert browser.eval("document.querySelectorAll('#network canvas').length") >= 1
    # a real mouse click on a law node opens its page
    browser.eval("document.getElementById('network').scrollIntoView()")
    href, x, y = browser.eval("""(() => { const n = window.ogpNetwork.nodes('[kind = "law"]')[0];
        const p = n.renderedPosition(), box = document.getElementById('network').getBoundingClientRect();
        return [n.data('href'), box.left + p.x, box.top + p.y]; })()""")
    browser.events.clear()
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        browser.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
    browser.wait_for("Page.loadEventFired")
    assert browser.eval("location.pathname") == href


def test_chart_renders(browser, server):
    visit(browser, server, "/graficos", "charts")
    drawn = browser.eval("[...document.querySelectorAll('.chart-box')].map(b => Number(b.dataset.rendered))")
    assert len(drawn) >= 4 and all(n >= 1 for n in drawn)
    assert browser.eval("Chart.getChart(document.querySelector('.chart-box canvas')).data.datasets[0].data.length") >= 1


@pytest.mark.parametrize("path", [
    "/", "/?lang=en", "/commitments", "/commitments?department=place/GT-16&lang=en", "/commitments/21",
    "/id/org/GT/minfin", "/id/org/GT/minfin?view=datos", "/id/law/GT/decreto/57-2008", "/id/place/GT-19",
    "/id/place/GT", "/id/plan/GT/2016-2018", "/id/document/0c0f8c567756b273",
    "/id/plan/GT/2016-2018/commitment/21/metric/22517-22531", "/buscar?q=salud", "/preguntar?q=" + quote("¿Quién es responsable del compromiso 5?"),
    "/graficos", "/red", "/consulta?query=" + quote("SELECT ?n WHERE { ?c ogp:commitmentNumber ?n } LIMIT 3"),
])
def test_no_critical_accessibility_violations(browser, server, path):
    visit(browser, server, path)
    assert critical_violations(browser) == []
