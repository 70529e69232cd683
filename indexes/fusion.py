"""Fusion of ranked result lists: reciprocal-rank fusion and convex (min-max) combination."""
from __future__ import annotations

import numpy as np


def rrf(rankings: list[np.ndarray], weights: list[float] | None = None, *, k: int = 60) -> dict[int, float]:
    """Reciprocal-rank fusion of ranked id arrays (best first): Σ wᵢ / (k + rankᵢ)."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, i in enumerate(ranking.tolist(), start=1):
            fused[i] = fused.get(i, 0.0) + w / (k + rank)
    return fused


def minmax(scores: np.ndarray) -> np.ndarray:
    """Scores scaled to [0, 1] (all zeros when they are all equal)."""
    lo, hi = float(scores.min()), float(scores.max())
    return (scores - lo) / (hi - lo) if hi > lo else np.zeros_like(scores)


def convex(score_lists: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Weighted sum of min-max normalised score arrays over the same ids."""
    return sum(w * minmax(s) for s, w in zip(score_lists, weights))
