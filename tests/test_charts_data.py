"""The chart tables: rearranged figures of evaluate() and the router, worked by hand."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact import charts_data as cd

ROOT = Path(__file__).resolve().parents[1]


def legs(rows):
    return pd.DataFrame(rows, columns=["direction", "kind", "from_name", "to_name", "depart", "arrive", "line"])


# A 09:00-13:00 shift; after the move: walk 06:39-06:48, train 06:48-07:25, wait 7 min, bus 07:32-08:05,
# walk 08:05-08:10, 50 min at the office, the shift, 13:10 bus, 13:40 train to 14:30, walk home by 14:40.
NEW_LEGS = legs([
    ("out", "access", "home", "Strambino", 399, 408, "walk"),
    ("out", "ride", "Strambino", "Porta Susa", 408, 445, "RV Ivrea - Torino Porta Nuova"),
    ("out", "ride", "Porta Susa", "Drosso", 452, 485, "GTT bus 63"),
    ("out", "walk", "Drosso", "Torino", 485, 490, "walk"),
    ("back", "walk", "Torino", "Drosso", 790, 795, "walk"),
    ("back", "ride", "Drosso", "Porta Nuova", 795, 820, "GTT tram 4"),
    ("back", "ride", "Porta Nuova", "Strambino", 820, 870, "RV Ivrea - Torino Porta Nuova"),
    ("back", "access", "Strambino", "home", 870, 880, "walk"),
])
OLD_LEGS = legs([
    ("out", "access", "home", "Strambino", 480, 489, "walk"),
    ("out", "ride", "Strambino", "Ivrea", 489, 496, "RV Ivrea - Torino Porta Nuova"),
    ("out", "walk", "Ivrea", "Ivrea", 496, 521, "walk"),
    ("back", "walk", "Ivrea", "Ivrea", 780, 805, "walk"),
    ("back", "ride", "Ivrea", "Strambino", 805, 812, "RV Ivrea - Torino Porta Nuova"),
    ("back", "access", "Strambino", "home", 812, 821, "walk"),
])
RESULT = {"has_car": True, "car_min_old": 15.0, "car_min_new": 50.0, "transit_feasible_old": True,
          "transit_feasible_new": True,
          "car_tolls_old_eur_day": 0.0, "car_tolls_new_eur_day": 9.0, "days_old": 20.0, "days_new": 20.0,
          "car_cash_old": 40.0, "car_full_old": 70.0, "car_cash_new": 330.0, "car_full_new": 480.0,
          "transit_rail_eur_old": 30.0, "transit_bus_eur_old": 0.0, "transit_gtt_eur_old": 0.0,
          "transit_rail_eur_new": 90.0, "transit_bus_eur_new": 0.0, "transit_gtt_eur_new": 38.0,
          "share_car_cash": 0.29, "extra_car_cash_eur_month": 290.0, "share_transit": 0.13,
          "extra_transit_eur_month": 98.0}


def test_the_day_by_train_has_each_leg_the_waits_and_the_shift():
    day = cd.day_segments(RESULT, {"old": OLD_LEGS, "new": NEW_LEGS}, 540, 780)
    new = day[(day["mode"] == "transit") & (day["period"] == "new")]
    assert list(new["segment"]) == ["walk", "train", "wait", "bus", "walk", "wait_office", "shift",
                                    "wait_office", "walk", "bus", "train", "walk"]
    office = new[new["segment"] == "wait_office"]
    assert list(office["end_min"] - office["start_min"]) == [50, 10]   # 08:10 -> 09:00, 13:00 -> 13:10
    summary = cd.day_summary(day, "transit")
    assert summary["earlier_min"] == 480 - 399 == 81          # leaves 1 h 21 earlier
    assert summary["later_min"] == 880 - 821 == 59            # home 59 minutes later


def test_the_day_by_car_is_drive_shift_drive():
    day = cd.day_segments(RESULT, {"old": None, "new": None}, 540, 780)
    assert set(day["mode"]) == {"car"}
    new = day[day["period"] == "new"]
    assert list(zip(new["segment"], new["start_min"], new["end_min"])) == [
        ("drive", 490, 540), ("shift", 540, 780), ("drive", 780, 830)]
    assert cd.day_summary(day, "car") == {"mode": "car", "leave_old": 525, "leave_new": 490, "home_old": 795,
                                          "home_new": 830, "earlier_min": 35, "later_min": 35}
    assert cd.day_summary(day, "transit") == {}


def test_no_car_no_car_day():
    day = cd.day_segments({**RESULT, "has_car": False}, {"old": OLD_LEGS, "new": NEW_LEGS}, 540, 780)
    assert set(day["mode"]) == {"transit"}


def test_money_parts_add_up_to_the_model_totals():
    parts = cd.money_parts(RESULT)
    car_new = parts[(parts["mode"] == "car") & (parts["period"] == "new")].set_index("part")["eur"]
    assert car_new.to_dict() == {"fuel": 330 - 9 * 20, "tolls": 180.0, "wear": 150.0}
    assert car_new.sum() == RESULT["car_full_new"]
    transit_new = parts[(parts["mode"] == "transit") & (parts["period"] == "new")].set_index("part")["eur"]
    assert transit_new.to_dict() == {"rail": 90.0, "gtt": 38.0}          # zero parts are not drawn
    assert list(cd.pay_shares(RESULT)["share"]) == [0.29, 0.13]


def test_histogram_keeps_outliers_in_labelled_bins_not_on_the_edges():
    values = [-350, -210, -5, 0, 10, 24.9, 25, 790, 800, 1500, np.nan]
    bins = cd.histogram(values, step=25, low=-200, high=800)
    assert bins["count"].sum() == 10
    under, over = bins.iloc[0], bins.iloc[-1]
    assert (under["kind"], under["start"], under["end"], under["count"]) == ("under", -350, -200, 2)
    assert (over["kind"], over["start"], over["end"], over["count"]) == ("over", 800, 1500, 2)
    inner = bins[bins["kind"] == "bin"].set_index("start")["count"]
    assert inner[-25] == 1 and inner[0] == 3 and inner[25] == 1 and inner[775] == 1
    assert inner[-200] == 0          # nothing piled on the first bin


def test_thresholds_by_office_count_each_rule():
    results = pd.DataFrame({"share_best": [0.05, 0.15, 0.25, 0.3], "rights_over_50km": [False, True, True, False],
                            "rights_over_80min": [False, False, True, True],
                            "transit_feasible_new": [True, True, False, True]})
    workers = pd.DataFrame({"site": ["ivrea", "ivrea", "asti", "asti"]})
    table = cd.thresholds_by_office(results, workers).set_index(["site", "threshold"])["workers"]
    assert table["ivrea", "over_10pct"] == 1 and table["asti", "over_20pct"] == 2
    assert table["asti", "no_transit"] == 1 and table["ivrea", "over_50km"] == 1


def test_the_comune_areas_cover_every_comune_and_say_they_are_approximate():
    cells = json.loads((ROOT / "data/map/comuni_cells.geojson").read_text(encoding="utf-8"))
    assert cells["metadata"]["approximation"] is True
    points = pd.read_csv(ROOT / "data/places/comuni.csv", dtype={"istat": str})
    assert sorted(f["properties"]["istat"] for f in cells["features"]) == sorted(points["istat"])
    assert (ROOT / "data/map/comuni_cells.geojson").stat().st_size < 400_000


def test_money_parts_of_a_real_worker_add_up_to_evaluate():
    from impact.model import Scenario, evaluate
    from impact.places import default_gazetteer, load_sites
    from impact.routing.transit import default_router
    today = dt.date.today()
    places, sites = default_gazetteer(), load_sites()
    from impact.params import default_parameters
    worker = pd.DataFrame([{"home_istat": places.resolve("Strambino").istat, "site": "ivrea", "hours_per_day": 4,
                            "days_per_week": 5}])
    r = evaluate(worker, Scenario(), default_parameters(), today, places, sites, None,
                 transit=default_router(today)).iloc[0]
    parts = cd.money_parts(r)
    for period in ("old", "new"):
        mine = parts[parts["period"] == period]
        assert mine[mine["mode"] == "transit"]["eur"].sum() == pytest.approx(r[f"transit_eur_{period}"], abs=0.02)
        car = mine[mine["mode"] == "car"].set_index("part")["eur"]
        assert car.drop("wear", errors="ignore").sum() == pytest.approx(r[f"car_cash_{period}"], abs=0.01)


def test_the_money_fields_are_all_that_the_money_tables_read():
    """A face caches the money tables on MONEY_FIELDS only: the tables of those fields alone are the
    tables of the whole result (a field read but not listed would raise KeyError here)."""
    row = {**RESULT, "has_car": True}
    only = {k: row[k] for k in cd.MONEY_FIELDS}
    assert cd.money_parts(only).equals(cd.money_parts(row))
    assert cd.pay_shares(only).equals(cd.pay_shares(row))
