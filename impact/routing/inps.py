"""The INPS 80-minute figure: the average time by public transport from home to the new office.

INPS message 369/2018 counts a transfer as a just cause for leaving (NASpI after a
resignation) when the new office is more than 50 km from home or reachable "on
average in 80 minutes or more by public transport" (``rights.inps_transfer``, applied
in ``impact.rights``). This module computes that average from the router's journeys:
the mean leave-home-to-arrive-office time over every Pareto-optimal weekday journey
arriving within the window of ``transit.service`` (06:00-22:00), with walking access
to the station. Where no station is within walking distance the model has no local
bus to offer, so the access is by car and the figure is a lower bound (flagged).

Columns (`INPS_COLUMNS`, one value per home):

    inps_minutes          [minutes] the average (or the direct walk when quicker)
    inps_min_minutes      [minutes] the quickest of the journeys averaged
    inps_max_minutes      [minutes] the slowest of them
    inps_journeys         how many journeys were averaged
    inps_access           "walk", "car" (a lower bound) or "walk-direct"
    inps_lower_bound      the access is by car, so the true figure is no lower
    inps_over_threshold   inps_minutes >= the INPS 80 minutes (True when no journey exists)
    inps_basis            a code the faces word: walk_direct, mean_walk, mean_car, none
    inps_source           "timetable-model" or "gtfs"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from impact.geo import distinct_points

if TYPE_CHECKING:
    from impact.routing.transit import TransitRouter

INPS_COLUMNS = ("inps_minutes", "inps_min_minutes", "inps_max_minutes", "inps_journeys", "inps_access",
                "inps_lower_bound", "inps_over_threshold", "inps_basis", "inps_source")


def inps_arrays(router: TransitRouter, home_lat, home_lon, site_id: str = "torino") -> dict[str, np.ndarray]:
    """The INPS figure for each home [degrees] to office `site_id`, as a dict of arrays (`INPS_COLUMNS`)."""
    lat, lon, row = distinct_points(home_lat, home_lon)
    columns = _inps_columns(router, lat, lon, site_id)
    return {name: values[row] for name, values in zip(INPS_COLUMNS, columns)}


def _inps_columns(router: TransitRouter, lat: np.ndarray, lon: np.ndarray, site_id: str) -> tuple[np.ndarray, ...]:
    """The INPS figure's columns (in `INPS_COLUMNS` order) for distinct home points [degrees]."""
    n = len(lat)
    fwd, _, _ = router.profiles(site_id)
    w0, w1 = router.rules.inps_window
    idx, amin, amode, walk_min = router.access(lat, lon)
    k = idx.shape[1]
    any_walk = np.isfinite(walk_min).any(axis=1)
    acc = np.where(any_walk[:, None], walk_min, amin)
    # Every journey of every candidate station, as flat arrays (owner = worker * k + candidate).
    start = fwd.offsets[idx].ravel()
    length = np.where(np.isfinite(acc), fwd.count(idx), 0).ravel()
    owner = np.repeat(np.arange(n * k), length)
    first_of = np.repeat(np.cumsum(length) - length, length)
    pair = np.repeat(start, length) + np.arange(length.sum()) - first_of
    worker = owner // k
    leave = fwd.dep[pair] - acc.ravel()[owner]
    arrive = fwd.arr[pair]
    keep = (arrive >= w0) & (arrive <= w1)
    worker, leave, arrive = worker[keep], leave[keep], arrive[keep]
    # Pareto filter per worker: drop a journey if another arrives no later and leaves no earlier.
    order = np.lexsort((-leave, arrive, worker))
    worker, leave, arrive = worker[order], leave[order], arrive[order]
    big = 10 * 1440
    running = np.maximum.accumulate(leave + worker * big) - worker * big
    previous = np.concatenate([[-np.inf], running[:-1]])
    new_worker = np.concatenate([[True], worker[1:] != worker[:-1]])
    previous[new_worker] = -np.inf
    best = leave > previous
    worker, travel = worker[best], (arrive - leave)[best]
    count = np.bincount(worker, minlength=n)
    total = np.bincount(worker, weights=travel, minlength=n)
    mean = np.where(count > 0, total / np.maximum(count, 1), np.inf)
    low = np.full(n, np.inf)
    high = np.full(n, -np.inf)
    np.minimum.at(low, worker, travel)
    np.maximum.at(high, worker, travel)
    walk_direct, _ = router.direct(lat, lon, site_id, walk_only=True)
    direct = walk_direct <= mean
    minutes = np.where(direct, walk_direct, mean)
    lower_bound = ~any_walk & ~direct & (count > 0)
    mode = np.where(direct, "walk-direct", np.where(any_walk, "walk", np.where(count > 0, "car", "")))
    found = np.isfinite(minutes)
    nan = np.nan
    # A code the faces word (codes.inps_basis.* in the catalogue); the count is inps_journeys.
    basis = np.where(direct, "walk_direct",
                     np.where(count > 0, np.where(any_walk, "mean_walk", "mean_car"), "none"))
    return (np.where(found, np.round(minutes, 1), nan),
            np.where(direct, walk_direct, np.where(count > 0, low, nan)),
            np.where(direct, walk_direct, np.where(count > 0, high, nan)),
            np.where(direct, 1, count),
            mode.astype(object),
            lower_bound,
            np.where(found, minutes >= router.rules.inps_threshold, True),
            basis.astype(object),
            np.full(n, router.timetable.source, dtype=object))
