"""Country knowledge, all of it from one data file, ``data/countries.json``.

Each entry holds a country's ISO 3166-1 code, its name and its names in es/en/pt/fr, demonyms,
colloquial ``aliases`` (how people type it in a question: "guate", "eeuu"), languages, currency,
CLDR locale, well-known places, and ``data``: which gazetteer files apply to it
(``institutions`` in ``data/institutions``, ``laws`` in ``data/laws``, ``municipalities`` in
``data/places``). A country missing from the file is still known by pycountry and Babel; nothing in
the code names a country.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pycountry
from babel import Locale, UnknownLocaleError

UNKNOWN_COUNTRY = "ZZ"  # ISO 3166 user-assigned code: "unknown or unspecified country"
DEFAULT_LANGUAGE = "es"


@dataclass(frozen=True)
class Country:
    """One country's facts, as ``data/countries.json`` records them."""

    iso: str
    name: str
    names: dict[str, str]
    demonyms: tuple[str, ...]
    languages: tuple[str, ...]
    currency: str
    locale: str
    places: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    data: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """The countries of ``data/countries.json`` by ISO code."""
    rows = json.loads((resources.files("ogp_graph") / "data" / "countries.json").read_text(encoding="utf-8"))
    return {r["iso"]: Country(r["iso"], r["name"], r["names"], tuple(r["demonyms"]), tuple(r["languages"]),
                              r["currency"], r["locale"], tuple(r["places"]), tuple(r.get("aliases", ())),
                              dict(r.get("data", {}))) for r in rows}


def data_files(kind: str) -> list[tuple[str, str]]:
    """(country, file name) of every gazetteer file of ``kind`` ("institutions", "laws",
    "municipalities") that ``data/countries.json`` assigns, in country order."""
    return [(c.iso, c.data[kind]) for c in countries().values() if kind in c.data]


def country_name(code: str) -> str:
    """The English name of ``code`` ("Unknown country" for ``UNKNOWN_COUNTRY``)."""
    if code in countries():
        return countries()[code].names.get("en", countries()[code].name)
    found = pycountry.countries.get(alpha_2=code)
    return found.name if found else "Unknown country"


@lru_cache(maxsize=256)
def country_locale(country: str | None, language: str | None = None) -> Locale:
    """How ``country`` writes numbers for a reader of ``language``: ``language`` as spoken in
    ``country`` when CLDR knows it ("es" + "EC" → es_EC), else plain ``language``; with no language,
    the country's locale from the data file, else CLDR's likely locale for the territory; else
    ``DEFAULT_LANGUAGE``."""
    tried = [f"{language}_{country}" if language and country else None, language,
             countries()[country].locale if country in countries() else None,
             f"und_{country}" if country and country != UNKNOWN_COUNTRY else None, DEFAULT_LANGUAGE]
    for name in filter(None, tried):
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(DEFAULT_LANGUAGE)
