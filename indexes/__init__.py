"""ogp-kg's search stage: embedders, faiss, BM25 and their fusion over the graph's passages.

Its public names are imported on first use, so importing a submodule stays cheap.
"""
from ogp_graph.exports import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "DEFAULT_EMBEDDER": "indexes.embedders",
    "Hit": "indexes.search_index",
    "SearchIndex": "indexes.search_index",
    "get_embedder": "indexes.embedders",
})
