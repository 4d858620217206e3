"""Every face renders the same answer: the page, the PDFs, the workbook, the CSV and the command line."""

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.cli import Completed, run_cli

ROOT = Path(__file__).resolve().parent.parent
MESSY = ROOT / "tests" / "data" / "rosters" / "messy_it.csv"


def cli(*args: str) -> Completed:
    """``python -m impact ARGS``, in-process (tests/cli.py)."""
    return run_cli(*args)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())


def test_page_pdf_cli_text_and_json_lead_with_the_same_headline(tmp_path):
    """Findings 1 and 2: Strambino, Ivrea, 4 h. The page said 114 € by train; the PDF led with the car's 355 €."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.selectbox(key="town").set_value("Strambino (TO)").run()
    at.segmented_control(key="hours").set_value(4).run()
    page = {m.label: m.value.replace("\u00a0", " ") for m in at.metric}   # the PDF's text has plain spaces
    assert at.subheader[0].value == "Con treno e bus, il trasferimento ti costa"
    pdf = tmp_path / "w.pdf"
    text = cli("worker", "--home", "Strambino", "--site", "ivrea", "--hours-per-day", "4", "--pdf", str(pdf))
    answer = json.loads(cli("worker", "--home", "Strambino", "--site", "ivrea", "--hours-per-day", "4",
                            "--json").stdout)
    headline = pdf_text(pdf).split("settimana. ", 1)[1][:160]
    assert headline.startswith("Con treno e bus: ")
    money, hours, share = page["In più al mese"], page["Ore in più al mese"], page["Del tuo stipendio netto"]
    assert f"{money} in più al mese" in headline
    assert f"{hours.split()[0]} ore in più al mese" in headline and f"il {share}" in headline
    assert " ".join(answer["headline"].replace("\u00a0", " ").split()) in pdf_text(pdf)
    assert text.stdout.splitlines()[1].strip() == answer["headline"]
    assert answer["monthly"]["best_mode"] == "transit"
    assert round(answer["monthly"]["extra_cost_best_eur"]) == int(money.replace(" €", ""))


def test_roster_csv_has_the_registry_identifiers_and_the_rejected_rows(tmp_path):
    from impact.results import IDENTIFIERS
    out = tmp_path / "esito.csv"
    assert cli("roster", str(MESSY), "--out", str(out)).returncode == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"home_istat": str})
    assert list(table.columns)[-len(IDENTIFIERS):] == list(IDENTIFIERS)
    for kept in ("home_istat", "net_monthly_eur", "gross_annual_eur", "extra_best_eur_month", "rights_over_50km"):
        assert kept in table.columns
    assert list(table.columns).count("net_monthly_eur") == 1
    rejected = pd.read_csv(tmp_path / "esito.rejected.csv", sep=";", encoding="utf-8-sig")
    assert rejected["line"].tolist() == [6, 7, 8, 9, 10, 13, 14, 15]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_rejected_rows_are_written_even_when_no_row_is_valid(tmp_path, suffix):
    """Finding 4: --out wrote nothing when no row was valid, so the reasons were lost."""
    bad = tmp_path / "bad.csv"
    bad.write_text("Comune;Sede;Ore;Giorni\nIvera;Ivrea;4;5\nXyz;Asti;4;5\n", encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    assert cli("roster", str(bad), "--out", str(out)).returncode == 2
    if suffix == ".csv":
        rejected = pd.read_csv(tmp_path / "out.rejected.csv", sep=";", encoding="utf-8-sig")
    else:
        rejected = pd.read_excel(out, sheet_name="Righe scartate").rename(columns={"Riga": "line"})
    assert rejected["line"].tolist() == [2, 3]


def test_a_rosters_gross_pay_is_used_and_a_disagreeing_net_is_reported(tmp_path):
    """Finding 5: 'Lordo mensile' 3,000 with no net was costed at the default 1,100 € net, silently."""
    roster = tmp_path / "lordo.csv"
    roster.write_text("Comune;Sede;Ore;Giorni;Netto mensile;Lordo mensile\n"
                      "Strambino;Ivrea;8;5;;3000\n"
                      "Strambino;Ivrea;8;5;1100;3000\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    answer = json.loads(cli("roster", str(roster), "--json", "--out", str(out)).stdout)
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert table["gross_annual_eur"].iloc[0] == pytest.approx(39_000, abs=1)
    assert table["net_pay_basis"].tolist() == ["gross", "typed"]
    assert answer["summary"]["net_pay_default_used"] == 0
    notes = [w for w in answer["warnings"] if w.get("code") == "net_gross_disagree"]
    assert [n["line"] for n in notes] == [3] and "1.100" in notes[0]["reason"]


def test_the_command_line_speaks_the_language_asked(tmp_path):
    italian = cli("worker", "--home", "Nizza Monferrato", "--site", "asti", "--hours-per-day", "8").stdout
    english = cli("worker", "--home", "Nizza Monferrato", "--site", "asti", "--hours-per-day", "8",
                  "--lang", "en").stdout
    assert "in più al mese" in italian and "more a month" not in italian and "EUR" not in italian
    assert "more a month" in english and "in più" not in english
    roster = cli("roster", str(MESSY), "--lang", "en").stdout
    assert "rows read" in roster and "righe lette" not in roster
