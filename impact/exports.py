"""The per-worker exports every face writes: one CSV and one workbook, from `evaluate()` rows.

`worker_table` is the one table: the worker's inputs (line, home comune, office, hours ...)
then every result column of the registry, headed by its identifier. The CSV writes it as it
is (identifiers as the header, for scripts); the workbook (`impact.report.workforce_xlsx`)
writes the same table with the registry's labels in the user's language and number formats.
The page's download and ``roster --out`` call the same functions.

CSV columns: ``line``, ``home_istat``, ``home_name``, ``home_province``, ``site`` and the other
inputs of `INPUT_COLUMNS` that the workers have, then `impact.results.IDENTIFIERS` in order
(so ``net_monthly_eur``, ``gross_annual_eur``, ``extra_best_eur_month`` and
``rights_over_50km`` keep their names). The rejected rows go beside it, ``<name>.rejected.csv``
(line, reason), always, even when no row was valid or none was rejected.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from impact import i18n
from impact.places import Gazetteer
from impact.results import IDENTIFIERS

# Inputs carried into the export, in order; the take-home used is the result's net_monthly_eur.
INPUT_COLUMNS = ("line", "home_istat", "home_name", "home_province", "site", "hours_per_day", "days_per_week",
                 "gross_monthly_eur", "has_car", "second_car", "uses_motorway", "tolls_eur_per_day",
                 "shift_start_min", "shift_end_min", "household_size", "housing_now_eur_month",
                 "children_needing_care", "modelled")
# A typed net and the net of a typed gross closer than this are the same pay: payslips round, and
# 2026 payslips withhold the 2025 regional surcharge at its 2025 rates (a few euros a month).
PAY_GAP_NOTE_EUR = 10.0
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with text that a spreadsheet would read as a formula made inert (a leading quote)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def worker_table(workers: pd.DataFrame, results: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """One row per worker: `INPUT_COLUMNS` the workers have, then the registry's result columns."""
    codes = workers["home_istat"].astype(str).to_numpy()
    places = {code: gazetteer.by_istat(code) for code in pd.unique(codes)}
    inputs = workers.reset_index(drop=True).assign(
        home_name=[places[c].name for c in codes], home_province=[places[c].province for c in codes])
    inputs = inputs[[c for c in INPUT_COLUMNS if c in inputs.columns]]
    return pd.concat([inputs, results[list(IDENTIFIERS)].reset_index(drop=True)], axis=1)


def inert(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell a spreadsheet would run as a formula made inert (`safe_cell`)."""
    table = table.copy()
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(safe_cell)
    return table


def rejected_path(path: Path) -> Path:
    """Where the rejected rows of the CSV export `path` go: ``<name>.rejected.csv`` beside it."""
    return path.with_name(f"{path.stem}.rejected.csv")


CSV_CHUNK_ROWS = 20_000   # rows turned into text at a time: the text of a large table never sits in memory twice


def stream_csv(target: IO[bytes], table: pd.DataFrame) -> None:
    """The table as CSV for Italian Excel (';', decimal comma, UTF-8 with a BOM, formulas inert), in chunks."""
    target.write("\ufeff".encode("utf-8"))
    for start in range(0, max(len(table), 1), CSV_CHUNK_ROWS):
        chunk = inert(table.iloc[start:start + CSV_CHUNK_ROWS])
        target.write(chunk.to_csv(sep=";", decimal=",", index=False, header=start == 0).encode("utf-8"))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """`stream_csv` into bytes, for a download button."""
    buffer = io.BytesIO()
    stream_csv(buffer, table)
    return buffer.getvalue()


def write_csv(path: Path, table: pd.DataFrame, rejected: pd.DataFrame) -> list[Path]:
    """Write the worker table to `path` and the rejected rows beside it, streamed; returns both paths."""
    rejected_file = rejected_path(path)
    for target, rows in ((path, table), (rejected_file, rejected)):
        with target.open("wb") as handle:
            stream_csv(handle, rows)
    return [path, rejected_file]


def pay_gap_notes(table: pd.DataFrame, lang: str) -> list[dict]:
    """Rows whose typed net and typed gross disagree by more than `PAY_GAP_NOTE_EUR` a month.

    Each note is {"line", "code": "net_gross_disagree", "reason"}; the typed net is the one used.
    """
    gap = table["net_gross_gap_eur_month"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(np.abs(gap) > PAY_GAP_NOTE_EUR)
    notes = []
    for i in rows:
        net = float(table["net_monthly_eur"].iloc[i])
        line = table["line"].iloc[i] if "line" in table else pd.NA
        notes.append({"line": None if pd.isna(line) else int(line), "code": "net_gross_disagree",
                      "reason": i18n.t("exports.net_gross_disagree", lang, net=i18n.eur(net, lang, 0),
                                       from_gross=i18n.eur(net - gap[i], lang, 0))})
    return notes
