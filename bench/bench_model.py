"""evaluate() on 1,100 and 100,000 workers, against a per-worker loop of the same model.

Run: .venv/bin/python bench/bench_model.py [--json]
(--json prints {"evaluate_1100_ms", "evaluate_100k_ms", "evaluate_100k_distinct_ms", "loop_ratio",
"first_call_ms", "table_build_ms"} instead.)
The loop baseline calls evaluate() one worker at a time on a sample and is
scaled to 1,100 workers; both are measured in this run, and the ratio is printed.
What depends only on the home comune is in per-comune tables built when the data load
(`impact.comune_tables`), and each shift's journeys are kept once worked, so repeated
evaluations (page reruns, scenario sweeps) are warm; the first call after the load is printed too.

The rosters draw homes from the 1,254 comuni, two offices, four daily hours and three weekly days
at random: 100,000 such workers are about 29,000 distinct cases (home, office, hours, days), and
evaluate() works each case once. So the 100,000 row is also printed with every take-home pay
different, every worker a case of her own: that is the figure for a roster with nothing repeated.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import median_seconds  # noqa: E402
from impact.comune_tables import comune_tables  # noqa: E402
from impact.model import Scenario, evaluate  # noqa: E402
from impact.params import default_parameters  # noqa: E402
from impact.places import default_gazetteer, load_sites  # noqa: E402
from impact.routing.transit import TransitRouter  # noqa: E402

ON = dt.date(2026, 6, 1)


def roster(n: int, distinct_pay: bool = False) -> pd.DataFrame:
    """Random homes and offices; take-home pay left to the contract default, or all different."""
    codes = [p.istat for p in default_gazetteer().places]
    rng = np.random.default_rng(0)
    workers = pd.DataFrame({"home_istat": rng.choice(codes, n), "site": rng.choice(["ivrea", "asti"], n),
                            "hours_per_day": rng.choice([4, 5, 6, 8], n), "days_per_week": rng.choice([3, 4, 5], n)})
    if distinct_pay:
        workers["net_monthly_eur"] = np.round(rng.uniform(600, 1500, n), 2)
    return workers


def cases(workers: pd.DataFrame) -> int:
    """How many distinct workers (every input column equal) a roster holds."""
    return len(workers.drop_duplicates())


def main() -> None:
    params, places, sites = default_parameters(), default_gazetteer(), load_sites()
    go = lambda w: evaluate(w, Scenario(), params, ON, places, sites)  # noqa: E731
    small, large, varied = roster(1100), roster(100_000), roster(1100, distinct_pay=True)
    large_distinct = roster(100_000, distinct_pay=True)
    go(small)  # warm-up: parameter and data caches
    t_small = median_seconds(lambda: go(small), 9)
    t_commute = median_seconds(lambda: evaluate(small, Scenario(), params, ON, places, sites, pay=False), 9)
    t_varied = median_seconds(lambda: go(varied), 5)
    t_large = median_seconds(lambda: go(large), 3)
    t_large_distinct = median_seconds(lambda: go(large_distinct), 3)
    # A fresh process after the data load: a new router and its per-comune tables, no shift's journeys yet;
    # the first evaluation of a roster works the journeys of its shifts.
    fresh = [TransitRouter.from_model(ON) for _ in range(3)]
    unbuilt = list(fresh)
    t_build = median_seconds(lambda: comune_tables(places, sites, params, ON, unbuilt.pop()), 3)
    t_cold = median_seconds(lambda: evaluate(small, Scenario(), params, ON, places, sites, transit=fresh.pop()), 3)
    sample = small.iloc[:50]
    t_loop_50 = median_seconds(lambda: [go(sample.iloc[[i]]) for i in range(len(sample))], 3)
    t_loop = t_loop_50 * len(small) / len(sample)
    if "--json" in sys.argv[1:]:
        print(json.dumps({"evaluate_1100_ms": round(t_small * 1e3, 2), "evaluate_100k_ms": round(t_large * 1e3, 1),
                          "evaluate_100k_distinct_ms": round(t_large_distinct * 1e3, 1),
                          "loop_ratio": round(t_loop / t_small, 1), "first_call_ms": round(t_cold * 1e3, 2),
                          "table_build_ms": round(t_build * 1e3, 1)}))
        return
    print("evaluate(): car, days, costs, time, relocation, pay and rights for every worker")
    print(f"  1,100 workers, commute only (pay=False): {t_commute * 1e3:9.2f} ms (median of 9)")
    print(f"  1,100 workers    : {t_small * 1e3:9.2f} ms (median of 9; default pay levels)")
    print(f"  per-comune tables, built at the data load: {t_build * 1e3:9.2f} ms (median of 3; a fresh router)")
    print(f"  1,100, first call after the data load: {t_cold * 1e3:9.2f} ms (median of 3; no shift's journeys yet)")
    print(f"  1,100, every pay different: {t_varied * 1e3:9.2f} ms (median of 5; one net-to-gross solve each)")
    print(f"  100,000 workers  : {t_large * 1e3:9.2f} ms (median of 3; {cases(large):,} distinct cases)")
    print(f"  100,000, every one different: {t_large_distinct * 1e3:9.2f} ms (median of 3; every pay different)")
    print(f"  per-worker loop  : {t_loop * 1e3:9.2f} ms for 1,100 (50 measured, scaled)")
    print(f"  ratio            : {t_loop / t_small:9.0f}x (full model, loop / vectorized)")


if __name__ == "__main__":
    main()
