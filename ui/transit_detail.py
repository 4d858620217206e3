"""Page blocks of the timetable: the shift's runs, the INPS journeys, assumed minutes, the
timetable's validity (method page) and moving an office (union page).

One function per block; each calls one `impact` function and only formats its answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from impact import i18n
from impact.clock import hhmm
from impact.places import Place, Site, destination
from impact.routing.evidence import inps_journey_table, timetable_overview
from impact.routing.gtfs import available_feeds
from impact.routing.shift import shift_spread
from impact.routing.transit import TransitRouter
from ui.blocks import Blocks
from ui.common import journey_legs, lang, sites, t, today, transit_router
from ui.numbers import number_box


def _minutes(value: float, language: str) -> str:
    """'85 min' in `language`, '—' for NaN."""
    return "—" if value != value else i18n.t("timetable.minutes", language, minutes=i18n.number(value, language, 0))


def _validity(start: str, end: str, language: str) -> str:
    """When a dated change or service holds (ISO dates, either may be empty), in `language`."""
    date = lambda text: i18n.date(pd.Timestamp(text).date(), language)  # noqa: E731
    if start and end:
        return i18n.t("timetable.from_to", language, start=date(start), end=date(end))
    if start:
        return i18n.t("timetable.from_open", language, start=date(start))
    if end:
        return i18n.t("timetable.until", language, end=date(end))
    return i18n.t("timetable.always", language)


def _change_name(change_id: str, name: str, language: str) -> str:
    """A dated change's name in `language` (the data file's English name otherwise)."""
    key = f"timetable.change_{change_id}"
    return i18n.t(key, language) if key in i18n.strings(language) else name


#: the keys of this module's folds on the worker page (drawn only when open)
ASSUMED_FOLD, SHIFT_FOLD, INPS_FOLD = "fold_assumed", "fold_shift", "fold_inps"
WORKER_FOLDS = (ASSUMED_FOLD, SHIFT_FOLD, INPS_FOLD)


def assumed_minutes(out: Blocks, home: Place, details: dict, language: str) -> None:
    """The rides of the worker's journeys whose departure minute is assumed, next to the journey."""
    text = _assumed_text(home.lat, home.lon, destination(sites()).id, details["shift_start_min"],
                         details["shift_end_min"], language, today())
    if text is None:
        return
    title, lines = text
    if not lines:
        out.caption(title)
        return
    # Folded, as the runs are: the count is in the title, the list for whoever checks it.
    out.fold(title, ASSUMED_FOLD, lambda: _markdown_block(lines))


def _markdown_block(text: str) -> Blocks:
    out = Blocks()
    out.markdown(text)
    return out


# The folded blocks' words and tables depend only on the home, the shift and the language: written once per
# those (shared, never changed), not on every rerun of the page.
@st.cache_resource(max_entries=64, show_spinner=False)
def _assumed_text(home_lat: float, home_lon: float, site_id: str, shift_start_min: int, shift_end_min: int,
                  language: str, on: dt.date) -> tuple[str, str] | None:
    """(title, markdown list) of the assumed rides on date `on` (today's journeys); (the 'none assumed'
    line, '') or None without rides."""
    say = lambda key, **values: i18n.t(key, language, **values)  # noqa: E731
    legs = journey_legs(home_lat, home_lon, site_id, shift_start_min, shift_end_min)
    rides = legs[(legs["kind"] == "ride")]
    assumed = rides[rides["assumed"]]
    if rides.empty:
        return None
    if assumed.empty:
        return say("timetable.assumed_none"), ""
    lines = [say("timetable.assumed_leg", depart=hhmm(leg.depart), line=leg.line, origin=leg.from_name,
                 destination=leg.to_name) for leg in assumed.itertuples()]
    return say("timetable.assumed_title") + f" ({len(lines)})", "\n".join(f"- {line}" for line in lines)


