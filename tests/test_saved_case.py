"""The worker's own case file: only what the page asked, read back strictly, a set of them read as a roster."""

import json

import pytest

from impact.roster import read_roster
from impact.saved_case import FIELDS, CaseError, case_json, cases_roster_csv, read_case

INPUTS = {"home_istat": "001269", "site": "ivrea", "hours_per_day": 4, "days_per_week": 5, "shift_start": "09:00",
          "shift_end": "13:00", "net_monthly_eur": 820.5, "preferred_mode": "transit", "has_car": False,
          "fuel_eur_per_l": 1.802, "l_per_100km": 5.3, "uses_motorway": True, "tolls_eur_per_day": None,
          "second_car": False, "household_size": 3, "housing_now_eur_month": 450.0, "children_needing_care": 1}


def test_round_trip_and_nothing_else_in_the_file():
    data = case_json({**INPUTS, "name": "Maria Rossi", "address": "via Roma 1"})
    body = json.loads(data)
    assert set(body) <= set(FIELDS) | {"format", "format_version", "parameters_version"}
    assert "Maria" not in data.decode() and "via Roma" not in data.decode()
    assert "tolls_eur_per_day" not in body          # not typed: not saved
    case = read_case(data)
    assert case == {k: v for k, v in INPUTS.items() if v is not None}


@pytest.mark.parametrize("change, words", [
    ({"home_istat": "12"}, "6-digit"), ({"site": "torino"}, "site must be"), ({"hours_per_day": 30}, "hours_per_day"),
    ({"has_car": "yes"}, "true or false"), ({"shift_start": "25:00"}, "time like"), ({"nome": "x"}, "unknown field"),
    ({"preferred_mode": "bike"}, "preferred_mode"), ({"net_monthly_eur": True}, "net_monthly_eur")])
def test_bad_fields_are_named(change, words):
    body = {**json.loads(case_json(INPUTS)), **change}
    with pytest.raises(CaseError, match=words):
        read_case(json.dumps(body).encode())


def test_not_a_case():
    for data in (b"not json", b"[]", b'{"format": "other"}', b"{" + b" " * 5000 + b"}"):
        with pytest.raises(CaseError):
            read_case(data)


def test_a_set_of_cases_is_a_roster():
    other = case_json({"home_istat": "005080", "site": "asti", "hours_per_day": 6, "days_per_week": 4,
                       "has_car": True, "uses_motorway": False, "second_car": True})
    data, rejected = cases_roster_csv([("a.json", case_json(INPUTS)), ("b.json", other), ("c.txt", b"hello")])
    assert rejected == [("c.txt", "not a case file: not JSON")]
    report = read_roster(data, "cases.csv")
    assert report.rows_valid == 2 and not report.rejected
    w = report.workers
    assert w["home_istat"].tolist() == ["001269", "005080"] and w["site"].tolist() == ["ivrea", "asti"]
    assert w["hours_per_day"].tolist() == [4, 6] and w["days_per_week"].tolist() == [5, 4]
    assert w["shift_start_min"].iloc[0] == 540 and w["shift_end_min"].iloc[0] == 780
    assert w["net_monthly_eur"].iloc[0] == 820.5 and w["has_car"].tolist() == [False, True]
    assert w["second_car"].tolist() == [False, True] and w["uses_motorway"].tolist() == [True, False]
    assert w["household_size"].iloc[0] == 3 and w["children_needing_care"].iloc[0] == 1
    assert w["housing_now_eur_month"].iloc[0] == 450
