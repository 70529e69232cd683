"""What a document is about: its language, country, plan period and title."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from ogp_graph.readers import Document
from ogp_graph.errors import DocumentError

_STOPWORDS = {
    "es": {"de", "la", "el", "los", "las", "del", "que", "y", "en", "para", "con", "por", "una", "se"},
    "en": {"the", "of", "and", "to", "in", "for", "with", "that", "on", "by", "is", "are", "this", "will"},
}
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)\b")
_PLAN_TITLE = re.compile(
    r"((?:Primer|Segundo|Tercer|Cuarto|Quinto|First|Second|Third|Fourth|Fifth)?\s*"
    r"(?:Plan de Acci[óo]n|National Action Plan|Action Plan)[^\n.]{0,80}?(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d)",
    re.IGNORECASE,
)
#: Everyday names of countries that pycountry spells otherwise.
_COUNTRY_ALIASES = {"U.S.": "US", "United States": "US", "Estados Unidos": "US", "EE.UU.": "US"}
#: The language a country's plans are written in, where it is not English.
PRIMARY_LANGUAGE = {"GT": "es", "EC": "es", "CO": "es", "MX": "es", "PE": "es", "AR": "es", "CL": "es",
                    "CR": "es", "HN": "es", "SV": "es", "PA": "es", "PY": "es", "UY": "es", "DO": "es",
                    "ES": "es", "BR": "pt", "PT": "pt", "FR": "fr"}


@dataclass(frozen=True)
class DocumentInfo:
    """Who and what a document speaks for."""

    language: str
    country: str
    period: tuple[int, int | None]
    title: str
    plan_title: str

    @property
    def period_key(self) -> str:
        """"2016-2018", or the single year a plan is known by."""
        start, end = self.period
        return f"{start}-{end}" if end else str(start)

    @property
    def is_translation(self) -> bool:
        """True when the document is not in its country's primary language."""
        return PRIMARY_LANGUAGE.get(self.country, "en") != self.language


def detect_language(text: str) -> str:
    """``"es"`` or ``"en"``, by counting common words."""
    words = Counter(re.findall(r"[a-záéíóúñ]+", text[:50_000].lower()))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    return max(scores, key=scores.get)


@lru_cache(maxsize=1)
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = dict(_COUNTRY_ALIASES)
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            if name := getattr(c, attr, None):
                names.setdefault(name, c.alpha_2)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), names


def detect_country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of the country named most often, if any."""
    pattern, names = _country_pattern()
    counts = Counter(names[m.group(0)] for m in pattern.finditer(text))
    return counts.most_common(1)[0][0] if counts else None


def describe(doc: Document, *, country: str | None = None) -> DocumentInfo:
    """Language, country (``country`` overrides detection), period and titles of ``doc``."""
    head = re.sub(r"\s+", " ", doc.text[:4000])
    periods = Counter((int(a), int(b)) for a, b in _PERIOD.findall(head) if 0 < int(b) - int(a) <= 6)
    years = re.findall(r"\b(?:19|20)\d\d\b", doc.title + " " + head)
    if periods:
        period: tuple[int, int | None] = periods.most_common(1)[0][0]
    elif years:  # a plan known by one year: the earliest named up front ("December 2022")
        period = (min(int(y) for y in years), None)
    else:
        raise DocumentError(doc.source, "cannot tell the plan period (no year in the title or first page)")
    code = (country or detect_country(doc.text) or "").upper()
    if not code or pycountry.countries.get(alpha_2=code) is None:
        raise DocumentError(doc.source, "cannot tell the country of this plan; pass --country with its ISO code")
    plan = _PLAN_TITLE.search(head)
    plan_title = doc.title or (plan.group(1).strip() if plan else "")
    plan_title = plan_title or f"OGP action plan {pycountry.countries.get(alpha_2=code).name} {period[0]}"
    first_paragraph = doc.text.lstrip().split("\n\n", 1)[0][:300]
    title = doc.title or re.sub(r"\s+", " ", first_paragraph).strip() or doc.name
    return DocumentInfo(detect_language(doc.text), code, period, title, plan_title)
