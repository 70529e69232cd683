"""Which reader a file needs: decided by its bytes first, its extension second."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from ogp_graph.errors import DocumentError
from ogp_graph.readers.data import load_yaml

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".pdf": "application/pdf",
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".csv": "text/csv",
    ".tsv": "text/csv",
    ".json": "application/json",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"II*\x00": "image/tiff",
                b"MM\x00*": "image/tiff"}
_TEXT_TYPES = {t for t in MEDIA_TYPES.values() if t.startswith("text/") or t in ("application/json", "application/yaml")}
_ZIP_RATIO = 200  # an archive member expanding more than this is a decompression bomb
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)
_MD_CUES = re.compile(r"^(?:#{1,6} \S|\*\*\S|[-*] \S|\[[^\]]+\]\()", re.MULTILINE)


def _zip_type(path: Path, data: bytes, *, max_bytes: int) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace") if any(
            m.filename == "[Content_Types].xml" for m in members) else ""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError) as exc:
        raise DocumentError(path, f"damaged or encrypted zip archive ({exc})") from exc
    expanded = sum(m.file_size for m in members)
    if expanded > 20 * max_bytes or any(m.compress_size and m.file_size / m.compress_size > _ZIP_RATIO
                                        for m in members if m.file_size > 1_000_000):
        raise DocumentError(path, "the archive expands to an implausible size (a decompression bomb?)")
    if "wordprocessingml" in types:
        return DOCX
    if "spreadsheetml" in types:
        return XLSX
    raise DocumentError(path, "unsupported zip archive; use a .docx or .xlsx file")


def _decode(path: Path, data: bytes) -> str:
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096] or sum(b < 9 or 13 < b < 32 for b in data[:4096]) > 8:
            raise DocumentError(path, "not UTF-8 text but binary data (not a document this tool reads)") from exc
        raise DocumentError(path, f"not UTF-8 text (byte {exc.start}); convert it to UTF-8") from exc
    if "\x00" in raw[:4096] or sum(c < "\t" or "\r" < c < " " for c in raw[:4096] if c != "\f") > 8:
        raise DocumentError(path, "not UTF-8 text but binary data (not a document this tool reads)")
    return raw


def _text_type(raw: str) -> str:
    """The media type of UTF-8 text with no telling extension."""
    head = raw.lstrip()[:4096]
    if head[:1] in "{[":
        try:
            json.loads(raw)
            return "application/json"
        except ValueError:
            pass
    if _HTML_START.match(head):
        return "text/html"
    if _yaml_mapping(raw):
        return "application/yaml"
    if _MD_CUES.search(head) or head.startswith(("---\n", "+++\n")):
        return "text/markdown"
    lines = [ln for ln in raw.splitlines()[:50] if ln.strip()]
    if len(lines) >= 3:
        try:
            dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|")
            widths = {len(row) for row in csv.reader(lines, dialect)}
            if len(widths) == 1 and widths.pop() >= 2:
                return "text/csv"
        except csv.Error:
            pass
    return "text/plain"


def _yaml_mapping(raw: str) -> bool:
    """True when ``raw`` is one YAML document holding a mapping of several keys."""
    import yaml

    try:
        value = load_yaml(raw)
    except yaml.YAMLError:
        return False
    return isinstance(value, dict) and len(value) >= 2 and any(isinstance(v, (dict, list)) for v in value.values())


def sniff(path: Path, data: bytes, *, max_bytes: int) -> str:
    """The media type of ``data``, read from ``path``.

    :raises DocumentError: binary garbage, not UTF-8, an unsupported or damaged archive,
        or a binary format (PDF, DOCX, XLSX, PNG/JPEG/TIFF) the extension promises but the
        bytes do not hold.
    """
    ext = path.suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(path, data, max_bytes=max_bytes)
    if image := next((t for magic, t in _IMAGE_MAGIC.items() if data.startswith(magic)), None):
        return image
    if MEDIA_TYPES.get(ext, "").startswith("image/") or MEDIA_TYPES.get(ext) in ("application/pdf", DOCX, XLSX):
        raise DocumentError(path, f"not a {ext[1:].upper()} file (its bytes do not match)")
    if ext and ext not in MEDIA_TYPES and not ext[1:].isdigit():
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DocumentError(path, f"unsupported file type {ext!r}; use one of {sorted(MEDIA_TYPES)}") from None
    raw = _decode(path, data)
    media_type = MEDIA_TYPES.get(ext)
    return media_type if media_type in _TEXT_TYPES else _text_type(raw)
