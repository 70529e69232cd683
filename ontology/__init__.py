"""The ogp-kg ontology (OWL), its SHACL shapes and JSON-LD context, shipped as package data."""
from pathlib import Path

ONTOLOGY_DIR = Path(__file__).parent
ONTOLOGY_TTL = ONTOLOGY_DIR / "ogp.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_JSONLD = ONTOLOGY_DIR / "context.jsonld"

__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_TTL", "SHAPES_TTL", "CONTEXT_JSONLD"]
