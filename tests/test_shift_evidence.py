"""The shift's best/typical/worst journeys, the bad day, and the INPS journey table (issue 13)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from impact.places import default_gazetteer
from impact.routing.evidence import INPS_JOURNEY_COLUMNS, inps_journey_table
from impact.routing.shift import SHIFT_COLUMNS, shift_spread
from impact.routing.transit import TransitRouter


def journeys(router: TransitRouter, *where) -> pd.DataFrame:
    """The router's journeys (`journey_arrays`) as a frame, to compare whole answers."""
    return pd.DataFrame(router.journey_arrays(*where))


def inps_figure(router: TransitRouter, *where) -> pd.DataFrame:
    """The router's INPS figure (`inps_arrays`) as a frame, one row per home."""
    return pd.DataFrame(router.inps_arrays(*where))


TOWNS = ["Ivrea", "Strambino", "Asti", "Nizza Monferrato"]


@pytest.fixture(scope="module")
def router():
    return TransitRouter.from_model(dt.date(2026, 6, 3))


@pytest.fixture(scope="module")
def homes():
    places = [default_gazetteer().resolve(t) for t in TOWNS]
    return np.array([p.lat for p in places]), np.array([p.lon for p in places])


def test_best_typical_worst_are_ordered_and_the_best_is_the_latest_run(router, homes):
    spread = shift_spread(router, *homes, "torino", "09:00", "15:00")
    one = journeys(router, *homes, "torino", "09:00", "15:00")
    assert list(spread.columns) == SHIFT_COLUMNS
    assert (spread["out_best_min"] <= spread["out_typical_min"]).all()
    assert (spread["out_typical_min"] <= spread["out_worst_min"]).all()
    assert (spread["back_best_min"] <= spread["back_typical_min"]).all()
    # The journey the model reports is the best one of the shift, each way.
    assert np.allclose(spread["out_best_min"], one["out_minutes"])
    assert np.allclose(spread["back_best_min"], one["back_minutes"])
    assert (spread["out_runs"] >= 1).all() and (spread["out_typical_wait_min"] >= 5).all()


def test_a_wider_window_takes_in_earlier_runs(router, homes):
    narrow = shift_spread(router, *homes, "torino", "09:00", "15:00", window_minutes=30)
    wide = shift_spread(router, *homes, "torino", "09:00", "15:00", window_minutes=180)
    assert (wide["out_runs"] >= narrow["out_runs"]).all() and (wide["out_runs"] > narrow["out_runs"]).any()
    assert (wide["out_worst_min"] >= narrow["out_worst_min"]).all()


def test_the_bad_day_is_the_next_run(router, homes):
    """Missing the first vehicle of the best run home means the next run: on the hourly Ivrea
    trains from Porta Nuova (:25), that is an hour later home (65 minutes with the 17:30 run)."""
    spread = shift_spread(router, *homes, "torino", "09:00", "15:00")
    ivrea = spread.iloc[0]
    assert 55 <= ivrea["back_bad_day_extra_min"] <= 70
    assert (spread["out_bad_day_late_min"].dropna() > 0).all()


def test_the_inps_table_is_the_average(router, homes):
    for lat, lon in zip(*homes):
        table = inps_journey_table(router, lat, lon, "torino")
        figure = inps_figure(router, [lat], [lon], "torino").iloc[0]
        assert list(table.columns) == INPS_JOURNEY_COLUMNS
        assert len(table) == figure["inps_journeys"]
        assert table["minutes"].mean() == pytest.approx(figure["inps_minutes"], abs=0.05)
        assert table["sources"].str.contains("http").all() and (table["legs"].str.len() > 10).all()
        assert (table["arrive"] >= 360).all() and (table["arrive"] <= 1320).all()   # the INPS window


def test_the_inps_table_carries_the_closure_dates(homes):
    table = inps_journey_table(TransitRouter.from_model(dt.date(2026, 3, 10)), homes[0][0], homes[1][0], "torino")
    bus = table[table["lines"].str.contains("Bus Ivrea - Chivasso")]
    assert len(bus) and (bus["valid_from"] == "2026-02-23").all() and (bus["valid_to"] == "2026-04-26").all()


def test_the_legs_drawn_are_the_typical_runs_the_headline_counts():
    """Alpignano, 09:00-15:00 in Torino: the line runs often, so the shift's typical run leaves
    earlier than its best one. The legs the page, the day chart and the PDFs draw must be the
    typical runs whose minutes the headline counts, not the best ones (one answer)."""
    from impact.model import Scenario, evaluate
    from impact.params import default_parameters
    from impact.places import load_sites
    from impact.routing.typical import typical_legs

    on = dt.date(2026, 6, 3)
    home = default_gazetteer().resolve("Alpignano")
    router = TransitRouter.from_model(on)
    spread = shift_spread(router, [home.lat], [home.lon], "torino", 540, 900).iloc[0]
    assert spread["out_typical_min"] > spread["out_best_min"]   # the case this test is about
    legs = typical_legs(router, home.lat, home.lon, "torino", 540, 900)
    out, back = legs[legs["direction"] == "out"], legs[legs["direction"] == "back"]
    assert 540 - out["depart"].min() == spread["out_typical_min"]
    assert back["arrive"].max() - 900 == spread["back_typical_min"]
    worker = pd.DataFrame([{"home_istat": home.istat, "site": "ivrea", "hours_per_day": 6, "days_per_week": 5,
                            "shift_start_min": 540, "shift_end_min": 900}])
    result = evaluate(worker, Scenario(), default_parameters(), on, default_gazetteer(), load_sites(),
                      transit=router).iloc[0]
    assert result["transit_out_min_new"] == 540 - out["depart"].min()
    assert result["transit_back_min_new"] == back["arrive"].max() - 900
    best = router.journey_legs(home.lat, home.lon, "torino", 540, 900)
    assert 540 - best.loc[best["direction"] == "out", "depart"].min() == spread["out_best_min"]
