"""The worker page's answer: evaluated once per inputs, written once per language, drawn on every rerun.

`evaluate_worker` gives an `Answer` (the one-worker result of `evaluate()`); `worker_view` writes its
sections (sentences, tables, charts, the map) into `Blocks` once per answer and language, kept with
the answer, so that a rerun in which nothing changed only draws them again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import numpy as np
import pandas as pd
import streamlit as st

from impact import i18n
from impact.clock import hhmm
from impact.model import Scenario, contract_minimum_net_pay, default_net_pay, evaluate
from impact.places import Place, Site, destination
from impact.report import parameter_value, trace, worker_pdf, worker_pdf_inputs
from impact.results import format_value, headline_figures, routing_note_text
from ui import charts_worker, maps, transit_detail
from ui.blocks import Blocks
from ui.common import gazetteer, journey_legs, parameters, router, sites, today, transit_router
from ui.package_blocks import evidence_button

#: the keys of the folds that draw their content only when open (tests open them all)
RIDES_FOLD, TRACE_FOLD = "fold_rides", "fold_trace"
WORKER_FOLDS = (RIDES_FOLD, *transit_detail.WORKER_FOLDS, TRACE_FOLD)


@dataclasses.dataclass
class Answer:
    """One worker's result and its sections as drawn, per language (filled by `worker_view`)."""
    result: pd.Series
    views: dict = dataclasses.field(default_factory=dict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


def evaluate_worker(home: Place, office: Site, hours: float, details: dict) -> Answer:
    """The one-worker roster through the same evaluate() as every other face."""
    if router() is not None:   # a live road router may answer otherwise next time (or fall back): asked each time
        return Answer(_evaluate_worker(home.istat, office.id, hours, tuple(details.items()), today()))
    # Offline, the answer depends on the inputs and the loaded data only: evaluated once per inputs, so that
    # a rerun that changed nothing (a fold, a button) does not evaluate again. The inputs are written into
    # one string, the key, which is far cheaper for the cache to hash on every rerun than the values;
    # `data_ids`: which loaded data answered (a reload asks again).
    details_items, on = tuple(details.items()), today()
    data_ids = tuple(id(x) for x in (parameters(), gazetteer(), sites(), transit_router()))
    key = repr(((home.istat, office.id, hours, details_items, on), data_ids))
    # By keyword: Streamlit reads a function's signature once per positional argument of every call.
    return _evaluate_offline(key=key, _istat=home.istat, _office_id=office.id, _hours=hours,
                             _details=details_items, _on=on)


def _evaluate_worker(istat: str, office_id: str, hours: float, details: tuple, on: dt.date) -> pd.Series:
    values = dict(details)
    worker = pd.DataFrame([{"home_istat": istat, "site": office_id, "hours_per_day": hours,
                            **{k: v for k, v in values.items() if k not in ("fuel", "consumption")}}])
    scenario = Scenario(fuel_eur_per_l=values["fuel"], l_per_100km=values["consumption"])
    result = evaluate(worker, scenario, parameters(), on, gazetteer(), sites(), router(), transit=transit_router())
    return result.iloc[0]


@st.cache_resource(max_entries=64, show_spinner=False)
def _evaluate_offline(key: str, _istat: str, _office_id: str, _hours: float, _details: tuple,
                      _on: dt.date) -> Answer:
    """`_evaluate_worker` once per `key` (the other arguments written out: the cache hashes the key only).
    The answer is shared by the reruns and never changed by the page."""
    return Answer(_evaluate_worker(_istat, _office_id, _hours, _details, _on))


def worker_view(answer: Answer, home: Place, office: Site, hours: float, details: dict,
                language: str) -> dict[str, Blocks]:
    """The answer's sections in `language`, written on its first showing: "headline" (drawn above the
    refining inputs), "body" (everything under them down to the trace) and "tail" (the downloads and
    the map, under the share button)."""
    with answer.lock:
        if language not in answer.views:
            answer.views[language] = _write_view(answer.result, home, office, hours, details, language)
        return answer.views[language]


def _write_view(r: pd.Series, home: Place, office: Site, hours: float, details: dict,
                language: str) -> dict[str, Blocks]:
    top, body = Blocks(), Blocks()
    headline(top, r, language)
    charts_worker.worker_day(body, r, home, office, details, language)
    charts_worker.worker_money(body, r, details, language)
    car_section(body, r, office, language)
    transit_section(body, r, office, home, details, language)
    transit_detail.worker_blocks(body, home, details, office.id, r, language)
    time_section(body, r, language)
    relocation_section(body, r, language)
    compensation_section(body, r, language)
    rights_section(body, r, language)
    show_distances(body, r, home, office, language)
    calculation_trace(body, r, details, language)
    tail = Blocks()
    downloads(tail, r, home, office, hours, details, language)
    maps.worker_map(tail, home, office, destination(sites()), language)
    return {"headline": top, "body": body, "tail": tail}


def headline(out: Blocks, r: pd.Series, language: str) -> None:
    """Three figures a person takes in at a glance, from the one answer every face uses."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    f = headline_figures(r, language)
    out.subheader(t(f"worker.headline_{r['best_mode']}"))
    a, b, c = out.columns(3)
    a.metric(f["money_label"], f["money"], border=True)
    b.metric(f["hours_label"], t("worker.hours_short", hours=f["hours"]), border=True)
    c.metric(f["share_label"], f["share"], border=True)
    pay_note = t("worker.pay_default_note") if r["net_pay_is_default"] else ""
    year_key = f"worker.headline_note_{r['best_mode']}" if r["extra_best_eur_month"] >= 0 else "worker.headline_note_saving"
    out.caption(t(year_key, pay=f["pay"], year=f["year"]) + " " + pay_note)


def car_section(out: Blocks, r: pd.Series, office: Site, language: str) -> None:
    t = i18n.in_language(language)   # the view's language, whatever the session's
    out.subheader(t("worker.car_title"))
    km, eur = (lambda v: i18n.km(v, language)), (lambda v: i18n.eur(v, language, 0))
    minutes = lambda v: t("worker.minutes", minutes=i18n.number(v, language, 0))  # noqa: E731
    estimated = r["car_source_new"] == "estimate"
    new_km = f"{km(r['car_km_new'])}" + (f" ({km(r['car_km_low_new'])}–{km(r['car_km_high_new'])})" if estimated else "")
    new_min = minutes(r["car_min_new"]) + (
        f" ({i18n.number(r['car_min_low_new'], language, 0)}–{minutes(r['car_min_high_new'])})" if estimated else "")
    out.table(pd.DataFrame({
        t("worker.col_old", site=office.name): [km(r["car_km_old"]), minutes(r["car_min_old"]),
                                                eur(r["car_cash_old"]), eur(r["car_full_old"])],
        t("worker.col_new"): [new_km, new_min, eur(r["car_cash_new"]), eur(r["car_full_new"])],
    }, index=pd.Index([t("worker.row_km"), t("worker.row_minutes"), t("worker.row_cash"), t("worker.row_full")],
                      name="")))
    source = t("worker.source_ors") if not estimated else t("worker.source_estimate")
    notes = [t("worker.car_source", source=source) + " " + t("worker.car_costs_note")]
    if r["straight_km_old"] < 1:
        notes.insert(0, t("worker.same_comune"))
    out.caption("\n\n".join(notes))
    note = r.get("routing_note", "")
    if note:
        out.warning(t("worker.routing_fallback", reason=routing_note_text(note, language)))


def transit_section(out: Blocks, r: pd.Series, office: Site, home: Place, details: dict, language: str) -> None:
    """Old and new by public transport, for this shift: door to door, changes, fares, the last run home."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    out.subheader(t("worker.transit_title"))
    minutes = lambda v: "—" if np.isnan(v) else t("worker.minutes", minutes=i18n.number(v, language, 0))  # noqa: E731
    eur = lambda v: "—" if np.isnan(v) else i18n.eur(v, language, 0)  # noqa: E731
    out.table(pd.DataFrame({
        t("worker.col_old", site=office.name): [minutes(r["transit_min_old"]), eur(r["transit_eur_old"])],
        t("worker.col_new"): [minutes(r["transit_min_new"]), eur(r["transit_eur_new"])],
    }, index=pd.Index([t("worker.row_door_to_door"), t("worker.row_transit_eur")], name="")))
    if not r["transit_feasible_new"]:
        last = r["transit_last_leave_new"]
        out.warning(t("worker.transit_no_way_home", last=hhmm(last)) if not np.isnan(last)
                    else t("worker.transit_none"))
    else:
        out.markdown(t("worker.transit_runs", changes=int(r["transit_changes_new"]),
                       last=hhmm(r["transit_last_leave_new"])))
        out.fold(t("charts.legs_fold"), RIDES_FOLD, lambda: _ride_lines(
            home, destination(sites()).id, details["shift_start_min"], details["shift_end_min"], language))
    basis = t("worker.fare_official") if r["transit_fare_basis_new"] == "official" else t("worker.fare_indexed")
    out.caption(t("worker.transit_source", basis=basis))


def _ride_lines(home: Place, site_id: str, shift_start_min: int, shift_end_min: int, language: str) -> Blocks:
    """The rides out and back as one line each way (today's)."""
    legs = journey_legs(home.lat, home.lon, site_id, shift_start_min, shift_end_min)
    rides = [leg for leg in legs.to_dict("records") if leg["kind"] == "ride"]
    lines = []
    for direction in ("out", "back"):
        text = "; ".join(f"{hhmm(leg['depart'])} {leg['line']}: {leg['from_name']} → {leg['to_name']} "
                         f"({hhmm(leg['arrive'])})" for leg in rides if leg["direction"] == direction)
        if text:
            lines.append(f"- {i18n.t('worker.transit_' + direction, language)}: {text}")
    out = Blocks()
    if lines:
        out.markdown("\n".join(lines))
    return out


def time_section(out: Blocks, r: pd.Series, language: str) -> None:
    t = i18n.in_language(language)   # the view's language, whatever the session's
    out.subheader(t("worker.time_title"))
    hours = r["extra_best_hours_month"]
    if hours <= 0:
        out.markdown(t("worker.time_less", month=i18n.number(-hours, language, 0)))
        return
    # The month with a decimal: "52,7 hours a month, 632 a year" reads right; "53 ... 632" did not.
    paragraphs = [t(f"worker.time_text_{r['best_mode']}", month=i18n.number(hours, language, 1),
                    year=i18n.number(12 * hours, language, 0),
                    value=i18n.eur(r["value_of_time_eur_month"], language, 0))]
    if r["care_eur_month"] > 0:
        paragraphs.append(t("worker.care_text", care=i18n.eur(r["care_eur_month"], language, 0)))
    out.markdown("\n\n".join(paragraphs))


def relocation_section(out: Blocks, r: pd.Series, language: str) -> None:
    t = i18n.in_language(language)   # the view's language, whatever the session's
    eur = lambda v: i18n.eur(v, language, 0)  # noqa: E731
    out.subheader(t("worker.move_title"))
    if r["extra_best_eur_month"] <= 0:
        out.markdown(t("worker.move_not_needed"))
        return
    basis = lambda b: t(f"worker.basis_{b}")  # noqa: E731  (codes from impact.housing)
    out.markdown(t("worker.move_text", rent=eur(r["move_rent_new_eur_month"]), basis=basis(r["move_rent_new_basis"]),
                   now=eur(r["move_housing_now_eur_month"]), now_basis=basis(r["move_housing_now_basis"]),
                   one_off=eur(r["move_one_off_eur"]), deposit=eur(r["move_deposit_eur"])))
    advantage, months = r["move_advantage_eur_month"], r["move_break_even_month"]
    if advantage > 0:
        verdict = t("worker.move_cheaper", amount=eur(advantage), way=t(f"report_answer.commute_{r['best_mode']}"))
    else:
        verdict = t("worker.move_dearer", amount=eur(-advantage), way=t(f"report_answer.commute_{r['best_mode']}"))
    pays_back = (t("worker.move_never") if not np.isfinite(months)
                 else t("worker.move_break_even", months=int(months)))
    out.info(f"{verdict} {pays_back}")


def calculation_trace(out: Blocks, r: pd.Series, details: dict, language: str) -> None:
    """Every figure's inputs with their sources and dates: the 'how it was computed' panel (folded)."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    out.fold(t("worker.trace_title"), TRACE_FOLD, lambda: _trace(r, details, language))


def _trace(r: pd.Series, details: dict, language: str) -> Blocks:
    t = i18n.in_language(language)   # the view's language, whatever the session's
    on = today()
    paragraphs = [t("worker.trace_days", days=i18n.number(r["days_new"], language, 1),
                    per_week=i18n.number(details["days_per_week"], language, 0))]
    if r["best_mode"] == "car":
        paragraphs.append(t("worker.trace_car", fuel=i18n.number(details["fuel"], language, 3),
                            consumption=i18n.number(details["consumption"], language, 1)))
    else:
        paragraphs.append(t("trace.transit", product=format_value("transit_product_new", r["transit_product_new"], language),
                            km=format_value("fare_rail_km_new", r["fare_rail_km_new"], language),
                            gtt=t("trace.gtt_yes" if r["uses_gtt_new"] else "trace.gtt_no")))
    if not r["net_pay_is_default"]:
        paragraphs.append(t("trace.own_pay", pay=format_value("net_monthly_eur", r["net_monthly_eur"], language)))
    paragraphs.append("\n".join(_trace_lines(trace(r, parameters(), on), language, on)))
    out = Blocks()
    out.markdown("\n\n".join(paragraphs))
    out.caption(t("worker.trace_more"))
    return out


def _trace_lines(paths: list[str], language: str, on: dt.date) -> list[str]:
    """One line per parameter behind the answer, with its value, date and source."""
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
    return lines


def compensation_section(out: Blocks, r: pd.Series, language: str) -> None:
    """What would make the worker whole, and what each way costs the company."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    extra = r["extra_best_eur_month"]
    if extra <= 0:
        return
    eur = lambda v: i18n.eur(v, language, 0)  # noqa: E731
    out.subheader(t("worker.whole_title"))
    out.markdown(t("worker.whole_text", extra=eur(extra), raise_=eur(r["raise_gross_per_payment_eur"]),
                   company=eur(r["raise_company_cost_annual_eur"])) + "\n\n"
                 + t("worker.whole_alternatives", fringe=eur(r["fringe_company_cost_annual_eur"]),
                     transfer=eur(r["transfer_allowance_first_year_eur"])))
    out.caption(t("worker.whole_note"))


def rights_section(out: Blocks, r: pd.Series, language: str) -> None:
    """The INPS transfer rule and NASpI, with their references: information, not advice."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    on = today()
    out.subheader(t("worker.rights_title"))
    threshold_km = parameters().value("rights.inps_transfer.max_distance_km", on)
    minutes = parameters().value("rights.inps_transfer.max_public_transport_minutes", on)
    status = r["rights_distance_status"]
    text = {"yes": "worker.rights_distance_yes", "borderline": "worker.rights_distance_borderline",
            "no": "worker.rights_distance_no"}[status]
    box = {"yes": out.success, "borderline": out.warning, "no": out.info}[status]
    box(t(text, km=threshold_km, road=i18n.km(r["car_km_new"], language),
          straight=i18n.km(r["straight_km_new"], language)))
    if r["rights_over_80min"]:
        out.success(t("worker.rights_minutes_yes", minutes=minutes, inps=i18n.number(r["inps_minutes"], language, 0)))
    else:
        out.info(t("worker.rights_minutes_no", minutes=minutes, inps=i18n.number(r["inps_minutes"], language, 0)))
    if r["inps_lower_bound"]:
        out.caption(t("worker.rights_lower_bound"))
    refs = parameters().get("rights.inps_transfer.resignation_for_just_cause_covered").at(on).source
    inps = parameters().get("rights.inps_transfer.max_distance_km").at(on).source
    # Plain text, not a caption: links in the caption's grey fall below the contrast WCAG asks for.
    out.markdown(t("worker.rights_naspi", naspi=i18n.eur(r["naspi_monthly_eur"], language, 0),
                   months=int(r["naspi_duration_months"])) + "\n\n"
                 + t("worker.rights_refs") + f" [{inps.title}]({inps.url}) · [{refs.title}]({refs.url}). "
                 + t("worker.not_advice"))


def show_distances(out: Blocks, r: pd.Series, home: Place, office: Site, language: str) -> None:
    t = i18n.in_language(language)   # the view's language, whatever the session's
    out.subheader(t("worker.distances", town=home.label))
    km_old, km_new = r["straight_km_old"], r["straight_km_new"]
    delta = km_new - km_old
    delta_text = t("worker.dist_delta" if delta >= 0 else "worker.dist_delta_less", delta=i18n.km(abs(delta), language))
    left, right = out.columns(2)
    left.metric(t("worker.dist_old", site=office.name), i18n.km(km_old, language))
    # A longer trip is bad news: red when farther, green when nearer.
    right.metric(t("worker.dist_new"), i18n.km(km_new, language), delta=delta_text,
                 delta_color="inverse" if delta >= 0 else "normal",
                 delta_arrow="up" if delta >= 0 else "down")
    out.caption(t("worker.straight_line_note"))


def downloads(out: Blocks, r: pd.Series, home: Place, office: Site, hours: float, details: dict,
              language: str) -> None:
    """The worker's PDF and the evidence pack, built only when clicked: drawing the PDF on every rerun cost a
    quarter of the page's time."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    labels = worker_pdf_inputs(home.label, office.name, hours, details["days_per_week"], details["shift_start_min"],
                               details["shift_end_min"], language)
    out.download_button(t("report.download"), lambda: worker_pdf(
        r.to_dict(), labels, parameters(), today(), language,
        charts_worker.pdf_images(r, home, office, details, language)),
        file_name="trasferimento-torino.pdf", mime="application/pdf", icon=":material/download:", on_click="ignore")
    evidence_button(r, home, office, details, language, out)


@st.cache_resource(max_entries=16, show_spinner=False)
def pay_beside(hours: float, days: float, language: str, on: dt.date) -> tuple[str, str]:
    """The pay box's placeholder (the union's default take-home for these hours) and the contract minimum's
    take-home beside it, in words, once per hours, days, language and day."""
    default = float(default_net_pay(hours, parameters(), on))
    # Her comune is not known here: the new office's comune's surcharges (within a few euros of any other's).
    minimum = contract_minimum_net_pay(hours, days, destination(sites()).istat, parameters(), on)[0]
    return i18n.t("worker.net_pay_default", language, pay=i18n.eur(default, language, 0)), i18n.t("answer.pay_beside", language, minimum=i18n.eur(minimum, language, 0),
                           hours=i18n.number(hours, language, 0), union=i18n.eur(default, language, 0))
