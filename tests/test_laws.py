"""Legislation citations in the bundled Guatemala report (and Ecuador's plan when ../shared is present)."""
import re
from pathlib import Path

import pytest
import spacy

from ogp_graph.laws import LawCitation, LawGazetteer, find_citations
from ogp_graph.nlp import laws as _laws  # noqa: F401  (registers the ogp_laws factory)
from ogp_graph.nlp.pipeline import make_doc
from ogp_graph.nlp.spans import LAWS, entity
from tests.conftest import REPORT, report_row

SHARED = Path(__file__).resolve().parents[2] / "shared"
LAIP = "GT/decreto/57-2008"


@pytest.fixture(scope="module")
def nlp():
    """A tokenizer plus our component: all ``ogp_laws`` needs (loaded once for this module)."""
    nlp = spacy.blank("es")
    nlp.add_pipe("ogp_laws")
    return nlp


@pytest.fixture(scope="module")
def report() -> list[LawCitation]:
    return find_citations(REPORT.read_text(encoding="utf-8"), "GT")


def cites(number: int) -> list[LawCitation]:
    return find_citations(report_row(number), "GT")


def test_decree_with_its_name_in_quotes():
    # 20: "a partir de la vigencia del Decreto 37-2016 “Ley para el fortalecimiento de la transparencia
    # fiscal y la gobernanza de la SAT” se publica…": one citation covering number and quoted name
    [cite] = cites(20)
    assert cite.key == "GT/decreto/37-2016" and cite.label == "Decreto 37-2016" and cite.year == 2016
    assert cite.text.startswith("Decreto 37-2016 “Ley para el fortalecimiento") and cite.text.endswith("de la SAT”")
    assert cite.name.startswith("Ley para el Fortalecimiento de la Transparencia Fiscal y la Gobernanza")
    assert LawGazetteer.default().resolve_name(
        "Ley para el fortalecimiento de la transparencia fiscal y la gobernanza de la SAT", "GT") == cite.key


def test_an_unknown_decree_takes_the_name_quoted_after_it():
    [cite] = find_citations("aprobado por el Decreto 7-2019 “Ley de Fomento del Turismo Interno”, que", "GT")
    assert cite.key == "GT/decreto/7-2019" and cite.name == "Ley de Fomento del Turismo Interno"


def test_organic_law_of_the_legislature_by_name_and_number_with_article_36():
    # 12: "…modificaciones a la Ley Orgánica del Organismo Legislativo … en el Decreto 63-94 y sus
    # reformas, del Congreso de la República, en el último párrafo del artículo 36 indica que…"
    named, decree = cites(12)
    assert named.text == "Ley Orgánica del Organismo Legislativo" and decree.text == "Decreto 63-94"
    assert named.key == decree.key == "GT/decreto/63-94"
    assert (decree.year, decree.id_local, decree.label, decree.article) == (1994, "63-94", "Decreto 63-94", "36")
    assert decree.name == "Ley Orgánica del Organismo Legislativo"


def test_commitment_17_decrees_amendments_and_the_contracting_law():
    found = {c.text: c for c in cites(17)}
    assert found["Decreto No. 9-2017"].key == "GT/decreto/9-2017"
    assert "Convención sobre Asistencia Administrativa Mutua en Materia Fiscal" in found["Decreto No. 9-2017"].name
    # "…reformas que tuvo la Ley de Contrataciones del Estado (Decretos Nos. 9-2015 y 46-2016)…": two decrees
    first, second = found["Decretos Nos. 9-2015"], found["46-2016"]
    assert (first.key, second.key) == ("GT/decreto/9-2015", "GT/decreto/46-2016")
    assert first.amends == second.amends == ("GT/decreto/57-92",)
    lce = found["Ley de Contrataciones del Estado"]
    assert lce.key == "GT/decreto/57-92" and lce.label == "Decreto 57-92" and lce.year == 1992
    sentence = report_row(17)[lce.start : second.end]
    assert "." not in sentence.replace("Nos.", "")  # same sentence
    # "Se incluyó en la ley del presupuesto 2017…" and "Reformas al Reglamento Orgánico Interno del MINFIN"
    assert found["ley del presupuesto 2017"].key == "GT/decreto/50-2016"
    assert found["Reglamento Orgánico Interno del MINFIN"].doc_type == "reglamento"


def test_ministerial_agreement():
    [cite] = cites(18)
    assert cite.text == "Acuerdo Ministerial No. 194-2017"
    assert (cite.key, cite.doc_type, cite.id_local, cite.label, cite.year) == (
        "GT/acuerdo-ministerial/194-2017", "acuerdo-ministerial", "194-2017", "Acuerdo Ministerial 194-2017", 2017)


