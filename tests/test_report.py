"""The one-page worker PDF, opened and read back."""

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.report import worker_pdf
from impact.results import format_value, headline_text

ON = dt.date(2026, 6, 1)


def pdf_text(lang: str) -> tuple[str, int, dict]:
    worker = pd.DataFrame([{"home_istat": "001269", "site": "ivrea", "hours_per_day": 6, "days_per_week": 5,
                            "net_monthly_eur": 800}])
    row = evaluate(worker, Scenario(), default_parameters(), ON, default_gazetteer(), load_sites()).iloc[0]
    data = worker_pdf(row.to_dict(), {"town": "Strambino (TO)", "office": "Ivrea", "hours": 6, "days": 5},
                      default_parameters(), ON, lang)
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, len(reader.pages), row


def test_italian_pdf_is_one_page_with_the_figures():
    text, pages, row = pdf_text("it")
    assert pages == 1
    assert "Strambino (TO), sede di Ivrea, 6 ore al giorno, 5 giorni a settimana" in text
    assert "uno stipendio netto di 800 €" in text and "EUR" not in text
    assert "non consulenza legale" in text


def test_english_pdf():
    text, pages, _row = pdf_text("en")
    assert pages == 1 and "not legal advice" in text and "€800" in text


def test_pdf_leads_with_the_workers_answer_not_the_car():
    """Finding 1: Strambino, Ivrea, 4 h goes cheaper by train; the PDF used to lead with the car's 355 €."""
    worker = pd.DataFrame([{"home_istat": "001269", "site": "ivrea", "hours_per_day": 4, "days_per_week": 5}])
    row = evaluate(worker, Scenario(), default_parameters(), ON, default_gazetteer(), load_sites()).iloc[0]
    assert row["best_mode"] == "transit" and row["extra_car_cash_eur_month"] > row["extra_transit_eur_month"]
    data = worker_pdf(row.to_dict(), {"town": "Strambino (TO)", "office": "Ivrea", "hours": 4, "days": 5},
                      default_parameters(), ON, "it")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    headline = headline_text(row, "it")
    assert headline.startswith("Con treno e bus: ") and " ".join(headline.split()) in text
    assert format_value("extra_best_eur_month", row["extra_transit_eur_month"], "it") in headline
    assert format_value("extra_best_eur_month", row["extra_car_cash_eur_month"], "it") not in headline
    # moving is weighed against the train, not the car (finding 2)
    assert "rispetto a treno e bus, trasferirsi costa" in text


def test_workbook_sheets_totals_and_no_formulas():
    """Finding 4: one workbook, in the page's language, numbers as numbers with formats, comune names."""
    import openpyxl

    from impact.exports import worker_table
    from impact.report import workforce_xlsx
    from impact.scenarios import summarise

    workers = pd.DataFrame({"home_istat": ["001269", "005005"], "site": ["ivrea", "asti"], "hours_per_day": [6, 4],
                            "days_per_week": [5, 5], "net_monthly_eur": [np.nan, 812.5]})
    results = evaluate(workers, Scenario(), default_parameters(), ON, default_gazetteer(), load_sites())
    summary = summarise(results, Scenario())
    rejected = pd.DataFrame({"line": [7], "reason": ["=HYPERLINK(\"http://x\")"]})
    table = worker_table(workers, results, default_gazetteer())
    book = openpyxl.load_workbook(io.BytesIO(workforce_xlsx(table, {"Scenario A": summary}, default_parameters(), ON,
                                                            rejected, "it")))
    assert book.sheetnames == ["Riepilogo", "Lavoratori", "Righe scartate", "Fonti", "Piano spostamenti", "Versione"]
    rows = {r[0]: r[1] for r in book["Riepilogo"].iter_rows(min_row=2, values_only=True)}
    assert rows["Lavoratori"] == 2
    assert rows["Costo totale a carico dei lavoratori, all'anno"] == pytest.approx(summary["total_extra_eur_year"])
    assert book["Righe scartate"]["B2"].value == "'=HYPERLINK(\"http://x\")"
    sheet = book["Lavoratori"]
    assert sheet.max_row == 3
    header = [c.value for c in sheet[1]]
    assert "Comune" in header and "Sede" in header and "In più al mese (€)" in header
    assert header.count("Stipendio netto mensile (€)") == 1           # the take-home used, once
    assert not any(h.endswith("_eur_month") or h.endswith("_min") for h in header)   # no internal names
    values = {h: c for h, c in zip(header, sheet[3])}
    assert values["Comune"].value == "Asti" and values["Sede"].value == "Asti"
    assert values["Stipendio netto mensile (€)"].value == 812.5 and values["In più al mese (€)"].number_format == "#,##0.00"
    assert values["Modo della risposta"].value in ("auto", "mezzi pubblici")
    sources = [r[0] for r in book["Fonti"].iter_rows(min_row=2, values_only=True)]
    assert "rights.inps_transfer.max_distance_km" in sources
    english = openpyxl.load_workbook(io.BytesIO(workforce_xlsx(table, {"A": summary}, default_parameters(), ON,
                                                               rejected, "en")))
    assert english.sheetnames == ["Summary", "Workers", "Rejected rows", "Sources", "Mobility plan", "Version"]


