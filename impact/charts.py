"""The charts, as Altair specifications shared by the pages and the PDFs.

Each builder takes a table from `impact.charts_data` and a language and returns
`(chart, shown)`: the chart, and the labelled table of exactly what it draws (the page's
"dati" CSV). `png()` renders a chart for a PDF with vl-convert, without a browser.
Numbers follow the language: Vega's number locale is set in the spec's config.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impact import i18n
from impact.clock import hhmm
from impact.charts_data import PAY_SHARE_MARKS, histogram

if TYPE_CHECKING:   # Altair (26 MB) is imported where an Altair chart is made: the worker page draws the dicts
    import altair as alt

NUMBER_LOCALE = {"it": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
                 "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}}
SEGMENT_COLOURS = {"drive": "#6b6b6b", "walk": "#9ecae1", "bike": "#74c476", "car": "#969696", "train": "#2171b5",
                   "bus": "#e6550d", "wait": "#fdd0a2", "wait_office": "#fee391", "shift": "#41ab5d"}
PART_COLOURS = {"fuel": "#6b6b6b", "fuel_second_car": "#6b6b6b", "tolls": "#bdbdbd", "wear": "#e0e0e0",
                "rail": "#2171b5", "bus": "#6baed6", "gtt": "#e6550d"}
# The Vega-Lite version of the pinned Altair (requirements.txt); tests/test_charts.py checks they agree.
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
BIN_COLOURS = {"bin": "#2171b5", "under": "#969696", "over": "#b2182b"}
ROWS = ("car_old", "car_new", "transit_old", "transit_new")
# minutes after midnight as HH:MM on a time axis
HHMM = ("(floor(datum.value / 60) < 10 ? '0' : '') + floor(datum.value / 60) + ':' + "
        "(datum.value % 60 < 10 ? '0' : '') + datum.value % 60")


def _t(key: str, lang: str, **values) -> str:
    return i18n.t(f"charts.{key}", lang, **values)


def duration(minutes: float, lang: str) -> str:
    """'1 h 20', '2 h', '45 min' from minutes."""
    m = int(round(abs(minutes)))
    if m < 60:
        return _t("duration_m", lang, m=m)
    return _t("duration_h", lang, h=m // 60) if m % 60 == 0 else _t("duration_hm", lang, h=m // 60, m=m % 60)


def _finish(chart: alt.Chart, lang: str, description: str) -> alt.Chart:
    """Locale, fonts and the accessible description every chart carries."""
    # A few pixels of padding: on a phone, labels that fill the width were cut at the left edge.
    return chart.properties(description=description, padding={"left": 8, "right": 8, "top": 4, "bottom": 4}
                            ).configure(locale={"number": NUMBER_LOCALE[lang]}, font="sans-serif"
                                        ).configure_view(stroke=None)


def _count_axis(top: int) -> alt.Axis:
    """An axis of whole workers: integer ticks only, every one when there are few."""
    import altair as alt
    if top <= 10:
        return alt.Axis(format="d", values=list(range(top + 1)))
    return alt.Axis(format=",d", tickMinStep=1)


def csv_bytes(shown: pd.DataFrame, lang: str) -> bytes:
    """The table drawn, as CSV in the language's style (Italian: `;` and decimal comma), UTF-8 with BOM
    so that a spreadsheet opens accents right."""
    buffer = io.StringIO()
    shown.to_csv(buffer, index=False, sep=";" if lang == "it" else ",", decimal="," if lang == "it" else ".")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def day_spec(segments: pd.DataFrame, last_run_min: float | None, lang: str) -> tuple[dict, pd.DataFrame]:
    """One horizontal timeline per way and period: each stretch of the day coloured by its kind, as a plain
    Vega-Lite dict (the page draws it for every new input without building Altair objects)."""
    # Plain lists, not pandas: a few dozen stretches, built anew for every new input on the page.
    data = segments.to_dict("records")
    present = {f"{x['mode']}_{x['period']}" for x in data}
    rows = [r for r in ROWS if r in present]
    labels = {r: _t(f"row_{r}", lang) for r in rows}
    seg_names = {s: _t(f"seg_{s}", lang) for s in SEGMENT_COLOURS}
    for x in data:
        x.update(row=labels[f"{x['mode']}_{x['period']}"], what=seg_names[x["segment"]],
                 start=hhmm(x["start_min"]), end=hhmm(x["end_min"]))
    low = 60 * (min(x["start_min"] for x in data) // 60)
    latest = max(max(x["end_min"] for x in data), last_run_min if last_run_min is not None else 0)
    high = 60 * -(-(latest + 15) // 60)  # room for the last-run mark
    used = [s for s in SEGMENT_COLOURS if s in {x["segment"] for x in data}]
    order = [labels[r] for r in rows]
    bars = {"data": {"name": "data-day"}, "mark": {"type": "bar", "height": {"band": 0.7}}, "encoding": {
        "color": {"field": "what", "legend": _legend(2), "title": None, "type": "nominal",
                  "scale": {"domain": [seg_names[s] for s in used], "range": [SEGMENT_COLOURS[s] for s in used]}},
        "tooltip": [{"field": f, "title": _t(title, lang), "type": "nominal"} for f, title in
                    (("row", "col_row"), ("what", "col_segment"), ("start", "col_start"), ("end", "col_end"),
                     ("line", "col_line"))],
        "x": {"axis": {"labelExpr": HHMM, "labelFlush": True, "labelOverlap": True, "title": _t("axis_time", lang),
                       "values": list(range(int(low), int(high) + 1, 60))},
              "field": "start_min", "scale": {"domain": [low, high], "nice": False}, "type": "quantitative"},
        "x2": {"field": "end_min"},
        "y": {"axis": {"labelLimit": 120}, "field": "row", "sort": order, "title": None, "type": "nominal"}}}
    layers, datasets = [bars], {"data-day": data}
    if last_run_min is not None and "transit_new" in rows:
        datasets["data-last-run"] = [{"row": labels["transit_new"], "start_min": last_run_min,
                                      "what": _t("seg_last_run", lang), "start": hhmm(last_run_min)}]
        layers.append({"data": {"name": "data-last-run"},
                       "mark": {"type": "tick", "color": "black", "size": 26, "thickness": 3}, "encoding": {
                           "tooltip": [{"field": "what", "title": _t("col_segment", lang), "type": "nominal"},
                                       {"field": "start", "title": _t("col_start", lang), "type": "nominal"}],
                           "x": {"field": "start_min", "type": "quantitative"},
                           "y": {"field": "row", "sort": order, "type": "nominal"}}})
    spec = {"layer": layers, "height": 40 * len(rows), "width": "container", "datasets": datasets}
    shown = pd.DataFrame({_t(title, lang): [x[f] for x in data] for f, title in
                          (("row", "col_row"), ("what", "col_segment"), ("start", "col_start"), ("end", "col_end"),
                           ("line", "col_line"))})
    return _finish_spec(spec, lang, _t("day_alt", lang)), shown


def day_chart(segments: pd.DataFrame, last_run_min: float | None, lang: str) -> tuple[alt.LayerChart, pd.DataFrame]:
    """`day_spec` as an Altair chart (for the PDFs and the schema check)."""
    import altair as alt
    spec, shown = day_spec(segments, last_run_min, lang)
    return alt.LayerChart.from_dict(spec), shown


def day_line(summary: dict, lang: str) -> str:
    """'By car: you leave 1 h 20 earlier and you are home 1 h 10 later (today 08:45–13:15, …).'"""
    def part(kind: str, delta: float, worse: str, better: str) -> str:
        if round(delta) == 0:
            return _t(f"{kind}_same", lang)
        return _t(f"{kind}_{worse if delta > 0 else better}", lang, time=duration(delta, lang))
    return _t("day_line", lang, mode=_t(f"mode_{summary['mode']}", lang),
              leave=part("leave", summary["earlier_min"], "earlier", "later"),
              home=part("home", summary["later_min"], "later", "earlier"),
              leave_old=hhmm(summary["leave_old"]), home_old=hhmm(summary["home_old"]),
              leave_new=hhmm(summary["leave_new"]), home_new=hhmm(summary["home_new"]))


def _finish_spec(spec: dict, lang: str, description: str) -> dict:
    """`_finish` for a plain Vega-Lite dict: the same locale, fonts, padding and description."""
    return {"$schema": VEGA_LITE_SCHEMA, **spec, "description": description,
            "padding": {"left": 8, "right": 8, "top": 4, "bottom": 4},
            "config": {"view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None},
                       "font": "sans-serif", "locale": {"number": NUMBER_LOCALE[lang]}}}


def _legend(columns: int) -> dict:
    return {"columns": columns, "labelFontSize": 11, "labelLimit": 150, "orient": "bottom", "symbolSize": 80}


def money_spec(parts: pd.DataFrame, lang: str, with_wear: bool = False,
               second_car: bool = False) -> tuple[dict, pd.DataFrame]:
    """A stacked bar per way and period: fuel, tolls, (wear), rail, bus, GTT [EUR/month], as a plain
    Vega-Lite dict (what the page draws without building Altair objects on every new input)."""
    # Plain lists, not pandas: a dozen rows, built anew for every new input on the page.
    data = [{**x, "part": "fuel_second_car" if second_car and x["part"] == "fuel" else x["part"]}
            for x in parts.to_dict("records") if with_wear or x["part"] != "wear"]
    present = {f"{x['mode']}_{x['period']}" for x in data}
    rows = [r for r in ROWS if r in present]
    labels = {r: _t(f"row_{r}", lang) for r in rows}
    used = [p for p in PART_COLOURS if p in {x["part"] for x in data}]
    names = {p: _t(f"part_{p}", lang) for p in used}
    order = {p: i for i, p in enumerate(PART_COLOURS)}
    for x in data:
        x.update(row=labels[f"{x['mode']}_{x['period']}"], what=names[x["part"]], order=order[x["part"]],
                 text=i18n.eur(x["eur"], lang, 0))
    spec = {
        "data": {"name": "data-money"}, "mark": {"type": "bar"},
        "encoding": {
            "x": {"aggregate": "sum", "field": "eur", "type": "quantitative", "title": _t("axis_eur_month", lang),
                  "axis": {"format": ",.0f", "tickMinStep": 1}},
            "y": {"field": "row", "type": "nominal", "sort": [labels[r] for r in rows], "title": None,
                  "axis": {"labelLimit": 120}},
            "color": {"field": "what", "type": "nominal", "title": None, "legend": _legend(2),
                      "scale": {"domain": [names[p] for p in used], "range": [PART_COLOURS[p] for p in used]}},
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [{"field": "row", "type": "nominal", "title": _t("col_row", lang)},
                        {"field": "what", "type": "nominal", "title": _t("col_part", lang)},
                        {"field": "text", "type": "nominal", "title": _t("col_eur", lang)}]},
        "width": "container", "height": 40 * len(rows), "datasets": {"data-money": data}}
    shown = pd.DataFrame({_t("col_row", lang): [x["row"] for x in data], _t("col_part", lang): [x["what"] for x in data],
                          _t("col_eur", lang): pd.Series([x["eur"] for x in data], dtype=float).round(2)})
    totals: dict[str, float] = {}
    for x in data:
        totals[x["row"]] = totals.get(x["row"], 0.0) + x["eur"]
    items = "; ".join(f"{row} {i18n.eur(v, lang, 0)}" for row, v in totals.items())
    return _finish_spec(spec, lang, _t("money_alt", lang, items=items)), shown


def money_chart(parts: pd.DataFrame, lang: str, with_wear: bool = False,
                second_car: bool = False) -> tuple[alt.Chart, pd.DataFrame]:
    """`money_spec` as an Altair chart (for the PDFs and the schema check)."""
    import altair as alt
    spec, shown = money_spec(parts, lang, with_wear, second_car)
    return alt.Chart.from_dict(spec), shown


def share_spec(shares: pd.DataFrame, lang: str) -> tuple[dict, pd.DataFrame]:
    """The extra cost of each way as a bar of take-home pay, against the 10 % and 20 % marks, as a plain
    Vega-Lite dict."""
    data = [{**x, "way": _t(f"mode_{x['mode']}", lang), "text": f"{i18n.number(100 * x['share'], lang, 0)}\u00a0%"}
            for x in shares.to_dict("records")]
    top = max(0.25, max(x["share"] for x in data) + 0.05) if data else 0.25
    low = min(0.0, min(x["share"] for x in data) - 0.02) if data else 0.0
    marks = [{"share": m, "label": _t("mark", lang, pct=int(100 * m))} for m in PAY_SHARE_MARKS]
    bars = {"data": {"name": "data-shares"}, "mark": {"type": "bar", "color": "#2171b5"}, "encoding": {
        "x": {"field": "share", "type": "quantitative", "title": _t("axis_share", lang),
              "scale": {"domain": [low, top]}, "axis": {"format": ".0%"}},
        "y": {"field": "way", "type": "nominal", "title": None, "axis": {"labelLimit": 140}},
        "tooltip": [{"field": "way", "type": "nominal", "title": _t("col_mode", lang)},
                    {"field": "text", "type": "nominal", "title": _t("col_share", lang)}]}}
    rules = {"data": {"name": "data-marks"}, "encoding": {"x": {"field": "share", "type": "quantitative"}},
             "mark": {"type": "rule", "color": "#b2182b", "strokeDash": [4, 3], "strokeWidth": 2}}
    rule_text = {"data": {"name": "data-marks"},
                 "mark": {"type": "text", "align": "left", "dx": 3, "dy": -4, "baseline": "bottom", "color": "#b2182b"},
                 "encoding": {"x": {"field": "share", "type": "quantitative"}, "y": {"value": 0},
                              "text": {"field": "label", "type": "nominal"}}}
    spec = {"layer": [bars, rules, rule_text], "width": "container", "height": 45 * max(len(data), 1) + 15,
            "datasets": {"data-shares": data, "data-marks": marks}}
    shown = pd.DataFrame({_t("col_mode", lang): [x["way"] for x in data],
                          _t("col_share", lang): pd.Series([x["share"] for x in data], dtype=float).round(4)})
    items = "; ".join(f"{x['way']} {x['text']}" for x in data)
    return _finish_spec(spec, lang, _t("share_alt", lang, items=items)), shown


def share_chart(shares: pd.DataFrame, lang: str) -> tuple[alt.LayerChart, pd.DataFrame]:
    """`share_spec` as an Altair chart (for the PDFs and the schema check)."""
    import altair as alt
    spec, shown = share_spec(shares, lang)
    return alt.LayerChart.from_dict(spec), shown


def distribution_chart(values, step: float, low: float, high: float, lang: str) -> tuple[alt.Chart, pd.DataFrame]:
    """The histogram of extra cost [EUR/month]: bins of `step` from `low` to `high`, values beyond them in
    labelled under- and overflow bins drawn beside the axis's ends (never piled on an edge), integer counts."""
    import altair as alt
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size:  # the axis spans the data, within [low, high]; beyond them the labelled bins
        low = max(low, step * np.floor(x.min() / step))
        high = min(high, step * (np.floor(x.max() / step) + 1))
    bins = histogram(x, step, low, high)
    money = lambda v: i18n.eur(v, lang, 0)  # noqa: E731
    label = {"bin": lambda r: f"{money(r.start)} – {money(r.end)}",
             "under": lambda r: _t("bin_under", lang, low=money(low), min=money(r.start)),
             "over": lambda r: _t("bin_over", lang, high=money(high), max=money(r.end))}
    kinds = bins["kind"]
    data = bins.assign(
        x0=bins["start"].where(kinds != "under", low - step).where(kinds != "over", high + step / 4),
        x1=bins["end"].where(kinds != "under", low - step / 4).where(kinds != "over", high + step),
        band=[label[r.kind](r) for r in bins.itertuples()],
        what=kinds.map(lambda k: _t(f"bin_kind_{k}", lang, low=money(low), high=money(high))))
    top = int(data["count"].max()) if len(data) else 1
    used = [k for k in BIN_COLOURS if k in set(kinds)]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("x0:Q", title=_t("axis_eur_bins", lang, step=int(step)),
                scale=alt.Scale(domain=[low - step, high + step], nice=False), axis=alt.Axis(format=",.0f")),
        x2="x1:Q", y2=alt.datum(0),
        y=alt.Y("count:Q", title=_t("axis_workers", lang),
                axis=_count_axis(top)),
        color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=300),
                        scale=alt.Scale(domain=[_t(f"bin_kind_{k}", lang, low=money(low), high=money(high)) for k in used],
                                        range=[BIN_COLOURS[k] for k in used])),
        tooltip=[alt.Tooltip("band:N", title=_t("col_bin_kind", lang)),
                 alt.Tooltip("count:Q", title=_t("col_workers", lang))],
    ).properties(width="container", height=260)
    shown = data[["band", "start", "end", "count"]].rename(columns={
        "band": _t("col_bin_kind", lang), "start": _t("col_bin_start", lang), "end": _t("col_bin_end", lang),
        "count": _t("col_workers", lang)})
    count = lambda kind: int(bins.loc[kinds == kind, "count"].sum())  # noqa: E731
    whole = lambda n: i18n.number(n, lang, 0)  # noqa: E731
    text = _t("dist_alt", lang, workers=whole(x.size), median=money(float(np.median(x)) if x.size else 0),
              under=whole(count("under")), over=whole(count("over")), low=money(low), high=money(high),
              min=money(float(x.min()) if x.size else 0), max=money(float(x.max()) if x.size else 0))
    return _finish(chart, lang, text), shown


