"""The general commitment finder on small invented plans, one per layout kind (tests/fixtures)."""
from pathlib import Path

import pytest

from ogp_graph.readers import Block, Document, load_document
from ogp_graph.metadata import describe
from ogp_graph.segment import find, sections
from ogp_graph.segment.counts import stated_count

FIXTURES = Path(__file__).parent / "fixtures"


def _find(name: str):
    doc = load_document(FIXTURES / name)
    return doc, find(doc)


def test_compromiso_nro_openers_with_wrapped_titles_and_fields():
    doc, found = _find("plan-compromiso-nro.txt")
    assert found.layout == "numbered-openers" and found.stated == 3 and found.reasons == ()
    assert [c.title for c in found.commitments] == [
        "DATOS ABIERTOS DE CALIDAD PARA LA GESTIÓN DEL AGUA EN LOS MUNICIPIOS RURALES",
        "PRESUPUESTOS PARTICIPATIVOS EN LOS CONCEJOS MUNICIPALES",
        "TRANSPARENCIA EN LA CONTRATACIÓN DE OBRAS VIALES",  # "N - title" like "N: title"
    ]
    first, second, third = found.commitments
    # the value goes on over the next line; persons responsible are not institutions
    assert first.responsible == ("Ministerio de Vivienda, Ciudad y Territorio - MVCT y Departamento Nacional de "
                                 "Planeación - DNP",)
    assert second.responsible == ("Ministerio del Interior",)  # value on the line after the label
    s, e = second.responsible_span
    assert doc.text[s:e].strip() == "Ministerio del Interior"
    assert [c.theme for c in found.commitments] == ["DESAFÍO OGP: MEJORAR LOS SERVICIOS PÚBLICOS"] * 2 + [
        "DESAFÍO OGP: AUMENTAR LA INTEGRIDAD PÚBLICA"]
    assert "AUMENTAR LA INTEGRIDAD" not in second.body(doc)  # the next theme heading is no body text
    assert "Hito 2: Tablero" in first.body(doc)  # milestones stay in their commitment, never counted
    assert "ABREVIATURAS" not in third.body(doc) and "MVCT Ministerio" not in third.body(doc)


def test_numbering_restarting_per_theme_with_a_table_of_contents():
    doc, found = _find("report-theme-restart-toc.txt")
    assert len(found.commitments) == 4 and found.stated == 4  # "the four commitments"
    assert [c.number for c in found.commitments] == [1, 2, 3, 4]
    labels = [c.label for c in found.commitments]
    assert labels[0].endswith("-1") and labels[2].endswith("-1") and labels[0] != labels[2]
    assert len(set(labels)) == 4
    # the wrapped body title is completed from the table of contents; the TOC itself is skipped
    assert found.commitments[0].title == "Open Data for Safer Roads and Transport Networks in Rural Counties"
    assert all(c.start > doc.text.index("Introduction\nThis report") for c in found.commitments)
    assert found.commitments[0].responsible == (
        "Department of Transportation (DOT), National Highway Traffic Safety Administration (NHTSA)",)
    assert found.commitments[2].theme == "Open Government to Increase Public Integrity"


def test_parenthesised_numbers_with_subtitle_and_wrapped_title():
    _, found = _find("plan-paren-list.txt")
    assert [c.title for c in found.commitments] == [
        "Open Science: Publish the Research Data of Federal Laboratories",
        "Make Budget Data Understandable",
        "Expand Public Participation in Developing Future National Action Plans and Their Monitoring",
    ]
    assert all(c.responsible == () for c in found.commitments)  # bodies are named in the prose only


def test_portuguese_compromisso_with_the_value_under_its_label():
    doc, found = _find("plan-compromisso.md")
    assert [(c.label, c.title, c.responsible) for c in found.commitments] == [
        ("1", "Transparência nas compras públicas municipais", ("Secretaria Municipal de Gestão",)),
        ("2", "Conselhos participativos nas subprefeituras", ("Secretaria Municipal de Relações Sociais",)),
    ]
    assert describe(doc).language == "pt"


def test_a_page_without_commitments_gives_sections_and_a_reason():
    doc, found = _find("page-without-commitments.html")
    assert found.commitments == () and found.layout is None
    assert found.reasons == ("no commitment openers found (no numbered commitments, commitment sheets or data records)",)
    parts = sections(doc)
    assert [s.heading for s in parts][:3] == ["Indicador de avance del plan de acción 2017-2019", "Logros a destacar",
                                              "Metodología"]
    assert "Decreto 672 de 2017" in doc.text[parts[0].start : parts[0].end]
    assert parts[-1].end <= len(doc.text) and all(s.start < s.end for s in parts)


def test_prose_with_a_short_numbered_list_is_not_a_plan(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Plan 2020-2022\n\nThe three goals:\n1. Open data\n2. Open budgets\n3. Open contracts\n\n"
                    "Everything else is prose about the plan and its consultation.\n", encoding="utf-8")
    assert find(load_document(path)).commitments == ()


