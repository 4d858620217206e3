"""Commuting days: working days a month from days worked a week, net of holidays and leave.

National public holidays are read from ``data/calendar/holidays.csv``, one row per
holiday with its law: those of L. 27 May 1949 n. 260 as amended (L. 5 March 1977 n. 54,
L. 20 November 2000 n. 336 for 2 June) and, from 2026, 4 October (San Francesco,
L. 8 October 2025 n. 151). A row's `from_year` is the first year it is a holiday (empty:
every year the model covers). Local patron saints' days (Torino 24 June, Ivrea 7 July,
Asti the first Tuesday of May) are left out: one day a year, smaller than the
uncertainty of the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from impact.errors import DataError
from impact.params import DATA_DIR, Parameters

HOLIDAYS_CSV = DATA_DIR / "calendar" / "holidays.csv"
HOLIDAY_RULES = ("fixed", "easter_monday")

# Calendar conventions, in one place: pay and hours count a year as 52 whole weeks (365 days are
# 52.14), and a month is a twelfth of that. Policy figures are parameters; these are units.
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
WEEKS_PER_MONTH = WEEKS_PER_YEAR / MONTHS_PER_YEAR


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


@dataclass(frozen=True)
class Holiday:
    """A national public holiday: a fixed day of the year, or Easter Monday; from `from_year` (0: always)."""

    name: str
    rule: str
    month: int
    day: int
    from_year: int
    law: str
    url: str

    def date_in(self, year: int) -> dt.date | None:
        """Its date in `year`, or None before it became a holiday."""
        if year < self.from_year:
            return None
        if self.rule == "easter_monday":
            return easter_sunday(year) + dt.timedelta(days=1)
        return dt.date(year, self.month, self.day)


@lru_cache(maxsize=4)
def load_holidays(path: Path = HOLIDAYS_CSV) -> tuple[Holiday, ...]:
    """The holidays in `path`; a DataError names the file, the row and what to write."""
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: the holiday list cannot be read ({type(exc).__name__})", path) from None
    holidays = []
    for line, row in enumerate(rows, start=2):
        try:
            rule = row["rule"]
            if rule not in HOLIDAY_RULES:
                raise ValueError(f"rule '{rule}' is not one of {', '.join(HOLIDAY_RULES)}")
            fixed = rule == "fixed"
            holiday = Holiday(row["name"], rule, int(row["month"]) if fixed else 0, int(row["day"]) if fixed else 0,
                              int(row["from_year"] or 0), row["law"], row["url"])
            if fixed:
                dt.date(2000, holiday.month, holiday.day)   # a leap year: any real day of the year passes
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{path}, line {line}: {exc}; write name,rule,month,day,from_year,law,url "
                            "with rule fixed (month and day as numbers) or easter_monday", path) from None
        holidays.append(holiday)
    if not holidays:
        raise DataError(f"{path}: no holidays listed", path)
    return tuple(holidays)


def national_holidays(year: int) -> list[dt.date]:
    """The national public holidays of `year`, Easter Monday included."""
    days = (holiday.date_in(year) for holiday in load_holidays())
    return sorted(day for day in days if day is not None)


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
