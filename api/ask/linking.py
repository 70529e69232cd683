"""Entity linking: what a question is about — plans and countries, commitments (by plan and
number, or by description through the search index), institutions (name, acronym, misspelling),
laws, places — read from the graph once."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from rapidfuzz import fuzz

from ogp_graph.metadata import countries
from ogp_graph.text import match_form

if TYPE_CHECKING:
    from api.ask.evidence import Evidence

CUES = json.loads((Path(__file__).parent / "data" / "cues.json").read_text(encoding="utf-8"))
#: number words per language ("compromiso dos"; Portuguese "dos" is "of the", not two)
_NUMBER_WORDS = {lang: {w: i for i, w in enumerate(words.split(), start=1)} for lang, words in {
    "es": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete "
          "dieciocho diecinueve veinte",
    "en": "one two three four five six seven eight nine ten eleven twelve",
    "pt": "um dois tres quatro cinco seis sete oito nove dez onze doze"}.items()}
#: "compromiso", "commitment", "compromisso" and their plurals
COMMITMENT_WORD = r"\b(?:compromisos?|commitments?|compromissos?)\b"
_COMMITMENT_NO = re.compile(COMMITMENT_WORD + r"\s+(?:numero\s+|number\s+|no\.?\s*|n\.?\s*|#\s*)?(\d{1,3}|[a-z]+)\b")
_PERIOD = re.compile(r"(?<![\d-])\b(20\d\d)(?:\s*[-–/]\s*(20\d\d))?\b")
_SCOPE = CUES["plan_scope"]
_PLAN_WORD = re.compile("|".join(p for lang, ps in CUES["plan_words"].items() if lang != "_doc" for p in ps))
_ORDINALS = {w: n for words in _SCOPE["ordinals"].values() for w, n in words.items()}
_WORDS_ORDINAL = "|".join(sorted((w for lang, ws in _SCOPE["ordinals"].items() if lang != "roman" for w in ws),
                                 key=len, reverse=True))
#: an ordinal before a plan word, a few words apart ("the first u.s. open government national action
#: plan"), none of them a commitment word ("the first commitment of the plan" names no plan)
_ORDINAL_BEFORE_PLAN = re.compile(rf"\b({_WORDS_ORDINAL}|{'|'.join(_SCOPE['ordinals']['roman'])})\s+"
                                  rf"(?:(?!{COMMITMENT_WORD})[a-z.]+\s+){{0,{_SCOPE['ordinal_gap']}}}?(?:{_PLAN_WORD.pattern})")
_NAP_NUMBER = re.compile(r"\bnap\s?-?([1-9])\b")
_FUZZY_MIN = 84
#: the small words between the words of a name, in every language
NAME_CONNECTORS = frozenset(CUES["name_connectors"]["words"])
_ORG_WORDS = json.loads((Path(__file__).parent / "data" / "org_words.json").read_text(encoding="utf-8"))["es"]


def english(label: str) -> tuple[str, ...]:
    """English renderings of a folded Spanish institution name, with and without "the" ("ministry
    of the interior", "ministry of interior"); none when a word has no rendering (``org_words.json``)."""
    words, adjectives = _ORG_WORDS["words"], _ORG_WORDS["adjectives"]
    tokens = re.findall(r"(?:de|para) (?:la|las|los|el)\b|[a-z]+", label)
    if len(tokens) < 2 or any(t not in words for t in tokens):
        return ()
    out: list[str] = []
    for i, t in enumerate(tokens):  # a noun's adjective goes before it: "instituto nacional" → "national institute"
        if t in adjectives and i > 0 and tokens[i - 1] not in adjectives and words[tokens[i - 1]] == out[-1]:
            out.insert(len(out) - 1, words[t])
        else:
            out.append(words[t])
    text = " ".join(out)
    return tuple(dict.fromkeys((text, text.replace(" of the ", " of "))))


def _covering(plans: list["Plan"], years: list[tuple[int, int]]) -> list["Plan"]:
    """The plans whose period (a start year alone: ``plan_scope.plan_years`` long) holds one of
    ``years`` (a year, or a period within it), or lies within one of those periods; consecutive
    plans sharing a year ("2016-2018", "2018-2020") are different plans."""
    def holds(p: "Plan", a: int, b: int) -> bool:
        end = p.end or p.start + _SCOPE["plan_years"]
        return p.start <= a and b <= end or (a < b and a <= p.start and end <= b)
    return [p for p in plans if any(holds(p, a, b) for a, b in years)]


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the characters of ``spans`` (overlapping ones cut once), the rest joined by spaces."""
    out, at = [], 0
    for s, t in sorted(spans):
        if s >= at:
            out.append(text[at:s])
            at = t
    return " ".join(out + [text[at:]])


def _first_nonempty(*choices: list) -> list:
    """The first of ``choices`` that is not empty (the last when all are)."""
    return next((c for c in choices if c), choices[-1])


@dataclass(frozen=True)
class Plan:
    iri: str
    country: str  # ISO 3166-1 alpha-2
    title: str
    language: str
    start: int
    end: int | None

    @property
    def period(self) -> str:
        return f"{self.start}-{self.end}" if self.end else str(self.start)

    def country_name(self, language: str) -> str:
        """The plan's country named in ``language`` (its code when Babel has no name)."""
        return Locale.parse(language).territories.get(self.country, self.country)

    def ref(self, language: str) -> dict:
        """The plan as an answer's reference: IRI, country and its name in ``language``, period, title, language."""
        return {"plan": self.iri, "country": self.country, "country_name": self.country_name(language),
                "period": self.period, "title": self.title, "language": self.language}


@dataclass(frozen=True)
class Commitment:
    iri: str
    plan: Plan
    number: int
    title: str
    label: str | None  # the document's own identifier (ogp:commitmentId), when the graph has it


@dataclass(frozen=True)
class Entity:
    kind: str  # "org" | "law" | "place" | "commitment"
    iri: str
    label: str
    start: int
    end: int
    score: float = 1.0  # 1 exact; fuzzy ratio / 100; description-search confidence


@dataclass
class Links:
    """What the question names."""

    entities: list[Entity] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)  # plans the question restricts to (all when none named)
    restricted: bool = False
    number: int | None = None  # a commitment number named without saying which plan
    number_span: tuple[int, int] | None = None
    scope_spans: list[tuple[int, int]] = field(default_factory=list)  # where the question names countries
    missing: list[str] = field(default_factory=list)  # plans it names that the graph does not hold ("México", "Colombia 2020")
    acronyms: list[str] = field(default_factory=list)  # upper-case words naming nothing of the graph that a document spells out

    def without_scope(self, folded: str) -> str:
        """The folded question without the words that name countries (they restrict the plans, not describe)."""
        return _without(folded, self.scope_spans)

    def outside_names(self, folded: str) -> str:
        """The folded question without the names it links (entities, countries): the words in
        its own language ("who leads the Ministerio de Finanzas" → "who leads the")."""
        return _without(folded, [(e.start, e.end) for e in self.entities] + self.scope_spans)

    def of(self, kind: str) -> list[Entity]:
        """The linked entities of ``kind`` ("org", "law", "place"), in order."""
        return [e for e in self.entities if e.kind == kind]


