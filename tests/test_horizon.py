"""Levers over time: the phasing arithmetic by hand, the scenario file, and `roster --json` years."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact.horizon import Package, PackageError, Timing, horizon, month_shares, parse_package
from impact.model import Scenario
from impact.params import default_parameters
from impact.pay import make_whole
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "data" / "scenarios"
ON = dt.date(2026, 6, 1)


def one_worker(extra_after_allowance: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A worker who drives, 6 h x 5 days, with the evaluated figures written out by hand."""
    workers = pd.DataFrame([{"home_istat": "001269", "site": "ivrea", "hours_per_day": 6, "days_per_week": 5}])
    results = pd.DataFrame([{
        "extra_best_eur_month": extra_after_allowance, "best_mode": "car", "transit_eur_new": 0.0,
        "car_km_new": 50.0, "car_km_old": 10.0, "days_new": 20.0, "days_old": 20.0,
        "car_min_new": 50.0, "transit_min_new": 90.0,
        "extra_best_hours_month": 20.0, "gross_annual_eur": 15_600.0,
    }])
    return workers, results


def test_phasing_worked_by_hand_for_one_worker():
    """Loss 250 EUR a month before any lever; a 100 EUR net allowance at 100/75/50 % over three years.

    Year 1: 12 x (250 - 100)  = 1,800 EUR she still loses; the company pays 12 times the cost of a 100 EUR net raise.
    Year 2: 12 x (250 - 75)   = 2,100 EUR;                 12 times the cost of a 75 EUR net raise.
    Year 3: 12 x (250 - 50)   = 2,400 EUR;                 12 times the cost of a 50 EUR net raise.
    Years 4-5: the phasing has ended: 12 x 250 = 3,000 EUR; the company pays nothing.
    The allowance is taxable: each euro net costs the company more than one (tax, contributions, severance).
    """
    workers, results = one_worker(150.0)
    scenario = Scenario(monthly_allowance_eur=100.0)
    package = Package(horizon_years=5, timing=(("monthly_allowance", Timing(phasing=(1.0, 0.75, 0.5))),))
    answer = horizon(workers, results, scenario, package, default_parameters(), ON)
    assert [y["workers_loss_eur"] for y in answer["years"]] == [1800, 2100, 2400, 3000, 3000]
    raise_cost = make_whole([15_600.0] * 3, [100.0, 75.0, 50.0], default_parameters(), ON,
                       home_istat=["001269"] * 3)["raise_company_cost_annual_eur"]
    assert [y["company_cost_eur"] for y in answer["years"]] == pytest.approx([*raise_cost, 0, 0], abs=0.01)
    assert all(raise_cost > 12 * np.array([100, 75, 50]))
    assert [y["workers_worse_off"] for y in answer["years"]] == [1, 1, 1, 1, 1]
    assert answer["horizon_total"]["workers_loss_eur"] == 12300
    assert answer["horizon_total"]["company_cost_eur"] == pytest.approx(raise_cost.sum(), abs=0.05)


def test_start_and_duration_by_hand():
    """The allowance starts in month 7 for 18 months, phased 100/50 % by year of its own life.

    Months 1-6: 250; months 7-18 (its first year): 150; months 19-24: 200; months 25-36: 250 again.
    Year 1 = 6 x 250 + 6 x 150 = 2,400; year 2 = 6 x 150 + 6 x 200 = 2,100; year 3 = 3,000.
    """
    assert month_shares(Timing(start_month=7, duration_months=18, phasing=(1.0, 0.5)), 36).tolist() == (
        [0.0] * 6 + [1.0] * 12 + [0.5] * 6 + [0.0] * 12)
    workers, results = one_worker(150.0)
    package = Package(horizon_years=3, timing=(("monthly_allowance",
                                                 Timing(start_month=7, duration_months=18, phasing=(1.0, 0.5))),))
    answer = horizon(workers, results, Scenario(monthly_allowance_eur=100.0), package, default_parameters(), ON)
    assert [y["workers_loss_eur"] for y in answer["years"]] == [2400, 2100, 3000]
    cost = answer["years"]
    assert cost[2]["company_cost_eur"] == 0 and cost[1]["company_cost_eur"] > cost[0]["company_cost_eur"]


