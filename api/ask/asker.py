"""The question answerer: analysis → entity linking → intent → answer builder → confidence check."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cached_property

from api.ask import builders
from api.ask.analysis import INTENTS, IntentModel, expand, generic_text, language, refuted, satisfied, stems, yes_no
from api.ask.answer import Answer
from api.ask.bridge import Bridge, content_words
from api.ask.context import MESSAGES, Context, plan_passage
from api.ask.evidence import Evidence
from api.ask.linking import COMMITMENT_WORD, CUES, Commitment, Linker, Links, Plan
from api.ask.spelling import Speller
from api.errors import QuestionError
from indexes.search_index import Hit
from ogp_graph.text import match_form, sentences

#: an answer whose confidence is below this says it does not know (set from the dev half, see
#: benchmarks/README.md)
CONFIDENCE_THRESHOLD = 0.55
#: a commitment linked by description needs this dense score (e5 cosine) and a shared word
DESCRIPTION_MIN = 0.80
#: a commitment of a plan in another language than the question's is linked by description on
#: its dense score alone when it is this much above DESCRIPTION_MIN
CROSS_LANGUAGE_MARGIN = 0.02
#: an intent whose needs are met is used only when it scores within this of the best intent
INTENT_SLACK = 0.04
#: a commitment of a plan in another language described by the dense score alone is at most this sure
#: (below ``builders.SURE_DESCRIPTION``: other commitments' figures are not kept out)
DENSE_ONLY_MAX = 0.7
#: intents about one commitment lose this much when the commitment is only described
DESCRIBED_PENALTY = 0.03
#: an ambiguous number answered by the one plan holding a fact of the asked kind, or a described
#: commitment's rival answering for it, keeps this share of its confidence
ONLY_ONE_FACT = 0.9
#: a commitment of another plan is described nearly as well as the best one when its fused
#: search score is at least this share of the best's
RIVAL_SHARE = 0.95
#: a question with this many words no document in its language has is about something they do not speak of
UNHEARD = 2
#: how sure a commitment implied by the one law (and institutions) the question names is
IMPLIED = 0.9
#: the search fallback answers from a passage at least this close, sharing a word with the question
SEARCH_MIN = 0.82
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,9}(?:/[A-Z0-9]{1,4})?(?![\w/])")
_SECOND_QUESTION = re.compile(r"\s(?:y|and|e)\s+(?=(?:que|cual|cuales|quien|quienes|cuant[oa]s?|donde|cuando|"
                              r"what|which|who|how|where|when|quem|quant[oa]s?)\b)")


class Asker:
    """Answers questions (Spanish, English, Portuguese) over one ``Service``."""

    def __init__(self, service):
        self.service = service
        self.evidence = Evidence(service)
        self.linker = Linker(service, self.evidence)

    @cached_property
    def bridge(self) -> Bridge:
        titles: dict[str, list[str]] = {}
        for c in self.linker.commitments.values():
            titles.setdefault(c.plan.language, []).append(c.title)
        return Bridge(self.service.index.embedder, titles)

    @cached_property
    def vocabulary(self) -> set[str]:
        """The stems of every word (four letters or more) of the graph's documents."""
        return {w[:5] for text in self.evidence.texts.values() for w in re.findall(r"[a-z]{4,}", match_form(text))}

    def _unheard(self, words: list[str], links: Links, lang: str) -> list[str]:
        """Those of the question's content ``words`` (beyond the names it links), but for the words
        that ask, that no document has (not even their first five letters): "purple elephants".
        Empty unless every plan in scope is in the question's language (an English question about a
        Spanish plan names what its words do not: "how much did the reverse auction save")."""
        if {p.language for p in links.plans} != {lang}:
            return []
        return [w for w in words if w[:5] not in self.model.generic_stems and w[:5] not in self.vocabulary]

    @cached_property
    def speller(self) -> Speller:
        """Puts a question's misspelled words right against the words of the documents, the
        intent examples and the cue words."""
        return Speller([match_form(t) for t in self.evidence.texts.values()]
                       + [match_form(json.dumps(data, ensure_ascii=False)) for data in (INTENTS, CUES)])

    @cached_property
    def model(self) -> IntentModel:
        return IntentModel(self.service.index.embedder)

    def warm(self) -> None:
        """Load what every question needs (embedder, intent examples, title words across
        languages, known words, sentence splitter) now."""
        self.model.warm()
        self.bridge.warm()
        self.speller.correct("")
        sentences("")

    def ask(self, question: str) -> Answer:
        """Answer ``question``; says it does not know rather than guess.

        :raises QuestionError: not a string, empty, longer than 500 characters, or without words.
        """
        folded = match_form(question) if isinstance(question, str) else ""
        lang = language(folded) if folded else "es"
        if not isinstance(question, str) or not question.strip():
            raise QuestionError(MESSAGES[lang]["error_empty"])
        if len(question) > 500:
            raise QuestionError(MESSAGES[lang]["error_long"])
        if not re.search(r"[a-z]", folded):
            raise QuestionError(MESSAGES[lang]["error_words"])
        parts = _SECOND_QUESTION.split(question, maxsplit=1)
        first, about, scope = self._ask(parts[0], lang, whole=question if len(parts) > 1 else None)
        if len(parts) == 1:
            return first
        # "…y cuántas…": the same commitment, the same plans unless the second part names others
        second, *_ = self._ask(parts[1], lang, carried=about, scope=scope)
        return replace(first, question=question, intent=f"{first.intent}+{second.intent}",
                       answer=f"{first.answer} {second.answer}", known=first.known and second.known,
                       items=first.items + second.items, evidence=first.evidence + second.evidence,
                       sparql="\n\n".join(q for q in (first.sparql, second.sparql) if q) or None,
                       confidence=min(first.confidence, second.confidence))

    def _ask(self, question: str, lang: str, *, carried: Commitment | None = None, scope: list | None = None,
             whole: str | None = None) -> tuple[Answer, Commitment | None, list | None]:
        """The answer, the commitment it is about (when one) and the plans the question restricts
        to (when it does); ``whole`` is the two-fact question this one begins, whose other words
        help choose among same-number commitments; ``carried`` and ``scope`` come from its first part."""
        folded = self.speller.correct(expand(match_form(question), lang))
        links = self.linker.link(folded, lang)
        if (again := language(links.outside_names(folded), default=lang)) != lang:  # "what does the Ley 1712 say": English
            lang, folded = again, self.speller.correct(expand(match_form(question), again))
            links = self.linker.link(folded, lang)
        linked = {folded[s:t] for s, t in [(e.start, e.end) for e in links.entities] + links.scope_spans}
        links.acronyms = [w for w in dict.fromkeys(_ACRONYM.findall(question))  # spelt out in a document
                          if match_form(w) not in linked and self.evidence.expansion(w)]
        if scope and not links.restricted:
            links.plans, links.restricted = scope, True
        words = content_words(links.outside_names(folded))
        ctx = Context(question=question, folded=folded, lang=lang, links=links, linker=self.linker,
                      evidence=self.evidence, service=self.service, generic=self.model.generic_stems)
        if len(self._unheard(words, links, lang)) >= UNHEARD:  # about things no document speaks of
            return ctx.unknown("unknown", ctx.say("no_match"), confidence=0.85), None, None
        if links.missing:
            return builders.not_in_graph(ctx), None, None
        vectors = self.service.index.embedder.encode([question, generic_text(folded, links, lang)], kind="query")
        ctx.vector = vectors[0]
        ctx.rendered = " ".join(w for other in sorted({p.language for p in links.plans} - {lang})
                                for w in self.bridge.render(words, other))  # "tax" → "tributaria" for a Spanish plan
        hits, fused = self._search(f"{links.without_scope(folded)} {ctx.rendered}", vectors[0], {p.iri for p in links.plans})
        ctx.hits = hits
        explicit = links.of("commitment")
        in_scope = [c for c in self.linker.commitments.values() if c.plan in links.plans]
        if links.number is not None and not explicit and in_scope and not self.linker.candidates(links):
            return builders.no_number(ctx), None, None  # "el compromiso 25" of a plan of 22
        words = self.speller.correct(expand(match_form(whole), lang)) if whole else folded
        candidates = (self._narrow(self.linker.candidates(links), links, words)
                      if links.number is not None and not explicit else [])
        if len(candidates) == 1:  # the other entities or words of the question single out one plan's commitment
            explicit, candidates = [candidates[0]], []
        ctx.commitment = self.linker.commitments[explicit[0].iri] if explicit else carried
        ctx.candidates = candidates
        scores = {i: v for i, v in self.model.scores(vectors[1], folded, lang).items() if not refuted(i, folded, lang)}
        ranked = sorted(scores, key=scores.get, reverse=True)
        implied = None if ctx.commitment or candidates else self._implied(links)
        described = None if ctx.commitment or candidates else self._described(f"{question} {ctx.rendered}", lang, hits, fused)
        if described and not (implied and implied[0] == described[0]):
            # a commitment found by description only is weaker evidence than a named entity
            scores = {i: v - DESCRIBED_PENALTY * ("commitment" in INTENTS[i]["needs"]) for i, v in scores.items()}
            ranked = sorted(scores, key=scores.get, reverse=True)
        described = implied or described
        has_commitment = bool(ctx.commitment or candidates or described)
        ctx.yes_no = yes_no(question, folded, lang)
        answer = self._yes_no(ctx, described, candidates) if ctx.yes_no else None
        if answer is None:
            usable = [i for i in ranked if satisfied(i, links, has_commitment, folded, lang)]
            if not usable or scores[usable[0]] < scores[ranked[0]] - INTENT_SLACK:
                if described and re.search(COMMITMENT_WORD, folded):  # "¿qué es el compromiso del laboratorio…?"
                    ctx.commitment, ctx.link_score = described
                    return self._scaled(builders.describe(ctx), ctx), ctx.commitment, None
                return self._fallback(ctx), None, None
            intent = usable[0]
            if "commitment" in INTENTS[intent]["needs"] and ctx.commitment is None:
                if candidates:
                    return self._ambiguous(ctx, intent, candidates), None, None
                rivals = [] if implied else self._rivals(f"{question} {ctx.rendered}", described[0], hits, fused)
                answer = self._of_described(ctx, intent, described, rivals)
            else:
                if ctx.commitment is None and not candidates:
                    ctx.described = described
                answer = builders.BUILDERS[intent](ctx)
        if not answer.known and links.restricted and not INTENTS.get(answer.intent, {}).get("refuses") and not in_scope:
            # a page summarising a plan without its commitments: its text
            answer = plan_passage(ctx) or answer
        return self._scaled(answer, ctx), ctx.commitment, links.plans if links.restricted else None

    @staticmethod
    def _scaled(answer: Answer, ctx: Context) -> Answer:
        """``answer`` with its confidence scaled by how surely its commitment was linked, saying it
        does not know below ``CONFIDENCE_THRESHOLD``."""
        # an answer from a plan's own text (items naming a plan, no commitment) is not the described commitment's
        plan_text = bool(answer.items) and all("plan" in i and "commitment" not in i for i in answer.items)
        if ctx.link_score < 1 and not plan_text:
            answer = replace(answer, confidence=round(answer.confidence * ctx.link_score, 3))
        if answer.known and answer.confidence < CONFIDENCE_THRESHOLD:
            answer = replace(ctx.unknown(answer.intent, ctx.say("no_match")), confidence=answer.confidence,
                             sparql=answer.sparql)
        return answer

    @staticmethod
    def _yes_no(ctx: Context, described: tuple | None, candidates: list[Commitment]) -> Answer | None:
        """A yes/no question answered from the sentence telling of its event (in the commitment it
        names or describes, else among the search's closest; of same-number ``candidates``, the one
        whose text alone tells of it), None when no sentence does; a completion question ("is it
        complete?") goes to the ``status`` intent instead."""
        if candidates:
            told = []
            for c in candidates:
                ctx.commitment = c
                if found := builders.event(ctx):
                    told.append((c, found))
            if len(told) != 1:
                ctx.commitment = None
                return None
            ctx.commitment, found = told[0]
            return replace(found, confidence=round(found.confidence * ONLY_ONE_FACT, 3))
        if ctx.commitment is None and described:
            ctx.commitment, ctx.link_score = described
        answer = builders.event(ctx)
        if answer is None and described and ctx.commitment is described[0]:
            ctx.commitment, ctx.link_score = None, 1.0
        return answer

    def _narrow(self, candidates: list[Commitment], links: Links, folded: str) -> list[Commitment]:
        """The candidates (one per plan, same number) the question points to: those related to an
        institution, law or place it names, else the one sharing the most content words of the
        question (beyond the words of the intent examples) when it shares more than any other."""
        if len(candidates) < 2:
            return candidates
        named = [e.iri for e in links.entities if e.kind in ("org", "law", "place")]
        if named:
            related = self._related(named, {c.iri for c in candidates})
            if related:
                return [c for c in candidates if c.iri in related]
        span = links.number_span or (0, 0)
        wanted = (stems(folded[: span[0]] + " " + folded[span[1] :]) - self.model.generic_stems
                  - stems(" ".join(n for names in self.linker.country_names.values() for n in names)))
        if not wanted:
            return candidates
        overlap = {c.iri: len(wanted & self._stems_of(c)) for c in candidates}
        ranked = sorted(candidates, key=lambda c: -overlap[c.iri])
        if overlap[ranked[0].iri] and overlap[ranked[0].iri] > overlap[ranked[1].iri]:
            return ranked[:1]
        return candidates

    def _related(self, entities: list[str], commitments: set[str], *, every: bool = False) -> set[str]:
        """Those of ``commitments`` led by, citing, placed in or mentioning one of ``entities``
        (``every``: all of them)."""
        rows = self.service.query(f"""SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{
            VALUES ?c {{ {" ".join(f"<{c}>" for c in commitments)} }} VALUES ?x {{ {" ".join(f"<{x}>" for x in entities)} }}
            ?c ogp:responsibleOrganization|ogp:citesLegislation|dct:spatial|ogp:mentions ?x }} GROUP BY ?c""")
        return {r["c"].value for r in rows if not every or int(r["n"].value) == len(set(entities))}

    def _implied(self, links: Links) -> tuple[Commitment, float] | None:
        """The one commitment in scope that every law and institution the question names relates
        to, when it names both ("¿qué día presentó el Congreso la iniciativa 5210?"), a little less
        sure than a named one."""
        named = [e.iri for e in links.entities if e.kind in ("org", "law")]
        if {e.kind for e in links.entities} & {"org", "law"} != {"org", "law"}:
            return None
        in_scope = {c.iri for c in self.linker.commitments.values() if c.plan in links.plans}
        related = self._related(named, in_scope, every=True)
        return (self.linker.commitments[related.pop()], IMPLIED) if len(related) == 1 else None

    @cached_property
    def _commitment_stems(self) -> dict[str, set[str]]:
        """Commitment IRI → the content-word stems of its title and indexed passages (read once)."""
        texts: dict[str, list[str]] = {iri: [c.title] for iri, c in self.linker.commitments.items()}
        for p in self.service.index.passages:
            texts.setdefault(p.commitment, []).append(p.text)
        return {iri: stems(" ".join(parts)) for iri, parts in texts.items()}

    def _stems_of(self, c: Commitment) -> set[str]:
        """Content-word stems of a commitment's title and indexed passages."""
        return self._commitment_stems.get(c.iri, set())

    def _search(self, words: str, vector, in_scope: set[str]) -> tuple[list[Hit], list[Hit]]:
        """Commitments in scope by dense similarity (``vector``) of their best passage, and by that
        similarity plus the passage's BM25 share for ``words`` (half weight), best first."""
        index = self.service.index
        dense = index.vectors @ vector
        lexical = index.bm25.scores(words)
        top = float(lexical.max()) if len(lexical) and lexical.max() > 0 else 1.0
        best: dict[str, tuple[float, float, int]] = {}
        for i, p in enumerate(index.passages):
            c = self.linker.commitments.get(p.commitment)  # (a document without commitments is indexed by section)
            if c is None or c.plan.iri not in in_scope:
                continue
            d, f = float(dense[i]), float(dense[i]) + 0.5 * float(lexical[i]) / top
            old = best.get(p.commitment)
            best[p.commitment] = (max(d, old[0]) if old else d, max(f, old[1]) if old else f,
                                  i if not old or d > old[0] else old[2])
        hits = [Hit(c, round(d, 6), index.passages[i]) for c, (d, _, i) in sorted(best.items(), key=lambda x: -x[1][0])]
        fused = [Hit(c, round(f, 6), index.passages[i]) for c, (_, f, i) in sorted(best.items(), key=lambda x: -x[1][1])]
        return hits[:10], fused[:10]

    def _described(self, question: str, lang: str, hits: list[Hit], fused: list[Hit]) -> tuple | None:
        """The commitment a question describes: the best fused (dense + BM25) hit in scope when
        its dense score is high enough and it shares content words with the question (beyond the
        words of the intent examples; ``question`` carries its words rendered in the other plan
        languages): one of its title or two of its text (a plan in another language: else a higher
        dense score, never sure then); its confidence grows with the lead over the second hit and
        with the dense score."""
        dense = {h.commitment: h.score for h in hits}
        ranked = [h for h in fused if h.commitment in dense]
        if not ranked or dense[ranked[0].commitment] < DESCRIPTION_MIN:
            return None
        best = self.linker.commitments[ranked[0].commitment]
        by_words = self._shares_words(question, best)
        if not by_words and not (best.plan.language != lang and dense[best.iri] >= DESCRIPTION_MIN + CROSS_LANGUAGE_MARGIN):
            return None  # (across languages, when no rendered word is shared, the dense score alone, higher, may do)
        lead = (ranked[0].score - ranked[1].score) / ranked[0].score if len(ranked) > 1 else 1.0
        score = min(1.0, 0.55 + 2.5 * lead + 2 * (dense[best.iri] - 0.84))
        return best, round(score if by_words else min(score, DENSE_ONLY_MAX), 3)

    def _shares_words(self, question: str, c: Commitment) -> bool:
        """Whether ``c`` shares content words with the question (beyond the words of the intent
        examples): one of its title or two of its text."""
        wanted = stems(question) - self.model.generic_stems
        return bool(wanted & stems(c.title) or len(wanted & self._stems_of(c)) >= 2)

    @staticmethod
    def _of_described(ctx: Context, intent: str, described: tuple[Commitment, float],
                      rivals: list[Commitment]) -> Answer:
        """``intent``'s answer for the commitment the question describes; when that one holds no
        fact of the asked kind, the answer of the first of ``rivals`` that does, a little less sure."""
        ctx.commitment, ctx.link_score = described
        answer = builders.BUILDERS[intent](ctx)
        if answer.known:
            return answer
        for rival in rivals:
            ctx.commitment = rival
            if (found := builders.BUILDERS[intent](ctx)).known:
                return replace(found, confidence=round(found.confidence * ONLY_ONE_FACT, 3))
        ctx.commitment = described[0]
        return answer

    def _rivals(self, question: str, best: Commitment, hits: list[Hit], fused: list[Hit]) -> list[Commitment]:
        """The best commitment of each other plan that the question describes nearly as well as
        ``best`` (fused score within ``RIVAL_SHARE`` of its, dense score at least ``DESCRIPTION_MIN``,
        sharing its words as ``best`` must), best first: where the described commitment holds no
        fact of the asked kind, one of them may."""
        dense = {h.commitment: h.score for h in hits}
        top = next((h.score for h in fused if h.commitment == best.iri), None)
        found: dict[Plan, Commitment] = {}
        for h in fused:
            c = self.linker.commitments.get(h.commitment)
            if (top is None or c is None or c.plan in (best.plan, *found) or h.score < RIVAL_SHARE * top
                    or dense.get(h.commitment, 0.0) < DESCRIPTION_MIN or not self._shares_words(question, c)):
                continue
            found[c.plan] = c
        return list(found.values())

    def _ambiguous(self, ctx: Context, intent: str, candidates) -> Answer:
        """One answer per plan that has a commitment with the number asked, each naming its country;
        plans whose commitment holds no fact of the asked kind are left out (when one is left, its
        answer, a little less sure)."""
        answers = []
        for c in candidates:
            ctx.commitment = c
            answers.append(builders.BUILDERS[intent](ctx))
        ctx.commitment = None
        if any(a.known for a in answers):  # only the plans that hold a fact of the asked kind answer
            candidates, answers = map(list, zip(*[(c, a) for c, a in zip(candidates, answers) if a.known]))
        if len(answers) == 1:
            return replace(answers[0], confidence=round(answers[0].confidence * ONLY_ONE_FACT, 3))
        parts = " | ".join(f"{c.plan.country_name(ctx.lang)}: {a.answer}" for c, a in zip(candidates, answers))
        text = ctx.say("ambiguous", count=len(candidates), number=ctx.links.number, parts=parts)
        leads = {a.answer.split(":")[0] for a in answers}
        if intent == "status" and len(leads) == 1:  # a yes/no every candidate agrees on leads the answer
            text = f"{leads.pop()}: {text}"
        return ctx.answer(intent, text, items=[i for a in answers for i in a.items],
                          evidence=[e for a in answers for e in a.evidence[:1]],
                          sparql="\n\n".join(a.sparql for a in answers if a.sparql) or None,
                          plans=[c.plan for c in candidates], confidence=0.6)

    def _fallback(self, ctx: Context) -> Answer:
        """The best sentence of the closest passage, when close enough and sharing words; for a
        question naming a plan, else the closest sentence of the plan's own text."""
        hits = ctx.hits
        if ctx.links.restricted and (not hits or hits[0].score < SEARCH_MIN) and (found := plan_passage(ctx)):
            return found  # a question naming a plan, answered from the plan's own text
        if not hits or hits[0].score < SEARCH_MIN:
            return ctx.unknown("unknown", ctx.say("no_match"), confidence=hits[0].score if hits else 0.0)
        best = self.linker.commitments[hits[0].commitment]
        sentences = [self.evidence.sentence(p.doc, a, b, commitment=ctx.c_dict(best))
                     for p in self.service.index.passages if p.commitment == best.iri and p.kind == "body"
                     for a, b in self.evidence.sentences_of(p.doc, [(p.start, p.end)])]
        shared, sentence = ctx.closest(sentences, ctx.wanted())
        if not shared:
            return ctx.unknown("unknown", ctx.say("no_match"), confidence=hits[0].score)
        ctx.commitment = best
        return ctx.answer("search", ctx.say("search", commitment=ctx.cref(best), title=best.title, text=sentence["text"]),
                          items=[{**ctx.c_dict(self.linker.commitments[h.commitment]), "score": h.score} for h in hits[:3]],
                          evidence=[sentence], confidence=min(0.7, hits[0].score - 0.2))