def thresholds_chart(table: pd.DataFrame, site_names: dict[str, str], lang: str) -> tuple[alt.Chart, pd.DataFrame]:
    """Workers over each threshold, one group of bars per threshold, a colour per office; integer axis."""
    import altair as alt
    order = ["over_50km", "over_80min", "no_transit", "over_10pct", "over_20pct"]
    data = table.assign(rule=table["threshold"].map(lambda c: _t(f"thr_{c}", lang)),
                        office=table["site"].map(site_names))
    top = int(data["workers"].max()) if len(data) else 1
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("rule:N", sort=[_t(f"thr_{c}", lang) for c in order], title=None, axis=alt.Axis(labelLimit=170)),
        yOffset="office:N",
        x=alt.X("workers:Q", title=_t("axis_workers", lang),
                axis=_count_axis(top)),
        color=alt.Color("office:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("rule:N", title=_t("col_threshold", lang)), alt.Tooltip("office:N", title=_t("col_site", lang)),
                 alt.Tooltip("workers:Q", title=_t("col_workers", lang)), alt.Tooltip("of:Q", title=_t("col_of", lang))],
    ).properties(width="container", height=34 * len(order) * max(1, data["office"].nunique()) // 2 + 40)
    shown = data[["rule", "office", "workers", "of"]].rename(columns={
        "rule": _t("col_threshold", lang), "office": _t("col_site", lang), "workers": _t("col_workers", lang),
        "of": _t("col_of", lang)})
    items = "; ".join(f"{r.office}, {r.rule}: {r.workers}/{r.of}" for r in data.itertuples())
    return _finish(chart, lang, _t("thresholds_alt", lang, items=items)), shown


def map_chart(coloured: dict, lang: str, description: str) -> alt.Chart:
    """The comune areas filled with their band colour (from `impact.areas.choropleth`), for the PDF."""
    import altair as alt
    features = [{"type": "Feature", "geometry": f["geometry"],
                 "properties": {"fill": "#%02x%02x%02x" % tuple(f["properties"]["fill"][:3])}}
                for f in coloured["features"]]
    chart = alt.Chart(alt.Data(values=features)).mark_geoshape(stroke="white", strokeWidth=0.2).encode(
        color=alt.Color("properties.fill:N", scale=None)).project(type="mercator").properties(width=420, height=420)
    return _finish(chart, lang, description)


def png(chart: alt.Chart, width: int = 560, scale: float = 2.0) -> bytes:
    """The chart as a PNG for a PDF, drawn by vl-convert (no browser, no internet)."""
    import vl_convert as vlc
    spec = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = width
    for layer in spec.get("layer", []):
        if layer.get("width") == "container":
            layer["width"] = width
    return vlc.vegalite_to_png(spec, scale=scale)
