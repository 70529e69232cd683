"""Layouts whose commitments are anchored on document structure rather than on an opener line:
 - ``NumberedBlocks``: a bold block holding only the number opens each commitment (table
   rows of self-assessments), then its title, a responsible field and the progress text;
 - ``FormSheets``: one sheet per commitment anchored on its start/end date line, title above
   it, the responsible field below;
 - ``HeadingSections``: markdown/HTML headings, one per commitment, under theme headings;
 - ``QuotedStatements``: summary pages that quote each commitment once in a sentence.
"""
from __future__ import annotations

import re

from ogp_graph.readers import Block, Document
from ogp_graph.segment.cues import cues, responsible_label
from ogp_graph.segment.text import CommitmentText, Span, clean_title, is_titleish, is_trailer, span_of, title_of

_NUMBER = re.compile(r"^\s*(?:compromiso|commitment|compromisso|engagement)?\s*(\d{1,3})\s*[.):-]?\s*$", re.IGNORECASE)
_SHEET_ANCHOR = re.compile(
    r"^\s*(?:fecha de inicio y t[ée]rmino del compromiso|commitment start and end date)\b", re.IGNORECASE
)
_SHEET_RESPONSIBLE = re.compile(
    r"(?:instituci[oó]n o actor\s+responsable de la\s+implementaci[oó]n|lead implementing agency)\s*\n"
    r"(?P<value>.*?)\n\s*(?:descripci[oó]n del compromiso|commitment description)\b",
    re.IGNORECASE | re.DOTALL,
)
_CONNECTOR_END = re.compile(
    r"\b(?:de|del|la|las|los|el|y|e|para|en|con|por|a|al|of|the|and|for|to|in|on|with)\s*$", re.IGNORECASE
)


class NumberedBlocks:
    """Commitments opened by a bold block holding only their number (1, 2, 3 … in order)."""

    name = "numbered-blocks"

    def segment(self, doc: Document) -> list[CommitmentText]:
        """The commitments of ``doc``, one per bold block holding the next number (1, 2, 3 … in order)."""
        starts: list[tuple[int, int]] = []  # (block index, number)
        for i, block in enumerate(doc.blocks):
            m = _NUMBER.match(doc.block_text(block))
            if m and (block.bold or block.heading) and int(m.group(1)) == len(starts) + 1:
                starts.append((i, int(m.group(1))))
        result = []
        for k, (i, number) in enumerate(starts):
            stop = starts[k + 1][0] if k + 1 < len(starts) else len(doc.blocks)
            result.append(self._commitment(doc, number, doc.blocks[i], doc.blocks[i + 1 : stop]))
        return result

    def _commitment(self, doc: Document, number: int, opener: Block, blocks) -> CommitmentText:
        title: list[Block] = []
        body: list[Block] = []
        responsible: list[str] = []
        responsible_span: Span | None = None
        end = opener.end
        for block in blocks:
            text = doc.block_text(block)
            if is_trailer(text, block):
                break
            end = block.end
            at = responsible_label(text)
            if at is not None and responsible_span is None:
                responsible.append(text[at:].strip())
                responsible_span = (block.start + at, block.end)
            elif responsible_span is None and is_titleish(text, block):
                title.append(block)
            else:
                body.append(block)
        title_spans = span_of(doc, title)
        return CommitmentText(
            number=number, title=title_of(doc, title_spans), title_spans=title_spans,
            responsible=tuple(responsible), responsible_span=responsible_span, body_spans=span_of(doc, body),
            start=opener.start, end=end, layout=self.name,
        )


