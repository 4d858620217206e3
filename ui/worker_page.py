"""The worker's page: home town, office and hours in; what the move costs, with its sources, out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from impact import i18n
from impact.clock import hhmm
from impact.errors import AmbiguousPlace, InputError, PlaceError
from impact.model import Scenario, contract_minimum_net_pay, default_net_pay, evaluate
from impact.places import Place, Site, destination
from impact.report import parameter_value, trace, worker_pdf, worker_pdf_inputs
from impact.results import format_value, headline_figures, routing_note_text, shift_notes
from impact.safe_text import markdown
from impact.share import link_params
from impact.validation import SCENARIO_RANGES, WORKER_RANGES
from ui import charts_worker, maps, transit_detail
from ui.package_blocks import evidence_button, link_version_notice, saved_case
from ui.common import gazetteer, journey_legs, lang, parameters, router, sites, t, today, transit_router
from ui.numbers import number_box

TOWN_KEY = "town"


def _choose(label: str) -> None:
    st.session_state[TOWN_KEY] = label


def town_input() -> Place | None:
    """The town box: type to filter; a free text or CAP is resolved, a miss gets suggestions."""
    places = gazetteer()
    typed = st.selectbox(t("worker.town"), places.labels, index=None, key=TOWN_KEY,
                         placeholder=t("worker.town_placeholder"), accept_new_options=True)
    if not typed:
        return None
    try:
        place = places.resolve(typed)
        if typed != place.label:  # a CAP or another spelling: say at once which comune it is
            st.caption(t("answer.town_resolved", town=place.label, istat=place.istat))
        return place
    except PlaceError as exc:
        ambiguous = isinstance(exc, AmbiguousPlace)
        st.warning(t("worker.ambiguous" if ambiguous else "worker.unknown", query=markdown(typed)))
        if not exc.candidates:
            st.caption(t("worker.no_suggestions"))
            return None
        if not ambiguous:
            st.write(t("worker.suggestions"))
        columns = st.columns(min(len(exc.candidates), 3))
        for i, place in enumerate(exc.candidates[:9]):
            columns[i % len(columns)].button(place.label, key=f"suggest-{place.istat}",
                                             on_click=_choose, args=(place.label,))
        return None


def office_input() -> Site:
    closing = [s for s in sites().values() if not s.is_destination]
    chosen = st.radio(t("worker.office"), [s.id for s in closing], horizontal=True, key="site",
                      format_func=lambda site_id: sites()[site_id].name)
    return sites()[chosen]


LINK_KEYS = ("comune", "sede", "ore")


def restore_from_link() -> None:
    """Fill the three first inputs from a shared link, once per session; nothing personal is ever in it."""
    link = st.query_params
    # Only a session's first run reads the link: a link made later ("Crea il link") must not undo changes.
    if st.session_state.get("link_restored"):
        return
    st.session_state["link_restored"] = True
    if "comune" not in link:
        return
    try:
        st.session_state[TOWN_KEY] = gazetteer().by_istat(link["comune"]).label
    except PlaceError:
        return
    if link.get("sede") in sites() and not sites()[link["sede"]].is_destination:
        st.session_state["site"] = link["sede"]
    if link.get("ore") in {"4", "5", "6", "7", "8"}:
        st.session_state["hours"] = int(link["ore"])


def share_link(home: Place, office: Site, hours: float) -> None:
    """Put the comune, the office and the hours in the address: no pay, no address, no name."""
    if st.button(t("worker.share"), icon=":material/link:"):
        st.query_params.from_dict(link_params(home.istat, office.id, hours))
        st.caption(t("worker.share_done"))


def hours_input() -> float:
    # A default and a value from the link together make Streamlit warn: the link's value stands alone.
    default = None if "hours" in st.session_state else 6
    return st.segmented_control(t("worker.hours"), [4, 5, 6, 7, 8], default=default, key="hours", required=True,
                                format_func=lambda h, language=lang(): i18n.t("worker.hours_value", language, hours=h))


def details_input(hours: float) -> dict:
    """The optional inputs that refine the answer, folded away on a phone."""
    on = today()
    default_pay = float(default_net_pay(hours, parameters(), on))
    with st.expander(t("worker.more")):
        days = st.number_input(t("worker.days"), min_value=1, max_value=6, value=5, step=1, key="days")
        left, right = st.columns(2)
        start = left.time_input(t("worker.shift_start"), value=dt.time(9, 0), step=900, key="shift_start")
        end_default = (dt.datetime.combine(dt.date.today(), start) + dt.timedelta(hours=hours)).time()
        end = right.time_input(t("worker.shift_end"), value=end_default, step=900, key=f"shift_end_{hours}")
        for note in shift_notes(hours, start.hour * 60 + start.minute, end.hour * 60 + end.minute, lang()):
            st.warning(note)
        low, high, _ = WORKER_RANGES["net_monthly_eur"]   # the model's own range: refused here in words
        pay = number_box(t("worker.net_pay"), "net_pay", None, low, high, 0,
                         placeholder=t("worker.net_pay_default", pay=i18n.eur(default_pay, lang(), 0)))
        st.caption(pay_beside(hours, days))
        mode = st.radio(t("worker.mode"), ["best", "car", "transit"], horizontal=True, key="mode",
                        format_func=lambda m, language=lang(): i18n.t(f"worker.mode_{m}", language))
        has_car = st.checkbox(t("worker.has_car"), value=True, key="has_car")
        st.markdown(f"**{t('worker.car_options')}**")
        fuel_default = float(parameters().value("car.fuel.petrol_eur_per_l", on))
        fuel = number_box(t("worker.fuel_price"), "fuel", fuel_default, *SCENARIO_RANGES["fuel_eur_per_l"], 3)
        consumption_default = float(parameters().value("car.running_costs.consumption_real_l_per_100km", on))
        consumption = number_box(t("worker.consumption"), "l100", consumption_default,
                                 *SCENARIO_RANGES["l_per_100km"], 1)
        motorway = st.checkbox(t("worker.motorway"), value=True, key="motorway")
        tolls = number_box(t("worker.tolls"), "tolls", None, *WORKER_RANGES["tolls_eur_per_day"][:2], 2,
                           placeholder=t("worker.tolls_default"))
        second_car = st.checkbox(t("worker.second_car"), value=False, key="second_car")
        st.markdown(f"**{t('worker.home_options')}**")
        household = st.number_input(t("worker.household"), min_value=1, max_value=8, value=2, step=1, key="household")
        housing_now = number_box(t("worker.housing_now"), "housing_now", None,
                                 *WORKER_RANGES["housing_now_eur_month"][:2], 0,
                                 placeholder=t("worker.housing_now_default"))
        children = st.number_input(t("worker.children"), min_value=0, max_value=6, value=0, step=1, key="children",
                                   help=t("worker.children_help"))
    return {"days_per_week": days, "net_monthly_eur": np.nan if pay is None else pay,
            "shift_start_min": start.hour * 60 + start.minute, "shift_end_min": end.hour * 60 + end.minute,
            "uses_motorway": motorway, "tolls_eur_per_day": np.nan if tolls is None else tolls,
            "second_car": second_car, "household_size": household,
            "housing_now_eur_month": np.nan if housing_now is None else housing_now,
            "children_needing_care": children, "preferred_mode": mode, "has_car": has_car,
            "fuel": fuel_default if fuel is None else fuel,
            "consumption": consumption_default if consumption is None else consumption}


def pay_beside(hours: float, days: float) -> str:
    """The contract minimum's take-home for these hours, beside the union's figure used by default."""
    # Her comune is not known here: Torino's surcharges (within a few euros of any other comune's).
    minimum = contract_minimum_net_pay(hours, days, "001272", parameters(), today())[0]
    return t("answer.pay_beside", minimum=i18n.eur(minimum, lang(), 0), hours=i18n.number(hours, lang(), 0),
             union=i18n.eur(float(default_net_pay(hours, parameters(), today())), lang(), 0))


def evaluate_worker(home: Place, office: Site, hours: float, details: dict) -> pd.Series:
    """The one-worker roster through the same evaluate() as every other face."""
    if router() is not None:   # a live road router may answer otherwise next time (or fall back): asked each time
        return _evaluate_worker(home.istat, office.id, hours, tuple(details.items()), today())
    # Offline, the answer depends on the inputs and the loaded data only: evaluated once per inputs, so that
    # a rerun that changed nothing (a fold, a button) does not evaluate again.
    return _evaluate_offline(home.istat, office.id, hours, tuple(details.items()), today(),
                             tuple(id(x) for x in (parameters(), gazetteer(), sites(), transit_router())))


def _evaluate_worker(istat: str, office_id: str, hours: float, details: tuple, on: dt.date) -> pd.Series:
    values = dict(details)
    worker = pd.DataFrame([{"home_istat": istat, "site": office_id, "hours_per_day": hours,
                            **{k: v for k, v in values.items() if k not in ("fuel", "consumption")}}])
    scenario = Scenario(fuel_eur_per_l=values["fuel"], l_per_100km=values["consumption"])
    result = evaluate(worker, scenario, parameters(), on, gazetteer(), sites(), router(), transit=transit_router())
    return result.iloc[0]


@st.cache_resource(max_entries=64, show_spinner=False)
def _evaluate_offline(istat: str, office_id: str, hours: float, details: tuple, on: dt.date,
                      data_ids: tuple) -> pd.Series:
    """`_evaluate_worker` once per inputs; `data_ids`: which loaded data answered (a reload asks again).
    The answer is shared by the reruns and never changed by the page."""
    return _evaluate_worker(istat, office_id, hours, details, on)


def headline(r: pd.Series) -> None:
    """Three figures a person takes in at a glance, from the one answer every face uses."""
    f = headline_figures(r, lang())
    st.subheader(t(f"worker.headline_{r['best_mode']}"))
    a, b, c = st.columns(3)
    a.metric(f["money_label"], f["money"], border=True)
    b.metric(f["hours_label"], t("worker.hours_short", hours=f["hours"]), border=True)
    c.metric(f["share_label"], f["share"], border=True)
    pay_note = t("worker.pay_default_note") if r["net_pay_is_default"] else ""
    year_key = f"worker.headline_note_{r['best_mode']}" if r["extra_best_eur_month"] >= 0 else "worker.headline_note_saving"
    st.caption(t(year_key, pay=f["pay"], year=f["year"]) + " " + pay_note)


def car_section(r: pd.Series, office: Site) -> None:
    language = lang()
    st.subheader(t("worker.car_title"))
    km, eur = (lambda v: i18n.km(v, language)), (lambda v: i18n.eur(v, language, 0))
    minutes = lambda v: t("worker.minutes", minutes=i18n.number(v, language, 0))  # noqa: E731
    estimated = r["car_source_new"] == "estimate"
    new_km = f"{km(r['car_km_new'])}" + (f" ({km(r['car_km_low_new'])}–{km(r['car_km_high_new'])})" if estimated else "")
    new_min = minutes(r["car_min_new"]) + (
        f" ({i18n.number(r['car_min_low_new'], language, 0)}–{minutes(r['car_min_high_new'])})" if estimated else "")
    table = pd.DataFrame({
        "": [t("worker.row_km"), t("worker.row_minutes"), t("worker.row_cash"), t("worker.row_full")],
        t("worker.col_old", site=office.name): [km(r["car_km_old"]), minutes(r["car_min_old"]),
                                                eur(r["car_cash_old"]), eur(r["car_full_old"])],
        t("worker.col_new"): [new_km, new_min, eur(r["car_cash_new"]), eur(r["car_full_new"])],
    })
    st.table(table.set_index(""))
    if r["straight_km_old"] < 1:
        st.caption(t("worker.same_comune"))
    source = t("worker.source_ors") if not estimated else t("worker.source_estimate")
    st.caption(t("worker.car_source", source=source) + " " + t("worker.car_costs_note"))
    note = r.get("routing_note", "")
    if note:
        st.warning(t("worker.routing_fallback", reason=routing_note_text(note, language)))


def transit_section(r: pd.Series, office: Site, home: Place, details: dict) -> None:
    """Old and new by public transport, for this shift: door to door, changes, fares, the last run home."""
    language = lang()
    st.subheader(t("worker.transit_title"))
    minutes = lambda v: "—" if np.isnan(v) else t("worker.minutes", minutes=i18n.number(v, language, 0))  # noqa: E731
    eur = lambda v: "—" if np.isnan(v) else i18n.eur(v, language, 0)  # noqa: E731
    table = pd.DataFrame({
        "": [t("worker.row_door_to_door"), t("worker.row_transit_eur")],
        t("worker.col_old", site=office.name): [minutes(r["transit_min_old"]), eur(r["transit_eur_old"])],
        t("worker.col_new"): [minutes(r["transit_min_new"]), eur(r["transit_eur_new"])],
    })
    st.table(table.set_index(""))
    if not r["transit_feasible_new"]:
        last = r["transit_last_leave_new"]
        st.warning(t("worker.transit_no_way_home", last=hhmm(last)) if not np.isnan(last)
                   else t("worker.transit_none"))
    else:
        st.markdown(t("worker.transit_runs", changes=int(r["transit_changes_new"]),
                      last=hhmm(r["transit_last_leave_new"])))
        with st.expander(t("charts.legs_fold")):
            for line in _ride_lines(home.lat, home.lon, destination(sites()).id, details["shift_start_min"],
                                    details["shift_end_min"], language, today()):
                st.markdown(line)
    basis = t("worker.fare_official") if r["transit_fare_basis_new"] == "official" else t("worker.fare_indexed")
    st.caption(t("worker.transit_source", basis=basis))


@st.cache_resource(max_entries=64, show_spinner=False)
def _ride_lines(home_lat: float, home_lon: float, site_id: str, shift_start_min: int, shift_end_min: int,
                language: str, on: dt.date) -> tuple[str, ...]:
    """The rides out and back as one line each way (today's, `on`), written once per home, shift, language
    and day."""
    legs = journey_legs(home_lat, home_lon, site_id, shift_start_min, shift_end_min)
    rides = [leg for leg in legs.to_dict("records") if leg["kind"] == "ride"]
    lines = []
    for direction in ("out", "back"):
        text = "; ".join(f"{hhmm(leg['depart'])} {leg['line']}: {leg['from_name']} → {leg['to_name']} "
                         f"({hhmm(leg['arrive'])})" for leg in rides if leg["direction"] == direction)
        if text:
            lines.append(f"- {i18n.t('worker.transit_' + direction, language)}: {text}")
    return tuple(lines)


def time_section(r: pd.Series) -> None:
    language = lang()
    st.subheader(t("worker.time_title"))
    hours = r["extra_best_hours_month"]
    if hours <= 0:
        st.write(t("worker.time_less", month=i18n.number(-hours, language, 0)))
        return
    # The month with a decimal: "52,7 hours a month, 632 a year" reads right; "53 ... 632" did not.
    st.write(t(f"worker.time_text_{r['best_mode']}", month=i18n.number(hours, language, 1),
               year=i18n.number(12 * hours, language, 0),
               value=i18n.eur(r["value_of_time_eur_month"], language, 0)))
    if r["care_eur_month"] > 0:
        st.write(t("worker.care_text", care=i18n.eur(r["care_eur_month"], language, 0)))


def relocation_section(r: pd.Series) -> None:
    language = lang()
    eur = lambda v: i18n.eur(v, language, 0)  # noqa: E731
    st.subheader(t("worker.move_title"))
    if r["extra_best_eur_month"] <= 0:
        st.write(t("worker.move_not_needed"))
        return
    basis = lambda b: t(f"worker.basis_{b}")  # noqa: E731  (codes from impact.housing)
    st.write(t("worker.move_text", rent=eur(r["move_rent_new_eur_month"]), basis=basis(r["move_rent_new_basis"]),
               now=eur(r["move_housing_now_eur_month"]), now_basis=basis(r["move_housing_now_basis"]),
               one_off=eur(r["move_one_off_eur"]), deposit=eur(r["move_deposit_eur"])))
    advantage, months = r["move_advantage_eur_month"], r["move_break_even_month"]
    if advantage > 0:
        verdict = t("worker.move_cheaper", amount=eur(advantage), way=t(f"report_answer.commute_{r['best_mode']}"))
    else:
        verdict = t("worker.move_dearer", amount=eur(-advantage), way=t(f"report_answer.commute_{r['best_mode']}"))
    pays_back = (t("worker.move_never") if not np.isfinite(months)
                 else t("worker.move_break_even", months=int(months)))
    st.info(f"{verdict} {pays_back}")


def calculation_trace(r: pd.Series, details: dict) -> None:
    """Every figure's inputs with their sources and dates: the 'how it was computed' panel."""
    language = lang()
    on = today()
    with st.expander(t("worker.trace_title")):
        st.markdown(t("worker.trace_days", days=i18n.number(r["days_new"], language, 1),
                      per_week=i18n.number(details["days_per_week"], language, 0)))
        if r["best_mode"] == "car":
            st.markdown(t("worker.trace_car", fuel=i18n.number(details["fuel"], language, 3),
                          consumption=i18n.number(details["consumption"], language, 1)))
        else:
            st.markdown(t("trace.transit", product=format_value("transit_product_new", r["transit_product_new"], language),
                          km=format_value("fare_rail_km_new", r["fare_rail_km_new"], language),
                          gtt=t("trace.gtt_yes" if r["uses_gtt_new"] else "trace.gtt_no")))
        if not r["net_pay_is_default"]:
            st.markdown(t("trace.own_pay", pay=format_value("net_monthly_eur", r["net_monthly_eur"], language)))
        for line in _trace_lines(tuple(trace(r, parameters(), on)), language, on, id(parameters())):
            st.markdown(line)
        st.caption(t("worker.trace_more"))


@st.cache_resource(max_entries=64, show_spinner=False)
def _trace_lines(paths: tuple[str, ...], language: str, on: dt.date, parameters_id: int) -> tuple[str, ...]:
    """One line per parameter behind the answer, with its value, date and source; written once per
    parameters, language and day (`parameters_id`: which loaded parameters)."""
    say = lambda key: i18n.t(key, language)  # noqa: E731
    lines = []
    for path in paths:
        parameter = parameters().get(path)
        value = parameter.at(on)
        flags = []
        if parameter.assumption:
            flags.append(say("method.assumption"))
        if parameter.is_stale(on):
            flags.append(say("method.status_stale"))
        flag_text = f" — *{', '.join(flags)}*" if flags else ""
        lines.append(f"- {parameter.describe(language).rstrip('.')}: **{parameter_value(value.value, language)} "
                     f"{i18n.unit(parameter.unit, language)}** ({say('method.col_valid_from').lower()} "
                     f"{i18n.date(value.valid_from, language)}; [{value.source.title}]({value.source.url})){flag_text}")
    return tuple(lines)


def compensation_section(r: pd.Series) -> None:
    """What would make the worker whole, and what each way costs the company."""
    extra = r["extra_best_eur_month"]
    if extra <= 0:
        return
    language = lang()
    eur = lambda v: i18n.eur(v, language, 0)  # noqa: E731
    st.subheader(t("worker.whole_title"))
    st.write(t("worker.whole_text", extra=eur(extra), raise_=eur(r["raise_gross_per_payment_eur"]),
               company=eur(r["raise_company_cost_annual_eur"])))
    st.write(t("worker.whole_alternatives", fringe=eur(r["fringe_company_cost_annual_eur"]),
               transfer=eur(r["transfer_allowance_first_year_eur"])))
    st.caption(t("worker.whole_note"))


def rights_section(r: pd.Series) -> None:
    """The INPS transfer rule and NASpI, with their references: information, not advice."""
    language = lang()
    on = today()
    st.subheader(t("worker.rights_title"))
    threshold_km = parameters().value("rights.inps_transfer.max_distance_km", on)
    minutes = parameters().value("rights.inps_transfer.max_public_transport_minutes", on)
    status = r["rights_distance_status"]
    text = {"yes": "worker.rights_distance_yes", "borderline": "worker.rights_distance_borderline",
            "no": "worker.rights_distance_no"}[status]
    box = {"yes": st.success, "borderline": st.warning, "no": st.info}[status]
    box(t(text, km=threshold_km, road=i18n.km(r["car_km_new"], language),
          straight=i18n.km(r["straight_km_new"], language)))
    if r["rights_over_80min"]:
        st.success(t("worker.rights_minutes_yes", minutes=minutes, inps=i18n.number(r["inps_minutes"], language, 0)))
    else:
        st.info(t("worker.rights_minutes_no", minutes=minutes, inps=i18n.number(r["inps_minutes"], language, 0)))
    if r["inps_lower_bound"]:
        st.caption(t("worker.rights_lower_bound"))
    st.write(t("worker.rights_naspi", naspi=i18n.eur(r["naspi_monthly_eur"], language, 0),
               months=int(r["naspi_duration_months"])))
    refs = parameters().get("rights.inps_transfer.resignation_for_just_cause_covered").at(on).source
    inps = parameters().get("rights.inps_transfer.max_distance_km").at(on).source
    # Plain text, not a caption: links in the caption's grey fall below the contrast WCAG asks for.
    st.markdown(t("worker.rights_refs") + f" [{inps.title}]({inps.url}) · [{refs.title}]({refs.url}). "
                + t("worker.not_advice"))


def show_distances(r: pd.Series, home: Place, office: Site) -> None:
    language = lang()
    st.subheader(t("worker.distances", town=home.label))
    km_old, km_new = r["straight_km_old"], r["straight_km_new"]
    delta = km_new - km_old
    delta_text = t("worker.dist_delta" if delta >= 0 else "worker.dist_delta_less", delta=i18n.km(abs(delta), language))
    left, right = st.columns(2)
    left.metric(t("worker.dist_old", site=office.name), i18n.km(km_old, language))
    # A longer trip is bad news: red when farther, green when nearer.
    right.metric(t("worker.dist_new"), i18n.km(km_new, language), delta=delta_text,
                 delta_color="inverse" if delta >= 0 else "normal",
                 delta_arrow="up" if delta >= 0 else "down")
    st.caption(t("worker.straight_line_note"))



# On a phone the three headline figures stay side by side and the title shrinks, so the
# answer is on the first screen under the three inputs.
st.html("""<style>
@media (max-width: 640px) {
  h1 { font-size: 1.9rem !important; }
  .st-key-headline [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 0.4rem; }
  .st-key-headline [data-testid="stColumn"] { min-width: 0 !important; width: 33% !important; }
  .st-key-headline [data-testid="stMetricValue"] { font-size: 1.5rem !important; }
  .st-key-headline [data-testid="stMetric"] { padding: 0.5rem !important; }
  .st-key-headline [data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; font-size: 0.8rem !important; line-height: 1.2 !important; }
}
</style>""")
st.title(t("worker.title"))
closing_names = t("worker.and").join(s.name for s in sites().values() if not s.is_destination)
intro = st.empty()
restore_from_link()
link_version_notice()
home = town_input()
office = office_input()
hours = hours_input()
# The headline is drawn above the refining inputs, so on a phone it is the first thing under the
# three inputs that matter; the details fold away below it.
headline_area = st.container(key="headline")
details = details_input(hours)
if home is None:
    intro.write(t("worker.intro", old_sites=closing_names))
    st.info(t("worker.pick_town"))
else:
    try:
        result = evaluate_worker(home, office, hours, details)
    except InputError as exc:   # e.g. a take-home pay of 0 or 1 €: said in words, nothing costed
        with headline_area:
            st.error(markdown(exc.text(lang())))
        st.stop()
    with headline_area:
        headline(result)
    charts_worker.worker_day(result, home, office, details)
    charts_worker.worker_money(result, details)
    car_section(result, office)
    transit_section(result, office, home, details)
    transit_detail.worker_blocks(home, details, office.id)
    time_section(result)
    relocation_section(result)
    compensation_section(result)
    rights_section(result)
    show_distances(result, home, office)
    calculation_trace(result, details)
    share_link(home, office, hours)
    # Built only when clicked: drawing the PDF on every rerun cost a quarter of the page's time.
    language = lang()
    labels = worker_pdf_inputs(home.label, office.name, hours, details["days_per_week"], details["shift_start_min"],
                               details["shift_end_min"], language)
    st.download_button(t("report.download"), lambda: worker_pdf(result.to_dict(), labels, parameters(), today(), language,
                                                     charts_worker.pdf_images(result, home, office, details)),
                       file_name="trasferimento-torino.pdf", mime="application/pdf",
                       icon=":material/download:", on_click="ignore")
    evidence_button(result, home, office, details)
    maps.worker_map(home, office, destination(sites()))
saved_case(home, office, hours, details)
st.caption(t("worker.not_advice"))
