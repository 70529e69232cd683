"""Institution gazetteer and the ``ogp_institutions`` spaCy component, checked against what the
bundled Guatemala report (and, when ../shared is present, the Ecuador plan) says."""
import re
from pathlib import Path

import pytest

from ogp_graph.institutions import KINDS, Institution, InstitutionGazetteer
from ogp_graph.nlp.institutions import add_institution_pipes
from ogp_graph.nlp.pipeline import load_base
from ogp_graph.text import name_key
from ogp_graph.nlp.spans import COUNTRY_KEY, INSTITUTIONS, entity

REPORT = Path(__file__).resolve().parents[1] / "ogp_graph" / "data" / "gt-2016-2018-autoevaluacion-medio-termino.txt"
SHARED = Path(__file__).resolve().parents[2] / "shared"
EC_PLAN = SHARED / "corpus" / "foreign" / "ec-2019-2022-plan-accion-es.txt"
RAW = REPORT.read_text(encoding="utf-8")
TEXT = re.sub(r"<[^>]+>", " ", RAW)  # the report without its HTML tags, same words

GAZETTEER = InstitutionGazetteer.default()


def row(number: int) -> str:
    """Commitment ``number`` of the report (number, title, responsible field, achievements), raw."""
    start = re.search(rf"<b>{number}</b>|^## {number}$", RAW, re.MULTILINE).start()
    nxt = re.search(rf"<b>{number + 1}</b>|^## {number + 1}$", RAW[start:], re.MULTILINE)
    return RAW[start : start + nxt.start()] if nxt else RAW[start:]


def responsible_field(number: int) -> str:
    return re.search(r"Responsables?:[^<\n]+", row(number), re.IGNORECASE).group(0)


@pytest.fixture(scope="module")
def nlp():
    return add_institution_pipes(load_base())


def tag(nlp, text: str, country: str = "GT", *, full: bool = False):
    """``text`` through the entity ruler and ``ogp_institutions`` (the whole pipeline if ``full``)."""
    doc = nlp.make_doc(text)
    doc.user_data[COUNTRY_KEY] = country
    if full:
        return nlp(doc)
    with nlp.select_pipes(enable=["entity_ruler", "ogp_institutions"]):
        return nlp(doc)


@pytest.fixture(scope="module")
def report_doc(nlp):
    return tag(nlp, TEXT)


# --- the gazetteer ---------------------------------------------------------------------------

MINFIN, SEGEPLAN, CGC = "Ministerio de Finanzas Públicas", "Secretaría de Planificación y Programación de la Presidencia", \
    "Contraloría General de Cuentas"
SENACYT, INAP, CONGRESO = "Secretaría Nacional de Ciencia y Tecnología", "Instituto Nacional de Administración Pública", \
    "Congreso de la República de Guatemala"


@pytest.mark.parametrize("number, field, names", [
    (1, "Responsable: INAP", [INAP]),
    (2, "Responsable: MINEDUC/USAC", ["Ministerio de Educación", "Universidad de San Carlos de Guatemala"]),
    (3, "Responsables: Acción Ciudadana y Guatecambia", ["Acción Ciudadana", "Guatecambia"]),
    (5, "Responsable: SENACYT y MINGOB", [SENACYT, "Ministerio de Gobernación"]),
    (6, "Responsable: SEENACYT", [SENACYT]),
    (7, "RESPONSABLE: SENACYT e INAP", [SENACYT, INAP]),
    (10, "Responsable: SIT", ["Superintendencia de Telecomunicaciones"]),
    (11, "Responsable: INFOM y ANAM", ["Instituto de Fomento Municipal", "Asociación Nacional de Municipalidades"]),
    (16, "Responsable: MINFIN, SEGEPLAN, CGC, Congreso de la República.", [MINFIN, SEGEPLAN, CGC, CONGRESO]),
    (17, "Responsable: MINFIN", [MINFIN]),
    (21, "Responsable: MSPAS", ["Ministerio de Salud Pública y Asistencia Social"]),
    (22, "Responsable: MINEDUC", ["Ministerio de Educación"]),
])
def test_responsible_fields_of_the_report(number, field, names):
    assert responsible_field(number) == field  # the report's own words
    found = GAZETTEER.split_responsible(field, "GT")
    assert [i.name for i in found] == names
    assert all(GAZETTEER.get("GT", i.key) == i for i in found)  # all known: none made up from the text


