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
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING
from ogp_graph.countries import data_files
from ogp_graph.text import name_key, strip_accents

if TYPE_CHECKING:
    from ogp_graph.org_resolver import InstitutionResolver

INTERNATIONAL = "INT"
INTERNATIONAL_FILE = "international.csv"  # bodies every country's documents may name
KINDS = ("government", "civil_society", "international", "academic", "private")
_COLUMNS = ["key", "acronyms", "name", "alt_names", "kind"]
_COUNTRY = re.compile(r"[A-Z]{2}|INT")
_SEPARATORS = re.compile(r"\s*(?:[/,;]|\s(?:y|e|and)\s)\s*", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:el|la|los|las|the)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_ACRONYM = r"[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ/]{1,11}"
#: mixed case, two capitals at least ("NRCan", "DoD", "CSdJ") or one capitalised word ("Mintic")
_MIXED = r"[A-ZÁÉÍÓÚÑ](?:[a-záéíóúñ]*[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñ]*|[a-záéíóúñ]{2,11})"
_DEFINITION = re.compile(
    rf"\(\s*(?P<paren>{_ACRONYM}|{_MIXED})\s*\)|\s?[-–—]\s?(?P<dash>{_ACRONYM}|{_MIXED})(?![\w/])-?"
    rf"|\s(?P<bare>[A-ZÁÉÍÓÚÑ]{{3,12}})(?![\w/])"
)
#: "ACR: Name", "ACR – Name", "ACR<tab>Name" on a line of its own
_LINE_DEFINITION = re.compile(
    r"^[^\S\n]*(?:[-•*·▪][^\S\n]*)?(?P<acronym>[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñ&.-]{0,14}(?:[^\S\n][A-ZÁÉÍÓÚÑ]{1,4})?)"
    r"[^\S\n]*(?::|[^\S\n][-–—][^\S\n]|\t)[^\S\n]*(?P<name>[^\n]{3,200}?)[^\S\n]*$", re.MULTILINE)
_LONE_ACRONYM = re.compile(rf"(?:{_ACRONYM}|{_MIXED})")
#: "ACR:" (or a short term such as "Portal SÍ:") on a line of its own, its name on the next line
_ACRONYM_THEN = re.compile(r"(?P<acronym>[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñ&.-]{0,14}(?: [\wÁÉÍÓÚÑ]{1,6})?)\s*[:–—]")
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




@cache
def lexicon(*languages: str) -> dict:
    """``data/institutions/lexicon.json`` for ``languages`` (default: all of them, merged): word sets
    ``heads``, ``tails``, ``connectors`` (= ``minor_words``), ``joiners``, ``responsible_labels``,
    ``abbreviation_headings`` (all folded), and ``kind_by_word``.

    :raises KeyError: a language the lexicon does not have.
    """
    path = resources.files("ogp_graph") / "data" / "institutions" / "lexicon.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    chosen = [data["languages"][lang] for lang in (languages or data["languages"])]
    merged: dict = {key: frozenset(name_key(w) for part in chosen for w in part[key]) for key in chosen[0]}
    merged["org_heads"], merged["minor_words"] = merged["heads"], merged["connectors"]
    merged["kind_by_word"] = data["kind_by_word"]
    return merged


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


def check_country(country: str) -> str:
    """``country`` when it is an ISO 3166-1 alpha-2 code (or ``INT``).

    :raises ValueError: it is not.
    """
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


@dataclass(frozen=True)
class Acronym:
    """An acronym a text defines, with the name it stands for and the span of the definition."""

    acronym: str
    name: str
    start: int
    end: int


def _inline_definitions(text: str, *, need_head: bool) -> Iterator[Acronym]:
    """Definitions inside sentences: "Full Name (ACR)", "Full Name - ACR", "Full Name ACR"."""
    for m in _DEFINITION.finditer(text):
        acronym = m.group("paren") or m.group("dash") or m.group("bare")
        if "/" in acronym:
            continue  # a list of acronyms, see _listed_definitions
        base = max(0, m.start() - _WINDOW)
        words = list(_WORD.finditer(text, base, m.start()))
        if not words:
            continue
        short = name_key(acronym) == name_key(words[-1].group(0)) and name_key(acronym) in lexicon()["tails"]
        if m.group("paren") and short:  # "National Science and Technology Council (Council)": the name it ends
            start = _short_form_start(text, base, words[-1].end())
        else:
            k = _name_start(words, acronym, relaxed=not m.group("bare"), need_head=need_head or bool(m.group("bare")))
            start = None if k is None else words[k].start()
        if start is None:
            continue
        name = re.sub(r"\s+", " ", text[start : words[-1].end()])
        if m.group("bare") and name.isupper():  # a title in capitals, not a name and its acronym
            continue
        yield Acronym(acronym, _display_name(name), start, m.end())


