"""Rows with equal keys, found together: the groups of a roster that share a home, an office, a shift or a pay level.

Homes are mostly comune centres and shifts are few: a roster of 100,000 workers has a few
thousand distinct (home, office, shift) rows. Work done once per group serves every row of it
(``values[group]``). One sort of the keys finds the groups; no key is packed into one number.
"""

from __future__ import annotations

import numpy as np


def groups(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group of each row, first row of each group) for rows equal in every key; groups in key order.

    Keys are numeric arrays of one length, so ``key[first]`` are the groups' keys and
    ``key[i] == key[first][group[i]]`` for every row. A NaN never equals anything, so each row
    holding one is a group of its own. One sort over all keys (`np.unique(axis=0)` on the stacked
    keys costs ten times more for a roster).
    """
    keys = tuple(np.atleast_1d(np.asarray(key)) for key in keys)
    order = np.lexsort(keys[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[:1] = True
    for key in keys:
        ordered = key[order]
        change[1:] |= ordered[1:] != ordered[:-1]
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(change) - 1
    return group, order[change]
