"""A sheet per closing office and common shift for the notice board: what the move costs from each comune.

For each closing office and each of its most common shift starts, a printable table of the
comuni where its staff live (from a roster or the modelled workforce): straight-line and
road km, car and public-transport minutes, the extra cost a month for 4, 6 and 8 hours a
day, whether the INPS rule applies, and a QR code that opens the worker page already
filled for that comune and office (`impact.share.share_url`). It reaches workers who will
not open an app. Every figure is an `evaluate()` row of a worker "like" those of the comune:
the union-quoted pay for the hours, a car, the shift's start.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import segno

from impact import i18n
from impact.evidence import hhmm, stamp_line
from impact.model import Scenario, default_shift_start_min, evaluate
from impact.params import Parameters, default_parameters
from impact.places import Gazetteer, Site, destination
from impact.share import share_url

if TYPE_CHECKING:
    from impact.pdf_font import Page


HOURS = (4, 6, 8)
SHIFTS_PER_OFFICE = 2      # the most common shift starts of each office
MAX_COMUNI = 30            # comuni per table, most colleagues first
QR_MM = 13.0
DEFAULT_APP_URL = "http://localhost:8501"  # the CLI's default; the page passes its own address


def common_shifts(workers: pd.DataFrame, site: str, count: int = SHIFTS_PER_OFFICE,
                  default_start_min: float | None = None) -> list[int]:
    """The `count` most frequent shift starts of an office [minutes after midnight].

    A worker without a shift starts at `default_start_min`; None: the model's default
    (``work.shift.default_start_min`` today).
    """
    if default_start_min is None:
        default_start_min = default_shift_start_min(default_parameters(), dt.date.today())
    starts = (pd.to_numeric(workers.loc[workers["site"] == site, "shift_start_min"], errors="coerce")
              if "shift_start_min" in workers else pd.Series(dtype=float))
    starts = starts.fillna(default_start_min).astype(int)
    top = starts.value_counts(sort=True).index[:count].tolist()
    return top or [int(default_start_min)]


def comune_table(workers: pd.DataFrame, site: str, shift_start_min: int, params: Parameters, on: dt.date,
                 gazetteer: Gazetteer, sites: dict[str, Site], router=None, transit=None,
                 max_comuni: int = MAX_COMUNI) -> tuple[pd.DataFrame, int]:
    """One row per comune of the office's staff (most colleagues first) and how many comuni were left out.

    Columns: istat, comune, workers, straight_km, road_km, car_min, transit_min (NaN: no journey
    fits), extra_eur_month_4h/6h/8h (the cheaper way), share_pay_4h/6h/8h (of the union-quoted take-home
    pay for those hours), inps_status (yes/borderline/no).
    """
    counts = workers.loc[workers["site"] == site, "home_istat"].astype(str).value_counts()
    shown = counts.iloc[:max_comuni]
    istat = np.repeat(shown.index.to_numpy(), len(HOURS))
    hours = np.tile(np.asarray(HOURS, dtype=float), len(shown))
    rows = pd.DataFrame({"home_istat": istat, "site": site, "hours_per_day": hours, "days_per_week": 5.0,
                         "shift_start_min": float(shift_start_min), "shift_end_min": shift_start_min + 60 * hours})
    r = evaluate(rows, Scenario(), params, on, gazetteer, sites, router, transit=transit) if len(rows) else None
    table = []
    for i, code in enumerate(shown.index):
        block = r.iloc[len(HOURS) * i: len(HOURS) * (i + 1)] if r is not None else None
        first = block.iloc[HOURS.index(6)]
        table.append({"istat": code, "comune": gazetteer.by_istat(code).name, "workers": int(shown[code]),
                      "straight_km": float(first["straight_km_new"]), "road_km": float(first["car_km_new"]),
                      "car_min": float(first["car_min_new"]), "transit_min": float(first["transit_min_new"]),
                      **{f"extra_eur_month_{h}h": float(block.iloc[k]["extra_best_eur_month"])
                         for k, h in enumerate(HOURS)},
                      **{f"share_pay_{h}h": float(block.iloc[k]["share_best"]) for k, h in enumerate(HOURS)},
                      "inps_status": str(first["rights_status"])})
    return pd.DataFrame(table), int(len(counts) - len(shown))


def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG (segno, error correction M, dark on white)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def notice_pdf(workers: pd.DataFrame, params: Parameters, on: dt.date, gazetteer: Gazetteer,
               sites: dict[str, Site], base_url: str, lang: str = "it", modelled: bool = False,
               router=None, transit=None, max_comuni: int = MAX_COMUNI) -> bytes:
    """The notice-board sheets: one table per closing office and common shift, landscape A4."""
    t = lambda key, **values: i18n.t(f"package.notice.{key}", lang, **values)  # noqa: E731
    number = lambda value, d=0: "—" if value != value else i18n.number(value, lang, d)  # noqa: E731
    new = destination(sites)
    from impact.pdf_font import Page   # fpdf (19 MB) is loaded when a PDF is made, not with the page
    page = Page(orientation="L")
    first_page = True
    for site in [s for s in sites.values() if not s.is_destination and (workers["site"] == s.id).any()]:
        for start in common_shifts(workers, site.id, default_start_min=default_shift_start_min(params, on)):
            table, left_out = comune_table(workers, site.id, start, params, on, gazetteer, sites, router, transit,
                                           max_comuni)
            if not first_page:
                page.add_page()
            first_page = False
            page.text_line(t("title", office=site.name, start=hhmm(start)), size=14, bold=True, height=7)
            page.text_line(t("intro", office=site.name, new=new.name, start=hhmm(start)), size=9.5)
            if modelled:
                page.text_line(t("modelled"), size=9, bold=True)
            page.ln(1)
            _table(page, table, site.id, base_url, t, number, lang)
            if left_out:
                page.text_line(t("left_out", count=left_out), size=8.5)
            page.text_line(t("notes"), size=7.5)
            page.text_line(stamp_line(on, lang) + " · " + i18n.t("package.not_advice", lang), size=7.5)
    return bytes(page.output())


WIDTHS = (50, 20, 22, 20, 18, 22, 25, 25, 25, 22, 20)


def _table(page: Page, table: pd.DataFrame, site_id: str, base_url: str, t, number, lang: str) -> None:
    """Header and rows, each row as tall as its QR code; a new page repeats the header."""
    header = [t("col_comune"), t("col_workers"), t("col_straight"), t("col_road"), t("col_car"), t("col_transit"),
              *[t("col_extra", hours=h) for h in HOURS], t("col_inps"), t("col_qr")]

    def draw_header() -> None:
        page.style(7.5, bold=True)
        page.set_fill_color(235, 235, 235)
        x, y = page.get_x(), page.get_y()
        for text, width in zip(header, WIDTHS):
            page.rect(x, y, width, 8.5, style="DF")
            page.set_xy(x + 0.8, y + 0.6)
            page.multi_cell(width - 1.6, 3.6, page.plain(text), align="L")
            x += width
        page.set_xy(page.l_margin, y + 8.5)

    draw_header()
    row_h = QR_MM + 1
    for row in table.itertuples():
        if page.get_y() + row_h > page.h - page.b_margin - 12:
            page.add_page()
            draw_header()
        cells = [row.comune, str(row.workers), number(row.straight_km, 1), number(row.road_km, 1), number(row.car_min),
                 number(row.transit_min) if row.transit_min == row.transit_min else t("no_transit"),
                 *[f"{i18n.eur(getattr(row, f'extra_eur_month_{h}h'), lang, 0)} "
                   f"({i18n.number(100 * getattr(row, f'share_pay_{h}h'), lang, 0)}\u00a0%)" for h in HOURS],
                 t(f"inps_{row.inps_status}")]
        x, y = page.l_margin, page.get_y()
        page.style(9, bold=False)
        for text, width in zip(cells, WIDTHS):
            page.rect(x, y, width, row_h)
            page.set_xy(x + 0.8, y + row_h / 2 - 2)
            page.cell(width - 1.6, 4, page.plain(text))
            x += width
        page.rect(x, y, WIDTHS[-1], row_h)
        page.image(io.BytesIO(qr_png(share_url(base_url, row.istat, site_id))), x=x + (WIDTHS[-1] - QR_MM) / 2,
                   y=y + 0.5, w=QR_MM, h=QR_MM)
        page.set_xy(page.l_margin, y + row_h)
    page.ln(2)
