"""PDF: lines with their font weight and size, page furniture removed, scanned pages OCR'd.

Characters come from PDFium (``pypdfium2``; pdfplumber's pdfminer needs ~30x longer: a
minute for a 72-page plan) in content order, which is reading order for the word processors
that make OGP plans: form tables come cell by cell. Each line becomes a block with its font
``size`` and ``bold`` (font name with Bold/Black/Heavy/Semibold/Demi, or weight ≥ 600);
heading levels are left to the finder, which ranks sizes against the body text's. A wide
horizontal gap splits a line into table cells (``row``/``cell``), and the lines continuing
a value cell stay in it. Running headers and footers (lines in the page margins repeated
across pages, digits folded, one or several lines) and page numbers are dropped; PDFium
joins words hyphenated at line ends. Pages without text are handed to OCR.
"""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

from ogp_graph.errors import DocumentError
from ogp_graph.readers.model import Builder
from ogp_graph.readers.text import furniture_key

if TYPE_CHECKING:
    import pypdfium2 as pdfium

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|extrabold|ultrabold", re.IGNORECASE)
_NO_LETTERS = re.compile(r"^[\W\d_]*$")
_MARGIN = 0.09  # share of the page height at the top and bottom where furniture lives
_CELL_GAP = 2.5  # a gap wider than this many font sizes separates table cells
_WIDE_GAP = 0.9  # a gap this wide separates cells when another line starts right after it
_ALIGN = 2.0  # points of tolerance for "starts at the same x"
_SOFT_HYPHEN = 0x02
_MAX_CHARS = 50_000_000  # text a plausible document holds (a 2,000-page plan has ~10 million)


@dataclass
class Line:
    """One line of a page: its cells' text, where it sits and how it is set."""

    cells: list[str]
    xs: list[float]  # where each cell starts
    top: float  # from the top of the page
    bottom: float
    size: float
    bold: bool
    page: int
    margin: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.cells)


@dataclass
class _Run:
    """The characters of a line being read, and the wide gaps between them."""

    chars: list[str] = field(default_factory=list)
    gaps: list[tuple[int, float, bool]] = field(default_factory=list)  # (position, x after, surely a cell)
    sizes: list[float] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)
    tops: list[float] = field(default_factory=list)
    bottoms: list[float] = field(default_factory=list)
    x0: float | None = None
    last_x: float | None = None

    def cells(self, starts: list[float]) -> list[tuple[float, str]]:
        """``(x, text)`` of the line's cells: cut at sure gaps and at wide gaps where another
        line of the page starts (the value column of a label | value table), never after a
        bullet or a list marker."""
        cuts, begin = [(0, self.x0 or 0.0)], 0
        for position, x, sure in self.gaps:
            left = "".join(self.chars[begin:position])
            if sure or (sum(c.isalnum() for c in left) > 2 and any(abs(x - s) < _ALIGN for s in starts)):
                cuts.append((position, x))
                begin = position
        bounds = [*cuts, (len(self.chars), 0.0)]
        return [(x, cell) for (a, x), (b, _) in zip(bounds, bounds[1:]) if (cell := "".join(self.chars[a:b]).strip())]


def _font_bold(textpage, index: int, buf, flags) -> bool:
    import pypdfium2.raw as raw

    raw.FPDFText_GetFontInfo(textpage, index, buf, len(buf), flags)
    return bool(_BOLD_FONT.search(buf.value.decode("latin-1"))) or raw.FPDFText_GetFontWeight(textpage, index) >= 600


def page_lines(page: pdfium.PdfPage, number: int) -> list[Line]:
    """The lines of one PDFium page in content order."""
    import pypdfium2.raw as raw

    height = page.get_height()
    textpage = page.get_textpage()
    tp = textpage.raw
    rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    buf, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    runs: list[_Run] = []
    run = _Run()
    styles: dict[int, tuple[float, bool]] = {}
    for k in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(tp, k)
        if code == 10:
            runs.append(run)
            run = _Run()
            continue
        if code in (13, _SOFT_HYPHEN) or code == 0xFFFE:
            continue
        ch = chr(code)
        if ch.isspace():
            run.chars.append(" ")
            continue
        raw.FPDFText_GetLooseCharBox(tp, k, rect)
        obj = ctypes.cast(raw.FPDFText_GetTextObject(tp, k), ctypes.c_void_p).value
        style = styles.get(obj) if obj is not None else None  # one font and size per text object
        if style is None:
            raw.FPDFText_GetMatrix(tp, k, matrix)
            size = raw.FPDFText_GetFontSize(tp, k) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            style = (size, _font_bold(tp, k, buf, flags))
            if obj is not None:
                styles[obj] = style
        size, bold = style
        if run.last_x is not None and rect.left - run.last_x > _WIDE_GAP * max(size, 1.0):
            run.gaps.append((len(run.chars), rect.left, rect.left - run.last_x > _CELL_GAP * max(size, 1.0)))
        run.x0 = rect.left if run.x0 is None else run.x0
        run.last_x = rect.right
        run.chars.append(ch)
        run.sizes.append(size)
        run.bold.append(bold if ch.isalnum() else True)
        run.tops.append(rect.top)
        run.bottoms.append(rect.bottom)
    runs.append(run)
    textpage.close()
    runs = [r for r in runs if r.sizes]
    lines = []
    for r in runs:
        cells = r.cells([o.x0 for o in runs if o is not r])
        if cells:
            top, bottom = height - max(r.tops), height - min(r.bottoms)
            lines.append(Line([c for _, c in cells], [x for x, _ in cells], top, bottom, round(median(r.sizes), 1), sum(r.bold) >= 0.9 * len(r.bold),
                              number, margin=bottom < _MARGIN * height or top > (1 - _MARGIN) * height))
    return lines


