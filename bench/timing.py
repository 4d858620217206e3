"""Timing shared by the benchmarks: medians of repeated runs, on a noisy 2-core machine."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def median_seconds(run: Callable[[], object], repeats: int = 7) -> float:
    """Median wall time of `repeats` calls of `run` [s]."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
