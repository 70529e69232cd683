"""The source view: a document's cleaned text with every mention marked (as spaCy's displaCy
entity view does), each mark a link to its entity, plus anchors where commitments start and an
optional focused span (a sentence an answer or a search hit points to)."""
from __future__ import annotations

from markupsafe import Markup, escape


def _non_overlapping(marks: list[dict]) -> list[dict]:
    """Marks sorted by start; of overlapping marks the longer (then the earlier) one stays."""
    kept: list[dict] = []
    for m in sorted(marks, key=lambda m: (-(m["end"] - m["begin"]), m["begin"])):
        if m["end"] > m["begin"] and all(m["end"] <= k["begin"] or m["begin"] >= k["end"] for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m["begin"])


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
    events: list[tuple[int, int, Markup]] = []  # (position, order at that position, html)
    for a in anchors:
        events.append((a["begin"], 0, Markup('<a class="anchor" id="commitment-{n}" href="{h}">{label} {n}</a>')
                       .format(n=a["number"] or "", h=a["href"] or "#", label=anchor_label)))
    if focus:
        events.append((focus[0], 1, Markup('<mark class="focus" id="char={},{}">').format(*focus)))
        events.append((focus[1], -1, Markup("</mark>")))
    for m in marks:
        events.append((m["begin"], 2, Markup('<a class="ent ent-{k}" id="char={b},{e}" href="{h}" title="{t}">')
                       .format(k=m["kind"], b=m["begin"], e=m["end"], h=m["href"] or "#", t=m["title"])))
        events.append((m["end"], -2, Markup('<span class="ent-label">{}</span></a>').format(mark_label[m["kind"]])))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    out, position = [], 0
    for at, _, html in events:
        out.append(escape(text[position:at]))
        out.append(html)
        position = at
    out.append(escape(text[position:]))
    return Markup("").join(out)
