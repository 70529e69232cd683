"""Loading and cleaning reports; segmenting them into commitments."""
import re

import pytest

from ogp_graph.readers import load_document
from ogp_graph.errors import DocumentError
from ogp_graph.segment import find, segment
from tests.conftest import REPORT, report_row, shared_file


@pytest.fixture(scope="module")
def gt():
    doc = load_document(REPORT)
    return doc, segment(doc)


def _strip_tags(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_cleaning_removes_markup_and_page_footers(gt):
    doc, _ = gt
    assert "<p" not in doc.text and "<b>" not in doc.text and "**" not in doc.text
    assert "Página 2 de 5" not in doc.text and "Página 3 de 5" not in doc.text
    assert "desarrollado por No se actualizó la SENACYT" in doc.text


def test_bundled_report_has_22_numbered_commitments(gt):
    _, commitments = gt
    assert [c.number for c in commitments] == list(range(1, 23))


@pytest.mark.parametrize("number", [1, 2, 4, 6, 10, 12, 14, 16, 17, 18, 20])
def test_titles_are_exact(gt, number):
    """Titles equal the first paragraph after the number in the raw table row."""
    doc, commitments = gt
    row = report_row(number)
    paragraphs = [_strip_tags(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", row, re.DOTALL)]
    assert commitments[number - 1].title == paragraphs[0]


def test_titles_continued_across_page_breaks(gt):
    doc, commitments = gt
    assert commitments[12].title == "DIVULGAR LA TEMÁTICA DE GOBIERNO ABIERTO COMO MECANISMO DE PARTICIPACIÓN CIUDADANA."
    assert commitments[18].title == "ACCIONES PARA AVANZAR HACIA UN RÉGIMEN DE CONTRATACIONES ABIERTAS"
    assert commitments[20].title == "AVANCES EN LA IMPLEMENTACIÓN DEL MODELO DE PRIMER NIVEL DE ATENCIÓN DE SALUD."
    assert commitments[21].title == "ACCIONES QUE CONTRIBUYEN A MEJORAR LA CALIDAD DEL PROCESO EDUCATIVO."


def test_bodies_join_page_break_fragments(gt):
    doc, commitments = gt
    body13 = commitments[12].body(doc)
    assert body13.startswith("En la meta número 1") and "contempla la implementación de dicha estrategia" in body13
    body19 = commitments[18].body(doc)
    assert "la compra de papel" in body19 and "ahorro del 4.0%" in body19
    body16 = commitments[15].body(doc)
    assert "Capítulo III (artículos 17 al 26)" in body16 and "estatus de “completo”" in body16
    # the plan-level closing section is not part of commitment 22
    assert "Punto de Contacto" not in commitments[21].body(doc)


def test_responsible_fields(gt):
    _, commitments = gt
    assert commitments[0].responsible == ("INAP",)
    assert commitments[2].responsible == ("Acción Ciudadana y Guatecambia",)
    assert commitments[15].responsible[0].startswith("MINFIN, SEGEPLAN, CGC, Congreso de la República")
    assert commitments[20].responsible == ("MSPAS",)


def test_spans_point_into_the_cleaned_text(gt):
    doc, commitments = gt
    for c in commitments:
        (ts, te) = c.title_spans[0]
        assert c.title.startswith(doc.text[ts:te])
        s, e = c.responsible_span
        assert doc.text[s:e] == c.responsible[0]
        assert c.start < c.end


@pytest.mark.parametrize("name", ["ec-2019-2022-plan-accion-es.txt", "ec-2019-2022-plan-accion-es.pdf"])
def test_ecuador_plan_segments(name):
    doc = load_document(shared_file("corpus", "foreign", name))
    commitments = segment(doc)
    assert len(commitments) == 10
    assert commitments[0].title == "Elaboración colaborativa de la política de datos abiertos y la guía para su implementación"
    assert commitments[2].title == "Plataforma de Información Abierta de Contratación Pública"
    assert commitments[2].responsible == ("Servicio Nacional de Contratación Pública",)
    assert commitments[8].responsible == (
        "Presidencia de la República del Ecuador",
        "Ministerio de Telecomunicaciones y de la Sociedad de la Información",
    )
    assert commitments[9].responsible == ("Ministerio del Trabajo",)
    assert all(c.title and c.body_spans for c in commitments)


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage\x80\x81", "not UTF-8"),
    ],
)
def test_bad_documents_give_one_line_reasons(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason) as info:
        segment(load_document(path))
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_a_document_without_commitments_is_no_error(tmp_path):
    path = tmp_path / "none.txt"
    path.write_text("Un informe sin compromisos numerados.\n\nSolo texto corrido sobre 2020.\n", encoding="utf-8")
    found = find(load_document(path))
    assert found.commitments == () and found.layout is None
    assert any("no commitment openers found" in r for r in found.reasons)


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        load_document(tmp_path / "nope.txt")
    (tmp_path / "x.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)))
    with pytest.raises(DocumentError, match="unsupported file type"):
        load_document(tmp_path / "x.doc")
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(DocumentError, match="not a DOCX file"):
        load_document(tmp_path / "x.docx")


def test_scanned_pdf_without_text(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(path)
    with pytest.raises(DocumentError, match="no extractable text"):
        load_document(path)


def test_html_document(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(
        "<html><body><table><tr><td><p><b>1</b></p><p><b>PORTAL DE DATOS ABIERTOS</b></p>"
        "<p>Responsable: SENACYT</p></td><td><p>Se publicó el portal.</p></td></tr>"
        "<tr><td><p><b>2</b></p><p><b>PRESUPUESTO ABIERTO</b></p><p>Responsable: MINFIN</p></td>"
        "<td><p>Se realizaron 16 talleres.</p></td></tr></table></body></html>",
        encoding="utf-8",
    )
    doc = load_document(path)
    commitments = segment(doc)
    assert [(c.number, c.title, c.responsible) for c in commitments] == [
        (1, "PORTAL DE DATOS ABIERTOS", ("SENACYT",)),
        (2, "PRESUPUESTO ABIERTO", ("MINFIN",)),
    ]
    assert commitments[1].body(doc) == "Se realizaron 16 talleres."
