"""Reports: the one-page worker summary (PDF) and the union's workbook (Excel).

The PDFs embed DejaVu Sans (``data/fonts/``, Bitstream Vera licence, see data/SOURCES.md),
which holds the euro sign and every Italian letter, so money reads "1.234 €" as on the page.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impact import i18n, results
from impact.evidence import stamp_line
from impact.exports import safe_cell
from impact.horizon import add_horizon_sheet, horizon_text
from impact.mobility_plan import add_mobility_sheet
from impact.params import Parameters
from impact.report_charts import add_images
from impact.version import add_stamp_sheet

if TYPE_CHECKING:
    from impact.pdf_font import Page


def _page() -> Page:
    """The one-page PDFs' page: wider margins and a fixed 5.2 mm line."""
    from impact.pdf_font import Page   # fpdf (19 MB) is loaded when a PDF is made, not with the page
    return Page(margins=(15, 14, 15), bottom=10, line_height=5.2)


def worker_pdf_inputs(town: str, office: str, hours: float, days: float, shift_start_min: float | None,
                      shift_end_min: float | None, lang: str) -> dict:
    """The labels `worker_pdf` prints for these inputs: the same for the page's button and ``worker --pdf``."""
    return {"town": town, "office": office, "hours": hours, "days": days,
            "notes": results.shift_notes(hours, shift_start_min, shift_end_min, lang)}


def worker_pdf(result: dict, inputs: dict, params: Parameters, on: dt.date, lang: str = "it",
               charts: list[bytes] = ()) -> bytes:
    """One A4 page: inputs, the headline, car old vs new, time, moving, the INPS threshold, sources.

    `result` is one row of `evaluate()` (as a dict); `inputs` holds the labels shown
    for the town, office, hours and days. No name or address is ever printed.
    """
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    eur = lambda value: i18n.eur(value, lang, 0)  # noqa: E731
    km = lambda value: i18n.km(value, lang)  # noqa: E731
    page = _page()
    page.text_line(t("report.title"), size=16, bold=True, height=8)
    page.text_line(t("report.subtitle", date=i18n.date(on, lang), town=inputs["town"], office=inputs["office"],
                     hours=i18n.number(inputs["hours"], lang, 0), days=i18n.number(inputs["days"], lang, 0)), size=9.5)
    page.ln(2)
    page.text_line(results.headline_text(result, lang), size=11.5, bold=True, height=6)
    for note in inputs.get("notes", ()):
        page.text_line(note, size=9, height=4.6)
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
    page.text_line(t("worker.car_source", source=source), size=8.5, height=4.5)
    page.ln(2)
    if result["transit_feasible_new"]:
        old = result["transit_min_old"]
        page.text_line(t("report.transit", minutes=minutes(result["transit_min_new"]),
                         minutes_old=minutes(old) if old == old else "-",
                         money=eur(result["extra_transit_eur_month"]),
                         inps=i18n.number(result["inps_minutes"], lang, 0)), size=10)
    else:
        page.text_line(t("worker.transit_none"), size=10)
    page.ln(1)
    advantage = result["move_advantage_eur_month"]
    page.text_line(t("report_answer.move_cheaper" if advantage > 0 else "report_answer.move_dearer",
                     rent=eur(result["move_rent_new_eur_month"]), one_off=eur(result["move_one_off_eur"]),
                     way=i18n.t(f"report_answer.against_{result['best_mode']}", lang),
                     amount=eur(abs(advantage))), size=10)
    page.ln(1)
    threshold = params.value("rights.inps_transfer.max_distance_km", on)
    page.text_line(t("report.inps", km=threshold, straight=km(result["straight_km_new"]), road=km(result["car_km_new"]))
                   + " " + t("report_answer.inps_minutes", minutes=i18n.number(result["inps_minutes"], lang, 0),
                             basis=results.inps_basis_text(result["inps_basis"], lang)), size=10)
    page.ln(2)
    page.text_line(t("report.sources"), size=10, bold=True)
    for path in trace(result, params, on, moving=False):
        parameter = params.get(path)
        value = parameter.at(on)
        page.text_line(f"- {parameter.describe(lang)}: {parameter_value(value.value, lang)} {i18n.unit(parameter.unit, lang)} "
                       f"({i18n.date(value.valid_from, lang)}). {value.source.title} - {value.source.url}",
                       size=7.5, height=3.8)
    page.ln(2)
    page.text_line(stamp_line(on, lang), size=7.5, height=3.8)
    page.text_line(t("report.disclaimer"), size=8, height=4)
    return bytes(page.output())


def parameter_value(value, lang: str) -> str:
    """A parameter's value for a reader: a yes/no flag in words, a number the local way."""
    if isinstance(value, bool):
        return i18n.t("results_fmt.yes" if value else "results_fmt.no", lang)
    return i18n.number(value, lang, 0 if float(value).is_integer() else 2)


