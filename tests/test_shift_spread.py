"""The shift's runs worked for every home at once equal the runs worked home by home (issue 15).

`shift_spread` works all distinct (home, office, shift) of a call over flat arrays. The
reference here reads the definition in `impact.routing.shift` one home at a time, in plain
Python: the runs of each candidate station in the window (else the best-fitting run), the
Pareto ones, their median, the next run from the best run's station.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from impact.places import default_gazetteer
from impact.routing.shift import SHIFT_COLUMNS, shift_spread
from impact.errors import RoutingError
from impact.routing.transit import TransitRouter

SHIFTS = [(300, 600), (540, 900), (840, 1320), (1200, 120)]   # the last ends the next day


@pytest.fixture(scope="module")
def router():
    return TransitRouter.from_model(dt.date(2026, 6, 3))


def _beaten(i: int, ends: list[tuple[float, float]]) -> bool:
    """Run i leaves earlier and arrives no sooner than another, or leaves and arrives with an earlier-listed one."""
    leave, arrive = ends[i]
    return any((other_leave >= leave and other_arrive <= arrive) and
               ((other_leave, other_arrive) != (leave, arrive) or j < i)
               for j, (other_leave, other_arrive) in enumerate(ends) if j != i)


def _one_way(prof, stops, access, times, low, high, fallback, leave, arrive, anchor):
    """(door-to-door minutes of the kept runs in listing order, their waits, their pairs, their stations)."""
    runs = [(p, s, a) for s, a in zip(stops, access)
            for p in range(prof.offsets[s], prof.offsets[s + 1]) if low <= times[p] <= high]
    if not runs:
        fits = [(leave(p, a), p, s, a) for p, s, a in zip(fallback, stops, access) if p >= 0]
        if not fits:
            return [], [], [], []
        best = max(range(len(fits)), key=lambda i: (fits[i][0], -i))   # the first of the latest
        runs = [fits[best][1:]]
    ends = [(float(leave(p, a)), float(arrive(p, a))) for p, _, a in runs]
    runs = [run for i, run in enumerate(runs) if not _beaten(i, ends)]
    return ([anchor - leave(p, a) for p, _, a in runs], [anchor - arrive(p, a) for p, _, a in runs],
            [p for p, _, _ in runs], [s for _, s, _ in runs])


def _reference(router, lat, lon, site, start, end):
    fwd, bwd, _ = router.profiles(site)
    r = router.rules
    end = end + 1440 if end <= start else end
    idx, amin, _, _ = router.access([lat], [lon])
    reach = np.isfinite(amin[0])
    stops, access = idx[0][reach].tolist(), amin[0][reach].tolist()
    row = dict.fromkeys(SHIFT_COLUMNS, np.nan)
    deadline, t0, window = start - r.arrival_margin, end + r.exit_margin, r.reasonable_window
    ways = {
        "out": (fwd, fwd.arr, start - window, deadline, [int(fwd.latest_by([s], [deadline])[0]) for s in stops],
                lambda p, a: fwd.dep[p] - a, lambda p, a: fwd.arr[p], start),
        "back": (bwd, bwd.dep, t0, t0 + window, [int(bwd.earliest_after([s], [t0])[0]) for s in stops],
                 lambda p, a: -(bwd.arr[p] + a), lambda p, a: -bwd.dep[p], -end),
    }
    for way, (prof, times, low, high, fallback, leave, arrive, anchor) in ways.items():
        minutes, waits, pairs, at = _one_way(prof, stops, access, times, low, high, fallback, leave, arrive, anchor)
        row[f"{way}_runs"] = len(minutes)
        if not minutes:
            continue
        order = sorted(range(len(minutes)), key=lambda i: (minutes[i], i))
        best, typical = order[0], order[(len(order) - 1) // 2]
        row.update({f"{way}_best_min": minutes[best], f"{way}_typical_min": minutes[typical],
                    f"{way}_worst_min": minutes[order[-1]], f"{way}_typical_wait_min": waits[typical]})
        nxt = pairs[best] + 1
        if nxt < prof.offsets[at[best] + 1]:
            row["out_bad_day_late_min" if way == "out" else "back_bad_day_extra_min"] = (
                max(fwd.arr[nxt] - start, 0) if way == "out" else bwd.arr[nxt] - bwd.arr[pairs[best]])
    return row


def test_every_home_at_once_equals_home_by_home(router):
    """300 comuni x the 3 offices x 4 shifts (an early, a day, a late and a night one)."""
    places = default_gazetteer().places
    chosen = [places[i] for i in np.random.default_rng(15).choice(len(places), 300, replace=False)]
    trips = [(p.lat, p.lon, site, s, e) for site in ("torino", "ivrea", "asti") for s, e in SHIFTS for p in chosen]
    lat, lon, site, start, end = (np.array(c) for c in zip(*trips))
    together = shift_spread(router, lat, lon, site.astype(object), start, end)
    alone = pd.DataFrame([_reference(router, *trip) for trip in trips], columns=SHIFT_COLUMNS).astype(
        {"out_runs": np.int64, "back_runs": np.int64})
    pd.testing.assert_frame_equal(together, alone, check_exact=True, check_dtype=False)
    assert (together["out_runs"] > 1).sum() > 500 and together["back_bad_day_extra_min"].notna().sum() > 500
    assert together["out_runs"].eq(0).any()   # homes with no run at all are in the sample too


def test_a_roster_row_is_answered_whatever_the_rows_around_it(router):
    """The same home and shift, alone or among other homes, offices and shifts, and in any order."""
    home = default_gazetteer().resolve("Alpignano")
    alone = shift_spread(router, [home.lat], [home.lon], "torino", 540, 900)
    ivrea = default_gazetteer().resolve("Ivrea")
    mixed = shift_spread(router, [ivrea.lat, home.lat, home.lat], [ivrea.lon, home.lon, home.lon],
                         np.array(["asti", "torino", "ivrea"], dtype=object), [420, 540, 540], [720, 900, 900])
    pd.testing.assert_frame_equal(mixed.iloc[[1]].reset_index(drop=True), alone)
    assert shift_spread(router, [], [], "torino", 540, 900).columns.tolist() == SHIFT_COLUMNS


def test_station_access_given_by_the_caller_gives_the_same_answers(router):
    """The per-comune tables pass each comune's station access; it must change nothing, repeats included."""
    places = default_gazetteer().places[::9]
    lat = np.array([p.lat for p in places] * 2)
    lon = np.array([p.lon for p in places] * 2)
    sites = np.repeat(np.array(["torino", "asti"], dtype=object), len(places))
    access = router.access(lat, lon)
    for start, end in SHIFTS:
        pd.testing.assert_frame_equal(shift_spread(router, lat, lon, sites, start, end, access=access),
                                      shift_spread(router, lat, lon, sites, start, end), check_exact=True)
        given = router.journey_arrays(lat, lon, sites, start, end, access=access)
        for name, values in router.journey_arrays(lat, lon, sites, start, end).items():
            np.testing.assert_array_equal(given[name], values, err_msg=name)


def test_an_office_the_router_does_not_know_is_refused_as_the_journeys_are(router):
    """The shift's runs and the journeys share the router's office-by-office scaffolding, its check included
    (the shift's runs raised a bare KeyError before)."""
    home = default_gazetteer().resolve("Alpignano")
    for ask in (lambda: shift_spread(router, [home.lat], [home.lon], "milano", 540, 900),
                lambda: router.journey_arrays([home.lat], [home.lon], "milano", 540, 900)):
        with pytest.raises(RoutingError, match="unknown office.*milano"):
            ask()
