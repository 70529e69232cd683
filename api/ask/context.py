"""What every answer builder works from: the question's ``Context`` (its links, the graph, the
evidence, the embedding) with the message catalogue, and the plans' own text outside their
commitments."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from api.ask.analysis import stems
from api.ask.answer import Answer
from api.ask.evidence import Evidence
from api.ask.linking import CUES, Commitment, Linker, Links, Plan
from indexes.vector_cache import embed
from ogp_graph.text import match_form

#: a plan's own sentence sharing one word only with the question answers it when at least this close (e5 cosine)
PASSAGE_MIN = 0.84
#: each word a plan's sentence shares with the question brings it this much closer
SHARED_WORD = 0.01
#: at most this many mentions of one entity in one commitment are read
MENTIONS_MAX = 1000
#: a yes/no question about an event is judged from a sentence sharing this many of its words
EVENT_WORDS = 2
#: sentences saying an event is yet to happen, by document language (``cues.json: not_done``)
_NOT_DONE = {lang: [re.compile(p) for p in ps] for lang, ps in CUES["not_done"].items() if lang != "_doc"}
_PLAN_NAMES = re.compile(r"\b(?:" + "|".join(sorted((n for lang, ns in CUES["plan_names"].items() if lang != "_doc"
                                                      for n in ns), key=len, reverse=True)) + r")\b")
_MILESTONE_NUMBER = {lang: [re.compile(p) for p in ps] for lang, ps in CUES["milestone_number"].items() if lang != "_doc"}
_MILESTONE_CUE = re.compile(r"^\W*[^\W\d]+\s+\d{1,2}\s*:\s*")  # "Hito 2: " opening a milestone's description
MESSAGES = {k: v for k, v in json.loads((Path(__file__).parent / "data" / "messages.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}


@dataclass(frozen=True)
class Milestone:
    """One milestone of a commitment: its number, its description and its text, from its start to
    the next milestone's (or the commitment's end)."""

    number: int
    title: str
    doc: str
    start: int
    end: int

    def holds(self, doc: str, at: int) -> bool:
        """Whether character ``at`` of document ``doc`` is in the milestone's text."""
        return doc == self.doc and self.start <= at < self.end


def pending(text: str, language: str) -> bool:
    """Whether a sentence (in ``language``) says its event is yet to happen (``cues.json: not_done``)."""
    return any(p.search(text.lower()) for p in _NOT_DONE.get(language, []))


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
    yes_no: bool = False  # the question asks yes or no

    def wanted(self, *, rendered: bool = False) -> set[str]:
        """Stems of the question's words that describe, not ask (the intent examples' words, countries'
        names and the phrases naming any plan left out); ``rendered``: with their renderings in the
        other plan languages."""
        words = f"{without_plan_names(self.links.without_scope(self.folded))} {self.rendered if rendered else ''}"
        return stems(words) - self.generic

    @staticmethod
    def closest(sentences: list[dict], wanted: set[str]) -> tuple[int, dict | None]:
        """The evidence sentence sharing most of the ``wanted`` stems (the first on a tie), with how
        many it shares; (0, None) without sentences."""
        return max(((len(wanted & stems(s["text"])), s) for s in sentences), key=lambda x: x[0], default=(0, None))

    def similarity(self, texts: list[str], *, question: str | None = None) -> list[float]:
        """The cosine of the question (or of ``question``, some of its words) and each of ``texts`` in
        the multilingual embedding space."""
        if not texts:
            return []
        vector = self.vector if question is None else self.service.index.embedder.encode([question], kind="query")[0]
        return (embed(self.service.index.embedder, texts, kind="passage") @ vector).tolist()  # sentences recur

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

    def milestones(self, c: Commitment) -> list[Milestone]:
        """Every milestone of ``c`` in text order, each from its start to the next one's of the same
        document (or the commitment's end there)."""
        rows = self.select(f"""SELECT ?k ?d ?doc ?b WHERE {{ <{c.iri}> ogp:milestone ?m . ?m ogp:milestoneNumber ?k ;
            dct:description ?d ; ogp:sourceSpan ?s . ?s nif:referenceContext ?doc ; nif:beginIndex ?b }} ORDER BY ?doc ?b""")
        ends = {doc: e for doc, _, e in self.spans(c, "ogp:sourceSpan")}
        found = []
        for i, r in enumerate(rows):
            doc, start = r["doc"], int(r["b"])
            following = rows[i + 1] if i + 1 < len(rows) and rows[i + 1]["doc"] == doc else None
            end = int(following["b"]) if following else max(ends.get(doc, start), start)
            found.append(Milestone(int(r["k"]), _MILESTONE_CUE.sub("", r["d"], count=1), doc, start, end))
        return found

    def milestone(self, c: Commitment) -> Milestone | None:
        """The milestone of ``c`` the question names ("el hito 1", "milestone 2", "C04.6" when ``c``
        is C04: ``cues.json milestone_number``); None when it names none or ``c`` has no milestone
        of that number."""
        asked = next((int(m.group("n")) for p in _MILESTONE_NUMBER.get(self.lang, []) if (m := p.search(self.folded))
                      and m.groupdict().get("of") in (None, match_form(c.label or ""))), None)
        return None if asked is None else next((m for m in self.milestones(c) if m.number == asked), None)

    def mentions_in(self, entity: str, c: Commitment) -> list[tuple[str, int]]:
        """(document, begin) of every mention of ``entity`` in ``c`` (one query)."""
        return [(doc, b) for doc, b, _, _ in self.evidence.mentions(entity, commitment=c.iri, limit=MENTIONS_MAX)]

    def mention_evidence(self, entity: str, *, commitment: Commitment | None = None, limit: int = 2) -> list[dict]:
        """Up to ``limit`` evidence sentences mentioning ``entity`` (within ``commitment`` when given)."""
        return [self.evidence.sentence(doc, b, e, commitment=self.c_dict(self.commitment_by_iri(c))
                                       if c in self.linker.commitments else None)  # (or a section of a page)
                for doc, b, e, c in self.evidence.mentions(entity, commitment=commitment.iri if commitment else None,
                                                         limit=limit)]


