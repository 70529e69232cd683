"""Commitments similar across plans (and languages), from the passage vectors of a SearchIndex."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from indexes.search_index import SearchIndex

_BLOCK = 1024  # rows scored at once: memory is O(block × commitments), never O(commitments²)


@dataclass(frozen=True)
class Similar:
    source: str
    target: str
    score: float


def commitment_vectors(index: SearchIndex) -> tuple[list[str], np.ndarray]:
    """One normalised vector per commitment (in order of first passage): the mean of its passages'
    vectors, in float64 so that a score does not depend on which block of rows it was computed in."""
    order: dict[str, int] = {}
    rows = np.fromiter((order.setdefault(p.commitment, len(order)) for p in index.passages), dtype=np.int64,
                       count=len(index.passages))
    by_commitment = np.argsort(rows, kind="stable")
    starts = np.searchsorted(rows[by_commitment], np.arange(len(order)))
    sums = np.add.reduceat(index.vectors[by_commitment].astype(np.float64), starts, axis=0)
    vectors = sums / np.bincount(rows, minlength=len(order))[:, None]
    return list(order), vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def similar_across_groups(index: SearchIndex, group_of: dict[str, str], *, top: int = 3,
                          threshold: float = 0.9, changed: Collection[str] | None = None) -> list[Similar]:
    """For every commitment and every other group (plan), its ``top`` most similar commitments
    there with a cosine of at least ``threshold``; passages outside every group (sections of
    documents without commitments) take no part.

    With ``changed`` (groups whose commitments were added, removed or re-read), only the pairs
    whose source or target group is one of them: every other pair of an earlier answer over the
    same vectors is still exact, so an incremental build keeps those and adds these.
    """
    iris, vectors = commitment_vectors(index)
    groups = np.array([group_of.get(iri, "") for iri in iris])
    grouped = groups != ""
    in_changed = grouped if changed is None else grouped & np.isin(groups, list(changed))
    found: list[Similar] = []

    def scan(rows: np.ndarray, cols: np.ndarray) -> None:
        for b in range(0, len(rows), _BLOCK):
            block = rows[b : b + _BLOCK]
            scores = vectors[block] @ vectors[cols].T
            for r in np.flatnonzero((scores >= threshold).any(axis=1)):  # only rows with a candidate
                i = block[r]
                hits = np.flatnonzero(scores[r] >= threshold)
                hits = hits[groups[cols[hits]] != groups[i]]
                taken: dict[str, int] = {}
                for h in hits[np.argsort(-scores[r, hits], kind="stable")]:
                    j = cols[h]
                    if taken.get(groups[j], 0) < top:
                        taken[groups[j]] = taken.get(groups[j], 0) + 1
                        found.append(Similar(iris[i], iris[j], round(float(scores[r, h]), 4)))

    scan(np.flatnonzero(in_changed), np.flatnonzero(grouped))  # changed sources, against every target
    scan(np.flatnonzero(grouped & ~in_changed), np.flatnonzero(in_changed))  # the rest, against changed targets only
    return found
