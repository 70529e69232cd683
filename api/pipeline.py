"""The whole build: documents → graph → search index, published together atomically."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from ogp_graph.build import BuildSummary, Progress, build_graph
from ogp_graph.store import MANIFEST, new_build


def build_all(
    paths: Sequence[str | Path] | None = None,
    *,
    data_dir: Path | str | None = None,
    country: str | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build every stage into a fresh directory and publish it; the old data stays on failure.

    :raises DocumentError: a document is missing, unreadable or has no commitments.
    :raises StoreError: another build holds the data directory.
    """
    options = {"progress": progress} if progress else {}
    with new_build(data_dir) as build_dir:
        summary = build_graph(build_dir, paths, country=country, **options)
        (build_dir / MANIFEST).write_text(json.dumps(asdict(summary), indent=2), encoding="utf-8")
    return summary
