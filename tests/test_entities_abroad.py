"""Institutions, laws and places of countries without a gazetteer, on sentences quoted from real
OGP documents (Colombia, the United States, Canada, Brazil, Argentina) and on hostile input. The
tests that read whole documents skip when ../shared is absent."""
import re
from decimal import Decimal

import pytest

from conftest import shared_file
from ogp_graph.institutions import InstitutionGazetteer, find_acronyms
from ogp_graph.laws import find_citations
from ogp_graph.metrics import find_quantities
from ogp_graph.org_names import find_org_names
from ogp_graph.org_resolver import InstitutionResolver
from ogp_graph.places import PlaceGazetteer

GAZETTEER = InstitutionGazetteer.default()


def _pairs(text: str) -> dict[str, str]:
    return {d.acronym: d.name for d in find_acronyms(text)}


# --- organisation names by shape -------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    ("Ministerio de las Tecnologías de Información\ny Comunicaciones", ["Ministerio de las Tecnologías de Información y Comunicaciones"]),
    ("el Departamento para la Prosperidad\nSocial y la Procuraduría General de la Nación",
     ["Departamento para la Prosperidad Social", "Procuraduría General de la Nación"]),
    ("the Office of Special Counsel and the National Archives and Records Administration",
     ["Office of Special Counsel", "National Archives and Records Administration"]),
    ("A Prefeitura de São Paulo e a Controladoria Geral do Município",
     ["Prefeitura de São Paulo", "Controladoria Geral do Município"]),
    ("Secretaría de Infraestructura de Santiago de Cali", ["Secretaría de Infraestructura de Santiago de Cali"]),
])
def test_names_by_shape(text, names):
    assert [re.sub(r"\s+", " ", n.text) for n in find_org_names(text)] == names


def test_shape_leaves_out_headings_single_words_and_acronym_lists():
    assert find_org_names("MINISTERIO DE SALUD Y PROTECCIÓN SOCIAL") == []  # a heading in capitals
    assert find_org_names("El Ministerio publicó su informe.") == []
    listed = "Agencia Nacional para la Superación de la Pobreza\nBID: Banco Interamericano de Desarrollo"
    assert [n.text for n in find_org_names(listed)] == ["Agencia Nacional para la Superación de la Pobreza",
                                                        "Banco Interamericano de Desarrollo"]
    assert [n.text for n in find_org_names("Agency Priority Goals were met by the Department of Energy")] == [
        "Department of Energy"]  # an English head word opens a name only before "of/for/on…"


# --- acronym definitions ---------------------------------------------------------------------

def test_definitions_in_every_form():
    # Colombia, II Plan de Acción 2015-2017: responsible fields and the abbreviation list
    assert _pairs("ENTIDADES RESPONSABLES: Secretaría de Transparencia - ST, Departamento para la Prosperidad\n"
                  "Social - DPS, Departamento Nacional de Planeación – DNP, y Ministerio de las Tecnologías de "
                  "Información\ny Comunicaciones - Mintic.") == {
        "ST": "Secretaría de Transparencia", "DPS": "Departamento para la Prosperidad Social",
        "DNP": "Departamento Nacional de Planeación",
        "Mintic": "Ministerio de las Tecnologías de Información y Comunicaciones"}
    assert _pairs("ENTIDAD RESPONSABLE: Ministerio de Educación Nacional-MEN.") == {"MEN": "Ministerio de Educación Nacional"}
    assert _pairs("el Registro Nacional de Educación -RENE- para el sector") == {"RENE": "Registro Nacional de Educación"}
    # US NAP2 self-assessment
    assert _pairs("the National Archives and Records Administration (NARA) and the Department of Defense (DoD)") == {
        "NARA": "National Archives and Records Administration", "DoD": "Department of Defense"}
    assert _pairs("el Ministerio de Hacienda y el Ministerio de Cultura (MH/MC) firmaron") == {
        "MH": "Ministerio de Hacienda", "MC": "Ministerio de Cultura"}