class Linker:
    """Links the entities of folded questions to the graph of one ``Service``."""

    def __init__(self, service, evidence: Evidence):
        self.service = service
        self.evidence = evidence  # the documents' texts

    @cached_property
    def plans(self) -> list[Plan]:
        rows = self.service.query("""SELECT ?p ?code ?t ?l ?s ?e WHERE { ?p a ogp:ActionPlan ; dct:title ?t ;
            dct:language ?l ; ogp:periodStart ?s ; ogp:country ?c . OPTIONAL { ?p ogp:periodEnd ?e }
            BIND(REPLACE(STR(?c), "^.*/", "") AS ?code) } ORDER BY ?p""")
        return [Plan(r["p"].value, r["code"].value, r["t"].value, r["l"].value, int(r["s"].value),
                     int(r["e"].value) if r["e"] else None) for r in rows]

    @cached_property
    def commitments(self) -> dict[str, Commitment]:
        plans = {p.iri: p for p in self.plans}
        rows = self.service.query("""SELECT ?c ?p ?n ?t ?id WHERE { ?c ogp:commitmentNumber ?n ; dct:title ?t ;
            ogp:actionPlan ?p . OPTIONAL { ?c ogp:commitmentId ?id } }""")
        return {r["c"].value: Commitment(r["c"].value, plans[r["p"].value], int(r["n"].value), r["t"].value,
                                         r["id"].value if r["id"] else None) for r in rows}

    @cached_property
    def labels(self) -> list[tuple[str, Entity]]:
        """(folded label, entity) for every institution, law and place; longest labels first."""
        queries = {
            "org": "SELECT ?x ?l ?main WHERE { ?x a org:Organization ; skos:prefLabel ?main . "
                   "{ ?x skos:prefLabel ?l } UNION { ?x skos:altLabel ?l } UNION { ?x ogp:acronym ?l } }",
            "law": "SELECT ?x ?l ?main WHERE { ?x a eli:LegalResource ; rdfs:label ?main . "
                   "{ ?x rdfs:label ?l } UNION { ?x skos:prefLabel ?l } UNION { ?x skos:altLabel ?l } }",
            "place": "SELECT ?x ?l ?main WHERE { ?c dct:spatial ?x . ?x schema:name ?l . BIND(?l AS ?main) }",
        }
        table = {}
        for kind, query in queries.items():
            for row in self.service.query(query):
                label = match_form(row["l"].value).strip(" .,;:")
                for form in (label, *(english(label) if kind == "org" else ())):
                    if len(form) >= 3:
                        table.setdefault((form, row["x"].value), Entity(kind, row["x"].value, row["main"].value, 0, 0))
        return sorted(((label, e) for (label, _), e in table.items()), key=lambda item: -len(item[0]))

    @cached_property
    def org_names(self) -> dict[str, str]:
        """Institution IRI → "name (ACRONYM)"."""
        rows = self.service.query("""SELECT ?x ?name (SAMPLE(?a) AS ?acr) WHERE { ?x a org:Organization ; skos:prefLabel ?name .
            OPTIONAL { ?x ogp:acronym ?a } } GROUP BY ?x ?name""")
        return {r["x"].value: r["name"].value + (f" ({r['acr'].value})" if r["acr"] and r["acr"].value not in r["name"].value
                                                 else "") for r in rows}

    @cached_property
    def org_plans(self) -> dict[str, set[str]]:
        """Institution IRI → the plans whose commitments it leads or is mentioned in."""
        found: dict[str, set[str]] = {}
        for r in self.service.query("""SELECT DISTINCT ?x ?p WHERE { ?c ogp:actionPlan ?p ;
                ogp:responsibleOrganization|ogp:mentions ?x . ?x a org:Organization }"""):
            found.setdefault(r["x"].value, set()).add(r["p"].value)
        return found

    @cached_property
    def _label_patterns(self) -> list[tuple[re.Pattern, Entity]]:
        """Each label as a whole-word pattern, compiled once (there are thousands)."""
        return [(re.compile(rf"(?<!\w){re.escape(label)}(?!\w)"), e) for label, e in self.labels]

    @cached_property
    def _fuzzy_labels(self) -> list[tuple[str, int, Entity]]:
        return [(label, label.count(" ") + 1, e) for label, e in self.labels if e.kind == "org" and len(label) >= 5]

    def link(self, folded: str, language: str) -> Links:
        """Entities, plan restriction and commitment number named in the folded question."""
        links = Links()
        taken: list[tuple[int, int]] = []
        plans, links.missing = self._plans_named(folded, taken, language)
        links.scope_spans = list(taken)
        named_country = bool(taken)
        for pattern, e in self._label_patterns:
            for m in pattern.finditer(folded):
                same = any((x.start, x.end, x.kind) == (m.start(), m.end(), e.kind) for x in links.entities)
                if same or not any(s < m.end() and m.start() < t for s, t in taken):  # homonyms: all places named so
                    if not (same and e.kind != "place") and all(x.iri != e.iri for x in links.entities):
                        links.entities.append(Entity(e.kind, e.iri, e.label, m.start(), m.end()))
                    taken.append((m.start(), m.end()))
        if not named_country and not links.missing:  # "the São Paulo plan": the plans of the places' one country
            plans = self._of_places_country(plans or self.plans, links) or plans
        links.restricted = bool(plans)
        links.plans = self._one_per_translation(plans or self.plans, language)
        in_scope = {p.iri for p in links.plans}
        links.entities += [e for e in self._fuzzy(folded, taken) if self.org_plans.get(e.iri, set()) & in_scope]
        for m in self._commitment_ids.finditer(folded):  # the document's own identifier: "IPS-3", "C07" (in "C07.1")
            named = [c for c in self._by_id[m.group(0)] if c.plan in links.plans]
            if len(named) == 1 and not any(e.kind == "commitment" for e in links.entities):
                links.entities.append(Entity("commitment", named[0].iri, named[0].title, *m.span()))
                taken.append(m.span())
        if not links.of("commitment") and (m := _COMMITMENT_NO.search(folded)):
            token = m.group(1)
            number = int(token) if token.isdigit() else _NUMBER_WORDS.get(language, {}).get(token)
            if number is not None:
                links.number, links.number_span = number, m.span()
                found = [c for c in self.commitments.values() if c.number == number and c.plan in links.plans]
                if len(found) == 1:
                    links.entities.append(Entity("commitment", found[0].iri, found[0].title, *m.span()))
        links.entities.sort(key=lambda e: e.start)
        return links

    @cached_property
    def common_place_words(self) -> set[str]:
        """The names of places that a document also writes in lower case, as a common word ("meta")."""
        whole = "\n".join(self.evidence.texts.values())
        names = {e.label for _, e in self.labels if e.kind == "place"}
        return {n for n in names if n != n.lower() and re.search(rf"(?<![\w@./-]){re.escape(n.lower())}(?![\w@/-]|\.\w)", whole)}

    def _of_places_country(self, plans: list[Plan], links: Links) -> list[Plan]:
        """Those of ``plans`` of the one country all the places ``links`` names lie in (a place's
        IRI starts with its country's code: ISO 3166-2); none when the places lie in several, when
        none is named, or when an institution it names has no commitment there; places whose
        name the documents also write as a common word ("la meta": not Colombia's department) do
        not count."""
        places = [e for e in links.of("place") if e.label not in self.common_place_words]
        countries = {re.sub(r"-.*$", "", e.iri.rsplit("/", 1)[-1]) for e in places}
        there = [p for p in plans if p.country in countries] if len(countries) == 1 else []
        if any(not self.org_plans.get(e.iri, set()) & {p.iri for p in there} for e in links.of("org")):
            return []
        return there

    @cached_property
    def _by_id(self) -> dict[str, list[Commitment]]:
        """Folded commitment identifiers that are not bare numbers ("ips-3", "c07") → their commitments."""
        found: dict[str, list[Commitment]] = {}
        for c in self.commitments.values():
            if c.label and not c.label.isdigit() and re.search(r"\d", c.label):
                found.setdefault(match_form(c.label), []).append(c)
        return found

    @cached_property
    def _commitment_ids(self) -> re.Pattern[str]:
        """One whole-token pattern of every identifier in ``_by_id`` (longest first; never matching
        when there are none)."""
        ids = sorted(self._by_id, key=len, reverse=True)
        return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])" if ids else r"(?!)")

    def candidates(self, links: Links) -> list[Commitment]:
        """Commitments with the number the question names, one per plan in scope."""
        return sorted((c for c in self.commitments.values() if c.number == links.number and c.plan in links.plans),
                      key=lambda c: c.plan.iri)

    @cached_property
    def country_names(self) -> dict[str, set[str]]:
        """Folded names of each plan's country: its names and demonyms (``ogp_graph/data/countries.json``),
        its colloquial aliases, and its Babel names in Spanish, English and Portuguese."""
        known = countries()
        names: dict[str, set[str]] = {}
        for code in {p.country for p in self.plans}:
            found: set[str] = set()
            if code in known:
                found |= {*known[code].names.values(), known[code].name, *known[code].demonyms, *known[code].aliases}
            found |= {n for lang in ("es", "en", "pt") if (n := Locale.parse(lang).territories.get(code))}
            names[code] = {match_form(n) for n in found if len(n) >= 2}
        return names

    @cached_property
    def other_countries(self) -> dict[str, str]:
        """Folded names (Spanish, English, Portuguese; Babel) of the countries with no plan in the
        graph → their code; names in ``cues.json: plan_scope.ambiguous_names`` and names of places in
        the graph left out."""
        have = {p.country for p in self.plans} | set(_SCOPE["not_countries"])
        skip = set(_SCOPE["ambiguous_names"]) | {label for label, e in self.labels if e.kind == "place"}
        names = {}
        for lang in ("es", "en", "pt"):
            for code, name in Locale.parse(lang).territories.items():
                folded = match_form(name)
                if len(code) == 2 and code.isalpha() and code not in have and folded not in skip and len(folded) >= 4:
                    names[folded] = code
        return names

    @cached_property
    def _other_country(self) -> re.Pattern:
        """One whole-word pattern of every name in ``other_countries`` (longest first), compiled once."""
        names = sorted(self.other_countries, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")

    @cached_property
    def plan_ordinals(self) -> dict[str, int]:
        """Plan IRI → its ordinal, when its title says it ("Fifth U.S. … Plan", "II PLAN DE ACCIÓN")."""
        found = {}
        for p in self.plans:
            title = match_form(p.title)
            m = re.search(rf"\b({_WORDS_ORDINAL})\b", title) or _ORDINAL_BEFORE_PLAN.search(title)
            if m:
                found[p.iri] = _ORDINALS[m.group(1)]
        return found

    def _plans_named(self, folded: str, taken: list, language: str) -> tuple[list[Plan], list[str]]:
        """The plans the question restricts to (none: no restriction), and what it names that no
        plan of the graph is: a country without a plan, a year or an ordinal its country's plans lack."""
        codes = set()
        for code, names in self.country_names.items():
            for name in names:
                for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
                    codes.add(code)
                    taken.append(m.span())
        territories = Locale.parse(language).territories
        if not codes:
            others = {self.other_countries[m.group(0)] for m in self._other_country.finditer(folded)}
            if others:
                return [], sorted(territories.get(c, c) for c in others)
        plans = [p for p in self.plans if not codes or p.country in codes]
        years, other_years = self._plan_years(folded, taken)
        if years:  # the plans of exactly that period, else those covering it
            plans = _first_nonempty([p for p in plans if (p.start, p.end or p.start) in years], _covering(plans, years))
        elif other_years:  # a year of something else the plan did: its plan if the graph has one
            plans = _covering(plans, other_years) or plans
        ordinal = _ORDINAL_BEFORE_PLAN.search(folded) or _NAP_NUMBER.search(folded)
        if ordinal:  # the plans whose title has that ordinal, else those whose title has none
            number = int(ordinal.group(1)) if ordinal.group(1).isdigit() else _ORDINALS[ordinal.group(1)]
            plans = _first_nonempty([p for p in plans if self.plan_ordinals.get(p.iri) == number],
                                    [p for p in plans if p.iri not in self.plan_ordinals])
        if (years or ordinal) and not plans:
            where = " ".join(sorted(territories.get(c, c) for c in codes))
            asked = [ordinal.group(0)] if ordinal else []
            asked += ["-".join(str(y) for y in dict.fromkeys(pair)) for pair in years]
            return [], [" ".join(x for x in (where, *asked) if x)]
        return (plans if codes or years or other_years or ordinal else []), []

    def _plan_years(self, folded: str, taken: list) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The years (first, last) in the question: those that date a plan — a period ("2016-2018"),
        a year at most ``plan_scope.years_near`` words after a plan word or right before one ("the
        2022 plan"), or right after a country's name ("Colombia 2020") — and the others."""
        dating, other = [], []
        plan_words = [p.span() for p in _PLAN_WORD.finditer(folded)]
        for m in _PERIOD.finditer(folded):
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            after_plan = any(len(re.findall(r"[a-z0-9.]+", folded[t:m.start()])) <= _SCOPE["years_near"]
                             for s, t in plan_words if t <= m.start())
            before_plan = any(len(re.findall(r"[a-z0-9.]+", folded[m.end():s])) <= 1 for s, t in plan_words if s >= m.end())
            after_country = any(t <= m.start() and not folded[t:m.start()].strip() for s, t in taken)
            (dating if m.group(2) or after_plan or before_plan or after_country else other).append((first, last))
        return dating, other

    @staticmethod
    def _one_per_translation(plans: list[Plan], language: str) -> list[Plan]:
        """One plan per (country, period): the one in the question's language, else the first."""
        groups: dict[tuple, list[Plan]] = {}
        for p in plans:
            groups.setdefault((p.country, p.start, p.end), []).append(p)
        return [next((p for p in group if p.language == language), group[0]) for group in groups.values()]

    @staticmethod
    def _generic(gram: str) -> bool:
        """Whether every word of ``gram`` is a word of any institution's name ("ministerio de"):
        such words name no institution in particular."""
        return all(w in _ORG_WORDS["words"] or w in NAME_CONNECTORS for w in gram.split())

    def _fuzzy(self, folded: str, taken: list) -> list[Entity]:
        """Institutions named with a misspelling: word n-grams close to a label of as many words,
        unless made only of words any institution's name has (kept by ``link`` only for
        institutions of the plans in scope)."""
        words = [(m.start(), m.end()) for m in re.finditer(r"[a-z0-9/]+", folded)]
        found = []
        for label, size, e in self._fuzzy_labels:
            for i in range(len(words) - size + 1):
                s, t = words[i][0], words[i + size - 1][1]
                if any(a < t and s < b for a, b in taken):
                    continue
                gram = folded[s:t]
                if abs(len(gram) - len(label)) > 3 or gram[0] != label[0] or self._generic(gram):
                    continue
                score = fuzz.ratio(gram, label)
                if score >= _FUZZY_MIN:
                    found.append(Entity(e.kind, e.iri, e.label, s, t, score / 100))
                    taken.append((s, t))
        return found