def _listed_definitions(text: str) -> Iterator[Acronym]:
    """"Name One y Name Two (AC1/AC2)": each acronym with the organisation name it abbreviates."""
    from ogp_graph.org_names import find_org_names  # org_names reads this module's lexicon

    minor = lexicon()["minor_words"]
    for m in re.finditer(rf"\(\s*((?:{_ACRONYM}|{_MIXED})(?:\s*/\s*(?:{_ACRONYM}|{_MIXED}))+)\s*\)", text):
        acronyms = [a.strip() for a in m.group(1).split("/")]
        base = max(0, m.start() - _WINDOW * len(acronyms))
        names = find_org_names(text[base : m.start()])[-len(acronyms) :]
        if len(names) == len(acronyms) and all(
                _takes_letters(name_key(a), [name_key(w) for w in n.text.split()], minor) for a, n in zip(acronyms, names)):
            for a, n in zip(acronyms, names):
                yield Acronym(a, re.sub(r"\s+", " ", n.text), base + n.start, m.end())


def _abbreviation_lists(text: str) -> Iterator[Acronym]:
    """The acronym list under a heading such as "Siglas", "Listado de abreviaturas", "Acronyms":
    "ACR: Name" lines, "ACR:" lines each followed by its name, or a column of acronyms followed by
    the column of their names."""
    headings = lexicon()["abbreviation_headings"]
    lines = list(re.finditer(r"[^\n]*", text))
    for n, line in enumerate(lines):
        if name_key(re.sub(r"[#*_|]", " ", line.group(0))) not in headings:
            continue
        lone: list[re.Match] = []
        names: list[re.Match] = []
        pending: tuple[str, int] | None = None  # an "ACR:" line waiting for its name
        for body in lines[n + 1 : n + 600]:
            content = body.group(0).strip()
            if not content:
                continue
            if pending is not None:
                yield Acronym(pending[0], _list_name(content), pending[1], body.end())
                pending = None
            elif d := _LINE_DEFINITION.fullmatch(text, body.start(), body.end()):
                yield Acronym(d["acronym"], _list_name(d["name"]), body.start(), body.end())
            elif (then := _ACRONYM_THEN.fullmatch(content)) and not lone:
                pending = (then["acronym"], body.start())
            elif _LONE_ACRONYM.fullmatch(content) and not names:
                lone.append(body)
            elif lone and len(names) < len(lone):
                names.append(body)
            else:
                break
        if lone and len(names) == len(lone):
            for a, b in zip(lone, names):
                yield Acronym(a.group(0).strip(), _list_name(b.group(0)), a.start(), b.end())


def _list_name(written: str) -> str:
    """The name of an acronym list entry, without a closing remark in parentheses ("(siglas en inglés)")."""
    return re.sub(r"\s*\([^()]*\)$", "", written.strip(" .;")) or written.strip(" .;")


def _line_definitions(text: str) -> Iterator[Acronym]:
    """"ACR: Name" lines anywhere, when the acronym has two capitals and abbreviates the name."""
    minor = lexicon()["minor_words"]
    for d in _LINE_DEFINITION.finditer(text):
        acronym, name = d["acronym"], _list_name(d["name"])
        if sum(c.isupper() for c in acronym) >= 2 and " " not in acronym \
                and _takes_letters(name_key(acronym), [name_key(w) for w in _WORD.findall(name)], minor):
            yield Acronym(acronym, name, d.start("acronym"), d.end("name"))