@pytest.mark.parametrize("text, count", [
    ("Este II Plan se concreta en 19 compromisos. Los 19 compromisos …", 19),
    ("The second NAP includes 26 open government commitments; five FOIA commitments", 26),
    ("Os cinco compromissos estabelecidos foram integralmente cumpridos", 5),
    ("twenty-four out of the twenty-six commitments", 26),
    ("Les 10 engagements du plan", 10),
    ("4. Compromisos\nLa implementación de los compromisos", None),
    ("Un informe sin compromisos numerados.", None),
])
def test_stated_counts(text, count):
    assert stated_count(text) == count


def test_a_stated_count_that_disagrees_is_reported(tmp_path):
    path = tmp_path / "plan.txt"
    body = "Texto del compromiso con su descripción, sus metas y sus entidades, suficientemente largo. " * 2
    path.write_text(f"Plan de acción 2020-2022 con los 3 compromisos acordados.\n\nCompromiso 1: Datos abiertos\n{body}\n\n"
                    f"Compromiso 2: Presupuesto abierto\n{body}\n", encoding="utf-8")
    found = find(load_document(path))
    assert len(found.commitments) == 2 and found.stated == 3
    assert "found 2 commitments, the text states 3" in found.reasons


def test_data_records_are_rebuilt_from_their_roles():
    """Blocks of a structured-data reader (role and ref set from column names) → commitments."""
    rows = [("C01", "commitment", "Commitment C01"), ("C01", "title", "Open science"), ("C01", "responsible", "TBS"),
            ("C01", "milestone", "Publish data"), ("C01", "responsible", "TBS"), ("C02", "title", "Healthy democracy"),
            ("C02", "responsible", "PCO"), ("C02", "responsible", "pco")]
    text, blocks = "", []
    for ref, role, value in rows:
        blocks.append(Block(len(text), len(text) + len(value), role=role, ref=ref))
        text += value + "\n"
    doc = Document("x.yaml", text, tuple(blocks), "application/yaml", "0" * 64)
    found = find(doc)
    assert found.layout == "records"
    assert [(c.label, c.title, c.responsible) for c in found.commitments] == [
        ("C01", "Open science", ("TBS",)), ("C02", "Healthy democracy", ("PCO",))]
    assert "Publish data" in found.commitments[0].body(doc)


def test_commitments_quoted_once_per_section(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(
        "# AGA en los territorios 2017-2019\n\n## AGA en Caldas\n\nLa mesa se reunió en Manizales. El compromiso "
        "acordado por la mesa es \"Publicar los contratos de obra del departamento en datos abiertos\".\n\n"
        "## AGA en Huila\n\nEn Neiva, el compromiso consolidado es “Rendición de cuentas de las alcaldías a la "
        "ciudadanía cada semestre”.\n", encoding="utf-8")
    found = find(load_document(path))
    assert found.layout == "quoted-statements"
    assert [(c.title, c.theme) for c in found.commitments] == [
        ("Publicar los contratos de obra del departamento en datos abiertos", "AGA en Caldas"),
        ("Rendición de cuentas de las alcaldías a la ciudadanía cada semestre", "AGA en Huila"),
    ]


def test_titles_only_in_the_table_of_contents(tmp_path):
    body = "Progress made on this commitment during the year, with its milestones and the agencies involved. " * 2
    path = tmp_path / "report.txt"
    path.write_text("Contents\n1. Open Contracting Data ........ 2\n2. Budget Transparency Portal ........ 3\n\n"
                    f"Commitment 1\n\n{body}\n\nCommitment 2\n\n{body}\n", encoding="utf-8")
    doc = load_document(path)
    found = find(doc)
    assert [c.title for c in found.commitments] == ["Open Contracting Data", "Budget Transparency Portal"]
    s, e = found.commitments[1].title_spans[0]
    assert doc.text[s:e] == "Budget Transparency Portal"


@pytest.mark.parametrize(("text", "period", "plan_title"), [
    # a cover's date names the plan's year, not the earlier year the introduction recalls
    ("December 5, 2013\n\nTHE OPEN GOVERNMENT PARTNERSHIP\nSECOND OPEN GOVERNMENT NATIONAL ACTION PLAN FOR THE "
     "UNITED STATES OF AMERICA\n\nIn September 2011, the United States joined eight other countries.",
     (2013, None), "SECOND OPEN GOVERNMENT NATIONAL ACTION PLAN"),
    # a period in words, not the year of a decree the page cites
    ("title: '2º Plano de Ação em Governo Aberto'\nplano_administracao: 'DECRETO Nº 54.794, DE 28 DE JANEIRO DE 2014'\n"
     "De 2018 a 2020, os cidadãos de São Paulo participaram ativamente do plano.",
     (2018, 2020), "2º Plano de Ação"),
    ("II PLAN DE ACCIÓN 2015 -2017\n\nEn 2011 Colombia se unió a la Alianza.", (2015, 2017), "II PLAN DE ACCIÓN 2015 -2017"),
])
def test_a_plan_is_dated_and_titled_by_its_cover(text, period, plan_title):
    info = describe(Document(source="cover.txt", text=text, blocks=(), media_type="text/plain", sha256="0" * 64))
    assert info.period == period
    assert info.plan_title == plan_title
