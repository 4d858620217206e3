"""A transit router answers for the date it was built for, never for another day's timetable.

The Ivrea - Chivasso line was closed from 23 Feb to 26 Apr 2026 with replacement buses
(``data/transit/changes.csv``, Canavese News, Feb 2026). A router made on an ordinary day
must not answer for a day of the closure: the page, the model and the CLI get the day's
own router.
"""

from __future__ import annotations

import datetime as dt
import types

import pandas as pd
import pytest

from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.routing.transit import TransitRouter, router as router_module

OPEN = dt.date(2026, 11, 25)      # a Wednesday, the line open
CLOSED = dt.date(2026, 3, 4)      # a Wednesday of the closure
CLOSURE = "ivrea_chivasso_2026"


@pytest.fixture(scope="module")
def routers() -> dict[dt.date, TransitRouter]:
    return {OPEN: TransitRouter.from_model(OPEN), CLOSED: TransitRouter.from_model(CLOSED)}


def _strambino_to_torino() -> pd.DataFrame:
    code = next(p.istat for p in default_gazetteer().places if p.name == "Strambino")
    return pd.DataFrame({"home_istat": [code], "site": ["ivrea"], "hours_per_day": [4], "days_per_week": [5]})


def test_the_closure_is_in_force_only_on_its_days(routers):
    assert CLOSURE in routers[CLOSED].changes_active and CLOSURE not in routers[OPEN].changes_active
    assert routers[OPEN].serves(OPEN) and not routers[OPEN].serves(CLOSED)
    assert routers[OPEN].for_date(OPEN) is routers[OPEN]
    assert CLOSURE in routers[OPEN].for_date(CLOSED).changes_active


def test_evaluate_on_a_closure_day_does_not_use_an_ordinary_days_router(routers):
    args = (_strambino_to_torino(), Scenario(), default_parameters())
    places, sites = default_gazetteer(), load_sites()
    on_the_day = evaluate(*args, CLOSED, places, sites, transit=routers[CLOSED]).iloc[0]
    ordinary = evaluate(*args, OPEN, places, sites, transit=routers[OPEN]).iloc[0]
    handed_the_wrong_day = evaluate(*args, CLOSED, places, sites, transit=routers[OPEN]).iloc[0]
    # The replacement bus is slower than the train it replaces: the closure costs her minutes.
    assert on_the_day["transit_min_new"] > ordinary["transit_min_new"]
    for column in ("transit_min_new", "transit_eur_new", "inps_minutes"):
        assert handed_the_wrong_day[column] == on_the_day[column]


def test_the_default_router_follows_the_calendar(monkeypatch):
    class Today(dt.date):
        day = OPEN

        @classmethod
        def today(cls):
            return cls.day

    monkeypatch.setattr(router_module, "dt", types.SimpleNamespace(date=Today))
    first = router_module.default_router()
    Today.day = CLOSED
    assert router_module.default_router().on == CLOSED and first.on == OPEN


def test_the_pages_router_follows_the_day(monkeypatch):
    from ui import common

    monkeypatch.setattr(common, "today", lambda: OPEN)
    first = common.transit_router()
    monkeypatch.setattr(common, "today", lambda: CLOSED)
    second = common.transit_router()
    assert first.on == OPEN and CLOSURE not in first.changes_active
    assert second.on == CLOSED and CLOSURE in second.changes_active


def test_the_pages_remembered_answers_follow_the_day(monkeypatch):
    # The pages keep the legs, the shift's runs, the INPS journeys and a workforce's results per
    # input; a closure day must not be answered with an ordinary day's legs or results.
    from ui import common, union_page

    code = next(p for p in default_gazetteer().places if p.name == "Strambino")
    legs, results = {}, {}
    for day in (OPEN, CLOSED):
        monkeypatch.setattr(common, "today", lambda day=day: day)
        monkeypatch.setattr(union_page, "today", lambda day=day: day)
        legs[day] = common.journey_legs(code.lat, code.lon, "torino", 540, 900)
        workers = _strambino_to_torino()
        results[day] = union_page._evaluate_on(common.frame_key(workers), workers, Scenario(), (),
                                               union_page.today()).iloc[0]
    assert not legs[OPEN].equals(legs[CLOSED])
    assert results[CLOSED]["transit_min_new"] > results[OPEN]["transit_min_new"]