def test_time_credit_costs_her_gross_hourly_pay_with_contributions():
    """20 extra hours a month over 20 days = 60 minutes a day; over a 30-minute threshold, 30 are credited.

    Credited: 30 min x 20 days = 10 h a month. Gross hourly pay: 15,600 / (6 h x 5 days x 52 weeks) = 10 EUR.
    Cost a month: 10 h x 10 EUR x (1 + 0.30 employer contributions) = 130 EUR; a year 1,560 EUR.
    """
    workers, results = one_worker(150.0)
    package = Package(horizon_years=1, time_credit_threshold_min=30)
    answer = horizon(workers, results, Scenario(), package, default_parameters(), ON)
    rate = default_parameters().value("tax.social.employer_rate", ON)
    assert rate == 0.30
    year = answer["years"][0]
    assert year["company_cost_by_lever"]["time_credit"] == pytest.approx(1560.0)
    assert year["workers_extra_hours_median_month"] == 10.0
    assert year["workers_loss_eur"] == 1800  # her euros are not changed by time


def test_dependant_passes_are_tax_free_at_their_price():
    workers, results = one_worker(150.0)
    workers["dependant_passes"] = 2
    package = Package(horizon_years=1, dependant_pass_share=1.0, dependant_pass_eur_month=30.0)
    year = horizon(workers, results, Scenario(), package, default_parameters(), ON)["years"][0]
    assert year["company_cost_by_lever"]["dependant_pass"] == 720.0   # 2 x 30 x 12
    assert year["workers_loss_eur"] == 12 * (150 - 60)


def test_telework_rule_needs_its_results():
    workers, results = one_worker(150.0)
    package = Package(telework_days_per_week=2, telework_min_km=35)
    with pytest.raises(PackageError):
        horizon(workers, results, Scenario(), package, default_parameters(), ON)
    telework = results.assign(extra_best_eur_month=90.0)
    answer = horizon(workers, results, Scenario(), package, default_parameters(), ON, telework_results=telework)
    assert answer["horizon_total"]["telework_workers"] == 1   # 50 km by road > 35
    assert answer["years"][0]["workers_loss_eur"] == 12 * 90


def test_scenario_file_fields_are_checked():
    scenario, site, package = parse_package({"horizon_years": 3, "monthly_allowance_eur": 100,
                                             "monthly_allowance_phasing": [1.0, 0.75, 0.5], "shuttle": True,
                                             "shuttle_duration_months": 12}, "x.yaml")
    assert scenario.monthly_allowance_eur == 100 and site.shuttle and package.horizon_years == 3
    assert package.timing_of("monthly_allowance").phasing == (1.0, 0.75, 0.5)
    assert package.timing_of("shuttle").duration_months == 12
    for bad, word in (({"monthly_allowance_phasing": [1.5]}, "between 0 and 1"),
                      ({"horizon_years": 2.5}, "whole number"), ({"allowance": 1}, "unknown scenario field"),
                      ({"monthly_allowance_phasing": "1,0.5"}, "list of shares")):
        with pytest.raises(PackageError, match=word):
            parse_package(bad, "x.yaml")


