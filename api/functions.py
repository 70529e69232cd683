"""SPARQL functions backed by Python, passed per query as pyoxigraph ``custom_functions``.

``ogp:search(?commitment, "texto" [, k [, "hybrid"|"dense"|"bm25"]])`` → the commitment's
search score for the text when it is among the ``k`` (default 10) best, else unbound. The search
runs once per distinct (text, k, mode) in a query, not once per row:

```sparql
SELECT ?n ?title ?score WHERE {
  ?c ogp:commitmentNumber ?n ; dct:title ?title ; ogp:responsibleOrganization/ogp:acronym "MINFIN" .
  BIND(ogp:search(?c, "compras públicas más transparentes", 5) AS ?score)
  FILTER(BOUND(?score))
} ORDER BY DESC(?score)
```
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from ogp_graph.errors import InputError
from ogp_graph.vocab import OGP, XSD

SEARCH = OGP.search


Ranked = list[tuple[str, float]]  # (commitment IRI, score), best first


def _function(lookup: Callable[[str, int, str], Ranked | None]) -> dict[NamedNode, Callable]:
    @lru_cache(maxsize=64)
    def scores(text: str, k: int, mode: str) -> dict[str, float]:
        return dict(lookup(text, k, mode) or ())

    def ogp_search(commitment, text, k=None, mode=None):
        if not isinstance(commitment, NamedNode) or not isinstance(text, Literal):
            return None
        try:
            size = int(k.value) if k is not None else 10
        except ValueError:
            return None
        score = scores(text.value, size, mode.value if mode is not None else "hybrid").get(commitment.value)
        return None if score is None else Literal(repr(score), datatype=XSD.double)

    return {SEARCH: ogp_search}


def search_functions(search: Callable[..., list]) -> dict[NamedNode, Callable]:
    """The custom functions for one query; ``search(text, k=, mode=)`` returns ranked hits."""
    return _function(lambda text, k, mode: [(h.commitment, h.score) for h in search(text, k=k, mode=mode)])


def scored_functions(scores: dict[tuple[str, int, str], Ranked]) -> dict[NamedNode, Callable]:
    """The custom functions answering from precomputed searches ((text, k, mode) → ranked pairs), for
    a process without the index; a call not in ``scores`` leaves its variable unbound."""
    return _function(lambda text, k, mode: scores.get((text, k, mode)))


_CALL = re.compile(
    r"""(?:ogp:search|<https://w3id\.org/ogp-kg/ontology\#search>)\s*\(\s*(?P<var>[?$]\w+)\s*,\s*
        (?P<q>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*(?:,\s*(?P<k>\d+)\s*)?(?:,\s*(?P<mode>"\w+"|'\w+')\s*)?\)""",
    re.VERBOSE,
)


def inline_search(query: str, lookup: Callable[[str, int, str], Ranked], *, calls: int) -> str:
    """``query`` with every ``ogp:search(?c, "text", k)`` call replaced by its answer, as an
    ``IF(?c = <iri>, score, …)`` chain ending in an unbound variable: for SPARQL stores that
    cannot call Python (a remote server). How many calls exist is known from the parse
    (``policy.Analysis.searches``); this only finds where they are written.

    :raises ValueError: the text does not show exactly ``calls`` calls in the plain form (another
        prefix for the ontology, a comment inside the call…): the query is not run half-inlined.
    """
    def replace(m: re.Match) -> str:
        text = m.group("q")[1:-1].encode().decode("unicode_escape") if "\\" in m.group("q") else m.group("q")[1:-1]
        ranked = lookup(text, int(m.group("k") or 10), (m.group("mode") or '"hybrid"')[1:-1])
        expression = "?ogp_search_unbound"
        for commitment, score in reversed(ranked or []):
            expression = f"IF({m.group('var')} = <{commitment}>, {score!r}, {expression})"
        return expression

    inlined, found = _CALL.subn(replace, query)
    if found != calls:
        raise InputError('on this store write ogp:search as ogp:search(?var, "text" [, k [, "mode"]])')
    return inlined
