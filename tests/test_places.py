"""Place gazetteer (pycountry + Guatemala's 340 municipalities) and the ``ogp_places`` component,
checked against what the bundled Guatemala report says."""
import time
from collections import Counter
from pathlib import Path

import pytest
import spacy

from ogp_graph.nlp.pipeline import build_nlp, make_doc
from ogp_graph.nlp.spans import PLACES, entity
from ogp_graph.places import PlaceGazetteer
from tests.conftest import REPORT

# Official number of municipalities per department (INE, 2016-2018: with Sipacate, Petatán,
# San José La Máquina, La Blanca, San Jorge, Las Cruces, El Chal, Raxruhá).
MUNICIPALITIES_PER_DEPARTMENT = {
    "Guatemala": 17, "El Progreso": 8, "Sacatepéquez": 16, "Chimaltenango": 16, "Escuintla": 14,
    "Santa Rosa": 14, "Sololá": 19, "Totonicapán": 8, "Quetzaltenango": 24, "Suchitepéquez": 21,
    "Retalhuleu": 9, "San Marcos": 30, "Huehuetenango": 33, "Quiché": 21, "Baja Verapaz": 8,
    "Alta Verapaz": 17, "Petén": 14, "Izabal": 5, "Zacapa": 11, "Chiquimula": 11, "Jalapa": 7, "Jutiapa": 17,
}


@pytest.fixture(scope="module")
def gazetteer() -> PlaceGazetteer:
    return PlaceGazetteer.default()


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _between(start: str, end: str) -> str:
    raw = REPORT.read_text(encoding="utf-8")
    i = raw.index(start)
    return raw[i : raw.index(end, i)]


def _places(nlp, text: str, country: str = "GT") -> list:
    doc = nlp(make_doc(nlp, text, country))
    return [entity(s, PLACES).place for s in doc.spans[PLACES]]


def _with_parents(gazetteer, places, kind: str) -> set[tuple[str, str]]:
    return {(p.name, gazetteer.get(p.parent).name) for p in places if p.kind == kind}


# --- gazetteer ---------------------------------------------------------------------------------

def test_340_municipalities_with_the_official_count_per_department(gazetteer):
    municipalities = [p for p in gazetteer.places("GT") if p.kind == "municipality"]
    assert len(municipalities) == sum(MUNICIPALITIES_PER_DEPARTMENT.values()) == 340
    assert Counter(gazetteer.get(m.parent).name for m in municipalities) == MUNICIPALITIES_PER_DEPARTMENT
    assert len({m.ine_code for m in municipalities}) == 340


def test_ine_codes_start_with_the_department_number(gazetteer):
    for m in gazetteer.places("GT"):
        if m.kind == "municipality":
            assert len(m.ine_code) == 4 and m.ine_code.isdigit() and m.key == f"GT-M{m.ine_code}"
            assert m.ine_code[:2] == m.parent.removeprefix("GT-"), m
    assert gazetteer.get("GT-M0101").name == "Guatemala"
    assert gazetteer.get("GT-M0901").name == "Quetzaltenango"
    assert gazetteer.get("GT-M0701").name == "Sololá"


@pytest.mark.parametrize("name, department", [
    ("Las Cruces", "Petén"), ("El Chal", "Petén"), ("Raxruhá", "Alta Verapaz"), ("Sipacate", "Escuintla"),
    ("Petatán", "Huehuetenango"), ("San José La Máquina", "Suchitepéquez"), ("La Blanca", "San Marcos"),
    ("San Jorge", "Zacapa"), ("Unión Cantinil", "Huehuetenango"),
])
def test_newer_municipalities(gazetteer, name, department):
    [m] = [p for p in gazetteer.candidates(name, "GT") if p.kind == "municipality"]
    assert gazetteer.get(m.parent).name == department


def test_departments_are_pycountry_subdivisions(gazetteer):
    departments = {p.key: p.name for p in gazetteer.places("GT") if p.kind == "department"}
    assert len(departments) == 22
    assert departments["GT-07"] == "Sololá" and departments["GT-09"] == "Quetzaltenango"
    assert departments["GT-14"] == "Quiché" and departments["GT-19"] == "Zacapa"
    assert departments["GT-04"] == "Chimaltenango"


