"""Answer builders about one commitment (who leads it, its contact, what it is, its progress,
status, dates, laws, places) and about one institution, law or place (acronyms, law numbers, where
a place lies), and the registry of every intent's builder (``BUILDERS``); aggregates are in
``aggregates.py``, quantities in ``quantities.py``. Each composes its SPARQL from the linked parts
and quotes its evidence from the stored provenance."""
from __future__ import annotations

import re
from functools import cache

from babel import Locale

from api.ask.analysis import WORD, stems
from api.ask.aggregates import (by_org, citing_law, compare_orgs, completed, count_by_org, count_citing_law,
                                 count_commitments, in_place, laws_in_plan, most_commitments, most_responsibles,
                                 most_milestones, shared)
from api.ask.answer import Answer
from api.ask.context import EVENT_WORDS, Context, pending, plan_text, without_plan_names
from api.ask.linking import CUES, Commitment
from api.ask.quantities import max_amount, quantity
from ogp_graph.segment.cues import field_label
from ogp_graph.text import match_form, sentence_at, strip_accents
from ogp_graph.vocab import OGP_NS

#: a sentence holding a date field counts as this many shared words for a "when" question
DATE_FIELD = 2
#: a description quotes a body sentence of at least this many words
DESCRIPTION_WORDS = 6
#: a field's value (contact persons, a description) is cut after this many characters
FIELD_MAX = 400


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
    title, m = c.title, ctx.milestone(c)
    if m and (own := [r for r in rows if any(m.holds(*at) for at in ctx.mentions_in(r["org"], c))]):  # its own lead
        rows, title = own, ctx.say("milestone_title", number=m.number, title=_short(m.title))
    evidence = [ev for r in rows for ev in ctx.mention_evidence(r["org"], commitment=c, limit=1)]
    return ctx.answer("responsible", ctx.say("responsible", Commitment=ctx.cref(c, capital=True), title=title,
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
    wanted = stems(ctx.question) - ctx.generic  # (a country's name counts here: "Gobierno Abierto Guatemala")
    best, shared = None, 0
    for doc, plan, b, e in plan_text(ctx):
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


def no_number(ctx: Context) -> Answer:
    """A question naming a commitment number no plan in scope has ("commitment 25" of a plan of
    22): says so, with the numbers each plan's commitments run through."""
    spans: dict[str, list[int]] = {}
    for c in ctx.linker.commitments.values():
        if c.plan in ctx.links.plans:
            spans.setdefault(c.plan.iri, []).append(c.number)
    plans = {p.iri: p for p in ctx.links.plans}
    held = "; ".join(ctx.say("numbered", country=plans[iri].country_name(ctx.lang), period=plans[iri].period,
                             first=min(numbers), last=max(numbers)) for iri, numbers in spans.items())
    return ctx.unknown("no_number", ctx.say("no_number", number=ctx.links.number, plans=held))


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
    body = [s for s in ctx.body_sentences(c) if len(s["text"].split()) >= DESCRIPTION_WORDS and field_label(s["text"]) is None]
    return ctx.closest(body, ctx.wanted())[1]


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


#: a yes/no question about an event naming no commitment looks among this many search hits
EVENT_CANDIDATES = 3


def _event(ctx: Context, c: Commitment) -> tuple[Answer, int] | None:
    """A yes/no question about an event of ``c`` ("¿ya se firmó el convenio…?"): the sentence of
    its text sharing the most words of the question (and of their renderings in the document's
    language) beyond those asking and its title's (at least ``EVENT_WORDS``) — "No" when it says
    the event is yet to happen (``cues.json: not_done``, in the document's language), else "Yes";
    with the words shared. None when no sentence tells of it."""
    shared, best = ctx.closest(ctx.body_sentences(c, "ogp:sourceSpan"), ctx.wanted(rendered=True) - stems(c.title))
    if shared < EVENT_WORDS:
        return None
    later = pending(best["text"], c.plan.language)
    answer = ctx.answer("status", ctx.say("event_no" if later else "event_yes", commitment=ctx.cref(c), text=best["text"]),
                        items=[{**ctx.c_dict(c), "happened": not later}], evidence=[best], plans=[c.plan],
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


@cache
def _months(lang: str) -> frozenset[str]:
    """The folded month names of ``lang``, wide and abbreviated (Babel)."""
    loc = Locale.parse(lang)
    return frozenset(match_form(m) for width in ("wide", "abbreviated") for m in loc.months["format"][width].values())


_DATE_FIELDS = _every_language("date_fields")


def _has_day(folded: str, months: frozenset[str]) -> bool:
    """Whether a folded sentence gives a day: "29 de noviembre", "december 13th", "12/05/2017"."""
    return bool(_day_pattern(months).search(folded))


@cache
def _day_pattern(months: frozenset[str]) -> re.Pattern:
    """A day with one of ``months`` (either order) or in digits, compiled once per set of months."""
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    return re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th|°|º)?\s+(?:de\s+)?(?:{names})\b|\b(?:{names})\.?\s+\d{{1,2}}"
                      rf"(?:st|nd|rd|th)?\b(?!\d)|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b")


def _dated(folded: str, months: frozenset[str]) -> bool:
    """Whether a folded sentence names a month of ``months`` or a year."""
    return bool(set(WORD.findall(folded)) & months or re.search(r"\b(19|20)\d\d\b", folded))


def _milestone_dates(ctx: Context, c: Commitment, months: frozenset[str]) -> Answer | None:
    """For a question naming one milestone of ``c`` ("el hito 1"), every dated line of that
    milestone ("Fecha inicio hito: 2020-02-01", "… finalizacion …"); None when it names none or
    the milestone's text holds no date."""
    if (m := ctx.milestone(c)) is None:
        return None
    lines = [ctx.evidence.sentence(m.doc, b, e, commitment=ctx.c_dict(c))
             for b, e in ctx.evidence.sentences_of(m.doc, [(m.start, m.end)])]
    dated = [s for s in lines if _dated(match_form(s["text"]), months)]
    if not dated:
        return None
    return ctx.answer("dates", ctx.say("milestone_dates", number=m.number, Commitment=ctx.cref(c, capital=True),
                                       title=_short(m.title), text=" ".join(f"«{s['text']}»" for s in dated)),
                      items=[{**ctx.c_dict(c), "milestone": m.number}], evidence=dated, confidence=0.85)


def _short(title: str) -> str:
    """``title`` cut at a word to half of ``FIELD_MAX`` ("…" marking the cut)."""
    return title if len(title) <= FIELD_MAX // 2 else title[: FIELD_MAX // 2].rsplit(" ", 1)[0] + " …"


def dates(ctx: Context) -> Answer:
    """The sentence of the commitment that dates it (a month or year, sharing most words with the
    question; a date field, "Fecha de inicio y término: …", counts as two shared words); a question
    asking for a day (``cues.json: day_asked``) only from a sentence giving one."""
    c = ctx.commitment
    months = _months(c.plan.language) | _months(ctx.lang)
    if found := _milestone_dates(ctx, c, months):
        return found
    day = any(re.search(p, ctx.folded) for p in CUES["day_asked"].get(ctx.lang, []))
    wanted = stems(without_plan_names(ctx.folded))  # "open government" says nothing of the sentence asked
    best, best_score = None, 0
    for s in ctx.body_sentences(c, "ogp:sourceSpan"):
        folded = match_form(s["text"])
        words = set(WORD.findall(folded))
        if not _dated(folded, months) or (day and not _has_day(folded, months)):
            continue
        score = (len(wanted & stems(s["text"])) + (1 if words & months else 0)
                 + DATE_FIELD * any(label in folded for label in _DATE_FIELDS))
        if score > best_score:
            best, best_score = s, score
    if best is None:
        return ctx.no_fact("dates", ctx.what("dates"))
    return ctx.answer("dates", ctx.say("dates", commitment=ctx.cref(c), text=best["text"]), items=[ctx.c_dict(c)],
                      evidence=[best], confidence=min(0.9, 0.5 + 0.1 * best_score))


#: the kinds of legal instrument a question asks for by name, by language (``cues.json:
#: law_types``: the ``eli:type_document`` of each kind → its patterns, right after an asking word)
_LAW_TYPES = {lang: {OGP_NS + kind: re.compile(rf"\b(?:{'|'.join(asking)})\s+(?:{'|'.join(langs.get(lang, []))})")
                     for kind, langs in CUES["law_types"].items() if not kind.startswith("_") and langs.get(lang)}
              for lang, asking in CUES["law_types"]["_asking"].items()}


def laws_of(ctx: Context) -> Answer:
    """The laws the linked commitment cites — of the kind the question asks for, if it asks for one
    ("¿qué decreto…?") and the commitment cites one of that kind, else all —, quoting the citation
    that shares words with the question."""
    c = ctx.commitment
    query = f"""SELECT ?law ?label (SAMPLE(?n) AS ?name) (SAMPLE(?a) AS ?acr) (SAMPLE(?t) AS ?type) WHERE {{
        <{c.iri}> ogp:citesLegislation ?law . ?law rdfs:label ?label . OPTIONAL {{ ?law skos:prefLabel ?n }}
        OPTIONAL {{ ?law eli:type_document ?t }}
        OPTIONAL {{ ?law skos:altLabel ?a FILTER(REGEX(?a, "^[A-Z]{{2,8}}$")) }} }} GROUP BY ?law ?label ORDER BY ?label"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("laws_of_commitment", ctx.what("laws"), sparql=query)
    asked = {t for t, pattern in _LAW_TYPES.get(ctx.lang, {}).items() if pattern.search(ctx.folded)}
    rows = [r for r in rows if r["type"] in asked] or rows  # "what decree does it cite": its decrees (else all)
    labels = "; ".join(r["label"] + "".join(f" ({x})" for x in (r["name"], r["acr"]) if x and x != r["label"]) for r in rows)
    evidence = [ev for r in rows for ev in ctx.mention_evidence(r["law"], commitment=c, limit=1)]
    shared, quoted = ctx.closest(evidence, ctx.wanted(rendered=True))  # the citation the question is about
    if shared:
        evidence = [quoted, *(ev for ev in evidence if ev is not quoted)]
    text = (ctx.say("laws_quoted", Commitment=ctx.cref(c, capital=True), laws=labels, text=quoted["text"]) if shared
            else ctx.say("laws_of", Commitment=ctx.cref(c, capital=True), laws=labels))
    return ctx.answer("laws_of_commitment", text, items=rows, sparql=query, evidence=evidence[:4], confidence=0.9)


def places_of(ctx: Context) -> Answer:
    """The places the linked commitment names, quoting the sentence naming one that shares most
    words with the question (it may name places the gazetteer lacks)."""
    c = ctx.commitment
    query = f"""SELECT DISTINCT ?p ?name ?parent WHERE {{ <{c.iri}> dct:spatial ?p . ?p schema:name ?name .
        OPTIONAL {{ ?p schema:containedInPlace/schema:name ?parent }} }} ORDER BY ?name"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("places_of_commitment", ctx.what("places"), sparql=query)
    names = ", ".join(r["name"] + (f" ({r['parent']})" if r["parent"] else "") for r in rows)
    evidence = [ev for r in rows for ev in ctx.mention_evidence(r["p"], commitment=c, limit=1)]
    _, quoted = ctx.closest(evidence, ctx.wanted(rendered=True))  # the sentence naming them that the question is about
    evidence = [quoted, *(ev for ev in evidence if ev is not quoted)][:3] if quoted else []
    return ctx.answer("places_of_commitment", ctx.say("places_of", Commitment=ctx.cref(c, capital=True), places=names,
                                                      text=quoted["text"] if quoted else ""),
                      items=rows, sparql=query, evidence=evidence, confidence=0.9)


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


def place_parent(ctx: Context) -> Answer:
    """The places that contain the linked place."""
    place = ctx.links.of("place")[0]
    query = f"""SELECT ?parent WHERE {{ <{place.iri}> schema:containedInPlace ?up . ?up schema:name ?parent }}"""
    rows = ctx.select(query)
    if not rows:
        return ctx.no_fact("place_parent", ctx.what("places"), sparql=query)
    return ctx.answer("place_parent", ctx.say("place_parent", place=place.label, parent=", ".join(r["parent"] for r in rows)),
                      items=rows, sparql=query, evidence=ctx.mention_evidence(place.iri, limit=1), confidence=0.9)


BUILDERS = {f.__name__: f for f in (responsible, contact, head_of, outside, progress, status, dates, completed, count_by_org, count_commitments,
                                    most_commitments, shared, compare_orgs, most_responsibles, max_amount, acronym,
                                    law_number, place_parent, quantity, count_citing_law, laws_in_plan, most_milestones)} | {
    "commitment": describe, "laws_of_commitment": laws_of, "places_of_commitment": places_of,
    "commitments_by_org": by_org, "commitments_citing_law": citing_law, "commitments_in_place": in_place, "money": quantity}
