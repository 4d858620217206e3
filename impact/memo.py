"""Remembering results by number: sorted keys found by binary search, for whole arrays at once."""

from __future__ import annotations

import threading
from typing import Callable, Sequence

import numpy as np


def find_sorted(known: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, position) of each key in the sorted array `known`; position is 0 where not found."""
    if not len(known):
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    found = known[at] == keys
    return found, np.where(found, at, 0)


class KeyedMemo:
    """Results per key, computed once and kept until `clear`.

    Only keys not met before are computed, in one vectorized call of `compute`; keys are
    numbers (a point as the complex lat + i lon, or an integer) found by a binary search over
    the known ones, so a roster's lookup is a few array operations. Rows are numbered in the
    order keys were first met and never move until `clear`. Safe across the app's threads.
    """

    def __init__(self, compute: Callable[[np.ndarray], tuple[np.ndarray, ...]]) -> None:
        self._compute = compute          # distinct new keys -> tuple of arrays, one row per key
        self._known = np.empty(0)        # sorted keys
        self._row = np.empty(0, dtype=np.int64)    # each known key's row in `stored`
        self.stored: tuple[np.ndarray, ...] = ()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._row)

    def clear(self) -> None:
        with self._lock:
            self._known, self._row, self.stored = np.empty(0), np.empty(0, dtype=np.int64), ()

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """Each key's row, computing the keys not met before."""
        with self._lock:
            return self._rows(keys)

    def _rows(self, keys: np.ndarray) -> np.ndarray:
        found, at = find_sorted(self._known, keys)
        if not found.all():
            missing = np.unique(keys[~found])
            new = tuple(np.asarray(a) for a in self._compute(missing))
            first = len(self._row)
            self.stored = new if not self.stored else tuple(
                np.concatenate([old, part]) for old, part in zip(self.stored, new))
            known = np.concatenate([self._known, missing]) if len(self._known) else missing
            order = np.argsort(known, kind="stable")
            self._known = known[order]
            self._row = np.concatenate([self._row, first + np.arange(len(missing))])[order]
            at = find_sorted(self._known, keys)[1]
        return self._row[at]

    def __call__(self, keys: np.ndarray, columns: Sequence[int] | None = None) -> tuple[np.ndarray, ...]:
        """The stored arrays (or those at `columns`) for each key, in the order given."""
        with self._lock:  # rows and the arrays they point into, from the same moment
            rows, stored = self._rows(keys), self.stored
        return tuple(stored[c][rows] for c in (range(len(stored)) if columns is None else columns))
