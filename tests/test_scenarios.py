"""Workforce summaries and scenarios, on a small roster worked by hand where it matters."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.scenarios import by_comune, side_by_side, summarise

ON = dt.date(2026, 6, 1)


def run(workers: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    return evaluate(workers, scenario, default_parameters(), ON, default_gazetteer(), load_sites())


WORKERS = pd.DataFrame({
    "home_istat": ["001269", "001125", "001272", "005005", "005118"],   # Strambino, Ivrea, Torino, Asti, Villanova
    "site": ["ivrea", "ivrea", "ivrea", "asti", "asti"],
    "hours_per_day": [6, 4, 8, 6, 4], "days_per_week": [5, 5, 5, 5, 5],
})


def test_summary_counts_and_percentiles():
    results = run(WORKERS, Scenario())
    s = summarise(results, Scenario())
    extra = results["extra_best_eur_month"].to_numpy()
    assert s["workers"] == 5
    assert s["workers_worse_off"] == int((extra > 0).sum()) == 4  # the Torino resident gains
    assert s["median_extra_eur_month"] == pytest.approx(np.median(extra))
    assert s["total_extra_eur_year"] == pytest.approx(12 * extra[extra > 0].sum())
    assert s["over_10pct_pay"] == int((results["share_best"] > 0.10).sum())
    assert s["over_80min"] == int(results["rights_over_80min"].sum()) >= 1  # Strambino: 99 minutes
    assert s["company_cost_allowance_eur_year"] == 0


def test_smart_working_lowers_the_workers_cost():
    base = summarise(run(WORKERS, Scenario()), Scenario())
    two_days = Scenario(smart_working_days_per_week=2)
    helped = summarise(run(WORKERS, two_days), two_days)
    assert helped["total_extra_eur_year"] < base["total_extra_eur_year"]
    table = side_by_side({"base": base, "2 days smart working": helped})
    assert list(table.columns) == ["base", "2 days smart working"]


def test_a_net_allowance_costs_the_company_more_than_it_gives():
    scenario = Scenario(monthly_allowance_eur=100)
    results = run(WORKERS, scenario)
    s = summarise(results, scenario)
    assert np.allclose(results["allowance_net_eur_month"], 100)
    # 100 EUR net a month to 5 workers is 6,000 EUR a year; tax, contributions and
    # severance make it cost the company more.
    assert s["company_cost_allowance_eur_year"] > 6000


def test_by_comune_groups_workers():
    workers = pd.concat([WORKERS, WORKERS.iloc[[0]]], ignore_index=True)
    table = by_comune(run(workers, Scenario()), workers, {p.istat: p.name for p in default_gazetteer().places})
    first = table.iloc[0]
    assert (first["comune"], first["site"], first["workers"]) == ("Strambino", "ivrea", 2)


def test_the_sweep_agrees_with_evaluate_at_its_grid_points():
    from impact.scenarios import sweep
    base = run(WORKERS, Scenario())
    grid = sweep(WORKERS, base, [1.60, 1.80, 2.00], [0, 1, 2], default_parameters(), ON)
    assert len(grid) == 9
    for fuel, smart in [(1.80, 0), (2.00, 2)]:
        scenario = Scenario(fuel_eur_per_l=fuel, smart_working_days_per_week=smart)
        exact = summarise(run(WORKERS, scenario), scenario)
        row = grid[(grid.fuel_eur_per_l == fuel) & (grid.smart_days == smart)].iloc[0]
        assert row["total_extra_eur_year"] == pytest.approx(exact["total_extra_eur_year"], rel=1e-6)
        assert row["median_extra_eur_month"] == pytest.approx(exact["median_extra_eur_month"], rel=1e-6)
    # Dearer fuel never lowers the total; more smart working never raises it.
    for smart in (0, 1, 2):
        totals = grid[grid.smart_days == smart].sort_values("fuel_eur_per_l")["total_extra_eur_year"].to_numpy()
        assert np.all(np.diff(totals) >= 0)


def test_a_hub_keeps_the_most_hurt_at_their_office():
    from impact.scenarios import SiteLevers, apply_site_levers
    base = run(WORKERS, Scenario())
    levers = SiteLevers(hub_site="ivrea", hub_share=0.34, hub_eur_year=50_000)
    changed, costs = apply_site_levers(WORKERS, base, levers, load_sites(), default_parameters(), ON)
    ivrea = np.flatnonzero(WORKERS["site"] == "ivrea")
    most_hurt = ivrea[np.argmax(base["extra_best_eur_month"].to_numpy()[ivrea])]
    assert costs["hub_workers"] == 1 and costs["hub_eur_year"] == 50_000
    assert changed["extra_best_eur_month"].iloc[most_hurt] == 0
    others = [i for i in range(len(WORKERS)) if i != most_hurt]
    assert np.allclose(changed["extra_best_eur_month"].iloc[others], base["extra_best_eur_month"].iloc[others])


def test_a_shuttle_removes_the_cost_and_adds_the_ride():
    from impact.scenarios import SiteLevers, apply_site_levers, shuttle_minutes
    base = run(WORKERS, Scenario())
    levers = SiteLevers(shuttle=True, shuttle_seats=2, shuttle_eur_per_bus_day=400)
    changed, costs = apply_site_levers(WORKERS, base, levers, load_sites(), default_parameters(), ON)
    riders = base["extra_best_eur_month"].to_numpy() > 0
    assert costs["shuttle_riders"] == riders.sum() == 4
    # 2 riders from Ivrea and 2 from Asti on 2-seat buses: one bus each.
    assert costs["shuttle_buses"] == 2
    assert costs["shuttle_eur_year"] == pytest.approx(2 * 400 * 19.5 * 12)
    assert (changed["extra_best_eur_month"].to_numpy()[riders] == 0).all()
    minutes = shuttle_minutes(load_sites(), default_parameters(), ON)
    assert 45 < minutes["ivrea"] < 80 and 45 < minutes["asti"] < 80
    first = int(np.flatnonzero(riders)[0])
    assert changed["extra_best_hours_month"].iloc[first] == pytest.approx(
        2 * minutes[WORKERS["site"].iloc[first]] * 19.5 / 60)


def test_a_company_paid_pass_saves_the_worker_its_price_and_costs_the_company_the_same():
    scenario = Scenario(company_pass_share=1.0, smart_working_days_per_week=0)
    base, paid = run(WORKERS, Scenario()), run(WORKERS, scenario)
    by_transit = (paid["best_mode"] == "transit").to_numpy()
    assert by_transit.any()
    # The pass is tax-free: the worker's extra cost falls by exactly the new fare.
    assert np.allclose(paid["extra_transit_eur_month"], base["extra_transit_eur_month"] - base["transit_eur_new"],
                       equal_nan=True)
    s = summarise(paid, scenario)
    assert s["company_cost_pass_eur_year"] == pytest.approx(12 * paid["transit_eur_new"].to_numpy()[by_transit].sum())


def test_a_transfer_allowance_is_half_tax_free_up_to_the_cap():
    from impact.scenarios import transfer_allowance
    results = run(WORKERS, Scenario())
    paid = results["extra_best_eur_month"].to_numpy() > 0
    net, cost = transfer_allowance(WORKERS, results, 2000.0, default_parameters(), ON)
    # Art. 51 c.7 TUIR: 50 % of 2,000 is 1,000, under the 1,549.37 cap, so 1,000 is tax-free and
    # 1,000 is taxed at the worker's marginal rate; the company adds contributions on that 1,000.
    assert (net[~paid] == 0).all() and (cost[~paid] == 0).all()
    assert np.all((net[paid] > 1000) & (net[paid] < 2000))
    assert np.allclose(cost[paid], 2000 + 1000 * default_parameters().value("tax.social.employer_rate", ON))


def test_the_sweep_equals_evaluate_with_a_pass_share_allowances_and_stated_ways():
    """Finding 7: the sweep re-implemented the car cost and the choice of way, ignoring these levers."""
    from impact.scenarios import sweep
    workers = WORKERS.assign(preferred_mode=["car", "transit", "best", "best", "transit"],
                             has_car=[True, True, True, False, True], second_car=[False, False, True, False, False])
    scenario = Scenario(company_pass_share=0.5, monthly_allowance_eur=30.0, mileage_allowance_eur_per_km=0.05)
    base = run(workers, scenario)
    grid = sweep(workers, base, [1.60, 2.00], [0, 1.5], default_parameters(), ON, scenario)
    for fuel in (1.60, 2.00):
        for smart in (0, 1.5):
            point = Scenario(company_pass_share=0.5, monthly_allowance_eur=30.0, mileage_allowance_eur_per_km=0.05,
                             fuel_eur_per_l=fuel, smart_working_days_per_week=smart)
            exact = summarise(run(workers, point), point)
            row = grid[(grid.fuel_eur_per_l == fuel) & (grid.smart_days == smart)].iloc[0]
            for key in ("total_extra_eur_year", "median_extra_eur_month", "over_10pct_pay"):
                assert row[key] == pytest.approx(exact[key], rel=1e-9, abs=1e-9), (fuel, smart, key)


def test_the_union_pages_transfer_allowance_follows_the_exact_rule_of_make_whole():
    """Finding 7: the page's allowance used a marginal-rate shortcut; `make_whole` applies art. 51 c.7 exactly.

    The allowance `make_whole` says covers a worker's first year, paid through the union page's
    lever, must leave her exactly that year's extra cost (12 x the monthly extra), to the euro.
    """
    from impact.scenarios import transfer_allowance
    results = run(WORKERS, Scenario())
    for i in np.flatnonzero(results["extra_best_eur_month"].to_numpy() > 0):
        one = WORKERS.iloc[[i]].reset_index(drop=True)
        row = results.iloc[[i]].reset_index(drop=True)
        allowance = float(row["transfer_allowance_first_year_eur"].iloc[0])
        net, _ = transfer_allowance(one, row, allowance, default_parameters(), ON)
        assert net[0] == pytest.approx(12 * round(float(row["extra_best_eur_month"].iloc[0]), 2), abs=1.0)


def test_the_transfer_allowance_taxes_each_paid_case_once(monkeypatch):
    """Review item (issue 15): the allowance netted every row twice, the unpaid ones too. A roster of
    the five workers four times over has 16 workers the move costs (not the Torino resident), all at
    the part-time 750 EUR take-home, so at 2 (gross pay, surcharge schedule) cases: Asti's own
    municipal rate, and the default one of Strambino, Ivrea and Villanova. The net pay is worked
    for those 2 cases only, with and without the allowance, and each worker is answered as alone."""
    import impact.pay
    from impact.scenarios import transfer_allowance
    params = default_parameters()
    netted = []
    net_pay = impact.pay._net_pay
    monkeypatch.setattr(impact.pay, "_net_pay", lambda gross, *rest: netted.append(len(gross)) or net_pay(gross, *rest))
    roster = pd.concat([WORKERS] * 4, ignore_index=True)
    results = run(roster, Scenario())
    netted.clear()
    net, cost = transfer_allowance(roster, results, 2000.0, params, ON)
    assert netted == [2, 2]
    for i in range(len(WORKERS)):
        alone_net, alone_cost = transfer_allowance(WORKERS.iloc[[i]], results.iloc[[i]], 2000.0, params, ON)
        assert (net[i::5] == alone_net[0]).all() and (cost[i::5] == alone_cost[0]).all()
    netted.clear()
    assert transfer_allowance(roster, results[results["extra_best_eur_month"] <= 0], 2000.0, params, ON)[0].sum() == 0
    assert netted == []


@pytest.mark.parametrize("allowance", [100.0, 500.0])
def test_the_allowance_costs_the_company_the_same_in_the_summary_and_over_time(allowance):
    """One answer: the summary priced a cash allowance from each worker's remaining loss, so an
    allowance large enough to leave no loss cost the company "0 €", while the package over time
    charged its real cost. Both now take the gross raise that leaves her that net (make-whole)."""
    from impact.horizon import taxable_allowance_cost_eur_month
    scenario = Scenario(monthly_allowance_eur=allowance)
    results = run(WORKERS, scenario)
    s = summarise(results, scenario)
    exact = taxable_allowance_cost_eur_month(WORKERS, results, np.full(len(WORKERS), allowance),
                                             default_parameters(), ON)
    assert s["company_cost_allowance_eur_year"] == pytest.approx(12 * exact.sum(), rel=1e-9)
    # A taxed allowance costs the company more than what reaches the worker, never less.
    assert s["company_cost_allowance_eur_year"] > 12 * allowance * len(WORKERS)
