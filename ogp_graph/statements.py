"""What a commitment's text states about itself: its completion level (the IRM scale) and a
stated completion percentage, and its milestones (numbered, or a list of dated items). Every
phrase comes from the cue data of ``data/cues/`` (``ogp_graph.segment.cues``); the spaCy
components of ``ogp_graph.nlp.statements`` run these over each commitment's body."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ogp_graph.segment.cues import cues

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


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
    """A milestone ("Hito 2: …", or the second dated item after "METAS:"), from its cue or date to
    the end of its text."""

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
    """Each numbered milestone in the ``spans`` of ``text``, the first one of each number, in number
    order; without any, the dated items of milestone lists ("METAS: 12/15: … 06/16: …"), numbered
    in text order, each up to the next item, a blank line or the span's end."""
    found: dict[int, Milestone] = {}
    for start, end in spans:
        for m in cues().milestone.finditer(text, start, end):
            found.setdefault(int(m.group(1)), Milestone(int(m.group(1)), m.start(), m.end(2)))
    if found:
        return sorted(found.values(), key=lambda m: m.number)
    return _dated_items(text, spans)


def _dated_items(text: str, spans: Sequence[tuple[int, int]]) -> list[Milestone]:
    items: set[tuple[int, int]] = set()
    for start, end in spans:
        for heading in cues().milestone_list.finditer(text, start, end):
            at = heading.end()  # the first item follows the heading on its line
            while at is not None:
                following = cues().dated_item.search(text, at + 1, end)
                stop = following.start() if following else end
                blank = _BLANK_LINE.search(text, at, stop)
                items.add((at, len(text[: blank.start() if blank else stop].rstrip())))
                at = following.start() if following else None
    return [Milestone(i, s, e) for i, (s, e) in enumerate(sorted(items), start=1)]
