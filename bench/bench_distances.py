"""Straight-line distances for a roster: vectorized numpy against a per-worker geopy loop.

Run: .venv/bin/python bench/bench_distances.py
Prints medians of repeated runs and their ratio, both measured in this run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import median_seconds  # noqa: E402
from impact.geo import geodesic_km, geodesic_km_array  # noqa: E402
from impact.places import default_gazetteer, destination, load_sites  # noqa: E402

WORKERS = 1100
REPEATS = 7



def main() -> None:
    gazetteer = default_gazetteer()
    rng = np.random.default_rng(0)
    homes = [gazetteer.places[i].istat for i in rng.integers(0, len(gazetteer), WORKERS)]
    lat, lon = gazetteer.points(homes).T
    torino = destination(load_sites())

    vectorized = median_seconds(lambda: geodesic_km_array(lat, lon, torino.lat, torino.lon))
    loop = median_seconds(lambda: [geodesic_km(a, o, torino.lat, torino.lon) for a, o in zip(lat, lon)], 3)
    print(f"straight-line distance, {WORKERS} workers to Torino")
    print(f"  vectorized numpy : {vectorized * 1e3:8.3f} ms (median of {REPEATS})")
    print(f"  geopy loop       : {loop * 1e3:8.3f} ms (median of 3)")
    print(f"  ratio            : {loop / vectorized:8.0f}x")


if __name__ == "__main__":
    main()
