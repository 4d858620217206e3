"""Time and care: the extra hours a longer commute takes, what they are worth, and the
childcare a parent must buy because she gets home later.

Nothing here invents a value for time: the money value of the extra hours is the
worker's own net hourly pay, and only when she gives it. Childcare is opt-in: it is
counted only for workers who say they have children who need looking after, at a rate
the user can change (default: the most recent sourced babysitter rate).

Every function works on numpy arrays, one element per worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import numpy as np

from impact.checks import number_array
from impact.calendar import MONTHS_PER_YEAR, WEEKS_PER_MONTH
from impact.errors import HousingInputError
from impact.params import Parameters, Source

MINUTES_PER_HOUR = 60.0
DEFAULT_RATE_PATH = "care.childcare.babysitter_national_eur_per_hour"

_as_array = partial(number_array, error=HousingInputError, one_per_worker=False, allow_inf=True)


@dataclass(frozen=True)
class ExtraTime:
    """Extra time away from home because of the new commute, one value per worker.

    per_day    extra hours per working day, both ways [hours/day]
    per_month  extra hours per month [hours/month]
    per_year   extra hours per year [hours/year]

    Negative values mean the new commute is shorter.
    """

    per_day: np.ndarray
    per_month: np.ndarray
    per_year: np.ndarray


def extra_time(old_minutes_one_way, new_minutes_one_way, days_per_month) -> ExtraTime:
    """Extra hours away from home: old and new one-way door-to-door times [minutes],
    commuting days [days/month] (an average month of the year, so a year is twelve of them).
    """
    old = _as_array(old_minutes_one_way, "old_minutes_one_way")
    new = _as_array(new_minutes_one_way, "new_minutes_one_way")
    days = _as_array(days_per_month, "days_per_month")
    per_day = 2 * (new - old) / MINUTES_PER_HOUR
    per_month = per_day * days
    return ExtraTime(per_day=per_day, per_month=per_month, per_year=per_month * MONTHS_PER_YEAR)


def hourly_net_pay(net_monthly_eur, hours_per_day, days_per_week) -> np.ndarray:
    """The worker's own take-home pay per paid hour [EUR/hour].

    Paid hours a month are hours/day × days/week × `WEEKS_PER_MONTH` (impact.calendar): leave and public holidays
    are paid, so they count as paid hours. NaN where the pay was not given.
    """
    pay = _as_array(net_monthly_eur, "net_monthly_eur", allow_nan=True)
    hours = _as_array(hours_per_day, "hours_per_day")
    days = _as_array(days_per_week, "days_per_week")
    paid_hours = hours * days * WEEKS_PER_MONTH
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(paid_hours > 0, pay / paid_hours, np.nan)


def value_of_time(extra_hours_month, hourly_net_pay_eur) -> np.ndarray:
    """Money value of the extra hours at the worker's own net hourly pay [EUR/month].

    Optional: NaN where the worker gave no pay, because the model has no rate of its
    own to put on a person's time.
    """
    hours = _as_array(extra_hours_month, "extra_hours_month", allow_negative=True)
    rate = _as_array(hourly_net_pay_eur, "hourly_net_pay_eur", allow_nan=True)
    return hours * rate


def care_cost_monthly(extra_hours_away_per_day, days_per_month, children_needing_care,
                      rate_eur_per_hour) -> np.ndarray:
    """Childcare bought because the worker is away longer [EUR/month].

    extra_hours_away_per_day   extra hours away per working day [hours/day]; a shorter
                               commute buys no care (clipped at zero)
    days_per_month             commuting days [days/month]
    children_needing_care      children who cannot be left alone [count]; 0 opts out
    rate_eur_per_hour          babysitter rate [EUR/hour]

    One babysitter looks after brothers and sisters together, so the cost does not
    grow with the number of children; no source gives a rate per extra child.
    """
    hours = np.clip(_as_array(extra_hours_away_per_day, "extra_hours_away_per_day", allow_negative=True),
                    0, None)
    days = _as_array(days_per_month, "days_per_month")
    children = _as_array(children_needing_care, "children_needing_care")
    rate = _as_array(rate_eur_per_hour, "rate_eur_per_hour")
    return np.where(children > 0, hours * days * rate, 0.0)


def default_care_rate(params: Parameters, on: dt.date) -> tuple[float, Source]:
    """The default babysitter rate [EUR/hour] and where it comes from."""
    value = params.get(DEFAULT_RATE_PATH).at(on)
    return float(value.value), value.source