@st.cache_data(max_entries=64, show_spinner=False)
def _shift_spread(home_lat: float, home_lon: float, site_id: str, shift_start_min: int, shift_end_min: int,
                  on: dt.date) -> pd.Series:
    """`shift_spread` of one home and shift on date `on`, searched once per inputs rather than on every rerun."""
    return shift_spread(transit_router(on), [home_lat], [home_lon], site_id, shift_start_min, shift_end_min).iloc[0]


def shift_runs(out: Blocks, home: Place, details: dict, language: str) -> None:
    """Best, typical and worst runs over the shift, the wait at the office and a bad day (folded: searched
    only when opened)."""
    args = (home.lat, home.lon, destination(sites()).id, details["shift_start_min"], details["shift_end_min"],
            language, today())
    out.fold(i18n.t("timetable.shift_title", language), SHIFT_FOLD, lambda: _shift_block(*args))


@st.cache_resource(max_entries=64, show_spinner=False)
def _shift_block(home_lat: float, home_lon: float, site_id: str, shift_start_min: int, shift_end_min: int,
                 language: str, on: dt.date) -> Blocks:
    """The shift block's intro, table, bad-day lines and note, in `language`, on date `on`."""
    say = lambda key, **values: i18n.t(key, language, **values)  # noqa: E731
    minutes = lambda v: _minutes(v, language)  # noqa: E731
    s = _shift_spread(home_lat, home_lon, site_id, shift_start_min, shift_end_min, on)
    # Two narrow columns (to work, home) so that the table fits a phone.
    table = pd.DataFrame({
        say("timetable.row_out"): [minutes(s["out_best_min"]), minutes(s["out_typical_min"]),
                                   minutes(s["out_worst_min"]), str(int(s["out_runs"])),
                                   minutes(s["out_typical_wait_min"])],
        say("timetable.row_back"): [minutes(s["back_best_min"]), minutes(s["back_typical_min"]),
                                    minutes(s["back_worst_min"]), str(int(s["back_runs"])),
                                    minutes(s["back_typical_wait_min"])],
    }, index=[say("timetable.col_best"), say("timetable.col_typical"), say("timetable.col_worst"),
              say("timetable.col_runs"), say("timetable.col_wait")])
    late, extra = s["out_bad_day_late_min"], s["back_bad_day_extra_min"]
    bad_days = ("- " + line for line in (
        say("timetable.bad_day_out", late=minutes(late)) if late == late else say("timetable.bad_day_none"),
        say("timetable.bad_day_back", extra=minutes(extra)) if extra == extra else say("timetable.bad_day_none")))
    out = Blocks()
    out.caption(say("timetable.shift_intro", window=transit_router(on).rules.reasonable_window))
    out.table(table)
    out.markdown("\n".join(bad_days))
    out.caption(say("timetable.shift_headline_note"))
    return out


@st.cache_data(max_entries=64, show_spinner=False)
def _inps_journey_table(home_lat: float, home_lon: float, site_id: str, on: dt.date) -> pd.DataFrame:
    """The INPS journeys of a home on date `on`, searched once per home and day rather than on every rerun."""
    return inps_journey_table(transit_router(on), home_lat, home_lon, site_id)


def inps_journeys(out: Blocks, home: Place, result: pd.Series, language: str) -> None:
    """The journeys that make the INPS 80-minute average, as a table with a CSV download (folded: the
    journeys are searched and written out only when opened). The title's count and mean are the
    result's (`inps_journeys`, `inps_minutes`), the figure every other face shows."""
    count = int(result["inps_journeys"])
    if not count:
        return
    title = i18n.t("timetable.inps_title", language, count=count,
                   minutes=i18n.number(float(result["inps_minutes"]), language, 1))
    args = (home.lat, home.lon, destination(sites()).id, language, today())
    out.fold(title, INPS_FOLD, lambda: _inps_block(*args))


