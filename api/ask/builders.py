"""Answer builders: one per intent, each composing its SPARQL from the linked parts (commitment,
institutions, law, place, plans in scope) and quoting its evidence from the stored provenance."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from babel import Locale

from api.ask.analysis import STOP, WORD, Asked, asked_quantity, stems
from api.ask.answer import Answer
from api.ask.evidence import Evidence
from api.ask.linking import CUES, Commitment, Entity, Linker, Links, Plan
from api.ask.numbers import format_value
from indexes.vector_cache import embed
from ogp_graph.segment.cues import field_label
from ogp_graph.text import match_form, sentence_at, strip_accents

#: a commitment linked by description this surely is the only one a quantity question is answered from
SURE_DESCRIPTION = 0.75
#: what a figure of the asked noun in a commitment found by description adds to its confidence
NOUN_CONFIRMS = 0.15
#: at most this many equally good figures of one commitment are given together
MAX_TIED = 4
#: the closest sentence in another language than the question's shares a word from this cosine on (dev:
#: English questions on Spanish plans, the right sentence 0.79–0.87, mostly the closest; the best wrong 0.80–0.82)
CROSS_SENTENCE_MIN = 0.79
#: sentences this close to the closest one are as close
CROSS_TIE = 0.003
#: a sentence holding a date field counts as this many shared words for a "when" question
DATE_FIELD = 2
#: a description quotes a body sentence of at least this many words
DESCRIPTION_WORDS = 6
#: a field's value (contact persons, a description) is cut after this many characters
FIELD_MAX = 400
MESSAGES = {k: v for k, v in json.loads((Path(__file__).parent / "data" / "messages.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}
@dataclass
class Context:
    """Everything a builder needs about one question."""

    question: str
    folded: str
    lang: str
    links: Links
    linker: Linker
    evidence: Evidence
    service: object
    commitment: Commitment | None = None
    link_score: float = 1.0
    hits: list = field(default_factory=list)  # dense search hits in scope, best first
    candidates: list = field(default_factory=list)  # commitments with the number asked, one per plan
    described: tuple | None = None  # (commitment, link score) the question describes, for intents that do not need one
    vector: object = None  # the question's embedding (multilingual e5), for sentences in another language
    generic: set = field(default_factory=set)  # stems of the words that ask (those of the intent examples)
    rendered: str = ""  # the question's words rendered in the other plan languages (``bridge.py``)

    def similarity(self, texts: list[str]) -> list[float]:
        """The cosine of the question and each of ``texts`` in the multilingual embedding space."""
        if not texts:
            return []
        return (embed(self.service.index.embedder, texts, kind="passage") @ self.vector).tolist()  # sentences recur

    def say(self, key: str, **values) -> str:
        """The message ``key`` in the question's language, filled with ``values``."""
        return MESSAGES[self.lang][key].format(**values)

    def what(self, kind: str, **values) -> str:
        """How the answer names a kind of fact it lacks ("montos de dinero")."""
        return MESSAGES[self.lang]["what"][kind].format(**values)

    def cref(self, c: Commitment, *, capital: bool = False) -> str:
        """How the answer refers to commitment ``c`` (number, country, plan); ``capital`` capitalises it."""
        text = self.say("commitment_ref", number=c.label or c.number, country=c.plan.country_name(self.lang),
                        plan=self.say("plan_label", period=c.plan.period))
        return text[0].upper() + text[1:] if capital else text

    def plan_scope(self) -> str:
        """A SPARQL ``VALUES ?plan`` clause over the plans in scope."""
        return "VALUES ?plan { " + " ".join(f"<{p.iri}>" for p in self.links.plans) + " }"

    def scope_text(self) -> str:
        """The scope phrase of the one plan in scope ("" when several)."""
        plans = self.links.plans
        if len(plans) != 1:
            return ""
        return self.say("scope", plan=self.say("plan_label", period=plans[0].period), country=plans[0].country_name(self.lang))

    def select(self, query: str) -> list[dict]:
        """The rows of a SELECT ``query``: variable name → value (None when unbound)."""
        results = self.service.query(query)
        names = [v.value for v in results.variables]
        return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in results]

    def listing(self, commitments: list[Commitment]) -> str:
        """The "number. title" of each commitment, joined; with the country when they span plans."""
        several = len({c.plan.iri for c in commitments}) > 1
        return "; ".join(f"{c.label or c.number}. {c.title}" + (f" ({c.plan.country_name(self.lang)})" if several else "")
                         for c in commitments)

    def answer(self, intent: str, text: str, *, items: Iterable[dict] = (), sparql: str | None = None,
               evidence: Iterable[dict] = (), confidence: float = 0.9,
               plans: list[Plan] | None = None, known: bool = True) -> Answer:
        """An ``Answer`` to the question; its plans are the commitment's, else those in scope."""
        plans = plans if plans is not None else ([self.commitment.plan] if self.commitment else self.links.plans)
        return Answer(question=self.question, language=self.lang, intent=intent, answer=text, known=known,
                      plans=[p.ref(self.lang) for p in plans], items=list(items), sparql=sparql,
                      evidence=list(evidence), confidence=round(confidence, 3))

    def unknown(self, intent: str, reason: str, *, sparql: str | None = None, confidence: float = 0.9) -> Answer:
        """An answer that does not know, saying ``reason``."""
        return self.answer(intent, self.say("unknown", reason=reason), sparql=sparql, confidence=confidence, known=False)

    def no_fact(self, intent: str, what: str, *, sparql: str | None = None) -> Answer:
        """An answer that does not know: the commitment (or the documents in scope) states no ``what``."""
        target = (self.cref(self.commitment, capital=True) if self.commitment
                  else self.say("documents", scope=self.scope_text()))
        return self.unknown(intent, self.say("no_fact", commitment=target, what=what), sparql=sparql)

    def org_label(self, iri: str) -> str:
        """An institution's name with its acronym: "Ministerio de Finanzas Públicas (MINFIN)"."""
        return self.linker.org_names.get(iri, iri)

    def commitment_by_iri(self, iri: str) -> Commitment:
        """The linked commitment of ``iri``.

        :raises KeyError: no commitment has that IRI.
        """
        return self.linker.commitments[iri]

    def c_dict(self, c: Commitment) -> dict:
        """Commitment ``c`` as an answer item (number, plan, commitment IRI, title, id)."""
        return {"number": c.number, "plan": c.plan.iri, "commitment": c.iri, "title": c.title, "id": c.label}

    def spans(self, c: Commitment, prop: str) -> list[tuple[str, int, int]]:
        """(document, begin, end) of each span ``c`` links by ``prop``, in text order."""
        rows = self.select(f"""SELECT ?doc ?b ?e WHERE {{ <{c.iri}> {prop} ?s . ?s nif:referenceContext ?doc ;
            nif:beginIndex ?b ; nif:endIndex ?e }} ORDER BY ?b""")
        return [(r["doc"], int(r["b"]), int(r["e"])) for r in rows]

    def body_sentences(self, c: Commitment, prop: str = "ogp:bodySpan") -> list[dict]:
        """The evidence sentences of the spans ``c`` links by ``prop`` (its body by default)."""
        found = []
        for doc, b, e in self.spans(c, prop):
            for s, t in self.evidence.sentences_of(doc, [(b, e)]):
                found.append(self.evidence.sentence(doc, s, t, commitment=self.c_dict(c)))
        return found

    def mention_evidence(self, entity: str, *, commitment: Commitment | None = None, limit: int = 2) -> list[dict]:
        """Up to ``limit`` evidence sentences mentioning ``entity`` (within ``commitment`` when given)."""
        return [self.evidence.sentence(doc, b, e, commitment=self.c_dict(self.commitment_by_iri(c)))
                for doc, b, e, c in self.evidence.mentions(entity, commitment=commitment.iri if commitment else None,
                                                         limit=limit)]


