"""What a SPARQL request is, decided on rdflib's parse of it — never on a regular expression.

``analyse(text)`` guards the raw text first (size, then bracket depth counted on a linear token
scan that stops at the first level too deep, so a 100,000-level nesting costs microseconds and
cannot reach the recursive parser), then parses it once with rdflib's SPARQL 1.1 parser and
algebra (cached by text) and reports the operation, every ``SERVICE`` anywhere in it, ``LOAD``,
and the ``ogp:search`` calls. ``check`` turns that into the endpoint's policy.

A query rdflib rejects is refused even when Oxigraph would run it (fail closed); a query
rdflib accepts but Oxigraph rejects fails later with Oxigraph's message. Both are 400s.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from api.errors import Forbidden, MalformedQuery, QueryTooComplex
from api.memo import LRU, digest
from ogp_graph.vocab import OGP, PREFIXES

MAX_QUERY_BYTES = 256_000
MAX_DEPTH = 16  # rdflib's parser needs ~25 Python frames per level and slows quickly with depth
MAX_LINES = 5_000  # rdflib's parser slows down on line breaks (pyparsing tracks positions)

#: SPARQL string literals (long and short, single and double quotes), as the grammar has them
_STRING = "|".join([
    r'"""(?:[^"\\]|\\.|"(?!""))*+"""',
    r"'''(?:[^'\\]|\\.|'(?!''))*+'''",
    r'"(?:[^"\\\n\r]|\\.)*+"',
    r"'(?:[^'\\\n\r]|\\.)*+'",
])
#: a linear scan of SPARQL tokens that matter for nesting: comments, strings and IRIs are skipped
#: whole (a bracket inside them does not count), so are escapes (``ex:a\#b`` has no comment);
#: possessive quantifiers, so no backtracking
_TOKEN = re.compile(r"\\.|\#[^\n\r]*+|" + _STRING + r'|<[^<>"{}|^`\\\x00-\x20]*+>|(?P<open>[({\[])|(?P<close>[)}\]])',
                    re.DOTALL)
_SPACES = re.compile("(" + _STRING + r")|[ \t]{2,}", re.DOTALL)


@dataclass(frozen=True)
class SearchCall:
    """One ``ogp:search(?var, "text", k, "mode")`` with constant arguments."""

    var: str
    text: str
    k: int
    mode: str


@dataclass(frozen=True)
class Analysis:
    """The facts the endpoint decides on."""

    kind: str                      # "query" | "update"
    form: str                      # SELECT ASK CONSTRUCT DESCRIBE, or the first update operation (INSERT DATA…)
    services: tuple[str, ...]      # every SERVICE endpoint (IRI or ?variable), in any position
    loads: bool                    # a LOAD operation
    searches: tuple[SearchCall, ...]  # every call, in the algebra's order (repeats included)
    dynamic_search: bool           # an ogp:search call whose arguments are not constants
    deterministic: bool = False    # the same answer on the same data: no RAND, NOW, UUID, STRUUID, BNODE, no function call
    prefixed: bool = True          # uses a prefix it does not declare (the graph's prefixes are predeclared for it)
    relative: bool = True          # uses a relative IRI (the store is given the endpoint's base IRI for it)

    @property
    def tabular(self) -> bool:
        return self.form in ("SELECT", "ASK")


def depth(text: str, *, limit: int = MAX_DEPTH) -> int:
    """The deepest nesting of ``( { [`` in ``text`` outside strings, IRIs and comments, counted up to
    ``limit + 1`` (the scan stops there)."""
    level = deepest = 0
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "open":
            level += 1
            if level > deepest:
                deepest = level
                if deepest > limit:
                    break
        elif m.lastgroup == "close":
            level -= 1
    return deepest


def guard(text: str, *, max_bytes: int = MAX_QUERY_BYTES, max_depth: int = MAX_DEPTH) -> None:
    """Refuse what must never reach a parser.

    :raises QueryTooComplex: longer than ``max_bytes`` or ``MAX_LINES`` lines, or nested deeper than ``max_depth``.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryTooComplex("bytes", size=size, limit=max_bytes)
    lines = max(text.count("\n"), text.count("\r")) + 1
    if lines > MAX_LINES:
        raise QueryTooComplex("lines", lines=lines, limit=MAX_LINES)
    if depth(text, limit=max_depth) > max_depth:
        raise QueryTooComplex("depth", limit=max_depth)


#: an absolute IRI starts with a scheme (RFC 3986)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
#: functions whose value changes between two runs on the same data (and any extension function)
_VOLATILE = {"Builtin_RAND", "Builtin_NOW", "Builtin_UUID", "Builtin_STRUUID", "Builtin_BNODE", "Function"}
_UPDATES = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE", "Modify": "MODIFY",
            "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
            "Copy": "COPY"}




def _compact(text: str) -> str:
    """``text`` with runs of spaces and tabs outside strings made one space, for the parser only (the
    store gets the text as sent). Removing repeated blanks never joins, splits or hides a token,
    and line breaks (which end comments) are kept."""
    return _SPACES.sub(lambda m: m.group(1) or " ", text)


def _parse(text: str):
    """(kind, algebra, whether the text uses a prefix it does not declare) from rdflib; the message of
    the parse that got further when both fail."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import algebra, parser

    failures = []
    for kind, parse, translate in (("query", parser.parseQuery, algebra.translateQuery),
                                   ("update", parser.parseUpdate, algebra.translateUpdate)):
        try:
            tree = parse(text)
        except ParseBaseException as exc:
            failures.append((exc.loc, f"{exc.msg} (line {exc.lineno}, column {exc.col})"))
            continue
        except RecursionError:
            raise QueryTooComplex("parse-depth") from None
        try:
            undeclared = _undeclared_prefixes(tree)
            return kind, translate(tree, initNs=PREFIXES).algebra, undeclared
        except RecursionError:
            raise QueryTooComplex("parse-depth") from None
        except Exception as exc:  # rdflib's semantic checks (unknown prefix, bad GROUP BY…): fail closed
            raise MalformedQuery("syntax", detail=str(exc)) from None
    raise MalformedQuery("syntax", detail=max(failures)[1])


def _undeclared_prefixes(tree) -> bool:
    """Whether a parse tree uses a prefixed name whose prefix it does not declare (the store then
    needs the graph's prefixes predeclared)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    used, declared = set(), set()
    for node in _walk(tree):
        if isinstance(node, CompValue):
            if node.name == "pname":
                used.add(node.get("prefix") or "")
            elif node.name == "PrefixDecl":
                declared.add(node.get("prefix") or "")
    return bool(used - declared)


def _walk(root):
    """Every node under ``root`` (CompValue, list, dict values, pyparsing results), iteratively."""
    from pyparsing import ParseResults

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if isinstance(node, (str, bytes, int, float)) or id(node) in seen:
            yield node
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset, ParseResults)):
            stack.extend(node)


def _constant(term, kind):
    from rdflib import Literal

    if isinstance(term, Literal):
        try:
            return kind(term.toPython()) if kind is int else str(term)
        except (TypeError, ValueError):
            return None
    return None


def _analyse(text: str) -> Analysis:
    from rdflib import URIRef, Variable
    from rdflib.plugins.sparql.parserutils import CompValue

    kind, tree, undeclared = _parse(_compact(text))
    roots = tree if isinstance(tree, list) else [tree]
    names = [getattr(r, "name", "") for r in roots]
    form = _FORMS.get(names[0], "") if kind == "query" else _UPDATES.get(names[0], names[0].upper()) if names else ""
    services, searches, dynamic, loads, volatile, relative = [], [], False, "Load" in names, False, False
    for node in _walk(roots):
        if not isinstance(node, CompValue):
            relative = relative or isinstance(node, URIRef) and not _ABSOLUTE.match(node)
            continue
        volatile = volatile or node.name in _VOLATILE
        if node.name == "ServiceGraphPattern":
            services.append(str(node.get("term")))
        elif node.name == "Function" and str(node.get("iri")) == OGP.search.value:
            args = list(node.get("expr") or [])
            var = args[0] if args else None
            text_arg = _constant(args[1], str) if len(args) > 1 else None
            k = _constant(args[2], int) if len(args) > 2 else 10
            mode = _constant(args[3], str) if len(args) > 3 else "hybrid"
            if isinstance(var, Variable) and None not in (text_arg, k, mode) and len(args) <= 4:
                searches.append(SearchCall(f"?{var}", text_arg, k, mode))
            else:
                dynamic = True
    return Analysis(kind, form, tuple(services), loads, tuple(searches), dynamic,
                    deterministic=kind == "query" and not volatile and not services, prefixed=undeclared,
                    relative=relative)


_CACHE: LRU[Analysis] = LRU(2048)  # by a digest of the text: bounded memory whatever the query size


def analyse(text: str, *, max_bytes: int = MAX_QUERY_BYTES, max_depth: int = MAX_DEPTH) -> Analysis:
    """The parsed facts of a SPARQL request (cached by text).

    :raises QueryTooComplex: too large or too deeply nested (before any parser runs).
    :raises MalformedQuery: rdflib cannot parse it as a query nor as an update; the parser's one-line message.
    """
    guard(text, max_bytes=max_bytes, max_depth=max_depth)
    return _CACHE.get_or_make(digest(text), lambda: _analyse(text))


def check(analysis: Analysis, *, allow_update: bool = False, allow_service: tuple[str, ...] = ()) -> None:
    """The endpoint's policy over an analysis.

    :raises Forbidden: an update on a read-only endpoint, any LOAD (it would fetch a URL or read a
        file on the server), or a SERVICE call to an endpoint not in ``allow_service``.
    """
    if analysis.kind == "update" and not allow_update:
        raise Forbidden("update")
    if analysis.loads:
        raise Forbidden("load")
    refused = [s for s in analysis.services if s not in allow_service]
    if refused:
        raise Forbidden("service", endpoint=refused[0][:100])