def _roster(*args: str) -> dict:
    result = run_cli("roster", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_issue_scenario_file_works_as_written():
    answer = _roster(str(ROOT / "tests/data/rosters/messy_it.csv"), "--scenario",
                     str(SCENARIOS / "phased_allowance.yaml"))
    years = answer["years"]
    assert [y["year"] for y in years] == [1, 2, 3]
    for key in ("company_cost_eur", "workers_loss_eur", "workers_worse_off"):
        assert all(key in y for y in years)
    assert set(answer["horizon_total"]) >= {"company_cost_eur", "workers_loss_eur"}
    # The allowance falls to 75 % and 50 %: the company pays 3/4 and 1/2 of year 1, workers lose more.
    assert years[0]["company_cost_eur"] > years[1]["company_cost_eur"] > years[2]["company_cost_eur"] > 0
    assert years[0]["workers_loss_eur"] <= years[1]["workers_loss_eur"] <= years[2]["workers_loss_eur"]
    # Year 1 is the scenario in full: the same figures as the one summary.
    assert years[0]["workers_loss_eur"] == pytest.approx(answer["summary"]["total_extra_eur_year"], abs=0.05)
    assert years[0]["workers_worse_off"] == answer["summary"]["workers_worse_off"]


def test_full_package_file_runs():
    answer = _roster(str(ROOT / "tests/data/rosters/messy_it.csv"), "--scenario", str(SCENARIOS / "package_full.yaml"))
    assert len(answer["years"]) == 5
    first, last = answer["years"][0]["company_cost_by_lever"], answer["years"][4]["company_cost_by_lever"]
    assert first["shuttle"] > 0 and last["shuttle"] == 0          # 12 months only
    assert first["mileage_allowance"] >= 0 and last["mileage_allowance"] == 0
    assert last["monthly_allowance"] == 0 and first["monthly_allowance"] > 0


def test_the_page_and_the_pdf_show_the_horizon_from_one_table():
    """Review item (issue 15): the page's horizon table was a second copy of `horizon_rows`. Both the page
    and the PDF now show `horizon_text`; the figures are the hand-worked ones of the phasing test above."""
    from ui.package_blocks import horizon_table

    from impact.horizon import horizon_text
    workers, results = one_worker(150.0)
    package = Package(horizon_years=5, timing=(("monthly_allowance", Timing(phasing=(1.0, 0.75, 0.5))),))
    horizons = {"A": horizon(workers, results, Scenario(monthly_allowance_eur=100.0), package, default_parameters(), ON)}
    for lang, loss, total, total_loss in (("it", "1.800\xa0€", "Totale", "12.300\xa0€"),
                                          ("en", "€1,800", "Total", "€12,300")):
        header, rows = horizon_text(horizons, lang)
        assert [row[1] for row in rows] == ["1", "2", "3", "4", "5", total]
        assert rows[0][0] == "A" and rows[0][3] == loss and rows[0][6] == "1"
        assert rows[-1][3] == total_loss and rows[-1][4:] == ["", "", ""]
        table = horizon_table(horizons, lang)
        assert table.columns.tolist() == header and table.to_numpy().tolist() == rows


def test_the_union_workbook_carries_the_horizon_sheet():
    """The union page passes its horizons to the workbook, which is write-only (streamed): the horizon sheet
    read its last row back (`max_row`), which a write-only sheet has not, and every union workbook download
    failed. The figures are the hand-worked ones of the phasing test above, money as numbers in euros."""
    import io

    from openpyxl import Workbook, load_workbook

    from impact.horizon import add_horizon_sheet

    workers, results = one_worker(150.0)
    package = Package(horizon_years=5, timing=(("monthly_allowance", Timing(phasing=(1.0, 0.75, 0.5))),))
    horizons = {"A": horizon(workers, results, Scenario(monthly_allowance_eur=100.0), package, default_parameters(), ON)}
    book = Workbook(write_only=True)   # as impact.report.workforce_xlsx makes it
    add_horizon_sheet(book, horizons, "it")
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(buffer).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == [1, 2, 3, 4, 5, "Totale"]
    assert rows[1][3] == 1800 and rows[-1][3] == 12300 and rows[-1][4:] == (None, None, None)
    assert sheet.cell(2, 4).number_format == "#,##0 €"
