"""Journeys over a shift: the best, the typical and the worst run a worker could take, and a bad day.

`TransitRouter.journey_arrays` answers with one journey each way: the latest departure that
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
(`impact.routing.typical`) and the pages say so. Every distinct (home, office, shift) of a
call is worked at once, over flat arrays of the runs in its window (no loop over homes).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from impact.routing.gtfs import KEY, Profiles
from impact.routing.pareto import pareto_runs
from impact.routing.transit import TransitRouter

SHIFT_COLUMNS = ["out_best_min", "out_typical_min", "out_worst_min", "out_runs", "out_typical_wait_min",
                 "out_bad_day_late_min", "back_best_min", "back_typical_min", "back_worst_min", "back_runs",
                 "back_typical_wait_min", "back_bad_day_extra_min"]


def shift_spread(router: TransitRouter, home_lat, home_lon, site_ids, shift_start, shift_end,
                 window_minutes: float | None = None, access: tuple | None = None) -> pd.DataFrame:
    """Best, typical and worst runs over the shift, and a bad day, one row per worker (see the module).

    `access`: the homes' `TransitRouter.access` answer, one row per worker, when the caller has it.
    """
    window = int(window_minutes if window_minutes is not None else router.rules.reasonable_window)

    def work(site_id, lat, lon, start, end, trip_access):
        return _spread(router, site_id, trip_access[0], trip_access[1], start, end, window)

    found = router.by_office(home_lat, home_lon, site_ids, shift_start, shift_end, work, SHIFT_COLUMNS, access)
    # Counts as whole numbers, cast before the frame is made (pandas' astype of a frame cost 1.5 ms a call).
    return pd.DataFrame({name: values.astype(np.int64) if name.endswith("_runs") else values
                         for name, values in found.items()})


def _spread(router: TransitRouter, site_id: str, stops: np.ndarray, access: np.ndarray, start: np.ndarray,
            end: np.ndarray, window: int) -> dict[str, np.ndarray]:
    """`SHIFT_COLUMNS` for trips to one office: candidate stations and their access [minutes], shape
    (n, candidates), inf where out of reach; shifts [minutes after midnight], shape (n,)."""
    fwd, bwd, _ = router.profiles(site_id)
    r = router.rules
    k = stops.shape[1]
    every = lambda t: np.repeat(t, k)  # noqa: E731
    # To work: runs arriving in [start - window, deadline]; leave home, arrive at the office.
    deadline = start - r.arrival_margin
    out, p, s = _way(fwd, stops, access, fwd.key_arr, start - window, deadline,
                     fwd.latest_by(stops.ravel(), every(deadline)).reshape(stops.shape),
                     lambda q, a: fwd.dep[q] - a, lambda q, a: fwd.arr[q], start, "out")
    # A bad day: the best run's first vehicle missed, the next run from that station taken.
    nxt = _next_run(fwd, s, p)
    out["out_bad_day_late_min"] = np.where(nxt >= 0, np.maximum(fwd.arr[np.maximum(nxt, 0)] - start, 0.0), np.nan)
    # Home: runs leaving the office in [end + margin, end + margin + window], in reversed time.
    t0 = end + r.exit_margin
    back, q, s = _way(bwd, stops, access, bwd.key_dep, t0, t0 + window,
                      bwd.earliest_after(stops.ravel(), every(t0)).reshape(stops.shape),
                      lambda q, a: -(bwd.arr[q] + a), lambda q, a: -bwd.dep[q], -end, "back")
    nxt = _next_run(bwd, s, q)   # the first run home missed, the next one taken
    back["back_bad_day_extra_min"] = np.where(nxt >= 0, bwd.arr[np.maximum(nxt, 0)] - bwd.arr[np.maximum(q, 0)],
                                              np.nan).astype(float)
    return {**out, **back}


def _way(prof: Profiles, stops: np.ndarray, access: np.ndarray, keys: np.ndarray, low: np.ndarray,
         high: np.ndarray, fallback: np.ndarray, leave: Callable, arrive: Callable, anchor: np.ndarray,
         way: str) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The runs one way, summed up per trip: (columns of `way`, the best run's pair, its station), -1 for none.

    The way home is the way to work in reversed time (times negated: leaving the office is
    arriving, getting home is leaving, the shift's end is the anchor), so one function serves
    both. `leave(pairs, access)` and `arrive(pairs, access)` [minutes] are a run's two ends in
    the way's own time and `anchor` the shift time it is measured from: door to door is
    anchor - leave, the wait at the office anchor - arrive.

    A trip's runs are every Pareto run of every candidate station whose time (`keys`: stop *
    KEY + arrival at the office on the way out, departure from it on the way home) falls in
    [low, high]; when none does, the one run of `fallback` (a pair per station, -1 for none)
    with the fewest door-to-door minutes. Of those, the runs another run beats (leaves no
    earlier and arrives no later: the same train from a farther station, an earlier one that
    gets in no sooner) are left out: counted, they would pull the typical run away from the
    real ones. The typical run is the median one (the lower middle of an even count), ties
    going to the station listed first and then the earlier pair.
    """
    n, k = stops.shape
    reach = np.isfinite(access)
    # The window's pairs of each (trip, station): one run of pairs, each stop's times being sorted.
    lo, hi = prof.offsets[stops], prof.offsets[stops + 1]
    first = np.clip(np.searchsorted(keys, stops * KEY + low[:, None], "left"), lo, hi)
    last = np.clip(np.searchsorted(keys, stops * KEY + high[:, None], "right"), lo, hi)
    length = np.where(reach, np.maximum(last - first, 0), 0).ravel()
    owner = np.repeat(np.arange(n * k), length)   # trip * k + station
    pair = np.repeat(first.ravel(), length) + np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    # Nothing in the window: the run that fits best, if any.
    ok = (fallback >= 0) & reach
    fit = np.where(ok, leave(np.maximum(fallback, 0), access), -np.inf)
    empty = np.flatnonzero((length.reshape(n, k).sum(axis=1) == 0) & ok.any(axis=1))
    station = np.argmax(fit[empty], axis=1)
    owner = np.concatenate([owner, empty * k + station])
    pair = np.concatenate([pair, fallback[empty, station]])
    trip = owner // k
    a = access.ravel()[owner]
    leaves = np.asarray(leave(pair, a), dtype=float)
    arrives = np.asarray(arrive(pair, a), dtype=float)
    kept = pareto_runs(leaves, arrives, trip)
    # Per trip, the kept runs by door-to-door minutes (ties by their order of listing).
    door_to_door = anchor[trip] - leaves
    by = kept[np.lexsort((kept, door_to_door[kept], trip[kept]))]
    minutes = door_to_door[by]
    runs = np.bincount(trip[by], minlength=n)
    at = np.cumsum(runs) - runs   # each trip's first run in `by`
    has = runs > 0
    best, typical, worst = at[has], (at + (runs - 1) // 2)[has], (at + runs - 1)[has]
    columns = {f"{way}_{name}": np.full(n, np.nan) for name in ("best_min", "typical_min", "worst_min")}
    columns[f"{way}_best_min"][has] = minutes[best]
    columns[f"{way}_typical_min"][has] = minutes[typical]
    columns[f"{way}_worst_min"][has] = minutes[worst]
    columns[f"{way}_runs"] = runs
    wait = np.full(n, np.nan)
    wait[has] = anchor[has] - arrives[by[typical]]
    columns[f"{way}_typical_wait_min"] = wait
    best_pair, best_stop = np.full(n, -1), np.full(n, -1)
    best_pair[has] = pair[by[best]]
    best_stop[has] = stops.ravel()[owner[by[best]]]
    return columns, best_pair, best_stop


def _next_run(prof: Profiles, stop: np.ndarray, pair: np.ndarray) -> np.ndarray:
    """The pair of the next run from the same station, or -1 when `pair` was the last one (or -1)."""
    last = prof.offsets[np.maximum(stop, 0) + 1]
    return np.where((pair >= 0) & (pair + 1 < last), pair + 1, -1)