def test_abbreviation_list_with_lines_and_in_two_columns():
    lines = ("LISTADO DE ABREVIATURAS\n\nAGN: Archivo General de la Nación\nCSdJ: Consejo Superior de la Judicatura\n"
             "EITI: Iniciativa de Transparencia en las Industrias Extractivas (siglas en inglés)\n"
             "Minambiente: Ministerio de Ambiente y Desarrollo Sostenible\n")
    assert _pairs(lines) == {"AGN": "Archivo General de la Nación", "CSdJ": "Consejo Superior de la Judicatura",
                             "EITI": "Iniciativa de Transparencia en las Industrias Extractivas",
                             "Minambiente": "Ministerio de Ambiente y Desarrollo Sostenible"}
    columns = "Acronyms\nTBS\nNRCan\nStatCan\nTreasury Board of Canada Secretariat\nNatural Resources Canada\nStatistics Canada\n"
    assert _pairs(columns) == {"TBS": "Treasury Board of Canada Secretariat", "NRCan": "Natural Resources Canada",
                               "StatCan": "Statistics Canada"}


def test_no_definitions_in_ordinary_text():
    assert _pairs("Nota: la Secretaría publicó los datos (ver anexo) - Revisión 2.") == {}
    assert _pairs("") == {}


def test_an_english_name_whose_head_follows_a_modifier_is_an_organisation():
    resolver = InstitutionResolver.for_text(
        "The President tasked the National Council for the American Worker (NCAW). The U.S. Intelligence "
        "Community (IC) must be accountable. The National Action Plan (NAP) and the Open Data Portal (ODP) are not bodies.",
        "US")
    assert resolver.is_organisation("NCAW") and resolver.is_organisation("IC")
    assert not resolver.is_organisation("NAP") and not resolver.is_organisation("ODP")


def test_a_short_form_in_parentheses_stands_for_the_whole_name_before_it():
    resolver = InstitutionResolver.for_text(
        "Primarily through the National Science and Technology Council (Council), the White House acts.", "US")
    assert resolver.resolve("Council").name == "National Science and Technology Council"
    # a word in parentheses repeating one word is not a definition of that word
    assert not InstitutionResolver.for_text("The plan names a Council (Council) of its own.", "US").defined
    assert not InstitutionResolver.for_text("The Public Council (Coun) meets.", "US").defined  # a word cut short
    # the name stops at punctuation and between two names
    two = InstitutionResolver.for_text("In 2019, the Department of State and the National Security Council (Council) met.", "US")
    assert two.resolve("Council").name == "National Security Council"


# --- one node per organisation, however written --------------------------------------------

def test_one_key_however_written():
    resolver = InstitutionResolver.for_text(
        "the Department of Justice (DOJ) and the Office of Government Information Services (OGIS)", "US")
    doj = resolver.institution("the Department of Justice")
    assert resolver.institution("DOJ") is doj and resolver.institution("department of justice") is doj
    co = InstitutionResolver.for_text("ST: Secretaría de Transparencia (Presidencia de la República)", "CO")
    st = co.institution("Secretaría de Transparencia - ST")
    assert (st.key, st.name, st.country) == ("ST", "Secretaría de Transparencia", "CO")
    assert co.institution("ST") is st and co.institution("SECRETARÍA DE TRANSPARENCIA") is st
    assert co.institution("Secretaria de Transparenca") is st  # accents dropped and a letter missing
    assert co.institution("Secretaría de Cultura") is not st


