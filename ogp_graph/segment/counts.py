"""The number of commitments a document states itself ("los 19 compromisos", "twenty-six commitments")."""
from __future__ import annotations

import re
from collections import Counter

from text_to_num import text2num

from ogp_graph.segment.cues import cues

_LANGUAGES = ("es", "en", "pt", "fr")
_WORDS_BEFORE = re.compile(r"(\S+)\s+(\S+)?\s*(\S+)?\s*(\S+)?\s*$")


def _number(token: str) -> int | None:
    token = token.strip("()“”\"'.,;:").lower()
    if token.isdigit():
        return int(token) if 0 < int(token) < 500 else None
    for lang in _LANGUAGES:
        try:
            return text2num(token, lang)
        except ValueError:
            continue
    return None


def stated_count(text: str) -> int | None:
    """The largest commitment count the text states (parts of a plan are counted too: "five
    FOIA commitments"), if any: the nearest number (digits or words) within four words before
    "compromisos"/"commitments"."""
    counts: Counter[int] = Counter()
    for m in cues().commitment_plural.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()].split()[-4:]
        for token in reversed(before):
            if token.endswith((".", ";", ":", ")")):
                break  # another sentence, or a section number ("4. Compromisos")
            if (n := _number(token)) is not None and n > 1:
                counts[n] += 1
                break
            if token[:1].isdigit():
                break  # a number that is not a count ("2015")
    return max(counts) if counts else None
