"""The evidence pack: read back with pypdf, its INPS journeys equal the model's."""

import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from impact.evidence import evidence_pdf, hhmm
from impact.routing.evidence import inps_journey_table as inps_journeys
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, destination, load_sites
from impact.routing.transit import default_router
from impact.version import parameters_version
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date.today()
ROW = re.compile(r"^(\d\d:\d\d) (\d\d:\d\d) (.+?) (\d\d:\d\d) (\d+) (\d+)\b", re.M)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def router():
    return default_router(ON)


def pack(town: str, site: str, router, lang="it", start=540, end=780):
    gazetteer, sites = default_gazetteer(), load_sites()
    home = gazetteer.resolve(town)
    worker = pd.DataFrame([{"home_istat": home.istat, "site": site, "hours_per_day": (end - start) / 60,
                            "days_per_week": 5, "shift_start_min": start, "shift_end_min": end}])
    row = evaluate(worker, Scenario(), default_parameters(), ON, gazetteer, sites, transit=router).iloc[0].to_dict()
    pdf = evidence_pdf(row, home, sites[site], destination(sites), start, end, router, default_parameters(), ON, lang)
    return home, row, text_of(pdf)


@pytest.mark.parametrize("town, site", [("Strambino", "ivrea"), ("Nizza Monferrato", "asti")])
def test_journeys_in_the_pdf_are_the_models(town, site, router):
    home, row, text = pack(town, site, router)
    printed = ROW.findall(text)
    journeys = inps_journeys(router, home.lat, home.lon, "torino")
    assert len(journeys) > 5
    assert [(p[0], p[1], p[3], int(p[4]), int(p[5])) for p in printed] == [
        (hhmm(j.leave_home), hhmm(j.depart), hhmm(j.arrive), round(j.minutes), j.changes) for j in journeys.itertuples()]
    # The table is the very set of journeys the model's INPS average is taken over.
    assert journeys["minutes"].mean() == pytest.approx(row["inps_minutes"], abs=0.05)
    assert len(journeys) == row["inps_journeys"]
    assert f"{row['inps_minutes']:.1f}".replace(".", ",") in text


def test_pack_holds_what_the_issue_lists(router):
    home, row, text = pack("Strambino", "ivrea", router)
    flat = " ".join(text.split())
    for words in ("Strambino (TO)", "ISTAT 001269", "Ivrea", "Strada del Drosso", "Linea d'aria", "Su strada",
                  "369", "Tribunale di Torino", "258/2023", "Informazioni, non consulenza legale",
                  parameters_version(), "0.1.0", "ultima partenza utile", "Andata", "Ritorno",
                  "Validità dei viaggi della media"):
        assert words in flat, words
    assert f"{row['straight_km_new']:.1f}".replace(".", ",") + " km" in flat


def test_pack_in_english_and_from_the_command_line(tmp_path, router):
    _, _, text = pack("Nizza Monferrato", "asti", router, lang="en")
    assert "Information, not legal advice" in " ".join(text.split())
    out = tmp_path / "evidence.pdf"
    result = run_cli("worker", "--home", "Strambino", "--site", "ivrea", "--evidence", str(out))
    assert result.returncode == 0, result.stderr
    assert "Prova del tragitto" in text_of(out.read_bytes())


def test_an_unwritable_path_is_a_clear_error():
    result = run_cli("worker", "--home", "Strambino", "--site", "ivrea", "--evidence", "/nonexistent/dir/prova.pdf")
    assert result.returncode == 1 and "cannot write /nonexistent/dir/prova.pdf" in result.stderr
    assert "Traceback" not in result.stderr
