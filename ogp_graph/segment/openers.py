"""The general finder: commitments opened by a line that carries their number.

Every line that looks like an opener ("Compromiso Nro. 3: …", "Commitment 3", "3. Title",
"3) Title", "3 - Title") is a candidate, scored by its cues (a commitment word, bold, heading,
upper or title case, a field label right after it, a table-of-contents entry with the same
title); the best consistent sequence is kept — numbers increasing by one, restarting at 1
under a new theme heading. Table-of-contents lines (dotted leaders and a page number) are
never commitments; their titles complete titles that wrap over several lines in the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ogp_graph.readers import Block, Document
from ogp_graph.segment.cues import cues, field_label, responsible_label
from ogp_graph.segment.text import (
    CommitmentText, Span, clean_title, continues, is_titleish, is_trailer, span_of, title_case, upper_ratio,
)
from ogp_graph.text import word_fold

_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{1,4}\s*$")
_PAGE_NUMBER_END = re.compile(r"\D\s\d{1,3}\s*$")
_MIN_BODY = 120  # characters between two commitment openers
_MAX_TITLE = 260
_RESTART_COST = 1.0


@dataclass(frozen=True)
class _Candidate:
    index: int  # block index
    number: int
    rest: str  # the text after the number on the opener line
    keyword: bool  # opened by a commitment word
    strength: float


def toc_titles(doc: Document) -> list[tuple[str, Span]]:
    """The numbered entries of a table of contents ("3. Title ....... 12"): title and its span."""
    found = []
    for block in doc.blocks:
        text = doc.block_text(block)
        if _TOC_LINE.search(text) and (m := cues().numbered.match(text) or cues().opener.match(text)):
            title = clean_title(_TOC_LINE.sub("", m.group("rest")))
            found.append((title, (block.start + m.start("rest"), block.start + m.start("rest") + len(title))))
    return found


def _body_size(doc: Document) -> float | None:
    """The median font size of the document's blocks (PDF), if known."""
    sizes = sorted(b.size for b in doc.blocks if b.size)
    return sizes[len(sizes) // 2] if sizes else None


def _strength(doc: Document, i: int, rest: str, keyword: bool, toc: set[str], body_size: float | None) -> float:
    block = doc.blocks[i]
    score = 2.0 if keyword else 0.0
    score += 1.0 if block.bold or block.heading else 0.0
    score += 0.5 if body_size and block.size and block.size > body_size * 1.1 else 0.0
    if rest:
        score += 1.0 if upper_ratio(rest) > 0.8 or title_case(rest) else -1.0
        score -= 1.5 if len(rest) > 150 and rest.rstrip().endswith(".") else 0.0
        score += 1.5 if word_fold(rest) and any(t.startswith(word_fold(rest)) for t in toc) else 0.0
    for nxt in doc.blocks[i + 1 : i + 4]:
        if field_label(doc.block_text(nxt)) is not None:
            score += 1.5
            break
    return score


def _is_toc(doc: Document, i: int) -> bool:
    """A contents line: dotted leaders, or a page number ending it and its neighbours."""
    text = doc.block_text(doc.blocks[i])
    if _TOC_LINE.search(text):
        return True
    near = [doc.block_text(b) for b in doc.blocks[max(0, i - 1) : i + 2]]
    entry = bool(_PAGE_NUMBER_END.search(text)) and len(text.split()) >= 3  # "Title words 12", not "Commitment 1"
    return entry and sum(bool(_PAGE_NUMBER_END.search(t)) for t in near) >= 2


def _candidates(doc: Document, toc: set[str]) -> list[_Candidate]:
    found = []
    for i, block in enumerate(doc.blocks):
        text = doc.block_text(block)
        if cues().sub_item.match(text) or _is_toc(doc, i):
            continue
        keyword = cues().opener.match(text)
        m = keyword or cues().numbered.match(text)
        if not m or len(m.group("rest")) > _MAX_TITLE:
            continue
        rest = m.group("rest").strip()
        if rest and not (rest[0].isupper() or rest[0] in "“\"¿¡'("):
            continue
        found.append((i, m, bool(keyword)))
    result = []
    body_size = _body_size(doc)
    for k, (i, m, keyword) in enumerate(found):  # list items follow each other closely; openers do not
        nxt = found[k + 1][0] if k + 1 < len(found) else len(doc.blocks)
        gap = doc.blocks[nxt - 1].end - doc.blocks[i].end
        strength = _strength(doc, i, m.group("rest").strip(), keyword, toc, body_size) + (0.5 if gap >= _MIN_BODY else -1.5)
        if strength > 0.5:
            result.append(_Candidate(i, int(m.group("n")), m.group("rest").strip(), keyword, strength))
    return result


def _best_sequence(cands: list[_Candidate]) -> list[_Candidate]:
    """The highest-scoring chain n, n+1, … (restarting at 1, at a cost) in document order."""
    best: list[float] = []
    back: list[int | None] = []
    for i, c in enumerate(cands):
        score, prev = (c.strength - _RESTART_COST, None) if c.number == 1 else (float("-inf"), None)
        for j in range(i):
            if cands[j].number == c.number - 1 and best[j] + c.strength > score:
                score, prev = best[j] + c.strength, j
            elif c.number == 1 and cands[j].number > 1 and best[j] + c.strength - _RESTART_COST > score:
                score, prev = best[j] + c.strength - _RESTART_COST, j
        best.append(score)
        back.append(prev)
    if not cands or max(best) == float("-inf"):
        return []
    k: int | None = max(range(len(cands)), key=best.__getitem__)
    chain = []
    while k is not None:
        chain.append(cands[k])
        k = back[k]
    return chain[::-1]


def _theme_key(heading: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_]+", heading) if w[0].isupper()]
    return "".join(w[0] for w in words[-3:]).upper() or "T"


class Openers:
    """Commitments opened by a numbered line (see the module docstring)."""

    name = "numbered-openers"

    def segment(self, doc: Document) -> list[CommitmentText]:
        """The commitments of ``doc``, one per opener line of the best numbered sequence (none below two)."""
        entries = toc_titles(doc)
        toc = [t for t, _ in entries]
        folded_toc = {word_fold(t) for t in toc}
        cands = _candidates(doc, folded_toc)
        chains = [_best_sequence([c for c in cands if c.keyword == kind]) for kind in (True, False)]
        chain = max(chains, key=lambda ch: sum(c.strength for c in ch))
        if len(chain) < 2:
            return []
        themes = self._themes(doc, chain)
        result = []
        for k, c in enumerate(chain):
            stop = (themes[k + 1][2] or chain[k + 1].index) if k + 1 < len(chain) else len(doc.blocks)
            found = self._commitment(doc, k + 1, c, stop, themes[k][:2], toc)
            if not found.title and len(entries) == len(chain):  # the title only in the contents
                found = replace(found, title=entries[k][0], title_spans=(entries[k][1],))
            result.append(found)
        return result

    @staticmethod
    def _heading_before(doc: Document, index: int, floor: int) -> int | None:
        """The first block index of a stand-alone heading (up to three lines) right before block
        ``index``, if any."""
        def headingish(i: int) -> bool:
            text = doc.block_text(doc.blocks[i])
            return ((is_titleish(text, doc.blocks[i]) or title_case(text)) and len(text) < 150
                    and not text.rstrip().endswith((".", ";", ",")) and field_label(text) is None and not _is_toc(doc, i))

        def gap(i: int) -> str:  # the text between block i - 1 and block i
            return doc.text[doc.blocks[i - 1].end : doc.blocks[i].start] if i > 0 else "\n\n"

        last = index - 1
        if last <= floor or not headingish(last):
            return None
        first = last
        while first - 1 > floor and last - first < 2 and "\n\n" not in gap(first) and headingish(first - 1):
            first -= 1
        alone = "\n\n" in gap(first) or doc.blocks[first - 1].page != doc.blocks[first].page
        return first if alone else None

    def _themes(self, doc: Document, chain: list[_Candidate]) -> list[tuple[str | None, str, int | None]]:
        """(theme heading, label, index of the heading block) per commitment; labels carry the
        theme key where numbering restarts."""
        restarts = sum(c.number == 1 for c in chain) > 1
        out, theme, key = [], None, ""
        previous = 0
        for c in chain:
            head = self._heading_before(doc, c.index, previous)
            if head is not None:
                theme = clean_title(doc.text[doc.blocks[head].start : doc.blocks[c.index - 1].end])
            elif c.number == 1:
                heads = [doc.block_text(b) for b in doc.blocks[previous : c.index]
                         if is_titleish(doc.block_text(b), b) or title_case(doc.block_text(b))]
                theme = clean_title(heads[-1]) if heads else theme
            if c.number == 1:
                key = _theme_key(theme or "")
            out.append((theme, f"{key}-{c.number}" if restarts else str(c.number), head))
            previous = c.index + 1
        return out

    def _commitment(self, doc: Document, number: int, c: _Candidate, stop: int, theme, toc: list[str]) -> CommitmentText:
        blocks = doc.blocks[c.index + 1 : stop]
        opener = doc.blocks[c.index]
        rest_start = opener.start + doc.block_text(opener).find(c.rest) if c.rest else opener.end
        title_spans: list[Span] = [(rest_start, opener.end)] if c.rest else []
        line = c.rest
        k = 0
        if not c.rest and blocks and is_titleish(doc.block_text(blocks[0]), blocks[0]):
            title_spans.append((blocks[0].start, blocks[0].end))
            line, k = doc.block_text(blocks[0]), 1
        title = line
        target = next((t for t in toc if title and word_fold(t).startswith(word_fold(title)) and len(word_fold(t)) > len(word_fold(title))),
                      None)
        while k < len(blocks) and len(title) < _MAX_TITLE:
            nxt = doc.block_text(blocks[k]).strip()
            previous = doc.blocks[c.index + k]
            adjacent = previous.page != blocks[k].page or doc.text[previous.end : blocks[k].start].count("\n") <= 1
            by_toc = target is not None and word_fold(target).startswith(word_fold(f"{title} {nxt}"))
            if not adjacent or not (by_toc or continues(line, nxt) or self._tail(doc, line, nxt, blocks, k)):
                break
            title_spans.append((blocks[k].start, blocks[k].end))
            title, line, k = f"{title} {nxt}", nxt, k + 1
        responsible, responsible_span, body = self._fields(doc, blocks[k:])
        end = body[-1].end if body else (title_spans[-1][1] if title_spans else opener.end)
        theme_name, label = theme
        return CommitmentText(
            number=number, title=clean_title(title), title_spans=tuple(title_spans), responsible=responsible,
            responsible_span=responsible_span, body_spans=span_of(doc, body), start=opener.start,
            end=max(end, responsible_span[1] if responsible_span else end), layout=self.name, label=label,
            theme=theme_name,
        )

    @staticmethod
    def _tail(doc: Document, line: str, nxt: str, blocks, k: int) -> bool:
        """A short title-case last line of a wrapped title ("…of the American" / "Public"),
        right before a field label or a blank line."""
        if not (title_case(line) and title_case(nxt) and len(nxt.split()) <= 3) or line.rstrip().endswith((".", ":")):
            return False
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        return after is None or field_label(doc.block_text(after)) is not None or "\n\n" in doc.text[blocks[k].end : after.start]

    @staticmethod
    def _fields(doc: Document, blocks) -> tuple[tuple[str, ...], Span | None, list[Block]]:
        """The responsible field (its value possibly continued on the next lines) and the body."""
        responsible: tuple[str, ...] = ()
        span: Span | None = None
        body: list[Block] = []
        k = 0
        while k < len(blocks):
            block = blocks[k]
            text = doc.block_text(block)
            if is_trailer(text, block):
                break
            at = responsible_label(text) if span is None else None
            if at is None:
                body.append(block)
                k += 1
                continue
            start, end = block.start + at, block.end
            k += 1
            while k < len(blocks) and field_label(doc.block_text(blocks[k])) is None and (
                    end == block.start + at or doc.text[end : blocks[k].start].count("\n") <= 1 and _open_value(doc.text[start:end])):
                end = blocks[k].end
                k += 1
            value = re.sub(r"\s+", " ", doc.text[start:end]).strip().rstrip(".")
            if value:
                responsible, span = (value,), (start, end)
        return responsible, span, body


def _open_value(value: str) -> bool:
    """True while a responsible value visibly goes on (no final period)."""
    return not value.rstrip().endswith(".")

