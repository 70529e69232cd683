"""ogp-kg's query stage: the build's composition, the query core, question answering, the HTTP app.

Its public names are imported on first use, so importing a submodule stays cheap.
"""
from ogp_graph.exports import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "Answer": "api.ask",
    "Asker": "api.ask",
    "Service": "api.core",
    "add_documents": "api.pipeline",
    "build_all": "api.pipeline",
    "create_app": "api.http",
    "list_documents": "api.pipeline",
    "remove_documents": "api.pipeline",
})
