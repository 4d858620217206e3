"""Shared widgets and cached data for every page."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from impact import i18n
from impact.params import Parameters, default_parameters
from impact.places import Gazetteer, Site, default_gazetteer, load_sites
from impact.routing.car import default_router
from impact.routing.ors import OrsRouter
from impact.routing.transit import TransitRouter
from impact.routing.transit import default_router as default_transit_router
from impact.routing.typical import typical_legs

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}


def frame_key(frame: pd.DataFrame) -> str:
    """A digest of every cell, column and dtype of `frame`, to key a cache on a roster: Streamlit hashes a
    frame of 50,000 rows or more by a sample of its rows, so two large rosters that differ outside the
    sample would share an entry. About 0.9 ms for 1,112 workers, once per rerun."""
    digest = hashlib.sha256(repr([(str(c), str(d)) for c, d in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


@st.cache_resource
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@st.cache_resource
def town_labels() -> list[str]:
    """'Name (PR)' of every comune, for the town box (listed once, not on every rerun)."""
    return gazetteer().labels


@st.cache_resource
def comune_names() -> dict[str, str]:
    """ISTAT code -> comune name, for the union page's tables and map (built once)."""
    return {p.istat: p.name for p in gazetteer().places}


@st.cache_resource
def sites() -> dict[str, Site]:
    return load_sites()


@st.cache_resource
def parameters() -> Parameters:
    return default_parameters()


@st.cache_resource
def router() -> OrsRouter | None:
    """openrouteservice when ORS_API_KEY or ORS_BASE_URL is set, else None (offline estimate)."""
    return default_router()


def transit_router(on: dt.date | None = None) -> TransitRouter:
    """The public-transport model (with any downloaded GTFS feeds) of date `on`, today by default:
    built once per day (``default_router`` keeps it), never yesterday's when the timetable changes."""
    return default_transit_router(on or today())


def journey_legs(home_lat: float, home_lon: float, site_id: str, shift_start_min: int, shift_end_min: int):
    """The legs of the shift's typical runs (`impact.routing.typical.typical_legs`, the runs the
    headline's minutes are made of) for this home, office and shift today, searched once per inputs
    and day (the page's reruns and its two blocks that draw the legs share it)."""
    return _journey_legs_on(home_lat, home_lon, site_id, shift_start_min, shift_end_min, today())


@st.cache_data(max_entries=64, show_spinner=False)
def _journey_legs_on(home_lat: float, home_lon: float, site_id: str, shift_start_min: int, shift_end_min: int,
                     on: dt.date):
    return typical_legs(transit_router(on), home_lat, home_lon, site_id, shift_start_min, shift_end_min)


def lang() -> str:
    """The language chosen in this session (Italian until the user switches)."""
    return st.session_state.get("lang") or i18n.DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    return i18n.t(key, lang(), **values)


def language_picker() -> None:
    """The Italiano / English switch at the top of every page."""
    st.segmented_control(
        i18n.t("app.language", lang()), options=list(LANGUAGE_NAMES), key="lang",
        default=i18n.DEFAULT_LANGUAGE, format_func=LANGUAGE_NAMES.get, required=True,
        label_visibility="collapsed",
    )


def today() -> dt.date:
    return dt.date.today()
