"""`python -m impact journey`: one journey between two places, checked against published runs.

Run in-process through `impact.__main__.main` (one subprocess smoke test at the end).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from impact.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
TRANSIT_KEYS = ["mode", "from", "to", "depart", "arrive", "minutes", "changes", "source", "assumed", "legs"]
LEG_KEYS = ["mode", "line", "from", "to", "depart", "arrive", "source"]
STAMP_KEYS = ["parameters_version", "app_version", "date"]


def journey(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["journey", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def answer(capsys, *args: str) -> dict:
    code, out, err = journey(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_json_keys_are_the_contract(capsys):
    a = answer(capsys, "--from", "Strambino", "--to", "torino", "--arrive-by", "08:55", "--date", "2026-06-03")
    assert list(a) == TRANSIT_KEYS + STAMP_KEYS and a["mode"] == "transit"
    assert a["date"] == "2026-06-03" and len(a["parameters_version"]) == 12
    assert all(list(leg) == LEG_KEYS for leg in a["legs"])
    assert a["legs"][0]["depart"] == a["depart"] and a["legs"][-1]["arrive"] == a["arrive"]
    assert a["arrive"] <= "08:55" and a["source"] == "timetable-model"


def test_the_closure_bus_and_train_as_published(capsys):
    # La Sentinella, Feb 2026: during the closure, bus 7:09 from Ivrea, Chivasso 7:55, train 8:10, Porta Nuova 8:35.
    a = answer(capsys, "--from", "Ivrea", "--to", "Torino Porta Nuova", "--depart", "07:00", "--date", "2026-03-10")
    assert [(leg["mode"], leg["depart"], leg["arrive"]) for leg in a["legs"]] == [
        ("bus", "07:09", "07:55"), ("rail", "08:10", "08:35")]
    assert a["changes"] == 1 and a["minutes"] == 86
    # After the works the direct train is back (07:41 in the 2024 timetable, 54 minutes).
    after = answer(capsys, "--from", "Ivrea", "--to", "Torino Porta Nuova", "--depart", "07:00", "--date", "2026-05-04")
    assert [leg["mode"] for leg in after["legs"]] == ["rail"] and after["arrive"] == "08:35"


def test_the_4n_can_be_switched_off(capsys):
    args = ("--from", "Torino Porta Nuova", "--to", "torino", "--depart", "10:00", "--date", "2026-06-03")
    with_4n = answer(capsys, *args)
    without = answer(capsys, *args, "--without", "tram4_4n")
    assert any("4N" in leg["line"] for leg in with_4n["legs"])
    assert [leg["line"] for leg in without["legs"] if leg["mode"] != "walk"] == [
        "GTT tram 4 Porta Nuova - Strada del Drosso"]
    assert with_4n["minutes"] > without["minutes"]     # the change at Caio Mario costs time


def test_assumed_is_false_only_when_every_run_is_sourced(capsys):
    # La Nuova Provincia (Sep 2023): the Asti-Alba trains are all listed, 07:01 -> 07:40.
    sourced = answer(capsys, "--from", "Asti", "--to", "Alba", "--depart", "06:55", "--date", "2026-06-03")
    assert (sourced["depart"], sourced["arrive"], sourced["assumed"]) == ("07:01", "07:40", False)
    patterned = answer(capsys, "--from", "Asti", "--to", "Torino Lingotto", "--depart", "07:00", "--date", "2026-06-03")
    assert patterned["assumed"] is True


def test_car_json_keys_and_range(capsys):
    a = answer(capsys, "--from", "Asti", "--to", "torino", "--depart", "07:00", "--mode", "car", "--date", "2026-06-03")
    assert list(a) == ["mode", "km", "minutes", "km_range", "minutes_range", "source", *STAMP_KEYS]
    assert a["km_range"][0] < a["km"] < a["km_range"][1] and a["minutes_range"][0] < a["minutes"] < a["minutes_range"][1]


def test_car_ranges_are_the_measured_leave_one_out_error(capsys):
    """Issue 13: the car ranges are the 10th-90th percentiles of sourced/estimated km and minutes
    over the leave-one-out predictions (data/routing/car_estimate.yaml), not a stated guess."""
    import yaml
    ranges = yaml.safe_load((ROOT / "data/routing/car_estimate.yaml").read_text(encoding="utf-8"))["range"]
    a = answer(capsys, "--from", "Nizza Monferrato", "--to", "torino", "--depart", "07:00", "--mode", "car",
               "--date", "2026-06-03")
    assert a["source"] == "estimate"
    assert a["km_range"][0] == pytest.approx(a["km"] * ranges["km_ratio_p10"], abs=0.1)
    assert a["km_range"][1] == pytest.approx(a["km"] * ranges["km_ratio_p90"], abs=0.1)
    assert a["minutes_range"][0] == pytest.approx(a["minutes"] * ranges["minutes_ratio_p10"], abs=1)
    assert a["minutes_range"][1] == pytest.approx(a["minutes"] * ranges["minutes_ratio_p90"], abs=1)


def test_an_unknown_place_exits_2_with_suggestions(capsys):
    code, out, err = journey(capsys, "--from", "Ivreaa", "--to", "torino", "--depart", "07:00")
    assert code == 2 and "Ivrea (TO)" in err
    code, out, _ = journey(capsys, "--from", "Ivreaa", "--to", "torino", "--depart", "07:00", "--json")
    body = json.loads(out)
    assert code == 2 and body["error"] == "unknown" and "Ivrea (TO)" in body["suggestions"]


def test_no_journey_in_the_window_exits_3(capsys):
    code, out, err = journey(capsys, "--from", "asti", "--to", "torino", "--depart", "23:50", "--date", "2026-06-03",
                             "--lang", "en")
    assert code == 3 and "no public transport journey" in err and "leaving at 23:50" in err
    code, out, _ = journey(capsys, "--from", "asti", "--to", "torino", "--depart", "23:50", "--date", "2026-06-03",
                           "--json")
    body = json.loads(out)
    assert code == 3 and body["error"] == "no_journey" and body["date"] == "2026-06-03"
    assert body["message"].startswith("nessun viaggio con i mezzi pubblici")   # Italian unless --lang en


def test_a_moved_office_moves_the_journey(capsys):
    base = ("--from", "Strambino", "--to", "torino", "--arrive-by", "09:00", "--date", "2026-06-03")
    at_drosso = answer(capsys, *base)
    at_porta_nuova = answer(capsys, *base, "--office-lat", "45.0620", "--office-lon", "7.6780")
    assert at_porta_nuova["minutes"] < at_drosso["minutes"] - 20
    assert [leg["mode"] for leg in at_porta_nuova["legs"]] == ["rail", "walk"]
    code, _, err = journey(capsys, "--from", "Strambino", "--to", "Chivasso", "--depart", "07:00",
                           "--office-lat", "45.0", "--office-lon", "7.6")
    assert code == 2 and "indicala in --from o --to" in err


def test_an_office_named_with_a_spaced_prefix_is_moved_as_it_is_routed(capsys):
    """Review item (issue 15): "office: torino" (a space after the colon) was routed as the office but
    not moved by --office-lat/--office-lon ("name it in --from or --to"): the command and the
    resolver had two office rules. One rule now (`journey.named_office`), and "office:" with a
    name that is no office is refused with its own code, not looked up as a town."""
    moved = ("--office-lat", "45.0620", "--office-lon", "7.6780")
    base = ("--from", "Strambino", "--arrive-by", "09:00", "--date", "2026-06-03")
    by_id = answer(capsys, *base, "--to", "torino", *moved)
    for named in ("office: torino", "Office:Torino", " OFFICE:  torino "):
        spaced = answer(capsys, *base, "--to", named, *moved)
        assert spaced["minutes"] == by_id["minutes"] and spaced["legs"] == by_id["legs"], named
    assert [leg["mode"] for leg in by_id["legs"]] == ["rail", "walk"]   # to Porta Nuova, as moved
    code, out, _ = journey(capsys, "--from", "Strambino", "--to", "office: milano", "--depart", "07:00", "--json")
    body = json.loads(out)
    assert code == 2 and body["code"] == "unknown_office" and body["suggestions"] == ["ivrea", "asti", "torino"]
    code, _, err = journey(capsys, "--from", "office:Milano", "--to", "torino", "--depart", "07:00", *moved)
    assert code == 2 and "non indica nessuna sede" in err and "ivrea; asti; torino" in err


@pytest.mark.parametrize("bad", ["25:00", "7h30"])
def test_a_bad_time_is_refused_by_the_parser(capsys, bad):
    with pytest.raises(SystemExit) as stop:
        main(["journey", "--from", "asti", "--to", "torino", "--depart", bad])
    assert stop.value.code == 2


def test_smoke_as_a_command():
    result = subprocess.run([sys.executable, "-m", "impact", "journey", "--from", "Chivasso", "--to",
                             "Torino Porta Nuova", "--depart", "08:05", "--date", "2026-03-10", "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["arrive"] == "08:35"


def test_a_comune_by_cap_and_an_office_by_prefix(capsys):
    # 10015 is Ivrea's CAP: the comune's centre, walked to the station; "office:asti" is the office.
    a = answer(capsys, "--from", "10015", "--to", "office:torino", "--arrive-by", "09:00", "--date", "2026-06-03")
    assert a["from"] == "Ivrea (TO)" and a["legs"][0]["mode"] == "walk"
    assert a["to"].startswith("Torino (Strada del Drosso")


def test_the_asti_office_last_mile_is_a_stated_assumption_not_a_43_minute_walk(capsys):
    """Issue 13: via Guerra is 2.7 km from Asti station and no ASP weekday line to it is sourced;
    the model walked 43 minutes. The last leg is now the stated transit.access.office_last_mile_minutes,
    labelled as an assumption and naming its parameter."""
    import datetime as dt

    from impact.params import default_parameters
    stated = default_parameters().value("transit.access.office_last_mile_minutes", dt.date(2026, 6, 3))
    b = answer(capsys, "--from", "Nizza Monferrato", "--to", "office:asti", "--arrive-by", "09:00", "--date", "2026-06-03")
    last = b["legs"][-1]
    assert last["mode"] == "last_mile" and "office_last_mile_minutes" in last["source"] and b["assumed"]
    assert "43-minute walk" in last["source"]
    hours = lambda hhmm: int(hhmm[:2]) * 60 + int(hhmm[3:])  # noqa: E731
    assert hours(last["arrive"]) - hours(last["depart"]) == stated < 43


def test_the_text_speaks_italian_by_default_and_english_when_asked(capsys):
    """Words belong to the faces: the journey's text is worded from the catalogue (journey_cli.*)."""
    args = ("--from", "Chivasso", "--to", "Torino Porta Nuova", "--depart", "08:05", "--date", "2026-03-10")
    code, italian, _ = journey(capsys, *args)
    assert code == 0 and "10 mar 2026: 08:10 - 08:35, 25 min, cambi: 0 (modello degli orari)" in italian
    assert "treno" in italian and "fonte: La Sentinella" in italian and "variazioni datate in vigore" in italian
    code, english, _ = journey(capsys, *args, "--lang", "en")
    assert code == 0 and "changes: 0 (timetable model)" in english and " train " in english
    code, _, err = journey(capsys, "--from", "Ivreaa", "--to", "torino", "--depart", "07:00")
    assert code == 2 and "non è una sede, una stazione o un comune" in err and err.count("Forse cercavi:") == 1
    code, car, _ = journey(capsys, "--from", "Asti", "--to", "torino", "--depart", "07:00", "--mode", "car")
    assert code == 0 and " in auto: " in car and "(stima)" in car and "," in car.split(" km ")[0]
