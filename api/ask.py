"""Spanish questions answered from the graph, offline, without an LLM.

A question's intent and entities (institutions by name or acronym, laws, places, commitment
numbers) select a SPARQL template; quantity questions and anything no template fits fall back to
semantic search and answer with the best supporting sentence and the metrics in it. Every answer
carries the SPARQL that was run, evidence (text, source document, character span) and a
confidence; below a confidence threshold the answer says it does not know.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cached_property

from indexes.search_index import query_language
from ogp_graph.errors import OgpKgError

#: dense (e5 cosine) scores: below MIN the fallback never answers; above SURE it answers even
#: without a word in common with the passage; in between it needs one (BM25 > 0).
MIN_DENSE_SCORE = 0.78
SURE_DENSE_SCORE = 0.86


class QuestionError(OgpKgError):
    """A question that cannot be asked (empty, too long, not Spanish)."""

    status = 422


@dataclass
class Answer:
    """What ``ask`` returns; ``to_dict`` is the JSON of the CLI and the HTTP API."""

    question: str
    intent: str
    answer: str
    items: list[dict] = field(default_factory=list)
    sparql: str | None = None
    evidence: list[dict] = field(default_factory=list)
    confidence: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def fold(text: str) -> str:
    """Lower case, no accents, no Spanish question/exclamation marks, spaces collapsed."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[¿?¡!\"“”«»]", " ", text)).strip()


@dataclass(frozen=True)
class Entity:
    kind: str  # "org" | "law" | "place" | "commitment"
    iri: str
    label: str
    start: int
    end: int


def _number_words() -> dict[str, int]:
    words = ("uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis "
             "diecisiete dieciocho diecinueve veinte veintiuno veintidos").split()
    return {w: i for i, w in enumerate(words, start=1)}


_NUMBERS = _number_words()
_COMMITMENT_NO = re.compile(r"\bcompromisos?\s+(?:numero\s+|no\.?\s*|n\.?\s*|#\s*)?(\d{1,3}|[a-z]+)\b")
_ACRONYM_Q = re.compile(r"\b(?:que|cual es el)\s+(?:significa|significan|quiere decir|significado de)\b|\bque es (?:el|la|lo)\b|\bsiglas?\b")
_RESPONSIBLE_Q = re.compile(r"\b(?:responsables?|a cargo|encargad[oa]s?|ejecuta|implementa|lidera|quien(?:es)?)\b")
_LAWS_Q = re.compile(r"\b(?:leyes|ley|decretos?|normas?|legislacion|acuerdos?|normativa)\b")
_PLACES_Q = re.compile(r"\b(?:donde|lugares|municipios|departamentos|territorio)\b")
_COUNT_Q = re.compile(r"\bcuant[oa]s\b")
_MONEY_Q = re.compile(r"\b(?:cuanto dinero|cuanto presupuesto|cuantos quetzales|que monto|cuanto se (?:asigno|invirtio|gasto|destino)|monto|presupuesto asignado|cuanto costo)\b")
_QUANTITY_Q = re.compile(r"\bcuant[oa]s?\s+([a-z]+)")
_COMPLETE_Q = re.compile(r"\b(?:complet[oa]s?|completad[oa]s?|cumplid[oa]s?|finalizad[oa]s?|terminad[oa]s?|cumplimiento total)\b")
_PARENT_Q = re.compile(r"\b(?:en que departamento|a que departamento|departamento (?:de|esta|queda|pertenece)|donde (?:esta|queda)|pertenece)\b")
_TITLE_Q = re.compile(r"\b(?:de que trata|cual es|que dice|que busca|en que consiste|titulo|describe|resumen)\b")
_CITE_Q = re.compile(r"\b(?:citan?|mencionan?|se basan?|refieren|invocan?|relacionad[oa]s? con|vinculad[oa]s? a)\b")


