"""Answer builders over many commitments: lists and counts (of an institution, a law, a place, a
plan), maxima, intersections and comparisons — each one SPARQL aggregate."""
from __future__ import annotations

from collections.abc import Callable

from api.ask.analysis import WORD
from api.ask.answer import Answer
from api.ask.context import Context, plan_passage
from api.ask.linking import CUES, Commitment, Entity, Plan

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
    """The commitments in scope the linked institution is responsible for; the milestones whose
    own text names it, when the question asks about milestones."""
    org = _org(ctx)
    if set(WORD.findall(ctx.folded)) & set(CUES["relations_counted"]["milestone"]):
        return _milestones_of(ctx, org)
    return _listing(ctx, "commitments_by_org", f"?c ogp:responsibleOrganization <{org.iri}> .", say="by_org",
                    none=ctx.say("no_fact", commitment=org.label, what=ctx.what("responsible")), none_confidence=0.9,
                    evidence=lambda found: ctx.mention_evidence(org.iri), confidence=0.9 * org.score,
                    org=ctx.org_label(org.iri))


def _milestones_of(ctx: Context, org: Entity) -> Answer:
    """The milestones in scope whose own text names ``org`` (a tracker's "… (PCH)" and its lead
    line), each as its commitment's id and number ("C06.3")."""
    query, found = _commitments(ctx, f"?c ogp:responsibleOrganization|ogp:mentions <{org.iri}> .")
    led = []
    for c in found:
        mentions = ctx.mentions_in(org.iri, c)
        led += [(c, m) for m in ctx.milestones(c) if any(m.holds(*at) for at in mentions)]
    if not led:
        return ctx.unknown("commitments_by_org", ctx.say("no_fact", commitment=ctx.org_label(org.iri),
                                                         what=ctx.what("milestones")), sparql=query)
    listing = "; ".join(f"{c.label or c.number}.{m.number} {m.title}" for c, m in led)
    return ctx.answer("commitments_by_org", ctx.say("by_org_milestones", org=ctx.org_label(org.iri), count=len(led),
                                                    list=listing),
                      items=[{**ctx.c_dict(c), "milestone": m.number} for c, m in led], sparql=query,
                      evidence=[ctx.evidence.span(m.doc, m.start, m.end, commitment=ctx.c_dict(c)) for c, m in led[:3]],
                      plans=_plans_of([c for c, _ in led], ctx), confidence=0.85 * org.score)


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
    if not rows:  # a page summarising a plan without its commitments: what its text says
        return plan_passage(ctx) or ctx.no_fact("count_commitments", ctx.what("commitments"), sparql=query)
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


def most_milestones(ctx: Context) -> Answer:
    """The commitments in scope with the most milestones (ties named)."""
    query = f"""SELECT ?c (COUNT(?m) AS ?k) WHERE {{ {ctx.plan_scope()} ?c ogp:actionPlan ?plan ; ogp:milestone ?m }}
        GROUP BY ?c ORDER BY DESC(?k)"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("most_milestones", ctx.what("milestones"), sparql=query)
    top = [ctx.commitment_by_iri(r["c"]) for r in rows if r["k"] == rows[0]["k"]]
    return ctx.answer("most_milestones", ctx.say("most_milestones", scope=ctx.scope_text(), count=rows[0]["k"],
                                                 list=ctx.listing(top)),
                      items=[{**ctx.c_dict(ctx.commitment_by_iri(r["c"])), "milestones": int(r["k"])} for r in rows[:5]],
                      sparql=query, plans=_plans_of(top, ctx), confidence=0.85 if len(top) == 1 else 0.75)


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
    """The laws the commitments in scope cite, the most cited first, with the commitments citing
    each (the sections of a page summarising a plan without its commitments count too, unnumbered)."""
    query = f"""SELECT ?law ?label (COUNT(DISTINCT ?c) AS ?n) (GROUP_CONCAT(DISTINCT STR(?num); separator=", ") AS ?nums)
        WHERE {{ {ctx.plan_scope()} {{ ?c ogp:actionPlan ?plan ; ogp:commitmentNumber ?num }} UNION {{ ?c dct:isPartOf ?plan }}
        ?c ogp:citesLegislation ?law . ?law rdfs:label ?label }} GROUP BY ?law ?label ORDER BY DESC(?n) ?label"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("laws_in_plan", ctx.what("laws"), sparql=query)
    listed = _capped([f"{r['label']} ({_numbers(r['nums'])})" if r["nums"] else r["label"] for r in rows])
    return ctx.answer("laws_in_plan", ctx.say("laws_in_plan", scope=ctx.scope_text(), count=len(rows), list=listed),
                      items=rows, sparql=query, confidence=0.85)


def in_place(ctx: Context) -> Answer:
    """The commitments in scope that name the linked place (or a homonym at the same words)."""
    place = ctx.links.of("place")[0]
    homonyms = " ".join(f"<{e.iri}>" for e in ctx.links.of("place") if (e.start, e.end) == (place.start, place.end))
    return _listing(ctx, "commitments_in_place", f"VALUES ?where {{ {homonyms} }} ?c dct:spatial ?where .",
                    say="in_place", none=ctx.say("none_in_place", place=place.label) + ".",
                    evidence=lambda found: ctx.mention_evidence(place.iri), confidence=0.9, place=place.label)
