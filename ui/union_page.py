"""The union representatives' page: a roster or a modelled workforce, scenarios side by side, exports.

The roster stays in this session's memory: it is never written to disk, logged
or put in a URL; the share link carries only the scenario levers.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from impact import i18n, limits
from impact.charts_data import by_comune_istat
from impact.export import csv_bytes
from impact.model import Scenario, evaluate
from impact.report import workforce_pdf, workforce_xlsx
from impact.report_charts import workforce_chart_pngs
from impact.roster import RosterError, modelled_workforce, read_roster, template_csv
from impact.safe_text import markdown
from impact.validation import link_value
from impact.scenarios import (SiteLevers, apply_site_levers, by_comune, side_by_side, summarise, sweep,
                              transfer_allowance)
from ui import charts_union, maps, transit_detail
from ui.package_blocks import horizon_block, notice_button, saved_cases_report
from ui.common import gazetteer, lang, parameters, router, sites, t, today, transit_router

LEVERS = {"smart": ("smart_working_days_per_week", 0.0, 0.0, 3.0, 0.5),
          "allowance": ("monthly_allowance_eur", 0.0, 0.0, 500.0, 10.0),
          "mileage": ("mileage_allowance_eur_per_km", 0.0, 0.0, 0.5, 0.01),
          "pass": ("company_pass_share", 0.0, 0.0, 1.0, 0.25)}


def workforce() -> tuple[pd.DataFrame, pd.DataFrame | None, bool] | None:
    """The workers to evaluate: an uploaded roster, or the modelled workforce."""
    source = st.radio(t("union.source"), ["roster", "model", "cases"], horizontal=True, key="union_source",
                      format_func=lambda s: t("package.case.source") if s == "cases" else t(f"union.source_{s}"))
    if source == "model":
        st.warning(t("union.model_banner"))
        return _modelled(), None, True
    if source == "cases":
        report = saved_cases_report()
        if report is not None:
            validation_report(report)
        return (report.workers, report.rejected_table(lang()), False) if report and report.rows_valid else None
    left, right = st.columns(2)
    left.download_button(t("union.template_it"), template_csv("it"), "modello_roster.csv", "text/csv")
    right.download_button(t("union.template_en"), template_csv("en"), "roster_template.csv", "text/csv")
    upload = st.file_uploader(t("union.upload"), type=["csv", "xlsx", "txt"], key="roster_file",
                              help=t("input.upload_limits", **_limit_values()))
    if upload is None:
        st.info(t("union.upload_hint"))
        return None
    try:
        report = read_roster(upload.getvalue(), upload.name, gazetteer=gazetteer(), sites=sites())
    except RosterError as exc:   # the message can quote the file's headers: shown as text
        st.error(markdown(exc.text(lang())))
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
        st.caption(t("union.ignored", columns=markdown(", ".join(report.ignored_columns))))
    if report.rejected:
        with st.expander(t("union.rejected_title", count=counts["rows_rejected"]), expanded=True):
            st.dataframe(report.rejected_table(lang()).rename(columns={"line": t("union.col_line"),
                                                                        "reason": t("union.col_reason")}),
                         hide_index=True)


def scenario_inputs(name: str, defaults: dict) -> tuple[Scenario, SiteLevers]:
    """The levers of one scenario; their values come from the share link when it has them."""
    values = {}
    for key, (field, default, low, high, step) in LEVERS.items():
        given = defaults.get(f"{name}_{key}", default)
        start = link_value(given, low, high)
        if start is None:   # a hand-edited link: its value is left out, not guessed into range
            shown = lambda x: i18n.number(x, lang(), 0 if float(x).is_integer() else 2)  # noqa: E731
            st.caption(t("input.link_ignored", value=markdown(str(given)[:40]), low=shown(low), high=shown(high)))
            start = default
        values[field] = st.number_input(t(f"union.lever_{key}"), min_value=low, max_value=high, step=step,
                                        value=start, key=f"{name}_{key}")
    shift = st.selectbox(t("union.lever_shift"), [None, 450, 480, 510, 540, 570, 600], key=f"{name}_shift",
                         format_func=lambda m: t("union.shift_as_now") if m is None else f"{m // 60:02d}:{m % 60:02d}")
    values["shift_start_min"] = shift
    with st.expander(t("union.site_levers")):
        shuttle = st.checkbox(t("union.lever_shuttle"), key=f"{name}_shuttle")
        seats = st.number_input(t("union.lever_seats"), min_value=1, max_value=90, value=50, key=f"{name}_seats",
                                help=t("union.user_figure"))
        bus_day = st.number_input(t("union.lever_bus_day"), min_value=0.0, max_value=5000.0, value=0.0, step=50.0,
                                  key=f"{name}_bus_day", help=t("union.user_figure"))
        closing = [s.id for s in sites().values() if not s.is_destination]
        hub = st.selectbox(t("union.lever_hub"), ["", *closing], key=f"{name}_hub",
                           format_func=lambda s: t("union.no_hub") if not s else sites()[s].name)
        share = st.slider(t("union.lever_hub_share"), 0, 100, 0, 5, key=f"{name}_hub_share")
        hub_cost = st.number_input(t("union.lever_hub_cost"), min_value=0.0, max_value=10_000_000.0, value=0.0,
                                   step=1000.0, key=f"{name}_hub_cost", help=t("union.user_figure"))
    transfer = st.number_input(t("union.lever_transfer"), min_value=0.0, max_value=50_000.0, value=0.0, step=500.0,
                               key=f"{name}_transfer")
    st.session_state[f"{name}_transfer_eur"] = transfer
    return Scenario(**values), SiteLevers(shuttle, int(seats), bus_day, hub, share / 100, hub_cost)


def _limit_values() -> dict:
    language = lang()
    return {"mb": limits.megabytes(limits.MAX_FILE_BYTES), "rows": limits.count(limits.MAX_ROWS)[language],
            "columns": limits.MAX_COLUMNS}


@st.cache_data(max_entries=2, show_spinner=False)
def _modelled() -> pd.DataFrame:
    return modelled_workforce(sites(), gazetteer(), parameters(), today(), seed=0)


@st.cache_data(max_entries=8, show_spinner=False)
def _evaluate(workers: pd.DataFrame, scenario: Scenario, moves: tuple = ()) -> pd.DataFrame:
    # In memory only (cache_data is not persisted): the roster never reaches the disk.
    return evaluate(workers, scenario, parameters(), today(), gazetteer(), transit_detail.sites_with(moves), router(),
                    transit=transit_detail.router_for(moves))


@st.cache_data(max_entries=2, show_spinner=False)
def _export(workers: pd.DataFrame, results: pd.DataFrame, summaries: dict, rejected: pd.DataFrame | None,
            as_csv: bool, language: str, horizons: dict | None) -> bytes:
    """The export of these inputs, built once (in memory only): a double click does not build it twice."""
    table = pd.concat([workers.reset_index(drop=True), results.reset_index(drop=True)], axis=1)
    if as_csv:
        return csv_bytes(table)
    return workforce_xlsx(table, side_by_side(summaries).to_dict(), parameters(), today(), rejected, lang=language,
                          horizons=horizons)


def export_buttons(workers: pd.DataFrame, results: pd.DataFrame, summaries: dict, rejected,
                   horizons: dict | None = None) -> None:
    """The workbook, or above `limits.MAX_EXPORT_ROWS` rows the same per-worker table as CSV (built when clicked)."""
    if len(workers) <= limits.MAX_EXPORT_ROWS:
        st.download_button(t("union.download_xlsx"), lambda: _export(workers, results, summaries, rejected, False, lang(), horizons),
                           "trasferimento_torino_scenari.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
        return
    st.caption(t("input.export_csv_instead", rows=limits.count(len(workers))[lang()],
                 limit=limits.count(limits.MAX_EXPORT_ROWS)[lang()]))
    st.download_button(t("input.download_csv"), lambda: _export(workers, results, summaries, rejected, True, lang(), horizons),
                       "trasferimento_torino_lavoratori.csv", "text/csv", on_click="ignore")


def figures_table(summaries: dict[str, dict]) -> pd.DataFrame:
    language = lang()
    shown = {}
    for name, s in summaries.items():
        shown[name] = [
            str(s["workers"]), str(s["workers_worse_off"]),
            i18n.eur(s["median_extra_eur_month"], language, 0), i18n.eur(s["p90_extra_eur_month"], language, 0),
            i18n.number(s["median_extra_hours_month"], language, 0), i18n.number(s["p90_extra_hours_month"], language, 0),
            i18n.eur(s["total_extra_eur_year"], language, 0), str(s["over_50km"]), str(s["borderline_50km"]),
            str(s["over_80min"]), str(s["no_transit_for_shift"]), str(s["over_10pct_pay"]), str(s["over_20pct_pay"]),
            i18n.eur(s["company_cost_allowance_eur_year"], language, 0),
            i18n.eur(s["company_cost_pass_eur_year"], language, 0),
            f"{s['shuttle_riders']} / {s['shuttle_buses']}", i18n.eur(s["company_cost_shuttle_eur_year"], language, 0),
            str(s["hub_workers"]), i18n.eur(s["company_cost_hub_eur_year"], language, 0),
            i18n.eur(s["transfer_net_eur_total"], language, 0), i18n.eur(s["company_cost_transfer_eur"], language, 0),
        ]
    rows = ["workers", "worse_off", "median_eur", "p90_eur", "median_hours", "p90_hours", "total_year", "over_50",
            "borderline_50", "over_80", "no_transit", "over_10", "over_20", "company_cost", "pass_cost", "shuttle",
            "shuttle_cost", "hub", "hub_cost", "transfer_net", "transfer_cost"]
    return pd.DataFrame(shown, index=[t(f"union.fig_{r}") for r in rows])


def sensitivity(workers: pd.DataFrame, results: pd.DataFrame) -> None:
    """Total yearly cost borne by workers across fuel prices and smart-working days."""
    grid = sweep(workers, results, np.round(np.arange(1.5, 2.31, 0.1), 2), [0, 0.5, 1, 1.5, 2, 2.5, 3],
                 parameters(), today())
    grid["total"] = grid["total_extra_eur_year"] / 1000
    chart = alt.Chart(grid).mark_rect().encode(
        x=alt.X("fuel_eur_per_l:O", title=t("union.axis_fuel")),
        y=alt.Y("smart_days:O", title=t("union.axis_smart")),
        color=alt.Color("total:Q", title=t("union.axis_total"), scale=alt.Scale(scheme="reds")),
        tooltip=["fuel_eur_per_l", "smart_days", alt.Tooltip("total:Q", format=",.0f")])
    st.altair_chart(chart, width="stretch")


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
        scenario_b, places_b = scenario_inputs("b", {"b_smart": 2.0, **link})
    moves = transit_detail.office_mover()
    results_a, costs_a = apply_site_levers(workers, _evaluate(workers, scenario_a, moves), places_a, sites(),
                                           parameters(), today())
    results_b, costs_b = apply_site_levers(workers, _evaluate(workers, scenario_b, moves), places_b, sites(),
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
    horizons = horizon_block(workers, {name: pair for name, pair in zip(summaries, ((scenario_a, places_a),
                                                                                    (scenario_b, places_b)))},
                             lambda w, s: _evaluate(w, s, moves))
    st.subheader(t("union.distribution"))
    charts_union.distribution(results_a)
    charts_union.thresholds(results_a, workers)
    st.subheader(t("union.sensitivity"))
    sensitivity(workers, results_a)
    names = {p.istat: p.name for p in gazetteer().places}
    table = by_comune(results_a, workers, names)
    st.subheader(t("charts.union_map_title"))
    maps.union_map(by_comune_istat(results_a, workers))
    st.subheader(t("union.by_comune"))
    shown = table.assign(site=table["site"].map(lambda s: sites()[s].name)).rename(columns={
        "comune": t("union.col_comune"), "site": t("union.col_site"), "workers": t("union.col_workers"),
        "median_extra_eur_month": t("union.col_eur"), "median_extra_hours_month": t("union.col_hours"),
        "road_km_new": t("union.col_km")})
    st.dataframe(shown, hide_index=True)
    st.subheader(t("union.export"))
    export_buttons(workers, results_a, summaries, rejected, horizons)
    case = lambda: workforce_pdf(summaries, results_a, table, parameters(), today(), lang(),  # noqa: E731
                                 workforce_chart_pngs(summaries, results_a, workers, lang()), horizons)
    st.download_button(t("report.download_union"), case, "trasferimento_torino_tavolo.pdf", "application/pdf",
                       on_click="ignore")
    notice_button(workers, modelled)
    if st.button(t("union.share")):
        st.query_params.from_dict({f"{n}_{k}": st.session_state[f"{n}_{k}"] for n in ("a", "b") for k in LEVERS})
        st.caption(t("union.share_done"))
