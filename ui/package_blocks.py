"""Page blocks for issue 16: the saved case, the evidence pack, the version of a link, the package over time.

Each block is one function the page calls with one line; every figure comes from `impact`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from impact import i18n
from impact.clock import hhmm, parse_time_of_day
from impact.errors import PlaceError
from impact.evidence import evidence_pdf
from impact.horizon import Package, Timing, evaluate_package, horizon_chart_data, horizon_text
from impact.model import Scenario
from impact.notice_sheet import notice_pdf
from impact.places import Place, Site, destination
from impact.roster import RosterError, read_roster
from impact.saved_case import CaseError, case_json, cases_roster_csv, read_case
from impact.scenarios import SiteLevers
from impact.share import VERSION_KEY
from impact.version import changed_files, parameters_version
from ui.charts_worker import arrow_datasets
from ui.common import gazetteer, lang, parameters, router, sites, t, today, transit_router
from ui.numbers import number_box, set_number

HOUR_CHOICES = (4, 5, 6, 7, 8)


# --------------------------------------------------------------------------- worker page

def link_version_notice() -> None:
    """Say which parameter files changed when the shared link was made under another version."""
    old = st.query_params.get(VERSION_KEY)
    now = parameters_version()
    if not old or old == now:
        return
    files = changed_files(old)
    if files is None:
        st.info(t("package.link.unknown", old=old, new=now))
    else:
        st.info(t("package.link.changed", old=old, new=now, files=", ".join(files) or "—"))


def _case_inputs(home: Place, office: Site, hours: float, details: dict) -> dict:
    """Only what the page asked for: no name, no address."""
    nan_none = lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else v  # noqa: E731
    start, end = details["shift_start_min"], details["shift_end_min"]
    return {"home_istat": home.istat, "site": office.id, "hours_per_day": hours,
            "days_per_week": details["days_per_week"],
            "shift_start": hhmm(start), "shift_end": hhmm(end),
            "net_monthly_eur": nan_none(details["net_monthly_eur"]), "preferred_mode": details["preferred_mode"],
            "has_car": details["has_car"], "fuel_eur_per_l": details["fuel"], "l_per_100km": details["consumption"],
            "uses_motorway": details["uses_motorway"], "tolls_eur_per_day": nan_none(details["tolls_eur_per_day"]),
            "second_car": details["second_car"], "household_size": details["household_size"],
            "housing_now_eur_month": nan_none(details["housing_now_eur_month"]),
            "children_needing_care": details["children_needing_care"]}


def _time(text: str) -> dt.time:
    return dt.time(*divmod(parse_time_of_day(text), 60))


def _apply_case() -> None:
    """The uploader's callback: put the case's answers into the page's inputs (before they are drawn)."""
    upload = st.session_state.get("case_file")
    if upload is None:
        return
    try:
        case = read_case(upload.getvalue(), tuple(s.id for s in sites().values() if not s.is_destination))
        place = gazetteer().by_istat(case["home_istat"])
    except (CaseError, PlaceError) as exc:
        st.session_state["case_message"] = ("error", t("package.case.bad", reason=str(exc)))
        return
    state = st.session_state
    state["town"], state["site"] = place.label, case["site"]
    hours = case.get("hours_per_day", 6)
    messages = [t("package.case.loaded", town=place.label, office=sites()[case["site"]].name)]
    if hours in HOUR_CHOICES:
        state["hours"] = int(hours)
    else:
        messages.append(t("package.case.hours_kept", hours=i18n.number(hours, lang(), 1)))
        hours = state.get("hours", 6)
    keys = {"days_per_week": ("days", int), "preferred_mode": ("mode", str), "has_car": ("has_car", bool),
            "uses_motorway": ("motorway", bool), "second_car": ("second_car", bool),
            "household_size": ("household", int), "children_needing_care": ("children", int)}
    for field, (key, kind) in keys.items():
        if field in case:
            state[key] = kind(case[field])
    # The money and fuel boxes are text boxes written the user's way (ui.numbers): key and decimals shown.
    boxes = {"net_monthly_eur": ("net_pay", 0), "fuel_eur_per_l": ("fuel", 3), "l_per_100km": ("l100", 1),
             "tolls_eur_per_day": ("tolls", 2), "housing_now_eur_month": ("housing_now", 0)}
    for field, (key, decimals) in boxes.items():
        if field in case:
            set_number(key, float(case[field]), decimals)
    if "shift_start" in case:
        state["shift_start"] = _time(case["shift_start"])
    if "shift_end" in case:
        state[f"shift_end_{int(hours)}"] = _time(case["shift_end"])
    state["case_message"] = ("success", " ".join(messages))


