"""The package over time (impact/horizon.py) and the issue-16 exports, against evaluate() in the same run.

Run: .venv/bin/python bench/bench_horizon.py
Baseline: one evaluate() of the modelled workforce (1,100 workers). Measured: horizon() over
5 years with every lever on those rows (the telework variant evaluated beforehand), the
notice-board sheets, one evidence pack. Ratios are to the baseline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import median_seconds  # noqa: E402
from impact.evidence import evidence_pdf  # noqa: E402
from impact.horizon import Package, Timing, horizon  # noqa: E402
from impact.model import Scenario, evaluate  # noqa: E402
from impact.notice_sheet import notice_pdf  # noqa: E402
from impact.params import default_parameters  # noqa: E402
from impact.places import default_gazetteer, destination, load_sites  # noqa: E402
from impact.workforce import modelled_workforce  # noqa: E402
from impact.routing.transit import default_router  # noqa: E402
from impact.scenarios import SiteLevers, apply_site_levers  # noqa: E402

ON = dt.date(2026, 6, 1)


def main() -> None:
    params, gazetteer, sites = default_parameters(), default_gazetteer(), load_sites()
    transit = default_router(ON)
    workers = modelled_workforce(sites, gazetteer, params, ON, seed=0)
    workers["dependant_passes"] = 1
    scenario = Scenario(monthly_allowance_eur=100, mileage_allowance_eur_per_km=0.05, company_pass_share=0.5)
    package = Package(horizon_years=5, timing=(("monthly_allowance", Timing(phasing=(1.0, 0.75, 0.5))),
                                               ("mileage_allowance", Timing(duration_months=18)),
                                               ("shuttle", Timing(duration_months=12))),
                      time_credit_threshold_min=30, telework_days_per_week=2, telework_min_minutes=45,
                      telework_min_km=35, dependant_pass_share=1.0, dependant_pass_eur_month=30)
    run = lambda s: evaluate(workers, s, params, ON, gazetteer, sites, transit=transit)  # noqa: E731
    results = run(scenario)
    telework = run(dataclasses.replace(scenario, smart_working_days_per_week=2))
    _, site_costs = apply_site_levers(workers, results, SiteLevers(shuttle=True, shuttle_eur_per_bus_day=400),
                                      sites, params, ON)
    base = median_seconds(lambda: run(scenario))
    over_time = median_seconds(lambda: horizon(workers, results, scenario, package, params, ON, telework, site_costs))
    sheet = median_seconds(lambda: notice_pdf(workers, params, ON, gazetteer, sites, "http://localhost:8501",
                                              transit=transit), repeats=3)
    home = gazetteer.resolve("Strambino")
    one = workers.iloc[:1].assign(home_istat=home.istat, site="ivrea")
    row = evaluate(one, Scenario(), params, ON, gazetteer, sites, transit=transit).iloc[0].to_dict()
    pack = median_seconds(lambda: evidence_pdf(row, home, sites["ivrea"], destination(sites), 540, 900, transit,
                                               params, ON), repeats=5)
    print(f"baseline evaluate(), {len(workers)} workers: {1000 * base:.1f} ms")
    print(f"horizon(), 5 years x 7 levers + telework rule: {1000 * over_time:.1f} ms ({over_time / base:.2f}x evaluate)")
    print(f"notice-board sheets (2 offices, 30 comuni each, QR codes): {1000 * sheet:.0f} ms ({sheet / base:.0f}x)")
    print(f"evidence pack, one worker: {1000 * pack:.0f} ms ({pack / base:.0f}x)")


if __name__ == "__main__":
    main()