def _names(rows: list[dict]) -> str:
    return ", ".join(r["name"] + (f" ({r['acr']})" if r.get("acr") and r["acr"] not in r["name"] else "") for r in rows)


# -- about one commitment -------------------------------------------------------------------------
def responsible(ctx: Context) -> Answer:
    """Who is responsible for the linked commitment."""
    c = ctx.commitment
    query = f"""SELECT ?org ?name (SAMPLE(?a) AS ?acr) WHERE {{ <{c.iri}> ogp:responsibleOrganization ?org .
        ?org skos:prefLabel ?name . OPTIONAL {{ ?org ogp:acronym ?a }} }} GROUP BY ?org ?name ORDER BY ?name"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("responsible", ctx.what("responsible"), sparql=query)
    evidence = [ev for r in rows for ev in ctx.mention_evidence(r["org"], commitment=c, limit=1)]
    return ctx.answer("responsible", ctx.say("responsible", Commitment=ctx.cref(c, capital=True), title=c.title,
                                             names=_names(rows)),
                      items=[{"organization": r["org"], "name": r["name"], "acronym": r["acr"]} for r in rows],
                      sparql=query, evidence=evidence, confidence=0.95)


def _every_language(section: str) -> list[str]:
    """The entries of ``cues.json`` section ``section`` in every language."""
    return [x for lang, xs in CUES[section].items() if lang != "_doc" for x in xs]


def _labels(section: str) -> re.Pattern:
    """The field labels of ``cues.json`` section ``section`` (every language) at a line start,
    alone on their line or before a colon."""
    return re.compile(r"^[ \t]*(?:" + "|".join(_every_language(section)) + r")[ \t]*(?::[ \t]*(?=\S)|[ \t]*$)",
                      re.MULTILINE)


_CONTACT = _labels("contact_labels")
_DESCRIPTION = _labels("description_labels")
_EMAIL = re.compile(r"[ \t]*\(?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\)?")
#: an e-mail address or a telephone number ("5931-0062", "+593 2 123 4567": seven digits at least,
#: not a period "2016-2018") in a sentence
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.,/-])(?!(?:19|20)\d\d-(?:19|20)\d\d\b)"
                      r"(?=(?:\D?\d){7})\+?\d{3,4}(?:[ -]\d{1,4}){1,3}(?![\w/-]|[.,]\d)")


def _field(label_pattern: re.Pattern, text: str, start: int, end: int, *,
           paragraph: bool) -> tuple[int, int, int, str] | None:
    """(label begin, value begin, value end, value) of the first field of ``text[start:end]`` whose
    label ``label_pattern`` matches at a line start: its value on the same line and the lines
    continuing it (up to a blank line or the next field label), or, for a label alone on its line,
    the next non-empty line (``paragraph``: and the lines continuing it). Values are cut after
    ``FIELD_MAX`` characters."""
    folded = "".join((strip_accents(ch).lower() or ch)[:1] for ch in text[start:end])  # same offsets
    label = label_pattern.search(folded)
    if label is None:
        return None
    at = start + label.end()
    inline = label.group(0).rstrip().endswith(":")
    lines, pos = [], at
    for line in text[at:end].split("\n"):
        if not line.strip():
            if lines or inline:
                break
        elif lines and field_label(line) is not None:
            break
        else:
            if not lines:
                at = pos + len(line) - len(line.lstrip())
            lines.append(line.strip())
            if not (inline or paragraph):
                break
        pos += len(line) + 1
    value = " ".join(lines)[:FIELD_MAX]
    return (start + label.start(), at, at + len(value), value) if value else None


def _contact_field(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """(begin, end, names) of the first contact field of ``text[start:end]`` (e-mail addresses left out)."""
    found = _field(_CONTACT, text, start, end, paragraph=False)
    if found is None:
        return None
    begin, _, stop, value = found
    names = re.sub(r"\s*,\s*(?=[;,]|$)", "", " ".join(_EMAIL.sub("", value).split())).strip(" ;,.")
    return (begin, stop, names) if names else None


def contact(ctx: Context) -> Answer:
    """The contact persons the linked commitment's text names ("Nombre de la persona responsable",
    "PERSONA RESPONSABLE: …"), quoting the field; without one, the e-mail addresses and telephone
    numbers of its first sentence giving any. The graph holds no persons, only this text."""
    c = ctx.commitment
    for doc, b, e in ctx.spans(c, "ogp:sourceSpan"):
        if found := _contact_field(ctx.evidence.texts[doc], b, e):
            s, t, names = found
            ev = ctx.evidence.span(doc, s, t, commitment=ctx.c_dict(c))
            return ctx.answer("contact", ctx.say("contact", commitment=ctx.cref(c), names=names, text=ev["text"]),
                              items=[{**ctx.c_dict(c), "contact": names}], evidence=[ev], confidence=0.85)
    for ev in ctx.body_sentences(c, "ogp:sourceSpan"):  # no contact field: a sentence giving an address or a number
        if found := _ADDRESS.findall(ev["text"]):
            names = ", ".join(dict.fromkeys(x.strip() for x in found))
            return ctx.answer("contact", ctx.say("contact", commitment=ctx.cref(c), names=names, text=ev["text"]),
                              items=[{**ctx.c_dict(c), "contact": names}], evidence=[ev], confidence=0.75)
    if ctx.link_score < 1 and (found := _plan_contact(ctx)):  # only described: perhaps the plan's own contact
        return found
    return ctx.no_fact("contact", ctx.say("contact_noun"))


def _plan_contact(ctx: Context) -> Answer | None:
    """The e-mail addresses and telephone numbers a plan gives outside its commitments, from the
    sentence giving any that shares most words with the question (one at least)."""
    wanted = stems(ctx.question) - ctx.generic
    best, shared = None, 0
    for doc, plan, b, e in _plan_text(ctx):
        text = ctx.evidence.texts[doc]
        for m in _ADDRESS.finditer(text, b, e):
            s, t = sentence_at(text, m.start(), m.end())
            words = len(wanted & stems(text[s:t]))
            if words > shared:
                best, shared = (doc, plan, s, t), words
    if best is None:
        return None
    doc, plan, s, t = best
    ev = ctx.evidence.span(doc, s, t)
    names = ", ".join(dict.fromkeys(x.strip() for x in _ADDRESS.findall(ev["text"])))
    return ctx.answer("contact", ctx.say("plan_contact", names=names, plan=ctx.say("plan_label", period=plan.period),
                                         country=plan.country_name(ctx.lang), text=ev["text"]),
                      items=[{"contact": names, "plan": plan.iri}], evidence=[ev], plans=[plan], confidence=0.7)


def head_of(ctx: Context) -> Answer:
    """Who holds an office (a president, minister, director): the graph holds no office holders, so
    the answer says it does not know, whatever a document mentions."""
    return ctx.unknown("head_of", ctx.say("head_of", scope=ctx.scope_text()), confidence=0.9)


def not_in_graph(ctx: Context) -> Answer:
    """A question about plans the graph does not hold (a country without a plan, a period or an
    ordinal its country's plans lack): says so, naming the plans it holds."""
    held = ", ".join(f"{p.country_name(ctx.lang)} {p.period}" for p in ctx.links.plans)
    return ctx.unknown("not_in_graph", ctx.say("not_in_graph", what=", ".join(ctx.links.missing), plans=held))


def outside(ctx: Context) -> Answer:
    """A question no action plan answers (an opinion, a prediction, general knowledge): says so."""
    return ctx.unknown("outside", ctx.say("outside"))


def _description(ctx: Context, c: Commitment) -> dict | None:
    """What commitment ``c`` is, as evidence: its description field ("What is the commitment?"),
    else the body sentence (not a form field) sharing the most words of the question beyond the
    asking ones (the first on a tie), None when it has none."""
    for doc, b, e in ctx.spans(c, "ogp:sourceSpan"):
        if found := _field(_DESCRIPTION, ctx.evidence.texts[doc], b, e, paragraph=True):
            _, s, t, _ = found
            return ctx.evidence.span(doc, s, t, commitment=ctx.c_dict(c))
    wanted = stems(ctx.links.without_scope(ctx.folded)) - ctx.generic
    body = [s for s in ctx.body_sentences(c) if len(s["text"].split()) >= DESCRIPTION_WORDS and field_label(s["text"]) is None]
    return max(body, key=lambda s: len(wanted & stems(s["text"])), default=None)


def describe(ctx: Context) -> Answer:
    """What the linked commitment is: its title, responsible institutions and description."""
    c = ctx.commitment
    query = f"""SELECT ?title ?org WHERE {{ <{c.iri}> dct:title ?title . OPTIONAL {{ <{c.iri}> ogp:responsibleOrganization ?org }} }}"""
    names = sorted({ctx.org_label(r["org"]) for r in ctx.select(query) if r["org"]})
    by = ctx.say("by", names=", ".join(names)) if names else ""
    evidence = [ctx.evidence.sentence(doc, b, e, commitment=ctx.c_dict(c)) for doc, b, e in ctx.spans(c, "ogp:titleSpan")]
    described = _description(ctx, c)
    text = ctx.say("describe_text", text=described["text"]) if described else ""
    return ctx.answer("commitment", ctx.say("describe", Commitment=ctx.cref(c, capital=True), title=c.title, by=by, text=text),
                      items=[{**ctx.c_dict(c), "responsible": names}], sparql=query,
                      evidence=evidence + ([described] if described else []), confidence=0.9)


def progress(ctx: Context) -> Answer:
    """What the linked commitment does or did: the first sentences of its body."""
    c = ctx.commitment
    body = ctx.body_sentences(c)
    if not body:
        return ctx.no_fact("progress", ctx.what("dates"))
    shown = body[:2]
    return ctx.answer("progress", ctx.say("progress", commitment=ctx.cref(c), title=c.title,
                                          text=" ".join(s["text"] for s in shown)),
                      items=[ctx.c_dict(c)], evidence=shown, confidence=0.8)


#: a yes/no question about an event of a commitment is judged from a sentence sharing this many of its words
EVENT_WORDS = 2
#: a yes/no question about an event naming no commitment looks among this many search hits
EVENT_CANDIDATES = 3
_NOT_DONE = {lang: [re.compile(p) for p in ps] for lang, ps in CUES["not_done"].items() if lang != "_doc"}


def _event(ctx: Context, c: Commitment) -> tuple[Answer, int] | None:
    """A yes/no question about an event of ``c`` ("¿ya se firmó el convenio…?"): the sentence of
    its text sharing the most words of the question (and of their renderings in the document's
    language) beyond those asking and its title's (at least ``EVENT_WORDS``) — "No" when it says
    the event is yet to happen (``cues.json: not_done``, in the document's language), else "Yes";
    with the words shared. None when no sentence tells of it."""
    wanted = stems(f"{ctx.links.without_scope(ctx.folded)} {ctx.rendered}") - ctx.generic - stems(c.title)
    scored = [(len(wanted & stems(s["text"])), s) for s in ctx.body_sentences(c, "ogp:sourceSpan")]
    shared, best = max(scored, key=lambda x: x[0], default=(0, None))
    if shared < EVENT_WORDS:
        return None
    text = best["text"].lower()
    pending = any(p.search(text) for p in _NOT_DONE.get(c.plan.language, []))
    answer = ctx.answer("status", ctx.say("event_no" if pending else "event_yes", commitment=ctx.cref(c), text=best["text"]),
                        items=[{**ctx.c_dict(c), "happened": not pending}], evidence=[best], plans=[c.plan],
                        confidence=min(0.85, 0.6 + 0.05 * shared))
    return answer, shared


def event(ctx: Context) -> Answer | None:
    """A yes/no question about an event, of the linked commitment or else of the closest of the
    search's commitments in scope whose text tells of it best; None when none does."""
    commitments = ([ctx.commitment] if ctx.commitment else
                   list(dict.fromkeys(ctx.commitment_by_iri(h.commitment) for h in ctx.hits[:EVENT_CANDIDATES])))
    found = [x for c in commitments if (x := _event(ctx, c))]
    return max(found, key=lambda x: x[1])[0] if found else None


def status(ctx: Context) -> Answer:
    """Whether the linked commitment is complete, quoting the sentence that says so; a question
    about one of its events is judged from the sentence telling of it."""
    c = ctx.commitment
    if found := _event(ctx, c):
        return found[0]
    query = f"""SELECT ?doc ?b ?e WHERE {{ <{c.iri}> ogp:completionStatus ogp:Complete .
        OPTIONAL {{ ?s itsrdf:taIdentRef ogp:Complete ; ogp:mentionedIn <{c.iri}> ; nif:referenceContext ?doc ;
                   nif:beginIndex ?b ; nif:endIndex ?e }} }}"""
    rows = ctx.select(query)
    if rows:
        r = rows[0]
        ev = [ctx.evidence.sentence(r["doc"], int(r["b"]), int(r["e"]), commitment=ctx.c_dict(c))] if r["doc"] else []
        return ctx.answer("status", ctx.say("status_yes", commitment=ctx.cref(c), text=ev[0]["text"] if ev else c.title),
                          items=[{**ctx.c_dict(c), "complete": True}], sparql=query, evidence=ev, confidence=0.9)
    genre = f"""ASK {{ <{c.iri}> ogp:titleSpan/nif:referenceContext/ogp:genre "plan" }}"""
    if ctx.service.query(genre):  # a plan says what will be done, never how far it got
        return ctx.no_fact("status", ctx.what("status"), sparql=genre)
    body = ctx.body_sentences(c)[:1]
    return ctx.answer("status", ctx.say("status_no", commitment=ctx.cref(c), text=body[0]["text"] if body else c.title),
                      items=[{**ctx.c_dict(c), "complete": False}], sparql=query, evidence=body, confidence=0.75)


def _months(lang: str) -> set[str]:
    loc = Locale.parse(lang)
    return {match_form(m) for width in ("wide", "abbreviated") for m in loc.months["format"][width].values()}


_DATE_FIELDS = _every_language("date_fields")


def _has_day(folded: str, months: set[str]) -> bool:
    """Whether a folded sentence gives a day: "29 de noviembre", "december 13th", "12/05/2017"."""
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    return bool(re.search(rf"\b\d{{1,2}}(?:st|nd|rd|th|°|º)?\s+(?:de\s+)?(?:{names})\b|\b(?:{names})\.?\s+\d{{1,2}}"
                          rf"(?:st|nd|rd|th)?\b(?!\d)|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b", folded))


def dates(ctx: Context) -> Answer:
    """The sentence of the commitment that dates it (a month or year, sharing most words with the
    question; a date field, "Fecha de inicio y término: …", counts as two shared words); a question
    asking for a day (``cues.json: day_asked``) only from a sentence giving one."""
    c = ctx.commitment
    months = _months(c.plan.language) | _months(ctx.lang)
    day = any(re.search(p, ctx.folded) for p in CUES["day_asked"].get(ctx.lang, []))
    wanted = stems(ctx.question)
    best, best_score = None, 0
    for s in ctx.body_sentences(c, "ogp:sourceSpan"):
        words = set(WORD.findall(match_form(s["text"])))
        if not (words & months or re.search(r"\b(19|20)\d\d\b", s["text"])) or (day and not _has_day(match_form(s["text"]), months)):
            continue
        folded = match_form(s["text"])
        score = (len(wanted & stems(s["text"])) + (1 if words & months else 0)
                 + DATE_FIELD * any(label in folded for label in _DATE_FIELDS))
        if score > best_score:
            best, best_score = s, score
    if best is None:
        return ctx.no_fact("dates", ctx.what("dates"))
    return ctx.answer("dates", ctx.say("dates", commitment=ctx.cref(c), text=best["text"]), items=[ctx.c_dict(c)],
                      evidence=[best], confidence=min(0.9, 0.5 + 0.1 * best_score))


def laws_of(ctx: Context) -> Answer:
    """The laws the linked commitment cites."""
    c = ctx.commitment
    query = f"""SELECT ?law ?label (SAMPLE(?n) AS ?name) (SAMPLE(?a) AS ?acr) WHERE {{ <{c.iri}> ogp:citesLegislation ?law .
        ?law rdfs:label ?label . OPTIONAL {{ ?law skos:prefLabel ?n }}
        OPTIONAL {{ ?law skos:altLabel ?a FILTER(REGEX(?a, "^[A-Z]{{2,8}}$")) }} }} GROUP BY ?law ?label ORDER BY ?label"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("laws_of_commitment", ctx.what("laws"), sparql=query)
    labels = "; ".join(r["label"] + "".join(f" ({x})" for x in (r["name"], r["acr"]) if x and x != r["label"]) for r in rows)
    evidence = [ev for r in rows[:4] for ev in ctx.mention_evidence(r["law"], commitment=c, limit=1)]
    return ctx.answer("laws_of_commitment", ctx.say("laws_of", Commitment=ctx.cref(c, capital=True), laws=labels), items=rows,
                      sparql=query, evidence=evidence, confidence=0.9)


def places_of(ctx: Context) -> Answer:
    """The places the linked commitment names."""
    c = ctx.commitment
    query = f"""SELECT DISTINCT ?p ?name ?parent WHERE {{ <{c.iri}> dct:spatial ?p . ?p schema:name ?name .
        OPTIONAL {{ ?p schema:containedInPlace/schema:name ?parent }} }} ORDER BY ?name"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("places_of_commitment", ctx.what("places"), sparql=query)
    names = ", ".join(r["name"] + (f" ({r['parent']})" if r["parent"] else "") for r in rows)
    evidence = [ev for r in rows[:3] for ev in ctx.mention_evidence(r["p"], commitment=c, limit=1)]
    return ctx.answer("places_of_commitment", ctx.say("places_of", Commitment=ctx.cref(c, capital=True), places=names), items=rows,
                      sparql=query, evidence=evidence, confidence=0.9)


# -- lists and aggregates ---------------------------------------------------------------------------
def _commitments(ctx: Context, where: str, *, order: str = "?plan ?n") -> tuple[str, list[Commitment]]:
    query = f"""SELECT DISTINCT ?c ?plan ?n WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:commitmentNumber ?n .
        {where} }} ORDER BY {order}"""
    return query, [ctx.commitment_by_iri(r["c"]) for r in ctx.select(query)]


def _plans_of(commitments: list[Commitment], ctx: Context) -> list[Plan]:
    seen = {c.plan.iri: c.plan for c in commitments}
    return list(seen.values()) or ctx.links.plans


def _listing(ctx: Context, intent: str, where: str, *, say: str, none: str, evidence: Callable, confidence: float,
             none_confidence: float = 0.7, **names: str) -> Answer:
    """The commitments in scope matching ``where``, listed with message ``say`` (and ``names``), the
    evidence ``evidence(found)`` gives; without any, an answer that does not know, saying ``none``."""
    query, found = _commitments(ctx, where)
    if not found:
        return ctx.unknown(intent, none, sparql=query, confidence=none_confidence)
    return ctx.answer(intent, ctx.say(say, count=len(found), list=ctx.listing(found), **names),
                      items=[ctx.c_dict(c) for c in found], sparql=query, evidence=evidence(found),
                      plans=_plans_of(found, ctx), confidence=confidence)


def completed(ctx: Context) -> Answer:
    """The commitments in scope that are complete."""
    complete = "https://w3id.org/ogp-kg/ontology#Complete"
    return _listing(ctx, "completed", "?c ogp:completionStatus ogp:Complete .", say="completed",
                    none=ctx.say("none_completed") + ".", confidence=0.85,
                    evidence=lambda found: [ev for c in found for ev in ctx.mention_evidence(complete, commitment=c, limit=1)])


def _org(ctx: Context, k: int = 0) -> Entity:
    return ctx.links.of("org")[k]


def by_org(ctx: Context) -> Answer:
    """The commitments in scope the linked institution is responsible for."""
    org = _org(ctx)
    return _listing(ctx, "commitments_by_org", f"?c ogp:responsibleOrganization <{org.iri}> .", say="by_org",
                    none=ctx.say("no_fact", commitment=org.label, what=ctx.what("responsible")), none_confidence=0.9,
                    evidence=lambda found: ctx.mention_evidence(org.iri), confidence=0.9 * org.score,
                    org=ctx.org_label(org.iri))


def count_by_org(ctx: Context) -> Answer:
    """How many commitments in scope the linked institution is responsible for."""
    org = _org(ctx)
    query, found = _commitments(ctx, f"?c ogp:responsibleOrganization <{org.iri}> .")
    numbers = ", ".join(str(c.label or c.number) for c in found)
    key = "count_by_org_one" if len(found) == 1 else "count_by_org"
    return ctx.answer("count_by_org", ctx.say(key, org=ctx.org_label(org.iri), count=len(found), list=numbers or "-"),
                      items=[ctx.c_dict(c) for c in found], sparql=query, evidence=ctx.mention_evidence(org.iri),
                      plans=_plans_of(found, ctx), confidence=0.9 * org.score)


def count_commitments(ctx: Context) -> Answer:
    """How many commitments each plan in scope has (with the total and the largest over several)."""
    query = f"""SELECT ?plan (COUNT(?c) AS ?n) WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan }}
        GROUP BY ?plan ORDER BY DESC(?n)"""
    rows = ctx.select(query)
    plans = {p.iri: p for p in ctx.links.plans}
    parts = [ctx.say("count_part", plan=ctx.say("plan_label", period=plans[r["plan"]].period),
                     country=plans[r["plan"]].country_name(ctx.lang), count=r["n"]) for r in rows]
    if len(rows) > 1:
        top = plans[rows[0]["plan"]]
        parts += [ctx.say("count_total", count=sum(int(r["n"]) for r in rows)),
                  ctx.say("count_max", plan=ctx.say("plan_label", period=top.period),
                          country=top.country_name(ctx.lang), count=rows[0]["n"])]
    text = "; ".join(parts)
    return ctx.answer("count_commitments", ctx.say("count_commitments", parts=text[0].upper() + text[1:]), items=rows,
                      sparql=query, confidence=0.9)


def _org_counts(ctx: Context, extra: str = "") -> tuple[str, list[dict]]:
    query = f"""SELECT ?org ?name (COUNT(DISTINCT ?c) AS ?n) (GROUP_CONCAT(DISTINCT STR(?num); separator=", ") AS ?nums)
        WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:commitmentNumber ?num ; ogp:responsibleOrganization ?org .
        ?org skos:prefLabel ?name . {extra} }} GROUP BY ?org ?name ORDER BY DESC(?n) ?name"""
    return query, ctx.select(query)


def most_commitments(ctx: Context) -> Answer:
    """The institution responsible for the most commitments in scope (ties named)."""
    query, rows = _org_counts(ctx)
    if not rows:
        return ctx.no_fact("most_commitments", ctx.what("responsible"), sparql=query)
    top = [r for r in rows if r["n"] == rows[0]["n"]]
    tie = ctx.say("tie", others=", ".join(ctx.org_label(r["org"]) for r in top[1:])) if len(top) > 1 else ""
    text = ctx.say("most_commitments", scope=ctx.scope_text(), org=ctx.org_label(top[0]["org"]) + tie, count=top[0]["n"],
                   list=_numbers(top[0]["nums"]))
    return ctx.answer("most_commitments", text, items=rows[:5], sparql=query, evidence=ctx.mention_evidence(top[0]["org"]),
                      confidence=0.85 if len(top) == 1 else 0.6)


#: a listing names at most this many items
LIST_MAX = 12


def _capped(parts: list[str]) -> str:
    """The first ``LIST_MAX`` of ``parts``, joined ("; …" when there are more)."""
    return "; ".join(parts[:LIST_MAX]) + ("; …" if len(parts) > LIST_MAX else "")


def _numbers(joined: str) -> str:
    """Commitment numbers joined by a SPARQL GROUP_CONCAT, in numeric order ("9, 10, 12")."""
    return ", ".join(sorted(joined.split(", "), key=lambda n: (len(n), n)))


def _partners(ctx: Context) -> Answer:
    """The institutions sharing commitments in scope with the one linked, most shared first."""
    org = _org(ctx)
    query = f"""SELECT ?other ?name (COUNT(DISTINCT ?c) AS ?n) (GROUP_CONCAT(DISTINCT STR(?num); separator=", ") AS ?nums)
        WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:commitmentNumber ?num ;
        ogp:responsibleOrganization <{org.iri}>, ?other . ?other skos:prefLabel ?name FILTER(?other != <{org.iri}>) }}
        GROUP BY ?other ?name ORDER BY DESC(?n) ?name"""
    rows = ctx.select(query)
    if not rows:
        return ctx.unknown("shared", ctx.say("none_partners", org=ctx.org_label(org.iri)) + ".", sparql=query, confidence=0.8)
    listed = _capped([f"{ctx.org_label(r['other'])} ({_numbers(r['nums'])})" for r in rows])
    return ctx.answer("shared", ctx.say("partners", org=ctx.org_label(org.iri), count=len(rows), list=listed), items=rows,
                      sparql=query, evidence=ctx.mention_evidence(org.iri, limit=1), confidence=0.85 * org.score)


def shared(ctx: Context) -> Answer:
    """The commitments in scope both linked institutions are responsible for; with one linked,
    the institutions it shares commitments with."""
    if len(ctx.links.of("org")) < 2:
        return _partners(ctx)
    a, b = _org(ctx, 0), _org(ctx, 1)
    query, found = _commitments(ctx, f"?c ogp:responsibleOrganization <{a.iri}>, <{b.iri}> .")
    if not found:
        return ctx.unknown("shared", ctx.say("none_shared", a=ctx.org_label(a.iri), b=ctx.org_label(b.iri)) + ".",
                           sparql=query, confidence=0.8)
    return ctx.answer("shared", ctx.say("shared", a=ctx.org_label(a.iri), b=ctx.org_label(b.iri), list=ctx.listing(found)),
                      items=[ctx.c_dict(c) for c in found], sparql=query, plans=_plans_of(found, ctx),
                      evidence=ctx.mention_evidence(a.iri, commitment=found[0], limit=1)
                      + ctx.mention_evidence(b.iri, commitment=found[0], limit=1), confidence=0.9 * min(a.score, b.score))


def compare_orgs(ctx: Context) -> Answer:
    """Which of the two linked institutions is responsible for more commitments in scope."""
    a, b = _org(ctx, 0), _org(ctx, 1)
    query, rows = _org_counts(ctx, f"FILTER(?org IN (<{a.iri}>, <{b.iri}>))")
    counts = {r["org"]: int(r["n"]) for r in rows}
    ca, cb = counts.get(a.iri, 0), counts.get(b.iri, 0)
    if ca == cb:
        text = ctx.say("compare_tie", a=ctx.org_label(a.iri), b=ctx.org_label(b.iri), count=ca)
    else:
        (w, wc), (l, lc) = sorted([(ctx.org_label(a.iri), ca), (ctx.org_label(b.iri), cb)], key=lambda x: -x[1])
        text = ctx.say("compare_orgs", winner=w, wc=wc, loser=l, lc=lc)
    return ctx.answer("compare_orgs", text, items=rows, sparql=query, confidence=0.85)


def most_responsibles(ctx: Context) -> Answer:
    """The commitment in scope with the most responsible institutions."""
    query = f"""SELECT ?c (COUNT(DISTINCT ?org) AS ?n) (GROUP_CONCAT(DISTINCT STR(?org); separator=" ") AS ?orgs) WHERE {{
        {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:responsibleOrganization ?org }}
        GROUP BY ?c ORDER BY DESC(?n) LIMIT 3"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("most_responsibles", ctx.what("responsible"), sparql=query)
    c = ctx.commitment_by_iri(rows[0]["c"])
    return ctx.answer("most_responsibles", ctx.say("most_responsibles", scope=ctx.scope_text(), commitment=ctx.cref(c),
                                                   title=c.title, count=rows[0]["n"],
                                                   names=", ".join(sorted(map(ctx.org_label, rows[0]["orgs"].split())))),
                      items=rows, sparql=query, plans=[c.plan], confidence=0.85 if len(rows) < 2 or rows[1]["n"] != rows[0]["n"] else 0.6)


def _metrics(ctx: Context, kind: str, scope: str) -> tuple[str, list[dict]]:
    query = f"""SELECT ?c ?v ?unit ?what ?doc ?b ?e WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:metric ?m . {scope}
        ?m ogp:metricKind "{kind}" ; schema:value ?v ; schema:unitText ?unit ; schema:description ?what ;
           prov:wasDerivedFrom ?s . ?s nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e }} ORDER BY ?c ?b"""
    return query, ctx.select(query)


def max_amount(ctx: Context) -> Answer:
    """The largest amount of money in scope (of the linked commitment, when one), with the sentence stating it."""
    query, rows = _metrics(ctx, "money", f"FILTER(?c = <{ctx.commitment.iri}>)" if ctx.commitment else "")
    if not rows:
        return ctx.no_fact("max_amount", ctx.what("money"), sparql=query)
    best = max(rows, key=lambda r: Decimal(r["v"]))
    c = ctx.commitment_by_iri(best["c"])
    ev = ctx.evidence.sentence(best["doc"], int(best["b"]), int(best["e"]), commitment=ctx.c_dict(c))
    value = format_value(best["v"], kind="money", unit=best["unit"], country=c.plan.country, language=c.plan.language)
    return ctx.answer("max_amount", ctx.say("max_amount", scope=ctx.scope_text(), value=value, commitment=ctx.cref(c),
                                            text=ev["text"]), items=[best], sparql=query, evidence=[ev], plans=[c.plan],
                      confidence=0.8)


# -- about an institution, a law, a place -------------------------------------------------------------
def _acronym_in_text(ctx: Context) -> Answer:
    """What an acronym the graph does not know stands for, from the documents' first "Full Name (ACRONYM)"."""
    asked = ctx.links.acronyms[0]
    doc, b, e, name = ctx.evidence.expansion(asked)
    return ctx.answer("acronym", ctx.say("acronym_org", asked=asked, name=name), items=[{"name": name, "label": asked}],
                      evidence=[ctx.evidence.sentence(doc, b, e)], confidence=0.8)


