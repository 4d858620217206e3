"""The worker's page: home town, office and hours in; what the move costs, with its sources, out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import streamlit as st

from impact import i18n
from impact.errors import AmbiguousPlace, InputError, PlaceError
from impact.places import Place, Site
from impact.results import shift_notes
from impact.safe_text import markdown
from impact.share import link_params
from impact.validation import SCENARIO_RANGES, WORKER_RANGES
from ui import maps
from ui.common import gazetteer, lang, parameters, sites, t, today, town_labels
from ui.numbers import number_box
from ui.package_blocks import link_version_notice, saved_case
from ui.worker_sections import evaluate_worker, pay_beside, worker_view

TOWN_KEY = "town"


def _choose(label: str) -> None:
    st.session_state[TOWN_KEY] = label


def town_input() -> Place | None:
    """The town box: type to filter; a free text or CAP is resolved, a miss gets suggestions."""
    typed = st.selectbox(t("worker.town"), town_labels(), index=None, key=TOWN_KEY,
                         placeholder=t("worker.town_placeholder"), accept_new_options=True)
    if not typed:
        return None
    places = gazetteer()
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
    offices = sites()
    closing = [s.id for s in offices.values() if not s.is_destination]
    chosen = st.radio(t("worker.office"), closing, horizontal=True, key="site",
                      format_func=lambda site_id: offices[site_id].name)
    return offices[chosen]


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
    on, language = today(), lang()
    t = lambda key, **values: i18n.t(key, language, **values)  # noqa: E731  (the session's language, read once)
    with st.expander(t("worker.more")):
        days = st.number_input(t("worker.days"), min_value=1, max_value=6, value=5, step=1, key="days")
        left, right = st.columns(2)
        start = left.time_input(t("worker.shift_start"), value=dt.time(9, 0), step=900, key="shift_start")
        end_default = (dt.datetime.combine(dt.date.today(), start) + dt.timedelta(hours=hours)).time()
        end = right.time_input(t("worker.shift_end"), value=end_default, step=900, key=f"shift_end_{hours}")
        for note in shift_notes(hours, start.hour * 60 + start.minute, end.hour * 60 + end.minute, language):
            st.warning(note)
        low, high, _ = WORKER_RANGES["net_monthly_eur"]   # the model's own range: refused here in words
        placeholder, beside = pay_beside(hours=hours, days=days, language=language, on=on)
        pay = number_box(t("worker.net_pay"), "net_pay", None, low, high, 0, placeholder=placeholder)
        st.caption(beside)
        mode = st.radio(t("worker.mode"), ["best", "car", "transit"], horizontal=True, key="mode",
                        format_func=lambda m, language=language: i18n.t(f"worker.mode_{m}", language))
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
</style>""" + maps.SCROLL_CSS)   # the map's, in the same element
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
        answer = evaluate_worker(home, office, hours, details)
    except InputError as exc:   # e.g. a take-home pay of 0 or 1 €: said in words, nothing costed
        with headline_area:
            st.error(markdown(exc.text(lang())))
        st.stop()
    # The answer's sentences, tables and charts are written on its first showing and drawn again here.
    view = worker_view(answer, home, office, hours, details, lang())
    view["headline"].draw(headline_area)
    view["body"].draw()
    share_link(home, office, hours)
    view["tail"].draw()
saved_case(home, office, hours, details)
st.caption(t("worker.not_advice"))