def test_containment_municipality_department_country(gazetteer):
    for p in gazetteer.places("GT"):
        chain = [a.kind for a in gazetteer.ancestors(p.key)]
        expected = {"municipality": ["department", "country"], "department": ["country"], "country": []}[p.kind]
        assert chain == expected, p
        assert all(a.country == "GT" for a in gazetteer.ancestors(p.key))
    assert [p.name for p in gazetteer.ancestors("GT-M0718")] == ["Sololá", "Guatemala"]
    assert [p.key for p in gazetteer.ancestors("EC-P")] == ["EC"]
    assert gazetteer.get("US-CA").kind == "subdivision" and gazetteer.get("US-CA").parent == "US"
    assert not [p for p in gazetteer.places("EC") if p.kind == "municipality"]


def test_lookup_ignores_case_and_accents(gazetteer):
    assert {p.key for p in gazetteer.candidates("SOLOLA", "GT")} == {"GT-07", "GT-M0701"}
    assert [p.key for p in gazetteer.candidates("el quiche", "GT")] == ["GT-14"]
    assert [p.name for p in gazetteer.candidates("Pachalún", "GT")] == ["Pachalum"]
    assert gazetteer.candidates("Santa Cruz del Quiché", "GT")[0].key == "GT-M1401"
    assert len(gazetteer.candidates("San José", "GT")) == 2  # Escuintla and Petén
    assert gazetteer.candidates("Sololá", "EC") == []


def test_bad_keys_and_countries(gazetteer):
    with pytest.raises(KeyError, match="GT-M9999"):
        gazetteer.get("GT-M9999")
    with pytest.raises(ValueError, match="unknown country"):
        gazetteer.candidates("Quito", "XX")
    with pytest.raises(ValueError, match="unknown country"):
        gazetteer.patterns("gt")


def test_patterns_feed_an_entity_ruler(gazetteer):
    patterns = gazetteer.patterns("GT")
    solola = {p["pattern"] for p in patterns if p["id"] == "solola"}
    assert {"Sololá", "Solola"} <= solola and {p["label"] for p in patterns} == {"PLACE"}
    assert not [p for p in patterns if p["pattern"] == "Ecuador"]
    blank = spacy.blank("es")
    blank.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"}).add_patterns(patterns)
    doc = blank("Talleres en SOLOLA, en Sololá y en San Pedro la laguna.")
    assert [(e.text, e.ent_id_) for e in doc.ents] == [
        ("SOLOLA", "solola"), ("Sololá", "solola"), ("San Pedro la laguna", "san pedro la laguna")]


# --- extraction on the bundled report ----------------------------------------------------------

def test_commitment_10_municipalities_with_their_departments(nlp, gazetteer):
    places = _places(nlp, _between("<b>10</b>", "<b>11</b>"))
    assert _with_parents(gazetteer, places, "municipality") == {
        ("Patzún", "Chimaltenango"), ("San Pedro La Laguna", "Sololá"), ("Gualán", "Zacapa"),
        ("Pachalum", "Quiché")}
    assert {p.name for p in places if p.kind == "department"} == {"Sololá", "Zacapa", "Quiché", "Chimaltenango"}


def test_commitment_11_municipalities_after_municipalidades_de(nlp, gazetteer):
    places = _places(nlp, _between("<b>11</b>", "<b>12</b>"))
    assert {p.kind for p in places} == {"municipality"}
    assert _with_parents(gazetteer, places, "municipality") == {
        ("San Lucas Sacatepéquez", "Sacatepéquez"), ("Villa Nueva", "Guatemala"),
        ("Santa Cruz Naranjo", "Santa Rosa"), ("Jalapa", "Jalapa"), ("Cobán", "Alta Verapaz"), ("Quetzaltenango", "Quetzaltenango"),
        ("Totonicapán", "Totonicapán")}