def acronym(ctx: Context) -> Answer:
    """What the linked institution's or law's acronym stands for (an acronym the graph does not
    know: from the text)."""
    e = next((x for x in ctx.links.entities if x.kind in ("org", "law")), None)
    if e is None:
        return _acronym_in_text(ctx)
    if e.kind == "org":
        query = f"SELECT ?name (SAMPLE(?a) AS ?acr) WHERE {{ <{e.iri}> skos:prefLabel ?name . OPTIONAL {{ <{e.iri}> ogp:acronym ?a }} }} GROUP BY ?name"
    else:
        query = f"SELECT ?name (SAMPLE(?a) AS ?acr) WHERE {{ <{e.iri}> rdfs:label ?name . OPTIONAL {{ <{e.iri}> skos:prefLabel ?a }} }} GROUP BY ?name"
    rows = ctx.select(query)
    name, other = rows[0]["name"], rows[0]["acr"]
    asked = ctx.folded[e.start : e.end]
    asked = asked.upper() if len(asked) <= 10 and " " not in asked else e.label
    text = (ctx.say("acronym_org", asked=asked, name=name) if e.kind == "org"
            else ctx.say("acronym_law", asked=asked, name=name, other=f" ({other})" if other and other != name else ""))
    return ctx.answer("acronym", text, items=[{"entity": e.iri, "name": name, "label": other}], sparql=query,
                      evidence=ctx.mention_evidence(e.iri, limit=1), confidence=0.9 * e.score)


