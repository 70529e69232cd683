"""Institution gazetteer: full names ↔ acronyms, typo-tolerant resolution, responsible fields,
acronym definitions, entity-ruler patterns.

Data: ``data/institutions/<country>.csv`` (``key,acronyms,name,alt_names,kind``; ``acronyms`` and
``alt_names`` ``|``-separated), ``international.csv`` for bodies that act in every country
(country code ``INT``), and ``lexicon.json`` (organisation head words, minor words).
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources

INTERNATIONAL = "INT"
KINDS = ("government", "civil_society", "international", "academic", "private")
_COLUMNS = ["key", "acronyms", "name", "alt_names", "kind"]
_COUNTRY = re.compile(r"[A-Z]{2}|INT")
_SEPARATORS = re.compile(r"\s*(?:[/,;]|\s(?:y|e|and)\s)\s*", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:el|la|los|las|the)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_ACRONYM = r"[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ/]{1,11}"
_DEFINITION = re.compile(
    rf"\(\s*(?P<paren>{_ACRONYM})\s*\)|\s[-–]\s?(?P<dash>{_ACRONYM})(?![\w/])|\s(?P<bare>[A-ZÁÉÍÓÚÑ]{{3,12}})(?![\w/])"
)
_WINDOW = 160  # characters before an acronym where its full name is looked for


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
    def iri_key(self) -> str:
        """``COUNTRY/KEY``: unique across countries (the entity ruler's pattern id)."""
        return f"{self.country}/{self.key}"

    @property
    def labels(self) -> tuple[str, ...]:
        """Every way the institution is written: name, alternative names, acronyms."""
        return (self.name, *self.alt_names, *self.acronyms)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``, spaces collapsed, end punctuation dropped."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"\s+", " ", re.sub(r"[\"“”«»]", "", text)).strip(" .,;:-")


def strip_accents(text: str) -> str:
    """``text`` without combining accents, same length for Spanish letters ("Información" → "Informacion")."""
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


@cache
def lexicon() -> dict:
    """``data/institutions/lexicon.json``: org head words, minor words, kind by head word."""
    path = resources.files("ogp_graph") / "data" / "institutions" / "lexicon.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: frozenset(value) if isinstance(value, list) else value for key, value in data.items()}


