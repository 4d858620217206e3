"""Commuting days: working days a month from days worked a week, net of holidays and leave.

National public holidays are those of L. 27 May 1949 n. 260 as amended (L. 5 March
1977 n. 54, L. 20 November 2000 n. 336 for 2 June) and, from 2026, 4 October (San
Francesco, restored by the law approved by the Senate on 1 October 2025). Local
patron saints' days (Torino 24 June, Ivrea 7 July, Asti the first Tuesday of May)
are left out: one day a year, smaller than the uncertainty of the rest.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

from impact.params import Parameters

_FIXED_HOLIDAYS = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]
SAN_FRANCESCO_FROM = 2026


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    day = (h + l_ - 7 * m + 33 * month + 19) % 32
    return dt.date(year, month, day)


def national_holidays(year: int) -> list[dt.date]:
    """The national public holidays of `year`, Easter Monday included."""
    days = [dt.date(year, m, d) for m, d in _FIXED_HOLIDAYS]
    days.append(easter_sunday(year) + dt.timedelta(days=1))
    if year >= SAN_FRANCESCO_FROM:
        days.append(dt.date(year, 10, 4))
    return sorted(days)


def _per_weekday(days: list[dt.date]) -> np.ndarray:
    """How many of `days` fall on each weekday, Monday first: shape (7,)."""
    counts = np.zeros(7, dtype=float)
    for day in days:
        counts[day.weekday()] += 1
    return counts


@lru_cache(maxsize=8)
def _open_days_cumulative(year: int) -> np.ndarray:
    """Days of `year` that are not holidays on Monday, Monday–Tuesday, ..., Monday–Saturday; index 0 is 0."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    every_day = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    open_days = _per_weekday(every_day) - _per_weekday(national_holidays(year))
    return np.concatenate([[0.0], np.cumsum(open_days[:6])])


def working_days_per_month(days_per_week, year: int, params: Parameters, on: dt.date) -> np.ndarray:
    """Average days a month a worker travels to work [days/month].

    A worker on d days a week is taken to work the first d weekdays (a fraction
    of d takes that share of the next day): the year's dates on those weekdays,
    less the holidays among them, less the contract's weeks of leave.
    """
    days_per_week = np.clip(np.asarray(days_per_week, dtype=float), 0, 6)
    cumulative = _open_days_cumulative(year)
    whole = np.floor(days_per_week).astype(int)
    part = days_per_week - whole
    worked = cumulative[whole] + part * (cumulative[np.minimum(whole + 1, 6)] - cumulative[whole])
    leave_weeks = params.value("work.leave.annual_leave_weeks", on)
    return np.maximum(worked - leave_weeks * days_per_week, 0.0) / 12