def law_number(ctx: Context) -> Answer:
    """The number of the linked law (its citations in the text when the graph knows only its name)."""
    e = ctx.links.of("law")[0]
    query = f"SELECT ?label (SAMPLE(?n) AS ?name) WHERE {{ <{e.iri}> rdfs:label ?label . OPTIONAL {{ <{e.iri}> skos:prefLabel ?n }} }} GROUP BY ?label"
    row = ctx.select(query)[0]
    if re.search(r"\d", row["label"]):
        return ctx.answer("law_number", ctx.say("law_number", name=row["name"] or e.label, label=row["label"]),
                          items=[row], sparql=query, evidence=ctx.mention_evidence(e.iri, limit=1), confidence=0.9)
    # known by name only: the numbered law the text cites right after one of its mentions ("… Act (Public Law 117-167)")
    query = f"""SELECT ?other ?label ?doc ?b ?e WHERE {{ ?m itsrdf:taIdentRef <{e.iri}> ; nif:referenceContext ?doc ;
        nif:beginIndex ?b ; nif:endIndex ?end . ?n itsrdf:taIdentRef ?other ; nif:referenceContext ?doc ;
        nif:beginIndex ?nb ; nif:endIndex ?e . ?other a eli:LegalResource ; rdfs:label ?label .
        FILTER(?other != <{e.iri}> && ?nb >= ?end && ?nb <= ?end + 3 && REGEX(?label, "[0-9]")) }} ORDER BY ?b LIMIT 1"""
    rows = ctx.select(query)
    if not rows:
        return citing_law(ctx)
    r = rows[0]
    ev = [ctx.evidence.sentence(r["doc"], int(r["b"]), int(r["e"]))]
    return ctx.answer("law_number", ctx.say("law_number", name=row["name"] or e.label, label=r["label"]), items=[r],
                      sparql=query, evidence=ev, confidence=0.85)


