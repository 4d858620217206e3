"""Reports: the one-page worker summary (PDF) and the union's workbook (Excel).

The PDF uses the core Helvetica font, which holds every Italian letter
(Latin-1) but not the euro sign or typographic dashes: those are written
"EUR" and "-" so the file opens anywhere with no font to embed.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from impact import i18n
from impact.evidence import stamp_line
from impact.horizon import add_horizon_sheet, horizon_rows
from impact.mobility_plan import add_mobility_sheet
from impact.params import Parameters
from impact.report_charts import add_images
from impact.version import add_stamp_sheet

# Characters outside Latin-1 that the page's formatting produces.
_LATIN1 = str.maketrans({"€": "EUR", "–": "-", "—": "-", "’": "'", "“": '"', "”": '"', "\u202f": " "})
REPORT_PARAMETERS = ("car.fuel.petrol_eur_per_l", "car.running_costs.consumption_real_l_per_100km",
                     "car.running_costs.aci_cost_per_km_small_hybrid_eur", "car.tolls.a5_torino_ivrea_eur",
                     "rights.inps_transfer.max_distance_km", "rights.inps_transfer.max_public_transport_minutes")


def _latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


class _Page(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(auto=False)
        self.set_margins(15, 14, 15)
        self.add_page()

    def line_text(self, text: str, size: float = 10, bold: bool = False, height: float = 5.2) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.multi_cell(0, height, _latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def row(self, cells: list[str], widths: list[float], bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 9.5)
        for text, width in zip(cells, widths):
            self.cell(width, 6, _latin1(text), border=1)
        self.ln(6)


def worker_pdf(result: dict, inputs: dict, params: Parameters, on: dt.date, lang: str = "it",
               charts: list[bytes] = ()) -> bytes:
    """One A4 page: inputs, the headline, car old vs new, time, moving, the INPS threshold, sources.

    `result` is one row of `evaluate()` (as a dict); `inputs` holds the labels shown
    for the town, office, hours and days. No name or address is ever printed.
    """
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    eur = lambda value: i18n.eur(value, lang, 0)  # noqa: E731
    km = lambda value: i18n.km(value, lang)  # noqa: E731
    page = _Page()
    page.line_text(t("report.title"), size=16, bold=True, height=8)
    page.line_text(t("report.subtitle", date=i18n.date(on, lang), town=inputs["town"], office=inputs["office"],
                     hours=i18n.number(inputs["hours"], lang, 0), days=i18n.number(inputs["days"], lang, 0)), size=9.5)
    page.ln(2)
    extra = result["extra_car_cash_eur_month"]
    page.line_text(t("report.headline", money=eur(extra), year=eur(12 * extra),
                     hours=i18n.number(result["extra_car_hours_month"], lang, 0),
                     share=i18n.number(100 * result["share_car_cash"], lang, 0),
                     pay=eur(result["net_monthly_eur"])), size=11.5, bold=True, height=6)
    page.ln(2)
    add_images(page, charts, width_mm=150)  # the page's day chart and money bars (impact.report_charts)
    widths = [70, 55, 55]
    page.row(["", t("report.today", site=inputs["office"]), t("report.after")], widths, bold=True)
    estimated = result["car_source_new"] == "estimate"
    minutes = lambda value: t("worker.minutes", minutes=i18n.number(value, lang, 0))  # noqa: E731
    new_km, new_minutes = km(result["car_km_new"]), minutes(result["car_min_new"])
    if estimated:
        new_km += f" ({i18n.number(result['car_km_low_new'], lang, 0)}-{km(result['car_km_high_new'])})"
        new_minutes += f" ({i18n.number(result['car_min_low_new'], lang, 0)}-{minutes(result['car_min_high_new'])})"
    page.row([t("worker.row_km"), km(result["car_km_old"]), new_km], widths)
    page.row([t("worker.row_minutes"), minutes(result["car_min_old"]), new_minutes], widths)
    page.row([t("worker.row_cash"), eur(result["car_cash_old"]), eur(result["car_cash_new"])], widths)
    page.row([t("worker.row_full"), eur(result["car_full_old"]), eur(result["car_full_new"])], widths)
    source = t("worker.source_estimate") if estimated else t("worker.source_ors")
    page.line_text(t("worker.car_source", source=source), size=8.5, height=4.5)
    page.ln(2)
    if result["transit_feasible_new"]:
        old = result["transit_min_old"]
        page.line_text(t("report.transit", minutes=minutes(result["transit_min_new"]),
                         minutes_old=minutes(old) if old == old else "-",
                         money=eur(result["extra_transit_eur_month"]),
                         inps=i18n.number(result["inps_minutes"], lang, 0)), size=10)
    else:
        page.line_text(t("worker.transit_none"), size=10)
    page.ln(1)
    page.line_text(t("report.move", rent=eur(result["move_rent_new_eur_month"]), one_off=eur(result["move_one_off_eur"]),
                     advantage=eur(result["move_advantage_eur_month"])), size=10)
    page.ln(1)
    threshold = params.value("rights.inps_transfer.max_distance_km", on)
    page.line_text(t("report.inps", km=threshold, straight=km(result["straight_km_new"]), road=km(result["car_km_new"])),
                   size=10)
    page.ln(2)
    page.line_text(t("report.sources"), size=10, bold=True)
    for path in REPORT_PARAMETERS:
        parameter = params.get(path)
        value = parameter.at(on)
        page.line_text(f"- {parameter.describe(lang)}: {i18n.number(value.value, lang, 2)} {parameter.unit} "
                       f"({i18n.date(value.valid_from, lang)}). {value.source.title} - {value.source.url}",
                       size=7.5, height=3.8)
    page.ln(2)
    page.line_text(stamp_line(on, lang), size=7.5, height=3.8)
    page.line_text(t("report.disclaimer"), size=8, height=4)
    return bytes(page.output())


# --------------------------------------------------------------------------- workforce workbook

# A cell starting with one of these is a formula to Excel and LibreOffice; a roster
# typed by someone else must never run one, so such text is written with a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with text that a spreadsheet would read as a formula made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def workforce_xlsx(results: pd.DataFrame, summaries: dict[str, dict], params: Parameters, on: dt.date,
                   rejected: pd.DataFrame | None = None, lang: str = "it", horizons: dict | None = None) -> bytes:
    """An Excel workbook for the table: summary by scenario, per-worker results, rejected rows, sources.

    `results` holds the per-worker rows (no names: rosters never carry them past the reader).
    """
    from openpyxl import Workbook  # imported here: only the union page's export needs it

    # Write-only: rows stream to the file instead of a cell object per value (200,000 rows: 6.2 GB before).
    book = Workbook(write_only=True)
    sheet = book.create_sheet("summary")
    names = list(summaries)
    sheet.append(["figure", *names])
    for key in summaries[names[0]]:
        sheet.append([key, *[safe_cell(summaries[n][key]) for n in names]])
    workers = book.create_sheet("workers")
    workers.append(list(results.columns))
    for row in results.itertuples(index=False):
        workers.append([safe_cell(_plain(v)) for v in row])
    if rejected is not None and len(rejected):
        sheet_rejected = book.create_sheet("rejected")
        sheet_rejected.append(list(rejected.columns))
        for row in rejected.itertuples(index=False):
            sheet_rejected.append([safe_cell(_plain(v)) for v in row])
    sources = book.create_sheet("sources")
    sources.append(["parameter", "value", "unit", "valid from", "source", "url", "last reviewed", "assumption"])
    for parameter in params:
        value = parameter.at(on) if parameter.values[0].valid_from <= on else parameter.values[0]
        sources.append([parameter.path, _plain(value.value), parameter.unit, value.valid_from.isoformat(),
                        safe_cell(value.source.title), value.source.url, parameter.last_reviewed.isoformat(),
                        parameter.assumption])
    if "best_mode" in results and "home_istat" in results:
        add_mobility_sheet(book, results, lang)
    if horizons:
        add_horizon_sheet(book, horizons, lang)
    add_stamp_sheet(book, on, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value):
    """numpy scalars and NaN as plain Python values a spreadsheet cell takes."""
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (np.isnan(value) or np.isinf(value)):
        return None
    return value


# --------------------------------------------------------------------------- workforce PDF

SUMMARY_ROWS = ("workers", "workers_worse_off", "median_extra_eur_month", "p90_extra_eur_month",
                "median_extra_hours_month", "total_extra_eur_year", "over_50km", "over_80min",
                "no_transit_for_shift", "over_10pct_pay", "over_20pct_pay", "company_cost_allowance_eur_year",
                "company_cost_pass_eur_year",
                "company_cost_shuttle_eur_year", "company_cost_hub_eur_year")
_MONEY = {"median_extra_eur_month", "p90_extra_eur_month", "total_extra_eur_year", "company_cost_allowance_eur_year",
          "company_cost_pass_eur_year",
          "company_cost_shuttle_eur_year", "company_cost_hub_eur_year"}


def workforce_pdf(summaries: dict[str, dict], results: pd.DataFrame, by_comune_table: pd.DataFrame,
                  params: Parameters, on: dt.date, lang: str = "it", charts: list[bytes] = (),
                  horizons: dict | None = None) -> bytes:
    """The case for the table: scenarios side by side, the spread of costs, the comuni most hit.

    `results` are scenario A's rows; no worker is named or listed one by one.
    """
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    page = _Page()
    page.line_text(t("report.union_title"), size=16, bold=True, height=8)
    page.line_text(t("report.union_subtitle", date=i18n.date(on, lang)), size=9.5)
    if any(s.get("modelled") for s in summaries.values()):
        page.line_text(t("union.model_banner"), size=9, bold=True)
    page.ln(2)
    names = list(summaries)
    widths = [100] + [80 / len(names)] * len(names)
    page.row([""] + names, widths, bold=True)
    for key in SUMMARY_ROWS:
        cells = [i18n.eur(summaries[n][key], lang, 0) if key in _MONEY else
                 i18n.number(summaries[n][key], lang, 0) for n in names]
        page.row([t(f"report.fig_{key}"), *cells], widths)
    page.ln(3)
    # the page's scenario comparison, distribution and map (impact.report_charts)
    add_images(page, charts, width_mm=160)
    page.ln(2)
    page.line_text(t("report.top_comuni", scenario=names[0]), size=10, bold=True)
    widths = [58, 20, 24, 39, 39]
    page.row([t("report.col_comune"), t("report.col_site"), t("report.col_workers"), t("report.col_eur"),
              t("report.col_hours")], widths, bold=True)
    for row in by_comune_table.head(8).itertuples():
        page.row([row.comune, row.site, str(row.workers), i18n.eur(row.median_extra_eur_month, lang, 0),
                  i18n.number(row.median_extra_hours_month, lang, 0)], widths)
    if horizons:
        _horizon_table(page, horizons, lang)
    page.ln(3)
    page.line_text(t("report.union_method"), size=8, height=4)
    page.line_text(stamp_line(on, lang), size=7.5, height=3.8)
    page.line_text(t("report.disclaimer"), size=8, height=4)
    return bytes(page.output())


def _horizon_table(page: "_Page", horizons: dict, lang: str) -> None:
    """Scenarios over the years (`impact.horizon.horizon_rows`), on a page of its own."""
    header, rows = horizon_rows(horizons, lang)
    page.add_page()
    page.line_text(i18n.t("package.horizon.title", lang), size=12, bold=True, height=7)
    page.set_font("Helvetica", "", 8.5)
    page.set_fill_color(255, 255, 255)  # whatever an earlier drawing left set
    with page.table(col_widths=(24, 16, 30, 30, 28, 28, 24), width=180, text_align="LEFT", line_height=4.5,
                    headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235))) as table:
        for cells in [header] + [[str(row[0]), str(row[1]),
                                  *[("" if v is None else i18n.eur(v, lang, 0)) for v in row[2:6]],
                                  "" if row[6] is None else str(row[6])] for row in rows]:
            line = table.row()
            for cell in cells:
                line.cell(_latin1(cell))
