"""The project's text toolkit: sentence boundaries, the accent/case folds used for matching, and
the one language detector.

``sentences`` is spaCy's rule-based sentencizer behind a tokenizer that knows the abbreviations
in ``data/text/abbreviations.json`` ("No.", "Nos.", "Q.", "Art.", "U.S."…), decimals and ordinal
marks ("2do.", "1.º"), so none of them ends a sentence; line breaks between blocks always do.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_ABBREVIATIONS = Path(__file__).parent / "data" / "text" / "abbreviations.json"
_LANGUAGE_WORDS = Path(__file__).parent / "data" / "text" / "languages.json"
_BREAK = re.compile(r"\n|\t|</p>|</li>|</h\d>|<br\s*/?>|</td>", re.IGNORECASE)  # blocks never share a sentence
_TAG = re.compile(r"<[^>]+>")
_ORDINAL = re.compile(r"^\d{1,3}(?:er|ero|era|do|da|ro|ra|to|ta|vo|va|no|na|mo|ma|st|nd|rd|th|[ºªo])\.?$", re.IGNORECASE)
_QUESTION_MARKS = re.compile(r"[¿?¡!\"“”«»]")


def strip_accents(text: str) -> str:
    """``text`` without combining accents, same length for Spanish letters ("Información" → "Informacion")."""
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


def word_fold(text: str) -> str:
    """The words of ``text`` lower-cased, without accents, one space apart (punctuation, ``_``,
    ``-`` and ``.`` separate words): how titles and field names are compared."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def match_form(text: str) -> str:
    """``text`` for matching: lower case, accents removed, question/exclamation marks and quotes
    dropped, white space collapsed. Length may change; never use it for offsets."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", _QUESTION_MARKS.sub(" ", text)).strip()


def name_key(text: str) -> str:
    """How a name (of an institution, a law, a place) is looked up: ASCII letters only (accents
    dropped), case-folded, quotes removed, spaces collapsed, end punctuation trimmed
    ("«Ministerio de Educación».") → "ministerio de educacion"). Keys and IRIs are made from it."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"\s+", " ", re.sub(r"[\"“”«»]", "", text)).strip(" .,;:-")


@lru_cache(maxsize=1)
def _language_words() -> dict[str, frozenset[str]]:
    data = json.loads(_LANGUAGE_WORDS.read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in data.items() if not lang.startswith("_")}


def detect_language(text: str, *, default: str = "es", limit: int = 50_000) -> str:
    """The language of ``text`` ("es", "en", "pt" or "fr"): the one whose common words
    (``data/text/languages.json``) occur most often in its first ``limit`` characters, accents and
    case ignored. Works from a short question to a whole document; ``default`` on a tie (or no
    common word at all)."""
    words = re.findall(r"[a-z']+", strip_accents(text[:limit]).lower())
    scores = {lang: sum(w in common for w in words) for lang, common in _language_words().items()}
    best = max(scores.values())
    winners = [lang for lang, score in scores.items() if score == best]
    return default if default in winners or len(winners) > 1 else winners[0]


@lru_cache(maxsize=1)
def _splitter():
    import spacy

    nlp = spacy.blank("xx")
    words = {w for key, values in json.loads(_ABBREVIATIONS.read_text(encoding="utf-8")).items()
             if not key.startswith("_") for w in values}
    for word in words:
        for form in {word, word.lower(), word.upper(), word.capitalize()}:
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    nlp.tokenizer.token_match = _ORDINAL.match
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(begin, end) character offsets into ``text`` of each sentence of ``text[start:end]``,
    stripped of surrounding blanks and markup-only pieces; offsets always index ``text``."""
    end = len(text) if end is None else end
    nlp = _splitter()
    spans = []
    cuts = [start, *(x for m in _BREAK.finditer(text, start, end) for x in (m.start(), m.end())), end]
    for b0, e0 in zip(cuts[::2], cuts[1::2]):
        masked = _TAG.sub(lambda m: " " * len(m.group(0)), text[b0:e0])  # tags kept as blanks: offsets stay
        if not re.search(r"\w", masked):
            continue
        for sent in nlp(masked).sents:
            piece = masked[sent.start_char : sent.end_char]
            if re.search(r"\w", piece):
                lead = len(piece) - len(piece.lstrip())
                spans.append((b0 + sent.start_char + lead, b0 + sent.start_char + len(piece.rstrip())))
    return spans


def sentence_at(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The sentence of ``text`` containing the characters ``start``–``end`` (from the start of the
    sentence holding ``start`` to the end of the one holding ``end``)."""
    end = start + 1 if end is None else end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    spans = sentences(text, line_start, line_end) or [(start, end)]
    first = next((s for s in spans if s[0] <= start < s[1]), spans[0])
    last = next((s for s in spans if s[0] < end <= s[1]), first)
    return first[0], max(first[1], last[1])