def citing_law(ctx: Context) -> Answer:
    """The commitments in scope that cite the linked law."""
    law = ctx.links.of("law")[0]
    return _listing(ctx, "commitments_citing_law", f"?c ogp:citesLegislation <{law.iri}> .", say="citing_law",
                    none=ctx.say("none_citing", law=law.label) + ".", evidence=lambda found: ctx.mention_evidence(law.iri),
                    confidence=0.9, law=law.label)


def count_citing_law(ctx: Context) -> Answer:
    """How many commitments in scope cite the linked law."""
    law = ctx.links.of("law")[0]
    query, found = _commitments(ctx, f"?c ogp:citesLegislation <{law.iri}> .")
    key = "count_citing_one" if len(found) == 1 else "count_citing"
    return ctx.answer("count_citing_law", ctx.say(key, law=law.label, count=len(found), list=ctx.listing(found) or "-"),
                      items=[ctx.c_dict(c) for c in found], sparql=query, evidence=ctx.mention_evidence(law.iri),
                      plans=_plans_of(found, ctx), confidence=0.9)


def laws_in_plan(ctx: Context) -> Answer:
    """The laws the commitments in scope cite, the most cited first, with the commitments citing each."""
    query = f"""SELECT ?law ?label (COUNT(DISTINCT ?c) AS ?n) (GROUP_CONCAT(DISTINCT STR(?num); separator=", ") AS ?nums)
        WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:commitmentNumber ?num ; ogp:citesLegislation ?law .
        ?law rdfs:label ?label }} GROUP BY ?law ?label ORDER BY DESC(?n) ?label"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("laws_in_plan", ctx.what("laws"), sparql=query)
    listed = _capped([f"{r['label']} ({_numbers(r['nums'])})" for r in rows])
    return ctx.answer("laws_in_plan", ctx.say("laws_in_plan", scope=ctx.scope_text(), count=len(rows), list=listed),
                      items=rows, sparql=query, confidence=0.85)


def in_place(ctx: Context) -> Answer:
    """The commitments in scope that name the linked place (or a homonym at the same words)."""
    place = ctx.links.of("place")[0]
    homonyms = " ".join(f"<{e.iri}>" for e in ctx.links.of("place") if (e.start, e.end) == (place.start, place.end))
    return _listing(ctx, "commitments_in_place", f"VALUES ?where {{ {homonyms} }} ?c dct:spatial ?where .",
                    say="in_place", none=ctx.say("none_in_place", place=place.label) + ".",
                    evidence=lambda found: ctx.mention_evidence(place.iri), confidence=0.9, place=place.label)


def place_parent(ctx: Context) -> Answer:
    """The places that contain the linked place."""
    place = ctx.links.of("place")[0]
    query = f"""SELECT ?parent WHERE {{ <{place.iri}> schema:containedInPlace ?up . ?up schema:name ?parent }}"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("place_parent", ctx.what("places"), sparql=query)
    return ctx.answer("place_parent", ctx.say("place_parent", place=place.label, parent=", ".join(r["parent"] for r in rows)),
                      items=rows, sparql=query, evidence=ctx.mention_evidence(place.iri, limit=1), confidence=0.9)


