"""`read_roster`: a roster's bytes to the workers `evaluate()` takes, and an account of every other row."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from impact.clock import hhmm
from impact.errors import RosterError
from impact.model import DEFAULTS as MODEL_DEFAULTS
from impact.places import Gazetteer, Site, default_gazetteer, load_sites
from impact.roster.cells import (_KEY_SEPARATOR, _MISSING, Parsed, _clock, _closing_names, _hours, _number,
                                 _per_distinct, _resolve_home, _separator_evidence, _site_parser, _text, _yes_no)
from impact.roster.columns import (BOOL_FIELDS, COUNT_FIELDS, DAYS_RANGE, DECIMAL_EVIDENCE_VALUES, HOME_FIELDS,
                                   HOURS_RANGE, MONEY_FIELDS, OPTIONAL_FIELDS, WORKER_COLUMNS, _check_required,
                                   _map_columns)
from impact.roster.messages import message
from impact.roster.table import _read_table, _Table


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row: the column as headed in the file, a message key and its values."""

    column: str
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "it") -> str:
        """The problem in words, in `lang`."""
        return message(self.key, lang, column=self.column, **self.values)

    def as_dict(self) -> dict:
        """A JSON-ready record: column, key and values (language-neutral)."""
        return {"column": self.column, "key": self.key, "values": dict(self.values)}


@dataclass(frozen=True)
class RowNote:
    """A rejected (or flagged) row: its line in the file and every problem found on it."""

    line: int
    problems: tuple[Problem, ...]

    def reason(self, lang: str = "it") -> str:
        """All the row's problems in `lang`, separated by semicolons."""
        return "; ".join(p.text(lang) for p in self.problems)

    def as_dict(self, lang: str = "en") -> dict:
        """A JSON-ready record with the reason in `lang` and in Italian."""
        return {"line": self.line, "reason": self.reason(lang), "reason_it": self.reason("it"),
                "problems": [p.as_dict() for p in self.problems]}


@dataclass
class RosterReport:
    """What came out of a roster: the usable workers and an account of every other row.

    rows_read = rows_valid + rows_rejected + rows_empty, counting the rows below the header.
    """

    workers: pd.DataFrame
    rejected: list[RowNote]
    warnings: list[RowNote]
    rows_read: int
    rows_empty: int
    columns: dict[str, str]            # model field -> the header it was read from
    ignored_columns: list[str]         # headers not read (names, staff numbers, notes...)
    defaults_used: list[str]           # optional fields absent from the file: the model's default applies
    detected: dict[str, Any]           # format, encoding, delimiter, decimal, header_line, sheet
    modelled: bool = False

    @property
    def rows_valid(self) -> int:
        return len(self.workers)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def counts(self) -> dict[str, int]:
        """rows_read, rows_valid, rows_rejected, rows_empty."""
        return {"rows_read": self.rows_read, "rows_valid": self.rows_valid,
                "rows_rejected": self.rows_rejected, "rows_empty": self.rows_empty}

    def summary(self, lang: str = "en") -> dict:
        """A JSON-ready account of the reading, without any worker's data."""
        return {**self.counts(),
                "rejected": [r.as_dict(lang) for r in self.rejected],
                "warnings": [w.as_dict(lang) for w in self.warnings],
                "columns": dict(self.columns), "ignored_columns": list(self.ignored_columns),
                "defaults_used": list(self.defaults_used), "detected": dict(self.detected),
                "modelled": self.modelled}

    def rejected_table(self, lang: str = "it") -> pd.DataFrame:
        """The rejected rows as a table (line, reason) for a page or a download."""
        return pd.DataFrame({"line": [r.line for r in self.rejected],
                             "reason": [r.reason(lang) for r in self.rejected]})


# --------------------------------------------------------------------------- read_roster


def _detect_decimal(table: _Table, found: dict[str, int], default: str) -> str:
    """',' or '.' from the numbers that can only be read one way; `default` when none can."""
    votes = {",": 0, ".": 0}
    for name in ("hours_per_day", "hours_per_week", "days_per_week", *MONEY_FIELDS, *COUNT_FIELDS):
        if name not in found:
            continue
        cells = [row[found[name]] for row in table.rows]
        # The first distinct values settle it; a column of 10,000 different pays need not be read through.
        for cell in pd.unique(pd.Series(cells, dtype=object))[:DECIMAL_EVIDENCE_VALUES]:
            if isinstance(cell, str):
                evidence = _separator_evidence(cell)
                if evidence:
                    votes[evidence] += 1
    if votes[","] == votes["."]:
        return default
    return "," if votes[","] > votes["."] else "."


def _fmt(value: float) -> dict[str, str]:
    """A number as each language writes it: 6,5 and 6.5."""
    text = f"{value:g}"
    return {"it": text.replace(".", ","), "en": text}


_PAY_HINT = "pay"   # roster.hint.pay: monthly, in euros, not yearly


