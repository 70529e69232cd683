"""Extractors on their own: gazetteers, legislation, metrics, institutions (no graph needed)."""
from collections import Counter
from decimal import Decimal

import pytest

from ogp_graph.institutions import InstitutionGazetteer
from ogp_graph.laws import find_citations
from ogp_graph.metrics import find_quantities, parse_money
from ogp_graph.places import PlaceGazetteer
from tests.conftest import report_row


def test_guatemala_has_340_municipalities_in_22_departments():
    places = PlaceGazetteer.default()
    municipalities = [p for p in places.places("GT") if p.kind == "municipality"]
    assert len(municipalities) == 340
    per_department = Counter(places.get(m.parent).name for m in municipalities)
    assert len(per_department) == 22
    assert per_department["San Marcos"] == 30 and per_department["Huehuetenango"] == 33
    assert per_department["Izabal"] == 5 and per_department["Escuintla"] == 14 and per_department["Petén"] == 14
    assert [p.name for p in places.ancestors("GT-M0901")] == ["Quetzaltenango", "Guatemala"]


@pytest.mark.parametrize("text, country, keys", [
    ("el Decreto 63-94 y sus reformas", "GT", ["GT/decreto/63-94"]),
    ("(Decretos Nos. 9-2015 y 46-2016)", "GT", ["GT/decreto/9-2015", "GT/decreto/46-2016"]),
    ("el Decreto número 9-2015", "GT", ["GT/decreto/9-2015"]),
    ("Acuerdo Gubernativo 12-2016", "GT", ["GT/acuerdo-gubernativo/12-2016"]),
    ("la LAIP y la Ley de Acceso a la Información Pública", "GT", ["GT/decreto/57-2008", "GT/decreto/57-2008"]),
    ("la iniciativa 5210", "GT", ["GT/iniciativa/5210"]),
    ("la Ley Orgánica de Transparencia y Acceso a la Información Pública (LOTAIP)", "EC", ["EC/ley/lotaip", "EC/ley/lotaip"]),
    ("Suplemento al Registro Oficial No. 175 (2010)", "EC", ["EC/registro-oficial/175"]),
    ("per Executive Orders 13985 and 14091", "US", ["US/executive-order/13985", "US/executive-order/14091"]),
    ("Public Law 115-435", "US", ["US/act/115-435"]),
])
def test_legislation_citations(text, country, keys):
    assert [c.key for c in find_citations(text, country)] == keys


def test_two_digit_years_and_articles():
    [cite] = find_citations("en el Decreto 63-94, en el último párrafo del artículo 36 indica", "GT")
    assert cite.year == 1994 and cite.article == "36" and cite.label == "Decreto 63-94"


@pytest.mark.parametrize("text", [
    "el 29 de noviembre del año 2016", "Capítulo III (artículos 17 al 26)", "número telefónico 5931-0062",
    "estudios sobre el gasto tributario para los años 2009-2016",
])
def test_not_legislation(text):
    assert find_citations(text, "GT") == []


@pytest.mark.parametrize("written, value", [
    ("139,988.000.00", 139988000), ("95,613,729.00", 95613729), ("1,500", 1500), ("226.1", Decimal("226.1")),
])
def test_money_parsing(written, value):
    assert parse_money(written) == value


def test_money_with_millions_and_decimal_commas():
    assert parse_money("662,5", "millones") == 662500000 and parse_money("226.1", "millones") == 226100000
    with pytest.raises(ValueError):
        parse_money("abc")


@pytest.mark.parametrize("text", ["Decreto 37-2016", "el artículo 36", "5931-0062", "los años 2009-2016",
                                  "Meta 1: publicar", "a la revisión 4 del Clasificador"])
def test_identifiers_are_not_counts(text):
    assert [q for q in find_quantities(text) if q.kind == "count"] == []


def test_counts_words_and_dates_in_the_report():
    found = find_quantities(report_row(4) + report_row(19))
    dates = {q.date.isoformat() for q in found if q.kind == "date"}
    assert {"2016-11-29", "2016-12-01"} <= dates
    assert any(q.kind == "count" and q.value == 2 and q.unit == "eventos" for q in found)  # "dos eventos de compra"


def test_institution_resolution():
    gazetteer = InstitutionGazetteer.default()
    assert gazetteer.resolve("SEENACYT", "GT").key == "SENACYT"
    assert gazetteer.resolve("ministerio de finanzas publicas", "GT").key == "MINFIN"
    assert gazetteer.resolve("Minfin", "GT").name == "Ministerio de Finanzas Públicas"
    assert gazetteer.resolve("SAT", "GT").name == "Superintendencia de Administración Tributaria"
    assert gazetteer.resolve("Ministerio de Cosas Raras", "GT") is None
    split = gazetteer.split_responsible("Ministerio de Comunicaciones, Infraestructura y Vivienda y MINFIN", "GT")
    assert [i.key for i in split] == ["CIV", "MINFIN"]
    [(inst, start, end)] = gazetteer.find_definitions("la Dirección Normativa de Contrataciones y Adquisiciones del Estado (DNCAE) en", "GT")
    assert inst.acronyms == ("DNCAE",) and inst.name.startswith("Dirección Normativa")
