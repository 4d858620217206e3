"""Offline maps (pydeck, no base map from the internet) over the approximate comune areas.

On a phone a map must not trap the page's scrolling: wheel zoom is off and the canvas lets the
browser pan the page vertically (`touch-action`), so a thumb that lands on the map still scrolls.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize
import streamlit as st

from impact import areas, charts, i18n
from impact.places import Place, Site
from ui.common import comune_names, gazetteer, lang, sites, t

COLOURS = {"town": [214, 39, 40], "old": [31, 119, 180], "new": [44, 160, 44], "other": [150, 150, 150]}
LINE = [120, 120, 120, 160]
SCROLL_CSS = """<style>
[data-testid="stDeckGlJsonChart"], [data-testid="stDeckGlJsonChart"] * { touch-action: pan-y pinch-zoom !important; }
</style>"""


def fit_view(lats: list[float], lons: list[float], width_px: int = 320, height_px: int = 300,
             margin: float = 0.25) -> tuple[float, float, float]:
    """Centre and web-mercator zoom that show every point, with `margin` of the span around them
    so that labels next to the outer points stay inside the map."""
    lat_span = max(max(lats) - min(lats), 0.05) * (1 + 2 * margin)
    lon_span = max(max(lons) - min(lons), 0.05) * (1 + 2 * margin)
    # At zoom z deck.gl draws the world 512 * 2**z pixels wide; a degree of latitude is
    # about 1 / cos(latitude) times taller than a degree of longitude.
    centre_lat = (max(lats) + min(lats)) / 2
    stretch = 1 / math.cos(math.radians(centre_lat))
    zoom = math.log2(min(width_px * 360 / (512 * lon_span), height_px * 360 / (512 * lat_span * stretch)))
    return centre_lat, (max(lons) + min(lons)) / 2, min(max(zoom, 5.0), 12.0)


class _WrittenOnce(pdk.Deck):
    """A deck that never changes once built (every map here), written to JSON on its first drawing only:
    Streamlit asks for the JSON on every rerun, and pydeck writing it again was half of the map's rerun.
    Written without pydeck's indentation, which was four fifths of the text sent (the union map's 237 KB)."""

    def to_json(self) -> str:
        if getattr(self, "_json", None) is None:
            self._json = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
        return self._json


def _deck(layers: list, latitude: float, longitude: float, zoom: float, tooltip: dict) -> pdk.Deck:
    return _WrittenOnce(layers=layers, map_provider=None,
                      views=[pdk.View(type="MapView", controller={"scrollZoom": False, "doubleClickZoom": True,
                                                                  "touchZoom": True, "dragPan": True})],
                      initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom),
                      tooltip=tooltip)


# Every comune's area, as the browser fetches it from this app's own server (`static`, a link to the
# folder of areas.AREAS_FILE; `server.enableStaticServing` in .streamlit/config.toml). Relative to the
# page, so it also holds under a base path. Fetched once and kept by the browser: a deck that carried
# the 260 KiB itself was sent again for every comune chosen, and hashed again on every rerun.
AREAS_URL = f"app/static/{areas.AREAS_FILE.name}"


def _worker_deck(home: Place, old: Site, new: Site, language: str) -> pdk.Deck:
    """The worker map's deck for her comune and offices, built once per comune, office and language."""
    return _deck_for(home.istat, old.id, new.id, language)


@st.cache_resource(max_entries=32, show_spinner=False)
def _deck_for(istat: str, old_id: str, new_id: str, language: str) -> pdk.Deck:
    """`_worker_deck`, keyed on the codes (cheaper to hash on every rerun than the places themselves)."""
    return _build_deck(gazetteer().by_istat(istat), sites()[old_id], sites()[new_id], language)


def _build_deck(home: Place, old: Site, new: Site, language: str) -> pdk.Deck:
    say = lambda key: i18n.t(key, language)  # noqa: E731
    points = [{"name": home.name, "label": f"{say('worker.map_town')}: {home.label}", "lat": home.lat,
               "lon": home.lon, "colour": COLOURS["town"]}]
    for site in sites().values():
        kind = "old" if site.id == old.id else "new" if site.id == new.id else "other"
        points.append({"name": site.name, "label": f"{say('worker.map_' + kind)}: {site.name}", "lat": site.lat,
                       "lon": site.lon, "colour": COLOURS[kind]})
    lines = [{"from": [home.lon, home.lat], "to": [s.lon, s.lat], "colour": COLOURS[k]}
             for s, k in ((old, "old"), (new, "new"))]
    mine = {"type": "FeatureCollection", "features": areas.area_of(home.istat)}
    latitude, longitude, zoom = fit_view([p["lat"] for p in points], [p["lon"] for p in points])
    return _deck([
        pdk.Layer("GeoJsonLayer", AREAS_URL, stroked=True, filled=True, get_fill_color=[245, 245, 240],
                  get_line_color=LINE, line_width_min_pixels=0.5, id="comune-areas"),
        pdk.Layer("GeoJsonLayer", mine, stroked=True, filled=True, get_fill_color=COLOURS["town"] + [90],
                  get_line_color=COLOURS["town"], line_width_min_pixels=2, id="home-area"),
        pdk.Layer("LineLayer", lines, get_source_position="from", get_target_position="to",
                  get_color="colour", get_width=3),
        pdk.Layer("ScatterplotLayer", points, get_position="[lon, lat]", get_fill_color="colour",
                  get_radius=1500, radius_min_pixels=6, pickable=True),
        pdk.Layer("TextLayer", points, get_position="[lon, lat]", get_text="name", get_size=14,
                  get_color=[30, 30, 30], get_pixel_offset=[0, -18], background=True,
                  get_background_color=[255, 255, 255, 200]),
    ], latitude, longitude, zoom, {"text": "{label}"})


