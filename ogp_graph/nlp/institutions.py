"""spaCy component ``ogp_institutions``: institutions named, abbreviated, misspelt or defined.

Runs after an ``entity_ruler`` fed with :meth:`InstitutionGazetteer.patterns` (see
:func:`add_institution_pipes`) and writes one span per mention to ``doc.spans["ogp_institutions"]``,
``kb_id_`` = the institution's key and ``entity(span, INSTITUTIONS)`` = the :class:`Institution`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans
from spacy.vocab import Vocab

from ogp_graph.institutions import INTERNATIONAL, Institution, InstitutionGazetteer, find_acronyms
from ogp_graph.text import strip_accents
from ogp_graph.nlp.spans import (INSTITUTIONS, RESOLVER_KEY, RESPONSIBLE, attach, commitment_parts, doc_country,
                                 entity)
from ogp_graph.org_names import find_org_names
from ogp_graph.org_resolver import InstitutionResolver

RULER = "entity_ruler"
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")  # letters, digits and punctuation apart: "Esquel16" → Esquel 16


class _NameMatcher:
    """Multi-word names of one country's institutions, found whatever the line breaks, case,
    accents or glued footnote numbers ("Consejo de Participación Ciudadana y\\nControl Social",
    "Fundación Esquel16"), where the tokenizer keeps the entity ruler from seeing them."""

    def __init__(self, institutions: Iterable[Institution]):
        self.vocab = Vocab()
        self.matcher = PhraseMatcher(self.vocab)
        self.by_id: dict[str, tuple[Institution, bool]] = {}
        for inst in institutions:
            for n, name in enumerate((inst.name, *inst.alt_names)):
                words = [self._fold(m.group(0)) for m in _TOKEN.finditer(name)]
                if len(words) >= 2:
                    ident = f"{inst.iri_key}#{n}"
                    self.by_id[ident] = (inst, len(name.split()) < 3)  # short names must be capitalised
                    self.matcher.add(ident, [Doc(self.vocab, words=words)])

    @staticmethod
    def _fold(word: str) -> str:
        return strip_accents(word).casefold() or word  # a lone accent folds to nothing

    def __call__(self, text: str) -> list[tuple[Institution, int, int]]:
        tokens = list(_TOKEN.finditer(text))
        if not tokens:
            return []
        doc = Doc(self.vocab, words=[self._fold(m.group(0)) for m in tokens])
        found = []
        for match_id, start, end in self.matcher(doc):
            inst, capitalised = self.by_id[self.vocab.strings[match_id]]
            begin = tokens[start].start()
            if not capitalised or text[begin].isupper():
                found.append((inst, begin, tokens[end - 1].end()))
        return found


class InstitutionTagger:
    """Collects into ``doc.spans["ogp_institutions"]``, first come first kept: the entity ruler's
    ORG matches of the document's country and international bodies; organisations whose acronym
    the text defines ("… del Estado (DNCAE)"); gazetteer names the tokenizer split differently (line
    breaks, footnote numbers); in countries without a gazetteer, organisation-shaped names
    ("Secretaría de Transparencia", "Prefeitura de São Paulo"); later uses of defined acronyms, and one-letter typos of known ones
    ("SEENACYT"). Names are resolved by the document's :class:`InstitutionResolver` when
    ``doc.user_data["ogp_institutions"]`` holds one (see ``make_doc``), else by one that knows
    this text's definitions only."""

    def __init__(self, gazetteer: InstitutionGazetteer):
        self.gazetteer = gazetteer
        self._names: dict[str, _NameMatcher] = {}

    def _name_matcher(self, country: str) -> _NameMatcher:
        if country not in self._names:
            scope = (country, INTERNATIONAL)
            self._names[country] = _NameMatcher(i for i in self.gazetteer.institutions if i.country in scope)
        return self._names[country]

    def __call__(self, doc: Doc) -> Doc:
        country = doc_country(doc)
        found: list[Span] = []
        covered: set[int] = set()

        def add(inst: Institution, start: int, end: int) -> None:
            span = doc.char_span(start, end, label="ORG", kb_id=inst.key, alignment_mode="expand")
            if span is not None and not covered.intersection(range(span.start, span.end)):
                attach(span, INSTITUTIONS, inst)
                found.append(span)
                covered.update(range(span.start, span.end))

        for ent in doc.ents:
            owner, _, key = ent.ent_id_.partition("/")
            if ent.label_ != "ORG" or not key:
                continue
            if owner in (country, INTERNATIONAL):
                add(self.gazetteer.get(owner, key), ent.start_char, ent.end_char)
            elif inst := self.gazetteer.resolve(ent.text, country):  # also another country's pattern
                add(inst, ent.start_char, ent.end_char)
        resolver = doc.user_data.get(RESOLVER_KEY) or InstitutionResolver.for_text(
            doc.text, country, gazetteer=self.gazetteer)
        for d in find_acronyms(doc.text):
            if resolver.is_organisation(d.acronym) and (inst := resolver.resolve(d.acronym)):
                add(inst, d.start, d.end)
        for inst, start, end in self._name_matcher(country)(doc.text):
            add(inst, start, end)
        if country not in self.gazetteer.countries():  # where a gazetteer lists the country's bodies, it decides
            for name in find_org_names(doc.text):
                add(resolver.institution(name.text), name.start, name.end)
        for token in doc:  # acronyms the document defines, or misspelt
            text = token.text
            if token.i in covered or not (text.isupper() and text.isalpha()):
                continue
            if resolver.is_organisation(text) and (inst := resolver.resolve(text)):
                add(inst, token.idx, token.idx + len(text))
        doc.spans[INSTITUTIONS] = SpanGroup(doc, name=INSTITUTIONS, spans=filter_spans(found))
        return doc


