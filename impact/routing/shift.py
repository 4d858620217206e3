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

import numpy as np
import pandas as pd

from impact.routing.evidence import _pareto
from impact.routing.transit import TransitRouter, worker_shift_arrays

SHIFT_COLUMNS = ["out_best_min", "out_typical_min", "out_worst_min", "out_runs", "out_typical_wait_min",
                 "out_bad_day_late_min", "back_best_min", "back_typical_min", "back_worst_min", "back_runs",
                 "back_typical_wait_min", "back_bad_day_extra_min"]


def _typical(values: np.ndarray) -> int:
    """Index of the median value (the lower middle of an even count)."""
    order = np.argsort(values, kind="stable")
    return int(order[(len(values) - 1) // 2])


def _undominated(leave: list, arrive: list, *more: list) -> tuple[list, ...]:
    """The runs no other run beats (leaves no earlier and arrives no later), with their other lists.

    The same train reached from a farther station, or an earlier one that gets in no sooner, is
    not a run anyone would take: counted, it would pull the typical run away from the real ones.
    """
    keep = sorted(_pareto(np.asarray(leave, dtype=float), np.asarray(arrive, dtype=float)))
    return tuple([values[k] for k in keep] for values in (leave, arrive, *more))


def _one(router: TransitRouter, lat: float, lon: float, site_id: str, start: int, end: int,
         window: int) -> dict[str, float]:
    fwd, bwd, _ = router.profiles(site_id)
    r = router.rules
    idx, amin, _, _ = router.access([lat], [lon])
    stops, access = idx[0][np.isfinite(amin[0])], amin[0][np.isfinite(amin[0])]
    row = dict.fromkeys(SHIFT_COLUMNS, np.nan)
    row["out_runs"] = row["back_runs"] = 0
    deadline = start - r.arrival_margin
    # To work: every Pareto run of every station arriving in [start - window, deadline].
    leave, arrive, station, pair = [], [], [], []
    for s, a in zip(stops, access):
        for p in range(int(fwd.offsets[s]), int(fwd.offsets[s + 1])):
            if start - window <= fwd.arr[p] <= deadline:
                leave.append(fwd.dep[p] - a)
                arrive.append(fwd.arr[p])
                station.append(int(s))
                pair.append(p)
    if not leave:   # nothing in the window: the latest run that still arrives in time, if any
        best = fwd.latest_by(stops, np.full(len(stops), deadline))
        ok = best >= 0
        if ok.any():
            k = int(np.argmax(np.where(ok, fwd.dep[np.maximum(best, 0)] - access, -np.inf)))
            leave, arrive, station, pair = [fwd.dep[best[k]] - access[k]], [fwd.arr[best[k]]], [int(stops[k])], [int(best[k])]
    if leave:
        leave, arrive, station, pair = _undominated(leave, arrive, station, pair)
        leave_a, arrive_a = np.asarray(leave, dtype=float), np.asarray(arrive, dtype=float)
        door = start - leave_a
        k = _typical(door)
        best = int(np.argmin(door))
        row.update(out_best_min=door.min(), out_typical_min=door[k], out_worst_min=door.max(),
                   out_runs=len(door), out_typical_wait_min=start - arrive_a[k])
        s, p = station[best], pair[best]
        nxt = p + 1 if p + 1 < int(fwd.offsets[s + 1]) else -1
        row["out_bad_day_late_min"] = max(float(fwd.arr[nxt]) - start, 0.0) if nxt >= 0 else np.nan
    # Home: every run leaving the office in [end + margin, end + margin + window].
    t0 = end + r.exit_margin
    home, leave_site, station, pair = [], [], [], []
    for s, a in zip(stops, access):
        for q in range(int(bwd.offsets[s]), int(bwd.offsets[s + 1])):
            if t0 <= bwd.dep[q] <= t0 + window:
                home.append(bwd.arr[q] + a)
                leave_site.append(bwd.dep[q])
                station.append(int(s))
                pair.append(q)
    if not home:
        first = bwd.earliest_after(stops, np.full(len(stops), t0))
        ok = first >= 0
        if ok.any():
            k = int(np.argmin(np.where(ok, bwd.arr[np.maximum(first, 0)] + access, np.inf)))
            home, leave_site = [bwd.arr[first[k]] + access[k]], [bwd.dep[first[k]]]
            station, pair = [int(stops[k])], [int(first[k])]
    if home:
        leave_site, home, station, pair = _undominated(leave_site, home, station, pair)
        home_a, leave_a = np.asarray(home, dtype=float), np.asarray(leave_site, dtype=float)
        door = home_a - end
        k = _typical(door)
        best = int(np.argmin(door))
        row.update(back_best_min=door.min(), back_typical_min=door[k], back_worst_min=door.max(),
                   back_runs=len(door), back_typical_wait_min=leave_a[k] - end)
        s, q = station[best], pair[best]
        nxt = q + 1 if q + 1 < int(bwd.offsets[s + 1]) else -1
        access_s = float(access[list(stops).index(s)])
        row["back_bad_day_extra_min"] = float(bwd.arr[nxt] + access_s - home_a[best]) if nxt >= 0 else np.nan
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
