"""Cue phrases of commitment documents, per language, from ``ogp_graph/data/cues/*.json``.

Every pattern the finder uses (openers, field labels, trailer headings, stated counts,
completion phrases) is compiled here from the data files of all languages at once, so a
bilingual or mislabelled document is read with every cue.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_FLAGS = re.IGNORECASE
_YEAR = r"((?:19|20)\d\d)"


def _alternation(parts) -> str:
    return "|".join(sorted(set(parts), key=len, reverse=True))


@dataclass(frozen=True)
class Cues:
    """The compiled cue patterns of every language."""

    opener: re.Pattern[str]  # "Compromiso Nro. 3: title" → groups n, rest
    numbered: re.Pattern[str]  # "3. title", "3) title", "3 - title" → groups n, rest
    quoted: re.Pattern[str]  # 'el compromiso … es "título"' → the title is the first non-empty group
    responsible: re.Pattern[str]  # a responsible-field label at a line start
    field: re.Pattern[str]  # any field label (responsible included) at a line start
    sub_item: re.Pattern[str]  # "Hito 2", "Milestone 1:", "Action 3" at a line start
    milestone: re.Pattern[str]  # "Hito 2: text" up to the next one or a blank line → groups n, text
    milestone_list: re.Pattern[str]  # "METAS:" before a list of dated items
    dated_item: re.Pattern[str]  # a dated item of that list at a line start: "12/16 y 06/17: text"
    trailer: re.Pattern[str]  # a heading, or a line on the plan as a whole, after which no commitment continues
    commitment_plural: re.Pattern[str]  # "compromisos", "commitments"…
    completion: tuple[tuple[re.Pattern[str], str], ...]  # (pattern, IRM level local name)
    completion_percent: re.Pattern[str]  # → first non-empty group is the percentage
    genre: tuple[tuple[str, re.Pattern[str]], ...]  # (genre, pattern), most specific first
    plan_period: re.Pattern[str]  # "II Plan de Acción … 2015-2017": a plan's title naming its period
    plan_ordinal: re.Pattern[str]  # "Fourth … National Action Plan", "2º Plano de Ação": a title naming its ordinal
    year_range: re.Pattern[str]  # "2016-2018", "de 2018 a 2020", "from 2011 to 2013": each alternative has two groups


def _one_group(patterns: list[str]) -> str:
    """Alternatives that each name a group ``title``, as one pattern with numbered groups."""
    return "|".join(f"(?:{p.replace('(?P<title>', '(')})" for p in patterns)


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The cues of all languages in ``data/cues``."""
    data = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((resources.files("ogp_graph") / "data" / "cues").iterdir()) if p.name.endswith(".json")]

    def every(key: str) -> list[str]:
        return [x for d in data for x in d[key]]

    words, markers = _alternation(every("commitment_words")), _alternation(every("number_markers"))
    label_end = r"(?:\s*:\s*|\s+(?=\S)|\s*$)"
    responsible = _alternation(every("responsible_labels"))
    field = _alternation(every("field_labels") + every("responsible_labels"))
    milestones = _alternation(every("milestone_words"))
    month_year = r"\d{1,2}/\d{2,4}"
    ordinal = rf"\b(?:{_alternation(every('plan_ordinals'))}|[IVX]{{1,4}}|\d{{1,2}}\s*[º°o])"
    genres = {}
    for d in data:
        for genre, patterns in d["genre"].items():
            genres.setdefault(genre, []).extend(patterns)
    plan = _alternation(genres["plan"])
    return Cues(
        opener=re.compile(rf"^\s*(?:{words})\s*(?:(?:{markers})\s*)?(?P<n>\d{{1,3}})\b\s*(?:[:.)–—-]\s*)?(?P<rest>.*)$", _FLAGS),
        quoted=re.compile(_one_group(every("quoted_commitment")), _FLAGS),
        numbered=re.compile(r"^\s*(?P<n>\d{1,3})\s*(?:[.)]|\s[–—-])\s+(?P<rest>\S.*)$"),
        responsible=re.compile(rf"^\s*(?P<label>{responsible})(?P<end>{label_end})", _FLAGS),
        field=re.compile(rf"^\s*(?P<label>{field})(?P<end>{label_end})", _FLAGS),
        sub_item=re.compile(rf"^\s*(?:{_alternation(every('sub_item_labels'))})\s*(?:\d{{1,3}}(?:\.\d+)*|[a-z])\s*[:.)–—-]", _FLAGS),
        milestone=re.compile(
            rf"\b(?:{milestones})\s+(?P<n>\d{{1,2}})\s*:\s*(?P<text>.+?)(?=\n\s*\n|\b(?:{milestones})\s+\d{{1,2}}\s*:|$)",
            _FLAGS | re.DOTALL),
        milestone_list=re.compile(rf"^[ \t]*(?:{_alternation(every('milestone_list_headings'))})[ \t]*:[ \t]*"
                                  rf"(?={month_year})", _FLAGS | re.MULTILINE),
        dated_item=re.compile(rf"^[ \t]*{month_year}(?:[ \t]*(?:[,;]|[^\W\d]{{1,3}})[ \t]*{month_year})*[ \t]*:",
                              re.MULTILINE),
        trailer=re.compile(rf"^\s*(?:{_alternation(every('trailer_headings'))})\b\s*:?\s*$"
                           rf"|\b(?:{_alternation(every('trailer_phrases'))})\b", _FLAGS),
        commitment_plural=re.compile(rf"\b(?:{_alternation(every('commitment_plural'))})\b", _FLAGS),
        completion=tuple((re.compile(c["pattern"], _FLAGS), c["level"]) for d in data for c in d["completion"]),
        completion_percent=re.compile("|".join(every("completion_percent")), _FLAGS),
        genre=tuple((g, re.compile(_alternation(ps), _FLAGS)) for g, ps in genres.items()),
        plan_period=re.compile(rf"(?:{ordinal}\s+)?(?:{plan})[^\n.]{{0,80}}?{_YEAR}\s*[-–—]\s*{_YEAR}", _FLAGS),
        plan_ordinal=re.compile(rf"{ordinal}\s+(?:[^\W\d]+\s+){{0,3}}?(?:{plan})\b", _FLAGS),
        year_range=re.compile("|".join(rf"\b{r.format(a=_YEAR, b=_YEAR)}\b" for r in
                                       [r"{a}\s*[-–—/]\s*{b}", *every("year_range")]), _FLAGS),
    )


def _label(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.match(text)
    if m and (":" in m.group("end") or " " in m.group("label").strip()):
        return m.end()
    return None


def responsible_label(text: str) -> int | None:
    """Where the value of a responsible field starts in ``text``, when ``text`` opens with a
    responsible-field label; a one-word label ("Responsable") counts only with its colon."""
    return _label(cues().responsible, text)


def field_label(text: str) -> int | None:
    """Where the value starts when ``text`` opens with any field label (same rule)."""
    return _label(cues().field, text)
