"""The worker's pictures: her day today and after the move, and what each way costs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from impact import charts, charts_data
from impact.places import Place, Site, destination
from impact.report_charts import worker_pdf_charts
from ui.common import lang, sites, t, transit_router


def chart_with_data(chart, shown: pd.DataFrame, name: str, room_px: int = 170) -> None:
    """A chart and, under it, the 'dati' download of exactly what it draws. `room_px`: height
    beyond the plot for its axis and legend (Streamlit sizes the whole element)."""
    spec = chart.to_dict()
    # The description becomes the chart's accessible name (its text alternative for screen readers).
    description = spec.pop("description", None)
    height = spec.get("height")
    st.vega_lite_chart(spec, width="stretch", alt=description,
                       height=height + room_px if isinstance(height, int) else "content")
    st.download_button(t("charts.data"), charts.csv_bytes(shown, lang()), f"{name}.csv", "text/csv",
                       key=f"data-{name}", icon=":material/table:", on_click="ignore")


def _legs(home: Place, site_id: str, details: dict) -> pd.DataFrame:
    return transit_router().journey_legs(home.lat, home.lon, site_id, details["shift_start_min"],
                                         details["shift_end_min"])


def worker_day(r: pd.Series, home: Place, office: Site, details: dict) -> None:
    """The day as a timeline per way, today and after; one line in words under it."""
    language = lang()
    legs = {"old": _legs(home, office.id, details), "new": _legs(home, destination(sites()).id, details)}
    segments = charts_data.day_segments({**r.to_dict(), "has_car": details["has_car"]}, legs,
                                        details["shift_start_min"], details["shift_end_min"])
    if segments.empty:
        return
    st.subheader(t("charts.day_title"))
    last = r["transit_last_leave_new"]
    chart, shown = charts.day_chart(segments, None if np.isnan(last) else float(last), language)
    best = charts_data.day_summary(segments, r["best_mode"]) or next(
        (s for s in (charts_data.day_summary(segments, m) for m in charts_data.MODES) if s), {})
    if best:
        st.markdown(charts.day_line(best, language))
    chart_with_data(chart, shown, "giornata")
    if not np.isnan(last) and r["transit_feasible_new"]:
        st.caption(t("charts.last_run_line", time=charts.hhmm(last)))


def worker_money(r: pd.Series, details: dict) -> None:
    """What each way costs a month, in parts, and the extra as a share of take-home pay."""
    language = lang()
    row = {**r.to_dict(), "has_car": details["has_car"]}
    parts = charts_data.money_parts(row)
    if parts.empty:
        return
    st.subheader(t("charts.money_title"))
    wear = st.toggle(t("charts.with_wear"), value=False, key="chart_wear")
    chart, shown = charts.money_chart(parts, language, with_wear=wear, second_car=bool(details["second_car"]))
    chart_with_data(chart, shown, "costi")
    shares = charts_data.pay_shares(row)
    if len(shares):
        st.markdown(f"**{t('charts.share_title')}**")
        chart, shown = charts.share_chart(shares, language)
        chart_with_data(chart, shown, "parte-della-paga", room_px=60)


def pdf_images(r: pd.Series, home: Place, office: Site, details: dict) -> list[bytes]:
    """The same day chart and money bars as PNGs for the worker's PDF."""
    return worker_pdf_charts(r.to_dict(), home.lat, home.lon, office.id, destination(sites()).id,
                             details["shift_start_min"], details["shift_end_min"], transit_router(), lang(),
                             has_car=details["has_car"], second_car=bool(details["second_car"]))
