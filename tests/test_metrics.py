"""Quantities in the bundled Guatemala report: money, counts, percentages, numbers in words, dates,
and the ``ogp_metrics`` spaCy component."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ogp_graph.metrics import Quantity, find_quantities, parse_money
from ogp_graph.nlp.spans import METRICS, entity
from tests.conftest import REPORT, report_row

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _by(found: list[Quantity], kind: str) -> dict[Decimal, Quantity]:
    return {q.value: q for q in found if q.kind == kind}


@pytest.fixture(scope="module")
def report() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp():
    from ogp_graph.nlp import metrics as _metrics  # noqa: F401  (registers the factory)
    from ogp_graph.nlp.pipeline import load_base

    pipeline = load_base()
    pipeline.add_pipe("ogp_metrics")
    return pipeline


def test_the_money_of_commitments_21_and_22_in_quetzales():
    money21 = _by(find_quantities(report_row(21)), "money")
    assert set(money21) == {139988000, 95613729}  # "Q. 139,988.000.00", "Q. 95,613,729.00"
    money22 = _by(find_quantities(report_row(22)), "money")
    assert set(money22) == {226100000, 200600000, 157700000, 53200000, 662500000, 110500000, 19300000}
    assert {q.unit for q in [*money21.values(), *money22.values()]} == {"GTQ"}
    assert money22[Decimal(662500000)].text == "Q. 662,5 millones"


def test_money_is_described_by_its_purpose():
    money = _by(find_quantities(report_row(21) + report_row(22)), "money")
    assert "Asignación Presupuestaria" in money[Decimal(139988000)].description
    assert "Funcionamiento" in money[Decimal(139988000)].description
    assert "Dotación de Mobiliario" in money[Decimal(95613729)].description
    assert "primer desembolso" in money[Decimal(226100000)].description
    assert "tercer desembolso" in money[Decimal(157700000)].description
    assert "Alimentación escolar" in money[Decimal(662500000)].description
    assert "Útiles escolares" in money[Decimal(110500000)].description
    assert "establecimientos sin OPF" in money[Decimal(53200000)].description


@pytest.mark.parametrize("written, value", [
    ("Q. 139,988.000.00", 139988000), ("Q. 95,613,729.00", 95613729), ("Q.226.1 millones", 226100000),
    ("Q. 662,5 millones", 662500000), ("Q.53.2 millones", 53200000), ("Q 1,500", 1500),
    ("US$ 2 millones", 2000000), ("1.234,56", Decimal("1234.56")),
])
def test_parse_money(written, value):
    assert parse_money(written) == value


@pytest.mark.parametrize("bad", ["", "abc", "Q.", "12 personas", None])
def test_parse_money_rejects_what_is_not_an_amount(bad):
    with pytest.raises(ValueError):
        parse_money(bad)


def test_currency_other_than_quetzales():
    [q] = find_quantities("Se recibieron US$ 2 millones para becas.")
    assert (q.kind, q.value, q.unit) == ("money", 2000000, "USD") and "becas" in q.description


@pytest.mark.parametrize("row, value, noun", [
    (1, 48, "personas"), (1, 912, "personas"), (2, 6157, "docentes"), (2, 10180, "docentes"),
    (14, 210, "municipalidades"), (14, 340, "municipalidades"), (21, 4439, "personas"), (21, 154, "municipios"),
    (10, 1014, "escuelas"), (22, 2337365, "alumnos"), (21, 9000, "comunidades"), (22, 82000, "alumnos"),
    (19, 2, "eventos"),  # "dos eventos de compra", a number in words
])
def test_counts_in_the_report(row, value, noun):
    q = _by(find_quantities(report_row(row)), "count")[Decimal(value)]
    assert q.unit == noun and noun in q.description


def test_count_descriptions_and_qualifiers():
    counts = _by(find_quantities(report_row(21) + report_row(22)), "count")
    assert counts[Decimal(9000)].qualifier == "más de" and counts[Decimal(9000)].text == "más de 9,000 comunidades"
    assert counts[Decimal(82000)].text == "más de 82 mil alumnos"
    assert counts[Decimal(26978)].description == "centros educativos"
    assert counts[Decimal(494)].description == "Puestos de Salud"
    assert _by(find_quantities(report_row(19)), "count")[Decimal(2)].description == "eventos de compra"


def test_coordinated_counts_and_an_aside_after_the_number_count_the_same_noun():
    text = ("Acopiados 229.000 (primer año), y 240.000 (segundo año) documentos de archivo. "
            "Asistencia técnica a 25 y 50 entidades territoriales. En 2016 y 48 personas.")
    counts = {(q.value, q.unit, q.text) for q in find_quantities(text, country="CO") if q.kind == "count"}
    assert counts == {(229000, "documentos", "229.000 (primer año)"), (240000, "documentos", "240.000 (segundo año) documentos"),
                      (25, "entidades", "25"), (50, "entidades", "50 entidades"), (48, "personas", "48 personas")}


def test_percentages_in_the_report():
    assert set(_by(find_quantities(report_row(14)), "percent")) == {62, 40}
    assert set(_by(find_quantities(report_row(19)), "percent")) == {Decimal("4.0")}
    [q] = [q for q in find_quantities(report_row(22)) if q.kind == "percent"]
    assert q.value == 99 and q.unit == "%" and "total de establecimientos" in q.description
    assert "ahorro" in _by(find_quantities(report_row(19)), "percent")[Decimal(4)].description


def test_dates_in_the_report():
    dates = {q.text: q.date for q in find_quantities(report_row(4)) if q.kind == "date"}
    assert dates == {"29 de noviembre del año 2016": dt.date(2016, 11, 29),
                     "1 de diciembre de 2016": dt.date(2016, 12, 1)}
    assert dt.date(2017, 5, 1) in {q.date for q in find_quantities(report_row(1))}  # "mayo-agosto 2017"
    assert dt.date(2016, 10, 1) in {q.date for q in find_quantities(report_row(20))}  # "octubre del 2016"
    assert dt.date(2017, 8, 31) in {q.date for q in find_quantities(report_row(22))}


def test_impossible_and_bare_year_dates_are_not_dates():
    assert find_quantities("el 31 de febrero de 2017") == []
    assert [q for q in find_quantities(report_row(20)) if q.kind == "date" and q.date.year == 2009] == []


@pytest.mark.parametrize("phrase", [
    "Decreto 37-2016", "artículo 36", "5931-0062", "2009-2016", "Meta 1", "revisión 4", "Decreto No. 9-2017",
    "grupos de gasto 4 y 5", "Acuerdo Ministerial No. 194-2017", "Página 2 de 5 No se", "meta número 1",
    "artículos 17 al 26", "Dirección Legislativa 5210", "programa 94 publicado", "comp_4/comp_4.asp",
])
def test_identifiers_are_not_quantities(report, phrase):
    start = report.index(phrase)
    end = start + len(phrase)
    assert [q for q in find_quantities(report) if q.start < end and start < q.end] == []


def test_bad_input():
    with pytest.raises(ValueError):
        find_quantities(None)


def test_component_spans(nlp):
    doc = nlp(report_row(22))
    spans = doc.spans["ogp_metrics"]
    money = {entity(s, METRICS).value for s in spans if s.kb_id_ == "money"}
    assert {226100000, 662500000, 19300000} <= money
    for span in spans:
        q = entity(span, METRICS)
        assert span.kb_id_ == q.kind and span.start_char <= q.start < q.end <= span.end_char
        assert doc.text[q.start : q.end] == q.text


def test_component_reads_the_counted_noun_from_the_tags(nlp):
    doc = nlp(report_row(17) + report_row(1))
    counts = {entity(s, METRICS).value: entity(s, METRICS) for s in doc.spans["ogp_metrics"] if s.kb_id_ == "count"}
    assert counts[Decimal(2)].unit == "reformas"  # "las dos recientes reformas"
    assert counts[Decimal(912)].description == "personas de las siguientes instituciones"


def test_other_countries():
    folder = SHARED / "corpus" / "foreign"
    if not folder.exists():
        pytest.skip(f"{folder} not present")
    us = find_quantities((folder / "us-nap5-2022.md").read_text(encoding="utf-8"))
    assert {(q.value, q.unit) for q in us if q.kind == "money"} == {(102000000, "USD"), (100000000, "USD")}
    ec = find_quantities((folder / "ec-2019-2022-plan-accion-es.txt").read_text(encoding="utf-8"))
    assert Decimal(10716) in _by(ec, "count")  # "10.716 personas": a dot for thousands
