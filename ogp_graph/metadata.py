"""What a document is about: its language, country, plan period, genre and title.

Country facts come from ``ogp_graph.countries`` (``data/countries.json``); countries missing
there are still recognised by their English name through pycountry. Nothing here fails: a document whose
country or period cannot be told gets ``UNKNOWN_COUNTRY`` or no period, and the build says so.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from ogp_graph.countries import UNKNOWN_COUNTRY, countries, country_name
from ogp_graph.readers import Document
from ogp_graph.errors import DocumentError
from ogp_graph.segment.cues import cues
from ogp_graph.text import detect_language

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class DocumentInfo:
    """Who and what a document speaks for."""

    language: str
    country: str
    period: tuple[int | None, int | None]
    title: str
    plan_title: str
    genre: str = "other"  # plan | self_assessment | progress_report | other
    report: str = ""  # set by the build for a report whose plan is in the same build: its commitments' IRI scope

    @property
    def period_key(self) -> str:
        """"2016-2018", the single year a plan is known by, or "undated"."""
        start, end = self.period
        return f"{start}-{end}" if start and end else str(start) if start else "undated"

    @property
    def is_translation(self) -> bool:
        """True when the document is not in its country's primary language."""
        known = countries().get(self.country)
        return bool(known) and self.language not in known.languages


@lru_cache(maxsize=1)
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for c in countries().values():
        for name in (c.name, *c.names.values(), *c.demonyms, *c.places):
            names.setdefault(name, c.iso)
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            if name := getattr(c, attr, None):
                names.setdefault(name, c.alpha_2)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), names


def detect_country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of the country named most often (by name, demonym or a
    well-known place), if any."""
    pattern, names = _country_pattern()
    counts = Counter(names[m.group(0)] for m in pattern.finditer(text))
    return counts.most_common(1)[0][0] if counts else None


def detect_genre(doc: Document) -> str:
    """plan, self_assessment, progress_report or other: the first genre whose cue phrases
    appear in the title, else in the first page (most specific genres are tried first)."""
    order = {"self_assessment": 0, "progress_report": 1, "plan": 2}
    for text in (doc.title, doc.text[:3000]):
        for genre, pattern in sorted(cues().genre, key=lambda g: order.get(g[0], 9)):
            if text and pattern.search(text):
                return genre
    return "other"


def _ranges(text: str) -> list[tuple[int, int]]:
    """The periods ``text`` names ("2016-2018", "de 2018 a 2020"), at most six years long."""
    pairs = [next((int(a), int(b)) for a, b in zip(m[::2], m[1::2]) if a) for m in cues().year_range.findall(text)]
    return [(a, b) for a, b in pairs if 0 < b - a <= 6]


def _period(doc: Document, titles: str) -> tuple[int | None, int | None]:
    """The period ``titles`` (the document's and its plan's) name, else the most named one up front
    (then in the whole text), else the first year the titles name (a cover's date), else the
    earliest year named up front."""
    head = re.sub(r"\s+", " ", f"{doc.title} {doc.text[:4000]}")
    for text in (titles, head, doc.text):
        if periods := Counter(_ranges(text)):
            return periods.most_common(1)[0][0]
    if years := _YEAR.findall(titles):
        return int(years[0]), None
    if years := _YEAR.findall(head):
        return min(int(y) for y in years), None
    return None, None


def describe(doc: Document, *, country: str | None = None) -> DocumentInfo:
    """Language, country (``country`` overrides detection), period, genre and titles of ``doc``.

    :raises DocumentError: ``country`` is given but is no ISO 3166-1 alpha-2 code.
    """
    if country and country.upper() not in countries() and pycountry.countries.get(alpha_2=country.upper()) is None:
        raise DocumentError(doc.source, f"unknown country code {country!r}; use an ISO 3166-1 alpha-2 code")
    code = (country or detect_country(f"{doc.title}\n{doc.text}") or UNKNOWN_COUNTRY).upper()
    head = re.sub(r"\s+", " ", doc.text[:4000])
    plan = cues().plan_period.search(head) or cues().plan_ordinal.search(head)
    plan_title = doc.title or (plan.group(0).strip() if plan else "")
    first_paragraph = doc.text.lstrip().split("\n\n", 1)[0][:300]
    title = doc.title or re.sub(r"\s+", " ", first_paragraph).strip() or doc.name
    period = _period(doc, f"{title} {plan_title}")
    plan_title = plan_title or f"OGP action plan {country_name(code)} {period[0] or ''}".strip()
    return DocumentInfo(detect_language(doc.text), code, period, title, plan_title, detect_genre(doc))
