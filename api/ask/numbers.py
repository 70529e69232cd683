"""Numbers written the way the document's country writes them (Babel locales)."""
from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_currency_symbol


def country_locale(country: str, language: str) -> str:
    """The locale of ``language`` as spoken in ``country`` ("es_GT"), else the language's own."""
    try:
        return str(Locale.parse(f"{language}_{country}"))
    except (UnknownLocaleError, ValueError):
        return language


def format_value(value: Decimal | str, *, kind: str, unit: str, country: str, language: str) -> str:
    """``value`` as the country writes it: money with its currency (Q95,613,729.00), percentages
    with %, counts grouped (6,157 in Guatemala, 10.716 in Ecuador)."""
    value = Decimal(str(value))
    locale = country_locale(country, language)
    if kind == "money" and len(unit) == 3 and unit.isupper():
        text = format_currency(value, unit, locale=locale)
        symbol = get_currency_symbol(unit, locale=locale)
        return text if symbol != unit else text.replace("\xa0", " ")
    digits = format_decimal(value, locale=locale, decimal_quantization=False)
    if kind == "percent":
        return f"{digits} %" if language != "en" else f"{digits}%"
    return digits