def one_typo(written: str, acronym: str) -> bool:
    """True when ``written`` is ``acronym`` (four letters or more) with two neighbouring letters
    swapped, or, when both keep five letters or more, one letter added, dropped or replaced; the
    first letter is never the typo (SINARDAP is not DINARDAP, ELAC is not ECLAC)."""
    shortest = min(len(written), len(acronym))
    if shortest < 4 or written == acronym or written[0] != acronym[0]:
        return False
    if len(written) == len(acronym):
        diff = [i for i, (x, y) in enumerate(zip(written, acronym)) if x != y]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and written[diff[0]] == acronym[diff[1]] \
            and written[diff[1]] == acronym[diff[0]]
        return swapped or (len(diff) == 1 and shortest >= 5)
    if abs(len(written) - len(acronym)) != 1 or shortest < 5:
        return False
    short, long_ = sorted((written, acronym), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _check_country(country: str) -> str:
    if not isinstance(country, str) or not _COUNTRY.fullmatch(country):
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code such as 'GT' (or 'INT'), not {country!r}")
    return country


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected a string, not {type(text).__name__}")
    return text


def _read_csv(handle, country: str) -> list[Institution]:
    reader = csv.DictReader(handle)
    if reader.fieldnames != _COLUMNS:
        raise ValueError(f"institutions of {country}: columns must be {_COLUMNS}, not {reader.fieldnames}")
    found = []
    for row in reader:
        kind = row["kind"] or "government"
        if kind not in KINDS or not row["key"] or not row["name"]:
            raise ValueError(f"institutions of {country}: bad row {row}")
        found.append(Institution(
            key=row["key"], country=country, name=row["name"],
            acronyms=tuple(a for a in row["acronyms"].split("|") if a),
            alt_names=tuple(a for a in row["alt_names"].split("|") if a), kind=kind,
        ))
    return found


class InstitutionGazetteer:
    """Institutions of every country with a gazetteer file, looked up by any of their labels."""

    def __init__(self, institutions: list[Institution]):
        self.institutions = list(institutions)
        self._by_key: dict[tuple[str, str], Institution] = {}
        self._by_label: dict[tuple[str, str], Institution] = {}
        for inst in self.institutions:
            if (inst.country, inst.key) in self._by_key:
                raise ValueError(f"two institutions with the key {inst.iri_key}")
            self._by_key[(inst.country, inst.key)] = inst
            for label in inst.labels:
                self._by_label.setdefault((inst.country, fold(label)), inst)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> InstitutionGazetteer:
        """The gazetteer shipped in ``ogp_graph/data/institutions`` (loaded once).

        :raises ValueError: a gazetteer file has the wrong columns, an unknown kind or a repeated key.
        """
        folder = resources.files("ogp_graph") / "data" / "institutions"
        found: list[Institution] = []
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".csv"):
                stem = entry.name[:-4].upper()
                country = INTERNATIONAL if stem == "INTERNATIONAL" else stem
                with entry.open(encoding="utf-8") as handle:
                    found += _read_csv(handle, country)
        return cls(found)

    def countries(self) -> set[str]:
        """Country codes with institutions (``INT`` included)."""
        return {i.country for i in self.institutions}

    def _scope(self, country: str) -> tuple[str, ...]:
        return (_check_country(country), INTERNATIONAL)

    def get(self, country: str, key: str) -> Institution:
        """The institution ``key`` of ``country`` (or an international one).

        :raises KeyError: no such institution.
        """
        for c in self._scope(country):
            if inst := self._by_key.get((c, key)):
                return inst
        raise KeyError(f"no institution {key!r} for {country}")

    def _lookup(self, text: str, country: str) -> Institution | None:
        """The institution with the label ``text`` (folded), no typo allowed."""
        folded = fold(text)
        return next((i for c in self._scope(country) if (i := self._by_label.get((c, folded)))), None)

    def resolve(self, text: str, country: str = "GT") -> Institution | None:
        """The institution ``text`` names, else None: a full or alternative name or an acronym, in
        any case, with or without accents or a trailing period; an all-caps acronym may carry one
        typo ("SEENACYT" → SENACYT, see :func:`one_typo`) when only one acronym is that close.

        :raises ValueError: ``country`` is not a country code.
        """
        if inst := self._lookup(_check_text(text), country):
            return inst
        scope = self._scope(country)
        written = text.strip(" .,;:")
        if written.isalpha() and written.isupper():
            close = {i for i in self.institutions if i.country in scope
                     for a in i.acronyms if one_typo(written, a)}
            if len(close) == 1:
                return close.pop()
        return None

    def split_responsible(self, text: str, country: str = "GT") -> list[Institution]:
        """The institutions of a "Responsable(s): …" field (the label is optional), in order, each
        once. Pieces are cut at ``/ , ; y e`` but never inside a known name ("Ministerio de
        Comunicaciones, Infraestructura y Vivienda"); unknown pieces become new institutions keyed
        by their slugged name, so nothing is dropped.

        :raises ValueError: ``country`` is not a country code.
        """
        text = _check_text(text)
        plain = strip_accents(text)
        if label := _responsible_label().match(plain if len(plain) == len(text) else text):
            text = text[label.end() :]
        cuts = [0, *(x for m in _SEPARATORS.finditer(text) for x in (m.start(), m.end())), len(text)]
        pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
        result: list[Institution] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces) - 1, i - 1, -1):  # the longest run of pieces that is a known name
                if found := self.resolve(text[pieces[i][0] : pieces[j][1]], country):
                    break
            else:
                j, piece = i, _ARTICLE.sub("", text[pieces[i][0] : pieces[i][1]].strip(" .:"))
                found = unknown_institution(piece, country) if piece else None
            if found and found not in result:
                result.append(found)
            i = j + 1
        return result

    def find_definitions(self, text: str, country: str = "GT") -> list[tuple[Institution, int, int]]:
        """Institutions whose acronym ``text`` defines, with the (start, end) of name + acronym:
        "Full Name (ACR)", "Full Name - ACR" / "Full Name -ACR" and "Full Name ACR". The name must
        start with an organisation word (Ministerio, Dirección, Fundación…) and the acronym be the
        initials of its significant words (de, del, la, y… skipped); in the first two forms the
        acronym may also take several letters of a word, in order ("Fundación de Ayuda por
        Internet (FUNDAPI)"). Known institutions are returned as the gazetteer has them, new ones
        keyed by their acronym.

        :raises ValueError: ``country`` is not a country code.
        """
        _check_text(text)
        found = []
        for m in _DEFINITION.finditer(text):
            acronym = m.group("paren") or m.group("dash") or m.group("bare")
            base = max(0, m.start() - _WINDOW)
            words = list(_WORD.finditer(text, base, m.start()))
            k = _name_start(words, acronym, relaxed=not m.group("bare"))
            if k is None:
                continue
            start = words[k].start()
            name = re.sub(r"\s+", " ", text[start : words[-1].end()])
            if m.group("bare") and name.isupper():  # a title in capitals, not a name and its acronym
                continue
            inst = self.resolve(name, country) or self._lookup(acronym, country)
            if inst is None:
                inst = replace(unknown_institution(_display_name(name), country), key=acronym, acronyms=(acronym,))
            found.append((inst, start, m.end()))
        return found

    def patterns(self, *countries: str) -> list[dict]:
        """spaCy ``entity_ruler`` patterns (label ORG, ``id`` = ``COUNTRY/KEY``) for the institutions
        of ``countries`` and the international ones. Names of three words or more are phrases, to
        be matched on LOWER (with and without accents); shorter names ("Acción Ciudadana",
        "Congreso") and acronyms are case-sensitive token patterns on ORTH, so that neither a
        common noun nor a Spanish word is taken for them; acronyms of four letters or more also
        match capitalised ("Minfin").

        :raises ValueError: no country, or one that is not a country code.
        """
        if not countries:
            raise ValueError("patterns() needs at least one country code")
        scope = {_check_country(c) for c in countries} | {INTERNATIONAL}
        patterns: list[dict] = []
        for inst in self.institutions:
            if inst.country not in scope:
                continue
            for name in (inst.name, *inst.alt_names):
                words = name.split()
                if len(words) >= 3:
                    patterns += [{"label": "ORG", "pattern": v, "id": inst.iri_key} for v in {name, strip_accents(name)}]
                else:
                    tokens = [{"ORTH": {"IN": sorted({w, w.upper(), strip_accents(w), strip_accents(w).upper()})}}
                              for w in words]
                    patterns.append({"label": "ORG", "pattern": tokens, "id": inst.iri_key})
            for acronym in inst.acronyms:
                forms = {acronym}
                if len(acronym) >= 4 and acronym.isalpha() and acronym.isupper():
                    forms.add(acronym.capitalize())
                patterns += [{"label": "ORG", "pattern": [{"ORTH": f}], "id": inst.iri_key} for f in sorted(forms)]
        return patterns


