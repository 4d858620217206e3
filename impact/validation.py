"""One validation layer for what users and files give: worker columns, scenarios, scenario files.

`evaluate()` calls `worker_arrays` and `Scenario` calls `check_scenario`, so the pages, the
command line and the roster reader (whose rows end in `evaluate()`) all meet the same rules:

- numbers are numbers: text that is not one is an error, never a default in disguise;
- NaN means "not given" only where the model has a default (pay, tolls, housing, shifts,
  household, children); it is an error for the required columns; infinity is always an error;
- yes/no columns take real booleans, 0/1, or the words sì/si/no/true/false/1/0 (any case);
  anything else ("maybe", pd.NA, "False " is fine, "falso" is not) is an error;
- each figure lies within its plausible range (`WORKER_RANGES`, `SCENARIO_RANGES`): outside it
  a figure is almost always a slip (a yearly pay in a monthly column, 1.1 for 1,100).

Every error is a `WorkerInputError` or `ScenarioError` with a code, the field and the row, so the
faces word it in the user's language (catalogue ``input.*``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from impact.clock import hhmm
from impact.errors import ScenarioError, WorkerInputError

# (lowest, highest, lowest excluded) of each worker column [units as in impact.model's docstring].
# Plausibility limits of this product's inputs, not sourced figures: a contact-centre worker's
# contract (up to 12 h a day, 1 to 6 days a week), pay, tolls and rent as the roster reader takes them.
WORKER_RANGES: dict[str, tuple[float, float, bool]] = {
    "hours_per_day": (0.0, 12.0, True),            # [h/day]
    "days_per_week": (1.0, 6.0, False),            # [days/week]
    "net_monthly_eur": (150.0, 5000.0, False),     # [EUR/month] take-home
    "gross_monthly_eur": (200.0, 8000.0, False),   # [EUR/month] one payslip
    "tolls_eur_per_day": (0.0, 60.0, False),       # [EUR/day] round trip
    "household_size": (1.0, 12.0, False),          # [persons]
    "housing_now_eur_month": (0.0, 5000.0, False),  # [EUR/month]
    "children_needing_care": (0.0, 10.0, False),   # [children]
    "shift_start_min": (0.0, 1439.0, False),       # [minutes after midnight]
    "shift_end_min": (0.0, 1439.0, False),         # [minutes after midnight]
}
# Scenario levers: what a negotiation can plausibly put on the table.
SCENARIO_RANGES: dict[str, tuple[float, float]] = {
    "smart_working_days_per_week": (0.0, 6.0),     # [days/week]
    "mileage_allowance_eur_per_km": (0.0, 2.0),    # [EUR/km] net
    "monthly_allowance_eur": (0.0, 2000.0),        # [EUR/month] net
    "company_pass_share": (0.0, 1.0),              # [share]
    "shift_start_min": (0.0, 1439.0),              # [minutes after midnight]
    "fuel_eur_per_l": (0.5, 4.0),                  # [EUR/l]
    "l_per_100km": (2.0, 20.0),                    # [l/100 km]
}
REQUIRED = ("home_istat", "site", "hours_per_day", "days_per_week")
BOOLEAN_COLUMNS = ("has_car", "second_car", "uses_motorway")
MODES = ("best", "car", "transit")
TRUE_WORDS = frozenset({"sì", "si", "true", "1"})
FALSE_WORDS = frozenset({"no", "false", "0"})


def number_text(value: float) -> str:
    """A figure as it appears in a message: 12, 0.5, inf."""
    return f"{value:g}"


def boolean_column(values: Any, field: str) -> np.ndarray:
    """A yes/no column as booleans; WorkerInputError (not_boolean) names the first bad row."""
    array = np.asarray(values)
    if array.dtype == bool:
        return array
    codes, uniques = pd.factorize(pd.Series(array, dtype=object), use_na_sentinel=False)
    decoded = np.empty(len(uniques), dtype=bool)
    for i, value in enumerate(uniques):
        parsed = parse_boolean(value)
        if parsed is None:
            row = int(np.flatnonzero(codes == i)[0]) + 1
            raise WorkerInputError(code="not_boolean", field=field, row=row, text=str(value))
        decoded[i] = parsed
    return decoded[codes]


def parse_boolean(value: Any) -> bool | None:
    """True/False from a bool, 0/1 or the words sì/si/no/true/false/1/0; None for anything else."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def number_column(values: Any, field: str, *, required: bool) -> np.ndarray:
    """A numeric column as floats (NaN where not given); not-a-number text, NaN where required,
    infinity and values outside `WORKER_RANGES` are errors naming the row."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_bool_dtype(series.dtype):
        raise WorkerInputError(code="not_a_number", field=field, row=1, text=str(series.iloc[0]))
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iuf":   # NumPy numbers: NaN is their gap
        array = series.to_numpy(dtype=float)
    elif pd.api.types.is_numeric_dtype(series.dtype):
        array = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        array = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        typed = ~series.isna().to_numpy() & np.isnan(array)
        if typed.any():
            row = int(np.flatnonzero(typed)[0])
            raise WorkerInputError(code="not_a_number", field=field, row=row + 1, text=str(series.iloc[row]))
    if np.isfinite(array).all():
        pass
    elif np.isinf(array).any():
        row = int(np.flatnonzero(np.isinf(array))[0])
        raise WorkerInputError(code="not_finite", field=field, row=row + 1, text=number_text(array[row]))
    elif required:
        row = int(np.flatnonzero(np.isnan(array))[0])
        raise WorkerInputError(code="missing_value", field=field, row=row + 1)
    low, high, low_open = WORKER_RANGES.get(field, (-math.inf, math.inf, False))
    with np.errstate(invalid="ignore"):
        outside = ((array <= low) if low_open else (array < low)) | (array > high)
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        code = "pay_too_low" if field == "net_monthly_eur" and array[row] < low else "out_of_range"
        raise WorkerInputError(code=code, field=field, row=row + 1, low=number_text(low), high=number_text(high),
                               text=number_text(array[row]))
    return array


def worker_arrays(workers: pd.DataFrame, defaults: dict[str, Any]) -> dict[str, np.ndarray]:
    """Each input column of `evaluate()` as a checked array, `defaults` filled in where absent or NaN."""
    missing = [c for c in REQUIRED if c not in workers.columns]
    if missing:
        raise WorkerInputError(code="missing_columns", columns=", ".join(missing))
    n = len(workers)
    if n == 0:
        raise WorkerInputError(code="no_workers")
    given = set(workers.columns)
    w: dict[str, np.ndarray] = {}
    for column in ("hours_per_day", "days_per_week"):
        w[column] = number_column(workers[column], column, required=True)
    for column in ("net_monthly_eur", "gross_monthly_eur", "tolls_eur_per_day", "housing_now_eur_month",
                   "shift_start_min",
                   "shift_end_min", "household_size", "children_needing_care"):
        if column not in given:   # one value for every row: a read-only view, not n copies
            w[column] = np.broadcast_to(float(defaults[column]), (n,))
            continue
        values = number_column(workers[column], column, required=False)
        default = float(defaults[column])
        w[column] = values if math.isnan(default) else np.where(np.isnan(values), default, values)
    for column in BOOLEAN_COLUMNS:
        w[column] = (boolean_column(workers[column], column) if column in given
                     else np.broadcast_to(bool(defaults[column]), (n,)))
    same = w["shift_start_min"] == w["shift_end_min"]   # NaN never equal: only when both are given
    if same.any():
        row = int(np.flatnonzero(same)[0])
        raise WorkerInputError(code="shift_same", field="shift_start_min", row=row + 1,
                               text=hhmm(w["shift_start_min"][row], wrap=False, padded=False))
    mode = (text_column(workers["preferred_mode"]) if "preferred_mode" in given
            else np.broadcast_to(np.array(defaults["preferred_mode"]), (n,)))
    bad = ~np.isin(mode, MODES)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise WorkerInputError(code="unknown_mode", field="preferred_mode", row=row + 1, text=mode[row])
    w["preferred_mode"] = mode
    w["home_istat"] = text_codes(workers["home_istat"])
    w["site"] = text_codes(workers["site"])
    return w


@dataclass(frozen=True)
class TextCodes:
    """A text column as its distinct values and each row's position among them (a roster repeats its
    comuni and offices: what is looked up by value is looked up once per value)."""

    codes: np.ndarray   # (n,) position of each row's value in `values`
    values: np.ndarray  # (k,) the distinct values as Python text (object array), in order of first row

    def text(self) -> np.ndarray:
        """Each row's value as NumPy text, shape (n,)."""
        return self.values[self.codes].astype(str)


