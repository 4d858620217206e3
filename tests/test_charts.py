"""The chart specs and the PDFs' images: integer counts, Italian numbers, nothing on the edges."""

import datetime as dt
import io

import numpy as np
import pandas as pd
from pypdf import PdfReader

from impact import charts, charts_data
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.report import workforce_pdf, worker_pdf
from impact.report_charts import workforce_chart_pngs, worker_chart_pngs
from impact.routing.transit import default_router
from impact.scenarios import by_comune, summarise
from tests.test_charts_data import NEW_LEGS, OLD_LEGS, RESULT


def axis(spec: dict, channel: str) -> dict:
    return spec["encoding"][channel]["axis"]


def test_a_five_worker_roster_counts_whole_workers():
    spec = charts.distribution_chart([10, 20, 30, 40, 900], 25, -200, 800, "it")[0].to_dict()
    assert axis(spec, "y")["values"] == [0, 1, 2]  # 10, 20 | 30, 40 | 900 over and axis(spec, "y")["format"] == "d"


def test_the_overflow_bin_is_labelled_and_drawn_past_the_axis_end():
    chart, shown = charts.distribution_chart([10, 20, 900, 1500], 25, -200, 800, "it")
    last = shown.iloc[-1]
    assert last.iloc[0].replace("\u00a0", " ") == "800 € e oltre (fino a 1.500 €)" and last.iloc[3] == 2
    spec = chart.to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == [-25, 825]   # the axis starts at the data's 0, ends at 800
    assert spec["description"].replace("\u00a0", " ").startswith(
        "4 lavoratori; costo in più mediano 460 € al mese; da 10 € a 1.500 €; 0 sotto 0 € e 2 da 800 € in su")


def test_numbers_follow_the_language():
    it = charts.share_chart(charts_data.pay_shares(RESULT), "it")[0].to_dict()
    en = charts.share_chart(charts_data.pay_shares(RESULT), "en")[0].to_dict()
    assert it["config"]["locale"]["number"]["decimal"] == "," and it["config"]["locale"]["number"]["thousands"] == "."
    assert en["config"]["locale"]["number"]["decimal"] == "."


def test_the_data_csv_is_what_is_drawn_in_italian_style():
    _, shown = charts.money_chart(charts_data.money_parts(RESULT), "it", with_wear=True)
    text = charts.csv_bytes(shown, "it").decode("utf-8-sig")
    assert text.splitlines()[0] == "modo e periodo;voce;€ al mese"
    assert "Auto, dopo;pedaggi;180,0" in text.replace("\u00a0", " ")
    _, without = charts.money_chart(charts_data.money_parts(RESULT), "it", with_wear=False)
    assert "usura" not in charts.csv_bytes(without, "it").decode("utf-8-sig")


def test_the_day_line_in_words():
    day = charts_data.day_segments(RESULT, {"old": OLD_LEGS, "new": NEW_LEGS}, 540, 780)
    assert charts.day_line(charts_data.day_summary(day, "transit"), "en") == (
        "By public transport: you leave 1 h 21 earlier and you are home 59 min later "
        "(today 08:00–13:41, after 06:39–14:40).")
    assert charts.day_line(charts_data.day_summary(day, "car"), "it").startswith("In auto: esci 35 min prima e sei a casa 35 min dopo")


def images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdfs_carry_the_pages_charts():
    today = dt.date.today()
    places, sites, params, router = default_gazetteer(), load_sites(), default_parameters(), default_router(today)
    home = places.resolve("Strambino")
    workers = pd.DataFrame([{"home_istat": home.istat, "site": "ivrea", "hours_per_day": 4, "days_per_week": 5,
                             "shift_start_min": 540, "shift_end_min": 780},
                            {"home_istat": places.resolve("Nizza Monferrato").istat, "site": "asti",
                             "hours_per_day": 6, "days_per_week": 5, "shift_start_min": 540, "shift_end_min": 900}])
    results = evaluate(workers, Scenario(), params, today, places, sites, None, transit=router)
    r = results.iloc[0].to_dict()
    legs = {p: router.journey_legs(home.lat, home.lon, s, 540, 780) for p, s in (("old", "ivrea"), ("new", "torino"))}
    pngs = worker_chart_pngs(r, legs, 540, 780, "it")
    assert len(pngs) == 3 and all(p.startswith(b"\x89PNG") for p in pngs)
    pdf = worker_pdf(r, {"town": home.label, "office": "Ivrea", "hours": 4, "days": 5}, params, today, "it", pngs)
    assert images(pdf) == 3
    summaries = {"A": summarise(results, Scenario(), False, {})}
    names = {p.istat: p.name for p in places.places}
    case = workforce_pdf(summaries, results, by_comune(results, workers, names), params, today, "it",
                         workforce_chart_pngs(summaries, results, workers, "it"))
    assert images(case) == 3
    assert np.isfinite(results["transit_rail_eur_new"]).all()


def test_the_page_charts_name_the_vega_lite_version_of_the_pinned_altair_and_load_no_pdf_or_chart_library():
    import subprocess
    import sys

    import altair

    assert charts.VEGA_LITE_SCHEMA == altair.SCHEMA_URL
    # The worker page draws the specs as dicts: Altair (26 MB of a server's memory) is loaded only
    # where an Altair chart is made (the union page, the PDFs' pictures).
    # fpdf (19 MB) likewise: loaded when a PDF is made, not with the modules that make them.
    probe = ("import sys, impact.charts, impact.report, impact.evidence, impact.notice_sheet; "
             "print(sorted({'altair', 'fpdf', 'vl_convert'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


def test_the_union_pages_kept_specs_are_valid_vega_lite_with_their_rows():
    """The union page builds its charts' specs once and draws them as Vega-Lite with the data in Arrow
    (Streamlit no longer validates an Altair chart on every rerun): each spec, its Arrow read back
    into rows, passes the Vega-Lite schema, and the histogram's rows count every worker once."""
    import pyarrow as pa
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import core

    from ui.charts_union import _distribution, _thresholds, sensitivity_spec
    from ui.package_blocks import _horizon_specs

    schema = core.load_schema()
    rows_of = lambda spec: {name: pa.ipc.open_stream(data).read_all().to_pylist()  # noqa: E731
                            for name, data in spec["datasets"].items()}
    extra = np.array([-250.0, 10.0, 12.0, 140.0, 900.0])
    histogram, _ = _distribution(extra, "it")
    assert sum(r["count"] for rows in rows_of(histogram).values() for r in rows) == 5
    threshold_rows = pd.DataFrame({"site": ["ivrea", "asti"], "threshold": ["over_50km", "over_50km"],
                                   "workers": [3, 1], "of": [4, 2]})
    bars, _ = _thresholds(threshold_rows, (("ivrea", "Ivrea"), ("asti", "Asti")), "en")
    horizon = pd.DataFrame({"scenario": ["A", "A"], "year": [1, 1], "measure": ["company_cost_eur", "workers_loss_eur"],
                            "eur": [1000.0, 2500.0]})
    grid = pd.DataFrame({"fuel_eur_per_l": [1.5, 1.6], "smart_days": [0.0, 0.0], "total_extra_eur_year": [1e6, 1.1e6]})
    for spec in (histogram, bars, *_horizon_specs(horizon, "it"), sensitivity_spec(grid, "it")):
        validate_jsonschema({**spec, "datasets": rows_of(spec)}, schema)
