"""A 1,100-row roster end to end: read and validate, evaluate, summarise (the union page's work).

Run: .venv/bin/python bench/bench_union.py
Baseline, measured in the same run: the same roster evaluated one worker at a time (50 timed, scaled).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import median_seconds  # noqa: E402
from impact.model import Scenario, evaluate  # noqa: E402
from impact.params import default_parameters  # noqa: E402
from impact.places import default_gazetteer, load_sites  # noqa: E402
from impact.roster import read_roster  # noqa: E402
from impact.scenarios import summarise  # noqa: E402

ON = dt.date(2026, 6, 1)


def roster_csv(n: int = 1100) -> bytes:
    """An Italian-Excel roster: ';', decimal commas, Windows-1252, towns as people write them."""
    rng = np.random.default_rng(0)
    places = default_gazetteer().places
    lines = ["Comune;Sede;Ore al giorno;Giorni a settimana;Inizio turno;Netto mensile"]
    for _ in range(n):
        place = places[rng.integers(len(places))]
        site = "Ivrea" if rng.random() < 0.63 else "Asti"
        pay = f"{rng.uniform(650, 1300):.2f}".replace(".", ",")
        lines.append(f"{place.label};{site};{rng.choice([4, 5, 6, 8])};5;{rng.choice(['8:00', '9:00', '14:00'])};{pay}")
    return "\r\n".join(lines).encode("cp1252", "replace")


def main() -> None:
    params, places, sites = default_parameters(), default_gazetteer(), load_sites()
    data = roster_csv()
    scenario = Scenario()

    def end_to_end():
        report = read_roster(data, "roster.csv", gazetteer=places, sites=sites)
        results = evaluate(report.workers, scenario, params, ON, places, sites)
        return summarise(results, scenario), report

    _summary, report = end_to_end()  # warm-up: model and caches
    fast = median_seconds(end_to_end, 5)
    workers = report.workers
    one = median_seconds(lambda: evaluate(workers.iloc[[0]], scenario, params, ON, places, sites), 20)
    baseline = one * len(workers)
    print(f"roster end to end: {report.rows_read} rows read, {report.rows_valid} valid")
    print(f"  read + evaluate + summarise : {fast * 1e3:8.1f} ms (median of 5; target 300 ms)")
    print(f"  evaluate one at a time      : {baseline * 1e3:8.1f} ms (median of 20 single workers, scaled)")
    print(f"  ratio                       : {baseline / fast:8.0f}x")


if __name__ == "__main__":
    main()