def saved_case(home: Place | None, office: Site, hours: float, details: dict) -> None:
    """Save the inputs to a small JSON on her phone, and open one again; nothing is kept on the server."""
    st.subheader(t("package.case.title"))
    st.caption(t("package.case.intro"))
    kind, text = st.session_state.pop("case_message", (None, None))
    if kind:
        (st.success if kind == "success" else st.error)(text)
    if home is not None:   # written when clicked, not on every rerun
        inputs = _case_inputs(home, office, hours, details)
        st.download_button(t("package.case.save"), lambda: case_json(inputs),
                           file_name="mio-caso-trasferimento.json", mime="application/json",
                           icon=":material/save:", on_click="ignore")
    st.file_uploader(t("package.case.load"), type=["json"], key="case_file", on_change=_apply_case)


def evidence_button(result: pd.Series, home: Place, office: Site, details: dict, language: str, out=st) -> None:
    """The evidence pack for NASpI in `language`, built only when clicked (`out`: the page or a
    `ui.blocks.Blocks`)."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    row = result.to_dict()
    build = lambda: evidence_pdf(row, home, office, destination(sites()), details["shift_start_min"],  # noqa: E731
                                 details["shift_end_min"], transit_router(), parameters(), today(), language)
    out.download_button(t("package.evidence.download"), build, file_name="prova-naspi-tragitto.pdf",
                        mime="application/pdf", icon=":material/gavel:", on_click="ignore",
                        help=t("package.evidence.download_help"))


# --------------------------------------------------------------------------- union page

def saved_cases_report():
    """A roster read from workers' case files (the roster reader's report), or None before any upload."""
    uploads = st.file_uploader(t("package.case.upload"), type=["json"], accept_multiple_files=True,
                               key="case_files")
    if not uploads:
        st.info(t("package.case.hint"))
        return None
    try:
        data, rejected = cases_roster_csv([(u.name, u.getvalue()) for u in uploads])
        report = read_roster(data, "cases.csv", gazetteer=gazetteer(), sites=sites())
    except (CaseError, RosterError) as exc:
        st.error(exc.text(lang()) if isinstance(exc, RosterError) else str(exc))
        return None
    if rejected:
        st.warning(t("package.case.rejected", files="; ".join(f"{name}: {reason}" for name, reason in rejected)))
    return report


def notice_button(workers: pd.DataFrame, modelled: bool) -> None:
    """The notice-board sheets, with QR codes that open this app's worker page."""
    base = st.context.url.split("?")[0].rsplit("/", 1)[0] if st.context.url else "http://localhost:8501"
    language = lang()
    build = lambda: notice_pdf(workers, parameters(), today(), gazetteer(), sites(), base, language,  # noqa: E731
                               modelled=modelled, router=router(), transit=transit_router())
    st.download_button(t("package.notice.download"), build, "bacheca_comuni.pdf", "application/pdf",
                       on_click="ignore", icon=":material/qr_code_2:")


def _phasing(text: str) -> tuple[float, ...] | None:
    parts = text.replace(";", ",").replace(",", " ").split()
    try:
        shares = tuple(float(p) / 100 for p in parts)
    except ValueError:
        return None
    return shares if all(0 <= s <= 1 for s in shares) else None


def _package_inputs(name: str, years: int) -> Package | None:
    """The timing levers of one scenario (None when the phasing cannot be read)."""
    phasing = _phasing(st.text_input(t("package.horizon.phasing"), "100, 75, 50", key=f"{name}_phasing",
                                     help=t("package.horizon.phasing_help")))
    if phasing is None:
        st.error(t("package.horizon.bad_phasing"))
        return None
    months = {}
    for lever, label in (("allowance", "allowance_months"), ("pass", "pass_months"), ("shuttle", "shuttle_months")):
        months[lever] = int(st.number_input(t(f"package.horizon.{label}"), 0, 12 * years, 0, 6,
                                            key=f"{name}_{lever}_months", help=t("package.horizon.months_help")))
    credit = st.number_input(t("package.horizon.time_credit"), 0, 240, 0, 10, key=f"{name}_credit",
                             help=t("package.horizon.time_credit_help"))
    # Numbers with decimals are typed and shown the user's way (ui.numbers); empty means none.
    days = number_box(t("package.horizon.telework_days"), f"{name}_tele_days", 0.0, 0.0, 5.0, 1) or 0.0
    tele_min = st.number_input(t("package.horizon.telework_minutes"), 0, 240, 45, 5, key=f"{name}_tele_min")
    tele_km = st.number_input(t("package.horizon.telework_km"), 0, 200, 35, 5, key=f"{name}_tele_km")
    dep_share = st.number_input(t("package.horizon.dependants_share"), 0, 100, 0, 25, key=f"{name}_dep_share")
    dep_price = number_box(t("package.horizon.dependants_price"), f"{name}_dep_price", 0.0, 0.0, 300.0, 2) or 0.0
    duration = lambda m: m or None  # noqa: E731
    timing = (("monthly_allowance", Timing(duration_months=duration(months["allowance"]), phasing=phasing)),
              ("mileage_allowance", Timing(duration_months=duration(months["allowance"]), phasing=phasing)),
              ("company_pass", Timing(duration_months=duration(months["pass"]))),
              ("shuttle", Timing(duration_months=duration(months["shuttle"]))))
    return Package(horizon_years=years, timing=timing, time_credit_threshold_min=credit or None,
                   telework_days_per_week=days, telework_min_minutes=float(tele_min), telework_min_km=float(tele_km),
                   dependant_pass_share=dep_share / 100, dependant_pass_eur_month=dep_price)


