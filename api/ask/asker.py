"""The question answerer: analysis → entity linking → intent → answer builder → confidence check."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property

from api.ask import builders
from api.ask.analysis import INTENTS, IntentModel, generic_text, language, satisfied
from api.ask.answer import Answer, QuestionError
from api.ask.builders import MESSAGES, Context, stems
from api.ask.evidence import Evidence
from api.ask.linking import Entity, Linker
from ogp_graph.text import match_form

#: an answer whose confidence is below this says it does not know (set from the dev half, see
#: benchmarks/README.md)
CONFIDENCE_THRESHOLD = 0.5
#: a commitment linked by description needs this dense score (e5 cosine) and a shared word
DESCRIPTION_MIN = 0.80
#: the search fallback answers from a passage at least this close, sharing a word with the question
SEARCH_MIN = 0.82
_SECOND_QUESTION = re.compile(r"\s(?:y|and|e)\s+(?=(?:que|cual|cuales|quien|quienes|cuant[oa]s?|donde|cuando|"
                              r"what|which|who|how|where|when|quem|quant[oa]s?)\b)")


class Asker:
    """Answers questions (Spanish, English, Portuguese) over one ``Service``."""

    def __init__(self, service):
        self.service = service
        self.linker = Linker(service)
        self.evidence = Evidence(service)

    @cached_property
    def model(self) -> IntentModel:
        return IntentModel(self.service.index.embedder)

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
        if len(parts) == 1:
            return self._ask(question, lang)
        first = self._ask(parts[0], lang)
        carried = first.items[0].get("commitment") if first.known and first.items else None
        second = self._ask(parts[1], lang, carried=carried if isinstance(carried, str) else None)
        return replace(first, question=question, intent=f"{first.intent}+{second.intent}",
                       answer=f"{first.answer} {second.answer}", known=first.known and second.known,
                       items=first.items + second.items, evidence=first.evidence + second.evidence,
                       sparql="\n\n".join(q for q in (first.sparql, second.sparql) if q) or None,
                       confidence=min(first.confidence, second.confidence))

    def _ask(self, question: str, lang: str, *, carried: str | None = None) -> Answer:
        folded = match_form(question)
        links = self.linker.link(folded, lang)
        in_scope = {p.iri for p in links.plans}
        hits = [h for h in self.service.search_hits(question, k=10, mode="dense")
                if self.linker.commitments[h.commitment].plan.iri in in_scope]
        ctx = Context(question=question, folded=folded, lang=lang, links=links, linker=self.linker,
                      evidence=self.evidence, service=self.service, hits=hits)
        explicit = links.of("commitment")
        candidates = self.linker.candidates(links) if links.number is not None and not explicit else []
        described = None if explicit or candidates or carried else self._described(question, hits)
        if explicit:
            ctx.commitment = self.linker.commitments[explicit[0].iri]
        elif carried and carried in self.linker.commitments:
            ctx.commitment = self.linker.commitments[carried]
        scores = self.model.scores(generic_text(folded, links, lang), folded, lang)
        has_commitment = bool(explicit or candidates or carried or described)
        ranked = sorted((s, name) for name, s in scores.items() if satisfied(name, links, has_commitment))
        if not ranked:
            return self._fallback(ctx)
        intent = ranked[-1][1]
        needs_commitment = "commitment" in INTENTS[intent]["needs"]
        if needs_commitment and ctx.commitment is None and candidates:
            return self._ambiguous(ctx, intent, candidates)
        if needs_commitment and ctx.commitment is None and described:
            ctx.commitment, ctx.link_score = described
        elif not needs_commitment and described and intent in ("quantity", "money"):
            ctx.link_score = 1.0  # the quantity builder ranks commitments itself
        answer = builders.BUILDERS[intent](ctx)
        if needs_commitment and ctx.link_score < 1:
            answer = replace(answer, confidence=round(answer.confidence * ctx.link_score, 3))
        if answer.known and answer.confidence < CONFIDENCE_THRESHOLD:
            return replace(ctx.unknown(answer.intent, ctx.say("no_match")), confidence=answer.confidence,
                           sparql=answer.sparql)
        return answer

    def _described(self, question: str, hits) -> tuple | None:
        """The commitment a question describes (its best dense hit, close enough and sharing a
        content word with that commitment), with a confidence."""
        if not hits or hits[0].score < DESCRIPTION_MIN:
            return None
        best = self.linker.commitments[hits[0].commitment]
        passages = [p.text for p in self.service.index.passages if p.commitment == best.iri]
        if not stems(question) & stems(" ".join(passages + [best.title])):
            return None
        margin = hits[0].score - (hits[1].score if len(hits) > 1 else 0.0)
        return best, min(1.0, 0.55 + 2.5 * (hits[0].score - DESCRIPTION_MIN) + 3 * margin)

    def _ambiguous(self, ctx: Context, intent: str, candidates) -> Answer:
        """One answer per plan that has a commitment with the number asked, each naming its country."""
        answers = []
        for c in candidates:
            ctx.commitment = c
            answers.append(builders.BUILDERS[intent](ctx))
        ctx.commitment = None
        parts = " | ".join(f"{c.plan.country_name(ctx.lang)}: {a.answer}" for c, a in zip(candidates, answers))
        text = ctx.say("ambiguous", count=len(candidates), number=ctx.links.number, parts=parts)
        return ctx.answer(intent, text, items=[i for a in answers for i in a.items],
                          evidence=[e for a in answers for e in a.evidence[:1]],
                          sparql="\n\n".join(a.sparql for a in answers if a.sparql) or None,
                          plans=[c.plan for c in candidates], confidence=0.6)

    def _fallback(self, ctx: Context) -> Answer:
        """The best sentence of the closest passage, when close enough and sharing words."""
        hits = ctx.hits
        if not hits or hits[0].score < SEARCH_MIN:
            return ctx.unknown("unknown", ctx.say("no_match"), confidence=hits[0].score if hits else 0.0)
        best = self.linker.commitments[hits[0].commitment]
        wanted = stems(ctx.question)
        sentences = [self.evidence.sentence(p.doc, a, b, commitment=ctx.c_dict(best))
                     for p in self.service.index.passages if p.commitment == best.iri and p.kind == "body"
                     for a, b in self.evidence.sentences_of(p.doc, [(p.start, p.end)])]
        scored = [(len(wanted & stems(s["text"])), s) for s in sentences]
        if not scored or max(n for n, _ in scored) == 0:
            return ctx.unknown("unknown", ctx.say("no_match"), confidence=hits[0].score)
        _, sentence = max(scored, key=lambda x: x[0])
        ctx.commitment = best
        return ctx.answer("search", ctx.say("search", commitment=ctx.cref(best), title=best.title, text=sentence["text"]),
                          items=[{**ctx.c_dict(self.linker.commitments[h.commitment]), "score": h.score} for h in hits[:3]],
                          evidence=[sentence], confidence=min(0.7, hits[0].score - 0.2))
