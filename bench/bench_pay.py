"""Pay model for a roster: vectorized over workers against a per-worker Python loop.

Run: .venv/bin/python bench/bench_pay.py [--full]

Measures, in this run, gross -> net (every worker), net -> gross (the inverse) and the
make-whole table, for 1,100 and 100,000 workers. The loop calls the same public functions
once per worker. The loops of the inverse and of make_whole are slow (several ms per worker),
so for 100,000 workers they are timed on the first SAMPLE workers and scaled linearly (each
iteration is independent); --full times every worker instead (about half an hour).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from impact import pay  # noqa: E402
from impact.params import default_parameters  # noqa: E402

ON = dt.date(2026, 6, 1)
SIZES = (1_100, 100_000)
SAMPLE = 2_000
HOMES = ("001125", "005005", "001272", "001265", "007003")  # Ivrea, Asti, Torino, Settimo T.se, Aosta


def roster(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gross pay of part-time and full-time contracts, home comuni and extra monthly costs."""
    rng = np.random.default_rng(0)
    hours = rng.choice([20, 24, 30, 40], n, p=[0.4, 0.15, 0.15, 0.3])
    gross = 1_670.50 * 13 * hours / 40 * rng.uniform(0.95, 1.15, n)
    return gross, rng.choice(HOMES, n), rng.uniform(50, 250, n)


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def timed_loop(run_one, n: int, full: bool) -> tuple[float, str]:
    """Loop time for n workers, measured on all of them or on SAMPLE and scaled."""
    count = n if full or n <= SAMPLE else SAMPLE
    elapsed = seconds(lambda: [run_one(i) for i in range(count)])
    return elapsed * n / count, ("all" if count == n else f"first {count}, scaled")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="time the slow loops on every worker")
    full = parser.parse_args().full
    params = default_parameters()
    pay.net_annual_eur([20_000.0], params, ON)  # load and cache the rules once, outside the timings

    for n in SIZES:
        gross, homes, extra = roster(n)
        net = pay.net_annual_eur(gross, params, ON, home_istat=homes)
        tasks = {
            "gross -> net": (
                lambda: pay.net_annual_eur(gross, params, ON, home_istat=homes),
                lambda i: pay.net_annual_eur(gross[i], params, ON, home_istat=homes[i]),
                True),
            "net -> gross": (
                lambda: pay.gross_from_net_annual_eur(net, params, ON, home_istat=homes),
                lambda i: pay.gross_from_net_annual_eur(net[i], params, ON, home_istat=homes[i]),
                full),
            "make whole": (
                lambda: pay.make_whole(gross, extra, params, ON, home_istat=homes, transit_pass_annual_eur=600),
                lambda i: pay.make_whole(gross[i], extra[i], params, ON, home_istat=homes[i],
                                         transit_pass_annual_eur=600),
                full),
        }
        print(f"{n:,} workers")
        for name, (vectorized, one, all_workers) in tasks.items():
            fast = seconds(vectorized)
            slow, how = timed_loop(one, n, all_workers)
            print(f"  {name:13s} vectorized {fast:8.3f} s   loop {slow:9.2f} s ({how})   ratio {slow / fast:7.0f}x")


if __name__ == "__main__":
    main()