@dataclass(frozen=True)
class Responsible:
    """An institution responsible for the commitment, with the characters that name it."""

    institution: Institution
    start: int
    end: int


class ResponsibleTagger:
    """Collects into ``doc.spans["ogp_responsible"]`` the institutions responsible for a commitment:
    those of its responsible field, split by the gazetteer and the document's acronyms, each with the
    span that names it; for layouts without that field, the government bodies of the document's country
    its text names (first mention each). Runs after ``ogp_institutions``; acts only on commitment docs."""

    def __init__(self, gazetteer: InstitutionGazetteer):
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        if (parts := commitment_parts(doc)) is None:
            return doc
        country = doc_country(doc)
        named = [(entity(span, INSTITUTIONS), span.start_char, span.end_char) for span in doc.spans.get(INSTITUTIONS, [])]
        found: list[Responsible] = []
        if parts.responsible_span is None:
            first: dict[str, Responsible] = {}
            for inst, start, end in named:
                if inst.kind == "government" and inst.country == country:
                    first.setdefault(inst.key, Responsible(inst, start, end))
            found = list(first.values())
        else:
            start, end = parts.responsible_span
            in_field = [n for n in named if start <= n[1] and n[2] <= end]
            resolver = doc.user_data.get(RESOLVER_KEY)
            for raw in parts.responsible:
                for inst in self.gazetteer.split_responsible(raw, country, definitions=resolver):
                    at = next(((b, e) for i, b, e in in_field if i.key == inst.key), None)
                    found.append(Responsible(inst, *(at or _find_label(doc.text, (inst.name, *inst.acronyms), start, end))))
        spans = []
        for r in found:  # several may share characters: a group holds overlapping spans
            span = doc.char_span(r.start, r.end, label="RESPONSIBLE", kb_id=r.institution.key, alignment_mode="expand")
            if span is not None:
                attach(span, RESPONSIBLE, r)
                spans.append(span)
        doc.spans[RESPONSIBLE] = SpanGroup(doc, name=RESPONSIBLE, spans=spans)
        return doc


def _find_label(text: str, labels: Iterable[str], start: int, end: int) -> tuple[int, int]:
    """Span of the first of ``labels`` found in ``text[start:end]``, else the whole range."""
    for label in labels:
        if (at := text.find(label, start, end)) >= 0:
            return at, at + len(label)
    return start, end


@Language.factory("ogp_responsible", assigns=["doc.spans"], requires=["doc.spans"])
def make_responsible_tagger(nlp: Language, name: str) -> ResponsibleTagger:
    """The ``ogp_responsible`` component over the default institution gazetteer."""
    return ResponsibleTagger(InstitutionGazetteer.default())


@Language.factory("ogp_institutions", assigns=["doc.spans"], requires=["doc.ents"])
def make_institution_tagger(nlp: Language, name: str) -> InstitutionTagger:
    """The ``ogp_institutions`` component over the default institution gazetteer."""
    return InstitutionTagger(InstitutionGazetteer.default())


def add_institution_pipes(nlp: Language, countries: Iterable[str] | None = None) -> Language:
    """Add to ``nlp`` an ``entity_ruler`` with the institution patterns of ``countries`` (default:
    every country with a gazetteer), before ``ner`` when there is one, then ``ogp_institutions``.

    :raises ValueError: ``nlp`` already has a pipe named ``entity_ruler`` or ``ogp_institutions``.
    """
    gazetteer = InstitutionGazetteer.default()
    codes = sorted(countries if countries is not None else gazetteer.countries() - {INTERNATIONAL})
    for pipe in (RULER, "ogp_institutions"):
        if pipe in nlp.pipe_names:
            raise ValueError(f"the pipeline already has a {pipe!r} pipe")
    where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe(RULER, config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}, **where)
    ruler.add_patterns(gazetteer.patterns(*codes))
    nlp.add_pipe("ogp_institutions")
    return nlp