def worker_map(out, home: Place, old: Site, new: Site, language: str) -> None:
    """Her comune's area, the three offices and the two trips (straight lines) on the comune areas, into
    `out` (a `ui.blocks.Blocks`), in `language`. SCROLL_CSS is drawn with the page's own style, at its top."""
    t = i18n.in_language(language)   # the view's language, whatever the session's
    out.subheader(t("worker.map"))
    out.pydeck_chart(_worker_deck(home, old, new, language), height=380)
    legend = " · ".join(f":{colour}[●] {t('worker.map_' + kind)}"
                        for kind, colour in (("town", "red"), ("old", "blue"), ("new", "green")))
    out.caption(legend + "\n\n" + t("worker.site_position", site=old.name,
                                      accuracy=i18n.km(old.position_accuracy_m / 1000, language))
                + " " + t("charts.map_areas_note"))


def _union_deck(table: pd.DataFrame, metric: str, language: str) -> pdk.Deck:
    """The union map's deck: the comuni with workers coloured by `metric`, over the grey areas of all.

    Only those comuni's areas are in the deck; the others are the areas the browser fetched once
    (AREAS_URL). Every measure or scenario chosen sends the deck again.
    """
    say = lambda key, **values: i18n.t(key, language, **values)  # noqa: E731
    coloured = areas.choropleth(table, metric, with_workers_only=True)["features"]
    for feature in coloured:
        p = feature["properties"]
        p["tip"] = say("charts.map_tooltip", name=p["name"], workers=p["workers"],
                       eur=i18n.eur(p["median_extra_eur_month"], language, 0),
                       share=f"{i18n.number(100 * p['share_inps'], language, 0)}\u00a0%")
    edge = [255, 255, 255, 160]
    layers = [pdk.Layer("GeoJsonLayer", AREAS_URL, stroked=True, filled=True, id="comune-areas",
                        get_fill_color=[*areas.NO_WORKERS, areas.NO_WORKERS_ALPHA], get_line_color=edge,
                        line_width_min_pixels=0.5),
              pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": coloured}, stroked=True,
                        filled=True, get_fill_color="properties.fill", get_line_color=edge,
                        line_width_min_pixels=0.5, pickable=True, id="comune-choropleth")]
    return _deck(layers, 45.3, 7.9, 6.9, {"text": "{tip}"})


@st.cache_resource(max_entries=16, show_spinner=False)
def _union_deck_for(table: pd.DataFrame, metric: str, language: str) -> pdk.Deck:
    """`_union_deck`, built (and written to JSON) once per scenario's table, measure and language: the
    union page's every rerun draws the map, and building and writing its deck was a third of the rerun."""
    return _union_deck(table, metric, language)


@st.fragment
def union_map(table: pd.DataFrame) -> None:
    """The comune areas coloured by the median extra cost or the share over the INPS rules.
    `table`: `impact.charts_data.by_comune_istat` of the scenario shown. A fragment: choosing the
    measure redraws this map only, not the page's scenarios."""
    language = lang()
    st.html(SCROLL_CSS)
    metric = st.radio(t("charts.map_metric"), ["median_extra_eur_month", "share_inps"], horizontal=True,
                      key="map_metric",
                      format_func=lambda m: t("charts.metric_median" if m.startswith("median") else "charts.metric_inps"))
    st.pydeck_chart(_union_deck_for(table, metric, language), height=420)
    if metric == "median_extra_eur_month":
        bounds = [b for b, _ in areas.MEDIAN_BANDS[:-1]]
        bands = [f"< {i18n.eur(bounds[0], language, 0)}"] + [
            f"{i18n.eur(a, language, 0)}–{i18n.eur(b, language, 0)}" for a, b in zip(bounds, bounds[1:])] + [
            f"≥ {i18n.eur(bounds[-1], language, 0)}"]
        st.caption(t("charts.map_legend_median", bands=", ".join(bands)))
    else:
        bounds = [b for b, _ in areas.INPS_BANDS[:-1]]
        pct = lambda v: f"{int(100 * v)}\u00a0%"  # noqa: E731
        bands = [f"< {pct(bounds[0])}"] + [f"{pct(a)}–{pct(b)}" for a, b in zip(bounds, bounds[1:])] + [f"≥ {pct(bounds[-1])}"]
        st.caption(t("charts.map_legend_inps", bands=", ".join(bands)))
    st.caption(t("charts.map_areas_note"))
    names = comune_names()
    top = table.head(5)
    st.caption(t("charts.map_alt", items="; ".join(
        f"{names.get(r.istat, r.istat)} {r.workers}, {i18n.eur(r.median_extra_eur_month, language, 0)}"
        for r in top.itertuples())))
    shown = table.assign(comune=table["istat"].map(names))[["comune", "istat", "workers", "median_extra_eur_month",
                                                             "share_inps"]].round(4)
    shown.columns = [t("charts.col_comune"), "ISTAT", t("charts.col_workers"), t("charts.col_median"),
                     t("charts.col_share_inps")]
    st.download_button(t("charts.data"), lambda: charts.csv_bytes(shown, language), "mappa-comuni.csv", "text/csv",
                       key="data-map", icon=":material/table:", on_click="ignore")
