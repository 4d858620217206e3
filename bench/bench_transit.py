"""Public transport: 1,100 workers' journeys, and a connection scan on a million connections.

Run: .venv/bin/python bench/bench_transit.py
Prints medians of repeated runs and ratios against a per-worker (or per-connection)
Python loop measured in the same run. Targets: 1,100 journeys <= 50 ms (after the
one-off profile scan per office, printed apart); one scan over 1,000,000 connections
<= 50 ms.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import median_seconds  # noqa: E402
from impact.places import default_gazetteer  # noqa: E402
from impact.routing.gtfs import build_timetable, earliest_arrival, earliest_arrival_scan  # noqa: E402
from impact.routing.transit import TransitRouter  # noqa: E402

WORKERS = 1100
CONNECTIONS = 1_000_000
REPEATS = 7
ON = dt.date(2026, 11, 25)



def workforce(rng) -> tuple[np.ndarray, ...]:
    """1,100 workers: homes spread over the comuni around Ivrea and Asti, shifts of 4-6 hours."""
    places = [p for p in default_gazetteer().places if p.province in ("TO", "AT", "BI", "VC", "AO", "CN", "AL")]
    pick = rng.integers(0, len(places), WORKERS)
    lat, lon = default_gazetteer().points([places[i].istat for i in pick]).T
    start = rng.choice(np.array([480, 510, 540, 600, 780, 840, 900, 960]), WORKERS)
    end = start + rng.choice(np.array([240, 300, 360]), WORKERS)
    return lat, lon, start, end


def synthetic_timetable(rng, stops_per_trip: int = 21, lines: int = 2000, side: int = 70):
    """About a million connections: trips repeating random lines over a grid of stops all day."""
    routes = []
    for _ in range(lines):
        x, y = rng.integers(0, side, 2)
        seq = []
        for _ in range(stops_per_trip):
            seq.append(x * side + y)
            step = rng.integers(0, 4)
            x = int(np.clip(x + (step == 0) - (step == 1), 0, side - 1))
            y = int(np.clip(y + (step == 2) - (step == 3), 0, side - 1))
        routes.append(seq)
    routes = np.array(routes)
    n_trips = CONNECTIONS // (stops_per_trip - 1)
    line = rng.integers(0, lines, n_trips)
    hops = rng.integers(1, 5, (n_trips, stops_per_trip))
    hops[:, 0] = 0
    times = (rng.integers(300, 1400, n_trips)[:, None] + np.cumsum(hops, axis=1)).ravel()
    stops = pd.DataFrame({"stop_id": np.arange(side * side).astype(str), "name": "s", "lat": 0.0, "lon": 0.0,
                          "change_min": 2})
    trip = np.repeat(np.arange(n_trips), stops_per_trip)
    return build_timetable(stops, pd.DataFrame({"name": ["r"], "mask": [1]}), np.zeros(n_trips, int), trip,
                           routes[line].ravel(), times, times, np.zeros(trip.size))


def main() -> None:
    rng = np.random.default_rng(0)

    start = time.perf_counter()
    router = TransitRouter.from_model(ON)
    built = time.perf_counter() - start
    start = time.perf_counter()
    for site in ("torino", "ivrea", "asti"):
        router.profiles(site)
    profiled = time.perf_counter() - start
    lat, lon, shift_start, shift_end = workforce(rng)
    sites = np.full(WORKERS, "torino")
    vectorized = median_seconds(lambda: router.journey_arrays(lat, lon, sites, shift_start, shift_end))
    inps = median_seconds(lambda: router.inps_arrays(lat, lon))
    sample = 100   # the loop is timed on 100 workers and scaled: it would take seconds on 1,100
    loop = median_seconds(lambda: [router.journey_arrays(lat[i:i + 1], lon[i:i + 1], sites[i:i + 1],
                                                         shift_start[i:i + 1], shift_end[i:i + 1])
                                   for i in range(sample)], 3) * WORKERS / sample
    print(f"public transport journeys, {WORKERS} workers to Torino, model with "
          f"{router.timetable.n_connections} connections")
    print(f"  one-off: load the model {built * 1e3:8.1f} ms, profile scans for 3 offices {profiled * 1e3:8.1f} ms")
    print(f"  vectorized journeys  : {vectorized * 1e3:8.1f} ms (median of {REPEATS}; target <= 50 ms)")
    print(f"  INPS average minutes : {inps * 1e3:8.1f} ms (median of {REPEATS})")
    print(f"  per-worker loop      : {loop * 1e3:8.1f} ms (100 workers timed, scaled to {WORKERS})")
    print(f"  ratio                : {loop / vectorized:8.0f}x")

    tt = synthetic_timetable(rng)
    origin = int(tt.dep_stop[tt.by_dep[len(tt.by_dep) // 4]])
    scan = lambda: earliest_arrival(tt, [origin], [480], horizon=180)  # noqa: E731
    fast = median_seconds(scan)
    slow = median_seconds(lambda: earliest_arrival_scan(tt, [origin], [480], horizon=180), 3)
    window = tt.window(480, 660)
    reached, legs = scan()
    same = np.array_equal(np.minimum(reached, 661), np.minimum(earliest_arrival_scan(tt, [origin], [480], 180), 661))
    print(f"connection scan, {tt.n_connections:,} connections, {tt.n_stops} stops, query 08:00 + 3 h "
          f"({window.stop - window.start:,} connections in the window)")
    print(f"  vectorized rounds    : {fast * 1e3:8.1f} ms (median of {REPEATS}; target <= 50 ms; "
          f"{int(legs.max())} vehicles at most, {(reached < 10**9).sum()} stops reached)")
    print(f"  classic scan (loop)  : {slow * 1e3:8.1f} ms (median of 3)")
    print(f"  ratio                : {slow / fast:8.1f}x   same arrivals: {same}")


if __name__ == "__main__":
    main()
