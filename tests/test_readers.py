"""One reader per format behind ``load_document``: layout, structured records, OCR, hostile input."""
from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from ogp_graph.errors import DocumentError
from ogp_graph.readers import load_document, toc_entry
from ogp_graph.readers.structured import field_role
from tests.conftest import REPORT, shared_file

FONTS = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), Path("/usr/share/fonts/TTF/DejaVuSans.ttf")]


def _fold(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _by_role(doc, role: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for b in doc.blocks:
        if b.role == role:
            found.setdefault(b.ref, []).append(doc.block_text(b))
    return found


# -- a tiny text PDF writer (standard fonts, WinAnsi), so layout tests need no PDF library ---------

def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(path: Path, pages: list[list[tuple[float, float, float, bool, str]]]) -> Path:
    """Write a PDF whose pages hold ``(x, y_from_top, size, bold, text)`` lines."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages (filled in below)
    fonts = []
    for name in ("Helvetica", "Helvetica-Bold"):
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /" + name.encode() + b" /Encoding /WinAnsiEncoding >>")
        fonts.append(len(objects))
    kids = []
    for lines in pages:
        ops = b"".join(b"BT /F%d %g Tf %g %g Td %s Tj ET\n" % (2 if bold else 1, size, x, 842 - y, _pdf_string(t))
                       for x, y, size, bold, t in lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"endstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>" % (content, *fonts))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _plan_pages(n: int) -> list[list[tuple[float, float, float, bool, str]]]:
    pages = []
    for k in range(1, n + 1):
        pages.append([
            (72, 40, 8, False, "Plan de Acción Nacional de Gobierno Abierto 2024-2026"),  # running header
            (72, 52, 8, False, "Ministerio de Gobierno"),  # second header line
            (72, 120, 14, True, f"Compromiso {k}: Portal de datos abiertos número {k}"),
            (72, 140, 11, False, "Responsable: Secretaría de Transparencia"),
            (72, 154, 11, False, "El compromiso busca publicar información en formatos abier-"),
            (72, 168, 11, False, "tos y reutilizables."),
            (72, 200, 11, False, "Institución responsable"),
            (300, 200, 11, False, "Ministerio de Finanzas Públicas"),
            (72, 214, 11, False, "Fecha de inicio"),
            (300, 214, 11, False, "enero de 2024"),
            (72, 240, 11, False, "Compromisos ....................................... 12"),
            (290, 810, 9, False, f"Página {k} de {n}"),
            (500, 822, 9, False, str(k)),
        ])
    return pages


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    return text_pdf(tmp_path_factory.mktemp("pdf") / "plan.pdf", _plan_pages(4))


def test_pdf_lines_bold_size_and_no_page_furniture(plan_pdf):
    doc = load_document(plan_pdf)
    texts = [doc.block_text(b) for b in doc.blocks]
    assert doc.media_type == "application/pdf"
    assert "Plan de Acción Nacional de Gobierno Abierto 2024-2026" not in doc.text
    assert "Ministerio de Gobierno" not in doc.text  # a two-line running header
    assert "Página" not in doc.text and not any(t.strip().isdigit() for t in texts)
    titles = [b for b in doc.blocks if re.match(r"Compromiso \d", doc.block_text(b))]
    assert len(titles) == 4 and all(b.bold and b.size == pytest.approx(14, abs=0.6) for b in titles)
    body = next(b for b in doc.blocks if doc.block_text(b).startswith("Responsable"))
    assert not body.bold and body.size == pytest.approx(11, abs=0.6) and body.page == 1
    assert [b.page for b in titles] == [1, 2, 3, 4]


def test_pdf_form_table_cells_in_reading_order(plan_pdf):
    doc = load_document(plan_pdf)
    cells = [(b.row, b.cell, doc.block_text(b)) for b in doc.blocks if b.page == 1 and b.cell is not None]
    assert [c[2] for c in cells[:4]] == ["Institución responsable", "Ministerio de Finanzas Públicas",
                                          "Fecha de inicio", "enero de 2024"]
    assert cells[0][0] == cells[1][0] != cells[2][0] and [c[1] for c in cells[:2]] == [0, 1]
    # a dotted-leader table-of-contents line keeps its text and is recognised
    assert "Compromisos ....................................... 12" in doc.text
    assert [toc_entry(doc.block_text(b)) for b in doc.blocks if toc_entry(doc.block_text(b))][:1] == [("Compromisos", 12)]


def test_pdf_page_limit_and_damage(tmp_path, plan_pdf):
    with pytest.raises(DocumentError, match="more than the limit of 2"):
        load_document(plan_pdf, max_pages=2)
    absurd = tmp_path / "absurd.pdf"
    absurd.write_bytes(plan_pdf.read_bytes().replace(b"/Count 4", b"/Count 999999"))
    with pytest.raises(DocumentError, match="999999 pages, more than the limit"):
        load_document(absurd)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    with pytest.raises(DocumentError, match="unreadable PDF") as info:
        load_document(bad)
    assert "\n" not in str(info.value)


def test_encrypted_pdf_is_one_line(tmp_path, plan_pdf):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(plan_pdf))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError, match="encrypted") as info:
        load_document(path)
    assert "\n" not in str(info.value)


def test_ecuador_pdf_furniture_hyphens_and_text():
    pdf = load_document(shared_file("corpus", "foreign", "ec-2019-2022-plan-accion-es.pdf"))
    txt = shared_file("corpus", "foreign", "ec-2019-2022-plan-accion-es.txt").read_text(encoding="utf-8")
    assert "PRIMER PLAN DE ACCIÓN DE GOBIERNO ABIERTO ECUADOR 2019 - 2022 (VERSIÓN REPROGRAMADA)" not in pdf.text
    assert "nuevo paradigma de gobernanza" in pdf.text  # "nue-|vo" joined
    words, ref = Counter(_fold(pdf.text).split()), Counter(_fold(txt).split())
    assert sum((words & ref).values()) / sum(ref.values()) > 0.95
    bold = [pdf.block_text(b) for b in pdf.blocks if b.bold]
    assert "Fecha de inicio y término del compromiso: febrero 2020 - abril 2022" in bold


def test_us_pdf_loads_fast():
    import time

    path = shared_file("corpus", "real", "us-2011-2013-nap1-end-of-term-self-assessment.pdf")
    start = time.process_time()
    doc = load_document(path)
    assert time.process_time() - start < 8  # 42 pages: ~1.5 s of CPU
    assert max(b.page for b in doc.blocks) == 42 and sum(b.bold for b in doc.blocks) > 20


# -- OCR -----------------------------------------------------------------------------------------

def _scan(path: Path, *, max_chars: int | None = None) -> Path:
    """Render the bundled report's cleaned text (bold blocks in bold) as an image-only PDF."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = next((f for f in FONTS if f.exists()), None)
    if font_file is None:
        pytest.skip("no DejaVuSans TTF font to render a scan with")
    doc = load_document(REPORT)
    dpi = 200
    width, height, margin = int(8.27 * dpi), int(11.69 * dpi), int(0.8 * dpi)
    regular = ImageFont.truetype(str(font_file), 24)
    bold = ImageFont.truetype(str(font_file.with_name("DejaVuSans-Bold.ttf")), 24)
    pages: list = []
    y = height

    def draw_line(text: str, font) -> None:
        nonlocal y
        if y + 34 > height - margin:
            pages.append(Image.new("L", (width, height), 255))
            y = margin
        ImageDraw.Draw(pages[-1]).text((margin, y), text, font=font, fill=0)
        y += 34

    end = 0
    for block in doc.blocks:
        if max_chars is not None and block.start > max_chars:
            break
        if "\n\n" in doc.text[end : block.start]:
            y += 18
        end = block.end
        font, line = (bold if block.bold else regular), ""
        for word in doc.block_text(block).split():
            candidate = f"{line} {word}".strip()
            if ImageDraw.Draw(Image.new("L", (1, 1))).textlength(candidate, font=font) > width - 2 * margin:
                draw_line(line, font)
                candidate = word
            line = candidate
        if line:
            draw_line(line, font)
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
    return path


def _needs_tesseract():
    from ogp_graph.readers.ocr import available_languages

    if "spa" not in available_languages():
        pytest.skip("tesseract with Spanish language data is not installed")


SCANNED_CHARS = 12_300  # the first three pages: fifteen commitments


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    """The first pages of the bundled report as an image-only PDF, read back (by OCR)."""
    _needs_tesseract()
    return load_document(_scan(tmp_path_factory.mktemp("scan") / "scan.pdf", max_chars=SCANNED_CHARS))


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr(scan):
    source = load_document(REPORT)
    ref = Counter(_fold(source.text[: source.text.index(" ", SCANNED_CHARS - 300)]).split())
    got = Counter(_fold(scan.text).split())
    assert sum((got & ref).values()) / sum(ref.values()) >= 0.95
    bold = {scan.block_text(b) for b in scan.blocks if b.bold}
    assert "1" in bold and "CAPACITACIÓN EN ACCESO A LA INFORMACIÓN PÚBLICA Y ARCHIVOS INSTITUCIONALES." in bold
    assert "Responsable: INAP" in {scan.block_text(b) for b in scan.blocks if not b.bold}


@pytest.mark.slow
def test_scanned_report_yields_the_same_commitments(scan):
    from ogp_graph.segment import segment

    source = [c for c in segment(load_document(REPORT)) if c.start < SCANNED_CHARS]
    titles = {_fold(c.title) for c in segment(scan)}
    assert len(source) >= 14 and sum(_fold(c.title) in titles for c in source) >= len(source) - 1


def test_page_image_is_read_by_ocr(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    _needs_tesseract()
    font_file = next((f for f in FONTS if f.exists()), None)
    if font_file is None:
        pytest.skip("no DejaVuSans TTF font to render a scan with")
    lines = ["Compromiso 3: Justicia abierta", "Responsable: Organismo Judicial", "Se publicaron 120 sentencias."]
    image = Image.new("L", (1400, 400), 255)
    for k, line in enumerate(lines):
        ImageDraw.Draw(image).text((80, 60 + 90 * k), line, font=ImageFont.truetype(str(font_file), 40), fill=0)
    image.save(tmp_path / "page.png")
    doc = load_document(tmp_path / "page.png")
    assert doc.media_type == "image/png"
    assert [doc.block_text(b) for b in doc.blocks] == lines


def test_scan_without_ocr_is_one_line(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    from ogp_graph.readers import ocr

    from PIL import Image

    monkeypatch.setattr(ocr, "available_languages", lambda: "")
    Image.new("L", (600, 800), 255).save(tmp_path / "scan.pdf")
    with pytest.raises(DocumentError, match="no extractable text and OCR is not installed"):
        load_document(tmp_path / "scan.pdf")
    pdf = pdfium.PdfDocument.new()  # a blank page holds no image: nothing to OCR
    pdf.new_page(595, 842)
    pdf.save(tmp_path / "blank.pdf")
    with pytest.raises(DocumentError, match="the PDF has no extractable text$"):
        load_document(tmp_path / "blank.pdf")


# -- structured data -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, role", [
    ("Nombre_compromisos", "title"), ("Título do compromisso", "title"), ("titre", "title"),
    ("Entidad responsable", "responsible"), ("Órgão responsável", "responsible"), ("Lead agency", "responsible"),
    ("Ministère", "responsible"), ("Hitos", "milestone"), ("jalon", "milestone"), ("Marcos", "milestone"),
    ("Fecha_inicio_hito", "date"), ("Estado", "status"), ("Correo_contacto", "private"),
    ("Nombre_contacto", "private"), ("El_compromiso_es_prometedor_segun_el_IRM", "other"),
])
def test_field_roles_from_names(name, role):
    assert field_role(name)[0] == role


def test_csv_milestone_rows_grouped_into_commitments(tmp_path):
    path = tmp_path / "plano.csv"
    path.write_text(
        "Marco;Órgão responsável;Título do compromisso;Data de término;E-mail\n"
        "Marco 1: Lançar o portal;Secretaria de Governo--Controladoria Geral;Portal da transparência;2019-06;a@b.gov.br\n"
        "Marco 2: Avaliar o portal;Secretaria de Governo--Controladoria Geral;Portal da transparência;2019-12;a@b.gov.br\n"
        "Marco 1: Criar o conselho;Secretaria de Educação;Conselho escolar;2020-03;c@d.gov.br\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.media_type == "text/csv"
    assert _by_role(doc, "title") == {"1": ["Portal da transparência"], "2": ["Conselho escolar"]}
    assert _by_role(doc, "commitment") == {"1": ["Compromisso 1"], "2": ["Compromisso 2"]}
    assert _by_role(doc, "responsible")["1"] == ["Secretaria de Governo", "Controladoria Geral"]
    assert _by_role(doc, "milestone") == {"1": ["Marco 1: Lançar o portal", "Marco 2: Avaliar o portal"],
                                          "2": ["Marco 1: Criar o conselho"]}
    assert _by_role(doc, "date")["1"] == ["2019-06", "2019-12"]
    assert "@" not in doc.text
    assert "Compromisso 1: Portal da transparência\n" in doc.text


def test_xlsx_with_hierarchical_ids(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Commitment ID", "Title", "Lead agency", "Status"])
    sheet.append(["C01", "Open contracting", "Treasury", "Substantial"])
    sheet.append(["C01.1", "Publish contracts in OCDS", "Treasury", "Complete"])
    sheet.append(["C01.2", "Train procurement officers", "Treasury", "Limited"])
    sheet.append(["C02", "Beneficial ownership", "Companies House", "Not started"])
    book.save(tmp_path / "tracker.xlsx")
    doc = load_document(tmp_path / "tracker.xlsx")
    assert doc.media_type.endswith("spreadsheetml.sheet")
    assert _by_role(doc, "title") == {"C01": ["Open contracting"], "C02": ["Beneficial ownership"]}
    assert _by_role(doc, "milestone") == {"C01": ["Publish contracts in OCDS", "Train procurement officers"]}
    assert _by_role(doc, "responsible") == {"C01": ["Treasury"], "C02": ["Companies House"]}
    assert _by_role(doc, "status")["C01"] == ["Substantial", "Complete", "Limited"]


def test_xlsx_merged_commitment_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nombre del compromiso", "Entidad responsable", "Hito", "Fecha de finalización"])
    sheet.append(["Compras públicas abiertas", "SERCOP", "Publicar datos en OCDS", "2021-06"])
    sheet.append([None, None, "Capacitar a proveedores", "2021-12"])
    sheet.append(["Justicia abierta", "Consejo de la Judicatura", "Publicar sentencias", "2022-03"])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    book.save(tmp_path / "plan.xlsx")
    doc = load_document(tmp_path / "plan.xlsx")
    assert _by_role(doc, "title") == {"1": ["Compras públicas abiertas"], "2": ["Justicia abierta"]}
    assert _by_role(doc, "milestone") == {"1": ["Publicar datos en OCDS", "Capacitar a proveedores"],
                                          "2": ["Publicar sentencias"]}
    assert _by_role(doc, "responsible") == {"1": ["SERCOP"], "2": ["Consejo de la Judicatura"]}


def test_json_nested_milestones(tmp_path):
    path = tmp_path / "export"  # no extension: recognised by content
    path.write_text(json.dumps({"plan": "IV Plan", "compromisos": [
        {"numero": 7, "titulo": "Justicia abierta", "institucion_responsable": "Corte Suprema",
         "hitos": [{"descripcion": "Publicar sentencias", "fecha_fin": "2023-05"},
                   {"descripcion": "Crear un observatorio", "fecha_fin": "2024-01"}]},
        {"numero": 8, "titulo": "Presupuesto abierto", "institucion_responsable": "Ministerio de Hacienda"},
    ]}, ensure_ascii=False), encoding="utf-8")
    doc = load_document(path)
    assert doc.media_type == "application/json"
    assert _by_role(doc, "title") == {"7": ["Justicia abierta"], "8": ["Presupuesto abierto"]}
    assert _by_role(doc, "milestone") == {"7": ["Publicar sentencias", "Crear un observatorio"]}
    assert _by_role(doc, "responsible") == {"7": ["Corte Suprema"], "8": ["Ministerio de Hacienda"]}
    assert "Compromiso 7: Justicia abierta" in doc.text


def test_json_rows_one_per_milestone(tmp_path):
    path = tmp_path / "hitos.json"
    path.write_text(json.dumps({"compromisos": [
        {"compromiso": "Datos abiertos", "responsable": "MINTEL", "hito": "Publicar la política"},
        {"compromiso": "Datos abiertos", "responsable": "MINTEL", "hito": "Capacitar a servidores"},
        {"compromiso": "Justicia abierta", "responsable": "Corte Nacional", "hito": "Publicar sentencias"},
    ]}, ensure_ascii=False), encoding="utf-8")
    doc = load_document(path)
    assert _by_role(doc, "title") == {"1": ["Datos abiertos"], "2": ["Justicia abierta"]}
    assert _by_role(doc, "milestone") == {"1": ["Publicar la política", "Capacitar a servidores"],
                                          "2": ["Publicar sentencias"]}


def test_yaml_bilingual_keeps_the_primary_language(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "title: Suivi du plan\nfields:\n"
        "- datastore_id: commitments\n  label: {fr: Engagements, en: Commitments}\n"
        "  description: {fr: Les 2 engagements du plan, en: The 2 commitments of the plan}\n"
        "  choices:\n    E1: {fr: Données ouvertes, en: Open data}\n    E2: {fr: Science ouverte, en: Open science}\n"
        "- datastore_id: milestones\n  choices:\n"
        "    E1.1: {fr: Publier les données (SCT/StatCan), en: Publish the data (TBS/StatCan)}\n"
        "    E2.1: {fr: Lancer un portail (CNRC), en: Launch a portal (NRC)}\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert _by_role(doc, "title") == {"E1": ["Données ouvertes"], "E2": ["Science ouverte"]}
    assert _by_role(doc, "responsible") == {"E1": ["SCT", "StatCan"], "E2": ["CNRC"]}
    assert "Open data" not in doc.text and "Les 2 engagements du plan" in doc.text
    assert "Engagement E1: Données ouvertes" in doc.text


def test_yaml_milestones_are_numbered_with_their_indicators_under_them(tmp_path):
    path = tmp_path / "tracker.yaml"
    path.write_text(
        "fields:\n- datastore_id: commitments\n  choices:\n    C01: {en: Open data}\n"
        "- datastore_id: milestones\n  choices:\n"
        "    C01.1: {en: Publish the data (TBS)}\n    C01.2: {en: Launch a portal (NRC)}\n"
        "- datastore_id: indicators\n  choices:\n"
        "    C01.2.1: {en: The portal is live, due_date: 2019-06}\n    C01.1.1: {en: Data are published, due_date: 2018-12}\n",
        encoding="utf-8",
    )
    text = load_document(path).text
    first, second = text.index("Milestone 1: Publish the data"), text.index("Milestone 2: Launch a portal")
    assert first < text.index("Data are published") < text.index("2018-12") < second < text.index("The portal is live")
    # a milestone of a milestone is one more milestone of the commitment, numbered by its place
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    C01.2: {en: Launch a portal (NRC)}\n", "    C01.2: {en: Launch a portal (NRC)}\n    C01.2.1: {en: Design it}\n"),
        encoding="utf-8")
    text = load_document(path).text
    assert text.count("Milestone 1:") == 1 and "Milestone 3: Design it" in text


def test_ecuador_csv_against_gold():
    gold = _gold("ec-2019-2022-paga-compromisos-csv")
    doc = load_document(shared_file("corpus", "real", "ec-2019-2022-paga-compromisos-csv.csv"))
    titles, bodies, milestones = _by_role(doc, "title"), _by_role(doc, "responsible"), _by_role(doc, "milestone")
    assert [_fold(t[0]) for t in titles.values()] == [_fold(c["title"]) for c in gold["commitments"]]
    assert [len(m) for m in milestones.values()] == [c["milestones"] for c in gold["commitments"]]
    for ref, c in zip(titles, gold["commitments"]):
        assert set(bodies[ref]) == set(c["responsible"])
    assert "@" not in doc.text


def test_canada_yaml_against_gold():
    gold = _gold("ca-2018-2020-nap4-tracker-yaml")
    doc = load_document(shared_file("corpus", "real", "ca-2018-2020-nap4-tracker-yaml.yaml"))
    titles, bodies, milestones = _by_role(doc, "title"), _by_role(doc, "responsible"), _by_role(doc, "milestone")
    assert {ref: t[0] for ref, t in titles.items()} == {c["num"]: c["title"] for c in gold["commitments"]}
    assert sum(len(m) for m in milestones.values()) == gold["n_milestones"]
    found = sum(len({_fold(b) for b in bodies[c["num"]]} & {_fold(b) for b in c["responsible"]})
                for c in gold["commitments"])
    assert found / sum(len(c["responsible"]) for c in gold["commitments"]) >= 0.9
    assert "The 10 commitments in the 2018-2020 National Action Plan on Open Government" in doc.text


def _gold(file_id: str) -> dict:
    records = json.loads(shared_file("corpus", "real", "gold.json").read_text(encoding="utf-8"))
    return next(r["gold"] for r in records if r["id"] == file_id)


# -- markup formats -------------------------------------------------------------------------------

@pytest.mark.parametrize("fence, meta", [
    ("---", "title: Plano municipal\nlayout: page\nresumo: 'Cinco compromissos foram cumpridos.'\n"),
    ("+++", "title = \"Plano municipal\"\nlayout = \"page\"\nresumo = \"Cinco compromissos foram cumpridos.\"\n"),
])
def test_markdown_front_matter_values_are_text(tmp_path, fence, meta):
    path = tmp_path / "page.md"
    path.write_text(f"{fence}\n{meta}{fence}\n## Compromissos\n\nTexto.\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.title == "Plano municipal"
    texts = [doc.block_text(b) for b in doc.blocks]
    assert "Cinco compromissos foram cumpridos." in texts and "page" not in texts
    assert next(b for b in doc.blocks if doc.block_text(b) == "Compromissos").heading == 2


def test_docx_headings_bold_and_tables(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = "Plan de acción"
    document.add_heading("Compromiso 1: Datos abiertos", level=2)
    document.add_paragraph().add_run("PORTAL ÚNICO").bold = True
    document.add_paragraph("Texto del compromiso.")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Responsable"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Ministerio de Finanzas"
    table.cell(1, 0).text = "Hito"
    table.cell(1, 1).text = "Publicar"
    table.cell(1, 2).text = "2025"
    document.save(tmp_path / "plan.docx")
    doc = load_document(tmp_path / "plan.docx")
    blocks = {doc.block_text(b): b for b in doc.blocks}
    assert doc.title == "Plan de acción"
    assert blocks["Compromiso 1: Datos abiertos"].heading == 2
    assert blocks["PORTAL ÚNICO"].bold and not blocks["Texto del compromiso."].bold
    assert doc.text.count("Ministerio de Finanzas") == 1
    assert [(b.row, b.cell) for b in doc.blocks if b.row] == [(1, 0), (1, 1), (2, 0), (2, 1), (2, 2)]


def test_html_title_and_cells(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Indicadores</title><style>p{}</style></head><body><h2>Avance</h2>"
                    "<table><tr><th>Compromiso</th><td>80%</td></tr></table></body></html>", encoding="utf-8")
    doc = load_document(path)
    assert doc.title == "Indicadores" and "p{}" not in doc.text
    assert [(doc.block_text(b), b.heading, b.cell) for b in doc.blocks] == [
        ("Avance", 2, None), ("Compromiso", 0, 0), ("80%", 0, 1)]


# -- hostile input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, reason", [
    ("empty.csv", b"   \n", "empty"),
    ("garbage.bin", bytes(range(256)) * 8, "unsupported file type"),
    ("garbage.txt", b"\x00\x01\x02\x03" * 300, "binary data"),
    ("latin1.md", "Compromiso número 1: acción".encode("latin-1"), "not UTF-8"),
    ("fake.xlsx", b"this is not a workbook", "not a XLSX file"),
    ("fake.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "unreadable image"),
    ("broken.json", b'{"compromisos": [', "unparsable JSON"),
])
def test_hostile_input_is_one_line(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason) as info:
        load_document(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Compromiso 1\n" * 1000, encoding="utf-8")
    with pytest.raises(DocumentError, match="more than the limit"):
        load_document(path, max_bytes=1000)


def test_zip_bomb_and_foreign_archives(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types>wordprocessingml</Types>")
        z.writestr("word/document.xml", b"\0" * 30_000_000)
    with pytest.raises(DocumentError, match="decompression bomb"):
        load_document(bomb)
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("a.txt", "hola")
    with pytest.raises(DocumentError, match="unsupported zip archive"):
        load_document(other)


@pytest.mark.parametrize("name", [
    "co-2015-2017-plan-accion.pdf", "us-2013-2015-nap2-plan.pdf", "us-2019-nap4-plan.pdf",
    "us-2013-2015-nap2-mid-term-self-assessment.pdf", "co-2017-2019-indicador-avance-web.html",
    "br-saopaulo-2018-2020-plano-web.md", "co-2023-2025-resultados-v-plan-web.md",
])
def test_every_real_file_loads(name):
    doc = load_document(shared_file("corpus", "real", name))
    assert len(doc.blocks) >= 5 and doc.text.strip()
    assert all(doc.text[b.start : b.end].strip() == doc.text[b.start : b.end] for b in doc.blocks)
