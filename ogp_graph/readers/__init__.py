"""Read any document a user brings into one ``Document``: cleaned text plus layout blocks.

``load_document`` chooses the reader by content (``%PDF``, a zip holding a Word document
or an Excel workbook, UTF-8 text that parses as JSON/YAML/CSV/HTML/Markdown) and by
extension; every failure is a ``DocumentError`` with a one-line reason.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ogp_graph.errors import DocumentError
from ogp_graph.readers.model import Block, Builder, Document, toc_entry
from ogp_graph.readers.sniff import MEDIA_TYPES, sniff

MAX_BYTES = 50_000_000
MAX_PAGES = 2_000


def _read(path: Path, data: bytes, media_type: str, *, max_pages: int) -> Builder:
    if media_type == "application/pdf":
        from ogp_graph.readers.ocr import ocr_pages
        from ogp_graph.readers.pdf import read_pdf

        return read_pdf(path, max_pages=max_pages, ocr_pages=ocr_pages(path))
    if media_type.startswith("image/"):
        from ogp_graph.readers.ocr import read_image

        return read_image(path, data, max_pages=max_pages)
    if media_type == MEDIA_TYPES[".docx"]:
        from ogp_graph.readers.docx import read_docx

        return read_docx(path, data)
    if media_type == MEDIA_TYPES[".xlsx"]:
        from ogp_graph.readers.tabular import read_xlsx

        return read_xlsx(path, data, max_rows=max_pages * 100)
    raw = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    if media_type == "text/html":
        from ogp_graph.readers.html import read_html

        return read_html(raw)
    if media_type == "text/markdown":
        from ogp_graph.readers.markdown import read_markdown

        return read_markdown(raw)
    if media_type == "text/csv":
        from ogp_graph.readers.tabular import read_csv

        return read_csv(path, raw)
    if media_type in ("application/json", "application/yaml"):
        from ogp_graph.readers.records import read_records

        return read_records(path, raw, media_type)
    from ogp_graph.readers.text import read_text

    return read_text(raw)


def load_document(path: str | Path, *, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES) -> Document:
    """Load and clean one document (PDF, DOCX, XLSX, CSV, JSON, YAML, HTML, Markdown, text).

    Scans — PDF pages without text, PNG/JPEG/TIFF page images — are read by OCR when
    tesseract is installed.

    :raises DocumentError: missing, empty, too large, unsupported, not UTF-8 text, binary
        garbage, encrypted or damaged, more than ``max_pages`` pages, or no text at all.
    """
    path = Path(path)
    if not path.exists():
        raise DocumentError(path, "no such file")
    if not path.is_file():
        raise DocumentError(path, "not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(path, f"the file is {size / 1e6:.1f} MB, more than the limit of {max_bytes / 1e6:g} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    media_type = sniff(path, data, max_bytes=max_bytes)
    builder = _read(path, data, media_type, max_pages=max_pages)
    text = builder.text()
    if not text.strip():
        raise DocumentError(path, "no text after cleaning")
    return Document(
        source=str(path),
        text=text,
        blocks=tuple(builder.blocks),
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        name=path.name,
        title=builder.title,
    )


__all__ = ["Block", "Document", "DocumentError", "load_document", "toc_entry", "MAX_BYTES", "MAX_PAGES"]