def test_access_to_information_law_by_name_and_acronym():
    # 1 names the law in full once; "Acceso a la Información Pública" alone (a programme, a diploma) is not the law
    [named] = cites(1)
    assert named.text == "Ley de Acceso a la Información Pública"
    # 2: "…el contenido de LAIP…", "…en la temática de LAIP…"
    acronyms = cites(2)
    assert [c.text for c in acronyms] == ["LAIP", "LAIP"]
    for cite in [named, *acronyms]:
        assert (cite.key, cite.label, cite.acronym, cite.year) == (LAIP, "Decreto 57-2008", "LAIP", 2008)


def test_bill_by_its_registration_number():
    # 4: "…el proyecto de ley con número de registro ante la Dirección Legislativa 5210 para su estudio…"
    [bill] = cites(4)
    assert (bill.key, bill.doc_type, bill.id_local, bill.label) == ("GT/iniciativa/5210", "iniciativa", "5210",
                                                                    "Iniciativa 5210")
    assert bill.text.startswith("proyecto de ley con número de registro") and bill.text.endswith("5210")


def test_the_report_cites_exactly_these_laws(report):
    # read from the report: LAIP (1, 2), bill 5210 (4), Decreto 63-94 (12), the 2017 budget law, the MINFIN
    # internal regulation, Decretos 9-2017, 9-2015, 46-2016 and the law they amend (17), Acuerdo Ministerial
    # 194-2017 (18), Decreto 37-2016 (20); nothing else in any commitment
    expected = {
        1: {LAIP}, 2: {LAIP}, 4: {"GT/iniciativa/5210"}, 12: {"GT/decreto/63-94"},
        17: {"GT/decreto/50-2016", "GT/decreto/9-2017", "GT/reglamento/roi-minfin", "GT/decreto/57-92",
             "GT/decreto/9-2015", "GT/decreto/46-2016"},
        18: {"GT/acuerdo-ministerial/194-2017"}, 20: {"GT/decreto/37-2016"},
    }
    assert {n: {c.key for c in cites(n)} for n in range(1, 23) if cites(n)} == expected
    assert {c.key for c in report} == set().union(*expected.values())
    text = REPORT.read_text(encoding="utf-8")
    assert all(text[c.start : c.end] == c.text for c in report)


@pytest.mark.parametrize("text", [
    "el 29 de noviembre del año 2016", "quienes la recibieron el 1 de diciembre de 2016",
    "mismas que integran el Capítulo III (artículos 17 al 26)", "el número telefónico número 5931-0062",
    "estudios sobre el gasto tributario para los años 2009-2016", "las memorias de labores de los años 2009 al 2016",
    "Decreto 5931-0062", "las iniciativas de inversión para el año 2018",
])
def test_not_legislation(text):
    assert find_citations(text, "GT") == []


def test_budget_chapter_and_years_in_commitments_16_and_20_are_not_decrees():
    assert cites(16) == []  # "proyecto de ley del presupuesto … Capítulo III (artículos 17 al 26)"
    assert [c.key for c in cites(20)] == ["GT/decreto/37-2016"]  # not "2009-2016", "2010-2016"


@pytest.mark.parametrize("text, key, label, year", [
    ("el Decreto número 9-2015", "GT/decreto/9-2015", "Decreto 9-2015", 2015),
    ("mediante el Decreto No. 9-2017", "GT/decreto/9-2017", "Decreto 9-2017", 2017),
    ("DECRETO NÚMERO 57–2008", LAIP, "Decreto 57-2008", 2008),
    ("el Acuerdo Gubernativo 12-2016", "GT/acuerdo-gubernativo/12-2016", "Acuerdo Gubernativo 12-2016", 2016),
    ("el Decreto 1-98", "GT/decreto/1-98", "Decreto 1-98", 1998),
    ("el Decreto 12-05", "GT/decreto/12-05", "Decreto 12-05", 2005),
    ("el Decreto 7-30", "GT/decreto/7-30", "Decreto 7-30", 2030),
    ("el Decreto 7-31", "GT/decreto/7-31", "Decreto 7-31", 1931),
    ("la iniciativa 5210", "GT/iniciativa/5210", "Iniciativa 5210", None),
])
def test_numbered_instruments(text, key, label, year):
    [cite] = find_citations(text, "GT")
    assert (cite.key, cite.label, cite.year) == (key, label, year)


