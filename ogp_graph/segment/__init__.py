"""Split a ``Document`` into its commitments, and say what was found and why.

Several layouts propose commitments (``records`` for structured data, the general
``numbered-openers`` finder, and structure-anchored ``numbered-blocks``, ``form-sheets``,
``heading-sections``, ``quoted-statements``); ``find`` keeps the proposal that agrees with the count the document
states itself, else the one with most commitments. A document without commitments is not
an error: ``find`` returns none and the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ogp_graph.readers import Document
from ogp_graph.segment.counts import stated_count
from ogp_graph.segment.layouts import FormSheets, HeadingSections, NumberedBlocks, QuotedStatements
from ogp_graph.segment.openers import Openers
from ogp_graph.segment.records import Records
from ogp_graph.segment.sections import Section, sections
from ogp_graph.segment.text import CommitmentText, Span

LAYOUTS = (Records(), NumberedBlocks(), FormSheets(), Openers(), HeadingSections(), QuotedStatements())
_ANCHORED = {"numbered-blocks", "form-sheets"}  # layouts that fire only on their own structure


@dataclass(frozen=True)
class Segmentation:
    """The commitments of one document, the count it states, and why nothing was found."""

    commitments: tuple[CommitmentText, ...]
    stated: int | None
    layout: str | None
    reasons: tuple[str, ...]

    @property
    def titled(self) -> int:
        return sum(bool(c.title) for c in self.commitments)


def _choose(proposals: list[tuple[str, list[CommitmentText]]], stated: int | None):
    if any(name == "records" and found for name, found in proposals):
        return next((name, found) for name, found in proposals if name == "records")
    if stated and (exact := [(n, f) for n, f in proposals if len(f) == stated]):
        return exact[0]
    anchored = [(n, f) for n, f in proposals if n in _ANCHORED and len(f) >= 3]
    if anchored:
        return max(anchored, key=lambda p: len(p[1]))
    return max(proposals, key=lambda p: len(p[1]))


def find(doc: Document) -> Segmentation:
    """The commitments of ``doc`` in document order, the count it states and the reasons of
    any shortfall ("no commitment openers found", "found 18 commitments, the text states 26")."""
    stated = stated_count(doc.text)
    proposals = [(layout.name, layout.segment(doc)) for layout in LAYOUTS]
    name, found = _choose(proposals, stated)
    reasons = []
    if not found:
        reasons.append("no commitment openers found (no numbered commitments, commitment sheets or data records)")
        name = None
    if stated and not found:
        reasons.append(f"0 of {stated} stated commitments titled")
    elif stated and stated != len(found):
        reasons.append(f"found {len(found)} commitments, the text states {stated}")
    return Segmentation(_unique_labels(found), stated, name, tuple(reasons))


def _unique_labels(found: list[CommitmentText]) -> tuple[CommitmentText, ...]:
    """Labels are identifiers: a repeated one gets its ordinal appended ("PI-3", "PI-3.2")."""
    seen: set[str] = set()
    result = []
    for c in found:
        if c.label in seen:
            c = replace(c, label=f"{c.label}.{c.number}")
        seen.add(c.label)
        result.append(c)
    return tuple(result)


def segment(doc: Document) -> list[CommitmentText]:
    """The commitments of ``doc`` in document order (empty when it has none)."""
    return list(find(doc).commitments)


__all__ = ["CommitmentText", "Segmentation", "Section", "Span", "find", "segment", "sections"]
