"""OCR of PDF pages that have no text (scans), with tesseract through pytesseract."""
from __future__ import annotations

import shutil
from pathlib import Path

from ogp_graph.errors import DocumentError
from ogp_graph.readers.pdf import Line

LANGUAGES = ("spa", "eng", "por", "fra")
DPI = 300
_MIN_CONFIDENCE = 30


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


def image_lines(image, number: int, *, languages: str, scale: float = 1.0) -> list[Line]:
    """The lines tesseract reads on ``image`` (a PIL image), in its reading order; positions
    and sizes in PDF points when ``scale`` is the pixels-per-point of the rendering."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=languages, config="--psm 3", output_type=pytesseract.Output.DICT)
    height = image.height / scale
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= _MIN_CONFIDENCE:
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for idx in groups.values():
        top = min(data["top"][i] for i in idx) / scale
        bottom = max(data["top"][i] + data["height"][i] for i in idx) / scale
        lines.append(Line([" ".join(data["text"][i] for i in idx)], top, bottom, round(bottom - top, 1), False,
                          number, margin=bottom < 0.09 * height or top > 0.91 * height))
    return lines


def ocr_pages(path: Path):
    """A function ``(pdf, indexes) -> {index: lines}`` that OCRs the given pages of ``pdf``.

    :raises DocumentError: when tesseract (or its language data) is not installed.
    """
    def run(pdf, indexes: list[int]) -> dict[int, list[Line]]:
        languages = available_languages()
        if not languages:
            if len(indexes) == len(pdf):
                raise DocumentError(path, "no extractable text and OCR is not installed (install tesseract-ocr)")
            return {}
        scale = DPI / 72
        result = {}
        for i in indexes:
            image = pdf[i].render(scale=scale, grayscale=True).to_pil()
            result[i] = image_lines(image, i + 1, languages=languages, scale=scale)
        return result

    return run
