"""Place gazetteer: countries and first-level subdivisions (pycountry) and Guatemala's
municipalities (``data/places/gt_municipalities.csv``, INE codes), with containment."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from ogp_graph.institutions import fold

#: Countries whose first-level subdivisions are loaded from pycountry.
SUBDIVISION_COUNTRIES = ("GT", "EC", "US")
#: Everyday names pycountry lacks.
COUNTRY_ALIASES = {"US": ("Estados Unidos", "EE.UU.", "U.S.")}


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


def _data(name: str) -> list[dict]:
    with (resources.files("ogp_graph") / "data" / "places" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class PlaceGazetteer:
    """Places by key and by (accent- and case-insensitive) name."""

    def __init__(self, places: Iterable[Place]):
        self._by_key = {p.key: p for p in places}
        self._by_name: dict[tuple[str, str], list[Place]] = {}
        for p in self._by_key.values():
            for name in {p.name, *p.alt_names}:
                self._by_name.setdefault((p.country, fold(name)), []).append(p)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> PlaceGazetteer:
        """Every country, the subdivisions of GT, EC and US, and Guatemala's 340 municipalities."""
        places = [
            Place(c.alpha_2, getattr(c, "common_name", c.name), "country", c.alpha_2, None,
                  alt_names=COUNTRY_ALIASES.get(c.alpha_2, ()))
            for c in pycountry.countries
        ]
        dept_alts = {r["iso3166_2"]: tuple(r["alt_names"].split("|")) for r in _data("gt_departments.csv")}
        for country in SUBDIVISION_COUNTRIES:
            for s in pycountry.subdivisions.get(country_code=country):
                if s.parent_code is None:
                    kind = "department" if country == "GT" else "subdivision"
                    places.append(Place(s.code, s.name, kind, country, country, s.code, None, dept_alts.get(s.code, ())))
        places += [
            Place(f"GT-M{r['ine_code']}", r["name"], "municipality", "GT", r["department_iso"], None, r["ine_code"],
                  tuple(a for a in r["alt_names"].split("|") if a))
            for r in _data("gt_municipalities.csv")
        ]
        return cls(places)

    def get(self, key: str) -> Place:
        """The place ``key`` ("GT", "GT-09", "GT-M0901", "EC-P").

        :raises KeyError: unknown key.
        """
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no place with key {key!r}") from None

    def ancestors(self, key: str) -> list[Place]:
        """The places containing ``key``, nearest first, up to its country."""
        chain, place = [], self.get(key)
        while place.parent:
            place = self.get(place.parent)
            chain.append(place)
        return chain

    def places(self, country: str | None = None) -> Iterable[Place]:
        return (p for p in self._by_key.values() if country is None or p.country == country)

    def candidates(self, name: str, country: str) -> list[Place]:
        """Places of ``country`` called ``name`` (any case, with or without accents)."""
        return list(self._by_name.get((country, fold(name)), []))

    def names(self, country: str) -> set[str]:
        """Every name and alternative name of ``country``'s places (the country's own included)."""
        return {n for p in self.places(country) for n in (p.name, *p.alt_names)}
