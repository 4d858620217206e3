"""The notice-board sheet: one table per office and common shift, each QR code decoding to the share link."""

import datetime as dt
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from impact.model import Scenario, evaluate
from impact.notice_sheet import comune_table, common_shifts, notice_pdf
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.share import share_url
from impact.version import parameters_version
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date.today()
BASE = "https://calcolo.example.org"


def roster() -> pd.DataFrame:
    g = default_gazetteer()
    rows = [("Strambino", "ivrea", 540), ("Strambino", "ivrea", 540), ("Caluso", "ivrea", 540),
            ("Ivrea", "ivrea", 840), ("Nizza Monferrato", "asti", 480)]
    return pd.DataFrame([{"home_istat": g.resolve(town).istat, "site": site, "hours_per_day": 6,
                          "days_per_week": 5, "shift_start_min": start, "shift_end_min": start + 360}
                         for town, site, start in rows])


def decoded_links(pdf: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            found = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)).convert("L"))
            links += [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]
    return links


def test_every_qr_decodes_to_the_worker_share_link():
    g, sites = default_gazetteer(), load_sites()
    pdf = notice_pdf(roster(), default_parameters(), ON, g, sites, BASE)
    links = decoded_links(pdf)
    strambino, nizza = g.resolve("Strambino").istat, g.resolve("Nizza Monferrato").istat
    # Ivrea's staff live in 3 comuni, with shifts at 09:00 and 14:00; Asti's in 1, at 08:00:
    # three tables, 3 + 3 + 1 rows, one QR code each.
    assert len(links) == 7
    assert share_url(BASE, strambino, "ivrea") in links and share_url(BASE, nizza, "asti") in links
    query = parse_qs(urlparse(links[0]).query)
    assert urlparse(links[0]).path == "/"   # the worker page is the app's default page
    assert query["sede"] == ["ivrea"] and query["v"] == [parameters_version()]
    assert set(query) == {"comune", "sede", "v"}   # nothing personal in the link


def test_rows_are_the_models_figures():
    g, sites, params = default_gazetteer(), load_sites(), default_parameters()
    workers = roster()
    assert common_shifts(workers, "ivrea") == [540, 840]
    table, left_out = comune_table(workers, "ivrea", 540, params, ON, g, sites)
    assert left_out == 0 and table["comune"].tolist()[:1] == ["Strambino"]
    strambino = table.iloc[0]
    one = pd.DataFrame([{"home_istat": strambino["istat"], "site": "ivrea", "hours_per_day": 4, "days_per_week": 5,
                         "shift_start_min": 540, "shift_end_min": 780}])
    r = evaluate(one, Scenario(), params, ON, g, sites).iloc[0]
    assert strambino["extra_eur_month_4h"] == pytest.approx(r["extra_best_eur_month"])
    assert strambino["straight_km"] == pytest.approx(r["straight_km_new"])
    assert strambino["inps_status"] == r["rights_status"]


def test_command_line_writes_the_sheet(tmp_path):
    out = tmp_path / "bacheca.pdf"
    result = run_cli("roster", "--modelled", "--notice-sheet", str(out), "--app-url", BASE, "--lang", "it", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["notice_sheet"] == str(out)
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "sede di Ivrea" in text and "sede di Asti" in text and "un modello" in text
    assert "€" in text