@pytest.mark.parametrize("field, expected", [
    ("Departamento Nacional de Planeación - DNP y Ministerio de Justicia y del\nDerecho.",
     [("DNP", "Departamento Nacional de Planeación"), ("MINISTERIO-DE-JUSTICIA-Y-DEL-DERECHO", "Ministerio de Justicia y del Derecho")]),
    ("Colombia Compra Eficiente - CCE.", [("CCE", "Colombia Compra Eficiente")]),
    ("Ministerio de Hacienda y Ministerio de Cultura (MH/MC)", [("MH", "Ministerio de Hacienda"), ("MC", "Ministerio de Cultura")]),
    ("Secretaría de Hacienda -- Secretaría de Cultura", [("SECRETARIA-DE-HACIENDA", "Secretaría de Hacienda"),
                                                         ("SECRETARIA-DE-CULTURA", "Secretaría de Cultura")]),
    ("Lead implementing agency: Office of Special Counsel", [("OFFICE-OF-SPECIAL-COUNSEL", "Office of Special Counsel")]),
    ("Responsables:\n- Fundación Corona\n- Red de Veedurías", [("FUNDACION-CORONA", "Fundación Corona"),
                                                               ("RED-DE-VEEDURIAS", "Red de Veedurías")]),
    ("Departamento Nacional de Planeación -DNP (con el apoyo de la\nConsejería Presidencial para la Equidad de Género)",
     [("DNP", "Departamento Nacional de Planeación"),
      ("CONSEJERIA-PRESIDENCIAL-PARA-LA-EQUIDAD-DE-GENERO", "Consejería Presidencial para la Equidad de Género")]),
])
def test_split_responsible_without_gazetteer(field, expected):
    assert [(i.key, i.name) for i in GAZETTEER.split_responsible(field, "CO")] == expected


def test_split_responsible_uses_the_document_definitions():
    resolver = InstitutionResolver.for_text("INVIMA: Instituto Nacional de Vigilancia de Medicamentos y Alimentos", "CO")
    found = GAZETTEER.split_responsible("Ministerio de Salud y Seguridad Social e Invima.", "CO", definitions=resolver)
    assert [(i.key, i.name) for i in found] == [
        ("MINISTERIO-DE-SALUD-Y-SEGURIDAD-SOCIAL", "Ministerio de Salud y Seguridad Social"),
        ("INVIMA", "Instituto Nacional de Vigilancia de Medicamentos y Alimentos")]
    assert [i.kind for i in GAZETTEER.split_responsible("Fundación Corona y Universidad del Valle", "CO")] == [
        "civil_society", "academic"]


@pytest.mark.parametrize("hostile", ["", "   ", ";;, y /", "-" * 5000, "Ministerio de " * 2000, "\u200b\u00ad\ufeff",
                                     "Ｍｉｎｉｓｔｅｒｉｏ ｄｅ Ｓａｌｕｄ", "🏛️ (ACR) - : ACR:"])
def test_hostile_input(hostile):
    resolver = InstitutionResolver.for_text(hostile, "CO")
    for inst in resolver.split(hostile):
        assert inst.key and inst.name
    find_org_names(hostile)
    find_citations(hostile, "CO")
    with pytest.raises(ValueError):
        InstitutionResolver("Colombia")


# --- laws ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, country, key, label, year", [
    ("la implementación de la Ley 1712 de 2014, a través de", "CO", "CO/ley/1712", "Ley 1712", 2014),
    ("(Ley 1712/2014)", "CO", "CO/ley/1712", "Ley 1712", 2014),
    ("en la Ley 1712 y el Conpes", "CO", "CO/ley/1712", "Ley 1712", None),
    ("las funciones del decreto 672 de 2017", "CO", "CO/decreto/672-2017", "Decreto 672-2017", 2017),
    ("Anticorrupción (Conpes 167 de 2013)", "CO", "CO/conpes/167", "CONPES 167", 2013),
    ("Género (Conpes 161/13), se ajustarán", "CO", "CO/conpes/161", "CONPES 161", 2013),
    ("la Resolución 132/2018 del ministerio", "CO", "CO/resolucion/132-2018", "Resolución 132-2018", 2018),
    ("Proyecto de Ley Estatutaria Nro. 134 de 2011 de la Cámara", "CO", "CO/iniciativa/134-2011", "Proyecto de Ley 134-2011", 2011),
    ("la Ley N° 26.657 de Salud Mental", "AR", "AR/ley/26657", "Ley 26657", None),
    ("la Ley 27642 de etiquetado", "AR", "AR/ley/27642", "Ley 27642", None),
    ("a Lei nº 12.527/2011 (Lei de Acesso à Informação)", "BR", "BR/ley/12527", "Lei 12527", 2011),
    ("DECRETO Nº 54.794, DE 28 DE JANEIRO DE 2014", "BR", "BR/decreto/54794", "Decreto 54794", 2014),
    ("Executive Order 13642, Making Open and Machine Readable", "US", "US/executive-order/13642", "Executive Order 13642", None),
    ("Public Law 115-435", "US", "US/act/115-435", "Public Law 115-435", None),
])
def test_numbered_laws_across_countries(text, country, key, label, year):
    [cite] = find_citations(text, country)
    assert (cite.key, cite.label, cite.year) == (key, label, year)


