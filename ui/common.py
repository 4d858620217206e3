"""Shared widgets and cached data for every page."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from impact import i18n
from impact.params import Parameters, default_parameters
from impact.places import Gazetteer, Site, default_gazetteer, load_sites
from impact.routing.car import default_router
from impact.routing.ors import OrsRouter
from impact.routing.transit import TransitRouter
from impact.routing.transit import default_router as default_transit_router

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}


@st.cache_resource
def gazetteer() -> Gazetteer:
    return default_gazetteer()


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


def transit_router() -> TransitRouter:
    """The public-transport model (with any downloaded GTFS feeds) of today: built once per day
    (``default_router`` keeps it), never yesterday's when the day's timetable changes."""
    return default_transit_router(today())


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
