"""The union representatives' page: a roster or a modelled workforce, scenarios side by side, exports.

The roster stays in this session's memory: it is never written to disk, logged
or put in a URL; the share link carries only the scenario levers.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from impact import i18n
from impact.model import Scenario, evaluate
from impact.report import workforce_pdf, workforce_xlsx
from impact.roster import RosterError, modelled_workforce, read_roster, template_csv
from impact.exports import pay_gap_notes, worker_table
from impact.scenarios import (SUMMARY_ROWS, SiteLevers, apply_site_levers, by_comune, format_summary, side_by_side,
                              summarise, summary_label, sweep, transfer_allowance)
from ui.common import gazetteer, lang, parameters, router, sites, t, today, transit_router
from ui.numbers import chart_locale, formatted, number_box

# Each money lever: (Scenario field, default, lowest, highest, decimals shown).
LEVERS = {"smart": ("smart_working_days_per_week", 0.0, 0.0, 3.0, 1),
          "allowance": ("monthly_allowance_eur", 0.0, 0.0, 500.0, 0),
          "mileage": ("mileage_allowance_eur_per_km", 0.0, 0.0, 0.5, 2),
          "pass": ("company_pass_share", 0.0, 0.0, 1.0, 2)}
_KEPT_LEVERS = "kept_levers"


def _kept(key: str, option: str, default) -> dict:
    """A lever's last value, put back when its box was not drawn for a while (the workforce chosen again).

    Returns the widget's default as a keyword only for a first drawing, so Streamlit never
    sees both a default and a value set for the same box.
    """
    kept = st.session_state.setdefault(_KEPT_LEVERS, {})
    if key not in st.session_state and key in kept:
        st.session_state[key] = kept[key]
    return {} if key in st.session_state else {option: default}


def _keep(key: str) -> None:
    st.session_state[_KEPT_LEVERS][key] = st.session_state[key]


def _link_number(defaults: dict, key: str, default: float, low: float, high: float) -> float:
    """A lever's start from the share link, within its range; the default when the link's text is not a number."""
    try:
        start = float(defaults.get(key, default))
    except (TypeError, ValueError):
        return default
    return min(max(start, low), high) if start == start else default


def workforce() -> tuple[pd.DataFrame, pd.DataFrame | None, bool] | None:
    """The workers to evaluate: an uploaded roster, or the modelled workforce."""
    source = st.radio(t("union.source"), ["roster", "model"], horizontal=True, key="union_source",
                      format_func=lambda s, language=lang(): i18n.t(f"union.source_{s}", language))
    if source == "model":
        st.warning(t("union.model_banner"))
        return _modelled(), None, True
    left, right = st.columns(2)
    left.download_button(t("union.template_it"), template_csv("it"), "modello_roster.csv", "text/csv")
    right.download_button(t("union.template_en"), template_csv("en"), "roster_template.csv", "text/csv")
    upload = st.file_uploader(t("union.upload"), type=["csv", "xlsx", "txt"], key="roster_file")
    if upload is None:
        st.info(t("union.upload_hint"))
        return None
    try:
        report = read_roster(upload.getvalue(), upload.name, gazetteer=gazetteer(), sites=sites())
    except RosterError as exc:
        st.error(exc.text(lang()))
        return None
    validation_report(report)
    if report.rows_valid == 0:
        return None
    return report.workers, report.rejected_table(lang()), False


def validation_report(report) -> None:
    counts = report.counts()
    st.markdown(t("union.read", read=counts["rows_read"], valid=counts["rows_valid"],
                  rejected=counts["rows_rejected"], empty=counts["rows_empty"]))
    detected = report.detected
    st.caption(t("union.detected", **{k: detected.get(k, "") for k in ("format", "encoding", "delimiter", "decimal")}))
    if report.ignored_columns:
        st.caption(t("union.ignored", columns=", ".join(report.ignored_columns)))
    if report.rejected:
        with st.expander(t("union.rejected_title", count=counts["rows_rejected"]), expanded=True):
            st.dataframe(report.rejected_table(lang()).rename(columns={"line": t("union.col_line"),
                                                                        "reason": t("union.col_reason")}),
                         hide_index=True)


def scenario_inputs(name: str, defaults: dict) -> tuple[Scenario, SiteLevers]:
    """The levers of one scenario; they start from the share link when it has them, else as today."""
    values = {}
    for key, (field, default, low, high, decimals) in LEVERS.items():
        start = _link_number(defaults, f"{name}_{key}", default, low, high)
        chosen = number_box(t(f"union.lever_{key}"), f"{name}_{key}", start, low, high, decimals)
        values[field] = default if chosen is None else chosen
    key = f"{name}_shift"
    values["shift_start_min"] = st.selectbox(
        t("union.lever_shift"), [None, 450, 480, 510, 540, 570, 600], key=key, **_kept(key, "index", 0),
        format_func=lambda m, language=lang(): (i18n.t("union.shift_as_now", language) if m is None
                                                       else f"{m // 60:02d}:{m % 60:02d}"))
    _keep(key)
    with st.expander(t("union.site_levers")):
        shuttle = st.checkbox(t("union.lever_shuttle"), key=f"{name}_shuttle", **_kept(f"{name}_shuttle", "value", False))
        _keep(f"{name}_shuttle")
        seats = st.number_input(t("union.lever_seats"), min_value=1, max_value=90, key=f"{name}_seats",
                                help=t("union.user_figure"), **_kept(f"{name}_seats", "value", 50))
        _keep(f"{name}_seats")
        bus_day = number_box(t("union.lever_bus_day"), f"{name}_bus_day", 0.0, 0.0, 5000.0, 0,
                             help=t("union.user_figure")) or 0.0
        closing = [s.id for s in sites().values() if not s.is_destination]
        hub = st.selectbox(t("union.lever_hub"), ["", *closing], key=f"{name}_hub", **_kept(f"{name}_hub", "index", 0),
                           format_func=lambda s, language=lang(): i18n.t("union.no_hub", language) if not s else sites()[s].name)
        _keep(f"{name}_hub")
        share = st.slider(t("union.lever_hub_share"), 0, 100, step=5, key=f"{name}_hub_share",
                          **_kept(f"{name}_hub_share", "value", 0))
        _keep(f"{name}_hub_share")
        hub_cost = number_box(t("union.lever_hub_cost"), f"{name}_hub_cost", 0.0, 0.0, 10_000_000.0, 0,
                              help=t("union.user_figure")) or 0.0
    transfer = number_box(t("union.lever_transfer"), f"{name}_transfer", 0.0, 0.0, 50_000.0, 0) or 0.0
    st.session_state[f"{name}_transfer_eur"] = transfer
    return Scenario(**values), SiteLevers(shuttle, int(seats), bus_day, hub, share / 100, hub_cost)


@st.cache_data(max_entries=2, show_spinner=False)
def _modelled() -> pd.DataFrame:
    return modelled_workforce(sites(), gazetteer(), parameters(), today(), seed=0)


@st.cache_data(max_entries=8, show_spinner=False)
def _evaluate(workers: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    # In memory only (cache_data is not persisted): the roster never reaches the disk.
    return evaluate(workers, scenario, parameters(), today(), gazetteer(), sites(), router(), transit=transit_router())


def figures_table(summaries: dict[str, dict]) -> pd.DataFrame:
    """The one workforce summary, as every face shows it (impact.scenarios.SUMMARY_ROWS)."""
    language = lang()
    return pd.DataFrame({name: [format_summary(key, s[key], language) for key, _ in SUMMARY_ROWS]
                         for name, s in summaries.items()},
                        index=[summary_label(key, language) for key, _ in SUMMARY_ROWS])


def distribution(results: pd.DataFrame) -> None:
    data = pd.DataFrame({"eur": results["extra_best_eur_month"].clip(-200, 800)})
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("eur:Q", bin=alt.Bin(step=25), title=t("union.axis_eur")),
        y=alt.Y("count():Q", title=t("union.axis_workers"))).configure(locale=chart_locale(lang()))
    st.altair_chart(chart, width="stretch")


def sensitivity(workers: pd.DataFrame, scenario: Scenario) -> None:
    """Total yearly cost borne by workers across fuel prices and smart-working days, around `scenario`."""
    grid = sweep(workers, _evaluate(workers, scenario), np.round(np.arange(1.5, 2.31, 0.1), 2),
                 [0, 0.5, 1, 1.5, 2, 2.5, 3], parameters(), today(), scenario)
    grid["total"] = grid["total_extra_eur_year"] / 1000
    # Ordinal axes show their values as text: written the user's way (1,80 and 0,5 in Italian).
    grid["fuel_label"] = grid["fuel_eur_per_l"].map(lambda v: i18n.number(v, lang(), 2))
    grid["smart_label"] = grid["smart_days"].map(lambda v: i18n.number(v, lang(), 1))
    chart = alt.Chart(grid).mark_rect().encode(
        x=alt.X("fuel_label:O", title=t("union.axis_fuel"), sort=None),
        y=alt.Y("smart_label:O", title=t("union.axis_smart"), sort=None),
        color=alt.Color("total:Q", title=t("union.axis_total"), scale=alt.Scale(scheme="reds")),
        tooltip=[alt.Tooltip("fuel_eur_per_l:Q", title=t("union.axis_fuel"), format=",.2f"),
                 alt.Tooltip("smart_days:Q", title=t("union.axis_smart"), format=",.1f"),
                 alt.Tooltip("total:Q", title=t("union.axis_total"), format=",.0f")]
    ).configure(locale=chart_locale(lang()))
    st.altair_chart(chart, width="stretch")


def comune_map(table: pd.DataFrame) -> None:
    points = gazetteer()
    by_name = {p.name: p for p in points.places}
    data = [{"name": row.comune, "workers": int(row.workers), "lat": by_name[row.comune].lat,
             "lon": by_name[row.comune].lon, "eur": i18n.eur(float(row.median_extra_eur_month), lang(), 0),
             "colour": [214, 39, 40] if row.median_extra_eur_month > 150 else
             [255, 127, 14] if row.median_extra_eur_month > 50 else [44, 160, 44]}
            for row in table.itertuples() if row.comune in by_name]
    layer = pdk.Layer("ScatterplotLayer", data, get_position="[lon, lat]", get_fill_color="colour",
                      get_radius="200 + workers * 60", radius_min_pixels=3, pickable=True, opacity=0.7)
    st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(latitude=45.2, longitude=7.9, zoom=7.2),
                             tooltip={"text": "{name}: {workers}, {eur}"}), height=420)


st.set_page_config(layout="wide")
st.title(t("union.title"))
st.write(t("union.intro"))
chosen = workforce()
if chosen is not None:
    workers, rejected, modelled = chosen
    link = st.query_params.to_dict()
    st.subheader(t("union.scenarios"))
    col_a, col_b = st.columns(2)
    with col_a:
        st.markdown(f"**{t('union.scenario_a')}**")
        scenario_a, places_a = scenario_inputs("a", link)
    with col_b:
        st.markdown(f"**{t('union.scenario_b')}**")
        scenario_b, places_b = scenario_inputs("b", link)   # B starts as today; the user moves its levers
    results_a, costs_a = apply_site_levers(workers, _evaluate(workers, scenario_a), places_a, sites(),
                                           parameters(), today())
    results_b, costs_b = apply_site_levers(workers, _evaluate(workers, scenario_b), places_b, sites(),
                                           parameters(), today())
    for name, results, costs in (("a", results_a, costs_a), ("b", results_b, costs_b)):
        net, cost = transfer_allowance(workers, results, st.session_state[f"{name}_transfer_eur"], parameters(), today())
        costs.update(transfer_net_eur=float(net.sum()), transfer_cost_eur=float(cost.sum()))
    summaries = {t("union.scenario_a"): summarise(results_a, scenario_a, modelled, costs_a),
                 t("union.scenario_b"): summarise(results_b, scenario_b, modelled, costs_b)}
    st.subheader(t("union.figures"))
    if modelled:
        st.caption(t("union.model_banner"))
    st.table(figures_table(summaries))
    st.caption(t("union.figures_note"))
    if scenario_a.smart_working_days_per_week or scenario_b.smart_working_days_per_week:
        st.caption(t("union_notes.smart_and_passes"))
    for note in pay_gap_notes(worker_table(workers, results_a, gazetteer()), lang()):
        st.warning(t("union_notes.pay_gap", line=note["line"], reason=note["reason"]))
    st.subheader(t("union.distribution"))
    distribution(results_a)
    st.subheader(t("union.sensitivity"))
    sensitivity(workers, scenario_a)
    names = {p.istat: p.name for p in gazetteer().places}
    table = by_comune(results_a, workers, names)
    st.subheader(t("union.map"))
    comune_map(table)
    st.subheader(t("union.by_comune"))
    shown = formatted(table, {"workers": "count", "median_extra_eur_month": "money", "median_extra_hours_month": "hours",
                              "road_km_new": "km"}, lang())
    shown = shown.assign(site=table["site"].map(lambda s: sites()[s].name)).rename(columns={
        "comune": t("union.col_comune"), "site": t("union.col_site"), "workers": t("union.col_workers"),
        "median_extra_eur_month": t("union.col_eur"), "median_extra_hours_month": t("union.col_hours"),
        "road_km_new": t("union.col_km")})
    st.dataframe(shown, hide_index=True)
    st.subheader(t("union.export"))
    # Built only when clicked: a workbook of a thousand rows takes about a second.
    export = lambda: workforce_xlsx(worker_table(workers, results_a, gazetteer()),  # noqa: E731
                                    side_by_side(summaries).to_dict(), parameters(), today(), rejected, lang())
    st.download_button(t("union.download_xlsx"), export, "trasferimento_torino_scenari.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    case = lambda: workforce_pdf(summaries, results_a, table, parameters(), today(), lang())  # noqa: E731
    st.download_button(t("report.download_union"), case, "trasferimento_torino_tavolo.pdf", "application/pdf",
                       on_click="ignore")
    if st.button(t("union.share")):
        kept = st.session_state.get("kept_numbers", {})
        st.query_params.from_dict({f"{n}_{k}": kept.get(f"{n}_{k}") or 0 for n in ("a", "b") for k in LEVERS})
        st.caption(t("union.share_done"))
