"""Word documents (.docx): paragraphs and table cells in body order, headings and bold kept.

Heading levels come from the paragraph style's outline level or its name ("Heading 2",
"Título 2", "Titre 2"…); a paragraph is bold when all its visible runs are (directly or by
style). Merged table cells are read once; page headers and footers are left out.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from ogp_graph.errors import DocumentError
from ogp_graph.readers.model import Builder

_HEADING_STYLE = re.compile(r"^(?:heading|t[ií]tulo|titre|overskrift|kop)\s*(\d)\b", re.IGNORECASE)


def _heading(paragraph) -> int:
    style = paragraph.style
    while style is not None:
        if m := _HEADING_STYLE.match(style.name or ""):
            return min(int(m.group(1)), 6)
        if (style.name or "").lower() in ("title", "título", "titre"):
            return 1
        style = style.base_style
    return 0


def _style_bold(paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        if style.font is not None and style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    default = _style_bold(paragraph)
    return bool(runs) and all(r.bold if r.bold is not None else default for r in runs)


def _paragraph(builder: Builder, paragraph, **layout) -> None:
    text = paragraph.text
    if not text.strip():
        builder.gap()
        return
    heading = _heading(paragraph)
    builder.add(text, bold=heading > 0 or _bold(paragraph), heading=heading, **layout)


def _table(builder: Builder, table, rows: list[int]) -> None:
    from docx.table import Table

    builder.gap()
    for row in table.rows:
        rows[0] += 1
        seen = set()
        for number, cell in enumerate(row.cells):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for item in cell.iter_inner_content():
                if isinstance(item, Table):
                    _table(builder, item, rows)
                elif item.text.strip():
                    _paragraph(builder, item, row=rows[0], cell=number)
    builder.gap()


def read_docx(path: Path, data: bytes) -> Builder:
    """The blocks of a Word document.

    :raises DocumentError: when the file is not a readable .docx.
    """
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors… on damaged files
        raise DocumentError(path, f"unreadable DOCX ({type(exc).__name__})") from exc
    builder = Builder()
    builder.title = (document.core_properties.title or "").strip()
    rows = [0]
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            _table(builder, item, rows)
        else:
            _paragraph(builder, item)
    return builder