def furniture(pages: list[list[Line]]) -> set[str]:
    """Keys of margin lines repeated on many pages (running headers and footers)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({furniture_key(ln.text) for ln in lines if ln.margin})
    threshold = max(3, len(pages) // 4)
    return {key for key, n in seen.items() if n >= threshold and len(key) < 150}


def _paragraph_break(previous: Line, line: Line) -> bool:
    """A blank line between two lines set alike (a change of style alone is left to the
    reader of the blocks: a heading keeps touching the text it heads)."""
    return abs(line.size - previous.size) < 0.5 and line.top - previous.bottom > 0.9 * line.size


def build(pages: list[list[Line]]) -> Builder:
    """The blocks of a PDF's lines, furniture and page numbers dropped."""
    builder = Builder()
    repeated = furniture(pages)
    row = 0
    for lines in pages:
        previous: Line | None = None
        table: list[float] = []  # cell positions of the last table row
        for ln in lines:
            text = ln.text
            if _NO_LETTERS.match(text) and ln.margin:
                continue
            if ln.margin and furniture_key(text) in repeated:
                continue
            if previous is not None and _paragraph_break(previous, ln):
                builder.gap()
            if len(ln.cells) == 1 and table and abs(ln.xs[0] - table[-1]) < _ALIGN and ln.xs[0] > table[0] + _ALIGN:
                cells = [(len(table) - 1, text)]  # a value continued on the next line of its cell
            elif len(ln.cells) > 1:
                row, table = row + 1, ln.xs
                cells = list(enumerate(ln.cells))
            else:
                table, cells = [], []
            if cells:
                for cell, value in cells:
                    builder.line([(value, dict(bold=ln.bold, page=ln.page, size=ln.size, row=row, cell=cell))])
            else:
                builder.add(text, bold=ln.bold, page=ln.page, size=ln.size)
            previous = ln
        builder.gap()
    return builder


def read_pdf(path: Path, *, max_pages: int,
             ocr_pages: Callable[[pdfium.PdfDocument, list[int]], dict[int, list[Line]]]) -> Builder:
    """The blocks of a PDF; ``ocr_pages(pdf, indexes)`` returns lines for pages without text.

    :raises DocumentError: unreadable, encrypted, too many pages, or no text at all.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason or "security" in reason:
            raise DocumentError(path, "the PDF is encrypted; save an unprotected copy") from exc
        raise DocumentError(path, f"unreadable PDF ({str(exc).splitlines()[0]})") from exc
    try:
        count = len(pdf)
        if count > max_pages:
            raise DocumentError(path, f"the PDF has {count} pages, more than the limit of {max_pages}")
        if count == 0:
            raise DocumentError(path, "the PDF has no pages")
        pages, chars = [], 0
        for i in range(count):
            page = pdf[i]
            pages.append(page_lines(page, i + 1))
            chars += sum(len(ln.text) for ln in pages[-1])
            if chars > _MAX_CHARS:
                raise DocumentError(path, f"the PDF holds more than {_MAX_CHARS:,} characters of text (a PDF bomb?)")
        empty = [i for i, lines in enumerate(pages) if not any(ln.text.strip() for ln in lines)]
        if empty:
            for i, lines in ocr_pages(pdf, empty).items():
                pages[i] = lines
    except pdfium.PdfiumError as exc:
        raise DocumentError(path, f"unreadable PDF ({str(exc).splitlines()[0]})") from exc
    finally:
        pdf.close()
    if not any(ln.text.strip() for lines in pages for ln in lines):
        raise DocumentError(path, "the PDF has no extractable text")
    return build(pages)
