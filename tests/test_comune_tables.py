"""The per-comune tables: the same figures as routing from each comune's point, and a moved office's own."""

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from impact.comune_tables import JOURNEY_COLUMNS, MOVED, SOURCED, comune_tables
from impact.housing import rent_per_m2_for_comune
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.pay import local_taxes
from impact.places import default_gazetteer, load_sites
from impact.routing.estimate import estimate, load_model, read_calibration
from impact.routing.transit import INPS_COLUMNS, TransitRouter, default_router
from impact.routing.typical import typical_minutes

ON = dt.date(2026, 6, 1)
PARAMS, PLACES, SITES = default_parameters(), default_gazetteer(), load_sites()
# A seeded sample of comuni, with the offices' towns, a Valle d'Aosta comune and one with no station near.
SAMPLE = sorted({*np.random.default_rng(15).choice([p.istat for p in PLACES.places], 25).tolist(),
                 "001125", "005005", "001272", "007052", "004148"})


@pytest.fixture(scope="module")
def tables():
    return comune_tables(PLACES, SITES, PARAMS, ON, default_router(ON))


def test_the_tables_give_the_car_estimate_from_each_comunes_point(tables):
    rows = tables.rows(SAMPLE)
    points = PLACES.points(SAMPLE)
    model = load_model(PARAMS, ON)
    for office, site in SITES.items():
        direct = estimate(model, points[:, 0], points[:, 1], np.full(len(rows), site.lat), np.full(len(rows), site.lon))
        table = tables.offices[office].car
        for name in ("km", "minutes", "km_low", "km_high", "minutes_low", "minutes_high", "straight_km"):
            np.testing.assert_array_equal(getattr(table, name)[rows], getattr(direct, name), err_msg=f"{office} {name}")


def test_the_tables_give_the_inps_figure_and_the_journeys_from_each_comunes_point(tables):
    # The journeys with the headline's typical minutes, as evaluate() takes them.
    rows = tables.rows(SAMPLE)
    points = PLACES.points(SAMPLE)
    fresh = TransitRouter.from_model(ON)   # no memory shared with the router the tables were built on
    inps = fresh.inps_arrays(points[:, 0], points[:, 1], "torino")
    for name in INPS_COLUMNS:
        np.testing.assert_array_equal(tables.offices["torino"].inps[name][rows], inps[name], err_msg=name)
    for office, start, end in (("torino", 540, 840), ("ivrea", 540, 900), ("asti", 420, 780)):
        n = len(rows)
        looked_up = tables.journeys(rows, np.full(n, office), np.full(n, start), np.full(n, end))
        direct = fresh.journey_arrays(points[:, 0], points[:, 1], office, start, end, JOURNEY_COLUMNS)
        direct.update(typical_minutes(fresh, points[:, 0], points[:, 1], office, start, end, direct))
        for name in JOURNEY_COLUMNS:
            np.testing.assert_array_equal(looked_up[name], direct[name], err_msg=f"{office} {start}-{end} {name}")
        # Asked for two columns, the tables give those two (evaluate() leaves the access stations out).
        some = tables.journeys(rows, np.full(n, office), np.full(n, start), np.full(n, end),
                               columns=("minutes", "source"))
        assert list(some) == ["minutes", "source"]
        np.testing.assert_array_equal(some["minutes"], direct["minutes"])


def test_the_tables_give_each_comunes_rent_and_surcharge_schedule(tables):
    rows = tables.rows(SAMPLE)
    for code, row in zip(SAMPLE, rows):
        figure = rent_per_m2_for_comune(code)
        assert (tables.rent_eur_per_m2[row], tables.rent_basis[row]) == (figure.eur_per_m2, figure.basis)
    own = local_taxes(SAMPLE, PARAMS, ON)
    looked_up = tables.local.take(rows)
    for name in ("regional_thresholds", "regional_rates", "municipal_thresholds", "municipal_rates",
                 "municipal_exemption"):
        np.testing.assert_array_equal(getattr(looked_up, name), getattr(own, name), err_msg=name)


def test_a_moved_office_gets_its_own_tables_and_the_result_says_so(tables):
    ivrea = PLACES.by_istat("001125")
    # The new office moved onto Ivrea's comune point: an Ivrea worker's new commute is the
    # fitted streets at both ends and nothing more (road km = detour x 0 + access_km).
    moved = dict(SITES, torino=dataclasses.replace(SITES["torino"], lat=ivrea.lat, lon=ivrea.lon))
    router = default_router(ON)
    again = comune_tables(PLACES, moved, PARAMS, ON, router)
    assert again is not tables
    assert again.offices["torino"].moved and not tables.offices["torino"].moved
    assert again.offices["torino"].car is not tables.offices["torino"].car
    # The offices left where they were keep their tables.
    assert again.offices["ivrea"] is tables.offices["ivrea"] and again.offices["asti"] is tables.offices["asti"]
    assert comune_tables(PLACES, moved, PARAMS, ON, router) is again   # built once
    worker = pd.DataFrame([{"home_istat": "001125", "site": "asti", "hours_per_day": 6, "days_per_week": 5}])
    r = evaluate(worker, Scenario(), PARAMS, ON, PLACES, moved).iloc[0]
    access_km = float(read_calibration()["coefficients"]["access_km"])
    assert r["straight_km_new"] == 0
    assert r["car_km_new"] == pytest.approx(access_km)
    assert r["car_min_new"] >= PARAMS.value("routing.car_speed.min_trip_minutes", ON)
    assert (r["office_position_new"], r["office_position_old"]) == (MOVED, SOURCED)
    before = evaluate(worker, Scenario(), PARAMS, ON, PLACES, SITES).iloc[0]
    assert before["office_position_new"] == SOURCED and before["car_km_new"] > 40


def test_past_its_limit_the_shift_store_starts_afresh_and_still_answers_right(monkeypatch):
    import impact.comune_tables as ct
    monkeypatch.setattr(ct, "MAX_SHIFTS", 2)
    fresh = TransitRouter.from_model(ON)
    tables = ct.build_tables(PLACES, SITES, PARAMS, ON, fresh)
    rows = tables.rows(SAMPLE[:6])
    points = PLACES.points(SAMPLE[:6])
    starts = np.array([420, 480, 540, 600, 660, 720])
    for shift in (starts, starts[::-1], np.tile(starts[:2], 3)):   # six shifts at once, again, then two
        looked_up = tables.journeys(rows, np.full(6, "torino"), shift, shift + 360)
        assert len(tables._journeys.index) <= max(len(set(shift.tolist())), 2)
        for i in range(6):
            where = (points[i:i + 1, 0], points[i:i + 1, 1], "torino", int(shift[i]), int(shift[i]) + 360)
            direct = fresh.journey_arrays(*where, JOURNEY_COLUMNS)
            direct.update(typical_minutes(fresh, *where, direct))
            for name in JOURNEY_COLUMNS:
                assert looked_up[name][i] == direct[name][0] or (np.isnan(looked_up[name][i])
                                                                and np.isnan(direct[name][0])), name
