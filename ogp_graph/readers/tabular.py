"""Tables: CSV/TSV text and Excel workbooks, one record per commitment (see ``structured``)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ogp_graph.errors import DocumentError
from ogp_graph.readers.model import Builder
from ogp_graph.readers.structured import add_bodies, render, rows_to_records

_DELIMITERS = ",;\t|"


def read_table(path: Path, rows: list[list[object]]) -> Builder:
    """The blocks of a table whose first non-empty row is its header.

    :raises DocumentError: when the table has no header or no data rows.
    """
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if len(rows) < 2:
        raise DocumentError(path, "the table has no data rows under its header")
    header = [str(v or "").strip() for v in rows[0]]
    records, language = rows_to_records(header, rows[1:])
    add_bodies(records, language)
    builder = Builder()
    render(builder, records, language)
    return builder


def read_csv(path: Path, raw: str) -> Builder:
    """The blocks of CSV (or ``;``/tab/``|`` separated) text."""
    sample = raw[:20_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(raw), dialect))
    except csv.Error as exc:
        raise DocumentError(path, f"unreadable CSV ({exc})") from exc
    return read_table(path, rows)


def read_xlsx(path: Path, data: bytes, *, max_rows: int) -> Builder:
    """The blocks of an Excel workbook's sheets; each sheet is one table.

    :raises DocumentError: damaged workbook, more than ``max_rows`` rows, or no table.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise DocumentError(path, f"unreadable XLSX ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from exc
    builder = Builder()
    total = 0
    try:
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                total += 1
                if total > max_rows:
                    raise DocumentError(path, f"the workbook has more than {max_rows} rows")
                rows.append(list(row))
            if sum(1 for r in rows if any(v not in (None, "") for v in r)) >= 2:
                builder.extend(read_table(path, rows))
    finally:
        book.close()
    if not builder.blocks:
        raise DocumentError(path, "the workbook holds no table with a header and data rows")
    return builder
