"""The mobility-plan sheet (PSCL, DM 179/2021): counts by comune, time band, way of travel, corridors, passes."""

import datetime as dt
import io

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from impact.mobility_plan import mobility_tables, time_band
from impact.params import default_parameters
from impact.report import workforce_xlsx
from impact.version import parameters_version


def frame() -> pd.DataFrame:
    """12 drivers from Strambino to the 09:00 shift, 3 by train from Caluso at 14:00, 1 with no way for 22:00."""
    rows = ([("001269", "ivrea", 540, 900, "car", True, 150.0)] * 12
            + [("001047", "ivrea", 840, 1200, "transit", True, 114.0)] * 3
            + [("001125", "ivrea", 960, 1320, "car", False, np.nan)])
    frame = pd.DataFrame(rows, columns=["home_istat", "site", "shift_start_min", "shift_end_min", "best_mode",
                                        "transit_feasible_new", "transit_eur_new"]).assign(hours_per_day=6.0)
    return frame.assign(straight_km_old=10.0, straight_km_new=45.0)


def test_a_driver_nearer_torino_is_not_on_the_corridor():
    near_torino = frame().assign(straight_km_old=60.0, straight_km_new=5.0)
    tables = mobility_tables(near_torino, {"001269": "Strambino", "001047": "Caluso", "001125": "Ivrea"},
                             {"ivrea": "Ivrea"})
    assert tables["corridors"].empty


def test_tables_count_by_hand():
    tables = mobility_tables(frame(), {"001269": "Strambino", "001047": "Caluso", "001125": "Ivrea"},
                             {"ivrea": "Ivrea"})
    band = tables["by_band"]
    assert band.iloc[0].tolist() == ["Strambino", "Ivrea", "09:00-10:00", "15:00-16:00", 12]
    assert band["workers"].sum() == 16
    modes = dict(zip(tables["by_mode"]["mode"], tables["by_mode"]["workers"]))
    assert modes == {"car": 12, "transit": 3, "none": 1}
    # One corridor: the 12 drivers (and not the 1 with no public transport, alone in her band), one bus.
    assert tables["corridors"].to_dict("records") == [
        {"site": "Ivrea", "arrival": "09:00-10:00", "workers": 12, "stops": "Strambino", "buses": 1}]
    passes = tables["passes"].set_index("group")
    assert passes.loc["transit", "workers"] == 3 and passes.loc["transit", "pass_eur"] == 3 * 114.0
    assert passes.loc["could", "workers"] == 12 and passes.loc["could", "pass_eur"] == 12 * 150.0
    assert time_band([419, 420, 1439]).tolist() == ["06:00-07:00", "07:00-08:00", "23:00-00:00"]


def test_workbook_has_the_sheet_and_the_stamp():
    summaries = {"A": {"workers": 16}}
    data = workforce_xlsx(frame(), summaries, default_parameters(), dt.date(2026, 6, 1), lang="it")
    book = load_workbook(io.BytesIO(data))
    assert "Piano spostamenti" in book.sheetnames and "Versione" in book.sheetnames
    values = [c for row in book["Piano spostamenti"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Ivrea → Torino" in values and "Strambino" in values
    stamp = {row[0]: row[1] for row in book["Versione"].iter_rows(values_only=True)}
    assert stamp["Versione dei parametri"] == parameters_version() and stamp["Data del calcolo"] == "2026-06-01"