class Asker:
    """Answers questions over one ``Service`` (its store and search index)."""

    def __init__(self, service):
        self.service = service

    # -- entity tables, read from the graph once ------------------------------------------------
    @cached_property
    def labels(self) -> list[tuple[str, Entity]]:
        """(folded label, entity) for every institution, law, place; longest labels first."""
        queries = {
            "org": "SELECT ?x ?l ?main WHERE { ?x a org:Organization ; skos:prefLabel ?main . "
                   "{ ?x skos:prefLabel ?l } UNION { ?x skos:altLabel ?l } }",
            "law": "SELECT ?x ?l ?main WHERE { ?x a eli:LegalResource ; rdfs:label ?main . "
                   "{ ?x rdfs:label ?l } UNION { ?x skos:prefLabel ?l } UNION { ?x skos:altLabel ?l } }",
            "place": "SELECT ?x ?l ?main WHERE { ?c dct:spatial ?x . ?x schema:name ?l . BIND(?l AS ?main) }",
        }
        table = {}
        for kind, query in queries.items():
            for row in self.service.query(query):
                label = fold(row["l"].value)
                if len(label) >= 3:
                    table.setdefault((label, kind), Entity(kind, row["x"].value, row["main"].value, 0, 0))
        return sorted(((label, e) for (label, _), e in table.items()), key=lambda item: -len(item[0]))

    @cached_property
    def commitments(self) -> dict[int, tuple[str, str]]:
        rows = self.service.query("SELECT ?c ?n ?t WHERE { ?c ogp:commitmentNumber ?n ; dct:title ?t }")
        return {int(r["n"].value): (r["c"].value, r["t"].value) for r in rows}

    def entities(self, folded: str) -> list[Entity]:
        """Entities named in the folded question, longest match first, no overlaps."""
        found: list[Entity] = []
        taken: list[tuple[int, int]] = []
        for label, e in self.labels:
            for m in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", folded):
                if not any(s < m.end() and m.start() < t for s, t in taken):
                    found.append(Entity(e.kind, e.iri, e.label, m.start(), m.end()))
                    taken.append((m.start(), m.end()))
        if m := _COMMITMENT_NO.search(folded):
            token = m.group(1)
            number = int(token) if token.isdigit() else _NUMBERS.get(token)
            if number in self.commitments:
                iri, title = self.commitments[number]
                found.append(Entity("commitment", iri, title, m.start(), m.end()))
        return sorted(found, key=lambda e: e.start)

    # -- answering --------------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        """Answer ``question``; says it does not know rather than guess.

        :raises QuestionError: empty, too long, or not in Spanish.
        """
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("la pregunta está vacía")
        if len(question) > 500:
            raise QuestionError("la pregunta es demasiado larga (máximo 500 caracteres)")
        folded = fold(question)
        if not re.search(r"[a-z]", folded):
            raise QuestionError("escriba la pregunta con palabras, en español")
        if query_language(folded) == "en":
            raise QuestionError("solo respondo preguntas en español; para inglés use la búsqueda (/search)")
        found = self.entities(folded)
        kinds = {e.kind for e in found}
        for _intent, applies, handler in self._intents():
            if applies(folded, kinds):
                answer = handler(question, folded, found)
                if answer is not None:
                    answer.question = question
                    return answer
        return self._fallback(question, folded)

    def _intents(self) -> list[tuple[str, Callable, Callable]]:
        """(name, does it apply to (folded question, entity kinds), handler), tried in order."""
        return [
            ("acronym", lambda q, k: bool(_ACRONYM_Q.search(q)) and bool(k & {"org", "law"}) and "commitment" not in k,
             self._acronym),
            ("money", lambda q, k: bool(_MONEY_Q.search(q)), self._quantity),
            ("responsible", lambda q, k: "commitment" in k and bool(_RESPONSIBLE_Q.search(q)), self._responsible),
            ("laws_of_commitment", lambda q, k: "commitment" in k and bool(_LAWS_Q.search(q)), self._laws_of),
            ("places_of_commitment", lambda q, k: "commitment" in k and bool(_PLACES_Q.search(q)), self._places_of),
            ("commitment", lambda q, k: "commitment" in k, self._commitment),
            ("count_by_org", lambda q, k: "org" in k and bool(_COUNT_Q.search(q)) and "compromiso" in q, self._by_org),
            ("commitments_by_org", lambda q, k: "org" in k and "compromiso" in q and "law" not in k, self._by_org),
            ("commitments_citing_law", lambda q, k: "law" in k and ("compromiso" in q or bool(_CITE_Q.search(q))),
             self._citing),
            ("place_parent", lambda q, k: "place" in k and bool(_PARENT_Q.search(q)), self._parent),
            ("commitments_in_place", lambda q, k: "place" in k and "compromiso" in q, self._in_place),
            ("completed", lambda q, k: bool(_COMPLETE_Q.search(q)) and "compromiso" in q, self._completed),
            ("count_commitments", lambda q, k: bool(_COUNT_Q.search(q)) and "compromisos" in q and not k, self._count),
            ("quantity", lambda q, k: bool(_QUANTITY_Q.search(q)), self._quantity),
        ]

    def _select(self, query: str) -> list[dict]:
        results = self.service.query(query)
        names = [v.value for v in results.variables]
        return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in results]

    @staticmethod
    def _first(kind: str) -> Callable[[list[Entity]], Entity]:
        return lambda found: next(e for e in found if e.kind == kind)

    def _evidence(self, entity: str, commitment: str | None = None, limit: int = 3) -> list[dict]:
        """Mentions of ``entity`` (in ``commitment``), each with its sentence from the source."""
        scope = f"; ogp:mentionedIn <{commitment}>" if commitment else ""
        rows = self._select(f"""SELECT ?doc ?b ?e ?n WHERE {{ ?m itsrdf:taIdentRef <{entity}> {scope} ;
            nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e ; ogp:mentionedIn ?c .
            ?c ogp:commitmentNumber ?n }} ORDER BY ?n ?b LIMIT {limit}""")
        return [self._sentence(r["doc"], int(r["b"]), int(r["e"]), int(r["n"])) for r in rows]

    @cached_property
    def _texts(self) -> dict[str, str]:
        return {r["d"].value: r["t"].value for r in self.service.query("SELECT ?d ?t WHERE { ?d nif:isString ?t }")}

    def _sentence(self, doc: str, start: int, end: int, number: int | None = None) -> dict:
        text = self._texts[doc]
        left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
        right = min(right_candidates) + 1 if right_candidates else len(text)
        return {"text": " ".join(text[left:right].split()), "source": doc, "span": [left, right],
                "mention_span": [start, end], "commitment": number}

    def _list_answer(self, intent: str, query: str, rows: list[dict], intro: str, empty: str,
                     evidence: list[dict]) -> Answer:
        items = [{"number": int(r["n"]), "title": r["title"], "commitment": r["c"]} for r in rows]
        if not items:
            return Answer("", intent, empty, [], query, evidence, 0.6)
        listing = "; ".join(f"{i['number']}. {i['title']}" for i in items)
        return Answer("", intent, f"{intro} ({len(items)}): {listing}", items, query, evidence, 0.9)

    # -- templates ---------------------------------------------------------------------------------
    def _acronym(self, question: str, folded: str, found: list[Entity]) -> Answer | None:
        e = next(x for x in found if x.kind in ("org", "law"))
        if e.kind == "org":
            query = f"SELECT ?name ?acr WHERE {{ <{e.iri}> skos:prefLabel ?name . OPTIONAL {{ <{e.iri}> ogp:acronym ?acr }} }}"
        else:
            query = f"SELECT ?name ?acr WHERE {{ <{e.iri}> rdfs:label ?name . OPTIONAL {{ <{e.iri}> skos:prefLabel ?acr }} }}"
        rows = self._select(query)
        if not rows:
            return None
        name, other = rows[0]["name"], rows[0]["acr"]
        asked = folded[e.start : e.end]
        asked = asked.upper() if len(asked) <= 10 and " " not in asked else e.label
        text = (f"{asked} significa «{name}»." if e.kind == "org"
                else f"«{asked}» es el {name}" + (f" ({other})." if other else "."))
        return Answer("", "acronym", text, [{"entity": e.iri, "name": name, "label": other}], query,
                      self._evidence(e.iri), 0.95)

    def _responsible(self, question: str, folded: str, found: list[Entity]) -> Answer:
        c = self._first("commitment")(found)
        query = f"""SELECT ?org ?name ?acr WHERE {{ <{c.iri}> ogp:responsibleOrganization ?org . ?org skos:prefLabel ?name .
            OPTIONAL {{ ?org ogp:acronym ?acr }} }} ORDER BY ?name"""
        rows = self._select(query)
        names = [f"{r['name']}" + (f" ({r['acr']})" if r["acr"] else "") for r in rows]
        number = self._number(c.iri)
        text = (f"El compromiso {number} («{c.label}») está a cargo de: {', '.join(names)}." if names
                else f"El informe no indica responsables para el compromiso {number}.")
        evidence = [ev for r in rows for ev in self._evidence(r["org"], c.iri, 1)]
        items = [{"organization": r["org"], "name": r["name"], "acronym": r["acr"]} for r in rows]
        return Answer("", "responsible", text, items, query, evidence, 0.95 if names else 0.5)

    def _number(self, iri: str) -> int:
        return next(n for n, (c, _) in self.commitments.items() if c == iri)

    def _laws_of(self, question: str, folded: str, found: list[Entity]) -> Answer:
        c = self._first("commitment")(found)
        query = f"""SELECT ?law ?label ?name WHERE {{ <{c.iri}> ogp:citesLegislation ?law . ?law rdfs:label ?label .
            OPTIONAL {{ ?law skos:prefLabel ?name }} }} ORDER BY ?label"""
        rows = self._select(query)
        number = self._number(c.iri)
        labels = [r["label"] + (f" ({r['name']})" if r["name"] and r["name"] != r["label"] else "") for r in rows]
        text = (f"El compromiso {number} cita: {'; '.join(labels)}." if labels
                else f"El compromiso {number} no cita legislación en el informe.")
        evidence = [ev for r in rows for ev in self._evidence(r["law"], c.iri, 1)]
        return Answer("", "laws_of_commitment", text, [{"law": r["law"], "label": r["label"], "name": r["name"]} for r in rows],
                      query, evidence, 0.9)

    def _places_of(self, question: str, folded: str, found: list[Entity]) -> Answer:
        c = self._first("commitment")(found)
        query = f"""SELECT DISTINCT ?p ?name ?parent WHERE {{ <{c.iri}> dct:spatial ?p . ?p schema:name ?name .
            OPTIONAL {{ ?p schema:containedInPlace/schema:name ?parent }} }} ORDER BY ?name"""
        rows = self._select(query)
        number = self._number(c.iri)
        names = [r["name"] + (f" ({r['parent']})" if r["parent"] else "") for r in rows]
        text = (f"El compromiso {number} menciona: {', '.join(names)}." if names
                else f"El compromiso {number} no menciona lugares.")
        return Answer("", "places_of_commitment", text, rows, query,
                      [ev for r in rows[:3] for ev in self._evidence(r["p"], c.iri, 1)], 0.9)

    def _commitment(self, question: str, folded: str, found: list[Entity]) -> Answer:
        c = self._first("commitment")(found)
        number = self._number(c.iri)
        query = f"""SELECT ?title ?name WHERE {{ <{c.iri}> dct:title ?title .
            OPTIONAL {{ <{c.iri}> ogp:responsibleOrganization/skos:prefLabel ?name }} }}"""
        rows = self._select(query)
        names = sorted({r["name"] for r in rows if r["name"]})
        text = f"Compromiso {number}: «{c.label}»" + (f", a cargo de {', '.join(names)}." if names else ".")
        span = self._select(f"""SELECT ?doc ?b ?e WHERE {{ <{c.iri}> ogp:titleSpan ?s . ?s nif:referenceContext ?doc ;
            nif:beginIndex ?b ; nif:endIndex ?e }}""")
        evidence = [self._sentence(s["doc"], int(s["b"]), int(s["e"]), number) for s in span]
        return Answer("", "commitment", text, [{"number": number, "title": c.label, "responsible": names}],
                      query, evidence, 0.85)

    def _by_org(self, question: str, folded: str, found: list[Entity]) -> Answer:
        org = self._first("org")(found)
        query = f"""SELECT ?c ?n ?title WHERE {{ ?c ogp:responsibleOrganization <{org.iri}> ;
            ogp:commitmentNumber ?n ; dct:title ?title }} ORDER BY ?n"""
        rows = self._select(query)
        if _COUNT_Q.search(folded):
            numbers = ", ".join(r["n"] for r in rows)
            text = (f"{org.label} es responsable de {len(rows)} compromiso{'s' if len(rows) != 1 else ''}"
                    + (f": {numbers}." if rows else "."))
            items = [{"number": int(r["n"]), "title": r["title"], "commitment": r["c"]} for r in rows]
            return Answer("", "count_by_org", text, items, query, self._evidence(org.iri, limit=3), 0.9)
        return self._list_answer("commitments_by_org", query, rows, f"Compromisos a cargo de {org.label}",
                                 f"{org.label} no es responsable de ningún compromiso.", self._evidence(org.iri))

    def _citing(self, question: str, folded: str, found: list[Entity]) -> Answer:
        law = self._first("law")(found)
        query = f"""SELECT DISTINCT ?c ?n ?title WHERE {{ ?c ogp:citesLegislation <{law.iri}> ;
            ogp:commitmentNumber ?n ; dct:title ?title }} ORDER BY ?n"""
        return self._list_answer("commitments_citing_law", query, self._select(query),
                                 f"Compromisos que citan {law.label}", f"Ningún compromiso cita {law.label}.",
                                 self._evidence(law.iri))

    def _parent(self, question: str, folded: str, found: list[Entity]) -> Answer:
        place = self._first("place")(found)
        query = f"""SELECT DISTINCT ?p ?kind ?parent ?pk WHERE {{ ?p schema:name "{place.label}" ; a ?kind ;
            schema:containedInPlace ?up . ?up schema:name ?parent ; a ?pk .
            FILTER(?kind IN (ogp:Municipality, ogp:Department)) FILTER(?pk IN (ogp:Department, schema:Country)) }}"""
        rows = self._select(query)
        if not rows:
            return Answer("", "place_parent", f"No sé a qué lugar pertenece {place.label}.", [], query, [], 0.3)
        parts = []
        for r in rows:
            kind = "el municipio" if r["kind"].endswith("Municipality") else "el departamento"
            up = "el departamento de" if r["pk"].endswith("Department") else ""
            parts.append(f"{kind} de {place.label} está en {up} {r['parent']}".replace("  ", " "))
        text = "; ".join(parts)
        return Answer("", "place_parent", text[0].upper() + text[1:] + ".", rows, query,
                      self._evidence(rows[0]["p"], limit=1), 0.9)

    def _in_place(self, question: str, folded: str, found: list[Entity]) -> Answer:
        place = self._first("place")(found)
        query = f"""SELECT DISTINCT ?c ?n ?title WHERE {{ ?c dct:spatial ?p ; ogp:commitmentNumber ?n ; dct:title ?title .
            ?p schema:name "{place.label}" }} ORDER BY ?n"""
        return self._list_answer("commitments_in_place", query, self._select(query),
                                 f"Compromisos que mencionan {place.label}",
                                 f"Ningún compromiso menciona {place.label}.", self._evidence(place.iri))

    def _completed(self, question: str, folded: str, found: list[Entity]) -> Answer:
        query = """SELECT ?c ?n ?title WHERE { ?c ogp:completionStatus ogp:Complete ; ogp:commitmentNumber ?n ;
            dct:title ?title } ORDER BY ?n"""
        rows = self._select(query)
        answer = self._list_answer("completed", query, rows, "Compromisos que el informe declara completos",
                                   "El informe no declara ningún compromiso completo.", [])
        for r in rows:
            body = self._select(f"""SELECT ?doc ?b ?e WHERE {{ <{r['c']}> ogp:bodySpan ?s . ?s nif:referenceContext ?doc ;
                nif:beginIndex ?b ; nif:endIndex ?e }} ORDER BY DESC(?e) LIMIT 1""")
            for s in body:
                text = self._texts[s["doc"]]
                hit = re.search(r"complet[oa]|cumplimiento total", text[int(s["b"]) : int(s["e"])], re.IGNORECASE)
                if hit:
                    at = int(s["b"]) + hit.start()
                    answer.evidence.append(self._sentence(s["doc"], at, at + len(hit.group(0)), int(r["n"])))
        return answer

    def _count(self, question: str, folded: str, found: list[Entity]) -> Answer:
        query = """SELECT ?plan ?title (COUNT(?c) AS ?n) WHERE { ?c ogp:actionPlan ?plan . ?plan dct:title ?title }
            GROUP BY ?plan ?title"""
        rows = self._select(query)
        parts = [f"{r['title']}: {r['n']} compromisos" for r in rows]
        return Answer("", "count_commitments", "; ".join(parts) + ".", rows, query, [], 0.9)

    def _quantity(self, question: str, folded: str, found: list[Entity]) -> Answer | None:
        """A number asked for: the best passage's metrics of the right kind (money, or the noun asked)."""
        money = bool(_MONEY_Q.search(folded))
        noun = None if money else (m.group(1) if (m := _QUANTITY_Q.search(folded)) else None)
        if noun == "compromisos":
            return None
        hits = self.service.search_hits(question, k=3)
        for hit in hits:
            p = hit.passage
            kind = "money" if money else "count"
            query = f"""SELECT ?v ?unit ?what ?b ?e WHERE {{ <{hit.commitment}> ogp:metric ?m .
                ?m ogp:metricKind "{kind}" ; schema:value ?v ; schema:unitText ?unit ; schema:description ?what ;
                   prov:wasDerivedFrom ?s . ?s nif:beginIndex ?b ; nif:endIndex ?e }} ORDER BY ?b"""
            rows = self._select(query)
            if noun:
                stem = noun.rstrip("s")[:6]
                rows = [r for r in rows if fold(r["unit"]).startswith(stem) or stem in fold(r["what"])]
            if rows:
                number = self._number(hit.commitment)
                best = self._best_metric(rows, folded, p)
                shown = _format_value(best, money)
                evidence = [self._sentence(p.doc, int(best["b"]), int(best["e"]), number)]
                text = f"{shown} ({best['what']}), según el compromiso {number}: «{evidence[0]['text']}»"
                return Answer("", "money" if money else "quantity", text, rows, query, evidence, 0.75)
        return None

    def _best_metric(self, rows: list[dict], folded: str, passage) -> dict:
        """The metric whose description shares most words with the question; ties go to one
        inside the best passage, then to the first."""
        def rank(r: dict) -> tuple[int, bool]:
            inside = passage.start <= int(r["b"]) and int(r["e"]) <= passage.end
            return self._overlap(folded, r["what"]), inside

        return max(rows, key=rank)

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.service.index.passages)}

    def _fallback(self, question: str, folded: str) -> Answer:
        """The best sentence of the best passage, when the passage is close enough in meaning
        (dense score) and shares words with the question (BM25)."""
        hits = self.service.search_hits(question, k=3, mode="dense")
        lexical = self.service.index.bm25.scores(question)
        known = hits and (hits[0].score >= SURE_DENSE_SCORE or (
            hits[0].score >= MIN_DENSE_SCORE and lexical[self._rows[hits[0].passage.id]] > 0))
        if not known:
            return Answer(question, "unknown", "No lo sé: no encontré en el informe nada que responda a esa pregunta.",
                          [], None, [], round(hits[0].score, 3) if hits else 0.0)
        best = hits[0]
        number = self._number(best.commitment)
        body = [p for p in self.service.index.passages if p.commitment == best.commitment and p.kind == "body"]
        passage = best.passage if best.passage.kind == "body" or not body else max(
            body, key=lambda p: self._overlap(folded, p.text))  # a title alone is no supporting sentence
        sentence = self._best_sentence(passage, folded)
        text = f"Según el compromiso {number} («{self.commitments[number][1]}»): {sentence['text']}"
        items = [{"number": self._number(h.commitment), "score": h.score, "passage": h.passage.text} for h in hits]
        return Answer(question, "search", text, items, None, [sentence], round(best.score, 3))

    @staticmethod
    def _overlap(folded: str, text: str) -> int:
        """Words of four letters or more shared by the folded question and ``text``."""
        return len(set(re.findall(r"[a-z]{4,}", folded)) & set(re.findall(r"[a-z]{4,}", fold(text))))

    def _best_sentence(self, passage, folded: str) -> dict:
        text = self._texts[passage.doc]
        best, best_overlap = None, -1
        for m in re.finditer(r"[^.;\n]+[.;]?", text[passage.start : passage.end]):
            overlap = self._overlap(folded, m.group(0))
            if overlap > best_overlap:
                best, best_overlap = m, overlap
        start, end = passage.start + best.start(), passage.start + best.end()
        return {"text": " ".join(text[start:end].split()), "source": passage.doc, "span": [start, end],
                "commitment": self._number(passage.commitment)}


def _format_value(row: dict, money: bool) -> str:
    value = Decimal(row["v"])
    if money:
        return f"Q {value:,.2f}".replace(",", "␣").replace(".", ",").replace("␣", ".")
    return f"{value:,.0f}".replace(",", ".") + f" {row['unit']}"
