"""The whole build: documents → graph → search index, published together atomically."""
from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import pyoxigraph

from api.core import DUMPS_DIR, INDEX_DIR
from api.export import write_dumps
from indexes.embedders import DEFAULT_EMBEDDER, get_embedder
from indexes.passages import passages_from_store
from indexes.search_index import SearchIndex
from indexes.similarity import similar_across_groups
from ogp_graph.build import BuildSummary, Progress, build_graph
from ogp_graph.errors import StoreError
from ogp_graph.rdf import similarity_quads
from ogp_graph.remote import RemoteStore
from ogp_graph.store import MANIFEST, STORE_DIR, current_build, new_build


BASE_URL = "https://w3id.org/ogp-kg"


def _previous_index(data_dir: Path | str | None) -> SearchIndex | None:
    """The published index, whose vectors a rebuild reuses for unchanged passages."""
    try:
        return SearchIndex.load(current_build(data_dir) / INDEX_DIR)
    except (StoreError, FileNotFoundError, ValueError, OSError):
        return None


def _link_similar(store_dir: Path, index: SearchIndex) -> int:
    """Add ``ogp:similarCommitment`` links between commitments of different plans."""
    store = pyoxigraph.Store(str(store_dir))
    plan_of = {r["c"].value: r["p"].value for r in store.query(
        "SELECT ?c ?p WHERE { ?c <https://w3id.org/ogp-kg/ontology#actionPlan> ?p }")}
    pairs = similar_across_groups(index, plan_of)
    store.bulk_extend([q for s in pairs for q in similarity_quads(s.source, s.target, s.score, index.embedder.name)])
    store.flush()
    return len(pairs)


def build_all(
    paths: Sequence[str | Path] | None = None,
    *,
    data_dir: Path | str | None = None,
    country: str | None = None,
    embedder: str = DEFAULT_EMBEDDER,
    store_url: str | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the graph and its search index into a fresh directory and publish both at once;
    the previous data stays untouched when anything fails. With ``store_url`` the graph is
    published to that SPARQL server (Graph Store Protocol PUT of the default graph) instead.

    :raises DocumentError: a document is missing or cannot be read.
    :raises StoreError: another build holds the data directory.
    :raises ValueError: unknown embedder.
    """
    options = {"progress": progress} if progress else {}
    get_embedder(embedder)  # an unknown embedder fails before any work
    previous = _previous_index(data_dir)
    with new_build(data_dir) as build_dir:
        summary = build_graph(build_dir, paths, country=country, **options)
        passages = passages_from_store(pyoxigraph.Store.read_only(str(build_dir / STORE_DIR)))
        index = SearchIndex.build(passages, embedder, reuse=previous, progress=progress)
        index.save(build_dir / INDEX_DIR)
        summary.similar = _link_similar(build_dir / STORE_DIR, index)
        local = pyoxigraph.Store.read_only(str(build_dir / STORE_DIR))
        write_dumps(local, build_dir / DUMPS_DIR, base_url=BASE_URL)
        manifest = {**asdict(summary), "index": index.config()}
        if store_url:  # scale-out: the graph lives in a SPARQL server; the index stays here
            RemoteStore(store_url).replace_default_graph(
                local.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()))
            del local
            shutil.rmtree(build_dir / STORE_DIR)
            manifest["remote_store"] = store_url
        (build_dir / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return summary