def horizon_block(workers: pd.DataFrame, scenarios: dict[str, tuple[Scenario, SiteLevers, pd.DataFrame]],
                  evaluate) -> dict | None:
    """Scenarios A and B over the years: the timing levers, a chart by year and the table; returns the horizons.
    `scenarios`: each scenario's levers and its evaluated rows; `evaluate(workers, scenario)` for its variants."""
    language = lang()
    st.subheader(t("package.horizon.title"))
    st.caption(t("package.horizon.intro"))
    years = int(st.number_input(t("package.horizon.years"), 1, 10, 5, 1, key="horizon_years"))
    packages = {}
    with st.expander(t("package.horizon.levers"), expanded=True):
        columns = st.columns(len(scenarios))
        for column, (name, key) in zip(columns, zip(scenarios, ("a", "b"))):
            with column:
                st.markdown(f"**{name}**")
                packages[name] = _package_inputs(key, years)
        st.caption(t("package.horizon.dependants_note"))
    if any(p is None for p in packages.values()):
        return None
    horizons = {name: evaluate_package(workers, scenario, levers, packages[name], parameters(), today(), gazetteer(),
                                       sites(), results=results, run=lambda s: evaluate(workers, s))
                for name, (scenario, levers, results) in scenarios.items()}
    st.markdown(f"**{t('package.horizon.chart_title')}**")
    for spec in _horizon_specs(horizon_chart_data(horizons), language):
        st.vega_lite_chart(spec, width="stretch", height=330, alt=t("package.horizon.chart_title"))
    st.caption(" ".join(t("package.horizon.text_alt", year=y["year"], scenario=name,
                          cost=i18n.eur(y["company_cost_eur"], language, 0),
                          loss=i18n.eur(y["workers_loss_eur"], language, 0))
                        for name, h in horizons.items() for y in h["years"]))
    # A data grid, not st.table: seven columns scroll sideways on a phone, and the grid can be reached by keyboard.
    st.dataframe(horizon_table(horizons, language), hide_index=True)
    return horizons


@st.cache_resource(max_entries=16, show_spinner=False)
def _horizon_specs(data: pd.DataFrame, language: str) -> tuple[dict, dict]:
    """The company's cost and the workers' loss by year (`horizon_chart_data`), as Vega-Lite specs with their
    data in Arrow: built once per figures and language (shared, never changed), not on every rerun."""
    import altair as alt   # the union page's chart: a worker page's server does not load Altair (26 MB)
    say = i18n.in_language(language)
    data = data.assign(eur_text=data["eur"].map(lambda v: i18n.eur(v, language, 0)))
    axis = alt.Axis(labelExpr="replace(format(datum.value, ',.0f'), /,/g, '.') + ' €'" if language == "it"
                    else "'€' + format(datum.value, ',.0f')")
    specs = []
    for measure in ("company_cost_eur", "workers_loss_eur"):
        title = say(f"package.horizon.measure_{measure}")
        chart = alt.Chart(data[data["measure"] == measure], title=title).mark_bar().encode(
            x=alt.X("year:O", title=say("package.horizon.axis_year"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("scenario:N"),
            y=alt.Y("eur:Q", title=say("package.horizon.axis_eur"), axis=axis),
            color=alt.Color("scenario:N", title=say("package.horizon.col_scenario"),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("scenario:N", title=say("package.horizon.col_scenario")),
                     alt.Tooltip("year:O", title=say("package.horizon.col_year")),
                     alt.Tooltip("eur_text:N", title=title)],
        ).properties(height=200)
        specs.append(arrow_datasets(chart.to_dict(validate=False)))
    return tuple(specs)


def horizon_table(horizons: dict[str, dict], language: str) -> pd.DataFrame:
    """The horizon as shown: one row per scenario and year, and a total per scenario."""
    header, rows = horizon_text(horizons, language)
    return pd.DataFrame(rows, columns=header)
