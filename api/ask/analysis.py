"""Question analysis: language, what is asked (intent by nearest labelled examples in the
multilingual embedding space plus cue words), the kind of quantity asked."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from api.ask.linking import CUES, Links
from indexes.vector_cache import embed
from ogp_graph.text import detect_language, match_form

INTENTS = {k: v for k, v in json.loads((Path(__file__).parent / "data" / "intents.json").read_text(encoding="utf-8")).items()
           if not k.startswith("_")}
CUE_WEIGHT = 0.05
WORD = re.compile(r"[a-z0-9]{3,}")
STOP = set("""que cual cuales quien quienes como donde cuando cuanto cuanta cuantos cuantas del los las una uno unos
unas por para con sin sobre entre este esta estos estas ese esa fue son ser han hay tiene tienen tuvo the and for
with what which who how many much does did was were are has have that this from into of plan informe document
compromiso compromisos commitment commitments compromisso compromissos quem quantos quantas tem""".split())


def stems(text: str) -> set[str]:
    """Content-word stems (first five letters) of ``text``, for overlap."""
    return {w[:5] for w in WORD.findall(match_form(text)) if w not in STOP}


_PLACEHOLDER = {"org": {"es": "la institucion", "en": "the agency", "pt": "a instituicao"},
                "law": {"es": "la ley", "en": "the act", "pt": "a lei"},
                "place": {"es": "el lugar", "en": "the place", "pt": "o lugar"},
                "commitment": {"es": "el compromiso", "en": "the commitment", "pt": "o compromisso"}}


def language(folded: str, *, default: str = "es") -> str:
    """The question's language: "es", "en" or "pt" (``default`` when unsure)."""
    lang = detect_language(folded, default=default)
    return lang if lang in ("en", "pt") else "es"


def expand(folded: str, lang: str) -> str:
    """The folded question with the chat shorthand of ``lang`` written out ("de q trata" → "de que
    trata"); a letter of an abbreviation ("u.s.", "q.") is no shorthand."""
    table = CUES["shorthand"].get(lang, {})
    return (re.sub(r"(?<![\w.])[a-z]+(?![\w.])", lambda m: table.get(m.group(0), m.group(0)), folded)
            if table else folded)


def _hits(section: str, intent: str, folded: str, lang: str) -> int:
    """How many of ``intent``'s patterns in ``lang`` in section ``section`` of ``cues.json`` match the folded question."""
    return sum(bool(re.search(p, folded)) for p in CUES[section].get(intent, {}).get(lang, []))


_QUESTION_WORD = {lang: re.compile(r"\b(?:" + "|".join(words) + r")\b") for lang, words in CUES["yes_no"]["wh"].items()}


def yes_no(question: str, folded: str, lang: str) -> bool:
    """Whether a question asks yes or no (``cues.json: yes_no``): an auxiliary first ("was the law
    approved"), or, in Spanish and Portuguese, a question mark or "ya" and no question word."""
    if any(re.search(p, folded) for p in CUES["yes_no"]["starts"].get(lang, [])):
        return True
    if lang == "en" or not (question.rstrip().endswith("?") or folded.startswith("ya ")):
        return False
    return not _QUESTION_WORD[lang].search(folded)


def refuted(intent: str, folded: str, lang: str) -> bool:
    """Whether a pattern of ``intent``'s in ``cues.json: refuted`` rules it out for the folded question."""
    return _hits("refuted", intent, folded, lang) > 0


def cue_hits(intent: str, folded: str, lang: str) -> int:
    """How many of ``intent``'s cue patterns in ``lang`` match the folded question."""
    return _hits("intents", intent, folded, lang)


@dataclass(frozen=True)
class Asked:
    """The kind of quantity a question asks for: "money", "percent" or "count" of ``nouns``."""

    kind: str
    nouns: tuple[str, ...] = ()  # as asked
    matches: tuple[str, ...] = ()  # the counted (last) noun and its synonyms


NOUNS = json.loads((Path(__file__).parent / "data" / "nouns.json").read_text(encoding="utf-8"))
_SYNONYMS = {w: tuple(group) for group in NOUNS["groups"] for w in group}


def _up_to_plural(words: list[str]) -> list[str]:
    """The asked noun phrase: the words up to the first plural or known countable noun ("screen
    reader licenses will" → "screen reader licenses", "people took part" → "people")."""
    for i, w in enumerate(words):
        if w in _SYNONYMS or (w.endswith("s") and len(w) > 3):
            return words[: i + 1]
    return words[:1]


