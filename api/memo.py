"""Bounded memos: an LRU map (the least recently used entries go first; safe to share between threads)
and the fixed-size key of a text."""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

_V = TypeVar("_V")


class LRU(Generic[_V]):
    """At most ``size`` entries; ``get`` → value or None, ``put`` stores (and evicts the oldest)."""

    def __init__(self, size: int):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: Hashable) -> _V | None:
        """The value stored under ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: _V) -> None:
        """Store ``value`` under ``key``, evicting the least recently used entry past ``size``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            if len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], _V]) -> _V:
        """The stored value, else ``make()`` stored (computed outside the lock; errors are not stored)."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value


def digest(*texts: str) -> bytes:
    """A fixed-size key for any texts (memos stay bounded whatever the request size)."""
    h = hashlib.blake2b(digest_size=16)
    for text in texts:
        h.update(text.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.digest()
