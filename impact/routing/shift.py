"""Journeys over a shift: the best, the typical and the worst run a worker could take, and a bad day.

`TransitRouter.journeys` answers with one journey each way: the latest departure that
arrives in time, the earliest arrival home. A worker does not always catch that one:
she may leave on an earlier run to keep a margin, and a missed connection sends her
to the next run. Over the runs she could reasonably take -- to work, those arriving
no more than ``transit.service.reasonable_window_minutes`` before the shift (the
margin before the shift respected); home, those leaving the office within that window
after the shift -- this module reports, door to door:

    out_best_min, out_typical_min, out_worst_min   [minutes] leave home -> shift start
                                                   (the wait at the office included);
                                                   typical = the median run, runs that
                                                   leave earlier and arrive no sooner left out
    out_runs                                       how many runs are in the window
    out_typical_wait_min                           [minutes] arrival -> shift start, typical run
    out_bad_day_late_min                           [minutes] late for the shift when the best
                                                   run's first vehicle is missed and the
                                                   next run from that station is taken
                                                   (NaN when there is no next run that day)
    back_best_min, back_typical_min, back_worst_min   [minutes] shift end -> home
    back_runs
    back_typical_wait_min                          [minutes] shift end -> leaving the office
    back_bad_day_extra_min                         [minutes] later home when the first run
                                                   home is missed and the next one is taken
                                                   (NaN when it was the last one)

One row per worker, NaN where no run fits. The model's headline uses the typical run
(`impact.routing.typical`) and the pages say so.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from impact.routing.evidence import _pareto
from impact.routing.gtfs import Profiles
from impact.routing.transit import TransitRouter, worker_shift_arrays

SHIFT_COLUMNS = ["out_best_min", "out_typical_min", "out_worst_min", "out_runs", "out_typical_wait_min",
                 "out_bad_day_late_min", "back_best_min", "back_typical_min", "back_worst_min", "back_runs",
                 "back_typical_wait_min", "back_bad_day_extra_min"]


def _typical(values: np.ndarray) -> int:
    """Index of the median value (the lower middle of an even count)."""
    order = np.argsort(values, kind="stable")
    return int(order[(len(values) - 1) // 2])


def _way(prof: Profiles, stops: np.ndarray, access: np.ndarray, times: np.ndarray, low: float, high: float,
         fallback: np.ndarray, leave: Callable, arrive: Callable, anchor: float, way: str) -> tuple[dict, int, int]:
    """The runs one way, summed up: (columns of `way`, the best run's pair, its station's position).

    The way home is the way to work in reversed time (times negated: leaving the office is
    arriving, getting home is leaving, the shift's end is the anchor), so one function serves
    both. `leave(pairs, access)` and `arrive(pairs, access)` [minutes] are a run's two ends in
    the way's own time and `anchor` the shift time it is measured from: door to door is
    anchor - leave, the wait at the office anchor - arrive.

    The runs are every Pareto run of every candidate station whose `times` (arrivals at
    the office on the way out, departures from it on the way home) fall in [low, high];
    when none does, the one run of `fallback` (a pair per station, -1 for none) with the
    fewest door-to-door minutes. Of those, the runs another run beats (leaves no earlier and
    arrives no later: the same train from a farther station, an earlier one that gets in no
    sooner) are left out: counted, they would pull the typical run away from the real ones.
    The pair is -1 when no run fits.
    """
    pairs, positions = [], []
    for i, s in enumerate(stops):
        p = np.arange(prof.offsets[s], prof.offsets[s + 1])
        p = p[(low <= times[p]) & (times[p] <= high)]
        pairs.append(p)
        positions.append(np.full(len(p), i))
    pair = np.concatenate(pairs) if pairs else np.zeros(0, dtype=np.int64)
    position = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
    if len(pair) == 0:   # nothing in the window: the run that fits best, if any
        ok = fallback >= 0
        if not ok.any():
            return {}, -1, -1
        k = int(np.argmax(np.where(ok, leave(np.maximum(fallback, 0), access), -np.inf)))
        pair, position = fallback[[k]], np.array([k])
    keep = np.sort(_pareto(np.asarray(leave(pair, access[position]), dtype=float),
                           np.asarray(arrive(pair, access[position]), dtype=float)))
    pair, position = pair[keep], position[keep]
    minutes = anchor - np.asarray(leave(pair, access[position]), dtype=float)
    k, best = _typical(minutes), int(np.argmin(minutes))
    columns = {f"{way}_best_min": minutes.min(), f"{way}_typical_min": minutes[k], f"{way}_worst_min": minutes.max(),
               f"{way}_runs": len(minutes),
               f"{way}_typical_wait_min": float(anchor - arrive(pair[[k]], access[position[[k]]])[0])}
    return columns, int(pair[best]), int(position[best])


def _next_run(prof: Profiles, stop: int, pair: int) -> int:
    """The pair of the next run from the same station, or -1 when `pair` was the last one."""
    return pair + 1 if pair + 1 < int(prof.offsets[stop + 1]) else -1


def _one(router: TransitRouter, lat: float, lon: float, site_id: str, start: int, end: int,
         window: int) -> dict[str, float]:
    fwd, bwd, _ = router.profiles(site_id)
    r = router.rules
    idx, amin, _, _ = router.access([lat], [lon])
    reach = np.isfinite(amin[0])
    stops, access = idx[0][reach], amin[0][reach]
    row = dict.fromkeys(SHIFT_COLUMNS, np.nan)
    row["out_runs"] = row["back_runs"] = 0
    everywhere = lambda t: np.full(len(stops), t)  # noqa: E731
    # To work: runs arriving in [start - window, deadline]; leave home, arrive at the office.
    deadline = start - r.arrival_margin
    out, p, i = _way(fwd, stops, access, fwd.arr, start - window, deadline, fwd.latest_by(stops, everywhere(deadline)),
                     lambda q, a: fwd.dep[q] - a, lambda q, a: fwd.arr[q], start, "out")
    row.update(out)
    if p >= 0:   # a bad day: the best run's first vehicle missed, the next run from that station taken
        nxt = _next_run(fwd, int(stops[i]), p)
        row["out_bad_day_late_min"] = max(float(fwd.arr[nxt]) - start, 0.0) if nxt >= 0 else np.nan
    # Home: runs leaving the office in [end + margin, end + margin + window], in reversed time.
    t0 = end + r.exit_margin
    back, q, i = _way(bwd, stops, access, bwd.dep, t0, t0 + window, bwd.earliest_after(stops, everywhere(t0)),
                      lambda q, a: -(bwd.arr[q] + a), lambda q, a: -bwd.dep[q], -end, "back")
    row.update(back)
    if q >= 0:   # the first run home missed, the next one taken
        nxt = _next_run(bwd, int(stops[i]), q)
        row["back_bad_day_extra_min"] = float(bwd.arr[nxt] - bwd.arr[q]) if nxt >= 0 else np.nan
    return row


def shift_spread(router: TransitRouter, home_lat, home_lon, site_ids, shift_start, shift_end,
                 window_minutes: float | None = None) -> pd.DataFrame:
    """Best, typical and worst runs over the shift, and a bad day, one row per worker (see the module)."""
    lat, lon, sites, start, end = worker_shift_arrays(home_lat, home_lon, site_ids, shift_start, shift_end)
    n = len(lat)
    window = int(window_minutes if window_minutes is not None else router.rules.reasonable_window)
    cache: dict[tuple, dict] = {}
    rows = []
    for i in range(n):   # homes are comune centres: each distinct (home, office, shift) is computed once
        key = (lat[i], lon[i], sites[i], int(start[i]), int(end[i]))
        if key not in cache:
            cache[key] = _one(router, lat[i], lon[i], sites[i], int(start[i]), int(end[i]), window)
        rows.append(cache[key])
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)
