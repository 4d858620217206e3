"""Rights: the INPS transfer rule over many workers, NASpI amounts, duration and totals, bad inputs.

Published and boundary examples live in tests/cases/rights/ (run by test_cases_pay_rights.py).
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import rights
from impact.errors import ImpactError
from impact.params import default_parameters

ON = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def params():
    return default_parameters()


def test_transfer_rule_table(params):
    table = pd.DataFrame(rights.transfer_rule([60.0, np.nan, 20.0], [45.0, 55.0, 15.0], [95.0, 70.0, 40.0], params, ON))
    assert list(table.columns) == list(rights.TRANSFER_RULE_COLUMNS)
    assert table.status.tolist() == ["yes", "yes", "no"]
    assert table.distance_status.tolist() == ["borderline", "yes", "no"]  # road unknown: straight line decides
    assert set(table.status) <= set(rights.STATUSES)


@settings(max_examples=80, deadline=None)
@given(st.floats(0, 150), st.floats(0, 100), st.floats(0, 200))
def test_statuses_are_consistent(straight, extra_road, minutes):
    params = default_parameters()
    row = pd.DataFrame(rights.transfer_rule(straight + extra_road, straight, minutes, params, ON)).iloc[0]
    if row.status == "no":
        assert not row.over_50km and not row.over_80min_transit
    if row.distance_status == "yes":
        assert row.over_50km_road and row.over_50km_straight_line
    if row.transit_status == "yes":
        assert row.over_80min_transit


def test_a_road_shorter_than_the_straight_line_is_refused(params):
    with pytest.raises(rights.RightsInputError, match="shorter than the straight line"):
        rights.transfer_rule(40.0, 45.0, 60.0, params, ON)


def test_naspi_estimate_for_a_steady_full_timer(params):
    # 21,716.50 EUR a year: 21,716.50 / 52 x 4.33 = 1,808.32 EUR a month of average pay;
    # NASpI 75 % x 1,456.72 + 25 % x (1,808.32 - 1,456.72) = 1,180.44 EUR; 208 weeks -> 24 months.
    table = pd.DataFrame(rights.naspi_estimate(21_716.5, params, ON))
    assert list(table.columns) == list(rights.NASPI_COLUMNS)
    row = table.iloc[0]
    assert row.average_monthly_pay_eur == pytest.approx(1_808.32, abs=0.01)
    assert row.naspi_monthly_eur == pytest.approx(1_180.44, abs=0.01)
    assert row.duration_months == 24 and row.reduction_from_month == 6
    expected_total = 1_180.44 * (5 + sum(0.97 ** k for k in range(1, 20)))
    assert row.naspi_total_eur == pytest.approx(expected_total, abs=0.5)


def test_naspi_estimate_is_vectorized_and_handles_age_and_short_careers(params):
    table = pd.DataFrame(rights.naspi_estimate([10_855.0, 21_716.5, 21_716.5], params, ON, age_at_claim=[40, 56, 40],
                                  contribution_weeks_4y=[208, 208, 10]))
    assert table.reduction_from_month.tolist() == [6, 8, 6]
    assert table.naspi_monthly_eur[2] == 0 and table.duration_months[2] == 0 and table.naspi_total_eur[2] == 0
    assert table.naspi_total_eur[1] > pd.DataFrame(rights.naspi_estimate(21_716.5, params, ON)).naspi_total_eur[0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 20_000), min_size=1, max_size=20))
def test_naspi_never_exceeds_the_cap_and_grows_with_pay(pay):
    params = default_parameters()
    pay = np.sort(np.array(pay))
    amounts = rights.naspi_monthly_eur(pay, params, ON)
    assert np.all(amounts <= 1_584.70 + 1e-9)
    assert np.all(np.diff(amounts) >= -1e-9)


def test_reduction_rules_follow_the_date(params):
    assert rights.naspi_reduction_from_month([40, 60], params, dt.date(2021, 6, 1)).tolist() == [4, 4]
    assert rights.naspi_reduction_from_month([40, 60], params, ON).tolist() == [6, 8]


@pytest.mark.parametrize("call, message", [
    (lambda p: rights.naspi_monthly_eur(-1, p, ON), "cannot be negative"),
    (lambda p: rights.naspi_average_monthly_pay_eur(10_000, 0, p, ON), "must be positive"),
    (lambda p: rights.naspi_in_month_eur(1_000, 0, 40, p, ON), "counted from 1"),
    (lambda p: rights.transfer_rule([10, 20], [5, 5, 5], 30, p, ON), "2 values for 3 workers"),
    (lambda p: rights.transfer_rule(10, float("nan"), 30, p, ON), "missing values"),
])
def test_bad_inputs_are_refused(params, call, message):
    with pytest.raises(rights.RightsInputError, match=message):
        call(params)
    assert issubclass(rights.RightsInputError, ImpactError)
