"""Cell values: numbers, hours, clock times, yes/no, offices and home comuni, each parsed once per distinct text.

Every parser returns ``(value, problem)``: the problem is None or a message code with its values
(`impact.roster.messages`), never a sentence.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from impact.errors import AmbiguousPlace, UnknownPlace
from impact.places import Gazetteer, Place, Site, normalise
from impact.roster.columns import HOME_FIELDS, MAX_CANDIDATES_SHOWN, MAX_SUGGESTIONS_SHOWN
from impact.roster.table import _is_blank

# --------------------------------------------------------------------------- values, one distinct value at a time

Parsed = tuple[Any, "tuple[str, dict] | None"]   # (value, (message key, values) or None)
_MISSING = ("number_missing", {})


def _per_distinct(cells: np.ndarray, parse: Callable[[Any], Parsed], dtype: type = object
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Parse each distinct cell once and spread the results over the rows (values, problems).

    A roster of 10,000 rows holds a few hundred towns and a handful of hours: parsing
    and resolving the distinct texts only is what keeps a big file under a second.
    """
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=False)
    parsed = [parse(u) for u in uniques]
    missing = {float: math.nan, bool: False}.get(dtype)
    values = np.empty(len(parsed), dtype=dtype)
    problems = np.empty(len(parsed), dtype=object)
    for i, (value, problem) in enumerate(parsed):   # element by element: a problem is a tuple, not a row
        values[i] = missing if value is None and dtype is not object else value
        problems[i] = problem
    return values[codes], problems[codes]


def _text(value: Any) -> str:
    """A cell as text: Excel's 10015.0 becomes '10015'."""
    if _is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


_UNITS = re.compile(r"^(?:€|eur|euro)\s*|\s*(?:€|eur|euro|h|ore|hours?|gg|giorni|days?|/\s*\w+)$")
_PLAIN = re.compile(r"^\d+$")
_ONE_SEPARATOR = re.compile(r"^(\d+)([.,])(\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,' ])\d{3})+(?:([.,])(\d+))?$")


def _separator_evidence(text: str) -> str | None:
    """',' or '.' when the text can only be read with that decimal separator, else None."""
    text = _UNITS.sub("", text.strip().lower())
    one = _ONE_SEPARATOR.match(text)
    if one:
        return one[2] if len(one[3]) != 3 else None   # "1.100" could be either
    grouped = _GROUPED.match(text)
    if grouped and grouped[2]:
        return grouped[2]
    return None


def _number(value: Any, decimal: str) -> Parsed:
    """A non-negative number from a cell: '6', '6,5', '1.100,50', '€ 820', 820.5."""
    if isinstance(value, bool):
        return None, ("number_invalid", {"text": str(value)})
    if isinstance(value, (int, float)) and not _is_blank(value):
        return (float(value), None) if value >= 0 else (None, ("number_invalid", {"text": _text(value)}))
    text = _text(value)
    if not text:
        return None, _MISSING
    plain = _UNITS.sub("", text.lower()).replace("\u00a0", " ").strip()
    if _PLAIN.match(plain):
        return float(plain), None
    one = _ONE_SEPARATOR.match(plain)
    if one:
        integer, separator, fraction = one.groups()
        # A single separator before exactly three digits is a thousands mark unless the file writes decimals that way.
        if len(fraction) == 3 and separator != decimal:
            return float(integer + fraction), None
        return float(f"{integer}.{fraction}"), None
    grouped = _GROUPED.match(plain)
    if grouped and grouped[1] != grouped[2]:
        digits = re.sub(r"[.,' ]", "", plain.split(grouped[2])[0] if grouped[2] else plain)
        return float(digits + (f".{grouped[3]}" if grouped[3] else "")), None
    return None, ("number_invalid", {"text": text})


_HOURS_TWO_DIGITS = re.compile(r"^(\d{1,2})[.,](\d{2})$")


def _hours(value: Any, decimal: str) -> Parsed:
    """Hours of work: a number, a duration written '6:30', or a time or duration cell.

    The rule (README, "Roster format"): '6:30' is six hours and a half; '6,5' and '6.5' are
    decimal hours; '7.30' or '6,45' (two digits after the separator) could be either and is
    refused with both readings, unless the digits are '00'. A number cell under 1 is Excel's
    fraction of a day whose time format was lost (0.25 is 6:00): no contract is under an hour.
    """
    if isinstance(value, dt.time):
        return value.hour + value.minute / 60, None
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600, None
    if isinstance(value, float) and 0 < value < 1:
        return value * 24, None
    text = _text(value)
    match = re.match(r"^(\d{1,2}):([0-5]\d)$", text)
    if match:
        return int(match[1]) + int(match[2]) / 60, None
    two = _HOURS_TWO_DIGITS.match(text) if isinstance(value, str) else None
    if two and two[2] != "00":
        return None, ("hours_ambiguous", {"text": text, "clock": f"{two[1]}:{two[2]}",
                                          "decimal": {"it": f"{two[1]},{two[2]}", "en": f"{two[1]}.{two[2]}"}})
    return _number(value, decimal)


_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.,h]\s*([0-5]\d))?(?::[0-5]\d)?\s*h?$")


