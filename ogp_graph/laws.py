"""Legislation citations: numbered instruments, articles, bills and named laws, one key per law.

Data under ``data/laws/``: ``<country>.csv`` lists known laws (names, acronyms, amendments);
``instruments.csv`` the numbered instruments (a regex for the words that introduce the number, the
shape of the number, whether it ends with a year). Keys are ``{country}/{doc_type}/{id_local}``
for numbered instruments and ``{country}/{doc_type}/{slug}`` for laws known only by name, so
"LAIP", "Ley de Acceso a la Información Pública" and "Decreto 57-2008" share one key.
"""
from __future__ import annotations

import csv
import json
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import resources

from ogp_graph.countries import data_files
from ogp_graph.text import name_key

_DATA = resources.files("ogp_graph") / "data" / "laws"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_KEY = re.compile(r"^(?P<country>[A-Z]{2})/(?P<doc_type>[a-z-]+)/(?P<ident>[^/\s]+)$")
_DASHES = str.maketrans({"–": "-", "‑": "-"})

_NUMBER_WORD = r"(?:(?:N[úu]meros?|N[úu]ms?|Nros?|Nos?|N[°º]|N\.º)\.?\s*)?"
_SEPARATOR = r"(?:\s*,\s*(?:and\s+)?|\s+(?:y|e|and)\s+)"
_QUOTED_NAME = re.compile(r"[^\S\n]*,?[^\S\n]*[“\"«](?P<name>[A-ZÁÉÍÓÚÑ][^”\"»\n]{4,200})[”\"»]")

_UPPER, _LOWER = "A-ZÁÉÍÓÚÑÜ", "a-záéíóúñü"
_SPACE = r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)"  # a line break inside a name, never a blank line
_LINK = r"(?:de|del|la|las|los|el|para|a|al|sobre|contra|y|e)"
_STOP = r"(?:Ley|Código|Reglamento|Constitución|Decreto|Acuerdo|Registro|Suplemento|Ordenanza|Resolución)"
_NAMED = json.loads((_DATA / "named.json").read_text(encoding="utf-8"))
_NAMED_HEADS: dict[str, str] = _NAMED["heads"]
_NAMED_TAILS: dict[str, str] = _NAMED["tails"]
_CAP_WORD = r"(?:[A-Z][\w’'\-]*)"
_TAIL_LINKS = "|".join(link.replace(" ", r"\s+") for link in _NAMED["tail_links"])
#: an English-style name: capitalised words (and links) ending with "Act", "… of 2012", "(FISA)"
_TAIL_NAME = re.compile(
    rf"(?<![\w])(?!(?:{'|'.join(_NAMED['determiners'])})\s){_CAP_WORD}"
    rf"(?:(?:\s+(?:{_TAIL_LINKS}))?\s+{_CAP_WORD})*?"
    rf"\s+(?P<tail>{'|'.join(_NAMED_TAILS)})(?![\w])(?:\s+of\s+(?P<year>(?:19|20)\d{{2}}))?"
    rf"(?:\s*\((?P<acronym>[A-Z][A-Za-z]{{1,9}})\))?"
)
#: a capitalised name after "Ley|Código|Reglamento": words, linking words, acronyms after a link
_GENERIC_NAME = re.compile(
    rf"(?<![\w])(?P<head>{'|'.join(_NAMED_HEADS)})"
    rf"(?:(?:{_SPACE}{_LINK})+{_SPACE}(?!{_STOP}\b)[{_UPPER}]{{2,8}}(?![\w])"
    rf"|(?:{_SPACE}{_LINK})*{_SPACE}(?!{_STOP}\b)[{_UPPER}][{_LOWER}\u00ad]+(?![{_UPPER}{_LOWER}]))+"
)
_HAS_LINK = re.compile(r"\s(?:de|del|para|sobre|contra|a|al)\s")
_ARTICLE = re.compile(r"\b(?:art[íi]culo|art\.)\s*(?P<n>\d+(?:\s*bis)?)(?!\s*(?:,|al|a|y|e)\s*\d)(?!\d)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[¿¡“\"(]?[A-ZÁÉÍÓÚÑ])|\n")
_VOWELS = {"a": "[aáàâä]", "e": "[eéèêë]", "i": "[iíìîï]", "o": "[oóòôö]", "u": "[uúùûü]"}


