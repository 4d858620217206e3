"""The worker's pictures: her day today and after the move, and what each way costs."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from impact import charts, charts_data
from impact.places import Place, Site, destination
from impact.report_charts import worker_pdf_charts
from ui.common import journey_legs, lang, sites, t, transit_router


def _spec(build, *args, **kwargs) -> tuple[dict, pd.DataFrame]:
    """`build(*args, **kwargs)` of impact.charts as (Vega-Lite spec, shown table), not checked against the
    Vega-Lite schema: on a page rerun the check cost more than the chart (impact/charts.py's tests check
    the same builders' specs). Altair's switch is global; a rerun that overlaps another at worst also skips it."""
    with alt.utils.schemapi.debug_mode(False):
        chart, shown = build(*args, **kwargs)
        return chart.to_dict(validate=False), shown


def chart_with_data(spec: dict, shown: pd.DataFrame, name: str, room_px: int = 170) -> None:
    """A chart's spec and, under it, the 'dati' download of exactly what it draws. `room_px`: height
    beyond the plot for its axis and legend (Streamlit sizes the whole element)."""
    spec = dict(spec)
    # The description becomes the chart's accessible name (its text alternative for screen readers).
    description = spec.pop("description", None)
    height = spec.get("height")
    st.vega_lite_chart(spec, width="stretch", alt=description,
                       height=height + room_px if isinstance(height, int) else "content")
    language = lang()
    st.download_button(t("charts.data"), lambda: charts.csv_bytes(shown, language), f"{name}.csv", "text/csv",
                       key=f"data-{name}", icon=":material/table:", on_click="ignore")


# The charts' specs are built once per what they draw (st.cache_data keyed on those inputs only, in memory):
# building and writing the Altair charts was most of the worker page's rerun.
@st.cache_data(max_entries=64, show_spinner=False)
def _day(home_lat: float, home_lon: float, office_id: str, new_id: str, shift_start_min: int, shift_end_min: int,
         drawn: tuple, language: str) -> tuple[dict, pd.DataFrame, dict] | None:
    """The day chart's spec, its table and the summary line's figures; `drawn`: the result's fields it reads."""
    row = dict(drawn)
    legs = {"old": journey_legs(home_lat, home_lon, office_id, shift_start_min, shift_end_min),
            "new": journey_legs(home_lat, home_lon, new_id, shift_start_min, shift_end_min)}
    segments = charts_data.day_segments(row, legs, shift_start_min, shift_end_min)
    if segments.empty:
        return None
    last = row["transit_last_leave_new"]
    spec, shown = _spec(charts.day_chart, segments, None if np.isnan(last) else float(last), language)
    best = charts_data.day_summary(segments, row["best_mode"]) or next(
        (s for s in (charts_data.day_summary(segments, m) for m in charts_data.MODES) if s), {})
    return spec, shown, best


_DAY_FIELDS = ("car_min_old", "car_min_new", "transit_feasible_old", "transit_feasible_new", "transit_last_leave_new",
               "best_mode")


def worker_day(r: pd.Series, home: Place, office: Site, details: dict) -> None:
    """The day as a timeline per way, today and after; one line in words under it."""
    language = lang()
    drawn = tuple((k, r[k]) for k in _DAY_FIELDS) + (("has_car", details["has_car"]),)
    day = _day(home.lat, home.lon, office.id, destination(sites()).id, details["shift_start_min"],
               details["shift_end_min"], drawn, language)
    if day is None:
        return
    spec, shown, best = day
    st.subheader(t("charts.day_title"))
    if best:
        st.markdown(charts.day_line(best, language))
    chart_with_data(spec, shown, "giornata")
    last = r["transit_last_leave_new"]
    if not np.isnan(last) and r["transit_feasible_new"]:
        st.caption(t("charts.last_run_line", time=charts.hhmm(last)))


@st.cache_data(max_entries=64, show_spinner=False)
def _money(parts: pd.DataFrame, language: str, wear: bool, second_car: bool) -> tuple[dict, pd.DataFrame]:
    return _spec(charts.money_chart, parts, language, with_wear=wear, second_car=second_car)


@st.cache_data(max_entries=64, show_spinner=False)
def _shares(shares: pd.DataFrame, language: str) -> tuple[dict, pd.DataFrame]:
    return _spec(charts.share_chart, shares, language)


def worker_money(r: pd.Series, details: dict) -> None:
    """What each way costs a month, in parts, and the extra as a share of take-home pay."""
    row = {**r.to_dict(), "has_car": details["has_car"]}
    parts = charts_data.money_parts(row)
    if parts.empty:
        return
    st.subheader(t("charts.money_title"))
    _money_bars(parts, bool(details["second_car"]))
    shares = charts_data.pay_shares(row)
    if len(shares):
        st.markdown(f"**{t('charts.share_title')}**")
        chart_with_data(*_shares(shares, lang()), "parte-della-paga", room_px=60)


@st.fragment
def _money_bars(parts: pd.DataFrame, second_car: bool) -> None:
    """The money bars with their wear switch: the switch redraws these bars only, not the page."""
    wear = st.toggle(t("charts.with_wear"), value=False, key="chart_wear")
    chart_with_data(*_money(parts, lang(), wear, second_car), "costi")


def pdf_images(r: pd.Series, home: Place, office: Site, details: dict) -> list[bytes]:
    """The same day chart and money bars as PNGs for the worker's PDF."""
    return worker_pdf_charts(r.to_dict(), home.lat, home.lon, office.id, destination(sites()).id,
                             details["shift_start_min"], details["shift_end_min"], transit_router(), lang(),
                             has_car=details["has_car"], second_car=bool(details["second_car"]))
