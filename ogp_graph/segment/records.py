"""Commitments of structured data (CSV, XLSX, JSON, YAML): blocks whose ``role`` the reader
set from the column or key names, grouped by ``ref`` (the record's commitment id)."""
from __future__ import annotations

import re

from ogp_graph.readers import Document
from ogp_graph.segment.text import CommitmentText, clean_title, span_of


class Records:
    """One commitment per distinct ``ref``, rebuilt from the roles of its blocks."""

    name = "records"

    def segment(self, doc: Document) -> list[CommitmentText]:
        groups: dict[str, list] = {}
        for block in doc.blocks:
            role, ref = getattr(block, "role", None), getattr(block, "ref", None)
            if role and ref:
                groups.setdefault(str(ref), []).append(block)
        result = []
        for number, (ref, blocks) in enumerate(groups.items(), start=1):
            titles = [b for b in blocks if b.role in ("commitment", "title")][:1]
            people = [b for b in blocks if b.role == "responsible"]
            seen: dict[str, tuple[int, int]] = {}
            for b in people:  # the lead body repeats on every milestone row
                seen.setdefault(re.sub(r"\s+", " ", doc.block_text(b)).strip(), (b.start, b.end))
            body = [b for b in blocks if b.role not in ("commitment", "title", "responsible")]
            title = clean_title(doc.block_text(titles[0])) if titles else ""
            result.append(CommitmentText(
                number=number, title=title, title_spans=tuple((b.start, b.end) for b in titles),
                responsible=tuple(v for v in seen if v), responsible_span=next(iter(seen.values()), None),
                body_spans=span_of(doc, body), start=min(b.start for b in blocks), end=max(b.end for b in blocks),
                layout=self.name, label=ref,
            ))
        return result
