"""OCR of scans — PDF pages without text and page images — with tesseract through pytesseract."""
from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ogp_graph.errors import DocumentError
from ogp_graph.readers.model import Builder
from ogp_graph.readers.pdf import Line, build

if TYPE_CHECKING:
    import pypdfium2 as pdfium
    from PIL import Image

LANGUAGES = ("spa", "eng", "por", "fra")
DPI = 250
_MIN_CONFIDENCE = 30
_BOLD_STROKE = 1.5  # a line whose strokes are this much thicker than the page's is bold


def available_languages() -> str:
    """The ``+``-joined tesseract languages of ``LANGUAGES`` that are installed ("" if none)."""
    if shutil.which("tesseract") is None:
        return ""
    import pytesseract

    try:
        installed = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError):
        return ""
    return "+".join(lang for lang in LANGUAGES if lang in installed)


def _stroke(dark, box: tuple[int, int, int, int]) -> float:
    """The median width of horizontal ink runs in ``box`` of the boolean image ``dark``."""
    import numpy as np

    left, top, width, height = box
    crop = np.pad(dark[top : top + height, left : left + width].astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(crop, axis=1)
    runs = np.nonzero(edges == -1)[1] - np.nonzero(edges == 1)[1]
    return float(np.median(runs)) if runs.size else 0.0


def image_lines(image: Image.Image, number: int, *, languages: str, scale: float = 1.0) -> list[Line]:
    """The lines tesseract reads on ``image`` (a grayscale PIL image) in its reading order,
    with positions and sizes in PDF points when ``scale`` is the rendering's pixels per
    point. A line is bold when its strokes are clearly thicker than the page's median."""
    import numpy as np
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one tesseract thread: the machine is shared
    data = pytesseract.image_to_data(image, lang=languages, config="--psm 3", output_type=pytesseract.Output.DICT)
    dark = np.asarray(image.convert("L")) < 128
    height = image.height / scale
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= _MIN_CONFIDENCE:
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    found = []
    for idx in groups.values():
        strokes = [_stroke(dark, (data["left"][i], data["top"][i], data["width"][i], data["height"][i])) for i in idx]
        found.append((idx, float(np.median(strokes))))
    body = float(np.median([s for _, s in found])) if found else 0.0
    lines = []
    for idx, stroke in found:
        top = min(data["top"][i] for i in idx) / scale
        bottom = max(data["top"][i] + data["height"][i] for i in idx) / scale
        left = min(data["left"][i] for i in idx) / scale
        lines.append(Line([" ".join(data["text"][i] for i in idx)], [left], top, bottom, round(bottom - top, 1),
                          body > 0 and stroke >= _BOLD_STROKE * body, number,
                          margin=bottom < 0.09 * height or top > 0.91 * height))
    return lines


def read_image(path: Path, data: bytes, *, max_pages: int) -> Builder:
    """The blocks of a scanned page image (PNG, JPEG, TIFF; every frame of a multi-page TIFF).

    :raises DocumentError: unreadable or oversized image, OCR not installed, or no text read.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = [frame.convert("L") for _, frame in zip(range(max_pages + 1), ImageSequence.Iterator(image))]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DocumentError(path, f"unreadable image ({str(exc).splitlines()[0]})") from exc
    if len(frames) > max_pages:
        raise DocumentError(path, f"the image has more than the limit of {max_pages} pages")
    languages = available_languages()
    if not languages:
        raise DocumentError(path, "an image needs OCR, which is not installed (install tesseract-ocr)")
    pages = [image_lines(frame, n, languages=languages) for n, frame in enumerate(frames, start=1)]
    if not any(pages):
        raise DocumentError(path, "no text could be read from the image")
    return build(pages)


def ocr_pages(path: Path) -> Callable[[pdfium.PdfDocument, list[int]], dict[int, list[Line]]]:
    """A function ``(pdf, indexes) -> {index: lines}`` that OCRs those of the given pages of
    ``pdf`` that hold an image (a blank page is left blank).

    :raises DocumentError: when no page has text and tesseract (or its language data) is
        not installed.
    """
    def run(pdf, indexes: list[int]) -> dict[int, list[Line]]:
        import pypdfium2.raw as raw

        scans = [i for i in indexes if next(iter(pdf[i].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])), None)]
        languages = available_languages() if scans else ""
        if not languages:
            if scans and len(indexes) == len(pdf):
                raise DocumentError(path, "no extractable text and OCR is not installed (install tesseract-ocr)")
            return {}
        scale = DPI / 72
        result = {}
        for i in scans:
            image = pdf[i].render(scale=scale, grayscale=True).to_pil()
            result[i] = image_lines(image, i + 1, languages=languages, scale=scale)
        return result

    return run
