"""The worker's pictures: her day today and after the move, and what each way costs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from impact import charts, charts_data, i18n
from impact.places import Place, Site, destination
from impact.report_charts import worker_chart_pngs
from ui.common import journey_legs, sites, today


def arrow_datasets(spec: dict) -> dict:
    """The spec with its datasets written as Arrow here, once, as st.vega_lite_chart would write them on
    every draw."""
    return {**spec, "datasets": {name: _arrow(values) for name, values in spec.get("datasets", {}).items()}}


def _arrow(records: list[dict]) -> bytes:
    """Rows as an Arrow IPC stream, the form st.vega_lite_chart sends a dataset in."""
    table = pa.Table.from_pylist(records)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def chart_with_data(spec: dict, shown: pd.DataFrame, name: str, language: str, room_px: int = 170, out=st) -> None:
    """A chart's spec and, under it, the 'dati' download of exactly what it draws, in `language`. `room_px`:
    height beyond the plot for its axis and legend (Streamlit sizes the whole element); `out`: the page or
    a `ui.blocks.Blocks`."""
    spec = dict(spec)
    # The description becomes the chart's accessible name (its text alternative for screen readers).
    description = spec.pop("description", None)
    height = spec.get("height")
    out.vega_lite_chart(spec, width="stretch", alt=description,
                        height=height + room_px if isinstance(height, int) else "content")
    out.download_button(i18n.t("charts.data", language), lambda: charts.csv_bytes(shown, language), f"{name}.csv",
                        "text/csv", key=f"data-{name}", icon=":material/table:", on_click="ignore")


# The charts' specs are built once per what they draw (keyed on those inputs only, in memory, shared and
# never changed: chart_with_data draws a copy): building and writing the Altair charts was most of the
# worker page's rerun.
@st.cache_resource(max_entries=64, show_spinner=False)
def _day(home_lat: float, home_lon: float, office_id: str, new_id: str, shift_start_min: int, shift_end_min: int,
         drawn: tuple, language: str, on: dt.date) -> tuple[dict, pd.DataFrame, dict] | None:
    """The day chart's spec, its table and the summary line's figures; `drawn`: the result's fields it reads;
    `on`: the day whose journeys are drawn (today's)."""
    row = dict(drawn)
    legs = {"old": journey_legs(home_lat, home_lon, office_id, shift_start_min, shift_end_min),
            "new": journey_legs(home_lat, home_lon, new_id, shift_start_min, shift_end_min)}
    segments = charts_data.day_segments(row, legs, shift_start_min, shift_end_min)
    if segments.empty:
        return None
    last = row["transit_last_leave_new"]
    spec, shown = charts.day_spec(segments, None if np.isnan(last) else float(last), language)
    spec = arrow_datasets(spec)
    best = charts_data.day_summary(segments, row["best_mode"]) or next(
        (s for s in (charts_data.day_summary(segments, m) for m in charts_data.MODES) if s), {})
    return spec, shown, best


_DAY_FIELDS = ("car_min_old", "car_min_new", "transit_feasible_old", "transit_feasible_new", "transit_last_leave_new",
               "best_mode")


def worker_day(out, r: pd.Series, home: Place, office: Site, details: dict, language: str) -> None:
    """The day as a timeline per way, today and after; one line in words under it (into `out`, a
    `ui.blocks.Blocks`), in `language`."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    drawn = tuple((k, r[k]) for k in _DAY_FIELDS) + (("has_car", details["has_car"]),)
    day = _day(home.lat, home.lon, office.id, destination(sites()).id, details["shift_start_min"],
               details["shift_end_min"], drawn, language, today())
    if day is None:
        return
    spec, shown, best = day
    out.subheader(t("charts.day_title"))
    if best:
        out.markdown(charts.day_line(best, language))
    chart_with_data(spec, shown, "giornata", language, out=out)
    last = r["transit_last_leave_new"]
    if not np.isnan(last) and r["transit_feasible_new"]:
        out.caption(t("charts.last_run_line", time=charts.hhmm(last)))


def _rows(table: pd.DataFrame) -> tuple:
    """A small table as a tuple (its columns, then its rows): a cache key far cheaper to hash than the frame."""
    return (tuple(table.columns),) + tuple(table.itertuples(index=False, name=None))


def _table(rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows[1:]), columns=list(rows[0]))


@st.cache_resource(max_entries=64, show_spinner=False)
def _money(parts: tuple, language: str, wear: bool, second_car: bool) -> tuple[dict, pd.DataFrame]:
    spec, shown = charts.money_spec(_table(parts), language, with_wear=wear, second_car=second_car)
    return arrow_datasets(spec), shown


@st.cache_resource(max_entries=64, show_spinner=False)
def _shares(shares: tuple, language: str) -> tuple[dict, pd.DataFrame]:
    spec, shown = charts.share_spec(_table(shares), language)
    return arrow_datasets(spec), shown


@st.cache_resource(max_entries=64, show_spinner=False)
def _money_tables(fields: tuple) -> tuple[tuple, tuple]:
    """`charts_data.money_parts` and `pay_shares` (as `_rows`) of the result's `fields`, once per those."""
    row = dict(fields)
    return _rows(charts_data.money_parts(row)), _rows(charts_data.pay_shares(row))


def worker_money(out, r: pd.Series, details: dict, language: str) -> None:
    """What each way costs a month, in parts, and the extra as a share of take-home pay (into `out`, in
    `language`)."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    row = {**r, "has_car": details["has_car"]}
    parts, shares = _money_tables(tuple((k, row[k]) for k in charts_data.MONEY_FIELDS))
    if len(parts) == 1:   # no rows: nothing costs anything
        return
    out.subheader(t("charts.money_title"))
    out.live(_money_bars, _MoneyBars(parts, bool(details["second_car"]), language))
    if len(shares) > 1:
        out.markdown(f"**{t('charts.share_title')}**")
        chart_with_data(*_shares(shares, language), "parte-della-paga", language, room_px=60, out=out)


class _MoneyBars:
    """The money bars of one answer, with and without the car's wear: each spec looked up once, then kept
    (a rerun does not hash the parts again)."""

    def __init__(self, parts: tuple, second_car: bool, language: str) -> None:
        self.parts, self.second_car, self.language = parts, second_car, language
        self._specs: dict[bool, tuple[dict, pd.DataFrame]] = {}

    def spec(self, wear: bool) -> tuple[dict, pd.DataFrame]:
        if wear not in self._specs:
            self._specs[wear] = _money(self.parts, self.language, wear, self.second_car)
        return self._specs[wear]


@st.fragment
def _money_bars(bars: _MoneyBars) -> None:
    """The money bars with their wear switch: the switch redraws these bars only, not the page."""
    wear = st.toggle(i18n.t("charts.with_wear", bars.language), value=False, key="chart_wear")
    chart_with_data(*bars.spec(wear), "costi", bars.language)


def pdf_images(r: pd.Series, home: Place, office: Site, details: dict, language: str) -> list[bytes]:
    """The same day chart and money bars as PNGs for the worker's PDF, in `language`."""
    start, end = details["shift_start_min"], details["shift_end_min"]
    legs = {"old": journey_legs(home.lat, home.lon, office.id, start, end),   # the page's, already searched
            "new": journey_legs(home.lat, home.lon, destination(sites()).id, start, end)}
    return worker_chart_pngs({**r.to_dict(), "has_car": details["has_car"]}, legs, start, end, language,
                             second_car=bool(details["second_car"]))