def find_acronyms(text: str) -> list[Acronym]:
    """Every acronym ``text`` defines, whatever it stands for (an organisation, a system, a plan),
    in text order, first definition of an acronym kept: inside sentences ("Full Name (ACR)",
    "Full Name - ACR", "Full Name – ACR", "Full Name -ACR-", "Name One y Name Two (AC1/AC2)"),
    "ACR: Name" lines, and the acronym list under a "Siglas"/"Abreviaturas"/"Acronyms" heading
    (also as two columns: all the acronyms, then all the names).

    :raises TypeError: ``text`` is not a string.
    """
    _check_text(text)
    found: dict[str, Acronym] = {}
    every = [*_inline_definitions(text, need_head=False), *_listed_definitions(text), *_line_definitions(text),
             *_abbreviation_lists(text)]
    for d in sorted(every, key=lambda d: d.start):
        found.setdefault(d.acronym, d)
    return list(found.values())


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
                self._by_label.setdefault((inst.country, name_key(label)), inst)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> InstitutionGazetteer:
        """The gazetteer shipped in ``ogp_graph/data/institutions`` (loaded once).

        :raises ValueError: a gazetteer file has the wrong columns, an unknown kind or a repeated key.
        """
        folder = resources.files("ogp_graph") / "data" / "institutions"
        found: list[Institution] = []
        for country, name in [(INTERNATIONAL, INTERNATIONAL_FILE), *data_files("institutions")]:
            with (folder / name).open(encoding="utf-8") as handle:
                found += _read_csv(handle, country)
        return cls(found)

    def countries(self) -> set[str]:
        """Country codes with institutions (``INT`` included)."""
        return {i.country for i in self.institutions}

    def _scope(self, country: str) -> tuple[str, ...]:
        return (check_country(country), INTERNATIONAL)

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
        folded = name_key(text)
        return next((i for c in self._scope(country) if (i := self._by_label.get((c, folded)))), None)

    def resolve(self, text: str, country: str) -> Institution | None:
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

    def split_responsible(self, text: str, country: str, *, definitions: InstitutionResolver | None = None
                          ) -> list[Institution]:
        """The institutions of a responsible field, in order, each once (see
        :meth:`ogp_graph.org_resolver.InstitutionResolver.split`). ``definitions`` is the
        ``InstitutionResolver`` of the document (it knows the acronyms the document defines and the
        organisations already named); without it, one that knows only this gazetteer.

        :raises ValueError: ``country`` is not a country code.
        :raises TypeError: ``text`` is not a string.
        """
        from ogp_graph.org_resolver import InstitutionResolver  # it builds on this module

        _check_text(text)
        return (definitions or InstitutionResolver(check_country(country), gazetteer=self)).split(text)

    def find_definitions(self, text: str, country: str) -> list[tuple[Institution, int, int]]:
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
        for d in _inline_definitions(text, need_head=True):
            inst = self.resolve(d.name, country) or self._lookup(d.acronym, country)
            if inst is None:
                inst = replace(unknown_institution(d.name, country), key=d.acronym, acronyms=(d.acronym,))
            found.append((inst, d.start, d.end))
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
        scope = {check_country(c) for c in countries} | {INTERNATIONAL}
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


def responsible_label(field: str) -> int:
    """Where the value of a responsible field starts: after its label ("Responsables:",
    "Entidad responsable:", "Lead implementing agency:"…, any case or accents), else 0."""
    plain = strip_accents(field)
    label = _responsible_label().match(plain if len(plain) == len(field) else field)
    return label.end() if label else 0


def _name_start(words: list[re.Match], acronym: str, *, relaxed: bool, need_head: bool) -> int | None:
    """Index of the word where the name defined by ``acronym`` starts (the name runs to the last
    of ``words``), else None. The name starts with a head word (Ministerio, Department…), or, unless
    ``need_head``, its words are all capitalised and give the acronym's letters exactly; it is never
    one word that the acronym merely repeats or cuts short ("Council (Council)")."""
    heads, minor = lexicon()["org_heads"], lexicon()["minor_words"]
    letters = name_key(acronym.replace("/", ""))
    folded = [name_key(w.group(0)) for w in words]
    for k in range(len(words) - 1, -1, -1):
        span = folded[k:]
        initials = "".join(w[0] for w in span if w not in minor)
        if len(span) == 1 and span[0].startswith(letters):
            continue  # "… Council (Council)": a word standing for itself, not an acronym
        if span[0] in heads and (initials == letters or (relaxed and _takes_letters(letters, span, minor))):
            return k
        if not need_head and relaxed and initials == letters and len(letters) >= 2 and span[0] not in minor \
                and all(w.group(0)[0].isupper() for w, f in zip(words[k:], span) if f not in minor):
            return k
        if len(initials) > len(letters):
            return None
    return None


def _short_form_start(text: str, base: int, end: int) -> int | None:
    """Where the organisation name ending at ``end`` begins (``find_org_names`` over
    ``text[base:end]``: it stops at punctuation and between two names), the name a short form in
    parentheses stands for; None when no name of two words or more ends there."""
    from ogp_graph.org_names import find_org_names  # org_names reads this module's lexicon

    names = [n for n in find_org_names(text[base:end]) if base + n.end == end and len(n.text.split()) >= 2]
    return base + names[-1].start if names else None


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
        name = " ".join(w.lower() if name_key(w) in minor else w.capitalize() for w in name.split())
    return name[0].upper() + name[1:]


def unknown_institution(name: str, country: str) -> Institution:
    """An institution the gazetteer does not know, keyed by its slugged name; its kind is guessed
    from its first word, else its last (Fundación …, … Foundation → civil_society; Universidad … →
    academic; else government).

    :raises ValueError: no letter or digit in ``name``, or ``country`` is not a country code.
    """
    key = re.sub(r"[^A-Z0-9]+", "-", name_key(name).upper()).strip("-")
    if not key:
        raise ValueError(f"no institution name in {name!r}")
    words = [name_key(w) for w in name.split()]
    kinds = lexicon()["kind_by_word"]
    acronyms = (name,) if name.isupper() and " " not in name else ()
    kind = kinds.get(words[0]) or kinds.get(words[-1], "government")
    return Institution(key=key, country=check_country(country), name=name, acronyms=acronyms, kind=kind)
