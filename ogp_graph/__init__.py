"""ogp-kg's graph stage: documents → commitments → mentions → RDF, and the store.

Its public names are imported on first use, so importing a submodule stays cheap.
"""
from ogp_graph.exports import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "GraphStore": "ogp_graph.store",
    "OgpKgError": "ogp_graph.errors",
    "countries": "ogp_graph.countries",
    "describe": "ogp_graph.metadata",
    "find": "ogp_graph.segment",
    "load_document": "ogp_graph.readers",
    "open_graph": "ogp_graph.store",
    "open_store": "ogp_graph.store",
})