def test_one_key_per_law_however_its_number_is_written():
    keys = {c.key for c in find_citations("Ley 26.657, Ley 26657 y Ley N° 26.657", "AR")}
    assert keys == {"AR/ley/26657"}
    keys = {c.key for c in find_citations("Lei nº 12.527/2011 e Lei Federal nº 12.527", "BR")}
    assert keys == {"BR/ley/12527"}
    guatemala = find_citations("el Decreto 37-2016 y los Decretos Nos. 9-2015 y 46-2016", "GT")
    assert [c.key for c in guatemala] == ["GT/decreto/37-2016", "GT/decreto/9-2015", "GT/decreto/46-2016"]


def test_named_acts_and_their_acronyms():
    text = ("Implement the Foreign Intelligence Surveillance Act (FISA) reforms. Under FISA, the court… "
            "the Whistleblower Protection Enhancement Act of 2012 and the Freedom of Information Act (FOIA).")
    cites = find_citations(text, "US")
    assert [(c.text, c.key) for c in cites] == [
        ("Foreign Intelligence Surveillance Act (FISA)", "US/act/foreign-intelligence-surveillance-act"),
        ("FISA", "US/act/foreign-intelligence-surveillance-act"),
        ("Whistleblower Protection Enhancement Act of 2012", "US/act/whistleblower-protection-enhancement-act"),
        ("Freedom of Information Act", "US/act/foia"), ("FOIA", "US/act/foia")]  # a gazetteer name
    assert cites[2].year == 2012
    assert [c.key for c in find_citations("open data guidelines and the Access to Information Act", "CA")] == [
        "CA/act/access-to-information-act"]
    assert find_citations("This Act shall apply. The Act was passed.", "US") == []


# --- places ----------------------------------------------------------------------------------

def test_subdivisions_of_other_countries():
    places = PlaceGazetteer.default()
    assert [p.key for p in places.candidates("Nariño", "CO")] == ["CO-NAR"]
    assert places.get("CO-NAR").kind == "department" and places.get("CO-NAR").parent == "CO"
    assert [p.key for p in places.candidates("Bogotá, D.C.", "CO")] == ["CO-DC"]
    assert places.get("BR-SP").kind == "subdivision" and places.get("CA-ON").parent == "CA"
    # "Secretaría de Infraestructura de Santiago de Cali" (Colombia, V Plan results page)
    [cali] = places.candidates("Santiago de Cali", "CO")
    assert cali.kind == "municipality" and [p.name for p in places.ancestors(cali.key)] == ["Valle del Cauca", "Colombia"]


# --- whole documents -------------------------------------------------------------------------

