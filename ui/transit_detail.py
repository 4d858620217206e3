"""Page blocks of the timetable: the shift's runs, the INPS journeys, assumed minutes, the
timetable's validity (method page) and moving an office (union page).

One function per block; each calls one `impact` function and only formats its answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from impact import i18n
from impact.clock import hhmm
from impact.places import Place, Site, destination
from impact.routing.evidence import inps_journey_table, timetable_overview
from impact.routing.gtfs import available_feeds
from impact.routing.shift import shift_spread
from impact.routing.transit import TransitRouter
from ui.common import journey_legs, lang, sites, t, today, transit_router
from ui.numbers import number_box


def _minutes(value: float) -> str:
    return "—" if value != value else t("timetable.minutes", minutes=i18n.number(value, lang(), 0))


def _validity(start: str, end: str) -> str:
    date = lambda text: i18n.date(pd.Timestamp(text).date(), lang())  # noqa: E731
    if start and end:
        return t("timetable.from_to", start=date(start), end=date(end))
    if start:
        return t("timetable.from_open", start=date(start))
    if end:
        return t("timetable.until", end=date(end))
    return t("timetable.always")


def _change_name(change_id: str, name: str) -> str:
    """A dated change's name in the page's language (the data file's English name otherwise)."""
    key = f"timetable.change_{change_id}"
    return t(key) if key in i18n.strings(lang()) else name


def assumed_minutes(home: Place, details: dict) -> None:
    """The rides of the worker's journeys whose departure minute is assumed, next to the journey."""
    legs = journey_legs(home.lat, home.lon, destination(sites()).id, details["shift_start_min"],
                        details["shift_end_min"])
    rides = legs[(legs["kind"] == "ride")]
    assumed = rides[rides["assumed"]]
    if rides.empty:
        return
    if assumed.empty:
        st.caption(t("timetable.assumed_none"))
        return
    lines = [t("timetable.assumed_leg", depart=hhmm(leg.depart), line=leg.line, origin=leg.from_name,
               destination=leg.to_name) for leg in assumed.itertuples()]
    # Folded, as the runs are: the count is in the title, the list for whoever checks it.
    with st.expander(t("timetable.assumed_title") + f" ({len(lines)})"):
        st.markdown("\n".join(f"- {line}" for line in lines))


@st.cache_data(max_entries=64, show_spinner=False)
def _shift_spread(home_lat: float, home_lon: float, site_id: str, shift_start_min: int, shift_end_min: int,
                  on: dt.date) -> pd.Series:
    """`shift_spread` of one home and shift on date `on`, searched once per inputs rather than on every rerun."""
    return shift_spread(transit_router(on), [home_lat], [home_lon], site_id, shift_start_min, shift_end_min).iloc[0]


def shift_runs(home: Place, details: dict) -> None:
    """Best, typical and worst runs over the shift, the wait at the office and a bad day (folded)."""
    router = transit_router()
    s = _shift_spread(home.lat, home.lon, destination(sites()).id, details["shift_start_min"],
                      details["shift_end_min"], router.on)
    with st.expander(t("timetable.shift_title")):
        st.caption(t("timetable.shift_intro", window=router.rules.reasonable_window))
        # Two narrow columns (to work, home) so that the table fits a phone.
        table = pd.DataFrame({
            t("timetable.row_out"): [_minutes(s["out_best_min"]), _minutes(s["out_typical_min"]),
                                     _minutes(s["out_worst_min"]), str(int(s["out_runs"])),
                                     _minutes(s["out_typical_wait_min"])],
            t("timetable.row_back"): [_minutes(s["back_best_min"]), _minutes(s["back_typical_min"]),
                                      _minutes(s["back_worst_min"]), str(int(s["back_runs"])),
                                      _minutes(s["back_typical_wait_min"])],
        }, index=[t("timetable.col_best"), t("timetable.col_typical"), t("timetable.col_worst"),
                  t("timetable.col_runs"), t("timetable.col_wait")])
        st.table(table)
        late, extra = s["out_bad_day_late_min"], s["back_bad_day_extra_min"]
        st.markdown("- " + (t("timetable.bad_day_out", late=_minutes(late)) if late == late
                            else t("timetable.bad_day_none")))
        st.markdown("- " + (t("timetable.bad_day_back", extra=_minutes(extra)) if extra == extra
                            else t("timetable.bad_day_none")))
        st.caption(t("timetable.shift_headline_note"))


@st.cache_data(max_entries=64, show_spinner=False)
def _inps_journey_table(home_lat: float, home_lon: float, site_id: str, on: dt.date) -> pd.DataFrame:
    """The INPS journeys of a home on date `on`, searched once per home and day rather than on every rerun."""
    return inps_journey_table(transit_router(on), home_lat, home_lon, site_id)


def inps_journeys(home: Place) -> None:
    """The journeys that make the INPS 80-minute average, as a table with a CSV download (folded)."""
    router = transit_router()
    table = _inps_journey_table(home.lat, home.lon, destination(sites()).id, today())
    if table.empty:
        return
    language = lang()
    mean = i18n.number(table["minutes"].mean(), language, 1)
    with st.expander(t("timetable.inps_title", count=len(table), minutes=mean)):
        first, last = router.rules.inps_window
        st.caption(t("timetable.inps_intro", first=hhmm(first), last=hhmm(last),
                     date=i18n.date(router.on, language)))
        shown = pd.DataFrame({
            t("timetable.col_leave"): table["leave_home"].map(hhmm),
            t("timetable.col_arrive"): table["arrive"].map(hhmm),
            t("timetable.col_minutes"): table["minutes"].map(lambda v: i18n.number(v, language, 0)),
            t("timetable.col_legs"): table["legs"],
            t("timetable.col_assumed"): table["assumed"].map({True: t("timetable.answer_yes"),
                                                               False: t("timetable.answer_no")}),
            t("timetable.col_valid"): [_validity(a, b) for a, b in zip(table["valid_from"], table["valid_to"])],
        })
        st.dataframe(shown, hide_index=True, width="stretch")
        export = lambda: table.assign(  # noqa: E731  (written when clicked, not on every rerun)
            leave_home=table["leave_home"].map(hhmm), depart=table["depart"].map(hhmm),
            arrive=table["arrive"].map(hhmm), minutes=table["minutes"].round(0).astype("Int64")
        ).to_csv(index=False, sep=";").encode("utf-8")
        st.download_button(t("timetable.csv"), export,
                           file_name="viaggi-media-inps.csv", mime="text/csv", on_click="ignore",
                           icon=":material/download:")


def last_mile_note(site_id: str | None) -> None:
    """The assumed last mile of the worker's present office, when no stop is within walking range."""
    if site_id not in sites():
        return
    site, language = sites()[site_id], lang()
    last_mile = transit_router().last_mile(site.lat, site.lon)
    if last_mile is None:
        return
    st.caption(t("timetable.last_mile", stop=last_mile["stop"], office=site.name, km=i18n.km(last_mile["km"], language),
                 walk=_minutes(last_mile["walk_minutes"]), minutes=_minutes(last_mile["minutes"])))


def worker_blocks(home: Place, details: dict, office_id: str) -> None:
    """The timetable's blocks on the worker page, under the public-transport section (`office_id`: today's)."""
    last_mile_note(office_id)
    assumed_minutes(home, details)
    shift_runs(home, details)
    inps_journeys(home)


def timetable_section() -> None:
    """The timetable's validity, its dated changes and every assumed service (method page)."""
    router = transit_router()
    changes, services = timetable_overview(router)
    language = lang()
    st.header(t("timetable.method_title"))
    st.write(t("timetable.method_intro", date=i18n.date(router.on, language)))
    yes_no = lambda v: t("timetable.answer_yes") if v else t("timetable.answer_no")  # noqa: E731
    st.subheader(t("timetable.method_changes"))
    st.dataframe(pd.DataFrame({
        t("timetable.col_change"): [_change_name(c, n) for c, n in zip(changes["change_id"], changes["name"])],
        t("timetable.col_valid"): [_validity(a, b) for a, b in zip(changes["valid_from"], changes["valid_to"])],
        t("timetable.col_in_force"): changes["in_force"].map(yes_no),
        t("timetable.col_note"): changes["note"],
        t("timetable.col_sources"): changes["source_url"],
    }), hide_index=True, width="stretch")
    st.subheader(t("timetable.method_services"))
    st.caption(t("timetable.count_assumed", assumed=int(services["assumed"].sum()), total=len(services)))
    st.dataframe(pd.DataFrame({
        t("timetable.col_line"): services["line"],
        t("timetable.col_runs_pattern"): services["runs"],
        t("timetable.col_valid"): [_validity(a, b) for a, b in zip(services["valid_from"], services["valid_to"])],
        t("timetable.col_in_force"): services["in_force"].map(yes_no),
        t("timetable.col_assumed"): services["assumed"].map(yes_no),
        t("timetable.col_note"): services["note"],
        t("timetable.col_sources"): services["source_url"],
    }), hide_index=True, width="stretch")


def office_mover() -> tuple[tuple[str, float, float], ...]:
    """A control that moves one office for this session (union page).

    Returns the moves as ((office id, lat, lon),), empty when every office stays where its
    sources put it; `sites_with` and `router_for` turn that into the sites and the router.
    """
    all_sites = sites()
    with st.expander(t("timetable.office_title")):
        office = st.selectbox(t("timetable.office_pick"), list(all_sites), key="move_office",
                              format_func=lambda s: all_sites[s].name)
        site = all_sites[office]
        # Typed and shown the user's way (45,0118 in Italian); empty puts the office back.
        lat = number_box(t("timetable.office_lat"), f"move_lat_{office}", float(site.lat), 43.5, 46.5, 4)
        lon = number_box(t("timetable.office_lon"), f"move_lon_{office}", float(site.lon), 6.5, 9.5, 4)
        lat, lon = (site.lat if lat is None else lat), (site.lon if lon is None else lon)
        if np.isclose(lat, site.lat) and np.isclose(lon, site.lon):
            st.caption(t("timetable.office_reset"))
            return ()
        st.info(t("timetable.office_moved", office=site.name, lat=i18n.number(lat, lang(), 4),
                  lon=i18n.number(lon, lang(), 4)))
        return ((office, round(float(lat), 5), round(float(lon), 5)),)


def sites_with(moves: tuple[tuple[str, float, float], ...]) -> dict[str, Site]:
    """The offices with the moves of `office_mover` applied."""
    placed = dict(sites())
    for office, lat, lon in moves:
        placed[office] = dataclasses.replace(placed[office], lat=lat, lon=lon,
                                             position_method="moved on the union page")
    return placed


def router_for(moves: tuple[tuple[str, float, float], ...]) -> TransitRouter:
    """The public-transport router of today for the moved offices (the shared one when nothing moved)."""
    if not moves:
        return transit_router()
    return _moved_router(moves, today())


@st.cache_resource(max_entries=4, show_spinner=False)
def _moved_router(moves: tuple[tuple[str, float, float], ...], on: dt.date) -> TransitRouter:
    return TransitRouter.from_feeds(available_feeds(), on, sites=sites_with(moves))