# -- quantities ------------------------------------------------------------------------------------------
def _noun_matches(asked: Asked, row: dict, text: str) -> bool:
    """The metric counts what was asked: its unit or description, or the four words right after
    the number in the text, share a stem with the asked noun or one of its synonyms."""
    if not asked.nouns or asked.kind != "count":
        return True
    line = text[int(row["e"]) : int(row["e"]) + 60].split("\n")[0]
    after = " ".join(WORD.findall(match_form(line))[:4])
    around = {w[:5] for w in WORD.findall(f"{match_form(row['unit'])} {match_form(row['what'])} {after}")}
    return any(n[:5] in around for n in asked.matches if n not in STOP)


def quantity(ctx: Context) -> Answer:
    """A number of the asked kind from a metric of the linked commitment (or of the same-number
    candidates); else of the commitments the institution or place it names points to; else of the
    commitment it describes (only it when surely described), then of any in scope sharing its
    words. Never from elsewhere."""
    asked = asked_quantity(ctx.folded, ctx.lang)
    c = ctx.commitment
    described = ctx.described[0] if ctx.described else None
    if any(n in CUES["relations_counted"]["milestone"] for n in asked.nouns) and (c or described):
        return _milestones(ctx, c or described, score=1.0 if c else ctx.described[1])
    named = [e for e in ctx.links.entities if e.kind in ("org", "place", "law")]
    sure_enough = bool(described and ctx.described[1] >= SURE_DESCRIPTION)
    if c is not None:
        attempts = [(f"FILTER(?c = <{c.iri}>)", 0.9)]
    elif ctx.candidates:
        attempts = [("VALUES ?c { " + " ".join(f"<{x.iri}>" for x in ctx.candidates) + " }", 0.9)]
    else:
        # what a named institution or place, or a surely described commitment, lacks is never borrowed
        if named:  # a surely described commitment of the institution or place is the only one it points to
            of_named = f"?c ogp:responsibleOrganization|ogp:citesLegislation|ogp:mentions <{named[0].iri}> ."
            only = sure_enough and ctx.service.query(f"ASK {{ BIND(<{described.iri}> AS ?c) {of_named} }}")
            attempts = [((f"FILTER(?c = <{described.iri}>) " if only else "") + of_named, 0.0)]
        else:
            # a figure counting the asked noun in the described commitment confirms the description
            sure = min(0.85, 0.85 * ctx.described[1] + NOUN_CONFIRMS * bool(asked.nouns)) if described else 0.0
            attempts = [(f"FILTER(?c = <{described.iri}>)", sure)] if described else []
            if not sure_enough and (asked.nouns or asked.kind != "count"):
                attempts.append(("", -1.0))
    what = ctx.what(asked.kind, noun=" ".join(asked.nouns))
    query = None
    # nothing named or surely described: a count the plan's own text states competes with the commitments' figures
    plan_level = (_plan_figure(ctx, asked) if not (c or ctx.candidates or named or sure_enough) and asked.kind == "count"
                  and asked.nouns else None)
    for scope, base in attempts:
        query, rows = _metrics(ctx, asked.kind, scope)
        if found := _best_metric(ctx, asked, rows, open_scope=base < 0):
            best, overlap = found  # the best rows
            if base < 0 and plan_level and plan_level[1] > overlap:
                return plan_level[0]
            confidence = base if base > 0 else min(0.85, (0.6 if base == 0 else 0.45) + 0.12 * overlap)
            return _quantity_answer(ctx, asked, best, query, confidence)
    if plan_level:
        return plan_level[0]
    if not attempts:
        return ctx.unknown("quantity", ctx.say("no_match"))
    return ctx.no_fact("quantity", what, sparql=query)


