"""Figures for the reader: money in the country's currency and separators (Babel/CLDR), metrics
ranked by kind and magnitude with trivial counts kept out of the headline, whole phrases."""
from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from importlib import resources

from babel.numbers import format_currency, format_decimal, format_percent

from ogp_graph.countries import country_locale

RULES = json.loads((resources.files("api.explorer") / "data" / "figures.json").read_text(encoding="utf-8"))
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡0-9])|\n+")


def number(value: str | float | Decimal, *, country: str | None = None) -> str:
    """``value`` with the country's digit grouping and decimal separator."""
    return format_decimal(_decimal(value), locale=country_locale(country))


def money(value: str | float | Decimal, currency: str, *, country: str | None = None) -> str:
    """An amount with its currency symbol in the country's format; whole amounts without cents.

    >>> money("139988000", "GTQ", country="GT")
    'Q139,988,000'
    """
    locale = country_locale(country)
    amount = _decimal(value)
    if amount == amount.to_integral_value():
        pattern = re.sub(r"[.]0+", "", locale.currency_formats["standard"].pattern.split(";")[0])
        return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
    return format_currency(amount, currency, locale=locale)


def metric_value(value: str, unit: str, kind: str, *, country: str | None = None) -> str:
    """A metric as a person reads it: ``Q139,988,000``, ``45 %``, ``2,337,365 alumnos``."""
    if kind == "money":
        return money(value, unit, country=country)
    if kind == "percent":
        return format_percent(_decimal(value) / 100, locale=country_locale(country), decimal_quantization=False)
    return f"{number(value, country=country)} {unit}".strip()


def headline(metrics: list[dict], *, limit: int | None = None) -> list[dict]:
    """The metrics worth a headline, best first: by kind (money, then percentages, then counts)
    and magnitude; counts below the ``min_count`` of ``data/figures.json`` are left out."""
    order = {kind: i for i, kind in enumerate(RULES["kind_order"])}
    kept = [m for m in metrics if m["kind"] in order
            and not (m["kind"] == "count" and _decimal(m["value"]) < RULES["min_count"])]
    kept.sort(key=lambda m: (order[m["kind"]], -_decimal(m["value"])))
    return kept[:limit] if limit else kept


def phrase(text: str, begin: int, end: int, *, max_chars: int | None = None) -> str:
    """The whole sentence of ``text`` around the span [begin, end), whitespace-normalised and cut
    at word boundaries to about ``max_chars`` (data/figures.json) around the span."""
    max_chars = max_chars or RULES["phrase_chars"]
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, begin)), default=0)
    right = next((m.start() for m in _SENTENCE_END.finditer(text, end)), len(text))
    if right - left > max_chars:
        spare = max(0, max_chars - (end - begin)) // 2
        new_left, new_right = max(left, begin - spare), min(right, end + spare)
        head = "… " if new_left > left else ""
        tail = " …" if new_right < right else ""
        cut = text[new_left:new_right]
        if head:
            cut = cut.split(" ", 1)[-1] if " " in cut[: begin - new_left] else cut
        if tail:
            cut = cut.rsplit(" ", 1)[0] if " " in cut[end - new_left:] else cut
        return head + " ".join(cut.split()) + tail
    return " ".join(text[left:right].split())


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