def asked_quantity(folded: str, lang: str) -> Asked:
    """What a quantity question asks for: "how many <noun>" is a count of that noun (and of its
    synonyms in every language) unless the noun is money; else money or percent cue words."""
    kinds = CUES["kinds"]
    for p in kinds["count"][lang]:
        if m := re.search(p, folded):
            nouns = _up_to_plural([w for w in m.group(1).split() if w not in NOUNS["function_words"]]
                                  or m.group(1).split()[:1])
            if nouns[0] in NOUNS["money"]:
                return Asked("money")
            head = nouns[-1]  # "open budget workshops" counts workshops
            return Asked("count", tuple(nouns), tuple(dict.fromkeys((head, *_SYNONYMS.get(head, ())))))
    for kind in ("money", "percent"):
        if any(re.search(p, folded) for p in kinds[kind][lang]):
            return Asked(kind)
    return Asked("count")


class IntentModel:
    """Nearest neighbours of a question among the labelled examples (cosine, multilingual e5)."""

    def __init__(self, embedder):
        self.embedder = embedder

    @cached_property
    def _examples(self) -> tuple[list[str], np.ndarray]:
        names, texts = [], []
        for name, spec in INTENTS.items():
            for phrases in spec["examples"].values():
                names += [name] * len(phrases)
                texts += phrases
        return names, embed(self.embedder, texts, kind="query")  # from the vector cache after the first run

    @cached_property
    def generic_stems(self) -> set[str]:
        """Stems of the words of every example phrasing but the countable nouns (``nouns.json``):
        words that ask, not words that describe."""
        asked = stems(" ".join(t for spec in INTENTS.values() for phrases in spec["examples"].values() for t in phrases))
        return asked - stems(" ".join(w for group in NOUNS["groups"] for w in group))

    def warm(self) -> None:
        """Load the embedder and embed the labelled examples now (they are embedded once)."""
        self._examples

    def scores(self, vector: np.ndarray, folded: str, lang: str) -> dict[str, float]:
        """Per intent: the mean similarity of its two examples nearest to ``vector`` (the
        embedded generic question), plus cue-word hits."""
        names, vectors = self._examples
        sims = vectors @ vector
        best: dict[str, list[float]] = {}
        for name, sim in zip(names, sims.tolist()):
            best.setdefault(name, []).append(sim)
        return {name: float(np.mean(sorted(s)[-2:])) + CUE_WEIGHT * min(2, cue_hits(name, folded, lang))
                for name, s in best.items()}


def generic_text(folded: str, links: Links, lang: str) -> str:
    """The question with each linked entity replaced by its kind ("la institucion"), so that the
    examples match the phrasing rather than the names."""
    spans = [(e.start, e.end, e.kind) for e in links.entities]
    if links.number_span and not any(k == "commitment" for *_, k in spans):
        spans.append((*links.number_span, "commitment"))
    out, at = [], 0
    for s, t, kind in sorted(spans):
        if s < at:
            continue
        out += [folded[at:s], _PLACEHOLDER[kind][lang]]
        at = t
    return "".join(out + [folded[at:]])


def _asks(operation: str, folded: str, lang: str) -> bool:
    """Whether the folded question asks ``operation`` in so many words (``cues.json: operations``)."""
    return any(re.search(p, folded) for p in CUES["operations"][operation][lang])


def satisfied(intent: str, links: Links, has_commitment: bool, folded: str, lang: str) -> bool:
    """Whether the (folded) question names what ``intent`` needs, asks one of the operations it
    computes in so many words (``cues.json: operations``) and every one it ``requires``, and
    names nothing it excludes (an aggregate over all commitments is not the answer to a question
    about one; "linked": a question that names or describes anything of the graph is not outside it)."""
    needs = INTENTS[intent]["needs"]
    kinds = [e.kind for e in links.entities]
    operations = INTENTS[intent].get("operations", ())
    if operations and not any(_asks(op, folded, lang) for op in operations):
        return False
    if not all(_asks(op, folded, lang) for op in INTENTS[intent].get("requires", ())):
        return False
    excludes = INTENTS[intent].get("excludes", ())
    if "commitment" in excludes and (links.number is not None or "commitment" in kinds):
        return False
    if "linked" in excludes and (has_commitment or links.entities or links.number is not None):
        return False
    for need in set(needs):
        if need == "commitment" and not has_commitment:
            return False
        if need == "named" and not (set(kinds) & {"org", "law"} or links.acronyms):
            return False
        if need in ("org", "law", "place") and kinds.count(need) < needs.count(need):
            return False
    return True
