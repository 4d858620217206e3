"""Time and care: extra hours, their value at the worker's own pay, childcare bought."""

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact.care import (
    care_cost_monthly, default_care_rate, extra_time, hourly_net_pay, value_of_time,
)
from impact.housing import HousingInputError
from impact.params import Parameters

ON = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def params() -> Parameters:
    return Parameters.load()


def test_extra_time_both_ways_per_day_month_and_year():
    # 60 minutes each way before, 105 after, 18 commuting days a month.
    t = extra_time([60], [105], [18])
    assert t.per_day[0] == pytest.approx(1.5)
    assert t.per_month[0] == pytest.approx(27.0)
    assert t.per_year[0] == pytest.approx(324.0)


def test_a_shorter_commute_gives_negative_extra_time_but_buys_no_care():
    t = extra_time(50, 20, 20)
    assert t.per_day == pytest.approx(-1.0)
    assert care_cost_monthly(t.per_day, 20, 1, 8.52) == 0


def test_hourly_pay_of_a_part_timer_on_750_eur():
    # 750 EUR net, 4 hours a day, 5 days a week: 20 h x 52/12 = 86.67 paid hours a month.
    assert hourly_net_pay(750, 4, 5) == pytest.approx(750 / (20 * 52 / 12))
    assert hourly_net_pay(750, 4, 5) == pytest.approx(8.654, abs=0.001)


def test_value_of_time_uses_the_workers_own_pay_or_nothing():
    rate = hourly_net_pay([750, np.nan], [4, 4], [5, 5])
    value = value_of_time([27, 27], rate)
    assert value[0] == pytest.approx(27 * 750 / (20 * 52 / 12))   # about 233.65 EUR a month
    assert math.isnan(value[1])                                   # no pay given: no invented rate


def test_childcare_worked_example_at_the_default_rate(params):
    rate, source = default_care_rate(params, ON)
    assert rate == 8.52 and "Yoopies" in source.title
    # 1.5 extra hours a day, 18 days a month, at 8.52 EUR/h.
    assert care_cost_monthly(1.5, 18, 1, rate) == pytest.approx(230.04)


def test_childcare_is_opt_in_and_one_sitter_covers_siblings():
    cost = care_cost_monthly([1.5, 1.5, 1.5], [18, 18, 18], [0, 1, 3], 8.52)
    assert cost.tolist() == [0.0, pytest.approx(230.04), pytest.approx(230.04)]


def test_care_rates_are_sourced_with_the_legal_minimum_as_a_floor(params):
    p = "care.childcare."
    assert params.value(p + "babysitter_national_eur_per_hour", dt.date(2020, 1, 1)) == 7.90
    assert params.value(p + "babysitter_torino_eur_per_hour", ON) == 7.00
    assert params.value(p + "babysitter_asti_eur_per_hour", ON) == 8.20
    floor = params.value(p + "domestic_minimum_babysitter_eur_per_hour", ON)
    assert floor == 7.10 and default_care_rate(params, ON)[0] >= floor


def test_bad_inputs_raise_a_domain_error():
    with pytest.raises(HousingInputError):
        care_cost_monthly(1.0, -3, 1, 8.52)
    with pytest.raises(HousingInputError):
        extra_time(np.nan, 30, 20)


@settings(max_examples=200, deadline=None)
@given(hours=st.floats(0, 6), days=st.floats(0, 26), rate=st.floats(0, 30),
       more=st.floats(0, 3), children=st.integers(0, 4))
def test_more_time_away_never_costs_less_care(hours, days, rate, more, children):
    less = care_cost_monthly(hours, days, children, rate)
    assert care_cost_monthly(hours + more, days, children, rate) >= less
