"""A sweep of 1,000 scenarios (fuel price × smart-working days) on 1,100 workers.

Run: .venv/bin/python bench/bench_sweep.py
Baseline, measured in the same run: evaluate() (commute only) for a few scenarios, scaled to 1,000.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_model import roster  # noqa: E402
from bench.timing import median_seconds  # noqa: E402
from impact.model import Scenario, evaluate  # noqa: E402
from impact.params import default_parameters  # noqa: E402
from impact.places import default_gazetteer, load_sites  # noqa: E402
from impact.scenarios import sweep  # noqa: E402

ON = dt.date(2026, 6, 1)


def main() -> None:
    params, places, sites = default_parameters(), default_gazetteer(), load_sites()
    workers = roster(1100)
    base = evaluate(workers, Scenario(), params, ON, places, sites)
    fuels, smart = np.linspace(1.40, 2.40, 40), np.linspace(0, 3, 25)
    grid = sweep(workers, base, fuels, smart, params, ON)
    fast = median_seconds(lambda: sweep(workers, base, fuels, smart, params, ON), 5)
    one = median_seconds(lambda: evaluate(workers, Scenario(fuel_eur_per_l=1.9, smart_working_days_per_week=1.0),
                                          params, ON, places, sites, pay=False), 3)
    baseline = one * len(grid)
    print(f"sweep: {len(grid)} scenarios (40 fuel prices x 25 smart-working levels) on {len(workers)} workers")
    print(f"  vectorized sweep : {fast * 1e3:9.1f} ms (median of 5; target 2,000 ms)")
    print(f"  evaluate() each  : {baseline * 1e3:9.1f} ms (median of 3, scaled to {len(grid)})")
    print(f"  ratio            : {baseline / fast:9.0f}x")


if __name__ == "__main__":
    main()