def text_codes(values: pd.Series) -> TextCodes:
    """A column as `TextCodes` (``str()`` of each value; a missing one is ``nan`` or ``<NA>``).

    A text column's distinct values are found by hashing; other columns are made text value by
    value first, as values that hash equal (1, 1.0, True) print differently.
    """
    if not isinstance(values.dtype, pd.StringDtype):
        values = pd.Series(np.asarray(values.to_numpy()).astype(str)).astype(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    distinct = np.asarray(uniques, dtype=object)
    if pd.isna(uniques).any():   # a missing cell is text too: it names itself in the message
        distinct = distinct.astype(str).astype(object)
    return TextCodes(codes.astype(np.int64), distinct)


def text_column(values: pd.Series) -> np.ndarray:
    """A column as NumPy text (``str()`` of each value; a missing one is ``nan``)."""
    return text_codes(values).text()


def scenario_value(name: str, value: Any) -> float | None:
    """One scenario lever checked: a finite number within `SCENARIO_RANGES` (None where allowed)."""
    if value is None and name in ("shift_start_min", "fuel_eur_per_l", "l_per_100km"):
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ScenarioError(code="scenario_number", field=name, text=str(value))
    number = float(value)
    low, high = SCENARIO_RANGES[name]
    if not math.isfinite(number) or not low <= number <= high:
        raise ScenarioError(code="scenario_range", field=name, low=number_text(low), high=number_text(high),
                            text=number_text(number))
    return number


def check_scenario(scenario: Any) -> None:
    """Every lever of a `Scenario` checked with `scenario_value`; ScenarioError names the first bad one."""
    for item in dataclasses.fields(scenario):
        scenario_value(item.name, getattr(scenario, item.name))


def scenario_fields(raw: Any, known: set[str]) -> dict[str, Any]:
    """A scenario file's mapping checked: known fields only, each a number in its range."""
    if not isinstance(raw, dict) or set(raw) - known:
        unknown = sorted(map(str, set(raw) - known)) if isinstance(raw, dict) else [type(raw).__name__]
        raise ScenarioError(code="scenario_unknown", fields=", ".join(unknown), known=", ".join(sorted(known)))
    return {name: scenario_value(str(name), value) for name, value in raw.items()}


def link_value(text: Any, low: float, high: float) -> float | None:
    """A number from a share link's query parameter, or None when it is not a finite number in [low, high].

    Links are typed and edited by hand: "abc", "0x10", "nan", "1e400" or 99 are never used, and
    never guessed into range; the page then says the link's value was left out.
    """
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None
