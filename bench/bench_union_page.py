"""The union page's rerun with the modelled workforce, against evaluate() of its two scenarios, in one run.

Run: .venv/bin/python bench/bench_union_page.py [--json]

Two kinds of rerun are timed with AppTest, each the median of its repeats:

    same inputs   nothing the figures depend on changed (a fold, the share button): the page draws
                  itself again from what it has kept
    lever moved   scenario A's monthly allowance typed anew each time (a value never seen before):
                  scenario A evaluated afresh, its charts, tables, horizon and map built again

The baseline, measured in the same run, is `evaluate()` of the same 1,112 workers for scenarios A and
B (what any face must at least compute); the ratios say how much the page costs beyond the model.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.timing import median_seconds  # noqa: E402
from impact.model import Scenario, evaluate  # noqa: E402
from impact.params import default_parameters  # noqa: E402
from impact.places import default_gazetteer, load_sites  # noqa: E402
from impact.roster import modelled_workforce  # noqa: E402


def _run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    assert not at.exception, at.exception
    return time.perf_counter() - start


def main() -> None:
    os.chdir(ROOT)   # the app's .streamlit/config.toml
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("ui/union_page.py").run()
    at.radio(key="union_source").set_value("model").run()
    for _ in range(2):   # warm-up: imports, the tables, the caches
        _run(at)
    same, moved = [], []
    for i in range(7):
        same.append(_run(at))
        at.text_input(key="a_allowance").input(str(20 + i))
        moved.append(_run(at))
    on, params, places, sites = dt.date.today(), default_parameters(), default_gazetteer(), load_sites()
    workers = modelled_workforce(sites, places, params, on, seed=0)
    both = lambda: [evaluate(workers, s, params, on, places, sites)  # noqa: E731
                    for s in (Scenario(), Scenario(monthly_allowance_eur=20.0))]
    both()
    t_model = median_seconds(both, 9)
    figures = {"same_ms": statistics.median(same) * 1e3, "lever_ms": statistics.median(moved) * 1e3,
               "evaluate_two_scenarios_ms": t_model * 1e3}
    figures["ratio_same"] = figures["same_ms"] / figures["evaluate_two_scenarios_ms"]
    figures["ratio_lever"] = figures["lever_ms"] / figures["evaluate_two_scenarios_ms"]
    if "--json" in sys.argv[1:]:
        print(json.dumps({k: round(v, 2) for k, v in figures.items()}))
        return
    print(f"union page, modelled workforce ({len(workers):,} workers), AppTest, median of 7:")
    print(f"  same inputs: {figures['same_ms']:6.1f} ms ({figures['ratio_same']:.1f}x evaluate() of both scenarios)")
    print(f"  lever moved: {figures['lever_ms']:6.1f} ms ({figures['ratio_lever']:.1f}x)")
    print(f"  evaluate() of scenarios A and B: {figures['evaluate_two_scenarios_ms']:.1f} ms")


if __name__ == "__main__":
    main()