def test_colombia_plan_abbreviations_and_responsible_bodies():
    from ogp_graph.readers import load_document

    text = load_document(shared_file("corpus", "real", "co-2015-2017-plan-accion.pdf")).text
    resolver = InstitutionResolver.for_text(text, "CO")
    assert len(resolver.defined) >= 55
    assert resolver.defined["MINTIC"][1] == "Ministerio de las Tecnologías de Información y Comunicaciones"
    fields = re.findall(r"ENTIDAD(?:ES)? RESPONSABLES?:(.*?)(?=\n?PERSONAS? RESPONSABLES?)", text, re.DOTALL)
    assert len(fields) == 19
    first = [i.name for i in GAZETTEER.split_responsible(fields[0], "CO", definitions=resolver)]
    assert first == ["Secretaría de Transparencia", "Departamento para la Prosperidad Social",
                     "Departamento Nacional de Planeación", "Ministerio de las Tecnologías de Información y Comunicaciones"]
    keys = [i.key for f in fields for i in GAZETTEER.split_responsible(f, "CO", definitions=resolver)]
    assert keys.count("DNP") == 7 and keys.count("MINTIC") == 3  # "Mintic", "… y Comunicaciones - Mintic"
    laws = {c.label for c in find_citations(text, "CO")}
    assert {"Ley 1712", "Decreto 103-2015", "CONPES 167", "CONPES 161", "Proyecto de Ley 134-2011"} <= laws


# --- metrics ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, country, value, unit", [
    ("con un presupuesto de $ 1.200 millones", "CO", Decimal("1200000000"), "COP"),
    ("1.200 millones de pesos", "CO", Decimal("1200000000"), "COP"),
    ("US$ 2 millones del BID", "CO", Decimal("2000000"), "USD"),
    ("R$ 3,5 milhões", "BR", Decimal("3500000"), "BRL"),
    ("$4.5 million in grants", "US", Decimal("4500000"), "USD"),
    ("una donación de $ 200", "GT", Decimal("200"), "USD"),  # the quetzal is written "Q"
])
def test_money_in_the_currency_of_the_country(text, country, value, unit):
    [money] = [q for q in find_quantities(text, country=country) if q.kind == "money"]
    assert (money.value, money.unit) == (value, unit)


def test_canadian_acronyms_from_the_gazetteer():
    # NAP4 tracker: "Improve the quality of open data available on open.canada.ca (NRCan / StatCan / TBS)"
    found = GAZETTEER.split_responsible("NRCan / StatCan / TBS", "CA")
    assert [i.name for i in found] == ["Natural Resources Canada", "Statistics Canada", "Treasury Board of Canada Secretariat"]
    assert GAZETTEER.resolve("SCT", "CA").key == "TBS"  # the French acronym


# --- the spaCy component with the document's resolver ------------------------------------------

@pytest.fixture(scope="module")
def nlp():
    from ogp_graph.nlp.pipeline import build_nlp

    return build_nlp()


def test_a_commitment_uses_the_acronyms_its_document_defines(nlp):
    from ogp_graph.nlp.pipeline import make_doc
    from ogp_graph.nlp.spans import INSTITUTIONS, entity

    document = ("1. Datos abiertos\nENTIDAD RESPONSABLE: Ministerio de Educación Nacional-MEN.\n"
                "El MEN y la Secretaría de Transparencia publicarán los datos.\n\n"
                "LISTADO DE ABREVIATURAS\nMEN: Ministerio de Educación Nacional\nST: Secretaría de Transparencia\n")
    commitment = document[document.index("El MEN") : document.index("\n\n")]
    resolver = InstitutionResolver.for_text(document, "CO")
    with nlp.select_pipes(enable=["entity_ruler", "ogp_institutions"]):
        doc = nlp(make_doc(nlp, commitment, "CO", institutions=resolver))
    assert [(s.text, s.kb_id_) for s in doc.spans[INSTITUTIONS]] == [("MEN", "MEN"), ("Secretaría de Transparencia", "ST")]
    [field] = GAZETTEER.split_responsible("Ministerio de Educación Nacional-MEN.", "CO", definitions=resolver)
    assert field is entity(doc.spans[INSTITUTIONS][0], INSTITUTIONS)  # the responsible field and the text: one institution
