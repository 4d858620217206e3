"""The real openrouteservice client against a fake server on 127.0.0.1, and the fallback."""

import datetime as dt
import time

import numpy as np
import pytest

from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.routing.car import car_trips
from impact.routing.estimate import load_model
from impact.routing.ors import OrsRouter, RouteCache, RoutingUnavailable
from tests.fake_ors import DETOUR, SPEED_KMH, FakeOrs, short_timeout

STRAMBINO = (45.3799, 7.88967)
TORINO_SITE = (load_sites()["torino"].lat, load_sites()["torino"].lon)
MODEL = load_model(default_parameters(), dt.date(2026, 6, 1))


@pytest.fixture
def ors():
    with FakeOrs() as server:
        yield server


@pytest.fixture
def router(ors, tmp_path):
    return OrsRouter(key="test-key", base_url=ors.url, cache=RouteCache(tmp_path))


def one_trip(router):
    """Strambino to the Torino office through the model's one way of routing (a matrix of one)."""
    return car_trips(np.array([STRAMBINO]), np.array([TORINO_SITE]), MODEL, router)


def test_the_matrix_uses_lon_lat_order_and_returns_the_route(router, ors):
    # (car_trip_with_route and its directions request are gone: no face drew the route's line.)
    trip = one_trip(router)
    expected_km = FakeOrs.road_km([STRAMBINO[1], STRAMBINO[0]], [TORINO_SITE[1], TORINO_SITE[0]])
    assert trip.source[0] == "openrouteservice" and trip.note == ""
    assert trip.km[0] == pytest.approx(expected_km, abs=0.01)
    assert trip.minutes[0] == pytest.approx(expected_km / SPEED_KMH * 60, abs=0.1)
    assert ors.requests == ["/v2/matrix/driving-car/json"]


def roster_points(n: int = 1100, seed: int = 3):
    places = default_gazetteer().places
    rng = np.random.default_rng(seed)
    homes = np.array([(places[i].lat, places[i].lon) for i in rng.integers(0, len(places), n)])
    sites = load_sites()
    offices = np.array([(sites[s].lat, sites[s].lon) for s in rng.choice(["ivrea", "asti", "torino"], n)])
    return homes, offices


def test_a_roster_costs_at_most_two_requests_then_none(ors, tmp_path):
    homes, offices = roster_points()
    first = car_trips(homes, offices, MODEL, OrsRouter(key="k", base_url=ors.url, cache=RouteCache(tmp_path)))
    assert len(ors.requests) <= 2
    assert set(first.source) == {"openrouteservice"}
    straight = np.array([FakeOrs.road_km([b, a], [d, c]) / DETOUR for (a, b), (c, d) in zip(homes, offices)])
    assert np.allclose(first.km, DETOUR * straight, atol=0.01)
    requests_before = len(ors.requests)
    second = car_trips(homes, offices, MODEL, OrsRouter(key="k", base_url=ors.url, cache=RouteCache(tmp_path)))
    assert len(ors.requests) == requests_before
    assert np.allclose(second.km, first.km)


def test_the_cache_holds_no_personal_data(router, tmp_path):
    car_trips(np.array([STRAMBINO]), np.array([TORINO_SITE]), MODEL, router)
    text = (tmp_path / "ors-driving-car.json").read_text()
    assert "45.3799,7.8897>" in text  # rounded comune and office points only


@pytest.mark.parametrize("mode, reason", [
    ("401", "refused the key (401)"),
    ("403", "refused the key (403)"),
    ("429", "quota exceeded (429)"),
    ("500", "server error (500)"),
    ("garbage", "did not answer in time (HTTPError)"),
])
def test_failures_fall_back_to_the_estimate_with_a_note(ors, router, mode, reason):
    ors.mode = mode
    trip = one_trip(router)
    assert trip.source[0] == "estimate" and reason in trip.note
    assert 40 < trip.km[0] < 80
    roster = car_trips(np.array([STRAMBINO] * 3), np.array([TORINO_SITE] * 3), MODEL, router)
    assert set(roster.source) == {"estimate"} and reason in roster.note


def test_one_429_is_retried_after_a_short_back_off(ors, router):
    ors.mode = "429-once"
    trip = one_trip(router)
    assert trip.source[0] == "openrouteservice"
    assert len(ors.requests) == 2


def test_a_slow_server_falls_back_within_five_seconds(ors, tmp_path, monkeypatch):
    """A request gives up after its timeout, and the whole call never outlasts the 5 s deadline;
    here with a 1 s timeout, so the test waits a third of what a user would."""
    from impact.routing import ors as ors_module

    assert ors_module.REQUEST_TIMEOUT_S < ors_module.ORS_DEADLINE_S <= 5.0
    timeout = short_timeout(monkeypatch)
    router = OrsRouter(key="test-key", base_url=ors.url, cache=RouteCache(tmp_path))
    ors.mode = "slow"
    started = time.monotonic()
    trip = one_trip(router)
    assert time.monotonic() - started < timeout + 1.0
    assert trip.source[0] == "estimate" and "did not answer in time" in trip.note


def test_an_unreachable_server_falls_back(tmp_path):
    with FakeOrs() as server:
        url = server.url
    router = OrsRouter(key="k", base_url=url, cache=RouteCache(tmp_path))
    trip = one_trip(router)
    assert trip.source[0] == "estimate" and "unreachable" in trip.note


def test_the_public_api_needs_a_key(monkeypatch):
    monkeypatch.delenv("ORS_API_KEY", raising=False)
    monkeypatch.delenv("ORS_BASE_URL", raising=False)
    with pytest.raises(RoutingUnavailable, match="no openrouteservice key"):
        OrsRouter()