@dataclass(frozen=True)
class Law:
    """A known law, as listed in ``data/laws/<country>.csv``."""

    key: str
    doc_type: str
    id_local: str | None
    name: str | None
    acronyms: tuple[str, ...] = ()
    alt_names: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()

    @property
    def country(self) -> str:
        return self.key.split("/", 1)[0]


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


@dataclass(frozen=True)
class Instrument:
    """A kind of numbered instrument: ``pattern`` introduces one or more numbers of shape ``number``."""

    pattern: str
    doc_type: str
    label: str
    number: str
    dated: bool

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The words, an optional "No."/"número", then numbers separated by commas, "y", "and"."""
        one = rf"{self.number}(?![\d\-–‑])"
        return re.compile(rf"(?<![\w])(?:{self.pattern})\s+{_NUMBER_WORD}(?P<numbers>{one}(?:{_SEPARATOR}{one})*)",
                          re.IGNORECASE)


def _year(digits: str) -> int:
    """The year a number such as 63-94 ends with: four digits as written; two digits 00-30 → 20xx, else 19xx."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if year <= 30 else 1900 + year


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_key(text)).strip("-")


def _loose(label: str) -> str:
    """Regex for ``label``: any spacing, optional commas and soft hyphens, accents optional on vowels."""
    words = [w.rstrip(",") for w in label.split()]
    return r",?\s+".join("\u00ad?".join(_letter(ch) for ch in w) for w in words)


def _letter(ch: str) -> str:
    folded = name_key(ch) if ch.isalpha() else ch
    return _VOWELS.get(folded, re.escape(ch))


def _label_key(text: str) -> str:
    """How labels are compared: case, accents, commas and spacing ignored."""
    return re.sub(r"[,\s]+", " ", name_key(text)).strip()


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


