"""The worker's page: home town and office in, distances and a map out."""

from __future__ import annotations

import math

import pydeck as pdk
import streamlit as st

from impact import i18n
from impact.errors import AmbiguousPlace, PlaceError
from impact.geo import geodesic_km
from impact.places import Place, Site, destination
from ui.common import gazetteer, lang, parameters, sites, t, today

TOWN_KEY = "town"
COLOURS = {"town": [214, 39, 40], "old": [31, 119, 180], "new": [44, 160, 44], "other": [150, 150, 150]}


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
        return places.resolve(typed)
    except PlaceError as exc:
        ambiguous = isinstance(exc, AmbiguousPlace)
        st.warning(t("worker.ambiguous" if ambiguous else "worker.unknown", query=typed))
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


def distances(home: Place, old: Site, new: Site) -> tuple[float, float]:
    return (geodesic_km(home.lat, home.lon, old.lat, old.lon),
            geodesic_km(home.lat, home.lon, new.lat, new.lon))


def show_distances(home: Place, old: Site, new: Site) -> None:
    language = lang()
    km_old, km_new = distances(home, old, new)
    st.subheader(t("worker.distances", town=home.label))
    delta = km_new - km_old
    delta_text = t("worker.dist_delta" if delta >= 0 else "worker.dist_delta_less", delta=i18n.km(abs(delta), language))
    left, right = st.columns(2)
    left.metric(t("worker.dist_old", site=old.name), i18n.km(km_old, language))
    # A longer trip is bad news: red when farther, green when nearer.
    right.metric(t("worker.dist_new"), i18n.km(km_new, language), delta=delta_text,
                 delta_color="inverse" if delta >= 0 else "normal",
                 delta_arrow="up" if delta >= 0 else "down")
    st.caption(t("worker.straight_line_note"))
    threshold_km = parameters().value("rights.inps_transfer.max_distance_km", today())
    minutes = parameters().value("rights.inps_transfer.max_public_transport_minutes", today())
    with st.container(border=True):
        st.markdown(f"**{t('worker.inps_rule', km=threshold_km)}**")
        key = "worker.inps_over" if km_new > threshold_km else "worker.inps_under"
        st.write(t(key, km=threshold_km, minutes=minutes))


def fit_view(lats: list[float], lons: list[float], width_px: int = 320, height_px: int = 300) -> tuple[float, float, float]:
    """Centre and web-mercator zoom that show every point in a phone-sized map."""
    lat_span = max(max(lats) - min(lats), 0.05)
    lon_span = max(max(lons) - min(lons), 0.05)
    # At zoom z deck.gl draws the world 512 * 2**z pixels wide; a degree of latitude is
    # about 1 / cos(latitude) times taller than a degree of longitude.
    centre_lat = (max(lats) + min(lats)) / 2
    stretch = 1 / math.cos(math.radians(centre_lat))
    zoom = math.log2(min(width_px * 360 / (512 * lon_span), height_px * 360 / (512 * lat_span * stretch)))
    return centre_lat, (max(lons) + min(lons)) / 2, min(max(zoom, 5.0), 12.0)


def show_map(home: Place, old: Site, new: Site) -> None:
    st.subheader(t("worker.map"))
    points = [{"name": home.name, "label": f"{t('worker.map_town')}: {home.label}", "lat": home.lat,
               "lon": home.lon, "colour": COLOURS["town"]}]
    for site in sites().values():
        kind = "old" if site.id == old.id else "new" if site.id == new.id else "other"
        points.append({"name": site.name, "label": f"{t('worker.map_' + kind)}: {site.name}", "lat": site.lat,
                       "lon": site.lon, "colour": COLOURS[kind]})
    lines = [{"from": [home.lon, home.lat], "to": [s.lon, s.lat], "colour": COLOURS[k]}
             for s, k in ((old, "old"), (new, "new"))]
    latitude, longitude, zoom = fit_view([p["lat"] for p in points], [p["lon"] for p in points])
    deck = pdk.Deck(
        layers=[
            pdk.Layer("LineLayer", lines, get_source_position="from", get_target_position="to",
                      get_color="colour", get_width=3),
            pdk.Layer("ScatterplotLayer", points, get_position="[lon, lat]", get_fill_color="colour",
                      get_radius=1500, radius_min_pixels=6, pickable=True),
            pdk.Layer("TextLayer", points, get_position="[lon, lat]", get_text="name", get_size=14,
                      get_color=[30, 30, 30], get_pixel_offset=[0, -18]),
        ],
        initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom),
        tooltip={"text": "{label}"},
    )
    st.pydeck_chart(deck, height=380)
    legend = " · ".join(f":{colour}[●] {t('worker.map_' + kind)}"
                        for kind, colour in (("town", "red"), ("old", "blue"), ("new", "green")))
    st.caption(legend)
    st.caption(t("worker.site_position", site=old.name,
                 accuracy=i18n.km(old.position_accuracy_m / 1000, lang())))


st.title(t("worker.title"))
closing_names = t("worker.and").join(s.name for s in sites().values() if not s.is_destination)
st.write(t("worker.intro", old_sites=closing_names))
home = town_input()
office = office_input()
if home is None:
    st.info(t("worker.pick_town"))
else:
    new_site = destination(sites())
    show_distances(home, office, new_site)
    show_map(home, office, new_site)
st.caption(t("worker.not_advice"))
