"""JSON and YAML exports: collections of commitments, milestones and indicators found by name.

A collection is a list of objects or a map keyed by ids (``C01``, ``C01.1``, ``3``); its
kind comes from its key's name, or from its name fields (``datastore_id``, ``name``,
``label``…) when the key is generic (``choices``, ``items``…), matched against
``columns.json``. Items of child collections are attached to their commitment by nesting
or by hierarchical id. Bilingual labels (``en:``/``fr:``) keep the document's primary
language: the first language key the data uses. A list of objects that is none of these
is read as a table.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import yaml

from ogp_graph.errors import DocumentError
from ogp_graph.readers.data import columns, load_yaml
from ogp_graph.text import word_fold
from ogp_graph.readers.model import Builder
from ogp_graph.readers.structured import (
    Field, Record, add_bodies, clean_value, field_role, label_for, pretty, render, rows_to_records,
    trailing_bodies,
)

_ID = re.compile(r"^[A-Za-z]{0,6}[-_]?\d{1,4}(?:[.-]\d{1,4}){0,3}$")
_KINDS = ("commitment", "milestone", "other")


class _Reader:
    def __init__(self, data: object):
        self.languages = set(columns()["languages"])
        self.primary = self._first_language(data)

    def _first_language(self, node: object) -> str | None:
        if isinstance(node, dict):
            keys = [k for k in node if isinstance(k, str)]
            if keys and all(k.lower() in self.languages for k in keys):
                return keys[0].lower()
            for v in node.values():
                if lang := self._first_language(v):
                    return lang
        elif isinstance(node, list):
            for v in node:
                if lang := self._first_language(v):
                    return lang
        return None

    def text(self, value: object) -> str:
        """A scalar or a bilingual map as text in the primary language."""
        if isinstance(value, dict) and value and all(str(k).lower() in self.languages for k in value):
            by_lang = {str(k).lower(): v for k, v in value.items()}
            return self.text(by_lang.get(self.primary, next(iter(by_lang.values()))))
        if isinstance(value, (dict, list, bool)) or value is None:
            return ""
        return clean_value(value)

    def kind(self, key: str, siblings: dict | None) -> str | None:
        """The kind of the collection held under ``key`` (in a mapping with ``siblings``)."""
        names = columns()["collections"]
        folded = word_fold(key)
        if folded in {word_fold(k) for k in names["generic_keys"]} and siblings:
            candidates = [self.text(siblings[k]) for k in names["name_keys"] if k in siblings]
        else:
            candidates = [key]
        for candidate in candidates:
            for kind in _KINDS:
                if word_fold(candidate) in {word_fold(n) for n in names[kind]}:
                    return kind
        return None

    def fields(self, item: object) -> tuple[str, list[Field], dict[str, list]]:
        """The title, other fields and child collections of one item."""
        if not isinstance(item, dict) or (item and all(str(k).lower() in self.languages for k in item)):
            return self.text(item), [], {}
        title, fields, children = "", [], {}
        spoken = [k for k in item if str(k).lower() in self.languages]
        if spoken:  # a bilingual label: the primary language's is the title, the others go
            title = self.text({k: item[k] for k in spoken})
            item = {k: v for k, v in item.items() if k not in spoken}
        for key, value in item.items():
            kind = self.kind(str(key), item) if isinstance(value, (list, dict)) else None
            if kind and self.items(value):
                children.setdefault(kind, []).extend(self.items(value))
                continue
            text = self.text(value)
            if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
                text = "; ".join(t for t in (clean_value(v) for v in value) if t)
            if not text or text.startswith(("/", "http://", "https://")):
                continue
            role, _ = field_role(str(key))
            if role == "title" and not title:
                title = text
            elif role not in ("private", "id"):
                fields.append(Field(role, pretty(str(key)), text))
        return title, fields, children

    def flat(self, item: object) -> bool:
        """True for an object of scalar (or bilingual) fields: a table row."""
        return isinstance(item, dict) and not any(str(k).lower() in self.languages for k in item) and all(
            not isinstance(v, (dict, list)) or (isinstance(v, dict) and self.text(v)) for v in item.values())

    @staticmethod
    def items(value: object) -> list[tuple[str | None, object]]:
        """``(id, item)`` pairs of a collection (a list of objects or a map keyed by ids)."""
        if isinstance(value, dict) and len(value) >= 1 and all(_ID.match(str(k)) for k in value):
            return [(str(k), v) for k, v in value.items()]
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return [(None, v) for v in value]
        return []

    def collections(self, node: object, found: dict[str, list]) -> None:
        """Every named collection below ``node``, by kind, in document order."""
        if isinstance(node, dict):
            for key, value in node.items():
                kind = self.kind(str(key), node) if isinstance(value, (list, dict)) else None
                if kind and self.items(value):
                    found.setdefault(kind, []).extend(self.items(value))
                else:
                    self.collections(value, found)
        elif isinstance(node, list):
            for value in node:
                self.collections(value, found)


def _item_id(ident: str | None, item: object) -> str | None:
    if ident is not None or not isinstance(item, dict):
        return ident
    return next((clean_value(v) for k, v in item.items() if field_role(str(k))[0] == "id" and clean_value(v)), None)


def _parent(ident: str | None, refs: list[str]) -> str | None:
    """The longest of ``refs`` that ``ident`` extends (``C01`` for ``C01.1``)."""
    if ident is None:
        return None
    return max((r for r in refs if ident.startswith(r) and ident[len(r):len(r) + 1] in (".", "-")),
               key=len, default=None)


def _records(reader: _Reader, found: dict[str, list]) -> list[Record]:
    language = reader.primary or "en"
    records: list[Record] = []
    by_ref: dict[str, Record] = {}
    milestone_refs: dict[str, list[Field]] = {}  # milestone id → its entry

    def entry(ident, item, kind: str, *, number: int | None = None) -> list[Field]:
        """A milestone (its full text when the data has one, else its label), labelled with its
        ``number`` ("Milestone 6", so that it reads as the sixth milestone), or an indicator."""
        title, fields, _ = reader.fields(item)
        full = next((f for f in fields if f.role == "description"), None)
        text = full.value if full and kind == "milestone" else title
        label = (f"{label_for('milestone', language)} {number}" if kind == "milestone"
                 else label_for("indicator", language))
        head = [Field(kind, label, text or (full.value if full else ""))]
        rest = [f for f in fields if f is not full or kind != "milestone"]
        bodies = trailing_bodies(text or "") or trailing_bodies(title) if kind == "milestone" else []
        return [f for f in head if f.value] + [Field("other" if kind == "other" else f.role, f.label, f.value)
                                               for f in rest] + [
            Field("responsible", label_for("responsible", language), body) for body in bodies]

    items = found.get("commitment", [])
    if items and all(reader.flat(item) for _, item in items):  # rows, maybe one per milestone
        records = _as_table(reader, items)
        by_ref = {record.ref: record for record in records}
    for n, (ident, item) in enumerate(items if not records else [], start=1):
        ref = _item_id(ident, item) or str(n)
        title, fields, children = reader.fields(item)
        record = Record(ref=ref, title=title, fields=fields)
        for kind in ("milestone", "other"):
            for child_id, child in children.get(kind, []):
                number = _number(child_id, ref, len(record.milestones) + 1)
                record.milestones.append(entry(child_id, child, kind, number=number))
        records.append(record)
        by_ref[ref] = record
    for kind in ("milestone", "other"):
        for ident, item in found.get(kind, []):
            ident = _item_id(ident, item)
            milestone = _parent(ident, list(milestone_refs))
            owner = _parent(ident, list(by_ref)) or _parent(milestone, list(by_ref))
            if owner is None and ident and "." in ident:
                owner = ident.split(".")[0]
                by_ref[owner] = Record(ref=owner)
                records.append(by_ref[owner])
            if owner is None:
                continue
            made = entry(ident, item, kind, number=_number(ident, owner, len(by_ref[owner].milestones) + 1))
            if milestone is not None and kind == "other":  # an indicator of a milestone: under it, before the next one
                milestone_refs[milestone].extend(made)
                continue
            by_ref[owner].milestones.append(made)
            if kind == "milestone" and ident:
                milestone_refs[ident] = made
    return records


def _number(ident: str | None, owner: str, ordinal: int) -> int:
    """A milestone's number: the part of its id after its commitment's ("C04.6" of C04 → 6), else
    ``ordinal`` (its place among the commitment's milestones)."""
    if not ident or _parent(ident, [owner]) != owner:
        return ordinal
    rest = ident[len(owner) + 1:]
    return int(rest) if rest.isdigit() else ordinal


def _as_table(reader: _Reader, items: list[tuple[str | None, dict]]) -> list[Record]:
    """Records of flat objects read as table rows (their map keys, if any, as the id column)."""
    keys = list(dict.fromkeys(str(k) for _, item in items for k in item))
    ids = any(ident is not None for ident, _ in items)
    header = (["id"] if ids else []) + keys
    rows = [([ident or ""] if ids else []) + [reader.text(item.get(k)) for k in keys] for ident, item in items]
    records, _ = rows_to_records(header, rows)
    return records


def _table(reader: _Reader, data: object) -> list[Record] | None:
    """Records of the largest list of flat objects in ``data``, read as a table."""
    best: list = []

    def walk(node):
        nonlocal best
        if isinstance(node, list) and len(node) > len(best) and all(isinstance(v, dict) for v in node):
            best = node
        for v in (node.values() if isinstance(node, dict) else node if isinstance(node, list) else []):
            walk(v)

    walk(data)
    return _as_table(reader, [(None, row) for row in best]) if best else None


def read_records(path: Path, raw: str, media_type: str) -> Builder:
    """The blocks of a JSON or YAML export of commitments.

    :raises DocumentError: unparsable, or holding no text at all.
    """
    try:
        if media_type == "application/json":
            data = json.loads(raw)
        else:
            data = load_yaml(raw)
    except (ValueError, yaml.YAMLError) as exc:  # json.JSONDecodeError is a ValueError
        kind = "JSON" if media_type == "application/json" else "YAML"
        raise DocumentError(path, f"unparsable {kind} ({str(exc).splitlines()[0]})") from exc
    reader = _Reader(data)
    found: dict[str, list] = {}
    reader.collections(data, found)
    reader.primary = reader.primary or _key_language(data)
    records = _records(reader, found) if found.get("commitment") or found.get("milestone") else _table(reader, data)
    builder = Builder()
    language = reader.primary
    if isinstance(data, dict):
        for key in ("title", "titulo", "título", "name", "nombre", "nome", "titre"):
            if key in data and (title := reader.text(data[key])):
                builder.title = title
                builder.add(title, bold=True, heading=1)
                break
        for key, value in data.items():
            if field_role(str(key))[0] == "description" and (text := reader.text(value)):
                builder.add(text)
        _stated_counts(reader, data, builder)
    if records:
        add_bodies(records, language)
        builder.gap()
        render(builder, records, language)
    if not builder.blocks:
        raise DocumentError(path, "no commitments, milestones or text found in the data")
    return builder


def _key_language(data: object) -> str:
    """The language most of the data's key names are in ("en" when none is recognised)."""
    votes: Counter[str] = Counter()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if lang := field_role(str(key))[1]:
                    votes[lang] += 1
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return votes.most_common(1)[0][0] if votes else "en"


def _stated_counts(reader: _Reader, data: object, builder: Builder) -> None:
    """The descriptions of named collections ("The 10 commitments in the …"), as text."""
    names = columns()["collections"]
    if isinstance(data, dict):
        if any(k in data for k in names["name_keys"]) and reader.kind("choices", data):
            for key, value in data.items():
                if field_role(str(key))[0] == "description" and (text := reader.text(value)) and len(text) > 3:
                    builder.add(text)
        for value in data.values():
            _stated_counts(reader, value, builder)
    elif isinstance(data, list):
        for value in data:
            _stated_counts(reader, value, builder)