class LawGazetteer:
    """Known laws by key, name and acronym, and the numbered instruments to look for."""

    def __init__(self, laws: Iterable[Law], instruments: Iterable[Instrument] = ()):
        self.laws = {law.key: law for law in laws}
        self.instruments = tuple(instruments)
        labels: dict[tuple[str, str], set[str]] = {}
        for law in self.laws.values():
            for label in filter(None, (law.name, *law.alt_names, *law.acronyms)):
                labels.setdefault((law.country, _label_key(label)), set()).add(law.key)
        #: (country, folded label) → key, for labels naming exactly one law
        self._by_label = {k: next(iter(keys)) for k, keys in labels.items() if len(keys) == 1}
        self._patterns: dict[str, re.Pattern[str] | None] = {}

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> LawGazetteer:
        """The gazetteer shipped in ``ogp_graph/data/laws`` (loaded once)."""
        laws = []
        for country, name in data_files("laws"):  # which file applies to which country: data/countries.json
            with (_DATA / name).open(encoding="utf-8") as fh:
                laws += [_law(row, country) for row in csv.DictReader(fh)]
        with (_DATA / "instruments.csv").open(encoding="utf-8") as fh:
            instruments = [Instrument(r["pattern"], r["doc_type"], r["label"], r["number"], r["dated"] == "yes")
                           for r in csv.DictReader(fh)]
        return cls(laws, instruments)

    def get(self, key: str) -> Law | None:
        """The known law ``key``, None when the gazetteer does not list it."""
        return self.laws.get(key)

    def resolve_name(self, text: str, country: str) -> str | None:
        """Key of the one law of ``country`` named ``text`` (name, alternative name or acronym), else None."""
        return self._by_label.get((country, _label_key(text)))

    def citation(self, key: str, start: int = 0, end: int = 0, text: str = "", *,
                 instrument: Instrument | None = None, year: int | None = None) -> LawCitation:
        """A citation of law ``key`` at ``text[start:end]``: name, acronym and amendments from the
        gazetteer; label ("Decreto 63-94") from ``instrument`` (default: the instrument whose numbers
        look like the key's); year (1994) from a dated number, else ``year``.

        :raises ValueError: ``key`` is not ``CC/doc-type/id``.
        """
        match = _KEY.match(key)
        if match is None:
            raise ValueError(f"not a law key (CC/doc-type/id): {key!r}")
        law = self.laws.get(key) or Law(key, match["doc_type"], None, None)
        ident = law.id_local or (match["ident"] if key not in self.laws else None)
        inst = instrument or self._instrument(law.doc_type, ident)
        if inst is None or ident is None:
            label = law.name or key
            return LawCitation(start, end, text, key, law.doc_type, law.id_local, label, law.name,
                               next(iter(law.acronyms), None), None, None, law.amends)
        if inst.dated:
            year = _year(ident.rsplit("-", 1)[1])
        return LawCitation(start, end, text, key, law.doc_type, ident, f"{inst.label} {ident}", law.name,
                           next(iter(law.acronyms), None), None, year, law.amends)

    def _instrument(self, doc_type: str, ident: str | None) -> Instrument | None:
        """The instrument whose numbers look like ``ident`` (a decree for "63-94"), if any."""
        return next((i for i in self.instruments if i.doc_type == doc_type and ident
                     and re.fullmatch(i.number, ident)), None)

    def find_citations(self, text: str, country: str) -> list[LawCitation]:
        """Every law cited in ``text``, one citation per mention, in text order.

        Numbered instruments first (with a quoted name right after them), then names and acronyms
        of known laws, then other capitalised "Ley/Código/Reglamento de …" names and "… Act" names
        (with the acronym they are given, "(FISA)", whose later uses cite them too), each only where
        nothing found before overlaps (see ``data/laws/named.json``); an "artículo N" goes to the
        nearest citation of its sentence.

        :raises TypeError: ``text`` is not a string.
        :raises ValueError: ``country`` is not an ISO 3166-1 alpha-2 code such as "GT".
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        if not isinstance(country, str) or not _COUNTRY.match(country):
            raise ValueError(f"country must be an upper-case ISO 3166-1 alpha-2 code, not {country!r}")
        found = self._numbered(text, country)
        taken = [(c.start, c.end) for c in found]

        def free(start: int, end: int) -> bool:
            return not any(s < end and start < e for s, e in taken)

        if pattern := self._name_pattern(country):
            for m in pattern.finditer(text):
                key = self.resolve_name(m.group(0), country)
                if key and free(m.start(), m.end()):
                    found.append(self.citation(key, m.start(), m.end(), m.group(0)))
                    taken.append((m.start(), m.end()))
        for m in _GENERIC_NAME.finditer(text):
            name = re.sub(r"\s+", " ", m.group(0))
            if _HAS_LINK.search(name) and free(m.start(), m.end()):
                key = self.resolve_name(name, country) or f"{country}/{_NAMED_HEADS[m['head']]}/{_slug(name)}"
                cite = self.citation(key, m.start(), m.end(), m.group(0))
                found.append(cite if cite.name else replace(cite, name=name, label=name))
                taken.append((m.start(), m.end()))
        acronyms: dict[str, LawCitation] = {}
        for m in _TAIL_NAME.finditer(text):
            name = re.sub(r"\s+", " ", text[m.start() : m.end("year") if m["year"] else m.end("tail")])
            bare = re.sub(r"\s+of\s+\d{4}$", "", name)
            if free(m.start(), m.end()):
                key = self.resolve_name(name, country) or self.resolve_name(bare, country) \
                    or f"{country}/{_NAMED_TAILS[m['tail']]}/{_slug(bare)}"
                cite = self.citation(key, m.start(), m.end(), text[m.start() : m.end()])
                cite = cite if cite.name else replace(cite, name=name, label=name, acronym=m["acronym"],
                                                      year=int(m["year"]) if m["year"] else None)
                found.append(cite)
                taken.append((m.start(), m.end()))
                if m["acronym"]:
                    acronyms[m["acronym"]] = cite
        for acronym, cite in acronyms.items():  # "FISA" again, after "Foreign Intelligence Surveillance Act (FISA)"
            for m in re.finditer(rf"(?<![\w]){re.escape(acronym)}(?![\w])", text):
                if free(m.start(), m.end()):
                    found.append(replace(cite, start=m.start(), end=m.end(), text=m.group(0), article=None))
                    taken.append((m.start(), m.end()))
        found.sort(key=lambda c: c.start)
        return _attach_articles(text, found)

    def _numbered(self, text: str, country: str) -> list[LawCitation]:
        """Citations of numbered instruments: "Decretos Nos. 9-2015 y 46-2016" gives two; where two
        instruments read the same words, the longer reading wins."""
        found = []
        for inst in self.instruments:
            for m in inst.regex.finditer(text):
                first = True
                for n in re.finditer(inst.number, m["numbers"], re.IGNORECASE):
                    ident, year = _identifier(n.group(0), dated=inst.dated)
                    if inst.dated and not _plausible(ident):
                        continue
                    start = m.start() if first else m.start("numbers") + n.start()
                    end = m.start("numbers") + n.end()
                    cite = self.citation(f"{country}/{inst.doc_type}/{ident}", start, end, text[start:end],
                                         instrument=inst, year=_year(year) if year else None)
                    if quoted := _QUOTED_NAME.match(text, end):
                        cite = replace(cite, end=quoted.end(), text=text[start:quoted.end()],
                                       name=cite.name or quoted["name"].strip())
                    found.append(cite)
                    first = False
        kept: list[LawCitation] = []
        for cite in sorted(found, key=lambda c: (c.start, -c.end)):
            if not kept or cite.start >= kept[-1].end:
                kept.append(cite)
        return kept

    def _name_pattern(self, country: str) -> re.Pattern[str] | None:
        if country not in self._patterns:
            self._patterns[country] = self._compile_names(country)
        return self._patterns[country]

    def _compile_names(self, country: str) -> re.Pattern[str] | None:
        """One regex for every unambiguous name (any case, accents optional) and acronym (exact case)."""
        names, acronyms = set(), set()
        for law in self.laws.values():
            if law.country != country:
                continue
            names.update(n for n in (law.name, *law.alt_names) if n and (country, _label_key(n)) in self._by_label)
            acronyms.update(a for a in law.acronyms if (country, _label_key(a)) in self._by_label)
        parts = [rf"(?i:{_loose(n)})(?![^\W\d_])" for n in sorted(names, key=len, reverse=True)]
        parts += [rf"{re.escape(a)}(?!\w)" for a in sorted(acronyms, key=len, reverse=True)]
        return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})") if parts else None


def _law(row: dict[str, str], country: str) -> Law:
    if not (m := _KEY.match(row["key"])) or m["country"] != country:
        raise ValueError(f"bad law key in {country}'s file of data/laws: {row['key']!r}")
    return Law(row["key"], row["doc_type"], row["id_local"] or None, row["name"] or None,
               _split(row["acronyms"]), _split(row["alt_names"]), _split(row["amends"]))


def _identifier(number: str, *, dated: bool) -> tuple[str, str | None]:
    """The key part of a number as written, and the digits of its year if it has one: thousands
    dots dropped ("26.657" → "26657"); "672 de 2017", "132/2018", "37–2016" → "672-2017"…
    for a dated instrument (its numbers restart every year), the number alone otherwise
    ("Ley 1712 de 2014" → "1712", year "2014"; "Lei 12.527/2011" → "12527")."""
    number = number.translate(_DASHES)
    head = re.match(r"\d{1,3}(?:\.\d{3})+(?!\d)|\d+", number)
    digits, rest = head.group(0).replace(".", ""), number[head.end() :]
    year = re.search(r"(?:^\s*[-/]\s*(\d{2})|((?:19|20)\d{2}))$", rest)
    if year is None:  # "115-435": the number goes on, no year
        return digits + re.sub(r"\D+", "-", rest).rstrip("-"), None
    year_digits = year.group(1) or year.group(2)
    return (f"{digits}-{year_digits}" if dated else digits), year_digits


def _plausible(ident: str) -> bool:
    """A number-year identifier whose four-digit year is a year (not "5931-0062")."""
    year = ident.rsplit("-", 1)[1]
    return len(year) == 2 or 1900 <= int(year) <= 2099


def _attach_articles(text: str, found: list[LawCitation]) -> list[LawCitation]:
    """Give the citation nearest to an "artículo N" in the same sentence that article."""
    if not found:
        return found
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    result = list(found)
    sentence = [bisect_right(ends, c.start) for c in result]
    for m in _ARTICLE.finditer(text):
        here = bisect_right(ends, m.start())
        near = [i for i, s in enumerate(sentence) if s == here and result[i].article is None]
        if near:
            i = min(near, key=lambda i: _gap(result[i], m.start(), m.end()))
            result[i] = replace(result[i], article=re.sub(r"\s+", " ", m["n"]))
    return result


def _gap(cite: LawCitation, start: int, end: int) -> tuple[int, int]:
    """Characters between a citation and an article (ties go to the citation after it)."""
    return (cite.start - end, 0) if cite.start >= end else (start - cite.end, 1)


def find_citations(text: str, country: str) -> list[LawCitation]:
    """Laws cited in ``text`` of a ``country`` document (see ``LawGazetteer.find_citations``)."""
    return LawGazetteer.default().find_citations(text, country)
