"""The result registry (impact/results.py): evaluate()'s columns, their formats, and the answer they make."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from impact import i18n, results
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites

ON = dt.date(2026, 6, 1)
PARAMS, PLACES, SITES = default_parameters(), default_gazetteer(), load_sites()


def worker(town: str, site: str, hours: float, **extra) -> pd.DataFrame:
    return pd.DataFrame([{"home_istat": PLACES.resolve(town).istat, "site": site, "hours_per_day": hours,
                          "days_per_week": 5, **extra}])


def test_evaluate_returns_exactly_the_registry_columns_in_order():
    out = evaluate(worker("Strambino", "ivrea", 4), Scenario(), PARAMS, ON, PLACES, SITES)
    assert tuple(out.columns) == results.IDENTIFIERS


def test_pay_false_keeps_every_column_and_leaves_the_pay_ones_unfilled():
    out = evaluate(worker("Strambino", "ivrea", 4), Scenario(), PARAMS, ON, PLACES, SITES, pay=False)
    assert tuple(out.columns) == results.IDENTIFIERS
    assert set(results.PAY_COLUMNS) == {"gross_annual_eur", "raise_gross_per_payment_eur",
                                        "raise_company_cost_annual_eur", "fringe_company_cost_annual_eur",
                                        "pass_company_cost_annual_eur", "transfer_allowance_first_year_eur",
                                        "allowance_company_cost_eur_month", "rights_over_50km", "rights_distance_status", "rights_over_80min",
                                        "rights_transit_status", "rights_status", "naspi_monthly_eur",
                                        "naspi_duration_months"}
    assert out[list(results.PAY_COLUMNS)].isna().all(axis=None)


def test_every_column_has_a_label_in_both_languages_and_a_known_format():
    for c in results.COLUMNS:
        assert c.format in results.FORMATS and c.describe
        assert c.label("it") and c.label("en") and c.label("it") != c.id


def test_one_formatter_writes_italian_and_english_numbers():
    assert results.format_value("extra_best_eur_month", 1802.4, "it") == "1.802\u00a0€"
    assert results.format_value("extra_best_eur_month", 1802.4, "en") == "€1,802"
    assert results.format_value("share_best", 0.152, "it") == "15\u00a0%"
    assert results.format_value("car_km_new", 60.16, "it") == "60,2\u00a0km"
    assert results.format_value("extra_best_hours_month", 52.65, "it") == "53 ore"
    assert results.format_value("transit_last_leave_new", 1306.0, "it") == "21:46"
    assert results.format_value("transit_min_new", np.nan, "it") == "—"
    assert results.format_value("move_housing_now_basis", "province_average", "it") == "media della provincia"
    assert results.format_value("move_housing_now_basis", "province_average", "en") == "province average"
    assert results.format_value("rights_over_50km", True, "it") == "sì"


def test_moving_is_compared_with_the_workers_own_answer():
    """Finding 2: Strambino, Ivrea, 4 h goes by train (the cheaper way), so moving is weighed against the train."""
    r = evaluate(worker("Strambino", "ivrea", 4), Scenario(), PARAMS, ON, PLACES, SITES).iloc[0]
    assert r["best_mode"] == "transit" and r["extra_best_eur_month"] < r["extra_car_cash_eur_month"]
    assert r["move_advantage_eur_month"] == pytest.approx(r["extra_best_eur_month"] - r["move_extra_eur_month"])
    # moving's own extra (rent difference and one-offs) is above the train's: moving is dearer
    assert r["move_advantage_eur_month"] < 0


def test_trace_lists_the_fares_of_a_transit_answer_and_the_car_of_a_car_answer():
    transit = results.trace_parameters(results.answer_columns("transit"), PARAMS, fare_rail_km=51.7)
    car = results.trace_parameters(results.answer_columns("car"), PARAMS)
    assert "transit.gtt.monthly_pass_eur" in transit and "car.fuel.petrol_eur_per_l" not in transit
    assert [p for p in transit if p.startswith("transit.rail_piemonte.monthly_2nd.")] == [
        "transit.rail_piemonte.monthly_2nd.km_051_060"]
    assert "car.fuel.petrol_eur_per_l" in car and "transit.gtt.monthly_pass_eur" not in car
    assert "work.pay_defaults.part_time_net_monthly_eur" in car
    assert i18n.t("results.extra_best_eur_month", "it")


def test_a_typed_gross_gives_the_take_home_and_the_gross_is_kept():
    """Finding 5: 'Lordo mensile' 3,000 with no net was costed at the default 1,100 € net (15,364 € gross a year)."""
    r = evaluate(worker("Strambino", "ivrea", 8, gross_monthly_eur=3000.0), Scenario(), PARAMS, ON, PLACES,
                 SITES).iloc[0]
    assert r["net_pay_basis"] == "gross" and not r["net_pay_is_default"]
    assert r["gross_annual_eur"] == pytest.approx(13 * 3000, abs=1.0)   # 13 payslips (TLC)
    assert 1800 < r["net_monthly_eur"] < 2300   # a 3,000 € payslip nets about two thirds


def test_net_and_gross_that_disagree_are_measured():
    r = evaluate(worker("Strambino", "ivrea", 8, gross_monthly_eur=3000.0, net_monthly_eur=1100.0), Scenario(),
                 PARAMS, ON, PLACES, SITES).iloc[0]
    assert r["net_pay_basis"] == "typed" and r["net_monthly_eur"] == 1100
    assert r["net_gross_gap_eur_month"] < -500


def test_the_routers_notes_are_words_of_the_page_language():
    assert results.routing_note_text("openrouteservice server error (500)", "it") == \
        "errore del server openrouteservice (500)"
    assert results.routing_note_text("openrouteservice unreachable (ConnectionError)", "en") == \
        "openrouteservice unreachable"
    # The INPS basis is a code of the model (issue 12: codes from the model, words in the faces).
    assert results.inps_basis_text("mean_walk", "it") == "media dei viaggi feriali, a piedi fino alla fermata"
    assert results.inps_basis_text("mean_car", "en").startswith("mean of the weekday journeys, driving")
