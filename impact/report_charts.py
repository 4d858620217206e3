"""The pages' charts as images in the PDFs: the same Altair specs, rendered by vl-convert.

`report.py` places the images with `add_images`; the PNGs are made here from the same
tables as the page's charts, so a PDF draws what the page draws.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping

import pandas as pd

from impact import areas, charts, charts_data, i18n
from impact.routing.typical import typical_legs

PAGE_WIDTH_MM = 180


def add_images(page, pngs: list[bytes], width_mm: float = PAGE_WIDTH_MM) -> None:
    """Each PNG `width_mm` wide under the text so far, on a new page when it does not fit; from here
    on the text that follows breaks onto a new page too instead of running off the bottom."""
    page.set_auto_page_break(auto=True, margin=page.t_margin)
    for image in pngs:
        width_px, height_px = struct.unpack(">II", image[16:24])  # the PNG header's IHDR size
        height_mm = width_mm * height_px / width_px
        if page.get_y() + height_mm > page.h - page.t_margin:
            page.add_page()
        page.image(io.BytesIO(image), x=(page.w - width_mm) / 2, w=width_mm)
        page.ln(2)


def worker_pdf_charts(result: Mapping, home_lat: float, home_lon: float, old_site_id: str, new_site_id: str,
                      shift_start_min: float, shift_end_min: float, router, lang: str, has_car: bool = True,
                      second_car: bool = False) -> list[bytes]:
    """The worker PDF's charts, from the legs of her shift's typical runs (the headline's): the page's
    button and ``worker --pdf`` both call it, so both PDFs are the same."""
    legs = {"old": typical_legs(router, home_lat, home_lon, old_site_id, shift_start_min, shift_end_min),
            "new": typical_legs(router, home_lat, home_lon, new_site_id, shift_start_min, shift_end_min)}
    return worker_chart_pngs({**result, "has_car": has_car}, legs, shift_start_min, shift_end_min, lang,
                             second_car=second_car)


def worker_chart_pngs(result: Mapping, legs: Mapping[str, pd.DataFrame | None], shift_start_min: float,
                      shift_end_min: float, lang: str, second_car: bool = False) -> list[bytes]:
    """The worker's day chart, money bars and pay-share bars as PNGs (empty list when nothing to draw)."""
    pngs = []
    segments = charts_data.day_segments(result, legs, shift_start_min, shift_end_min)
    if len(segments):
        last = float(result["transit_last_leave_new"])
        chart, _ = charts.day_chart(segments, None if last != last else last, lang)
        pngs.append(charts.png(chart.properties(title=i18n.t("charts.day_title", lang))))
    parts = charts_data.money_parts(result)
    if len(parts):
        chart, _ = charts.money_chart(parts, lang, with_wear=False, second_car=second_car)
        pngs.append(charts.png(chart.properties(title=i18n.t("charts.money_title", lang))))
    shares = charts_data.pay_shares(result)
    if len(shares):
        chart, _ = charts.share_chart(shares, lang)
        pngs.append(charts.png(chart.properties(title=i18n.t("charts.share_title", lang))))
    return pngs


def workforce_chart_pngs(summaries: Mapping[str, Mapping], results: pd.DataFrame, workers: pd.DataFrame,
                         lang: str, bins: tuple[float, float, float] = (25.0, -200.0, 800.0)) -> list[bytes]:
    """The scenario comparison, the distribution (scenario `results`) and the map by comune, as PNGs."""
    comparison, _ = charts.thresholds_chart(charts_data.scenario_thresholds(summaries), {n: n for n in summaries}, lang)
    step, low, high = bins
    spread, _ = charts.distribution_chart(results["extra_best_eur_month"], step, low, high, lang)
    table = charts_data.by_comune_istat(results.reset_index(drop=True), workers.reset_index(drop=True))
    area_map = charts.map_chart(areas.choropleth(table, "median_extra_eur_month"), lang,
                                i18n.t("charts.map_areas_note", lang))
    first = next(iter(summaries))
    return [charts.png(comparison.properties(title=i18n.t("charts.scenario_title", lang))),
            charts.png(spread.properties(title=i18n.t("report.histogram", lang, scenario=first))),
            charts.png(area_map.properties(title=i18n.t("charts.union_map_title", lang)), scale=1.5)]