@st.cache_resource(max_entries=64, show_spinner=False)
def _inps_block(home_lat: float, home_lon: float, site_id: str, language: str, on: dt.date) -> Blocks:
    """The INPS block's intro, its journeys as shown and their CSV download, on date `on`."""
    say = lambda key, **values: i18n.t(key, language, **values)  # noqa: E731
    router = transit_router(on)
    table = _inps_journey_table(home_lat, home_lon, site_id, on)
    first, last = router.rules.inps_window
    shown = pd.DataFrame({
        say("timetable.col_leave"): table["leave_home"].map(hhmm),
        say("timetable.col_arrive"): table["arrive"].map(hhmm),
        say("timetable.col_minutes"): table["minutes"].map(lambda v: i18n.number(v, language, 0)),
        say("timetable.col_legs"): table["legs"],
        say("timetable.col_assumed"): table["assumed"].map({True: say("timetable.answer_yes"),
                                                           False: say("timetable.answer_no")}),
        say("timetable.col_valid"): [_validity(a, b, language) for a, b in zip(table["valid_from"], table["valid_to"])],
    })
    export = lambda: table.assign(  # noqa: E731  (written when clicked, not on every rerun)
        leave_home=table["leave_home"].map(hhmm), depart=table["depart"].map(hhmm),
        arrive=table["arrive"].map(hhmm), minutes=table["minutes"].round(0).astype("Int64")
    ).to_csv(index=False, sep=";").encode("utf-8")
    out = Blocks()
    out.caption(say("timetable.inps_intro", first=hhmm(first), last=hhmm(last), date=i18n.date(router.on, language)))
    out.dataframe(pa.Table.from_pandas(shown, preserve_index=False), hide_index=True, width="stretch")
    out.download_button(say("timetable.csv"), export, file_name="viaggi-media-inps.csv", mime="text/csv",
                        on_click="ignore", icon=":material/download:")
    return out


def last_mile_note(site_id: str | None, out: Blocks, language: str) -> None:
    """The assumed last mile of the worker's present office, when no stop is within walking range."""
    if site_id not in sites():
        return
    site = sites()[site_id]
    last_mile = transit_router().last_mile(site.lat, site.lon)
    if last_mile is None:
        return
    out.caption(i18n.t("timetable.last_mile", language, stop=last_mile["stop"], office=site.name,
                       km=i18n.km(last_mile["km"], language), walk=_minutes(last_mile["walk_minutes"], language),
                       minutes=_minutes(last_mile["minutes"], language)))


def worker_blocks(out: Blocks, home: Place, details: dict, office_id: str, result: pd.Series,
                  language: str) -> None:
    """The timetable's blocks on the worker page, under the public-transport section, in `language` (the
    view's: the blocks are written once per answer and language); `office_id`: today's; `result`: the
    worker's row of evaluate()."""
    last_mile_note(office_id, out, language)
    assumed_minutes(out, home, details, language)
    shift_runs(out, home, details, language)
    inps_journeys(out, home, result, language)


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
        t("timetable.col_change"): [_change_name(c, n, language)
                                    for c, n in zip(changes["change_id"], changes["name"])],
        t("timetable.col_valid"): [_validity(a, b, language)
                                   for a, b in zip(changes["valid_from"], changes["valid_to"])],
        t("timetable.col_in_force"): changes["in_force"].map(yes_no),
        t("timetable.col_note"): changes["note"],
        t("timetable.col_sources"): changes["source_url"],
    }), hide_index=True, width="stretch")
    st.subheader(t("timetable.method_services"))
    st.caption(t("timetable.count_assumed", assumed=int(services["assumed"].sum()), total=len(services)))
    st.dataframe(pd.DataFrame({
        t("timetable.col_line"): services["line"],
        t("timetable.col_runs_pattern"): services["runs"],
        t("timetable.col_valid"): [_validity(a, b, language)
                                   for a, b in zip(services["valid_from"], services["valid_to"])],
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