def test_article_before_the_decree_and_plural_articles():
    [cite] = find_citations("según el artículo 36 del Decreto 63-94, las comisiones", "GT")
    assert cite.article == "36"
    [cite] = find_citations("los artículos 17 al 26 del Decreto 63-94", "GT")
    assert cite.article is None
    # the article goes to the citation of its own sentence
    first, second = find_citations("El Decreto 57-92 rige. El artículo 5 del Decreto 9-2015 lo reforma.", "GT")
    assert (first.article, second.article) == (None, "5")


def test_gazetteer_lookups():
    laws = LawGazetteer.default()
    assert laws.resolve_name("ley de acceso a la informacion publica", "GT") == LAIP
    assert laws.resolve_name("LAIP", "GT") == LAIP and laws.resolve_name("LAIP", "EC") is None
    # both reform decrees bear the same title: a name that fits two laws resolves to neither
    assert laws.resolve_name("Reformas a la Ley de Contrataciones del Estado", "GT") is None
    assert laws.get("GT/decreto/46-2016").amends == ("GT/decreto/57-92",)
    assert laws.get("GT/decreto/101-97").name == "Ley Orgánica del Presupuesto"
    assert laws.get("GT/decreto/31-2002").name == "Ley Orgánica de la Contraloría General de Cuentas"
    assert laws.get("GT/decreto/999-2099") is None
    assert laws.citation("GT/decreto/57-92").name == "Ley de Contrataciones del Estado"


def test_bad_input():
    with pytest.raises(ValueError, match="country"):
        find_citations("Decreto 63-94", "gt")
    with pytest.raises(TypeError):
        find_citations(None, "GT")
    with pytest.raises(ValueError, match="law key"):
        LawGazetteer.default().citation("Decreto 63-94")


def test_spacy_component_spans(nlp):
    text = report_row(17)
    doc = nlp(make_doc(nlp, text, "GT"))
    spans = list(doc.spans[LAWS])
    assert [s.kb_id_ for s in spans] == [c.key for c in find_citations(text, "GT")]
    for span in spans:
        cite = entity(span, LAWS)
        assert isinstance(cite, LawCitation) and span.kb_id_ == cite.key and span.label_ == "LAW"
        assert span.start_char <= cite.start < cite.end <= span.end_char  # token-aligned, never narrower
    assert [s.text for s in spans if s.kb_id_ == "GT/decreto/46-2016"] == ["46-2016"]


def test_spacy_component_reads_the_document_country(nlp):
    text = "la Ley Orgánica de Transparencia y Acceso a la Información Pública (LOTAIP) y la LAIP"
    ecuador, guatemala = (nlp(make_doc(nlp, text, country)) for country in ("EC", "GT"))
    assert [s.kb_id_ for s in ecuador.spans[LAWS]] == ["EC/ley/lotaip", "EC/ley/lotaip"]  # LAIP is Guatemalan
    in_guatemala = {s.text: s.kb_id_ for s in guatemala.spans[LAWS]}
    assert in_guatemala["LAIP"] == LAIP and "LOTAIP" not in in_guatemala


def test_ecuador_plan_laws():
    path = SHARED / "corpus" / "foreign" / "ec-2019-2022-plan-accion-es.txt"
    if not path.exists():
        pytest.skip(f"{path} not present")
    text = path.read_text(encoding="utf-8")
    found = find_citations(text, "EC")
    lotaip = [c for c in found if c.key == "EC/ley/lotaip"]
    assert {c.text for c in lotaip} >= {"LOTAIP", "Ley Orgánica de Transparencia y Acceso a la Información Pública"}
    assert all(c.name == "Ley Orgánica de Transparencia y Acceso a la Información Pública" and c.acronym == "LOTAIP"
               for c in lotaip)
    # "el artículo 85 de la Constitución de la República del Ecuador garantiza la participación…"
    assert any(c.key == "EC/constitucion/2008" and c.article == "85" for c in found)
    # the closing "Leyes y normativas" list, entry by entry (after the list heading)
    listed = {c.key for c in find_citations(text[text.index("Leyes y normativas:"):], "EC")}
    assert {"EC/codigo/copfp", "EC/decreto/732", "EC/ley/lotaip", "EC/ley/lopc", "EC/ley/declaraciones-patrimoniales",
            "EC/ley/consulta-popular-2017", "EC/reglamento/lotaip", "EC/reglamento/copfp"} <= listed
    # a law the gazetteer does not list is still one key per name
    mining = [c for c in found if c.text == "Ley de Minería"]
    assert mining and {c.key for c in mining} == {"EC/ley/ley-de-mineria"} and mining[0].id_local is None
    assert not any(re.search(r"\d{4}-\d{4}", c.text) for c in found)
