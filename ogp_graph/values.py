"""The four OGP values a commitment concerns, by keyword rules (Spanish and English) kept as data
in ``data/ogp_values.csv``; each tag keeps the words that triggered it as its provenance."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class ValueMatch:
    value: str  # local name of the concept in ogp:OGPValues, e.g. "AccessToInformation"
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _rules() -> dict[str, re.Pattern[str]]:
    with (resources.files("ogp_graph") / "data" / "ogp_values.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    alternatives: dict[str, list[str]] = {}
    for row in rows:
        alternatives.setdefault(row["value"], []).append(f"(?:{row['pattern']})")
    return {value: re.compile("|".join(parts), re.IGNORECASE) for value, parts in alternatives.items()}


def ogp_values(text: str, offset: int = 0) -> list[ValueMatch]:
    """The first match of each OGP value in ``text`` (spans shifted by ``offset``)."""
    found = []
    for value, pattern in _rules().items():
        if m := pattern.search(text):
            found.append(ValueMatch(value, offset + m.start(), offset + m.end(), m.group(0)))
    return found
