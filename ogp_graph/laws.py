"""Legislation citations: numbered instruments, articles, bills and named laws, one key per law.

Known laws (names, acronyms, amendments) live in ``data/laws/<country>.csv``.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from ogp_graph.institutions import fold

_TYPES = {
    "decreto": "decreto",
    "decretos": "decreto",
    "acuerdo ministerial": "acuerdo-ministerial",
    "acuerdos ministeriales": "acuerdo-ministerial",
    "acuerdo gubernativo": "acuerdo-gubernativo",
    "acuerdos gubernativos": "acuerdo-gubernativo",
}
_LABELS = {"decreto": "Decreto", "acuerdo-ministerial": "Acuerdo Ministerial",
           "acuerdo-gubernativo": "Acuerdo Gubernativo", "iniciativa": "Iniciativa",
           "executive-order": "Executive Order", "act": "Public Law", "registro-oficial": "Registro Oficial"}
#: other numbered instruments: (pattern with a "numbers" group, doc_type, one number)
_MORE_INSTRUMENTS = [
    (re.compile(r"\bRegistro Oficial\s+(?:No\.?|no\.?|N°|n[úu]mero)\s*(?P<numbers>\d{1,4})\b"), "registro-oficial",
     re.compile(r"\d{1,4}")),
    (re.compile(r"\bExecutive Orders?\s+(?:No\.\s*)?(?P<numbers>\d{5}(?:(?:\s*,\s*|\s+and\s+|,\s+and\s+)\d{5})*)"),
     "executive-order", re.compile(r"\d{5}")),
    (re.compile(r"\b(?:Public Law|Pub\. L\.)\s+(?:No\.\s*)?(?P<numbers>\d{2,3}-\d{1,3})"), "act",
     re.compile(r"\d{2,3}-\d{1,3}")),
]
_NUMBER = r"\d{1,4}-(?:\d{4}|\d{2})(?!\d)"
_INSTRUMENT = re.compile(
    rf"\b(?P<type>Decretos?|Acuerdos?\s+(?:Ministerial(?:es)?|Gubernativos?))\s+"
    rf"(?:(?:No|Nos|Núm|Número|número|Num|N°|no)\.?\s*)?"
    rf"(?P<numbers>{_NUMBER}(?:\s*(?:,|y|e)\s*{_NUMBER})*)",
    re.IGNORECASE,
)
_ONE_NUMBER = re.compile(r"(?P<n>\d{1,4})-(?P<y>\d{4}|\d{2})(?!\d)")
_QUOTED_NAME = re.compile(r"\s*[“\"«]([^”\"»]{5,200})[”\"»]")
_ARTICLE = re.compile(r"\bart[íi]culo\s+(?P<n>\d+)(?!\s*(?:al|a|y)\s+\d)", re.IGNORECASE)
_BILL = re.compile(
    r"\b(?:iniciativa(?:\s+de\s+ley)?|proyecto\s+de\s+ley\s+con\s+n[úu]mero\s+de\s+registro"
    r"(?:\s+ante\s+la\s+Direcci[óo]n\s+Legislativa)?)\s+(?:(?:No\.?|n[úu]mero)\s*)?(?P<n>\d{3,5})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LawCitation:
    """One law cited in a text, with the span of the words that cite it."""

    start: int
    end: int
    text: str
    key: str
    doc_type: str
    id_local: str | None
    label: str
    name: str | None = None
    acronym: str | None = None
    article: str | None = None
    year: int | None = None
    amends: tuple[str, ...] = ()


def _year(two_or_four: str) -> int:
    y = int(two_or_four)
    if len(two_or_four) == 4:
        return y
    return 2000 + y if y <= 30 else 1900 + y


class LawGazetteer:
    """Known laws by key, name and acronym."""

    def __init__(self, rows: list[dict]):
        self.rows = {r["key"]: r for r in rows}
        self._patterns: dict[str, re.Pattern[str] | None] = {}
        self._names: dict[str, list[tuple[str, str]]] = {}  # country → [(label, key)]
        for r in rows:
            country = r["key"].split("/", 1)[0]
            labels = [r["name"], *filter(None, r["alt_names"].split("|")), *filter(None, r["acronyms"].split("|"))]
            self._names.setdefault(country, []).extend((label, r["key"]) for label in labels if label)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> LawGazetteer:
        """The gazetteer shipped in ``ogp_graph/data/laws`` (loaded once)."""
        rows = []
        for entry in (resources.files("ogp_graph") / "data" / "laws").iterdir():
            if entry.name.endswith(".csv"):
                with entry.open(encoding="utf-8") as fh:
                    rows += list(csv.DictReader(fh))
        return cls(rows)

    def _name_pattern(self, country: str) -> re.Pattern[str] | None:
        if country not in self._patterns:
            self._patterns[country] = self._compile_names(country)
        return self._patterns[country]

    def _compile_names(self, country: str) -> re.Pattern[str] | None:
        labels = sorted(self._names.get(country, []), key=lambda lk: -len(lk[0]))
        if not labels:
            return None
        parts = []
        for label, _ in labels:
            words = r"\s+".join(re.escape(w) for w in label.split())
            parts.append(rf"\b{words}\b" if not label.isupper() else rf"(?-i:\b{words}\b)")
        return re.compile("|".join(parts), re.IGNORECASE)

    def resolve_name(self, text: str, country: str) -> str | None:
        """Key of the law named ``text`` (name or acronym), else None."""
        folded = fold(text)
        return next((key for label, key in self._names.get(country, []) if fold(label) == folded), None)

    def citation(self, key: str, start: int = 0, end: int = 0, text: str = "") -> LawCitation:
        """A citation of the known law ``key`` (for a number, the number's own label)."""
        row = self.rows.get(key)
        country, doc_type, ident = (key.split("/") + ["", ""])[:3]
        if row is None:
            label = f"{_LABELS.get(doc_type, doc_type.capitalize())} {ident}"
            year = _year(ident.rsplit("-", 1)[1]) if "-" in ident else None
            return LawCitation(start, end, text, key, doc_type, ident or None, label, year=year)
        acronyms = [a for a in row["acronyms"].split("|") if a]
        id_local = row["id_local"] or None
        label = f"{_LABELS.get(row['doc_type'], row['doc_type'].capitalize())} {id_local}" if id_local else row["name"]
        year = _year(id_local.rsplit("-", 1)[1]) if id_local and "-" in id_local else None
        return LawCitation(start, end, text, key, row["doc_type"], id_local, label, row["name"] or None,
                           acronyms[0] if acronyms else None, None, year,
                           tuple(a for a in row["amends"].split("|") if a))

    def find_citations(self, text: str, country: str = "GT") -> list[LawCitation]:
        """Every law cited in ``text``: one citation per law mention, in text order."""
        found: list[LawCitation] = []
        taken: list[tuple[int, int]] = []
        for m in _INSTRUMENT.finditer(text):
            doc_type = _TYPES[re.sub(r"\s+", " ", m.group("type").lower())]
            for n in _ONE_NUMBER.finditer(m.group("numbers")):
                start = m.start() if not found or found[-1].end <= m.start() else m.start("numbers") + n.start()
                end = m.start("numbers") + n.end()
                ident = n.group(0)
                cite = self.citation(f"{country}/{doc_type}/{ident}", start, end, text[start:end])
                quoted = _QUOTED_NAME.match(text, end)
                if quoted and cite.name is None:
                    cite = replace(cite, name=quoted.group(1).strip(), end=quoted.end(), text=text[start:quoted.end()])
                found.append(cite)
            taken.append((m.start(), found[-1].end if found else m.end()))
        for pattern, doc_type, number in _MORE_INSTRUMENTS:
            for m in pattern.finditer(text):
                for n in number.finditer(m.group("numbers")):
                    start, end = m.start("numbers") + n.start(), m.start("numbers") + n.end()
                    found.append(self.citation(f"{country}/{doc_type}/{n.group(0)}", m.start() if n.start() == 0 else start,
                                               end, text[m.start() if n.start() == 0 else start : end]))
                taken.append((m.start(), m.end()))
        for m in _BILL.finditer(text):
            found.append(self.citation(f"{country}/iniciativa/{m.group('n')}", m.start(), m.end(), m.group(0)))
        if pattern := self._name_pattern(country):
            for m in pattern.finditer(text):
                if not any(s <= m.start() < e for s, e in taken):
                    key = self.resolve_name(m.group(0), country)
                    found.append(self.citation(key, m.start(), m.end(), m.group(0)))
        found.sort(key=lambda c: c.start)
        return _attach_articles(text, found)


def _attach_articles(text: str, found: list[LawCitation]) -> list[LawCitation]:
    """Give a numbered citation the article cited in the same sentence ("artículo 36")."""
    result = list(found)
    for m in _ARTICLE.finditer(text):
        sentence_start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        sentence_end = min(x for x in (text.find(". ", m.end()), text.find("\n", m.end()), len(text)) if x >= 0)
        near = [i for i, c in enumerate(result) if c.id_local and sentence_start <= c.start < sentence_end]
        if near:
            i = min(near, key=lambda i: abs(result[i].start - m.start()))
            result[i] = replace(result[i], article=m.group("n"))
    return result


def find_citations(text: str, country: str = "GT") -> list[LawCitation]:
    """Laws cited in ``text`` (see ``LawGazetteer.find_citations``)."""
    return LawGazetteer.default().find_citations(text, country)