def test_union_pdf_has_the_scenarios_and_no_worker_rows():
    from impact.report import workforce_pdf
    from impact.scenarios import by_comune, summarise

    workers = pd.DataFrame({"home_istat": ["001269", "001269", "005005"], "site": ["ivrea", "ivrea", "asti"],
                            "hours_per_day": [6, 4, 6], "days_per_week": [5, 5, 5]})
    results = evaluate(workers, Scenario(), default_parameters(), ON, default_gazetteer(), load_sites())
    table = by_comune(results, workers, {p.istat: p.name for p in default_gazetteer().places})
    summaries = {"Scenario A": summarise(results, Scenario()), "Scenario B": summarise(results, Scenario())}
    reader = PdfReader(io.BytesIO(workforce_pdf(summaries, results, table, default_parameters(), ON, "it")))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 1
    assert "Scenario A Scenario B" in text and "Lavoratori 3 3" in text
    assert "Strambino Ivrea 2" in text and "EUR" not in text


def test_the_union_pdf_shows_every_summary_row_the_registry_puts_on_it():
    """Review item (issue 15): the one-page PDF kept its own list of summary rows, made before the
    transfer allowance came, so its company cost was on the page, the workbook and the CLI, not in
    the PDF. The registry (`scenarios.SUMMARY`) now says which rows the PDF has room for."""
    from impact.report import workforce_pdf
    from impact.scenario_run import run_scenario
    from impact.scenarios import SUMMARY, by_comune, format_summary, summary_label

    workers = pd.DataFrame({"home_istat": ["001269", "001125", "005005"], "site": ["ivrea", "ivrea", "asti"],
                            "hours_per_day": [6, 4, 6], "days_per_week": [5, 5, 5]})
    params = default_parameters()
    run = run_scenario(workers, Scenario(), params, ON, default_gazetteer(), load_sites(), transfer_eur=2000.0)
    # 3 workers worse off x (2,000 + 1,000 taxable x the employer rate): art. 51 c.7 TUIR, as in test_scenarios.
    cost = 3 * (2000 + 1000 * params.value("tax.social.employer_rate", ON))
    assert run.summary["company_cost_transfer_eur"] == pytest.approx(cost)
    table = by_comune(run.results, workers, {p.istat: p.name for p in default_gazetteer().places})
    reader = PdfReader(io.BytesIO(workforce_pdf({"A": run.summary}, run.results, table, params, ON, "it")))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())   # no-break spaces become spaces
    assert len(reader.pages) == 1
    shown = [row.key for row in SUMMARY if row.one_page]
    assert {"company_cost_transfer_eur", "transfer_net_eur_total"} <= set(shown)
    for key in shown:
        figure = " ".join(format_summary(key, run.summary[key], "it").split())
        assert f"{summary_label(key, 'it')} {figure}" in text, key
    assert summary_label("shuttle_riders", "it") not in text   # a row the registry keeps off the page


def test_the_trace_lists_a_toll_only_where_one_is_paid():
    from impact.report import trace
    params = default_parameters()
    asti = pd.DataFrame([{"home_istat": "005080", "site": "asti", "hours_per_day": 8, "days_per_week": 5,
                          "shift_start_min": 960, "shift_end_min": 1320}])   # Nizza Monferrato, by car
    row = evaluate(asti, Scenario(), params, ON, default_gazetteer(), load_sites()).iloc[0].to_dict()
    assert row["best_mode"] == "car" and row["car_tolls_new_eur_day"] == 0
    paths = trace(row, params, ON)
    assert "car.fuel.petrol_eur_per_l" in paths and not any(p.startswith("car.tolls.") for p in paths)
    assert "work.pay_defaults.full_time_net_monthly_eur" in paths
    assert "work.pay_defaults.part_time_net_monthly_eur" not in paths
