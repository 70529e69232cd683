"""Commitments of structured data (CSV, XLSX, JSON, YAML): blocks whose ``role`` the reader
set from the column or key names, grouped by ``ref`` (the record's commitment id)."""
from __future__ import annotations

import re
from dataclasses import replace

from ogp_graph.readers import Document
from ogp_graph.segment.text import CommitmentText, clean_title, span_of


class Records:
    """One commitment per distinct ``ref``, rebuilt from the roles of its blocks."""

    name = "records"

    def segment(self, doc: Document) -> list[CommitmentText]:
        """The commitments of ``doc``, one per distinct block ``ref``, in order of first appearance."""
        groups: dict[str, list] = {}
        for block in doc.blocks:
            if block.role and block.ref:
                groups.setdefault(str(block.ref), []).append(block)
        result = []
        for number, (ref, blocks) in enumerate(groups.items(), start=1):
            titles = [b for b in blocks if b.role == "title"][:1]  # a "commitment" block is its heading line
            themes = [b for b in blocks if b.role == "theme"][:1]
            seen: dict[str, tuple[int, int]] = {}
            for b in blocks:  # the lead body repeats on every milestone row, in any case
                if b.role == "responsible" and (value := re.sub(r"\s+", " ", doc.block_text(b)).strip()):
                    if value.casefold() not in {v.casefold() for v in seen}:
                        seen[value] = (b.start, b.end)
            body = [replace(b, start=doc.text.rfind("\n", 0, b.start) + 1)  # with its line's field label ("Milestone 2: ")
                    for b in blocks if b.role not in ("commitment", "title", "responsible", "theme")]
            title = clean_title(doc.block_text(titles[0])) if titles else ""
            result.append(CommitmentText(
                number=number, title=title, title_spans=tuple((b.start, b.end) for b in titles),
                responsible=tuple(v for v in seen if v), responsible_span=next(iter(seen.values()), None),
                body_spans=span_of(doc, body), start=min(b.start for b in blocks), end=max(b.end for b in blocks),
                layout=self.name, label=ref, theme=clean_title(doc.block_text(themes[0])) if themes else None,
            ))
        return result