def plan_text(ctx: Context) -> list[tuple[str, Plan, int, int]]:
    """(doc, plan, begin, end) of each stretch of the plans in scope that no commitment covers
    (introductions, the co-creation process, closing summaries; the whole of a page summarising a
    plan without commitments)."""
    rows = ctx.select(f"""SELECT ?plan ?doc ?b ?e WHERE {{ {ctx.plan_scope()}
        {{ ?c ogp:actionPlan ?plan ; ogp:sourceSpan ?s . ?s nif:beginIndex ?b ; nif:endIndex ?e }}
        UNION {{ ?c dct:isPartOf ?plan ; a ogp:Section ; ogp:sourceSpan ?s . BIND(0 AS ?b) BIND(0 AS ?e) }}
        ?s nif:referenceContext ?doc }} ORDER BY ?doc ?b""")
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


def without_plan_names(folded: str) -> str:
    """``folded`` without the phrases naming any open-government plan ("gobierno abierto", "action
    plan": ``cues.json plan_names``)."""
    return _PLAN_NAMES.sub(" ", folded)


def _asked_words(ctx: Context) -> str:
    """The folded question without the names it links, plan words ("plan de acción") and numbers."""
    return re.sub(r"\b\d+\b", " ", without_plan_names(ctx.links.outside_names(ctx.folded)))


def _closest_plan_sentence(ctx: Context, asked: str) -> tuple[dict, Plan, int] | None:
    """The sentence of a plan's own text (outside its commitments) closest to the question, as
    evidence, with its plan and how many words it shares with the question: in the embedding space,
    a little closer for each word it shares (beyond the names it links; with their renderings in the
    plan's language); None when no sentence shares a word and none is ``PASSAGE_MIN`` close.
    ``asked``: the question's words (``_asked_words``)."""
    wanted = stems(f"{asked} {ctx.rendered}") - ctx.generic
    found = [(doc, plan, s, t) for doc, plan, b, e in plan_text(ctx) for s, t in ctx.evidence.sentences_of(doc, [(b, e)])]
    texts = [ctx.evidence.texts[doc][s:t] for doc, _, s, t in found]
    shared = [len(wanted & stems(text)) for text in texts]
    closeness = ctx.similarity(texts, question=asked)
    ranked = sorted(range(len(found)), key=lambda i: -(closeness[i] + SHARED_WORD * shared[i]))
    if not ranked or not (shared[ranked[0]] or closeness[ranked[0]] >= PASSAGE_MIN):
        return None
    doc, plan, s, t = found[ranked[0]]
    return ctx.evidence.span(doc, s, t), plan, shared[ranked[0]]


def plan_passage(ctx: Context) -> Answer | None:
    """A question answered from a plan's own text (outside its commitments): its closest sentence
    (``_closest_plan_sentence``); for a yes/no question, judged as an event when it shares
    ``EVENT_WORDS`` words with the question, one an asking word, since that names the event
    ("cumpridos", "aprovada") — "No" when it says the event is yet to happen, else "Yes"; None
    without a sentence."""
    asked = _asked_words(ctx)
    found = _closest_plan_sentence(ctx, asked)
    if found is None:
        return None
    ev, plan, shared = found
    where = ctx.say("plan_ref", plan=ctx.say("plan_label", period=plan.period), country=plan.country_name(ctx.lang))
    told = stems(f"{asked} {ctx.rendered}") & stems(ev["text"])
    if ctx.yes_no and len(told) >= EVENT_WORDS and told & ctx.generic:  # what it shares names the event asked
        later = pending(ev["text"], plan.language)
        return ctx.answer("status", ctx.say("event_no" if later else "event_yes", commitment=where, text=ev["text"]),
                          items=[{"plan": plan.iri, "happened": not later}], evidence=[ev], plans=[plan],
                          confidence=min(0.85, 0.6 + 0.05 * len(told)))
    return ctx.answer("plan_passage", ctx.say("plan_passage", where=where, text=ev["text"]),
                      items=[{"plan": plan.iri}], evidence=[ev], plans=[plan], confidence=0.6 + 0.05 * min(shared, 4))
