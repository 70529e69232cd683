"""Answer builders for numbers: a figure of the asked kind (count of a noun, money, percent) from
a metric of the commitment asked about, never from elsewhere; the largest amount; counts a plan
states outside its commitments; milestones."""
from __future__ import annotations

import re
from decimal import Decimal

from api.ask.analysis import STOP, WORD, Asked, asked_quantity, stems
from api.ask.answer import Answer
from api.ask.context import Context, plan_text
from api.ask.linking import CUES, Commitment
from api.ask.numbers import format_value
from ogp_graph.text import match_form, sentence_at

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
    for doc, plan, b, e in plan_text(ctx):
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
