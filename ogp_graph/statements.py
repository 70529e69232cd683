"""What a commitment's text states about itself: its completion level (the IRM scale) and a
stated completion percentage, and its numbered milestones. Every phrase comes from the cue data
of ``data/cues/`` (``ogp_graph.segment.cues``); the spaCy components of ``ogp_graph.nlp.statements``
run these over each commitment's body."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ogp_graph.segment.cues import cues


@dataclass(frozen=True)
class Completion:
    """A statement of completion: ``level`` is the IRM level's local name ("Substantial")."""

    level: str
    start: int
    end: int


@dataclass(frozen=True)
class CompletionPercent:
    """A stated completion percentage: ``value`` as written, with a decimal point ("83.5")."""

    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Milestone:
    """A numbered milestone ("Hito 2: …", "Milestone 2: …"), from its cue to the end of its text."""

    number: int
    start: int
    end: int


def completion(text: str, spans: Sequence[tuple[int, int]]) -> tuple[Completion | None, CompletionPercent | None]:
    """The first completion statement in the ``spans`` of ``text`` (earliest within the first
    span that has one), and the first stated percentage."""
    level = percent = None
    for start, end in spans:
        for pattern, name in cues().completion:
            said = pattern.search(text, start, end)
            if said and (level is None or said.start() < level.start):
                level = Completion(name, said.start(), said.end())
        if percent is None and (m := cues().completion_percent.search(text, start, end)):
            percent = CompletionPercent(next(g for g in m.groups() if g).replace(",", "."), m.start(), m.end())
    return level, percent


def milestones(text: str, spans: Sequence[tuple[int, int]]) -> list[Milestone]:
    """Each numbered milestone in the ``spans`` of ``text``, the first one of each number, in number order."""
    found: dict[int, Milestone] = {}
    for start, end in spans:
        for m in cues().milestone.finditer(text, start, end):
            found.setdefault(int(m.group(1)), Milestone(int(m.group(1)), m.start(), m.end(2)))
    return sorted(found.values(), key=lambda m: m.number)