#: a number and the words after it, in a plan's own text
_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+)((?:[ \t]+[^\W\d]+){1,3})")


def _plan_text(ctx: Context) -> list[tuple[str, Plan, int, int]]:
    """(doc, plan, begin, end) of each stretch of the plans in scope that no commitment covers
    (introductions, the co-creation process, closing summaries)."""
    rows = ctx.select(f"""SELECT ?plan ?doc ?b ?e WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:sourceSpan ?s .
        ?s nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e }} ORDER BY ?doc ?b""")
    plans = {p.iri: p for p in ctx.links.plans}
    covered: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for r in rows:
        covered.setdefault((r["doc"], r["plan"]), []).append((int(r["b"]), int(r["e"])))
    stretches = []
    for (doc, plan), spans in covered.items():
        at = 0
        for b, e in [*spans, (len(ctx.evidence.texts[doc]), len(ctx.evidence.texts[doc]))]:
            if b > at:
                stretches.append((doc, plans[plan], at, b))
            at = max(at, e)
    return stretches


def _plan_figure(ctx: Context, asked: Asked) -> tuple[Answer, float] | None:
    """A count of the asked noun stated in a plan's own text, outside its commitments ("para un
    total de 562 servidores públicos capacitados"), with the words its sentence shares with the
    question, counted as for a commitment's figures (in another language: the closest sentence,
    when close enough, counts one); a figure whose words after it have more of the question's
    wins among equals. None without one."""
    nouns = {n[:5] for n in asked.matches if n not in STOP}
    phrase = {n[:5] for n in asked.nouns}
    wanted = stems(ctx.question) - phrase
    found = []
    for doc, plan, b, e in _plan_text(ctx):
        text = ctx.evidence.texts[doc]
        for m in _FIGURE.finditer(text, b, e):
            after = {w[:5] for w in WORD.findall(match_form(m.group(2)))}
            if after & nouns:
                found.append((doc, plan, m, len(after & (phrase | wanted)), *sentence_at(text, m.start(1), m.end(1))))
    if not found:
        return None
    sentence = [" ".join(ctx.evidence.texts[doc][s:t].split()) for doc, _, _, _, s, t in found]
    foreign = [i for i, (_, plan, *_) in enumerate(found) if plan.language != ctx.lang]
    close = dict(zip(foreign, ctx.similarity([sentence[i] for i in foreign])))
    score = [len(wanted & stems(text)) or float(close.get(i, 0.0) >= CROSS_SENTENCE_MIN) for i, text in enumerate(sentence)]
    best = max(range(len(found)), key=lambda i: (score[i], found[i][3], close.get(i, 0.0), -found[i][4]))
    if score[best] < 1:
        return None
    doc, plan, m, _, s, t = found[best]
    ev = ctx.evidence.span(doc, s, t)
    what = " ".join(m.group(2).split())
    answer = ctx.answer("quantity", ctx.say("plan_quantity", value=m.group(1), what=what, text=ev["text"],
                                            plan=ctx.say("plan_label", period=plan.period), country=plan.country_name(ctx.lang)),
                        items=[{"value": m.group(1), "what": what, "plan": plan.iri}], evidence=[ev], plans=[plan],
                        confidence=min(0.8, 0.55 + 0.1 * score[best]))
    return answer, score[best]


