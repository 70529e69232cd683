"""Cheap facts about a SPARQL request's text, without parsing it."""
from __future__ import annotations

import re

_PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>|\s+)", re.IGNORECASE)
_FORM = re.compile(r"[A-Za-z]+")


def operation(text: str) -> str:
    """The first keyword after comments and PREFIX/BASE declarations, upper-cased
    ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "INSERT", "LOAD", …; "" when none)."""
    position = 0
    while m := _PROLOGUE.match(text, position):
        if m.end() == position:
            break
        position = m.end()
    keyword = _FORM.match(text, position)
    return keyword.group(0).upper() if keyword else ""


UPDATE_OPERATIONS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
