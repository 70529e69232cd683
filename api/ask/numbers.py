"""Numbers written the way the document's country writes them (Babel locales)."""
from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal, get_currency_symbol

from ogp_graph.countries import country_locale


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