def _best_metric(ctx: Context, asked: Asked, rows: list[dict], *, open_scope: bool) -> tuple[list[dict], float] | None:
    """The metric rows counting what was asked that share most words with the question (search
    rank breaks ties between commitments; the best commitment's equally good rows, in text order),
    with that overlap; None when no row fits (in an open scope: when it shares no word)."""
    texts = ctx.evidence.texts
    rows = [r for r in rows if _noun_matches(asked, r, texts[r["doc"]])]
    if not rows:
        return None
    wanted = stems(ctx.question) - {n[:5] for n in asked.nouns}
    ranked = {h.commitment: 0.5 / (1 + i) for i, h in enumerate(ctx.hits[:5])}  # a tie-breaker, never enough alone
    sentence = {id(r): ctx.evidence.sentence(r["doc"], int(r["b"]), int(r["e"]))["text"] for r in rows}
    # a sentence in another language than the question's shares no words with it: the closest of
    # them in the multilingual embedding space counts as sharing one word, when close enough
    foreign = [r for r in rows if ctx.commitment_by_iri(r["c"]).plan.language != ctx.lang]
    close = dict(zip(map(id, foreign), ctx.similarity([sentence[id(r)] for r in foreign])))
    top = max(close.values(), default=1.0)

    def score(r: dict) -> tuple[float, int]:
        words = len(wanted & stems(sentence[id(r)]))
        if close.get(id(r), 0.0) >= max(CROSS_SENTENCE_MIN, top - CROSS_TIE):
            words = max(words, 1 + close[id(r)] - top)
        return words + ranked.get(r["c"], 0.0), -int(r["b"])

    best = max(rows, key=score)
    overlap = score(best)[0]
    if open_scope and overlap < 1:  # nothing but the words of the question point to this commitment
        return None
    tied = [r for r in sorted(rows, key=lambda r: int(r["b"])) if r["c"] == best["c"] and score(r)[0] == overlap]
    return tied[:MAX_TIED], overlap


def _quantity_answer(ctx: Context, asked: Asked, rows: list[dict], query: str, confidence: float) -> Answer:
    """The value of each metric row (one commitment's), with what it counts, and their sentences."""
    found = ctx.commitment_by_iri(rows[0]["c"])
    values, evidence = [], []
    for r in rows:
        value = format_value(r["v"], kind=asked.kind, unit=r["unit"], country=found.plan.country,
                             language=found.plan.language)
        label = r["what"] if len(rows) > 1 else ""
        if asked.kind == "count":  # the document's noun when it is the one asked, else the question's
            unit_stems = {w[:5] for w in WORD.findall(match_form(r["what"]))}
            label = r["what"] if unit_stems & {n[:5] for n in asked.matches} or not asked.nouns else " ".join(asked.nouns)
        values.append(f"{value} ({label})" if len(rows) > 1 else f"{value} {label}".rstrip())
        ev = ctx.evidence.sentence(r["doc"], int(r["b"]), int(r["e"]), commitment=ctx.c_dict(found))
        evidence.append(ev)
    texts = list(dict.fromkeys(ev["text"] for ev in evidence))
    return ctx.answer("money" if asked.kind == "money" else "quantity",
                      ctx.say("quantity", value="; ".join(values), what="", commitment=ctx.cref(found),
                              text=" … ".join(texts)),
                      items=[{**r, **ctx.c_dict(found)} for r in rows], sparql=query, evidence=evidence,
                      plans=[found.plan], confidence=confidence)


def _milestones(ctx: Context, c: Commitment, *, score: float) -> Answer:
    query = f"SELECT (COUNT(?m) AS ?n) WHERE {{ <{c.iri}> ogp:milestone ?m }}"
    n = int(ctx.select(query)[0]["n"])
    ctx.commitment = c
    if not n:
        return ctx.no_fact("quantity", ctx.what("count", noun=ctx.say("milestones_noun")), sparql=query)
    return ctx.answer("quantity", ctx.say("milestones", Commitment=ctx.cref(c, capital=True), count=n),
                      items=[{**ctx.c_dict(c), "milestones": n}], sparql=query, confidence=0.9 * score)


BUILDERS = {f.__name__: f for f in (responsible, contact, head_of, outside, progress, status, dates, completed, count_by_org, count_commitments,
                                    most_commitments, shared, compare_orgs, most_responsibles, max_amount, acronym,
                                    law_number, place_parent, quantity, count_citing_law, laws_in_plan)} | {
    "commitment": describe, "laws_of_commitment": laws_of, "places_of_commitment": places_of,
    "commitments_by_org": by_org, "commitments_citing_law": citing_law, "commitments_in_place": in_place, "money": quantity}