@cache
def _responsible_label() -> re.Pattern:
    labels = sorted(lexicon()["responsible_labels"], key=len, reverse=True)
    return re.compile(rf"\s*(?:{'|'.join(re.escape(label) for label in labels)})\s*:\s*", re.IGNORECASE)


def _name_start(words: list[re.Match], acronym: str, relaxed: bool) -> int | None:
    """Index of the word where the name defined by ``acronym`` starts (the name runs to the last
    of ``words``), else None."""
    heads, minor = lexicon()["org_heads"], lexicon()["minor_words"]
    letters = fold(acronym.replace("/", ""))
    folded = [fold(w.group(0)) for w in words]
    for k in range(len(words) - 1, -1, -1):
        span = folded[k:]
        initials = "".join(w[0] for w in span if w not in minor)
        if span[0] in heads and (initials == letters or (relaxed and _takes_letters(letters, span, minor))):
            return k
        if len(initials) > len(letters):
            return None
    return None


def _takes_letters(letters: str, words: list[str], minor: frozenset) -> bool:
    """True when ``letters`` can be read as one or more leading letters of each significant word,
    in order, starting with the first word (minor words may give their first letter or nothing)."""
    if not letters:
        return not [w for w in words if w not in minor]
    if not words:
        return False
    word, rest = words[0], words[1:]
    if word in minor and _takes_letters(letters, rest, minor):
        return True
    return any(_takes_letters(letters[n:], rest, minor) for n in range(1, min(len(word), len(letters)) + 1)
               if letters[:n] == word[:n])


def _display_name(name: str) -> str:
    """``name`` with a capital initial; one written in capitals (a title) in title case."""
    if name.isupper():
        minor = lexicon()["minor_words"]
        name = " ".join(w.lower() if fold(w) in minor else w.capitalize() for w in name.split())
    return name[0].upper() + name[1:]


def unknown_institution(name: str, country: str) -> Institution:
    """An institution the gazetteer does not know, keyed by its slugged name; its kind is guessed
    from its first word (Fundación → civil_society, Universidad → academic, else government)."""
    key = re.sub(r"[^A-Z0-9]+", "-", fold(name).upper()).strip("-")
    if not key:
        raise ValueError(f"no institution name in {name!r}")
    head = fold(name.split()[0])
    acronyms = (name,) if name.isupper() and " " not in name else ()
    kind = lexicon()["kind_by_head"].get(head, "government")
    return Institution(key=key, country=_check_country(country), name=name, acronyms=acronyms, kind=kind)
