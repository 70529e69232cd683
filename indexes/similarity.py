"""Commitments similar across plans (and languages), from the passage vectors of a SearchIndex."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexes.search_index import SearchIndex


@dataclass(frozen=True)
class Similar:
    source: str
    target: str
    score: float


def commitment_vectors(index: SearchIndex) -> tuple[list[str], np.ndarray]:
    """One normalised vector per commitment: the mean of its passages' vectors."""
    order: dict[str, list[int]] = {}
    for i, p in enumerate(index.passages):
        order.setdefault(p.commitment, []).append(i)
    iris = list(order)
    vectors = np.vstack([index.vectors[rows].mean(axis=0) for rows in order.values()])
    return iris, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def similar_across_groups(index: SearchIndex, group_of: dict[str, str], *, top: int = 3,
                          threshold: float = 0.9) -> list[Similar]:
    """For every commitment and every other group (plan), its ``top`` most similar commitments
    there with a cosine of at least ``threshold``; passages outside every group (sections of
    documents without commitments) take no part."""
    iris, vectors = commitment_vectors(index)
    scores = vectors @ vectors.T
    groups = np.array([group_of.get(iri, "") for iri in iris])
    found = []
    for i, iri in enumerate(iris):
        if not groups[i]:
            continue
        for group in set(groups) - {groups[i], ""}:
            members = np.flatnonzero(groups == group)
            best = members[np.argsort(-scores[i, members])[:top]]
            found += [Similar(iri, iris[j], round(float(scores[i, j]), 4)) for j in best if scores[i, j] >= threshold]
    return found
