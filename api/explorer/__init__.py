"""The explorer: HTML pages for people over the graph (entity pages, the filtered commitment list,
search and answers, the highlighted source text, charts and the network), as one ``router``."""
from api.explorer.routes import router

__all__ = ["router"]