class FormSheets:
    """One sheet per commitment, anchored on its "start and end date" line."""

    name = "form-sheets"

    def segment(self, doc: Document) -> list[CommitmentText]:
        """The commitments of ``doc``, one per sheet anchored on its start/end date line."""
        anchors = [i for i, b in enumerate(doc.blocks) if _SHEET_ANCHOR.match(doc.block_text(b))]
        heads = [self._head(doc, i) for i in anchors]
        result = []
        for k, i in enumerate(anchors):
            stop = heads[k + 1][0] if k + 1 < len(anchors) else len(doc.blocks)
            blocks = list(doc.blocks[i:stop])
            for j, block in enumerate(blocks):
                if is_trailer(doc.block_text(block), block):
                    blocks = blocks[:j]
                    break
            result.append(self._commitment(doc, k + 1, heads[k][1], blocks))
        return result

    @staticmethod
    def _head(doc: Document, anchor: int) -> tuple[int, list[Block]]:
        """Where the sheet's head starts, and its title: the lines right above the anchor
        (no blank line, no sentence end between them), less a leading theme line."""
        first = anchor
        nxt = doc.blocks[anchor]
        while first > 0 and anchor - first < 6:
            block = doc.blocks[first - 1]
            if doc.text[block.end : nxt.start] != "\n" or doc.block_text(block).rstrip().endswith((".", ":")):
                break
            first, nxt = first - 1, block
        lines = list(doc.blocks[first:anchor])
        if len(lines) >= 2:
            theme, second = doc.block_text(lines[0]), doc.block_text(lines[1])
            if len(theme) < 50 and second[:1].isupper() and not _CONNECTOR_END.search(theme):
                lines = lines[1:]
        return first, lines

    def _commitment(self, doc: Document, number: int, title: list[Block], blocks: list[Block]) -> CommitmentText:
        start, end = (title or blocks)[0].start, blocks[-1].end
        sheet = doc.text[blocks[0].start : end]
        responsible: tuple[str, ...] = ()
        responsible_span = None
        body_start = blocks[0].start
        if m := _SHEET_RESPONSIBLE.search(sheet):
            value = m.group("value")
            responsible = tuple(ln.strip() for ln in value.split("\n") if ln.strip())
            offset = blocks[0].start + m.start("value")
            responsible_span = (offset + len(value) - len(value.lstrip()), offset + len(value.rstrip()))
            body_start = blocks[0].start + m.end("value")
        body = [b for b in blocks if b.start >= body_start]
        title_spans = span_of(doc, title)
        return CommitmentText(
            number=number, title=title_of(doc, title_spans), title_spans=title_spans,
            responsible=responsible, responsible_span=responsible_span, body_spans=span_of(doc, body),
            start=start, end=end, layout=self.name,
        )


class HeadingSections:
    """Markdown/HTML documents where each commitment is a heading one level below its theme's."""

    name = "heading-sections"
    min_commitments = 3

    def segment(self, doc: Document) -> list[CommitmentText]:
        """The commitments of ``doc``, one per heading of the commitment level; none with fewer than
        ``min_commitments``."""
        levels = [b.heading for b in doc.blocks if b.heading]
        level = max((lv for lv in set(levels) if lv > 1 and levels.count(lv) >= self.min_commitments
                     and (lv - 1) in levels), default=None)
        if level is None:
            return []
        heads = [i for i, b in enumerate(doc.blocks) if b.heading == level]
        result = []
        for number, i in enumerate(heads, start=1):
            body: list[Block] = []
            for block in doc.blocks[i + 1 :]:
                if 0 < block.heading <= level or is_trailer(doc.block_text(block), block):
                    break
                body.append(block)
            head = doc.blocks[i]
            result.append(CommitmentText(
                number=number, title=doc.block_text(head).strip(), title_spans=((head.start, head.end),),
                responsible=(), responsible_span=None, body_spans=span_of(doc, body),
                start=head.start, end=body[-1].end if body else head.end, layout=self.name,
            ))
        return result


class QuotedStatements:
    """Pages that name each commitment once, quoted in a sentence ('el compromiso consolidado …
    es "…"'), one per section: the quote is the title, the section heading its theme."""

    name = "quoted-statements"
    min_commitments = 2

    def segment(self, doc: Document) -> list[CommitmentText]:
        """The commitments of ``doc``, one per quoted statement; none with fewer than ``min_commitments``."""
        found = []
        for m in cues().quoted.finditer(doc.text):
            group = next(i for i, g in enumerate(m.groups(), start=1) if g)
            found.append((m.start(group), m.end(group)))
        if len(found) < self.min_commitments:
            return []
        heads = [b for b in doc.blocks if b.heading or is_titleish(doc.block_text(b), b)]
        result = []
        for number, (start, end) in enumerate(found, start=1):
            head = next((h for h in reversed(heads) if h.end <= start), None)
            lower = max(head.start if head else 0, found[number - 2][1] if number > 1 else 0)
            upper = next((h.start for h in heads if h.start > end), len(doc.text))
            upper = min(upper, found[number][0] if number < len(found) else upper)
            body = [b for b in doc.blocks if b.start >= lower and b.end <= upper and not (head and b == head)]
            result.append(CommitmentText(
                number=number, title=clean_title(doc.text[start:end]), title_spans=((start, end),), responsible=(),
                responsible_span=None, body_spans=span_of(doc, body), start=min([start, *(b.start for b in body)]),
                end=max([end, *(b.end for b in body)]), layout=self.name,
                theme=clean_title(doc.block_text(head)) if head else None,
            ))
        return result
