"""The command-line contract, run in-process through `main(argv)` (tests/cli.py) as a user would run it."""

import json
from pathlib import Path

import pytest

from tests.cli import Completed, run_cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None) -> Completed:
    return run_cli(*args, env=env)


def test_places_json():
    result = run("places", "Strambino", "--json")
    assert result.returncode == 0, result.stderr
    place = json.loads(result.stdout)
    assert place["istat"] == "001269" and place["province"] == "TO"
    assert "10019" in place["caps"]
    assert abs(place["lat"] - 45.38) < 0.05 and abs(place["lon"] - 7.89) < 0.05


def test_places_by_cap_text():
    result = run("places", "10015")
    assert result.returncode == 0
    assert result.stdout.startswith("Ivrea (TO)") and "ISTAT 001125" in result.stdout


def test_unknown_place_exits_2_with_suggestions():
    result = run("places", "Ivera")
    assert result.returncode == 2
    assert "no comune is called 'Ivera'" in result.stderr
    assert "Ivrea (TO)" in result.stderr.splitlines()[2]


def test_unknown_place_json():
    result = run("places", "Ivera", "--json")
    assert result.returncode == 2
    answer = json.loads(result.stdout)
    assert answer["error"] == "unknown" and answer["candidates"][0]["name"] == "Ivrea"


def test_worker_straight_line_distances():
    result = run("worker", "--home", "Strambino", "--site", "ivrea", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["home"]["istat"] == "001269"
    assert answer["old_site"]["id"] == "ivrea" and answer["new_site"]["id"] == "torino"
    # Strambino lies about 10 km south of Ivrea and 42-47 km north-east of Mirafiori Sud
    # (the office is placed at the corso Unione Sovietica roundabout since issue 13).
    assert 7 < answer["straight_line_km"]["old"] < 13
    assert 38 < answer["straight_line_km"]["new"] < 47


def test_worker_car_figures_follow_the_contract():
    answer = json.loads(run("worker", "--home", "Strambino", "--site", "ivrea", "--hours-per-day", "6",
                            "--net-monthly", "800", "--fuel-price", "1.80", "--json").stdout)
    assert answer["car"]["new"]["source"] == "estimate"
    low, high = answer["car"]["new"]["km_range"]
    assert low < answer["car"]["new"]["km"] < high
    assert answer["car"]["new"]["km"] > answer["car"]["old"]["km"]
    assert answer["monthly"]["extra_cost_car_eur"] > 0 and answer["monthly"]["extra_hours"] > 0
    assert answer["share_of_net_pay"]["car"] == pytest.approx(answer["monthly"]["extra_cost_car_eur"] / 800, abs=1e-3)
    # Strambino: 45.6 km from Strada del Drosso in a straight line, about 60 km by road.
    assert answer["rights"]["over_50km"] is True and answer["rights"]["distance_status"] == "borderline"
    assert 0 < answer["rights"]["naspi_monthly_eur"] <= 1584.70
    assert answer["make_whole"]["raise_gross_per_payment_eur"] > answer["monthly"]["extra_cost_best_eur"] > 0
    # By train from Strambino: 51.7 rail km to Torino, then GTT to Strada del Drosso.
    transit = answer["transit"]["new"]
    assert transit["source"] == "timetable-model" and transit["feasible"]
    assert transit["minutes"] > answer["car"]["new"]["minutes"]
    assert transit["inps_minutes"] >= 80 and answer["rights"]["over_80min_transit"] is True
    assert transit["inps_journeys"] == 21   # the 21 weekday journeys the page's INPS fold lists (test_transit_pages)


def test_a_late_shift_with_no_train_home_is_a_finding():
    answer = json.loads(run("worker", "--home", "Strambino", "--site", "ivrea", "--shift-start", "16:00",
                            "--shift-end", "23:30", "--json", "--lang", "en").stdout)
    assert answer["transit"]["new"]["feasible"] is False and answer["transit"]["new"]["minutes"] is None
    assert "no public-transport journey fits this shift to the new office" in answer["notes"]
    assert answer["monthly"]["best_mode"] == "car"


def test_worker_falls_back_visibly_when_openrouteservice_fails(tmp_path):
    from tests.fake_ors import FakeOrs
    with FakeOrs() as server:
        server.mode = "500"
        env = {"ORS_BASE_URL": server.url, "IMPACT_CACHE_DIR": str(tmp_path)}
        result = run("worker", "--home", "Strambino", "--site", "ivrea", "--lang", "en", env=env)
    assert result.returncode == 0
    assert "note: offline estimate instead of openrouteservice (openrouteservice server error (500))" in result.stdout


def test_worker_uses_openrouteservice_when_configured(tmp_path):
    from tests.fake_ors import FakeOrs
    with FakeOrs() as server:
        env = {"ORS_BASE_URL": server.url, "IMPACT_CACHE_DIR": str(tmp_path)}
        result = run("worker", "--home", "Strambino", "--site", "ivrea", "--json", env=env)
    answer = json.loads(result.stdout)
    assert answer["car"]["new"]["source"] == "openrouteservice" and "km_range" not in answer["car"]["new"]


def test_bad_shift_time_is_refused():
    result = run("worker", "--home", "Strambino", "--site", "ivrea", "--shift-start", "25:00")
    assert result.returncode == 2 and "not a time of day" in result.stderr


def test_worker_unknown_home():
    result = run("worker", "--home", "Nowhere at all", "--site", "asti")
    assert result.returncode == 2