def test_commitment_21_departments(nlp):
    places = _places(nlp, _between("<b>21</b>", "## 22"))
    assert {p.kind for p in places} == {"department"} and {p.parent for p in places} == {"GT"}
    assert {p.name for p in places} == {
        "Alta Verapaz", "Chiquimula", "San Marcos", "Huehuetenango", "Totonicapán", "Sololá", "Quetzaltenango",
        "Baja Verapaz", "Quiché", "Zacapa", "Petén", "Retalhuleu", "Suchitepéquez", "Santa Rosa", "Sacatepéquez",
        "Jalapa", "Jutiapa", "Izabal"}


def test_commitment_2_departments(nlp):
    places = _places(nlp, _between("<b>2</b>", "<b>3</b>"))
    assert [(p.name, p.kind) for p in places] == [
        ("Santa Rosa", "department"), ("Escuintla", "department"), ("Suchitepéquez", "department"),
        ("Retalhuleu", "department")]


# --- disambiguation rules -----------------------------------------------------------------------

@pytest.mark.parametrize("text, keys", [
    ("las flores del progreso y la reforma de concepción", []),
    ("Guatemala firmó el convenio", ["GT"]),
    ("en la ciudad de Guatemala", ["GT-M0101"]),
    ("en el departamento de Guatemala", ["GT-01"]),
    ("talleres en Quetzaltenango", ["GT-09"]),
    ("talleres en Santa Rosa de Lima", ["GT-M0603"]),
    ("talleres en Mixco", ["GT-M0108"]),
    ("talleres en San José", []),  # Escuintla or Petén: skipped, not guessed
    ("en San José (Petén) y San José (Escuintla)", ["GT-M1702", "GT-17", "GT-M0509", "GT-05"]),
    ("Petén, San José; Escuintla, Palín", ["GT-17", "GT-M1702", "GT-05", "GT-M0511"]),
    ("talleres en San José, Escuintla", ["GT-M0509", "GT-05"]),
    ("en los municipios de San Pedro Sacatepéquez (San Marcos) y Mixco", ["GT-M1202", "GT-12", "GT-M0108"]),
    ("en San Pedro Sacatepéquez", []),
    ("El Presidente Jimmy Morales visitó Flores.", ["GT-M1701"]),
    ("La Unión Europea apoyó a Guatemala Visible", []),
    ("la provincia de Pichincha", []),  # a GT document sees only Guatemalan places
])
def test_context_rules(nlp, text, keys):
    assert [p.key for p in _places(nlp, text)] == keys


def test_ecuador_sentence_finds_provinces(nlp):
    text = "Talleres en la provincia de Pichincha, en Guayas y en Sololá; Universidad Andina Simón Bolívar."
    places = _places(nlp, text, "EC")
    assert [(p.key, p.kind, p.parent) for p in places] == [("EC-P", "subdivision", "EC"), ("EC-G", "subdivision", "EC")]


def test_ecuador_plan_mentions_its_provinces(nlp):
    path = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "foreign" / "ec-2019-2022-plan-accion-es.txt"
    if not path.exists():
        pytest.skip(f"{path} not present")
    tagger = nlp.get_pipe("ogp_places")
    doc = tagger(make_doc(nlp, path.read_text(encoding="utf-8"), "EC"))
    keys = {s.kb_id_ for s in doc.spans[PLACES]}
    # "Pichincha ... seguida por Guayas con 60 (20,20%). Manabí, Azuay, Loja, Tungurahua"
    assert {"EC", "EC-P", "EC-G", "EC-M", "EC-A", "EC-L", "EC-T"} <= keys
    assert all(k == "EC" or k.startswith("EC-") for k in keys)


def test_places_add_little_to_the_pipeline(nlp):
    texts = [line for line in REPORT.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = time.perf_counter()
    docs = list(nlp.pipe(make_doc(nlp, t, "GT") for t in texts))
    pipeline = time.perf_counter() - start
    tagger = nlp.get_pipe("ogp_places")
    start = time.perf_counter()
    for doc in docs:
        tagger(doc)
    assert time.perf_counter() - start < 0.05 * pipeline
