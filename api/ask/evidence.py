"""Evidence: whole sentences of the source documents, found from the provenance the graph stores
(NIF spans of mentions, commitment title/body spans)."""
from __future__ import annotations

import re
from functools import cached_property

from api.ask.linking import NAME_CONNECTORS
from ogp_graph.text import sentence_at, sentences


class Evidence:
    """Sentences of the documents of one ``Service``, by character span."""

    def __init__(self, service):
        self.service = service
        self._expansions: dict[str, tuple[str, int, int, str] | None] = {}

    @cached_property
    def texts(self) -> dict[str, str]:
        return {r["d"].value: r["t"].value for r in self.service.query("SELECT ?d ?t WHERE { ?d nif:isString ?t }")}

    def sentence(self, doc: str, start: int, end: int, *, commitment: dict | None = None) -> dict:
        """The whole sentence around ``start``–``end`` of document ``doc``."""
        return self._record(doc, *sentence_at(self.texts[doc], start, end), start, end, commitment)

    def span(self, doc: str, start: int, end: int, *, commitment: dict | None = None) -> dict:
        """The text of ``start``–``end`` of document ``doc`` as evidence (a field of a form, not a sentence)."""
        return self._record(doc, start, end, start, end, commitment)

    def _record(self, doc: str, b: int, e: int, start: int, end: int, commitment: dict | None) -> dict:
        """Evidence quoting ``b``–``e`` of ``doc`` for what was found at ``start``–``end``."""
        return {"text": " ".join(self.texts[doc][b:e].split()), "source": doc, "span": [b, e], "mention_span": [start, end],
                **({"commitment": commitment["number"], "plan": commitment["plan"]} if commitment else {})}

    def sentences_of(self, doc: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The (begin, end) of each sentence of document ``doc`` that the ``spans`` cover, in span order."""
        text = self.texts[doc]
        return [s for b, e in spans for s in sentences(text, b, e)]

    def mentions(self, entity: str, *, commitment: str | None = None, limit: int = 3) -> list[tuple[str, int, int, str]]:
        """(doc, begin, end, commitment IRI) of the first mentions of ``entity`` (in ``commitment``)."""
        scope = f"FILTER(?c = <{commitment}>)" if commitment else ""
        rows = self.service.query(f"""SELECT ?doc ?b ?e ?c WHERE {{ ?m itsrdf:taIdentRef <{entity}> ;
            nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e ; ogp:mentionedIn ?c . {scope} }}
            ORDER BY ?c ?b LIMIT {limit}""")
        return [(r["doc"].value, int(r["b"].value), int(r["e"].value), r["c"].value) for r in rows]

    def expansion(self, acronym: str) -> tuple[str, int, int, str] | None:
        """(doc, begin, end, name) of the documents' first "Full Name (ACRONYM)" or "Full Name -
        ACRONYM": the capitalised words (with connectors and commas between them) right before the
        parenthesis or dash, two at least (looked up once per acronym)."""
        if acronym not in self._expansions:
            self._expansions[acronym] = self._expansion(acronym)
        return self._expansions[acronym]

    def _expansion(self, acronym: str) -> tuple[str, int, int, str] | None:
        pattern = re.compile(rf"\(\s*{re.escape(acronym)}\s*\)|\s[-–—]\s*{re.escape(acronym)}(?![\w/])")
        for doc, text in self.texts.items():
            for m in pattern.finditer(text):
                offset = max(0, m.start() - 200)
                kept: list[re.Match] = []
                for w in reversed(list(re.finditer(r"[\w'’.-]+", text[offset : m.start()]))):
                    if not (w.group(0)[0].isupper() or w.group(0).lower() in NAME_CONNECTORS):
                        break
                    kept.insert(0, w)
                while kept and kept[0].group(0).lower() in NAME_CONNECTORS:
                    kept.pop(0)
                if sum(w.group(0)[0].isupper() for w in kept) >= 2:
                    return doc, offset + kept[0].start(), m.end(), text[offset + kept[0].start() : offset + kept[-1].end()]
        return None
