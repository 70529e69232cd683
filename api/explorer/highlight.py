"""The source view: a document's cleaned text with every mention marked (as spaCy's displaCy
entity view does), each mark a link to its entity, plus anchors where commitments start and an
optional focused span (a sentence an answer or a search hit points to)."""
from __future__ import annotations

import bisect

from markupsafe import Markup, escape


def _non_overlapping(marks: list[dict]) -> list[dict]:
    """Marks sorted by start; of overlapping marks the longer (then the earlier) one stays."""
    starts: list[int] = []
    kept: list[dict] = []
    for m in sorted(marks, key=lambda m: (-(m["end"] - m["begin"]), m["begin"])):
        i = bisect.bisect_right(starts, m["begin"])
        if m["end"] > m["begin"] and (i == 0 or kept[i - 1]["end"] <= m["begin"]) \
                and (i == len(kept) or kept[i]["begin"] >= m["end"]):
            starts.insert(i, m["begin"])
            kept.insert(i, m)
    return kept


def render(text: str, marks: list[dict], *, anchors: list[dict] = (), focus: tuple[int, int] | None = None,
           mark_label: dict[str, str], anchor_label: str) -> Markup:
    """HTML of ``text`` with ``marks`` ({begin, end, href, kind, title}) as links carrying the
    mention's ``id="char=b,e"``, ``anchors`` ({begin, href, number}) as commitment badges, and
    ``focus`` (begin, end) wrapped in ``<mark id="char=b,e">``, widened so that no mark is cut."""
    marks = _non_overlapping(marks)
    if focus:
        b, e = max(0, focus[0]), min(len(text), focus[1])
        for m in marks:
            if m["begin"] < b < m["end"]:
                b = m["begin"]
            if m["begin"] < e < m["end"]:
                e = m["end"]
        focus = (b, e) if e > b else None
    events: list[tuple[int, int, str]] = []  # (position, order at that position, html)
    for a in anchors:
        events.append((a["begin"], 0, f'<a class="anchor" id="commitment-{escape(a["number"] or "")}" '
                                      f'href="{escape(a["href"] or "#")}">{escape(anchor_label)} {escape(a["number"] or "")}</a>'))
    if focus:
        events.append((focus[0], 1, f'<mark class="focus" id="char={focus[0]},{focus[1]}">'))
        events.append((focus[1], -1, "</mark>"))
    for m in marks:
        events.append((m["begin"], 2, f'<a class="ent ent-{escape(m["kind"])}" id="char={m["begin"]},{m["end"]}" '
                                      f'href="{escape(m["href"] or "#")}" title="{escape(m["title"])}">'))
        events.append((m["end"], -2, f'<span class="ent-label">{escape(mark_label[m["kind"]])}</span></a>'))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    out, position = [], 0
    for at, _, tag in events:
        out.append(escape(text[position:at]))
        out.append(tag)
        position = at
    out.append(escape(text[position:]))
    return Markup("".join(out))
