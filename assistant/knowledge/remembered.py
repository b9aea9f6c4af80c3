"""A pure batch function's answers, each key computed once and the last ``limit`` kept.

The same model gives the same output for the same input: a sentence quoted in one answer, or a (claim,
passage) pair read for it, is a lookup in the next. Thread-safe: the app answers several sessions at once.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Iterable, Sequence, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Remembered(Generic[K, V]):
    def __init__(self, compute: Callable[[list[K]], Iterable[V]], limit: int | None = None) -> None:
        """``compute``: keys -> their values, in order; ``limit``: values kept, least recently used out first
        (None: all of them)."""
        self.compute, self.limit = compute, limit
        self._known: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, keys: Sequence[K]) -> tuple[list[V], int]:
        """The value of each key, and how many distinct keys had to be computed."""
        distinct = list(dict.fromkeys(keys))
        with self._lock:
            known = {k: self._known[k] for k in distinct if k in self._known}
            for k in known:
                self._known.move_to_end(k)
        new = [k for k in distinct if k not in known]
        if new:
            known.update(zip(new, self.compute(new)))
            with self._lock:
                for k in new:
                    self._known[k] = known[k]
                while self.limit is not None and len(self._known) > self.limit:
                    self._known.popitem(last=False)
        return [known[k] for k in keys], len(new)
