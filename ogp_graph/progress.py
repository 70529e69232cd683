"""Progress across documents: a report's commitments linked to the plan's they report on.

Run after every document of a build is extracted. A report (self-assessment or progress
report) and a plan are about the same plan when they share country, language and first
year; a report commitment is the plan commitment with the same label and a similar title,
or else the one whose title is clearly the same (rapidfuzz, accent- and case-insensitive).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pyoxigraph import Quad
from rapidfuzz import fuzz

from ogp_graph.rdf import commitment_iri
from ogp_graph.segment import fold
from ogp_graph.vocab import OGP

REPORT_GENRES = {"self_assessment", "progress_report"}
_SAME_LABEL = 60  # title similarity enough when the labels agree
_SAME_TITLE = 88  # title similarity enough on its own


def _key(info) -> tuple:
    return info.country, info.language, info.period[0]


def scope_reports(loaded: Sequence[tuple]) -> list[tuple]:
    """``loaded`` with every report whose plan is also loaded given its own IRI scope, so that
    its commitments do not merge into the plan's."""
    plans = {_key(info) for _, info, _ in loaded if info.genre == "plan"}
    return [(doc, dataclasses.replace(info, report=doc.sha256[:12]) if info.genre in REPORT_GENRES
             and _key(info) in plans else info, seg) for doc, info, seg in loaded]


def _match(report_c, plan_cs):
    same_label = [p for p in plan_cs if p.label == report_c.label]
    for p in same_label:
        if not report_c.title or not p.title or fuzz.token_set_ratio(fold(report_c.title), fold(p.title)) >= _SAME_LABEL:
            return p
    scored = [(fuzz.token_set_ratio(fold(report_c.title), fold(p.title)), p) for p in plan_cs if report_c.title and p.title]
    best = max(scored, key=lambda s: s[0], default=None)
    return best[1] if best and best[0] >= _SAME_TITLE else None


def link_progress(extracted: Sequence) -> list[Quad]:
    """``report-commitment ogp:progressOf plan-commitment`` for every report commitment whose
    plan commitment is in ``extracted``."""
    plans = {_key(ed.info): ed for ed in extracted if ed.info.genre == "plan"}
    quads = []
    for ed in extracted:
        plan = plans.get(_key(ed.info))
        if ed.info.genre not in REPORT_GENRES or plan is None:
            continue
        plan_cs = [ec.text for ec in plan.commitments]
        for ec in ed.commitments:
            if target := _match(ec.text, plan_cs):
                quads.append(Quad(commitment_iri(ed.info, ec.text.label), OGP.progressOf,
                                  commitment_iri(plan.info, target.label)))
    return quads