def test_kinds_of_the_responsible_bodies():
    assert {i.kind for i in GAZETTEER.split_responsible(responsible_field(3), "GT")} == {"civil_society"}
    assert [i.kind for i in GAZETTEER.split_responsible(responsible_field(2), "GT")] == ["government", "academic"]


@pytest.mark.parametrize("acronym, name", [
    ("INAP", INAP), ("MINFIN", MINFIN), ("SENACYT", SENACYT), ("SIT", "Superintendencia de Telecomunicaciones"),
    ("SCSPR", "Secretaría de Comunicación Social de la Presidencia de la República"), ("CGC", CGC),
    ("CONRED", "Coordinadora Nacional para la Reducción de Desastres"), ("ANAM", "Asociación Nacional de Municipalidades"),
    ("INFOM", "Instituto de Fomento Municipal"), ("USAC", "Universidad de San Carlos de Guatemala"),
    ("SAT", "Superintendencia de Administración Tributaria"), ("FMI", "Fondo Monetario Internacional"),
])
def test_acronym_to_name_and_back(acronym, name):
    assert GAZETTEER.resolve(acronym, "GT").name == name
    assert acronym in GAZETTEER.resolve(name, "GT").acronyms
    assert GAZETTEER.resolve(name.upper(), "GT").name == name  # titles are in capitals
    assert GAZETTEER.resolve(name_key(name), "GT").name == name  # no accents, lower case


@pytest.mark.parametrize("written", [
    "Ministerio de Salud Pública Y Asistencia Social",  # commitment 21, capital Y
    "Instituto de Administración Pública",  # closing section, "Instituto de Administración Pública INAP"
    "Congreso de la República.", "Minfin", "minfin", "SEENACYT",
])
def test_variants_written_in_the_report(written):
    assert GAZETTEER.resolve(written, "GT") is not None


def test_typos_only_when_close_and_unambiguous():
    assert GAZETTEER.resolve("SEENACYT", "GT").key == "SENACYT"  # letter added (commitment 6)
    assert GAZETTEER.resolve("SEGEPALN", "GT").key == "SEGEPLAN"  # neighbours swapped
    assert GAZETTEER.resolve("MINFN", "GT").key == "MINFIN"  # letter dropped
    assert GAZETTEER.resolve("INAB", "GT") is None  # Instituto Nacional de Bosques, not INAP
    assert GAZETTEER.resolve("OCDS", "EC") is None  # Open Contracting Data Standard, not OCDE
    assert GAZETTEER.resolve("SINARDAP", "EC") is None  # a system, not DINARDAP
    assert GAZETTEER.resolve("Ministerio de Cosas Raras", "GT") is None


def test_never_splits_inside_a_known_name_and_keeps_unknown_pieces():
    field = "Responsables: Ministerio de Comunicaciones, Infraestructura y Vivienda y MINFIN; la Fundación Inventada"
    civ, minfin, new = GAZETTEER.split_responsible(field, "GT")
    assert civ.name == "Ministerio de Comunicaciones, Infraestructura y Vivienda" and civ.acronyms == ("CIV",)
    assert minfin.key == "MINFIN"
    assert new == Institution("FUNDACION-INVENTADA", "GT", "Fundación Inventada", kind="civil_society")
    assert [i.key for i in GAZETTEER.split_responsible("SEGEPLAN, SESAN, INAP, MINECO, MINEX, MINGOB, MINDEF, "
                                                        "SENACYT, CONRED Y ORGANISMO JUDICIAL", "GT")] == [
        "SEGEPLAN", "SESAN", "INAP", "MINECO", "MINEX", "MINGOB", "MINDEF", "SENACYT", "CONRED", "OJ"]