def _clock(value: Any) -> Parsed:
    """Minutes after midnight from '9', '9:00', '09.00', '9h', '9h30', a time cell; 24:00 is 0."""
    if _is_blank(value):
        return math.nan, None
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return float(value.hour * 60 + value.minute), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 < value < 1:   # Excel's fraction of a day, when the time format was lost
            return float(round(value * 24 * 60) % (24 * 60)), None
        if float(value).is_integer() and 0 <= value <= 24:
            return float(int(value) % 24 * 60), None
        return None, ("time_invalid", {"text": _text(value)})
    text = _text(value).lower()
    match = _TIME.match(text)
    if not match:
        return None, ("time_invalid", {"text": text})
    hours, minutes = int(match[1]), int(match[2] or 0)
    if hours > 24 or (hours == 24 and minutes):
        return None, ("time_invalid", {"text": text})
    return float(hours % 24 * 60 + minutes), None


_YES = {"si", "s", "yes", "y", "1", "x", "true", "vero", "ok"}
_NO = {"no", "n", "0", "false", "falso", "", "-"}


def _yes_no(value: Any) -> Parsed:
    """True for sì/si/yes/y/1/x/true, False for no/n/0/false/empty."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value), None
    key = normalise(_text(value))
    if key in _YES:
        return True, None
    if key in _NO:
        return False, None
    return None, ("bool_invalid", {"text": _text(value)})


# Short forms seen in staff lists, besides each office's id and name.
SITE_ALIASES = {"iv": "ivrea", "at": "asti", "to": "torino", "turin": "torino"}


def _site_aliases(sites: Mapping[str, Site]) -> tuple[dict[str, str], set[str]]:
    """Texts naming each closing office (id, name, 'IV'/'AT'), and those naming the destination."""
    names = {normalise(s.id): s.id for s in sites.values()}
    names.update({normalise(s.name): s.id for s in sites.values()})
    names.update({alias: site_id for alias, site_id in SITE_ALIASES.items() if site_id in sites})
    closing = {text: site_id for text, site_id in names.items() if not sites[site_id].is_destination}
    return closing, {text for text, site_id in names.items() if sites[site_id].is_destination}


def _closing_names(sites: Mapping[str, Site]) -> str:
    return " / ".join(sorted(s.name for s in sites.values() if not s.is_destination))


def _site_parser(sites: Mapping[str, Site]) -> Callable[[Any], Parsed]:
    closing, destination = _site_aliases(sites)
    choices = _closing_names(sites)
    filler = {"sede", "di", "ufficio", "office", "site", "konecta"}

    def parse(value: Any) -> Parsed:
        text = _text(value)
        if not text:
            return None, ("site_missing", {})
        words = [w for w in normalise(re.sub(r"\([A-Za-z]{2}\)\s*$", "", text)).split() if w not in filler]
        key = " ".join(words)
        if key in closing:
            return closing[key], None
        if key in destination:
            return None, ("site_not_closing", {"text": text})
        return None, ("site_unknown", {"text": text, "choices": choices})
    return parse


# --------------------------------------------------------------------------- the home comune


def _labels(places: list[Place], limit: int) -> str:
    shown = ", ".join(p.label for p in places[:limit])
    return shown + (f", … (+{len(places) - limit})" if len(places) > limit else "")


def _suggestions(places: list[Place]) -> list[str]:
    """The labels of the first suggested comuni (worded by `impact.roster.messages`)."""
    return [p.label for p in places[:MAX_SUGGESTIONS_SHOWN]]


def _candidates_for(kind: str, text: str, gazetteer: Gazetteer) -> tuple[list[Place] | None, tuple | None]:
    """The comuni one home cell can mean (a list) or the problem with it."""
    digits = text.isdigit()
    if kind == "istat" or (digits and len(text) == 6 and kind != "cap"):   # six digits in a CAP column: a bad CAP
        code = text.zfill(6) if digits and len(text) <= 6 else text   # Excel drops leading zeros
        try:
            return [gazetteer.by_istat(code)], None
        except UnknownPlace:
            return None, ("istat_unknown", {"text": text})
    if kind == "cap" or digits:
        if not re.fullmatch(r"\d{5}", text):
            return None, ("cap_invalid", {"text": text})
        places = sorted(gazetteer.by_cap(text), key=lambda p: -p.population)
        return (places, None) if places else (None, ("cap_unknown", {"text": text}))
    try:
        return [gazetteer.resolve(text)], None
    except AmbiguousPlace as exc:
        return list(exc.candidates), None
    except UnknownPlace as exc:
        return None, ("town_unknown", {"text": text, "suggestions": _suggestions(list(exc.candidates))})


_KEY_SEPARATOR = "\x1f"   # joins a row's town, CAP and ISTAT cells into one key (a control character no cell holds)


def _resolve_home(key: tuple[str, str, str], gazetteer: Gazetteer) -> Parsed:
    """The ISTAT code meant by a (town, CAP, ISTAT) triple, using every part given and guessing none."""
    given = [(kind, text) for kind, text in zip(HOME_FIELDS, key) if text]
    if not given:
        return None, ("home_missing", {})
    sets = []
    for kind, text in given:
        places, problem = _candidates_for(kind, text, gazetteer)
        if problem:
            return None, problem
        sets.append((kind, text, places))
    common = [p for p in sets[0][2] if all(p in s[2] for s in sets[1:])]
    if len(common) == 1:
        return common[0].istat, None
    if not common:
        return None, ("home_conflict", {"given": " ≠ ".join(f"{text} → {_labels(places, 3)}"
                                                          for _, text, places in sets)})
    kind, text, _ = sets[0]
    if kind == "cap" and len(sets) == 1:
        return None, ("cap_ambiguous", {"text": text, "count": len(common),
                                        "candidates": _labels(common, MAX_CANDIDATES_SHOWN)})
    return None, ("town_ambiguous", {"text": text, "count": len(common), "example": common[0].label,
                                     "candidates": _labels(common, MAX_CANDIDATES_SHOWN)})