def read_roster(data: bytes, filename: str, *, gazetteer: Gazetteer | None = None,
                sites: Mapping[str, Site] | None = None, column_map: Mapping[str, str] | None = None,
                default_site: str | None = None) -> RosterReport:
    """Read and check a roster (CSV or XLSX bytes); see the module docstring for the columns.

    Parameters
    ----------
    data : the uploaded file's bytes (nothing is written to disk).
    filename : its name, only used to tell .xlsx from .csv when the bytes do not.
    column_map : optional header -> field choices for headers the synonyms do not know,
        e.g. {"Paese": "home_text"}; fields are the keys of `HEADER_SYNONYMS`.
    default_site : office id for a roster without an office column (all from one office).

    Raises
    ------
    RosterError when the file as a whole cannot be read (format, encoding, header, missing
    columns); problems with single rows never raise, they are reported in `rejected`.
    """
    gazetteer = gazetteer or default_gazetteer()
    sites = sites or load_sites()
    if default_site is not None and (default_site not in sites or sites[default_site].is_destination):
        raise RosterError("site_unknown", text=default_site, choices=_closing_names(sites))
    table = _read_table(data, filename)
    found, ignored = _map_columns(table.header, column_map)
    _check_required(found, default_site)
    # Only "1.100"-like cells need this: ';' (and an Excel sheet's text cells) come from an Italian
    # Excel, which writes decimal commas; a ','-separated file cannot hold an unquoted decimal comma.
    default_decimal = "," if table.detected.get("delimiter") in (";", "\t", None) else "."
    table.detected["decimal"] = _detect_decimal(table, found, default_decimal)
    columns = _Columns(table, found)
    columns.check_width()
    columns.home(gazetteer)
    columns.site(sites, default_site)
    columns.hours_and_days()
    columns.money()
    columns.counts()
    columns.yes_no()
    columns.shifts()
    rejected, bad = _collect(columns.problems, table.lines, len(table.rows), table.header)
    workers = pd.DataFrame({c: columns.out[c] for c in WORKER_COLUMNS})[~bad].reset_index(drop=True)
    workers["line"] = workers["line"].astype("Int64")
    optional_absent = [f for f in OPTIONAL_FIELDS if f not in found]
    return RosterReport(workers=workers, rejected=rejected, warnings=_shift_warnings(workers, columns.header),
                        rows_read=len(table.rows) + table.empty, rows_empty=table.empty, columns=columns.header,
                        ignored_columns=ignored, defaults_used=optional_absent, detected=table.detected)


