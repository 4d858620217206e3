"""Checking numeric inputs once, the same way in every domain module."""

from __future__ import annotations

import numpy as np

from impact.errors import ImpactError


def number_array(values, name: str, error: type[ImpactError], *, one_per_worker: bool = True,
                 allow_negative: bool = False, allow_nan: bool = False, allow_inf: bool = False) -> np.ndarray:
    """`values` as a float array, or `error` saying which input (`name`) is wrong and how.

    With `one_per_worker` a scalar becomes an array of one and anything but a 1-D array is refused.
    NaN is never counted as negative.
    """
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise error(f"{name} must be numbers, got {values!r}") from None
    if one_per_worker:
        array = np.atleast_1d(array)
        if array.ndim != 1:
            raise error(f"{name} must be one number per worker (a 1-D array), got shape {array.shape}")
    # The model calls this dozens of times per evaluation on clean arrays: one pass when all is well.
    if not (allow_nan and allow_inf) and not np.isfinite(array).all():
        if not allow_nan and np.isnan(array).any():
            raise error(f"{name} has missing values")
        if not allow_inf and np.isinf(array).any():
            raise error(f"{name} has infinite values")
    if not allow_negative and (array < 0).any():  # NaN compares False: never negative
        raise error(f"{name} cannot be negative")
    return array
