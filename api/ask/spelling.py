"""Misspelled words of a question put right: a word no document, intent example or cue word has
("signifca", "diplomdo", "lanched") becomes the closest word that one has (rapidfuzz), so that the
cue words, the intent examples and the lexical search see what the user meant."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

#: a word is put right only when this long (shorter words are too often another word)
MIN_LENGTH = 5
#: and only to a known word at least this similar (rapidfuzz ratio, 0-100)
MIN_RATIO = 88
_WORD = re.compile(r"[a-z]+")


class Speller:
    """Puts the misspelled words of folded (lower-case, accent-free) questions right."""

    def __init__(self, texts: Iterable[str]):
        counts = Counter(w for text in texts for w in _WORD.findall(text))
        self.known = counts
        # candidates by first letter, most frequent first (a tie goes to the commoner word)
        self._by_initial: dict[str, list[str]] = {}
        for word, _ in counts.most_common():
            if len(word) >= MIN_LENGTH - 1:
                self._by_initial.setdefault(word[0], []).append(word)
        self.correct_word = lru_cache(maxsize=4096)(self._correct_word)

    def _correct_word(self, word: str) -> str:
        if len(word) < MIN_LENGTH or word in self.known:
            return word
        choices = [w for w in self._by_initial.get(word[0], ()) if abs(len(w) - len(word)) <= 2]
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=MIN_RATIO)
        if not best or word.startswith(best[0]) or best[0].startswith(word):
            return word  # (another form of a known word, "licenses" for "license", is no misspelling)
        return best[0]

    def correct(self, folded: str) -> str:
        """``folded`` with each unknown word of ``MIN_LENGTH`` letters or more replaced by the
        closest known word (same first letter, at most two letters longer or shorter, ratio ≥
        ``MIN_RATIO``, neither a prefix of the other); the other characters unchanged."""
        return _WORD.sub(lambda m: self.correct_word(m.group(0)), folded)