class _Columns:
    """The model's columns built from the table, and per column the problem of each row (or None)."""

    def __init__(self, table: _Table, found: dict[str, int]) -> None:
        self.table, self.found, self.n = table, found, len(table.rows)
        self.decimal = table.detected["decimal"]
        self.header = {f: table.header[i] for f, i in found.items()}
        self.out: dict[str, np.ndarray] = {"line": np.array(table.lines, dtype=int),
                                           "modelled": np.zeros(self.n, dtype=bool)}
        self.problems: list[tuple[str, np.ndarray]] = []   # (column header, per-row problem or None)

    def cells(self, name: str) -> np.ndarray | None:
        if name not in self.found:
            return None
        index = self.found[name]
        return np.array([row[index] for row in self.table.rows], dtype=object)

    def flag(self, column: str, rows: np.ndarray, problem: Callable[[int], tuple]) -> None:
        """Record `problem(i)` for each row index i in `rows` (only the flagged rows are visited)."""
        per_row = np.full(self.n, None, dtype=object)
        for i in rows:
            per_row[i] = problem(i)
        self.problems.append((column, per_row))

    def check_width(self) -> None:
        """Rows wider than the header: usually a decimal comma that split a cell."""
        widths, expected = np.array(self.table.widths, dtype=int), len(self.table.header)
        self.flag("", np.flatnonzero(widths > expected),
                  lambda i: ("too_many_fields", {"found": int(widths[i]), "expected": expected}))

    def home(self, gazetteer: Gazetteer) -> None:
        parts = []
        for name in HOME_FIELDS:
            cells = self.cells(name)
            parts.append(np.full(self.n, "", dtype=object) if cells is None else
                         np.array([_text(c).replace(_KEY_SEPARATOR, " ") for c in cells], dtype=object))
        keys = parts[0] + _KEY_SEPARATOR + parts[1] + _KEY_SEPARATOR + parts[2]
        self.out["home_istat"], problem = _per_distinct(
            keys, lambda k: _resolve_home(tuple(k.split(_KEY_SEPARATOR)), gazetteer))
        self.problems.append((" / ".join(self.header[f] for f in HOME_FIELDS if f in self.header), problem))

    def site(self, sites: Mapping[str, Site], default_site: str | None) -> None:
        cells = self.cells("site")
        if cells is None:
            self.out["site"] = np.full(self.n, default_site, dtype=object)
            return
        self.out["site"], problem = _per_distinct(cells, _site_parser(sites))
        self.problems.append((self.header["site"], problem))

    def number(self, field_name: str, parse: Callable[[Any, str], Parsed], low: float, high: float,
               low_open: bool = False, hint: str = "") -> np.ndarray:
        """A numeric column with its parse and range problems recorded."""
        values, problem = _per_distinct(self.cells(field_name), lambda v: parse(v, self.decimal), float)
        column = self.header[field_name]
        self.problems.append((column, problem))
        with np.errstate(invalid="ignore"):
            outside = ((values <= low) if low_open else (values < low)) | (values > high)
        self.flag(column, np.flatnonzero(outside), lambda i: (
            "out_of_range", {"value": _fmt(values[i]), "low": _fmt(low), "high": _fmt(high),
                             "hint": hint}))
        return values

    def hours_and_days(self) -> None:
        self.out["days_per_week"] = days = self.number("days_per_week", _number, *DAYS_RANGE)
        if "hours_per_day" in self.found:
            self.out["hours_per_day"] = self.number("hours_per_day", _hours, *HOURS_RANGE, low_open=True)
            return
        # Weekly hours over the days: arithmetic on what was typed, not an estimate.
        weekly = self.number("hours_per_week", _hours, HOURS_RANGE[0], HOURS_RANGE[1] * DAYS_RANGE[1], True)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.out["hours_per_day"] = weekly / days

    def money(self) -> None:
        for name, (low, high) in MONEY_FIELDS.items():
            if name not in self.found:
                self.out[name] = np.full(self.n, np.nan)
                continue
            # An empty pay or toll cell is not a problem: the model's default applies.
            self.out[name] = self.number(name, lambda v, d: _optional(_number(v, d)), low, high,
                                         hint=_PAY_HINT if name in ("net_monthly_eur", "gross_monthly_eur") else "")

    def counts(self) -> None:
        """People: whole numbers; an empty cell takes the model's default."""
        for name, (low, high) in COUNT_FIELDS.items():
            default = float(MODEL_DEFAULTS.get(name, 0))
            if name not in self.found:
                self.out[name] = np.full(self.n, default)
                continue
            values = self.number(name, lambda v, d: _optional(_number(v, d)), low, high)
            fractional = np.isfinite(values) & (values != np.round(values))
            self.flag(self.header[name], np.flatnonzero(fractional),
                      lambda i: ("not_whole", {"value": _fmt(values[i])}))
            self.out[name] = np.where(np.isnan(values), default, values)

    def yes_no(self) -> None:
        for name in BOOL_FIELDS:
            cells = self.cells(name)
            if cells is None:
                self.out[name] = np.full(self.n, bool(MODEL_DEFAULTS[name]))
                continue
            self.out[name], problem = _per_distinct(cells, _yes_no, bool)
            self.problems.append((self.header[name], problem))

    def shifts(self) -> None:
        for name, column in (("shift_start", "shift_start_min"), ("shift_end", "shift_end_min")):
            cells = self.cells(name)
            if cells is None:
                self.out[column] = np.full(self.n, np.nan)
                continue
            self.out[column], problem = _per_distinct(cells, _clock, float)
            self.problems.append((self.header[name], problem))
        start = self.out["shift_start_min"]
        self.flag(self.header.get("shift_start", ""), np.flatnonzero(start == self.out["shift_end_min"]),
                  lambda i: ("shift_same", {"text": hhmm(start[i], wrap=False, padded=False)}))


def _optional(parsed: Parsed) -> Parsed:
    return (math.nan, None) if parsed[1] is _MISSING else parsed


def _collect(problems: list[tuple[str, np.ndarray]], lines: list[int], n: int,
             header: list[str]) -> tuple[list[RowNote], np.ndarray]:
    """Rejected rows in file order, each with its problems in the file's column order."""
    position = {name: i for i, name in reversed(list(enumerate(header)))}
    problems = sorted(problems, key=lambda p: position.get(p[0].split(" / ")[0], -1))
    bad = np.zeros(n, dtype=bool)
    for _, per_row in problems:
        bad |= pd.notna(per_row)
    rejected = []
    for i in np.flatnonzero(bad):   # only the rejected rows are visited
        found = tuple(Problem(column, *per_row[i]) for column, per_row in problems if per_row[i] is not None)
        rejected.append(RowNote(int(lines[i]), found))
    return rejected, bad


def _shift_warnings(workers: pd.DataFrame, header: dict[str, str]) -> list[RowNote]:
    """Kept rows whose shift is shorter than their daily hours (a split shift, or a typing slip)."""
    start, end = workers["shift_start_min"].to_numpy(), workers["shift_end_min"].to_numpy()
    length = np.mod(end - start, 24 * 60)
    with np.errstate(invalid="ignore"):
        short = length < workers["hours_per_day"].to_numpy() * 60 - 1e-6
    notes = []
    for i in np.flatnonzero(short):
        # Times as the template writes them ('9:00'), so that the note reads as the cells were typed.
        values = {"start": hhmm(start[i], wrap=False, padded=False), "end": hhmm(end[i], wrap=False, padded=False),
                  "hours": _fmt(workers["hours_per_day"].iloc[i])}
        notes.append(RowNote(int(workers["line"].iloc[i]),
                             (Problem(header.get("shift_start", ""), "shift_shorter_than_hours", values),)))
    return notes
