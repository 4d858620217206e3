"""Clock times as minutes after midnight [minutes], and back to 'HH:MM'.

The one place where times of day are read and written: the timetable files, the
shift options of the command line, the journey legs, the pages and the PDFs all use
these, so a time reads the same everywhere.
"""

from __future__ import annotations

import argparse

import numpy as np

MINUTES_PER_DAY = 1440


def hhmm_to_minutes(values) -> np.ndarray:
    """'HH:MM' strings, or minutes already, -> minutes after midnight [int], vectorized.

    '7' is read as 7 minutes, like a number; '07:05' as 425.
    """
    arr = np.atleast_1d(np.asarray(values))
    if arr.dtype.kind in "iuf":
        return arr.astype(np.int64)
    parts = np.char.partition(arr.astype(str), ":")
    first = parts[:, 0].astype(np.int64)
    second = np.where(parts[:, 2] == "", "0", parts[:, 2]).astype(np.int64)
    return np.where(parts[:, 1] == ":", first * 60 + second, first)


def minutes_to_hhmm(values) -> np.ndarray:
    """Minutes after midnight -> 'HH:MM' (hours past 24 kept, e.g. '24:30'); NaN -> '', vectorized."""
    arr = np.asarray(values, dtype=float)
    ok = np.isfinite(arr)
    m = np.where(ok, np.round(arr), 0).astype(np.int64)
    text = np.char.add(np.char.add(np.char.zfill((m // 60).astype(str), 2), ":"),
                       np.char.zfill((m % 60).astype(str), 2))
    return np.where(ok, text, "").astype(object)


def hhmm(minutes: float, *, wrap: bool = True, missing: str = "—", padded: bool = True) -> str:
    """'07:41' from minutes after midnight, rounded to the minute; `missing` when NaN or None.

    With `wrap` a time past midnight reads as the next day's clock (1470 -> '00:30');
    without, the hours run on ('24:30'), as a timetable of one service day writes them.
    Without `padded` the hour has no leading zero ('9:00'): the way the roster template and
    its help write a time, so that a message about a roster's cell reads as the worker typed it.
    """
    if minutes is None or minutes != minutes:
        return missing
    value = int(round(float(minutes)))
    if wrap:
        value %= MINUTES_PER_DAY
    return f"{value // 60:0{2 if padded else 1}d}:{value % 60:02d}"


def parse_time_of_day(text: str) -> int:
    """'07:30' -> 450 minutes after midnight; a ValueError that says why otherwise (9:60 is no time)."""
    try:
        hours, minutes = (int(part) for part in str(text).split(":"))
    except ValueError:
        raise ValueError(f"'{text}' is not a time like 07:30") from None
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(f"'{text}' is not a time of day")
    return hours * 60 + minutes


def time_of_day_arg(text: str) -> int:
    """`parse_time_of_day` as a command-line option's type: argparse shows the reason."""
    try:
        return parse_time_of_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
