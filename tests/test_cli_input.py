"""Command-line input checks, exit codes and strict JSON (issue 14, findings 7, 10, 11, 12), in process."""

import json
from pathlib import Path

import pytest

from impact.__main__ import main
from impact.safe_text import json_text

ROOT = Path(__file__).resolve().parent.parent
MESSY = ROOT / "tests" / "data" / "rosters" / "messy_it.csv"
WORKER = ["worker", "--home", "Strambino", "--site", "ivrea"]


def strict(text: str):
    """json.loads that fails on NaN, Infinity and -Infinity (Python's json accepts them by default)."""
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def usage_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("option, value, says", [("--net-monthly", "0", "outside 150–5000"),
                                                ("--net-monthly", "1", "outside 150–5000"),
                                                ("--fuel-price", "0", "outside 0.5–4"),
                                                ("--fuel-price", "-1", "outside 0.5–4"),
                                                ("--fuel-price", "nan", "outside 0.5–4"),
                                                ("--days-per-week", "0.5", "outside 1–6"),
                                                ("--hours-per-day", "inf", "outside 0–12"),
                                                ("--shift-start", "9:60", "not a time of day")])
def test_worker_options_out_of_range_are_refused(capsys, option, value, says):
    assert says in usage_error([*WORKER, option, value, "--json"], capsys)


def test_a_shift_that_starts_when_it_ends_is_refused_as_in_rosters(capsys):
    assert main([*WORKER, "--shift-start", "09:00", "--shift-end", "09:00", "--json"]) == 2
    answer = strict(capsys.readouterr().out)
    assert answer["error"] == "shift_same" and "starts and ends at the same time" in answer["message"]


def test_every_json_output_is_strict_json(capsys):
    assert main([*WORKER, "--json"]) == 0
    strict(capsys.readouterr().out)
    assert main(["places", "Ivrea", "--json"]) == 0
    strict(capsys.readouterr().out)
    assert main(["places", "Settimo", "--json"]) == 2
    strict(capsys.readouterr().out)
    assert main(["roster", str(MESSY), "--json"]) == 0
    strict(capsys.readouterr().out)
    assert main(["roster", "/nonexistent.csv", "--json"]) == 1
    strict(capsys.readouterr().out)


def test_json_text_writes_null_with_a_note():
    answer = strict(json_text({"share": float("inf"), "nested": {"x": float("nan")}, "notes": ["kept"]}))
    assert answer["share"] is None and answer["nested"]["x"] is None
    assert answer["notes"][0] == "kept" and any("share" in n for n in answer["notes"])


def test_roster_text_output_carries_no_terminal_escapes(tmp_path, capsys):
    hostile = "\x1b]0;pwned\x07\x1b[2J\x1b[1A"
    path = tmp_path / "r.csv"
    path.write_text(f"Comune;Sede;Ore al giorno;Giorni a settimana;Note{hostile}\n"
                    f"Ivrea{hostile};Ivrea;6;5;x\nIvrea;Ivrea;6;5;x\n", encoding="utf-8")
    assert main(["roster", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "columns not read: Note\n" in out          # the text stays, the escapes go


@pytest.mark.parametrize("out", ["/nonexistent/d/x.xlsx", "FOLDER"])
def test_roster_out_onto_a_bad_path_is_a_clear_error(tmp_path, capsys, out):
    if out == "FOLDER":
        out = str(tmp_path / "folder.xlsx")
        Path(out).mkdir()
    assert main(["roster", str(MESSY), "--out", out]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --out") and "Traceback" not in err


def test_roster_of_a_device_is_refused_without_reading_it(capsys):
    assert main(["roster", "/dev/zero"]) == 1
    assert "not a regular file" in capsys.readouterr().err
