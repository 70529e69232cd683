"""One node per organisation per country, however a document writes it.

An :class:`InstitutionResolver` answers for one country: the gazetteer first (enrichment where we
have one), then the acronyms the documents define ("Secretaría de Transparencia - ST", an
"Abreviaturas" list), then the organisations it has already named (case, accents and small typos
ignored). What none of them knows becomes a new :class:`Institution`, remembered, so that the next
mention gets the same key.

>>> r = InstitutionResolver.for_text("CCE: Colombia Compra Eficiente", "CO")
>>> [(i.key, i.name) for i in r.split("Colombia Compra Eficiente y el Ministerio de Justicia y del Derecho")]
[('CCE', 'Colombia Compra Eficiente'), ('MINISTERIO-DE-JUSTICIA-Y-DEL-DERECHO', 'Ministerio de Justicia y del Derecho')]
>>> r.resolve("CCE").key
'CCE'
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from rapidfuzz import fuzz, process

from ogp_graph.institutions import (
    Institution,
    InstitutionGazetteer,
    check_country,
    find_acronyms,
    lexicon,
    responsible_label,
    unknown_institution,
)
from ogp_graph.org_names import find_org_names
from ogp_graph.text import name_key

_ACR = r"[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñ&]{0,11}"
#: "Name - ACR", "Name – ACR -", "Name-ACR", "Name (ACR)"
_NAME_AND_ACRONYM = re.compile(
    rf"^(?P<name>.+?\w)(?:\s*[-–—]+\s*(?P<dash>{_ACR})\s*-?|\s*\(\s*(?P<paren>{_ACR})\s*\))$")
_ACRONYM_SHAPE = re.compile(r"[A-ZÁÉÍÓÚÑ](?:[\wÁÉÍÓÚÑáéíóúñ&]*[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñ&]*)")
_TRAILING_LIST = re.compile(rf"\(\s*(?P<list>{_ACR}(?:\s*/\s*{_ACR})+)\s*\)\s*\.?\s*$")
_BULLETS = re.compile(r"\n[^\S\n]*(?:[-•*·▪◦]|\d{1,2}[.)])[^\S\n]+")
_SEPARATORS = re.compile(r"\s*(?:[/,;]|\s(?:y|e|and)\s|\s-{2,}\s|\s[-–—]\s)\s*", re.IGNORECASE)
_REMARK = re.compile(r"\(([^()]*\s[^()]*\s[^()]*)\)")  # "(con el apoyo de la Consejería …)": a piece of its own
_LOWER_START = re.compile(r"[^A-ZÁÉÍÓÚÑ]*(?=[A-ZÁÉÍÓÚÑ])")  # the words before a piece's first capital ("con el apoyo de la")
_LEADING = re.compile(r"^(?:(?:y|e|and|el|la|los|las|the|o|a|os|as)\s+)+", re.IGNORECASE)
_MAX_PIECES = 6  # a known name spans at most this many pieces ("Ministerio de Comunicaciones, Infraestructura y Vivienda": 3)
_FUZZY = 92  # rapidfuzz ratio (0-100) from which two folded names are one organisation
_FUZZY_MIN_LENGTH = 20  # shorter names differ by too few letters to tell a typo from another body


class _Spans:
    """Sorted, non-overlapping spans (anything with ``start`` and ``end``)."""

    def __init__(self, spans):
        self.spans = [(x.start, x.end) for x in spans]
        self.starts = [start for start, _ in self.spans]

    def cover(self, start: int, end: int) -> bool:
        """True when one span strictly contains ``start..end``."""
        i = bisect_left(self.starts, start) - 1
        return i >= 0 and self.spans[i][1] > end


def _shape(folded: str) -> tuple:
    """What two names must share to be compared for typos: word count and numbers ("Fundación 1"
    is not a typo of "Fundación 10")."""
    return len(folded.split()), tuple(re.findall(r"\d+", folded))


def _key(acronym: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", name_key(acronym).upper()).strip("-")


class InstitutionResolver:
    """The organisations of one country's documents, each with one key.

    :raises ValueError: ``country`` is not a country code.
    """

    def __init__(self, country: str, *, gazetteer: InstitutionGazetteer | None = None):
        self.gazetteer = gazetteer or InstitutionGazetteer.default()
        self.country = check_country(country)
        self.defined: dict[str, tuple[str, str]] = {}  # ACRONYM in capitals → (acronym as written, name)
        self._names: dict[str, tuple[str, str]] = {}  # folded defined name → (acronym, name)
        self._known: dict[str, Institution] = {}  # folded label → institution already given out
        self._by_shape: dict[tuple, list[str]] = {}  # the folded names above and in ``_names``, by _shape

    @classmethod
    def for_text(cls, text: str, country: str, *, gazetteer: InstitutionGazetteer | None = None) -> InstitutionResolver:
        """A resolver that knows the acronyms ``text`` defines."""
        resolver = cls(country, gazetteer=gazetteer)
        resolver.learn(text)
        return resolver

    def learn(self, text: str) -> int:
        """Learn the acronyms ``text`` defines (see :func:`find_acronyms`); returns how many are new."""
        new = 0
        for d in find_acronyms(text):
            if d.acronym.upper() not in self.defined:
                self.defined[d.acronym.upper()] = (d.acronym, d.name)
                self._names.setdefault(name_key(d.name), (d.acronym, d.name))
                self._by_shape.setdefault(_shape(name_key(d.name)), []).append(name_key(d.name))
                new += 1
        return new

    def is_organisation(self, acronym: str) -> bool:
        """True when ``acronym`` is defined as (or the gazetteer knows it as) an organisation, not a
        system or a plan: its name starts with a head word, ends with a tail word, or has a head word
        that takes a connector right after its first words ("National Council for the …")."""
        if self.gazetteer.resolve(acronym, self.country):
            return True
        if acronym.upper() not in self.defined:
            return False
        words = [name_key(w) for w in self.defined[acronym.upper()][1].split()]
        lex = lexicon()
        headed = any(w in lex["heads_before_connector"] and after in lex["connectors"] - lex["joiners"]
                     for w, after in zip(words[1:3], words[2:4]))
        return bool(words) and (words[0] in lex["heads"] or words[-1] in lex["tails"] or headed
                                or self.gazetteer.resolve(self.defined[acronym.upper()][1], self.country) is not None)

    def resolve(self, written: str, *, exact: bool = False) -> Institution | None:
        """The organisation ``written`` names, else None: a gazetteer label; an acronym the documents
        define, or its name; an organisation already named (any case or accents); unless ``exact``,
        also "Name - ACR" / "Name (ACR)" and a name within a small typo of one already named."""
        written = _LEADING.sub("", re.sub(r"\s+", " ", written).strip(" .,;:"))
        if not written:
            return None
        if inst := self.gazetteer.resolve(written, self.country):
            return inst
        pair = None if exact else _NAME_AND_ACRONYM.match(written)
        if pair:
            acronym = pair["dash"] or pair["paren"]
            if _ACRONYM_SHAPE.fullmatch(acronym) or acronym.upper() in self.defined:
                return self.resolve(acronym) or self.resolve(pair["name"])
        if found := self._known.get(name_key(written)):
            return found
        if written.upper() in self.defined:
            acronym, name = self.defined[written.upper()]
            return self._defined_institution(acronym, name)
        if defined := self._names.get(name_key(written)):
            return self._defined_institution(*defined)
        if not exact and len(written) >= _FUZZY_MIN_LENGTH and " " in written:
            folded = name_key(written)
            choices = self._by_shape.get(_shape(folded), [])
            if best := process.extractOne(folded, choices, scorer=fuzz.ratio, score_cutoff=_FUZZY):
                return self._known.get(best[0]) or self._defined_institution(*self._names[best[0]])
        return None

    def institution(self, written: str) -> Institution:
        """The organisation ``written`` names (see :meth:`resolve`), a new one when nobody knows it:
        keyed by its acronym when written as "Name - ACR", else by its slugged name.

        :raises ValueError: ``written`` has no letter or digit.
        """
        if found := self.resolve(written):
            return found
        written = _LEADING.sub("", re.sub(r"\s+", " ", written).strip(" .,;:"))
        pair = _NAME_AND_ACRONYM.match(written)
        if pair and _ACRONYM_SHAPE.fullmatch(acronym := pair["dash"] or pair["paren"]):
            return self._remember(replace(unknown_institution(pair["name"], self.country),
                                          key=_key(acronym), acronyms=(acronym,)))
        return self._remember(unknown_institution(written, self.country))

    def split(self, field: str) -> list[Institution]:
        """The organisations of a responsible field, in order, each once: the label ("Responsables:",
        "Entidades responsables:", "Lead implementing agency:"…) dropped; cut at ``/ , ; y e and``,
        " -- ", a spaced dash or a bullet line, but never inside a name the gazetteer knows ("Ministerio
        de Comunicaciones, Infraestructura y Vivienda"), inside an organisation-shaped name
        ("Ministerio de Justicia y del Derecho") or before the acronym of "Name - ACR"; a closing
        "(AC1/AC2)" gives the pieces their acronyms."""
        text = field if isinstance(field, str) else ""
        if label := responsible_label(text):
            text = text[label:]
        text = _REMARK.sub(r"; \1", self._lines(_BULLETS.sub("; ", text)))
        listed: list[str] = []
        if m := _TRAILING_LIST.search(text):
            listed = [a.strip() for a in m["list"].split("/")]
            text = text[: m.start()]
        protected = _Spans(find_org_names(text))
        cuts = [0]
        for m in _SEPARATORS.finditer(text):
            after = _SEPARATORS.search(text, m.end())
            following = text[m.end() : after.start() if after else len(text)].strip(" .-–—")
            if m.group(0).strip().lower() in lexicon()["joiners"] and not self.resolve(following, exact=True) \
                    and protected.cover(m.start(), m.end()):
                continue  # "Ministerio de Justicia y del Derecho"
            if "-" in m.group(0) or "–" in m.group(0) or "—" in m.group(0):
                if "--" not in m.group(0) and _ACRONYM_SHAPE.fullmatch(following):
                    continue  # "Name - ACR"
            cuts += [m.start(), m.end()]
        cuts.append(len(text))
        pieces = []
        for start, end in zip(cuts[::2], cuts[1::2]):
            if not self.resolve(text[start:end], exact=True) and (lower := _LOWER_START.match(text, start, end)):
                start = lower.end()
            if re.search(r"[^\W_]", text[start:end]):
                pieces.append((start, end))
        result: list[Institution] = []
        i = 0
        while i < len(pieces):
            for j in range(min(len(pieces), i + _MAX_PIECES) - 1, i - 1, -1):  # the longest known name
                if found := self.resolve(text[pieces[i][0] : pieces[j][1]], exact=j > i):
                    break
            else:
                j, found = i, self.institution(text[pieces[i][0] : pieces[i][1]])
            if found not in result:
                result.append(found)
            i = j + 1
        if listed and len(listed) == len(result):
            result = [self._with_acronym(inst, acronym) for inst, acronym in zip(result, listed)]
        else:
            result += [inst for inst in map(self.institution, listed) if inst not in result]
        return result

    @staticmethod
    def _lines(text: str) -> str:
        """``text`` on one line: a line break inside an organisation-shaped name, after or before
        a lower-case word, is a space; any other one separates two bodies."""
        inside = _Spans(find_org_names(text))

        def join(m: re.Match) -> str:
            before = re.search(r"(\w+)\W*$", text[max(0, m.start() - 60) : m.start()])
            wrapped = not text[m.end() : m.end() + 1].isupper() or (before and before.group(1).islower())
            return " " if wrapped or inside.cover(m.start(), m.end()) else "; "

        return re.sub(r"\s*\n\s*", join, text)

    def _with_acronym(self, inst: Institution, acronym: str) -> Institution:
        """``inst`` also known as ``acronym`` (a new institution is keyed by it)."""
        if acronym in inst.acronyms or self.gazetteer.resolve(inst.name, self.country) is inst:
            return inst
        return self._remember(replace(inst, key=_key(acronym), acronyms=(*inst.acronyms, acronym)))

    def _defined_institution(self, acronym: str, name: str) -> Institution:
        if inst := self._known.get(name_key(acronym)) or self.gazetteer.resolve(name, self.country):
            return inst
        return self._remember(replace(unknown_institution(name, self.country), key=_key(acronym), acronyms=(acronym,)))

    def _remember(self, inst: Institution) -> Institution:
        for label in map(name_key, inst.labels):
            if label not in self._known:
                self._known[label] = inst
                self._by_shape.setdefault(_shape(label), []).append(label)
        return inst
