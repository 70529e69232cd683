"""Place gazetteer: countries and the first-level subdivisions of every country (pycountry, with
their Spanish names; departments where pycountry calls them so) and the municipalities of
``data/places/<cc>_municipalities.csv`` (Guatemala's 340 with INE codes, Colombia's department
capitals with DANE codes), with containment. ``data/places/alt_names.csv`` adds everyday names
pycountry lacks ("El Quiché", "Bogotá, D.C.")."""
from __future__ import annotations

import csv
import gettext
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from ogp_graph.countries import data_files
from ogp_graph.text import name_key, strip_accents

#: pycountry subdivision types that are departments (``ogp:Department``); the others are subdivisions.
DEPARTMENT_TYPES = ("Department",)
#: Languages of the pycountry translations added as alternative names.
NAME_LANGUAGES = ("es",)
#: entity_ruler label of place patterns.
LABEL = "PLACE"


@dataclass(frozen=True)
class Place:
    """A country, department/subdivision or municipality; ``parent`` is the key of its container."""

    key: str
    name: str
    kind: str  # "country" | "department" | "subdivision" | "municipality"
    country: str
    parent: str | None
    iso3166_2: str | None = None
    ine_code: str | None = None
    alt_names: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The name, then the alternative names."""
        return (self.name, *self.alt_names)


def _rows(name: str) -> list[dict[str, str]]:
    with (resources.files("ogp_graph") / "data" / "places" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(names: str) -> list[str]:
    return [n for n in names.split("|") if n]




def _translations(domain: str) -> list[gettext.NullTranslations]:
    return [gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]) for lang in NAME_LANGUAGES]


def _alt_names(name: str, official: Iterable[str], translations, extra: Iterable[str]) -> tuple[str, ...]:
    names = [*official, *(t.gettext(n) for t in translations for n in (name, *official)), *extra]
    return tuple(dict.fromkeys(n for n in names if n and n != name))


def _load() -> Iterator[Place]:
    extra = {r["key"]: _split(r["alt_names"]) for r in _rows("alt_names.csv")}
    countries = _translations("iso3166-1")
    for c in pycountry.countries:
        name = getattr(c, "common_name", c.name)
        official = [n for n in (c.name, getattr(c, "official_name", None)) if n and n != name]
        yield Place(c.alpha_2, name, "country", c.alpha_2, None,
                    alt_names=_alt_names(name, official, countries, extra.get(c.alpha_2, ())))
    subdivisions = _translations("iso3166-2")
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            kind = "department" if s.type in DEPARTMENT_TYPES else "subdivision"
            yield Place(s.code, s.name, kind, s.country_code, s.country_code, s.code,
                        alt_names=_alt_names(s.name, (), subdivisions, extra.get(s.code, ())))
    for country, name in data_files("municipalities"):
        for r in _rows(name):  # GT's codes are INE codes; other files give their own "code"
            code = r.get("ine_code") or r["code"]
            yield Place(f"{country}-M{code}", r["name"], "municipality", country, r["department_iso"],
                        ine_code=r.get("ine_code"), alt_names=tuple(_split(r["alt_names"])))


class PlaceGazetteer:
    """Places by key and by (accent- and case-insensitive) name.

    >>> [p.name for p in PlaceGazetteer.default().ancestors("GT-M0701")]
    ['Sololá', 'Guatemala']
    """

    def __init__(self, places: Iterable[Place]):
        self._by_key = {p.key: p for p in places}
        self._by_name: dict[tuple[str, str], list[Place]] = {}
        for p in self._by_key.values():
            for name in dict.fromkeys(name_key(n) for n in p.names):
                self._by_name.setdefault((p.country, name), []).append(p)
        for p in self._by_key.values():
            if p.parent is not None and p.parent not in self._by_key:
                raise ValueError(f"place {p.key!r} is inside unknown place {p.parent!r}")

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> PlaceGazetteer:
        """Every country and its first-level subdivisions, and the municipalities of the
        ``*_municipalities.csv`` files (built once, then shared)."""
        return cls(_load())

    def get(self, key: str) -> Place:
        """The place ``key`` ("GT", "GT-09", "GT-M0901", "EC-P").

        :raises KeyError: unknown key.
        """
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no place with key {key!r} (keys look like 'GT', 'GT-09', 'GT-M0901')") from None

    def ancestors(self, key: str) -> list[Place]:
        """The places containing ``key``, nearest first, up to its country.

        :raises KeyError: unknown key.
        """
        chain, place = [], self.get(key)
        while place.parent:
            place = self.get(place.parent)
            chain.append(place)
        return chain

    def places(self, country: str | None = None) -> Iterable[Place]:
        """Every place, or those of ``country`` (ISO 3166-1 alpha-2), the country included.

        :raises ValueError: unknown country.
        """
        if country is not None:
            self._check_country(country)
        return (p for p in self._by_key.values() if country is None or p.country == country)

    def candidates(self, name: str, country: str) -> list[Place]:
        """Places of ``country`` called ``name`` (any case, with or without accents).

        :raises ValueError: unknown country.
        """
        self._check_country(country)
        return list(self._by_name.get((country, name_key(name)), []))

    def patterns(self, country: str) -> list[dict]:
        """spaCy ``entity_ruler`` phrase patterns (label PLACE, ``id`` = the folded name, which
        ``candidates`` resolves) for every name of ``country``'s places. Meant for matching on
        LOWER, which keeps accents: each name comes as written and without accents.

        :raises ValueError: unknown country.
        """
        seen: dict[str, dict] = {}
        for place in self.places(country):
            for name in place.names:
                for variant in (name, strip_accents(name)):
                    seen.setdefault(variant.lower(), {"label": LABEL, "pattern": variant, "id": name_key(name)})
        return list(seen.values())

    def knows(self, country: str) -> bool:
        """Whether ``country`` is a country of the gazetteer."""
        place = self._by_key.get(country)
        return place is not None and place.kind == "country"

    def _check_country(self, country: str) -> None:
        place = self._by_key.get(country)
        if place is None or place.kind != "country":
            raise ValueError(f"unknown country {country!r}: expected an ISO 3166-1 alpha-2 code such as 'GT'")