def test_acronym_definitions_in_the_report():
    learner = InstitutionGazetteer([])  # knows nothing: everything is learnt from the text
    found = [(n, inst.key, inst.name, row(n)[start:end])
             for n in range(1, 23) for inst, start, end in learner.find_definitions(row(n), "GT")]
    assert found == [
        (6, "MIIT", "Mesa interinstitucional de innovación tecnológica",
         "mesa interinstitucional de innovación tecnológica (MIIT)"),
        (17, "FMI", "Fondo Monetario Internacional", "FONDO MONETARIO INTERNACIONAL (FMI)"),
        (17, "DNCAE", "Dirección Normativa de Contrataciones y Adquisiciones del Estado",
         "Dirección Normativa de Contrataciones y Adquisiciones del Estado (DNCAE)"),
        (22, "OPF", "Organización de Padres de Familia", "Organización de Padres de Familia -OPF"),
        (22, "AGA", "Alianza para el Gobierno Abierto", "Alianza para el Gobierno Abierto AGA"),
        (22, "OCDE", "Organización para la Cooperación y el Desarrollo Económico",
         "Organización para la Cooperación y el Desarrollo Económico OCDE"),
    ]  # and neither "Programa Académico de Desarrollo Profesional Docente - PADEP/D" nor "(SIRE)", a system
    closing = row(22)[row(22).index("Guatemala a raíz") :]
    assert [i.key for i, _, _ in GAZETTEER.find_definitions(closing, "GT")] == ["OGP", "OCDE"]  # known ones


def test_definitions_taking_several_letters_of_a_word():
    learner = InstitutionGazetteer([])
    text = "Fundación de Ayuda por Internet (FUNDAPI) y el Servicio Nacional de Aduana del Ecuador (SENAE)."
    assert [(i.key, i.name, i.kind) for i, _, _ in learner.find_definitions(text, "EC")] == [
        ("FUNDAPI", "Fundación de Ayuda por Internet", "civil_society"),
        ("SENAE", "Servicio Nacional de Aduana del Ecuador", "government")]
    assert learner.find_definitions("los Objetivos de Desarrollo Sostenible (ODS) y el CAPÍTULO III", "EC") == []


def test_patterns_are_case_sensitive_for_acronyms_and_short_names():
    patterns = GAZETTEER.patterns("GT")
    sat = [p["pattern"] for p in patterns if p["id"] == "GT/SAT" and not isinstance(p["pattern"], str)]
    assert sat == [[{"ORTH": "SAT"}]]
    minfin = [p["pattern"] for p in patterns if p["id"] == "GT/MINFIN"]
    assert {"Ministerio de Finanzas Públicas", "Ministerio de Finanzas Publicas"} <= {p for p in minfin if isinstance(p, str)}
    assert [{"ORTH": "Minfin"}] in minfin and [{"ORTH": "MINFIN"}] in minfin
    assert not any(p["id"].startswith(("EC/", "US/")) for p in patterns)
    with pytest.raises(ValueError):
        GAZETTEER.patterns()


def test_bad_input():
    with pytest.raises(ValueError):
        GAZETTEER.resolve("MINFIN", country="Guatemala")
    with pytest.raises(TypeError):
        GAZETTEER.resolve(None, "GT")
    with pytest.raises(KeyError):
        GAZETTEER.get("GT", "NOPE")


def test_gazetteer_data_is_consistent():
    labels: dict[tuple[str, str], str] = {}
    for inst in GAZETTEER.institutions:
        assert re.fullmatch(r"[A-Z0-9-]+", inst.key) and inst.kind in KINDS
        for label in inst.labels:  # one label, one institution per country
            assert labels.setdefault((inst.country, name_key(label)), inst.key) == inst.key


# --- the spaCy component ----------------------------------------------------------------------

def _keys(doc) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for span in doc.spans[INSTITUTIONS]:
        found.setdefault(span.text, set()).add(span.kb_id_)
    return found


def test_commitment_1_names_nine_institutions(nlp):
    doc = tag(nlp, re.sub(r"<[^>]+>", " ", row(1)), full=True)
    keys = _keys(doc)
    for acronym in ("SEGEPLAN", "SESAN", "INAP", "MINECO", "MINEX", "MINGOB", "MINDEF", "SENACYT", "MSPAS"):
        assert keys[acronym] == {acronym}
    assert all(isinstance(entity(s, INSTITUTIONS), Institution) and entity(s, INSTITUTIONS).key == s.kb_id_ for s in doc.spans[INSTITUTIONS])


def test_one_key_however_minfin_is_written(nlp, report_doc):
    keys = _keys(report_doc)
    assert keys["MINFIN"] == keys["Ministerio de Finanzas Públicas"] == {"MINFIN"}
    assert _keys(tag(nlp, "El Minfin y el ministerio de finanzas publicas publicaron datos.")) == {
        "Minfin": {"MINFIN"}, "ministerio de finanzas publicas": {"MINFIN"}}


