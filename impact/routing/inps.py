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

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from impact.geo import distinct_points
from impact.routing.pareto import pareto_runs

if TYPE_CHECKING:
    from impact.routing.transit import TransitRouter

INPS_COLUMNS = ("inps_minutes", "inps_min_minutes", "inps_max_minutes", "inps_journeys", "inps_access",
                "inps_lower_bound", "inps_over_threshold", "inps_basis", "inps_source")


def inps_arrays(router: TransitRouter, home_lat, home_lon, site_id: str = "torino") -> dict[str, np.ndarray]:
    """The INPS figure for each home [degrees] to office `site_id`, as a dict of arrays (`INPS_COLUMNS`)."""
    lat, lon, row = distinct_points(home_lat, home_lon)
    columns = _inps_columns(router, lat, lon, site_id)
    return {name: values[row] for name, values in zip(INPS_COLUMNS, columns)}


class InpsRuns(NamedTuple):
    """The journeys the INPS figure averages, one entry per journey, by home and then by arrival."""

    home: np.ndarray     # the home's position in the call
    stop: np.ndarray     # the station boarded (timetable stop index)
    pair: np.ndarray     # the journey's pair in the office's profile (`TransitRouter.profiles`)
    leave: np.ndarray    # [minutes after midnight] leaving home
    arrive: np.ndarray   # [minutes after midnight] arriving at the office
    any_walk: np.ndarray  # per home: a station is within walking distance, so only walks to stations count


def inps_runs(router: TransitRouter, lat, lon, site_id: str) -> InpsRuns:
    """Every journey in the INPS average of each home [degrees] to office `site_id`: the runs of its
    candidate stations arriving within the INPS window, less those another run beats (`pareto_runs`)."""
    lat, lon = np.atleast_1d(np.asarray(lat, dtype=float)), np.atleast_1d(np.asarray(lon, dtype=float))
    n = len(lat)
    fwd, _, _ = router.profiles(site_id)
    w0, w1 = router.rules.inps_window
    idx, amin, _, walk_min = router.access(lat, lon)
    k = idx.shape[1]
    any_walk = np.isfinite(walk_min).any(axis=1)
    acc = np.where(any_walk[:, None], walk_min, amin)
    # Every journey of every candidate station, as flat arrays (owner = worker * k + candidate).
    start = fwd.offsets[idx].ravel()
    length = np.where(np.isfinite(acc), fwd.count(idx), 0).ravel()
    owner = np.repeat(np.arange(n * k), length)
    first_of = np.repeat(np.cumsum(length) - length, length)
    pair = np.repeat(start, length) + np.arange(length.sum()) - first_of
    leave = fwd.dep[pair] - acc.ravel()[owner]
    arrive = fwd.arr[pair]
    keep = np.flatnonzero((arrive >= w0) & (arrive <= w1))
    keep = keep[pareto_runs(leave[keep], arrive[keep], owner[keep] // k)]
    return InpsRuns(owner[keep] // k, idx.ravel()[owner[keep]], pair[keep], leave[keep], arrive[keep], any_walk)


def _inps_columns(router: TransitRouter, lat: np.ndarray, lon: np.ndarray, site_id: str) -> tuple[np.ndarray, ...]:
    """The INPS figure's columns (in `INPS_COLUMNS` order) for distinct home points [degrees]."""
    n = len(lat)
    runs = inps_runs(router, lat, lon, site_id)
    worker, travel, any_walk = runs.home, runs.arrive - runs.leave, runs.any_walk
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
