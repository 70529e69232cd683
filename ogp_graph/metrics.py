"""Quantities in Spanish text: money (normalised to its currency), counts with what they count,
percentages, numbers written in words (text2num) and dates (dateparser)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
_WORD = r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+"
_MONEY = re.compile(
    r"(?P<cur>US\$|USD|GTQ|Q\.?|\$)\s?(?P<num>\d[\d.,]*\d|\d)(?:\s+(?P<mult>mil\s+millones|millones|mill[oó]n|mil)\b)?"
)
_COUNT = re.compile(
    rf"(?<![\w\-/.,$])(?P<qual>(?:más|menos|cerca|alrededor)\s+de\s+|al\s+menos\s+)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}(?:\.\d{{3}})+|\d+)(?![\w\-/%]|[.,]\d)"
    rf"(?:[ \t]+(?P<mult>mil|millones)\b)?[ \t]+(?P<noun>{_WORD})"
)
_NUMBER_WORDS = (
    "dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieciséis|dieciseis|"
    "diecisiete|dieciocho|diecinueve|veinte|veinti\\w+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|"
    "noventa|cien|ciento|doscientos|doscientas|trescientos|trescientas|cuatrocientos|cuatrocientas|quinientos|"
    "quinientas|seiscientos|seiscientas|setecientos|setecientas|ochocientos|ochocientas|novecientos|novecientas|mil"
)
_WORD_COUNT = re.compile(
    rf"\b(?P<num>(?:{_NUMBER_WORDS})(?:[ \t]+(?:y[ \t]+)?(?:{_NUMBER_WORDS}|uno|una|un))*)[ \t]+(?P<noun>{_WORD})",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:[.,]\d+)?)\s?%")
_DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})\s+de\s+)?(?P<month>{_MONTHS})(?:\s*-\s*(?:{_MONTHS}))?\s+(?:de\s+|del\s+)?(?:año\s+)?"
    rf"(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
#: Words before a number that make it an identifier, not a quantity.
_ID_WORDS = {
    "decreto", "decretos", "acuerdo", "artículo", "artículos", "articulo", "meta", "metas", "compromiso",
    "revisión", "revision", "capítulo", "capitulo", "gasto", "programa", "número", "numero", "no", "nos",
    "página", "pagina", "hito", "fase", "etapa", "objetivo", "eje", "versión", "año", "años", "zona", "ley",
    "iniciativa", "registro", "legislativa", "grupo", "grupos", "nivel", "inciso", "literal",
}
#: Words after a number that are not what is counted (function words, time units, months).
_NOT_NOUNS = set(
    "de del la las los el y e o u a al en con por para que se su sus lo le les como entre sobre sin hasta desde"
    " años año meses mes días día semanas horas minutos veces".split()
) | set(_MONTHS.split("|"))
_CLAUSE = re.compile(r"[.;()\n]|:\s|,\s(?=[a-záéíóú]\))")
_PARTICIPLE = re.compile(r"^(?:[a-záéíóúñ]+(?:ados|adas|idos|idas|ales|ivos|ivas|icos|icas|ores))$")


@dataclass(frozen=True)
class Quantity:
    """A quantity found in a text, with its character span."""

    start: int
    end: int
    text: str
    kind: str  # "money" | "percent" | "count" | "date"
    value: Decimal | None
    unit: str
    description: str
    date: dt.date | None = None
    qualifier: str = ""


def parse_money(number: str, multiplier: str | None = None) -> Decimal:
    """Normalise an amount as written in these reports.

    "139,988.000.00" → 139988000 (two trailing digits are cents, other groups thousands, whatever
    the separator); "662,5" with "millones" → 662500000.

    :raises ValueError: not a number.
    """
    groups = re.split(r"[.,]", number.strip())
    if not all(g.isdigit() for g in groups):
        raise ValueError(f"not an amount: {number!r}")
    scale = {"millones": 10**6, "millon": 10**6, "millón": 10**6, "mil": 10**3, "mil millones": 10**9}
    factor = scale.get(re.sub(r"\s+", " ", multiplier.lower()), 1) if multiplier else 1
    if len(groups) > 1 and (len(groups[-1]) in (1, 2) or (factor > 1 and len(groups[-1]) != 3)):
        whole, fraction = "".join(groups[:-1]), groups[-1]
    else:
        whole, fraction = "".join(groups), "0"
    try:
        value = Decimal(f"{int(whole)}.{fraction}") * factor
    except InvalidOperation as exc:  # pragma: no cover - guarded by isdigit above
        raise ValueError(f"not an amount: {number!r}") from exc
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _clause_before(text: str, start: int, words: int = 5) -> str:
    window = text[max(0, start - 120) : start].rstrip(" (:$Q.").rstrip()
    window = re.sub(r"\b(?:de|del|con|por|en|a)\s*$", "", window).rstrip(" ,(:")
    clause = _CLAUSE.split(window)[-1] if window else ""
    return " ".join(clause.split()[-words:])


def _purpose_after(text: str, end: int, words: int = 5) -> str:
    m = re.match(r"\s*\)?\s*(para|de|del|en)\s+([^.;:()\n]*)", text[end : end + 120])
    return f"{m.group(1)} {' '.join(m.group(2).split()[:words])}".strip(" ,") if m else ""


def _noun_phrase(text: str, noun_start: int, noun: str) -> str:
    """The counted noun, with a "de Xxx" complement or a participle that follows it."""
    rest = text[noun_start + len(noun) : noun_start + len(noun) + 80]
    if m := re.match(rf"\s+(de|del)\s+((?:[A-ZÁÉÍÓÚÑ]{_WORD[1:]}\s?){{1,3}})", rest):
        return f"{noun} {m.group(1)} {m.group(2).strip()}"
    if (m := re.match(rf"\s+({_WORD})", rest)) and _PARTICIPLE.match(m.group(1)):
        return f"{noun} {m.group(1)}"
    return noun


def _preceding_word(text: str, start: int) -> str:
    m = re.search(rf"({_WORD})\.?\s*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser

    settings = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"]}
    return lambda s: dateparser.parse(s, languages=["es"], settings=settings)


def find_quantities(text: str) -> list[Quantity]:
    """Money, percentages, counts (digits or words) and dates in ``text``, in text order."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    for m in _MONEY.finditer(text):
        if m.group("cur") == "$" and not m.group("mult") and "," not in m.group("num"):
            continue
        unit = "USD" if "US" in m.group("cur") or m.group("cur") == "$" else "GTQ"
        value = parse_money(m.group("num"), m.group("mult"))
        what = " ".join(x for x in (_clause_before(text, m.start()), _purpose_after(text, m.end())) if x)
        found.append(Quantity(m.start(), m.end(), m.group(0), "money", value, unit, what or "monto"))
        taken.append((m.start(), m.end()))
    for m in _PERCENT.finditer(text):
        value = Decimal(m.group("num").replace(",", "."))
        after = _purpose_after(text, m.end(), 4)
        what = f"porcentaje {after}" if after else f"porcentaje: {_clause_before(text, m.start(), 4)}".rstrip(": ")
        found.append(Quantity(m.start(), m.end(), m.group(0), "percent", value, "%", what))
        taken.append((m.start(), m.end()))
    for m in _DATE.finditer(text):
        day = m.group("day") or "1"
        parsed = _dateparser()(f"{day} {m.group('month')} {m.group('year')}")
        if parsed:
            found.append(Quantity(m.start(), m.end(), m.group(0), "date", None, "date", "fecha", parsed.date()))
            taken.append((m.start(), m.end()))
    for m in _COUNT.finditer(text):
        noun, number = m.group("noun"), m.group("num")
        if noun.lower() in _NOT_NOUNS or not free(m.start("num"), m.end("num")):
            continue
        if _preceding_word(text, m.start()) in _ID_WORDS:
            continue
        if len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100:
            continue
        value = Decimal(re.sub(r"[.,]", "", number)) * {"mil": 1000, "millones": 10**6}.get(m.group("mult") or "", 1)
        qualifier = (m.group("qual") or "").strip()
        found.append(Quantity(m.start(), m.end(), m.group(0), "count", value, noun.lower(),
                              _noun_phrase(text, m.start("noun"), noun), qualifier=qualifier))
        taken.append((m.start(), m.end()))
    for m in _WORD_COUNT.finditer(text):
        noun = m.group("noun")
        if noun.lower() in _NOT_NOUNS or not free(m.start(), m.end()):
            continue
        value = _words_to_number(m.group("num"))
        if value is not None:
            found.append(Quantity(m.start(), m.end(), m.group(0), "count", Decimal(value), noun.lower(),
                                  _noun_phrase(text, m.start("noun"), noun)))
    return sorted(found, key=lambda q: q.start)


def _words_to_number(words: str) -> int | None:
    from text_to_num import text2num

    try:
        return text2num(words.lower(), "es")
    except ValueError:
        return None