def test_misspelt_and_defined_acronyms_in_the_report(report_doc):
    keys = _keys(report_doc)
    assert keys["SEENACYT"] == {"SENACYT"}
    assert GAZETTEER.resolve("DNCAE", "GT") is None  # not in the gazetteer: learnt from "… del Estado (DNCAE)"
    [dncae] = [s for s in report_doc.spans[INSTITUTIONS] if s.kb_id_ == "DNCAE"]
    assert entity(dncae, INSTITUTIONS).name == "Dirección Normativa de Contrataciones y Adquisiciones del Estado"
    assert dncae.text.endswith("(DNCAE)")


def test_a_learnt_acronym_is_found_again(nlp):
    doc = tag(nlp, "Se creó la Unidad de Logística Estatal (ULE). La ULE publicó su informe.")
    assert [(s.text, s.kb_id_) for s in doc.spans[INSTITUTIONS]] == [
        ("Unidad de Logística Estatal (ULE)", "ULE"), ("ULE", "ULE")]


def test_sat_is_the_tax_office_only_in_capitals(nlp, report_doc):
    sat = [s for s in report_doc.spans[INSTITUTIONS] if s.kb_id_ == "SAT"]
    assert len(sat) == len(re.findall(r"\bSAT\b", TEXT)) == 4  # commitments 16 (1) and 20 (3)
    assert {s.text for s in sat} == {"SAT"}
    at = TEXT.index("satisfactoriamente")  # commitment 17
    assert not [s for s in report_doc.spans[INSTITUTIONS] if s.start_char <= at < s.end_char]
    assert list(tag(nlp, "Un resultado satisfactorio: la Sat y el sat.").spans[INSTITUTIONS]) == []


def test_every_mention_is_an_institution_of_guatemala_or_international(report_doc):
    countries = {entity(s, INSTITUTIONS).country for s in report_doc.spans[INSTITUTIONS]}
    assert countries == {"GT", "INT"}
    keys = {s.kb_id_ for s in report_doc.spans[INSTITUTIONS]}
    assert {"ACCION-CIUDADANA", "GUATECAMBIA", "RED-CIUDADANA", "FUNDAZUCAR", "FMI", "OCDE", "USAID", "OCP", "OGP",
            "COUNTERPART", "CONADUR", "BANGUAT", "RENAP", "OJ", "CIV"} <= keys


# --- Ecuador ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ec_text() -> str:
    if not EC_PLAN.exists():
        pytest.skip(f"{EC_PLAN} not present")
    return EC_PLAN.read_text(encoding="utf-8")


EC_LEADS = {  # shared/corpus/README.md
    1: ["Ministerio de Telecomunicaciones y de la Sociedad de la Información"],
    2: ["Secretaría Técnica de Planificación “Planifica Ecuador”"],
    3: ["Servicio Nacional de Contratación Pública"],
    4: ["Ministerio del Ambiente y Agua"],
    5: ["Ministerio de Energía y Recursos Naturales No Renovables"],
    6: ["Defensoría del Pueblo"],
    7: ["Secretaría de Derechos Humanos"],
    8: ["Presidencia de la República del Ecuador"],
    9: ["Presidencia de la República del Ecuador", "Ministerio de Telecomunicaciones y de la Sociedad de la Información"],
    10: ["Ministerio del Trabajo"],
}


def test_ecuador_lead_institutions_resolve(ec_text):
    fields = re.findall(r"responsable de la\nimplementación\n\n(.+?)\nDescripción del compromiso", ec_text, re.DOTALL)
    assert len(fields) == 10
    for number, field in enumerate(fields, 1):
        found = [GAZETTEER.resolve(line, "EC") for line in field.splitlines()]
        assert [i.name for i in found] == EC_LEADS[number]
        assert all(i.country == "EC" and i.kind == "government" for i in found)


def test_ecuador_names_across_line_breaks_and_footnotes(nlp, ec_text):
    doc = tag(nlp, ec_text, "EC")
    keys = _keys(doc)
    assert keys["Consejo de Participación Ciudadana y\nControl Social"] == {"CPCCS"}
    assert keys["Fundación Esquel16"] == {"ESQUEL"}
    assert keys["MINTEL"] == {"MINTEL"} and keys["STPE"] == keys["Planifica Ecuador"] == {"PLANIFICA"}
    assert "OCDS" not in keys and "SINARDAP" not in keys  # not typos of OCDE, DINARDAP
    assert {entity(s, INSTITUTIONS).country for s in doc.spans[INSTITUTIONS]} == {"EC", "INT"}
