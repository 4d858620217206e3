"""Commuting days a month, checked against the 2026 calendar counted by hand."""

import datetime as dt

import numpy as np
import pytest

from impact.calendar import easter_sunday, national_holidays, working_days_per_month
from impact.params import default_parameters

ON = dt.date(2026, 6, 1)


@pytest.mark.parametrize("year, easter", [(2024, dt.date(2024, 3, 31)), (2025, dt.date(2025, 4, 20)),
                                          (2026, dt.date(2026, 4, 5)), (2027, dt.date(2027, 3, 28))])
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_2026_holidays_include_san_francesco():
    days = national_holidays(2026)
    assert len(days) == 12 and dt.date(2026, 10, 4) in days and dt.date(2026, 4, 6) in days
    assert len(national_holidays(2025)) == 11


def test_five_days_a_week_in_2026():
    # 2026 has 261 weekdays; 7 holidays fall Monday to Friday (1 and 6 Jan, 6 Apr,
    # 1 May, 2 Jun, 8 and 25 Dec); 4 weeks of leave are 20 days: 234 days, 19.5 a month.
    assert working_days_per_month(5, 2026, default_parameters(), ON) == pytest.approx(19.5)


def test_more_days_a_week_never_means_fewer_commuting_days():
    days = working_days_per_month(np.linspace(0, 6, 61), 2026, default_parameters(), ON)
    assert days[0] == 0 and np.all(np.diff(days) > 0)
