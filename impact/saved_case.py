"""The case a worker owns: the worker page's inputs as a small JSON file, and a set of them as a roster.

The file holds only what the page asked for (no name, no address: the comune's ISTAT code),
is made and read in memory, and is never stored on the server. A union representative
given several files (with each worker's consent) reads them as one roster through the
roster reader, so they are checked by the same rules as any roster.

Fields (all but `home_istat` and `site` optional; times as "HH:MM"):

    format, format_version    "konecta-commute-case", 1
    parameters_version        the version the case was saved under (informative)
    home_istat, site          ISTAT code of the home comune; "ivrea" or "asti"
    hours_per_day, days_per_week, shift_start, shift_end, net_monthly_eur, preferred_mode,
    has_car, fuel_eur_per_l, l_per_100km, uses_motorway, tolls_eur_per_day, second_car,
    household_size, housing_now_eur_month, children_needing_care
"""

from __future__ import annotations

import csv
import io
import json
import re

from impact.errors import CaseError
from impact.places import closing_site_ids
from impact.roster import (CHILDREN_RANGE, DAYS_RANGE, HOURS_RANGE, HOUSEHOLD_RANGE, HOUSING_RANGE, NET_RANGE,
                           TOLLS_RANGE)
from impact.validation import SCENARIO_RANGES
from impact.version import parameters_version

FORMAT, FORMAT_VERSION = "konecta-commute-case", 1
MAX_BYTES = 4096            # a case is a few hundred bytes; anything larger is not one
MAX_FILES = 2000
NUMBERS = {"hours_per_day": HOURS_RANGE, "days_per_week": DAYS_RANGE, "net_monthly_eur": NET_RANGE,
           "fuel_eur_per_l": SCENARIO_RANGES["fuel_eur_per_l"], "l_per_100km": SCENARIO_RANGES["l_per_100km"],
           "tolls_eur_per_day": TOLLS_RANGE,
           "household_size": HOUSEHOLD_RANGE, "housing_now_eur_month": HOUSING_RANGE,
           "children_needing_care": CHILDREN_RANGE}
FLAGS = ("has_car", "uses_motorway", "second_car")
TIMES = ("shift_start", "shift_end")
MODES = ("best", "car", "transit")
FIELDS = ("home_istat", "site", *NUMBERS, *FLAGS, *TIMES, "preferred_mode")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# The roster reader's own headers for the fields a roster has (impact.roster.HEADER_SYNONYMS).
ROSTER_FIELDS = ("home_istat", "site", "hours_per_day", "days_per_week", "shift_start", "shift_end",
                 "net_monthly_eur", "has_car", "second_car", "uses_motorway", "tolls_eur_per_day",
                 "household_size", "housing_now_eur_month", "children_needing_care")


def case_json(inputs: dict) -> bytes:
    """The case file for `inputs` (keys among `FIELDS`; None values are left out)."""
    body = {"format": FORMAT, "format_version": FORMAT_VERSION, "parameters_version": parameters_version()}
    body.update({key: inputs[key] for key in FIELDS if inputs.get(key) is not None})
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def read_case(data: bytes, sites: tuple[str, ...] | None = None) -> dict:
    """The checked fields of a case file; a CaseError says what is wrong.

    `sites` are the office ids a case may name; None: the closing offices of ``data/sites.yaml``.
    """
    sites = tuple(closing_site_ids() or ()) if sites is None else sites
    if len(data) > MAX_BYTES:
        raise CaseError(f"not a case file: {len(data)} bytes, a case has at most {MAX_BYTES}")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CaseError("not a case file: not JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise CaseError("not a case file saved by this app")
    unknown = sorted(set(raw) - set(FIELDS) - {"format", "format_version", "parameters_version"})
    if unknown:
        raise CaseError(f"unknown field(s): {', '.join(map(str, unknown))}")
    case: dict = {}
    istat = str(raw.get("home_istat", ""))
    if not re.fullmatch(r"\d{6}", istat):
        raise CaseError("home_istat must be a 6-digit ISTAT code")
    case["home_istat"] = istat
    if raw.get("site") not in sites:
        raise CaseError(f"site must be one of {', '.join(sites)}")
    case["site"] = raw["site"]
    for key, (low, high) in NUMBERS.items():
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise CaseError(f"{key} must be a number from {low:g} to {high:g}")
        case[key] = value
    for key in FLAGS:
        if key in raw and raw[key] is not None:
            if not isinstance(raw[key], bool):
                raise CaseError(f"{key} must be true or false")
            case[key] = raw[key]
    for key in TIMES:
        if raw.get(key) is not None:
            if not isinstance(raw[key], str) or not _HHMM.match(raw[key]):
                raise CaseError(f"{key} must be a time like 09:00")
            case[key] = raw[key]
    if raw.get("preferred_mode") is not None:
        if raw["preferred_mode"] not in MODES:
            raise CaseError(f"preferred_mode must be one of {', '.join(MODES)}")
        case["preferred_mode"] = raw["preferred_mode"]
    return case


def cases_roster_csv(files: list[tuple[str, bytes]]) -> tuple[bytes, list[tuple[str, str]]]:
    """A roster CSV (the roster reader's headers) from case files, and the files that are not cases.

    Returns (csv bytes, [(file name, reason)]). Fields a roster does not have (way of travel,
    fuel price) stay with the worker.
    """
    if len(files) > MAX_FILES:
        raise CaseError(f"at most {MAX_FILES} case files at once, not {len(files)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_FIELDS)
    rejected = []
    for name, data in files:
        try:
            case = read_case(data)
        except CaseError as exc:
            rejected.append((name, str(exc)))
            continue
        writer.writerow(["" if case.get(k) is None else (("yes" if case[k] else "no") if k in FLAGS else case[k])
                         for k in ROSTER_FIELDS])
    return buffer.getvalue().encode("utf-8"), rejected
