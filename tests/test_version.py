"""parameters_version: a short hash of the parameters and data in force, carried by every export."""

import datetime as dt
import json
from pathlib import Path


from impact import version
from impact.params import default_parameters
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_version_is_short_stable_and_recorded():
    v = version.parameters_version()
    assert len(v) == 12 and int(v, 16) >= 0
    assert v == version.version_of(version.file_hashes())
    # Recorded in the committed history, so that a link made today can be explained later:
    # after changing a file below data/, run `python -m impact.version --record`.
    assert v in {entry["version"] for entry in version.history()}, "run: python -m impact.version --record"
    assert version.changed_files(v) == []


def test_changed_files_names_the_file_that_changed(tmp_path):
    data = tmp_path / "data"
    (data / "parameters" / "car").mkdir(parents=True)
    fuel = data / "parameters" / "car" / "fuel.yaml"
    fuel.write_text("a: 1\n")
    (data / "sites.yaml").write_text("b: 2\n")
    (data / "README.md").write_text("not hashed\n")
    before = version.file_hashes(data)
    assert set(before) == {"parameters/car/fuel.yaml", "sites.yaml"}
    history = tmp_path / "versions.yaml"
    history.write_text(json.dumps({"versions": [{"version": "oldversion01", "files": before}]}))
    fuel.write_text("a: 2\n")
    after = version.file_hashes(data)
    assert version.version_of(after) != version.version_of(before)
    assert version.changed_files("oldversion01", history, now=after) == ["parameters/car/fuel.yaml"]
    (data / "sites.yaml").unlink()
    assert version.changed_files("oldversion01", history, now=version.file_hashes(data)) == [
        "parameters/car/fuel.yaml", "sites.yaml"]
    assert version.changed_files("not-recorded", history) is None


def run_json(*args):
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_worker_json_carries_the_stamp_and_the_trace():
    answer = run_json("worker", "--home", "Strambino", "--site", "ivrea", "--json", "--trace")
    assert answer["parameters_version"] == version.parameters_version()
    assert answer["date"] == dt.date.today().isoformat() and answer["app_version"] == "0.1.0"
    trace = {row["path"]: row for row in answer["trace"]}
    params, on = default_parameters(), dt.date.today()
    # The figures this worker's answer rests on, by public transport and by car, and the INPS rule.
    for path in ("car.fuel.petrol_eur_per_l", "transit.gtt.monthly_pass_eur", "rights.inps_transfer.max_distance_km",
                 "rights.inps_transfer.max_public_transport_minutes", "transit.service.inps_window_start",
                 "tax.irpef.rate_1", "work.pay_defaults.part_time_net_monthly_eur"):
        row = trace[path]
        assert row["value"] == params.value(path, on)
        assert row["valid_from"] == params.get(path).at(on).valid_from.isoformat()
        assert row["url"].startswith("http") and row["source"]
    # A parameter the computation never reads is not listed.
    assert "workforce.gravity.decay_per_minute" not in trace
    plain = run_json("worker", "--home", "Strambino", "--site", "ivrea", "--json")
    assert "trace" not in plain and plain["monthly"] == answer["monthly"]


def test_roster_and_places_json_carry_the_stamp():
    answer = run_json("roster", str(ROOT / "tests/data/rosters/messy_it.csv"), "--json")
    assert answer["parameters_version"] == version.parameters_version()
    assert run_json("places", "Strambino", "--json")["parameters_version"] == version.parameters_version()


def test_pdfs_and_csv_carry_the_version(tmp_path):
    import io

    import pandas as pd
    from pypdf import PdfReader

    from impact.model import Scenario, evaluate
    from impact.places import default_gazetteer, load_sites
    from impact.report import worker_pdf, workforce_pdf
    from impact.scenarios import by_comune, summarise

    on = dt.date.today()
    workers = pd.DataFrame({"home_istat": ["001269"], "site": ["ivrea"], "hours_per_day": [6], "days_per_week": [5]})
    results = evaluate(workers, Scenario(), default_parameters(), on, default_gazetteer(), load_sites())
    inputs = {"town": "Strambino (TO)", "office": "Ivrea", "hours": 6, "days": 5}
    text = lambda pdf: " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)  # noqa: E731
    assert version.parameters_version() in text(worker_pdf(results.iloc[0].to_dict(), inputs, default_parameters(), on))
    table = by_comune(results, workers, {"001269": "Strambino"})
    union = workforce_pdf({"A": summarise(results, Scenario())}, results, table, default_parameters(), on)
    assert version.parameters_version() in text(union)
    out = tmp_path / "out.csv"
    result = run_cli("roster", str(ROOT / "tests/data/rosters/messy_it.csv"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    csv = pd.read_csv(out, sep=";", encoding="utf-8-sig", dtype=str)
    assert set(csv["parameters_version"]) == {version.parameters_version()}
