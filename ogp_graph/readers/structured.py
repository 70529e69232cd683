"""Structured data (CSV, XLSX, JSON, YAML) as commitment records, rendered as readable text.

Columns and keys are given a role from their *names* (``columns.json``: ES/EN/PT/FR
synonyms, accent/case/underscore-insensitive), never from their position. Rows that are
milestones of one commitment (its title or id repeated on each row, or ids such as
``C01.1``) are grouped back into one ``Record``. ``render`` writes each record as lines
("Compromiso 1: <title>", "Entidad: <value>", …) whose value blocks carry ``role`` and
``ref``, so the finder can rebuild commitments without guessing and search passages and
offsets work as for prose. E-mail addresses are masked and contact columns dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ogp_graph.readers.data import columns
from ogp_graph.text import word_fold
from ogp_graph.readers.model import Builder

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_ONLY = re.compile(r"^\+?[\d\s().-]{7,}$")
_HIERARCHICAL_ID = re.compile(r"^(?P<parent>.+?)[.](?P<child>\w+)$")
_LIST_SPLIT = re.compile(r"\s*(?:--|;|\n|\s\|\s)\s*")
_TRAILING_BODIES = re.compile(r"\(([^()]{2,160})\)\s*[.]?\s*$")
_MILESTONE_SOURCES = ("milestone", "title", "description")  # columns a milestone row's text comes from, best first
_ACRONYM = re.compile(r"^[A-ZÀ-Ý][A-Za-zÀ-ÿ&.'’-]*[A-ZÀ-Ý][A-Za-zÀ-ÿ&.'’-]*$")


@dataclass
class Field:
    """One value of a record: its role, the label it is shown with, the text."""

    role: str
    label: str
    value: str


@dataclass
class Record:
    """One commitment: its id as the data gives it, title, fields and milestones."""

    ref: str
    title: str = ""
    fields: list[Field] = field(default_factory=list)
    milestones: list[list[Field]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _synonyms() -> list[tuple[str, str, tuple[str, ...]]]:
    """``(role, language, folded words)`` for every synonym, in role priority order."""
    data = columns()
    return [(role, lang, tuple(word_fold(s).split()))
            for role in data["priority"] for lang, names in data["fields"][role].items() for s in names]


@lru_cache(maxsize=4096)
def field_role(name: str) -> tuple[str, str | None]:
    """The role of a column or key called ``name`` and the language its name is in.

    The longest synonym whose words are all in the name and cover at least half of the
    name's content words wins; ties go to the earlier role of ``priority``; a name that
    matches nothing is ``("other", None)``.
    """
    words = word_fold(name).split()
    content = [w for w in words if w not in columns()["stopwords"]] or words
    best: tuple[float, int, str, str | None] = (0, 0, "other", None)
    for rank, (role, lang, syn) in enumerate(_synonyms()):
        if not syn or not set(syn) <= set(words) or len(syn) * 2 < len(content):
            continue
        score = len(syn) + (100 if list(syn) == words else 0)
        if score > best[0] or (score == best[0] and rank < best[1]):
            best = (score, rank, role, lang)
    return best[2], best[3]


def label_for(role: str, language: str) -> str:
    """The display label of ``role`` in ``language`` (English when unknown)."""
    labels = columns()["labels"][role]
    return labels.get(language, labels["en"])


def pretty(name: str) -> str:
    """A column name as a readable label: "Fecha_inicio_hito" → "Fecha inicio hito"."""
    text = " ".join(re.sub(r"[_]+", " ", name).split())
    return text[:1].upper() + text[1:]


def clean_value(value: object) -> str:
    """A cell as text: whitespace folded, e-mail addresses masked, phone-only cells dropped."""
    if value is None:
        return ""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if _PHONE_ONLY.match(text) and sum(c.isdigit() for c in text) >= 7 and not re.match(r"^\d{4}-\d\d", text):
        return ""
    text = _EMAIL.sub("[e-mail]", text)
    return "" if text == "[e-mail]" else text


def trailing_bodies(text: str) -> list[str]:
    """The bodies named in a trailing parenthesis of acronyms or names: "… (NRCan/StatCan/TBS)"."""
    m = _TRAILING_BODIES.search(text)
    if not m:
        return []
    connectors = sorted((c for cs in columns()["list_connectors"].values() for c in cs), key=len, reverse=True)
    lead = re.compile(r"^(?:" + "|".join(re.escape(c) for c in connectors) + r")\s+", re.IGNORECASE)
    bodies = []
    for part in re.split(r"\s*[/,;]\s*", m.group(1)):
        for piece in re.split(r"\s+(?:" + "|".join(re.escape(c) for c in connectors) + r")\s+", part):
            piece = lead.sub("", piece.strip())
            if piece and piece not in bodies:
                bodies.append(piece)
    names = all(_ACRONYM.match(b) or (b[:1].isupper() and len(b.split()) <= 8) for b in bodies)
    return bodies if bodies and names and any(_ACRONYM.match(b) for b in bodies) else []


def rows_to_records(header: list[str], rows: list[list[object]]) -> tuple[list[Record], str]:
    """Group table rows into commitment records; also the language of the column names.

    A row's commitment is its id column (hierarchical ids such as ``C01.1`` belong to
    ``C01``) or else its title, or the previous row's when both are empty (cells merged
    over milestone rows); rows of one commitment become its milestones; fields with one
    value across a commitment's rows are the commitment's own.
    """
    roles = [field_role(name) for name in header]
    language = Counter(lang for _, lang in roles if lang).most_common(1)
    lang = language[0][0] if language else "en"
    cells = [[clean_value(v) for v in row] + [""] * (len(header) - len(row)) for row in rows]
    cells = [row for row in cells if any(row)]
    id_col = next((i for i, (r, _) in enumerate(roles) if r == "id"), None)
    title_col = next((i for i, (r, _) in enumerate(roles) if r == "title"), None)

    def parent(ident: str) -> str:
        """``C01`` for ``C01.1`` when ``C01`` is a row of its own or heads several rows."""
        m = _HIERARCHICAL_ID.match(ident)
        if not m:
            return ident
        p = m.group("parent")
        siblings = sum(1 for r in cells if r[id_col].startswith(p + "."))
        return p if siblings > 1 or any(r[id_col] == p for r in cells) else ident

    def key(row: list[str], ordinal: int, previous: str | None) -> str:
        if id_col is not None and row[id_col]:
            return parent(row[id_col])
        if title_col is not None and row[title_col]:
            return "title:" + word_fold(row[title_col])
        if previous is not None and (id_col is not None or title_col is not None):
            return previous  # the commitment's cells were merged over its milestone rows
        return f"row:{ordinal}"

    groups: dict[str, list[list[str]]] = {}
    previous = None
    for n, row in enumerate(cells):
        previous = key(row, n, previous)
        groups.setdefault(previous, []).append(row)
    records = []
    for number, (k, members) in enumerate(groups.items(), start=1):
        ref = k if not k.startswith(("title:", "row:")) else str(number)
        record = Record(ref=ref)
        per_row: list[int] = []
        for i, (name, (role, _)) in enumerate(zip(header, roles)):
            if role == "private" or i == id_col:
                continue
            values = [m[i] for m in members]
            if i == title_col:
                own = [m for m in members if id_col is None or m[id_col] == ref]
                record.title = (own or members)[0][i]
                if len(set(values)) > 1 and own != members:
                    per_row.append(i)  # the rows below an id hold their milestones' titles
            elif len(distinct := [v for v in dict.fromkeys(values) if v]) <= 1 or len(members) == 1:
                if distinct:  # one value for the whole commitment (or its merged cell)
                    record.fields.append(Field(role, pretty(name), distinct[0]))
            else:
                per_row.append(i)
        for row in members:
            if id_col is not None and row[id_col] == ref and len(members) > 1:  # the commitment's own row
                record.fields += [Field(roles[i][0], pretty(header[i]), row[i])
                                  for i in per_row if row[i] and i != title_col]
                continue
            filled = [i for i in per_row if row[i]]
            main = min(filled, key=lambda i: _MILESTONE_SOURCES.index(roles[i][0])
                       if roles[i][0] in _MILESTONE_SOURCES else len(_MILESTONE_SOURCES), default=None)
            if main is not None and roles[main][0] in _MILESTONE_SOURCES:
                record.milestones.append(
                    [Field("milestone", pretty(header[main]), row[main])]
                    + [Field("other" if roles[i][0] in _MILESTONE_SOURCES else roles[i][0], pretty(header[i]), row[i])
                       for i in filled if i != main])
            elif filled:
                record.milestones.append([Field(roles[i][0], pretty(header[i]), row[i]) for i in filled])
        records.append(record)
    return records, lang


def add_bodies(records: list[Record], language: str) -> None:
    """Add the bodies named in trailing parentheses of milestone texts ("(FIN/TBS)") as
    responsible fields, when no responsible column exists."""
    for record in records:
        if any(f.role == "responsible" for f in record.fields):
            continue
        for entry in record.milestones:
            if entry and entry[0].role == "milestone" and not any(f.role == "responsible" for f in entry):
                entry.extend(Field("responsible", label_for("responsible", language), body)
                             for body in trailing_bodies(entry[0].value))


def render(builder: Builder, records: list[Record], language: str) -> None:
    """Write ``records`` into ``builder``: one paragraph per commitment, one line per field."""
    opener = label_for("commitment", language)
    for record in records:
        layout = dict(bold=True, heading=2, ref=record.ref)
        parts: list[tuple[str, dict | None]] = [(f"{opener} {record.ref}", {**layout, "role": "commitment"})]
        if record.title:
            parts += [(": ", None), (record.title, {**layout, "role": "title"})]
        builder.line(parts)
        for f in record.fields:
            _field_line(builder, f, record.ref)
        for entry in record.milestones:
            for f in entry:
                _field_line(builder, f, record.ref)
        builder.gap()


def _field_line(builder: Builder, f: Field, ref: str) -> None:
    values = _LIST_SPLIT.split(f.value) if f.role == "responsible" else [f.value]
    parts: list[tuple[str, dict | None]] = [(f"{f.label}: ", None)]
    for k, value in enumerate(v for v in values if v.strip()):
        if k:
            parts.append(("; ", None))
        parts.append((value, {"role": f.role, "ref": ref}))
    builder.line(parts)
