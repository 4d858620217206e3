"""The union representatives' page: a roster or a modelled workforce, scenarios side by side, exports.

The roster stays in this session's memory: it is never written to disk, logged
or put in a URL; the share link carries only the scenario levers.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from impact import i18n, limits
from impact.clock import hhmm
from impact.charts_data import by_comune_istat
from impact.exports import csv_bytes, pay_gap_notes, worker_table
from impact.model import Scenario, evaluate
from impact.report import workforce_pdf, workforce_xlsx
from impact.report_charts import workforce_chart_pngs
from impact.roster import RosterError, modelled_workforce, read_roster, template_csv
from impact.safe_text import markdown
from impact.scenario_run import run_scenario
from impact.scenarios import SUMMARY_ROWS, SiteLevers, by_comune, format_summary, side_by_side, summary_label, sweep
from impact.validation import link_value
from ui import charts_union, maps, transit_detail
from ui.package_blocks import horizon_block, notice_button, saved_cases_report
from ui.common import comune_names, frame_key, gazetteer, lang, parameters, router, sites, t, today
from ui.numbers import formatted, number_box

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


def workforce() -> tuple[pd.DataFrame, pd.DataFrame | None, bool] | None:
    """The workers to evaluate: an uploaded roster, or the modelled workforce."""
    source = st.radio(t("union.source"), ["roster", "model", "cases"], horizontal=True, key="union_source",
                      format_func=lambda s, language=lang(): i18n.t("package.case.source" if s == "cases"
                                                                     else f"union.source_{s}", language))
    if source == "model":
        st.warning(t("union.model_banner"))
        return _modelled(today()), None, True
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
    data = upload.getvalue()
    try:
        report = _read_roster(hashlib.sha256(data).hexdigest(), data, upload.name)
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


def scenario_inputs(name: str, defaults: dict) -> tuple[Scenario, SiteLevers, float]:
    """The levers of one scenario and its one-off transfer allowance [EUR]; they start from the share
    link when it has them, else as today."""
    values = {}
    for key, (field, default, low, high, decimals) in LEVERS.items():
        given = defaults.get(f"{name}_{key}", default)
        start = link_value(given, low, high)
        if start is None:   # a hand-edited link: its value is left out, not guessed into range
            shown = lambda x: i18n.number(x, lang(), 0 if float(x).is_integer() else 2)  # noqa: E731
            st.caption(t("input.link_ignored", value=markdown(str(given)[:40]), low=shown(low), high=shown(high)))
            start = default
        chosen = number_box(t(f"union.lever_{key}"), f"{name}_{key}", start, low, high, decimals)
        values[field] = default if chosen is None else chosen
    key = f"{name}_shift"
    values["shift_start_min"] = st.selectbox(
        t("union.lever_shift"), [None, 450, 480, 510, 540, 570, 600], key=key, **_kept(key, "index", 0),
        format_func=lambda m, language=lang(): (i18n.t("union.shift_as_now", language) if m is None
                                                       else hhmm(m)))
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
    return Scenario(**values), SiteLevers(shuttle, int(seats), bus_day, hub, share / 100, hub_cost), transfer


def _limit_values() -> dict:
    language = lang()
    return {"mb": limits.megabytes(limits.MAX_FILE_BYTES), "rows": limits.count(limits.MAX_ROWS)[language],
            "columns": limits.MAX_COLUMNS}


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _read_roster(digest: str, _data: bytes, name: str):
    """The roster read once per file (keyed on its bytes' SHA-256 `digest`), not again on every rerun.

    Privacy: st.cache_data without `persist` keeps its entries in this server's memory only (never
    on disk; tests/test_union_page.py checks Streamlit's disk cache stays empty), and drops them
    after an hour or when newer files push them out. A refused file raises, and nothing is kept.
    """
    return read_roster(_data, name, gazetteer=gazetteer(), sites=sites())


@st.cache_data(max_entries=2, show_spinner=False)
def _modelled(on: dt.date) -> pd.DataFrame:
    return modelled_workforce(sites(), gazetteer(), parameters(), on, seed=0)


# The caches below are keyed on the workers' `frame_key` (every cell), not on the frame itself, which
# Streamlit hashes by a sample of rows from 50,000 on; the frame is passed beside the key, unhashed.
@st.cache_data(max_entries=8, show_spinner=False)
def _evaluate_on(workers_key: str, _workers: pd.DataFrame, scenario: Scenario, moves: tuple,
                 on: dt.date) -> pd.DataFrame:
    """`evaluate` on day `on`: kept per day, since a day's timetable (a closure, a dated change) can differ.
    In memory only (cache_data is not persisted): the roster never reaches the disk."""
    return evaluate(_workers, scenario, parameters(), on, gazetteer(), transit_detail.sites_with(moves), router(),
                    transit=transit_detail.router_for(moves))


@st.cache_data(max_entries=2, show_spinner=False)
def _export(frames_key: str, _workers: pd.DataFrame, _results: pd.DataFrame, summaries: dict,
            _rejected: pd.DataFrame | None, as_csv: bool, language: str, horizons: dict | None) -> bytes:
    """The export of these inputs, built once (in memory only): a double click does not build it twice.
    `frames_key`: the `frame_key` of the workers, their results and the rejected rows."""
    table = worker_table(_workers, _results, gazetteer())
    if as_csv:
        return csv_bytes(table)
    return workforce_xlsx(table, side_by_side(summaries).to_dict(), parameters(), today(), _rejected, language,
                          horizons)


def export_buttons(workers: pd.DataFrame, workers_key: str, results: pd.DataFrame, summaries: dict, rejected,
                   horizons: dict | None = None) -> None:
    """The workbook, or above `limits.MAX_EXPORT_ROWS` rows the same per-worker table as CSV (built when clicked)."""
    language = lang()
    # Keyed on every row when clicked (a large frame hashed by Streamlit would be a sample of its rows).
    frames_key = lambda: "/".join((workers_key, frame_key(results),  # noqa: E731
                                   "" if rejected is None else frame_key(rejected)))
    build = lambda as_csv: (lambda: _export(frames_key(), workers, results, summaries, rejected, as_csv,  # noqa: E731
                                            language, horizons))
    if len(workers) <= limits.MAX_EXPORT_ROWS:
        st.download_button(t("union.download_xlsx"), build(False), "trasferimento_torino_scenari.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
        return
    st.caption(t("input.export_csv_instead", rows=limits.count(len(workers))[language],
                 limit=limits.count(limits.MAX_EXPORT_ROWS)[language]))
    st.download_button(t("input.download_csv"), build(True), "trasferimento_torino_lavoratori.csv", "text/csv",
                       on_click="ignore")


def figures_table(summaries: dict[str, dict]) -> pd.DataFrame:
    """The one workforce summary, as every face shows it (impact.scenarios.SUMMARY_ROWS)."""
    language = lang()
    return pd.DataFrame({name: [format_summary(key, s[key], language) for key, _ in SUMMARY_ROWS]
                         for name, s in summaries.items()},
                        index=[summary_label(key, language) for key, _ in SUMMARY_ROWS])


@st.cache_data(max_entries=8, show_spinner=False)
def _sweep(workers_key: str, _workers: pd.DataFrame, scenario: Scenario, moves: tuple, on: dt.date) -> pd.DataFrame:
    """The sensitivity grid, computed once per workforce, scenario, offices and day (in memory only)."""
    return sweep(_workers, _evaluate_on(workers_key, _workers, scenario, moves, on),
                 np.round(np.arange(1.5, 2.31, 0.1), 2), [0, 0.5, 1, 1.5, 2, 2.5, 3], parameters(), on, scenario)


def sensitivity(workers: pd.DataFrame, workers_key: str, scenario: Scenario, moves: tuple = ()) -> None:
    """Total yearly cost borne by workers across fuel prices and smart-working days, around `scenario`."""
    grid = _sweep(workers_key, workers, scenario, moves, today())
    st.vega_lite_chart(charts_union.sensitivity_spec(grid, lang()), width="stretch")


st.set_page_config(layout="wide")
st.title(t("union.title"))
st.write(t("union.intro"))
chosen = workforce()
if chosen is not None:
    workers, rejected, modelled = chosen
    workers_key = frame_key(workers)
    link = st.query_params.to_dict()
    st.subheader(t("union.scenarios"))
    col_a, col_b = st.columns(2)
    with col_a:
        st.markdown(f"**{t('union.scenario_a')}**")
        scenario_a, places_a, transfer_a = scenario_inputs("a", link)
    with col_b:
        st.markdown(f"**{t('union.scenario_b')}**")
        scenario_b, places_b, transfer_b = scenario_inputs("b", link)   # B starts as today; the user moves its levers
    moves = transit_detail.office_mover()
    run_a, run_b = (run_scenario(workers, scenario, parameters(), today(), gazetteer(), sites(), levers=levers,
                                 transfer_eur=transfer, modelled=modelled,
                                 run=lambda s: _evaluate_on(workers_key, workers, s, moves, today()))
                    for scenario, levers, transfer in ((scenario_a, places_a, transfer_a),
                                                       (scenario_b, places_b, transfer_b)))
    results_a = run_a.results
    summaries = {t("union.scenario_a"): run_a.summary, t("union.scenario_b"): run_b.summary}
    st.subheader(t("union.figures"))
    if modelled:
        st.caption(t("union.model_banner"))
    st.table(figures_table(summaries))
    st.caption(t("union.figures_note"))
    horizons = horizon_block(workers, {name: levers for name, levers in zip(summaries, (
        (scenario_a, places_a, run_a.evaluated), (scenario_b, places_b, run_b.evaluated)))},
                             lambda _, s: _evaluate_on(workers_key, workers, s, moves, today()))
    if scenario_a.smart_working_days_per_week or scenario_b.smart_working_days_per_week:
        st.caption(t("union_notes.smart_and_passes"))
    # Only the pay columns and the roster's line are read: no need to join every column for every row.
    for note in pay_gap_notes(results_a.assign(line=workers["line"].to_numpy()) if "line" in workers else results_a,
                              lang()):
        st.warning(t("union_notes.pay_gap", line=note["line"], reason=note["reason"]))
    st.subheader(t("union.distribution"))
    charts_union.distribution(results_a)
    charts_union.thresholds(results_a, workers)
    st.subheader(t("union.sensitivity"))
    sensitivity(workers, workers_key, scenario_a, moves)
    table = by_comune(results_a, workers, comune_names())
    st.subheader(t("charts.union_map_title"))
    maps.union_map(by_comune_istat(results_a, workers))
    st.subheader(t("union.by_comune"))
    shown = formatted(table, {"workers": "count", "median_extra_eur_month": "money", "median_extra_hours_month": "hours",
                              "road_km_new": "km"}, lang())
    shown = shown.assign(site=table["site"].map(lambda s: sites()[s].name)).rename(columns={
        "comune": t("union.col_comune"), "site": t("union.col_site"), "workers": t("union.col_workers"),
        "median_extra_eur_month": t("union.col_eur"), "median_extra_hours_month": t("union.col_hours"),
        "road_km_new": t("union.col_km")})
    st.dataframe(shown, hide_index=True)
    st.subheader(t("union.export"))
    export_buttons(workers, workers_key, results_a, summaries, rejected, horizons)
    case = lambda: workforce_pdf(summaries, results_a, table, parameters(), today(), lang(),  # noqa: E731
                                 workforce_chart_pngs(summaries, results_a, workers, lang()), horizons)
    st.download_button(t("report.download_union"), case, "trasferimento_torino_tavolo.pdf", "application/pdf",
                       on_click="ignore")
    notice_button(workers, modelled)
    if st.button(t("union.share")):
        st.query_params.from_dict({f"{n}_{k}": getattr(scenario, field) for n, scenario in (("a", scenario_a),
                                                                                         ("b", scenario_b))
                                   for k, (field, *_) in LEVERS.items()})
        st.caption(t("union.share_done"))
