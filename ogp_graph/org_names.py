"""Organisation names recognised from their shape, in any country: a head word ("Ministerio",
"Department", "Prefeitura"…) followed by capitalised words and connectors ("de", "del", "of",
"the", "do"…), or capitalised words ending with a tail word ("… Agency", "… Foundation").
The words live in ``data/institutions/lexicon.json`` per language.

>>> [n.text for n in find_org_names("La Secretaría de Transparencia y el Ministerio de Justicia y del Derecho.")]
['Secretaría de Transparencia', 'Ministerio de Justicia y del Derecho']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ogp_graph.institutions import lexicon
from ogp_graph.text import name_key

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’]|[.](?=\w)|-(?=[^\W\d_A-ZÁÉÍÓÚÑ]))*")
_GAP = re.compile(r"[^\S\n]*\n?[^\S\n]*")  # spaces with at most one line break: a name may wrap, not a paragraph
_MAX_WORDS = 14


@dataclass(frozen=True)
class OrgName:
    """A span of text shaped like an organisation name."""

    start: int
    end: int
    text: str


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def find_org_names(text: str, *languages: str) -> list[OrgName]:
    """Every organisation-shaped name in ``text``, in order, not overlapping; names in capitals
    throughout (headings) and single words are left out. ``languages`` picks the lexicon sections
    (default: all).

    :raises TypeError: ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, not {type(text).__name__}")
    words = lexicon(*languages)
    heads, tails, connectors, joiners = words["heads"], words["tails"], words["connectors"], words["joiners"]
    articles = words["articles"]
    tokens = list(_TOKEN.finditer(text))
    folded = [name_key(t.group(0)) for t in tokens]

    def joined(i: int) -> bool:
        """Tokens i and i+1 are separated by spaces only; across a line break, not when the next
        line opens with an acronym or a "Term:" (an abbreviation list)."""
        if i + 1 >= len(tokens):
            return False
        gap = _GAP.fullmatch(text, tokens[i].end(), tokens[i + 1].start())
        if gap is None:
            return False
        nxt = tokens[i + 1]
        return "\n" not in gap.group(0) or not (nxt.group(0).isupper() or text.startswith(":", nxt.end()))

    def extend(i: int) -> int:
        """Index of the last word of the name whose word ``i`` is capitalised."""
        last, j = i, i
        while j + 1 < len(tokens) and joined(j) and j + 1 - i < _MAX_WORDS:
            nxt = tokens[j + 1].group(0)
            if len(nxt) > 1 and nxt.isupper() and not tokens[i].group(0).isupper():
                break  # an acronym after the name: "Instituto de Administración Pública INAP"
            if _capitalised(nxt) and folded[j + 1] not in connectors:
                if folded[j + 1] in heads:
                    break  # "Corporación Excelencia en la Justicia Corporación Somos Más": a second name
                last = j = j + 1
                continue
            k = j + 1  # a run of connectors, then a capitalised word
            while k < len(tokens) and folded[k] in connectors and joined(k) \
                    and (not _capitalised(tokens[k].group(0)) or folded[k] in joiners):
                k += 1
            run = folded[j + 1 : k]
            if k == j + 1 or k >= len(tokens) or not _capitalised(tokens[k].group(0)):
                break
            if run[0] in joiners and (folded[k] in heads or articles.intersection(run[1:])):
                break  # "… y Ministerio de …", "… and the National Archives": a second name
            last = j = k
        return last

    found: list[OrgName] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].group(0)
        start, by_head = None, False
        if _capitalised(word) and folded[i] in heads:
            start = i
            by_head = folded[i] not in words["heads_before_connector"] or (
                joined(i) and folded[i + 1] in connectors - joiners)  # "Department of …", not "Agency Goals"
            start = i if by_head else None
        if start is None and _capitalised(word) and folded[i] in tails:
            start = i  # walk back over capitalised words, and over a joiner between two words
            while start > 0 and i - start < _MAX_WORDS and joined(start - 1):
                before = start - 1
                if folded[before] in joiners and before > 0 and joined(before - 1) \
                        and _capitalised(tokens[before - 1].group(0)) and folded[before - 1] not in connectors \
                        and not tokens[before - 1].group(0).isupper():
                    start = before - 1
                elif _capitalised(tokens[before].group(0)) and folded[before] not in connectors:
                    start = before
                else:
                    break
        if start is None:
            i += 1
            continue
        end = extend(i) if by_head else i
        if end > start:
            name = text[tokens[start].start() : tokens[end].end()]
            if not name.isupper():
                found.append(OrgName(tokens[start].start(), tokens[end].end(), name))
        i = end + 1
    return found
