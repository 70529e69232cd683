"""Quantities in Spanish text: money normalised to its currency, counts with what they count,
percentages, numbers written in words (values from text2num) and dates (dateparser).

The words the patterns are built from (currencies, multipliers, qualifiers, number words, months,
identifier words such as "Decreto" or "Meta") live in ``data/metrics/lexicon.json``.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_symbol, get_territory_currencies
from text_to_num import text2num

LEXICON = Path(__file__).parent / "data" / "metrics" / "lexicon.json"

_L = r"[^\W\d_]"  # one letter, any script
_GAP = r"(?=\s)[ \t]*\n?[ \t]*"  # spaces with at most one line break
_AMOUNT = r"\d[\d.,]*\d|\d"
_COUNT_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
#: Text that never holds a quantity: links, e-mail addresses, page footers ("Página 2 de 5").
_BLOCKED = re.compile(
    r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|\b(?:p[áa]gina|page)\s+\d+\s+(?:de|of)\s+\d+", re.IGNORECASE
)
_ASIDE = r"[ \t]*\([^()\n]{1,30}\)"  # "229.000 (primer año)"
_CLAUSE = re.compile(r"[;:()\[\]\n]|\.(?!\d)|,\s")
_LINK_BEFORE = re.compile(r"(?:\s+(?:de|del|of)|\s*\()\s*$", re.IGNORECASE)
_NEXT_WORD = re.compile(rf"[ \t]+({_L}+)")
_COMPLEMENT = re.compile(
    rf"[ \t]+(?P<prep>de|del)[ \t]+(?:(?P<proper>[A-ZÁÉÍÓÚÑ]{_L}*(?:[ \t]+[A-ZÁÉÍÓÚÑ]{_L}*){{0,2}})"
    rf"|(?P<common>[a-záéíóúñü]+)(?:[ \t]+(?P<adj>[a-záéíóúñü]+))?)"
)
_LABEL = re.compile(r"(?:^|\n)[ \t]*(?:[-*•][ \t]*)?(?:\(?[a-z0-9]{1,2}[).][ \t]+)?(?P<label>[^:\n]{2,80}?)[ \t]*:[ \t]*$")


@dataclass(frozen=True)
class Quantity:
    """A quantity found in a text, with its character span.

    ``unit`` is an ISO 4217 code for money, "%" for percentages, the counted noun for counts and
    "date" for dates; ``value`` is None for dates, whose day is in ``date`` (the first day of the
    month, or of a range's first month, when the text names no day). ``qualifier`` keeps words such
    as "más de" that bound the value.
    """

    start: int
    end: int
    text: str
    kind: str  # "money" | "percent" | "count" | "date"
    value: Decimal | None
    unit: str
    description: str
    date: dt.date | None = None
    qualifier: str = ""


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _number(number: str, factor: int = 1) -> Decimal:
    """Digits with any mix of "." and "," separators: a last group that is not three digits long
    ("139,988.000.00", "662,5") is the fraction, every other separator marks thousands."""
    groups = re.split(r"[.,]", number)
    if not number or not all(g.isdigit() for g in groups):
        raise ValueError(f"not an amount: {number!r}")
    if len(groups) > 1 and len(groups[-1]) != 3:
        value = Decimal(f"{''.join(groups[:-1])}.{groups[-1]}")
    else:
        value = Decimal("".join(groups))
    value *= factor
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class QuantityFinder:
    """Patterns compiled once from a lexicon (see ``data/metrics/lexicon.json``)."""

    def __init__(self, lexicon: dict):
        try:
            self.currency_symbols: dict[str, str] = lexicon["currency_symbols"]
            self.currency_words: dict[str, str] = {k.lower(): v for k, v in lexicon["currency_words"].items()}
            self.multipliers: dict[str, int] = {k.lower(): v for k, v in lexicon["multipliers"].items()}
            self.months: dict[str, int] = lexicon["months"]
            self.identifier_words = frozenset(lexicon["identifier_words"])
            self.year_words = frozenset(lexicon["year_words"])
            self.not_counted = frozenset(lexicon["not_counted"]) | frozenset(self.months)
            self.boundaries = frozenset(lexicon["phrase_boundaries"])
            self.adjective_suffixes = tuple(lexicon["adjective_suffixes"])
            qualifiers, purposes, coordinators = lexicon["qualifiers"], lexicon["purpose_words"], lexicon["coordinators"]
            number_words, inside = lexicon["number_words"], lexicon["number_words_inside"]
        except KeyError as exc:
            raise ValueError(f"metrics lexicon lacks {exc}") from exc
        mult = rf"(?i:{_alternation(self.multipliers)})"
        symbol = _alternation(self.currency_symbols)
        months = rf"(?i:{_alternation(self.months)})"
        self._money = re.compile(
            rf"(?<![\w$€])(?P<cur>{symbol})(?P<space>\s?)(?P<num>{_AMOUNT})(?:\s+(?P<mult>{mult})\b)?"
        )
        self._money_words = re.compile(
            rf"(?<![\w\-/.,])(?P<num>{_AMOUNT})(?:\s+(?P<mult>{mult}))?\s+(?:de\s+)?"
            rf"(?P<cur>(?i:{_alternation(self.currency_words)}))\b"
        )
        self._amount = re.compile(
            rf"(?:{symbol})?\s?(?P<num>{_AMOUNT})(?:\s+(?P<mult>{mult}))?"
            rf"(?:\s+(?:de\s+)?(?i:{_alternation(self.currency_words)}))?"
        )
        self._percent = re.compile(
            rf"(?<![\w.,])(?P<num>\d{{1,3}}(?:[.,]\d+)?)[ \t]?(?:%|(?i:por[ \t]+ciento|percent)\b)"
        )
        self._date = re.compile(
            rf"(?<!\w)(?:(?P<day>\d{{1,2}})\s*[º°]?\s+de\s+)?(?P<month>{months})"
            rf"(?:[ \t]*(?:-|–|a|al|y|hasta)[ \t]*(?:\d{{1,2}}\s+de\s+)?{months})?"
            rf"\s+(?:(?i:del?)\s+)?(?:(?i:año)\s+)?(?P<year>(?:19|20)\d\d)(?!\d)"
            rf"|(?<![\w/.\-])(?P<nday>\d{{1,2}})/(?P<nmonth>\d{{1,2}})/(?P<nyear>(?:19|20)\d\d)(?![\w/])"
        )
        self._count = re.compile(
            rf"(?<![\w\-/.,$€#º°])(?P<num>{_COUNT_NUMBER})(?![\w\-/%°º]|[.,]\d)"
            rf"(?:\s+(?P<mult>{mult})(?:\s+de)?)?(?:{_ASIDE})?{_GAP}(?P<noun>{_L}+)"
        )
        self._coordinated = re.compile(  # a number before another count, joined by a comma or coordinator
            rf"(?<![\w\-/.,$€#º°])(?P<num>{_COUNT_NUMBER})(?P<aside>{_ASIDE})?[ \t]*(?:,[ \t]*)?"
            rf"(?:(?i:{_alternation(coordinators)})[ \t]+|(?<=,)[ \t]*)$"
        )
        first = rf"(?i:{_alternation(number_words)})"
        later = rf"(?i:{_alternation([*number_words, *inside])})"
        self._word_count = re.compile(rf"(?<!{_L})(?P<num>{first}(?:[ \t]+{later})*){_GAP}(?P<noun>{_L}+)")
        self._qualifier = re.compile(rf"(?<!{_L})(?P<q>(?i:{_alternation(qualifiers)})){_GAP}$")
        self._purpose = re.compile(rf"[ \t]*(?P<prep>(?i:{_alternation(purposes)}))[ \t]+")
        self._of = re.compile(r"[ \t]*(?P<prep>(?i:del|de|of))[ \t]+")
        self._previous_word = re.compile(rf"({_L}+)\.?\s*$")

    @classmethod
    def from_file(cls, path: Path = LEXICON) -> QuantityFinder:
        """A finder over the lexicon JSON at ``path``.

        :raises OSError: unreadable file. :raises ValueError: not a lexicon.
        """
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def parse_money(self, amount: str, multiplier: str | None = None) -> Decimal:
        """The value of an amount as written ("Q. 139,988.000.00", "Q.226.1 millones", "662,5" with
        ``multiplier="millones"``), its currency ignored.

        :raises ValueError: not an amount.
        """
        if not isinstance(amount, str):
            raise ValueError(f"not an amount: {amount!r}")
        m = self._amount.fullmatch(" ".join(amount.split()))
        if m is None:
            raise ValueError(f"not an amount: {amount!r}")
        multiplier = multiplier or m["mult"]
        if multiplier and " ".join(multiplier.lower().split()) not in self.multipliers:
            raise ValueError(f"unknown multiplier: {multiplier!r}")
        return _number(m["num"], self._scale(multiplier))

    def find(self, text: str, *, country: str | None = None) -> list[Quantity]:
        """Money, percentages, dates and counts (digits or words) in ``text``, in text order;
        overlapping candidates keep the first kind in that list. Amounts in "$" or "pesos" are in
        the dollar-sign currency of ``country`` (ISO 3166-1 alpha-2) where it has one, else USD."""
        if not isinstance(text, str):
            raise ValueError(f"expected text, got {type(text).__name__}")
        taken = [m.span() for m in _BLOCKED.finditer(text)]
        found: list[Quantity] = []
        local = _dollar_currency(country)
        for q in self._candidates(text):
            if q.unit == LOCAL_DOLLAR:
                q = replace(q, unit=local)
            if not any(q.start < e and s < q.end for s, e in taken):
                found.append(q)
                taken.append((q.start, q.end))
        return sorted(found, key=lambda q: q.start)

    def _candidates(self, text: str) -> Iterable[Quantity]:
        for m in self._money.finditer(text):
            cur, num = m["cur"], m["num"]
            if cur == "Q" and not (m["space"] or m["mult"] or not num.isdigit()):
                continue  # "Q2" is a quarter, not two quetzales
            yield self._money_quantity(text, m, self.currency_symbols[cur])
        for m in self._money_words.finditer(text):
            yield self._money_quantity(text, m, self.currency_words[m["cur"].lower()])
        for m in self._percent.finditer(text):
            yield self._percent_quantity(text, m)
        for m in self._date.finditer(text):
            if day := self._date_of(m):
                yield Quantity(m.start(), m.end(), m[0], "date", None, "date", "fecha", day)
        for m in self._count.finditer(text):
            if q := self._digit_count(text, m):
                yield q
                yield from self._coordinated_counts(text, q)
        for m in self._word_count.finditer(text):
            if q := self._word_count_quantity(text, m):
                yield q

    def _scale(self, multiplier: str | None) -> int:
        return self.multipliers.get(" ".join(multiplier.lower().split()), 1) if multiplier else 1

    def _with_qualifier(self, text: str, start: int) -> tuple[int, str]:
        """Where the quantity starts once a bounding qualifier before it ("más de") is included."""
        m = self._qualifier.search(text, max(0, start - 30), start)
        return (m.start(), " ".join(m["q"].lower().split())) if m else (start, "")

    def _money_quantity(self, text: str, m: re.Match, currency: str) -> Quantity:
        start, qualifier = self._with_qualifier(text, m.start())
        head = self._label(text, start) or self._phrase_before(text, start)[0]
        what = " ".join(x for x in (head, self._phrase_after(text, m.end(), self._purpose)) if x)
        value = _number(m["num"], self._scale(m["mult"]))
        return Quantity(start, m.end(), text[start : m.end()], "money", value, currency, what or "monto",
                        qualifier=qualifier)

    def _percent_quantity(self, text: str, m: re.Match) -> Quantity:
        start, qualifier = self._with_qualifier(text, m.start())
        head, linked = self._phrase_before(text, start)
        after = self._phrase_after(text, m.end(), self._of)
        what = head if linked and head else " ".join(x for x in ("porcentaje", after) if x)
        value = Decimal(m["num"].replace(",", "."))
        return Quantity(start, m.end(), text[start : m.end()], "percent", value, "%", what, qualifier=qualifier)

    def _digit_count(self, text: str, m: re.Match) -> Quantity | None:
        number, noun = m["num"], m["noun"]
        if (number.startswith("0") and len(number) > 1) or (number.isdigit() and len(number) > 4):
            return None  # codes and order numbers: counts this large are written with separators
        value = _number(number, self._scale(m["mult"]))
        if value != value.to_integral_value():
            return None
        previous = self._previous(text, m.start())
        if number.isdigit() and len(number) == 4 and 1900 <= int(number) <= 2100 and (previous in self.year_words or
                                                                  not noun.islower()):
            return None
        return self._count_quantity(text, m, value, previous)

    def _coordinated_counts(self, text: str, q: Quantity) -> Iterable[Quantity]:
        """The numbers coordinated before count ``q`` count its noun too: "25 y 50 entidades",
        "229.000 (primer año), y 240.000 (segundo año) documentos"."""
        at = q.start
        while m := self._coordinated.search(text, max(0, at - 60), at):
            number = m["num"]
            if (number.startswith("0") and len(number) > 1) or (number.isdigit() and len(number) > 4) or (
                    number.isdigit() and len(number) == 4 and 1900 <= int(number) <= 2100):
                return  # codes and years
            end = m.end("aside") if m["aside"] else m.end("num")
            yield Quantity(m.start(), end, text[m.start() : end], "count", _number(number), q.unit, q.description)
            at = m.start()

    def _word_count_quantity(self, text: str, m: re.Match) -> Quantity | None:
        try:
            value = Decimal(text2num(" ".join(m["num"].lower().split()), "es"))
        except ValueError:
            return None
        return self._count_quantity(text, m, value, self._previous(text, m.start()))

    def _count_quantity(self, text: str, m: re.Match, value: Decimal, previous: str) -> Quantity | None:
        noun, end = m["noun"], m.end()
        if noun.lower() in self.not_counted or previous in self.identifier_words:
            return None
        if "\n" in m[0] and not noun.islower():
            return None  # a page or list number before a heading
        if value != 1 and not noun.lower().endswith("s"):
            head = self._modified_noun(text, m.end("noun"))  # "5,000 government professionals"
            if head is None:
                return None  # counted nouns are plural; "Página 2 de 5 No se ..." is not
            noun, end = head[0], head[1]
        start, qualifier = self._with_qualifier(text, m.start())
        phrase = text[m.start("noun") : end - len(noun)] + self._noun_phrase(text, end - len(noun), end)
        return Quantity(start, end, text[start:end], "count", value, noun.lower(), " ".join(phrase.split()),
                        qualifier=qualifier)

    def _modified_noun(self, text: str, end: int) -> tuple[str, int] | None:
        """The plural lower-case noun within the next three words after a singular modifier
        ("government professionals", "Federal agencies"), with where it ends; None when a function
        word or a non-plural last word comes first."""
        for _ in range(3):
            m = _NEXT_WORD.match(text, end)
            if m is None or m[1].lower() in self.not_counted or m[1].lower() in self.boundaries:
                return None
            end = m.end()
            if m[1].islower() and m[1].endswith("s") and len(m[1]) > 3:
                return m[1], end
        return None

    def _previous(self, text: str, start: int) -> str:
        m = self._previous_word.search(text, max(0, start - 30), start)
        return m[1].lower() if m else ""

    def _date_of(self, m: re.Match) -> dt.date | None:
        if m["nyear"]:
            return _parse_date(f"{int(m['nday'])}/{int(m['nmonth'])}/{m['nyear']}")
        return _parse_date(f"{int(m['day'] or 1)} {m['month'].lower()} {m['year']}")

    def is_adjective(self, word: str, plural: bool = False) -> bool:
        """Whether ``word`` looks like a Spanish adjective or participle (by its ending)."""
        w = word.lower()
        return len(w) > 4 and w.endswith(self.adjective_suffixes) and (not plural or w.endswith("s"))

    def _noun_phrase(self, text: str, start: int, end: int) -> str:
        """The counted noun with the plural adjectives after it and one "de ..." complement:
        "centros educativos", "Áreas de Salud", "docentes de escuelas oficiales"."""
        words = [text[start:end]]
        while (m := _NEXT_WORD.match(text, end)) and self.is_adjective(m[1], plural=True) and len(words) < 4:
            words.append(m[1])
            end = m.end()
        if m := _COMPLEMENT.match(text, end):
            if m["proper"]:
                words += [m["prep"], " ".join(m["proper"].split())]
            elif m["common"] not in self.boundaries and m["common"] not in self.not_counted:
                words += [m["prep"], m["common"]] + ([m["adj"]] if m["adj"] and self.is_adjective(m["adj"]) else [])
        return " ".join(words)

    def _label(self, text: str, start: int) -> str:
        """The label of a list item the amount follows ("a) Alimentación escolar: Q. 662,5 millones")."""
        window = text[max(0, start - 120) : start]
        m = _LABEL.search(window)
        if m is None or (m.start("label") == 0 and start > 120) or len(m["label"].split()) > 6:
            return ""
        return " ".join(m["label"].split())

    def _phrase_before(self, text: str, start: int, max_words: int = 4) -> tuple[str, bool]:
        """The last words of the clause before ``start`` back to an article or preposition, and
        whether they are linked to the quantity by "de" or "(" ("el primer desembolso (Q.226.1 …")."""
        window = text[max(0, start - 120) : start]
        link = _LINK_BEFORE.search(window)
        if link:
            window = window[: link.start()]
        picked: list[str] = []
        for word in reversed(_CLAUSE.split(window)[-1].split()):
            if word.lower() in self.boundaries or len(picked) == max_words:
                break
            picked.append(word)
        return " ".join(reversed(picked)), bool(link)

    def _phrase_after(self, text: str, end: int, lead: re.Pattern, max_words: int = 6) -> str:
        """A prepositional phrase right after ``end`` ("para Funcionamiento", "del total de
        establecimientos"), up to punctuation or the next preposition other than "de"."""
        m = lead.match(text, end)
        if m is None:
            return ""
        words = [m["prep"]]
        for i, word in enumerate(_CLAUSE.split(text[m.end() : m.end() + 120])[0].split()):
            lower = word.lower()
            if len(words) > max_words or (i > 0 and lower in self.boundaries and lower not in ("de", "del")):
                break
            words.append(word)
        return " ".join(words) if len(words) > 1 else ""


@lru_cache(maxsize=1)
def _date_parser():
    from dateparser.date import DateDataParser

    settings = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"]}
    return DateDataParser(languages=["es"], settings=settings)


@lru_cache(maxsize=1024)
def _parse_date(written: str) -> dt.date | None:
    parsed = _date_parser().get_date_data(written).date_obj
    return parsed.date() if parsed else None


LOCAL_DOLLAR = "$"  # the lexicon's currency code for "the local dollar-sign currency"


@lru_cache(maxsize=64)
def _dollar_currency(country: str | None) -> str:
    """The currency of ``country`` when Babel writes it with "$" there (COP, MXN, ARS…), else USD."""
    if not country:
        return "USD"
    try:
        currency = get_territory_currencies(country, tender=True)[0]
        symbol = get_currency_symbol(currency, locale=Locale.parse(f"und_{country}"))
    except (AttributeError, TypeError, ValueError, IndexError, UnknownLocaleError):
        return "USD"
    return currency if symbol == "$" else "USD"


@lru_cache(maxsize=1)
def default_finder() -> QuantityFinder:
    """The finder over the bundled lexicon (built once)."""
    return QuantityFinder.from_file()


def find_quantities(text: str, *, country: str | None = None) -> list[Quantity]:
    """Money, percentages, counts (digits or words) and dates in plain ``text``, in text order.

    >>> [(q.kind, q.value, q.unit) for q in find_quantities("se capacitaron 48 personas con Q. 1,500.00")]
    [('count', Decimal('48'), 'personas'), ('money', Decimal('1500'), 'GTQ')]

    :raises ValueError: ``text`` is not a string.
    """
    return default_finder().find(text, country=country)


def parse_money(amount: str, multiplier: str | None = None) -> Decimal:
    """Normalise an amount as written in these reports, currency symbol and multiplier included:
    "Q. 139,988.000.00" → 139988000 (two trailing digits are cents, other groups thousands,
    whatever the separator), "Q. 662,5 millones" → 662500000, "US$ 2 millones" → 2000000.

    :raises ValueError: not an amount, or an unknown multiplier.
    """
    return default_finder().parse_money(amount, multiplier)
