"""Progress across documents: a report's commitments linked to the plan's they report on.

Computed by the build's link stage from what each document's extraction recorded. A report (self-assessment or progress
report) and a plan are about the same plan when they share country, language and first
year; a report commitment is the plan commitment with the same label and a similar title,
or else the one whose title is clearly the same (rapidfuzz, accent- and case-insensitive).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ogp_graph.text import word_fold

REPORT_GENRES = {"self_assessment", "progress_report"}
_SAME_LABEL = 60  # title similarity enough when the labels agree
_SAME_TITLE = 88  # title similarity enough on its own


@dataclass(frozen=True)
class ProgressDocument:
    """What progress linking needs of one document: what it is about and its commitments
    (IRI, label, title)."""

    sha256: str
    country: str
    language: str
    first_year: int | None
    genre: str
    commitments: tuple[tuple[str, str, str], ...] = ()

    @property
    def key(self) -> tuple:
        return self.country, self.language, self.first_year


def report_scopes(documents: Sequence[ProgressDocument]) -> dict[str, str]:
    """The IRI scope of every report whose plan is among ``documents`` (its content hash's first
    12 digits), so that its commitments do not merge into the plan's; ``""`` for the others."""
    plans = {d.key for d in documents if d.genre == "plan"}
    return {d.sha256: d.sha256[:12] if d.genre in REPORT_GENRES and d.key in plans else "" for d in documents}


def _match(report_c, plan_cs):
    """The plan commitment (iri, label, title) that ``report_c`` reports on, or None."""
    _, label, title = report_c
    for p in (p for p in plan_cs if p[1] == label):
        if not title or not p[2] or fuzz.token_set_ratio(word_fold(title), word_fold(p[2])) >= _SAME_LABEL:
            return p
    scored = [(fuzz.token_set_ratio(word_fold(title), word_fold(p[2])), p) for p in plan_cs if title and p[2]]
    best = max(scored, key=lambda s: s[0], default=None)
    return best[1] if best and best[0] >= _SAME_TITLE else None


def progress_links(documents: Sequence[ProgressDocument]) -> list[tuple[str, str]]:
    """(report commitment, plan commitment) for every report commitment whose plan commitment is
    among ``documents``."""
    plans = {d.key: d for d in documents if d.genre == "plan"}
    links = []
    for d in documents:
        plan = plans.get(d.key)
        if d.genre not in REPORT_GENRES or plan is None:
            continue
        links += [(c[0], target[0]) for c in d.commitments if (target := _match(c, plan.commitments))]
    return links
