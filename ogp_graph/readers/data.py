"""The readers' data: field-name synonyms per language (``data/readers/columns.json``)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


COLUMNS = Path(__file__).resolve().parents[1] / "data" / "readers" / "columns.json"


@lru_cache(maxsize=1)
def columns() -> dict:
    """The parsed ``columns.json``."""
    return json.loads(COLUMNS.read_text(encoding="utf-8"))


def load_yaml(text: str) -> object:
    """``text`` parsed as one safe YAML document (libyaml's parser when installed).

    :raises yaml.YAMLError: on invalid YAML.
    """
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def front_matter_skip() -> frozenset[str]:
    """Front-matter keys that hold page layout, not content."""
    return frozenset(k.lower() for k in columns()["front_matter_layout_keys"])
