"""Other countries' plans: Ecuador (Spanish and English) and the United States, in one graph with
the Guatemala report; cross-language links; one query across countries (skipped without ../shared)."""
import pytest

from api.core import Service
from tests.conftest import FOREIGN, WORLD
from tests.test_graph import rows

pytestmark = [pytest.mark.skipif(not all((FOREIGN / d).exists() for d in WORLD), reason="../shared/corpus/foreign absent"),
              pytest.mark.xdist_group("world")]  # on the worker of the other users of world_built
EC, EC_EN, US = ("https://w3id.org/ogp-kg/id/plan/EC/2019-2022", "https://w3id.org/ogp-kg/id/plan/EC/2019-2022/en",
                 "https://w3id.org/ogp-kg/id/plan/US/2022")


@pytest.fixture(scope="module")
def world(world_built):
    return Service(world_built[0]), world_built[1]


def _titles(service, plan: str) -> dict[int, str]:
    found = rows(service.store, f"SELECT ?n ?t WHERE {{ ?c ogp:actionPlan <{plan}> ; ogp:commitmentNumber ?n ; dct:title ?t }}")
    return {int(r["n"]): r["t"] for r in found}


def test_all_documents_build_and_conform(world):
    _, summary = world
    assert [d["commitments"] for d in summary.documents] == [22, 10, 10, 36]
    assert [d["layout"] for d in summary.documents] == ["numbered-blocks", "form-sheets", "form-sheets", "heading-sections"]
    us = summary.documents[3]
    assert us["without_title"] == 0 and 0 < us["without_responsible"] < 36  # agencies come from the prose
    assert summary.conforms


def test_unknown_layouts_and_mixed_languages_are_reported(tmp_path):
    from typer.testing import CliRunner

    from api.cli import app

    mixed = tmp_path / "mixed.md"
    mixed.write_text("# Plan 2020-2022\n\nThis plan, este plan, has no commitments: solo texto corrido.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(mixed), "--data-dir", str(tmp_path / "home")])
    # not a dead end: the document is built from its sections and the report says why
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    from ogp_graph.store import current_build, read_manifest

    [report] = read_manifest(current_build(tmp_path / "home"))["documents"]
    assert report["commitments"] == 0 and report["sections"] == 1
    assert any("opener" in reason for reason in report["reasons"])
    assert str(mixed.name) in result.stdout.splitlines()[0]  # one line per document, naming it


def test_ecuador_english_translation(world):
    service, _ = world
    titles = _titles(service, EC_EN)
    assert len(titles) == 10
    assert titles[3] == "Open Information Platform for Public Procurement"
    lead = rows(service.store, f"""SELECT ?n ?name WHERE {{ ?c ogp:actionPlan <{EC_EN}> ; ogp:commitmentNumber ?n ;
        ogp:responsibleOrganization/skos:prefLabel ?name }}""")
    assert {int(r["n"]) for r in lead} == set(range(1, 11))
    assert {"n": "6", "name": "Defensoría del Pueblo"} in lead


def test_spanish_commitments_link_to_their_english_translation(world):
    service, _ = world
    matches = 0
    for n in range(1, 11):
        [source] = rows(service.store, f"SELECT ?c WHERE {{ ?c ogp:actionPlan <{EC}> ; ogp:commitmentNumber {n} }}")
        in_english = [s for s in service.similar(source["c"]) if s["plan"] == EC_EN]
        matches += bool(in_english) and in_english[0]["number"] == n
    assert matches >= 9


def test_us_plan_numbered_in_document_order(world):
    service, _ = world
    titles = _titles(service, US)
    assert len(titles) == 36
    assert titles[1] == "Expand the Federal Government's Production, Dissemination, and Use of Equitable Data."
    assert titles[27] == "Strengthening Access to Government Information through the Freedom of Information Act (FOIA)."
    assert titles[36] == "Increase Access to Justice."
    agencies = rows(service.store, f"""SELECT ?a WHERE {{ ?c ogp:actionPlan <{US}> ; ogp:commitmentNumber 27 ;
        ogp:responsibleOrganization/ogp:acronym ?a }}""")
    assert {"NARA", "DOJ"} <= {r["a"] for r in agencies}
    orders = rows(service.store, f"""SELECT ?n WHERE {{ ?c ogp:actionPlan <{US}> ; ogp:commitmentNumber ?n ;
        ogp:citesLegislation/rdfs:label "Executive Order 14075"@es }}""")
    assert 1 in {int(r["n"]) for r in orders}


def test_access_to_information_across_three_countries(world):
    service, _ = world
    found = rows(service.store, """SELECT ?country ?plan ?n ?title WHERE {
        ?c ogp:ogpValue ogp:AccessToInformation ; ogp:actionPlan ?p ; ogp:commitmentNumber ?n ; dct:title ?title .
        ?p dct:title ?plan ; ogp:country/schema:name ?country }""")
    assert {r["country"] for r in found} == {"Guatemala", "Ecuador", "United States"}
    titles = {r["title"] for r in found}
    assert "CAPACITACIÓN EN ACCESO A LA INFORMACIÓN PÚBLICA Y ARCHIVOS INSTITUCIONALES." in titles
    assert "Strengthening Access to Government Information through the Freedom of Information Act (FOIA)." in titles


def test_ecuador_laws(world):
    service, _ = world
    found = rows(service.store, f"""SELECT DISTINCT ?n WHERE {{ ?c ogp:actionPlan <{EC}> ; ogp:commitmentNumber ?n ;
        ogp:citesLegislation/skos:altLabel "LOTAIP" }}""")
    assert len(found) >= 2


def test_ecuador_milestones_in_both_languages(world):
    service, _ = world
    for plan, word in ((EC, "Validación"), (EC_EN, "Validation")):
        found = rows(service.store, f"""SELECT ?k ?d WHERE {{ ?c ogp:actionPlan <{plan}> ; ogp:commitmentNumber 1 ;
            ogp:milestone ?m . ?m ogp:milestoneNumber ?k ; dct:description ?d }} ORDER BY ?k""")
        assert len(found) >= 3 and found[0]["k"] == "1" and found[0]["d"].startswith(f"Hito 1: {word}"
                                                                                      if plan == EC else f"Milestone 1: {word}")