def trace(result, params: Parameters, on: dt.date | None = None, moving: bool = True) -> list[str]:
    """The parameters behind the figures a worker is shown: her answer's way, pay, the INPS rule
    and, with `moving`, the move near Torino.

    The same list on the page's "how it is computed" and in the PDF, from the result registry.
    Of the default pay figures only the one she was given is listed; none when she typed her own.
    """
    shown = (*results.answer_columns(result["best_mode"]), *(("move_extra_eur_month",) if moving else ()),
             "rights_status")
    paths = results.trace_parameters(shown, params, fare_rail_km=result.get("fare_rail_km_new"))
    defaults = [p for p in paths if p.startswith("work.pay_defaults.")]
    used = [p for p in defaults if result["net_pay_is_default"] and on is not None
            and float(params.value(p, on)) == float(result["net_monthly_eur"])]
    no_tolls = not (result.get("car_tolls_old_eur_day", 0) or result.get("car_tolls_new_eur_day", 0))
    return [p for p in paths if (p not in defaults or p in used) and not (no_tolls and p.startswith("car.tolls."))]


# --------------------------------------------------------------------------- workforce workbook

_SOURCE_COLUMNS = ("parameter", "value", "unit", "valid_from", "source", "url", "last_reviewed", "assumption")


def workforce_xlsx(table: pd.DataFrame, summaries: dict[str, dict], params: Parameters, on: dt.date,
                   rejected: pd.DataFrame | None = None, lang: str = "it", horizons: dict | None = None) -> bytes:
    """The workbook for the table, in `lang`: summary by scenario, the workers, rejected rows, sources,
    the mobility plan, the package over time (when given) and the version stamp.

    `table` is `impact.exports.worker_table` (no names: rosters never carry them past the reader).
    Headers are the registry's labels, numbers stay numbers with a number format, codes and
    yes/no are written in words, offices by name. The union page and ``roster --out`` both call it.
    Write-only: rows stream to the file instead of a cell object per value (200,000 rows: 6.2 GB before).
    """
    from openpyxl import Workbook  # imported here: only the exports need it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    from impact.places import load_sites
    from impact.scenarios import SUMMARY_ROWS, summary_label

    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t("workbook.sheet_summary"))

    def formatted(target, value, number_format: str | None):
        if not number_format:
            return value
        cell = WriteOnlyCell(target, value=value)
        cell.number_format = number_format
        return cell

    names = list(summaries)
    sheet.column_dimensions["A"].width = 48
    sheet.append([t("workbook.figure"), *[safe_cell(n) for n in names]])
    for key, fmt in SUMMARY_ROWS:
        if key not in summaries[names[0]]:
            continue
        number_format = "#,##0" if fmt != "money" else "#,##0 €"
        sheet.append([summary_label(key, lang),
                      *[formatted(sheet, safe_cell(_plain(summaries[n].get(key))), number_format) for n in names]])

    workers = book.create_sheet(t("workbook.sheet_workers"))
    site_names = {s.id: s.name for s in load_sites().values()}
    headers, writers, formats = [], [], []
    for column in table.columns:
        headers.append(_header(column, lang))
        writers.append(_cell_writer(column, lang, site_names))
        formats.append(_number_format(column))
    for index in range(1, len(headers) + 1):
        workers.column_dimensions[get_column_letter(index)].width = 14
    workers.freeze_panes = "C2"
    workers.append(headers)
    for row in table.itertuples(index=False):
        workers.append([formatted(workers, safe_cell(write(_plain(v))), fmt)
                        for write, v, fmt in zip(writers, row, formats)])

    if rejected is not None:
        sheet_rejected = book.create_sheet(t("workbook.sheet_rejected"))
        sheet_rejected.append([t("workbook.col_line"), t("workbook.col_reason")])
        for row in rejected.itertuples(index=False):
            sheet_rejected.append([safe_cell(_plain(v)) for v in row])
    sources = book.create_sheet(t("workbook.sheet_sources"))
    sources.append([t(f"workbook.src_{c}") for c in _SOURCE_COLUMNS])
    date_format = "DD/MM/YYYY" if lang == "it" else "YYYY-MM-DD"
    for parameter in params:
        value = parameter.at(on) if parameter.values[0].valid_from <= on else parameter.values[0]
        sources.append([parameter.path, _plain(value.value), i18n.unit(parameter.unit, lang),
                        formatted(sources, value.valid_from, date_format),
                        safe_cell(value.source.title), value.source.url,
                        formatted(sources, parameter.last_reviewed, date_format),
                        t("results_fmt.yes" if parameter.assumption else "results_fmt.no")])
    if "best_mode" in table and "home_istat" in table:
        add_mobility_sheet(book, table, lang)
    if horizons:
        add_horizon_sheet(book, horizons, lang)
    add_stamp_sheet(book, on, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(column: str, lang: str) -> str:
    """A worker-sheet header: the registry's label of a result, the catalogue's of an input."""
    if column in results.BY_ID:
        return results.BY_ID[column].label(lang)
    return i18n.strings(lang).get(f"inputs.{column}", column)


def _cell_writer(column: str, lang: str, site_names: dict[str, str]):
    """How a worker-sheet cell of `column` is written: words for codes and flags, numbers as they are."""
    if column == "site":
        return lambda v: site_names.get(v, v)
    clock = column in ("shift_start_min", "shift_end_min") or (column in results.BY_ID
                                                               and results.BY_ID[column].format == results.CLOCK)
    if clock:  # a time of day, as the spreadsheet keeps one: a fraction of a day
        return lambda v: None if v is None else (v % 1440) / 1440
    if column in ("has_car", "second_car", "uses_motorway", "modelled"):
        return lambda v: None if v is None else i18n.t("results_fmt.yes" if v else "results_fmt.no", lang)
    c = results.BY_ID.get(column)
    if c is not None and c.format == results.FLAG:
        return lambda v: None if v is None else results.format_value(column, v, lang)
    if c is not None and c.format == results.CODE:
        if column == "inps_basis":
            return lambda v: None if v is None else results.inps_basis_text(v, lang)
        return lambda v: None if v is None else results.code_text(column, v, lang)
    return lambda v: v


def _number_format(column: str) -> str | None:
    c = results.BY_ID.get(column)
    if c is not None:
        return results.EXCEL_FORMATS.get(c.format)
    return {"hours_per_day": "0.0", "days_per_week": "0", "gross_monthly_eur": "#,##0.00",
            "shift_start_min": "hh:mm", "shift_end_min": "hh:mm",
            "tolls_eur_per_day": "#,##0.00", "housing_now_eur_month": "#,##0.00"}.get(column)


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

def workforce_pdf(summaries: dict[str, dict], results: pd.DataFrame, by_comune_table: pd.DataFrame,
                  params: Parameters, on: dt.date, lang: str = "it", charts: list[bytes] = (),
                  horizons: dict | None = None) -> bytes:
    """The case for the table: scenarios side by side, the spread of costs, the comuni most hit.

    `results` are scenario A's rows; no worker is named or listed one by one.
    """
    from impact.places import load_sites
    from impact.scenarios import SUMMARY, format_summary, summary_label

    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    site_names = {s.id: s.name for s in load_sites().values()}
    page = _page()
    page.text_line(t("report.union_title"), size=16, bold=True, height=8)
    page.text_line(t("report.union_subtitle", date=i18n.date(on, lang)), size=9.5)
    if any(s.get("modelled") for s in summaries.values()):
        page.text_line(t("union.model_banner"), size=9, bold=True)
    page.ln(2)
    names = list(summaries)
    widths = [100] + [80 / len(names)] * len(names)
    page.row([""] + names, widths, bold=True)
    for key in (row.key for row in SUMMARY if row.one_page):
        page.row([summary_label(key, lang), *[format_summary(key, summaries[n][key], lang) for n in names]], widths)
    page.ln(3)
    # the page's scenario comparison, distribution and map (impact.report_charts)
    add_images(page, charts, width_mm=160)
    page.ln(2)
    page.text_line(t("report.top_comuni", scenario=names[0]), size=10, bold=True)
    widths = [58, 20, 24, 39, 39]
    page.row([t("report.col_comune"), t("report.col_site"), t("report.col_workers"), t("report.col_eur"),
              t("report.col_hours")], widths, bold=True)
    for row in by_comune_table.head(8).itertuples():
        page.row([row.comune, site_names.get(row.site, row.site), str(row.workers), i18n.eur(row.median_extra_eur_month, lang, 0),
                  i18n.number(row.median_extra_hours_month, lang, 0)], widths)
    if horizons:
        _horizon_table(page, horizons, lang)
    page.ln(3)
    page.text_line(t("report.union_method"), size=8, height=4)
    page.text_line(stamp_line(on, lang), size=7.5, height=3.8)
    page.text_line(t("report.disclaimer"), size=8, height=4)
    return bytes(page.output())


def _horizon_table(page: Page, horizons: dict, lang: str) -> None:
    """Scenarios over the years (`impact.horizon.horizon_text`), on a page of its own."""
    header, rows = horizon_text(horizons, lang)
    page.add_page()
    page.text_line(i18n.t("package.horizon.title", lang), size=12, bold=True, height=7)
    page.set_fill_color(255, 255, 255)  # whatever an earlier drawing left set
    page.grid([header] + rows, [24, 16, 30, 30, 28, 28, 24], size=8.5)
