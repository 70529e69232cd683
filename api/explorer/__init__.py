"""The explorer: HTML pages for people over the graph (entity pages, the filtered commitment list,
search and answers, the highlighted source text, charts and the network), as one ``router``."""
from api.explorer.routes import router

#: every HTML answer's policy: the pages have no inline script or style, everything is served by the app
CONTENT_SECURITY_POLICY = (b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

__all__ = ["CONTENT_SECURITY_POLICY", "router"]
