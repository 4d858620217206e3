"""Distinct rows of arrays, so that work done once per distinct row serves every row.

Homes are mostly comune centres and shifts are few: a roster of 100,000 workers has a
few thousand distinct (home, office, shift) rows. A sort of the columns finds them;
no key is packed into one number.
"""

from __future__ import annotations

import numpy as np


def distinct_rows(*columns) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of equal-length columns, in sorted order, and each row's place among them.

    Returns (the columns of the distinct rows, `row`) with ``column[i] == distinct[row[i]]``
    for every column. A NaN never equals anything, so each row holding one stays apart.
    """
    columns = [np.atleast_1d(np.asarray(c)) for c in columns]
    n = len(columns[0])
    order = np.lexsort(columns[::-1])
    ordered = [c[order] for c in columns]
    first = np.ones(n, dtype=bool)
    changed = np.zeros(max(n - 1, 0), dtype=bool)
    for c in ordered:
        changed |= c[1:] != c[:-1]
    first[1:] = changed
    row = np.empty(n, dtype=np.int64)
    row[order] = np.cumsum(first) - 1
    return [c[first] for c in ordered], row
