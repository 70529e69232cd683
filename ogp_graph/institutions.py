"""Institution gazetteer: full names ↔ acronyms, typo-tolerant resolution, responsible fields.

Data: ``data/institutions/<country>.csv`` (``key,acronyms,name,alt_names,kind``), plus
``international.csv`` for bodies that act in every country (country code ``INT``).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

INTERNATIONAL = "INT"
_SEPARATORS = re.compile(r"\s*(?:[/,;]|\s(?:y|e|and)\s)\s*")
_ORG_HEADS = {
    "ministerio", "secretaria", "direccion", "instituto", "comite", "consejo", "fondo", "organizacion",
    "alianza", "superintendencia", "registro", "mesa", "comision", "coordinadora", "asociacion", "fundacion",
    "agencia", "banco", "unidad", "departamento", "universidad", "red", "oficina", "procuraduria", "defensoria",
    "servicio", "contraloria", "tribunal", "corte", "consejeria", "viceministerio", "subsecretaria",
}
_MINOR = {"de", "del", "la", "las", "los", "el", "y", "e", "para", "en", "por", "a", "al", "of", "the", "and", "for"}
_DEFINITION = re.compile(r"(?:\(\s*(?P<paren>[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ/]{1,11})\s*\)|\s-\s?(?P<dash>[A-Z][A-Z/]{1,11})\b"
                         r"|\s(?P<bare>[A-Z]{3,11})\b)")
_KIND_BY_HEAD = {"fundacion": "civil_society", "asociacion": "civil_society", "red": "civil_society",
                 "universidad": "academic"}


@dataclass(frozen=True)
class Institution:
    """An organisation, with every way it is written."""

    key: str
    country: str
    name: str
    acronyms: tuple[str, ...] = ()
    alt_names: tuple[str, ...] = ()
    kind: str = "government"

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.alt_names, *self.acronyms)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``, spaces collapsed, end punctuation dropped."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"\s+", " ", re.sub(r"[\"“”«»]", "", text)).strip(" .,;:-")


def _within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if fold(w) not in _MINOR).upper()


class InstitutionGazetteer:
    """Institutions of every country with a gazetteer file, looked up by any of their labels."""

    def __init__(self, institutions: list[Institution]):
        self.institutions = institutions
        self._by_label: dict[tuple[str, str], Institution] = {}
        for inst in institutions:
            for label in inst.labels:
                self._by_label.setdefault((inst.country, fold(label)), inst)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> InstitutionGazetteer:
        """The gazetteer shipped in ``ogp_graph/data/institutions`` (loaded once)."""
        folder = resources.files("ogp_graph") / "data" / "institutions"
        found = []
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".csv"):
                stem = entry.name[:-4].upper()
                country = INTERNATIONAL if stem == "INTERNATIONAL" else stem
                with entry.open(encoding="utf-8") as fh:
                    found += [
                        Institution(
                            key=row["key"], country=country, name=row["name"],
                            acronyms=tuple(a for a in row["acronyms"].split("|") if a),
                            alt_names=tuple(a for a in row["alt_names"].split("|") if a),
                            kind=row["kind"] or "government",
                        )
                        for row in csv.DictReader(fh)
                    ]
        return cls(found)

    def countries(self) -> set[str]:
        return {i.country for i in self.institutions}

    def get(self, country: str, key: str) -> Institution:
        """The institution ``key`` of ``country`` (or an international one).

        :raises KeyError: no such institution.
        """
        for inst in self.institutions:
            if inst.key == key and inst.country in (country, INTERNATIONAL):
                return inst
        raise KeyError(f"no institution {key!r} for {country}")

    def resolve(self, text: str, country: str = "GT") -> Institution | None:
        """The institution ``text`` names (full name or acronym, any case or accents, a
        one-letter typo in an acronym of four letters or more), else None."""
        folded = fold(text)
        for c in (country, INTERNATIONAL):
            if inst := self._by_label.get((c, folded)):
                return inst
        token = text.strip(" .,;:")
        if len(token) >= 4 and token.isupper() and token.isalpha():
            close = {i for i in self.institutions if i.country in (country, INTERNATIONAL)
                     for a in i.acronyms if len(a) >= 4 and _within_one_edit(a, token)}
            if len(close) == 1:
                return close.pop()
        return None

    def split_responsible(self, text: str, country: str = "GT") -> list[Institution]:
        """The institutions of a "Responsable: …" field, in order; never splits inside a known
        name ("Ministerio de Comunicaciones, Infraestructura y Vivienda"); unknown pieces
        become new institutions so that nothing is dropped."""
        cuts = [0, *(x for m in _SEPARATORS.finditer(text) for x in (m.start(), m.end())), len(text)]
        pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
        result: list[Institution] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces) - 1, i - 1, -1):  # the longest run of pieces that is a known name
                found = self.resolve(text[pieces[i][0] : pieces[j][1]], country)
                if found:
                    break
            else:
                j, piece = i, text[pieces[i][0] : pieces[i][1]].strip(" .")
                found = _unknown(piece, country) if piece else None
            if found and found not in result:
                result.append(found)
            i = j + 1
        return result

    def find_definitions(self, text: str, country: str = "GT") -> list[tuple[Institution, int, int]]:
        """Institutions defined in ``text`` by their acronym: "Full Name (ACR)", "Full Name -ACR",
        "Full Name ACR", when the acronym's letters are the initials of the name's significant
        words and the name starts with an organisation word (Ministerio, Dirección, Fondo…)."""
        found = []
        for m in _DEFINITION.finditer(text):
            acronym = m.group("paren") or m.group("dash") or m.group("bare")
            letters = acronym.replace("/", "").upper()
            words = list(re.finditer(r"[\wÁÉÍÓÚÑáéíóúñ]+", text[max(0, m.start() - 160) : m.start()]))
            base = max(0, m.start() - 160)
            for k in range(len(words) - 1, -1, -1):
                span_words = [w.group(0) for w in words[k:]]
                initials = _initials(span_words)
                if initials == letters and fold(span_words[0]) in _ORG_HEADS:
                    start = base + words[k].start()
                    name = re.sub(r"\s+", " ", text[start : base + words[-1].end()])
                    known = self.resolve(acronym, country) or self.resolve(name, country)
                    inst = known or replace(_unknown(name, country), key=acronym, acronyms=(acronym,))
                    found.append((inst, start, m.end()))
                    break
                if len(initials) > len(letters):
                    break
        return found

    def patterns(self, *countries: str) -> list[dict]:
        """spaCy ``entity_ruler`` patterns (label ORG, id ``COUNTRY/KEY``) for the institutions
        of ``countries`` and international ones: names as phrases (matched on LOWER, with and
        without accents), acronyms token-exact on ORTH."""
        patterns = []
        for inst in self.institutions:
            if inst.country not in (*countries, INTERNATIONAL):
                continue
            ident = f"{inst.country}/{inst.key}"
            for name in (inst.name, *inst.alt_names):
                for variant in {name, _strip_accents(name)}:
                    patterns.append({"label": "ORG", "pattern": variant, "id": ident})
            for acronym in inst.acronyms:
                patterns.append({"label": "ORG", "pattern": [{"ORTH": acronym}], "id": ident})
        return patterns


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _unknown(name: str, country: str) -> Institution:
    """An institution not in the gazetteer, keyed by its slugged name."""
    key = re.sub(r"[^A-Z0-9]+", "-", fold(name).upper()).strip("-")
    head = fold(name.split()[0]) if name.split() else ""
    acronyms = (name,) if name.isupper() and " " not in name else ()
    return Institution(key=key, country=country, name=name, acronyms=acronyms, kind=_KIND_BY_HEAD.get(head, "government"))
