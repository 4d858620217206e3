"""The day's timetable: line geometry, the model's stop times, and the feeds' runs merged in.

`line_geometry` fills in the km and minutes the data leave blank; `model_stop_times`
turns the services that run on a date into stop times (first and last run with peak
and off-peak intervals, or explicit departures); `day_timetable` joins them with the
runs of any GTFS feed into one `Timetable` (``impact.routing.gtfs``) of that weekday.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from impact.clock import hhmm_to_minutes
from impact.errors import DataError
from impact.geo import geodesic_km_array
from impact.routing import SOURCE_GTFS, SOURCE_TIMETABLE_MODEL
from impact.routing.gtfs import (FROM_MODEL, MODE_BUS, MODE_RAIL, MODE_URBAN, Feed, Timetable, build_timetable,
                                 feed_stop_times, load_feed, route_mask_of)
from impact.routing.transit.network import Network, changes_in_force, service_runs_on
from impact.routing.transit.rules import AccessRules


def line_geometry(network: Network, rail_route_factor: float, road_detour: float) -> pd.DataFrame:
    """Line stops with cumulative km and minutes filled in.

    A blank ``km_from_prev`` is the straight line times the mode's route factor
    (rail: `rail_route_factor`; bus and tram: the car estimate's road detour),
    scaled on lines with a published ``length_km`` so that the total matches. A
    blank ``minutes`` is interpolated in proportion to km between the published
    minutes around it; the first stop is 0 and the last one must be given.
    """
    st = network.stations.set_index("station_id")
    mode = dict(zip(network.lines["line_id"], network.lines["mode"]))
    length = dict(zip(network.lines["line_id"], network.lines["length_km"]))
    parts = []
    for line_id, stops in network.line_stops.groupby("line_id", sort=False):
        stops = stops.copy()
        lat = st.loc[stops["station_id"], "lat"].to_numpy()
        lon = st.loc[stops["station_id"], "lon"].to_numpy()
        straight = np.concatenate([[0.0], geodesic_km_array(lat[:-1], lon[:-1], lat[1:], lon[1:])])
        factor = rail_route_factor if mode[line_id] == "rail" else road_detour
        given = pd.to_numeric(stops["km_from_prev"], errors="coerce").to_numpy()
        seg = np.where(np.isnan(given), straight * factor, given)
        seg[0] = 0.0
        blank = np.isnan(given)
        blank[0] = False
        if length[line_id] and blank.any():
            rest = float(length[line_id]) - seg[~blank].sum()
            if rest <= 0:
                raise DataError(f"line {line_id}: published length {length[line_id]} km is shorter than its given km")
            seg[blank] = straight[blank] * rest / straight[blank].sum()
        km = np.cumsum(seg)
        minutes = pd.to_numeric(stops["minutes"], errors="coerce").to_numpy()
        if minutes[0] != 0 or np.isnan(minutes[-1]):
            raise DataError(f"line {line_id}: the first stop needs minutes 0 and the last one its minutes")
        known = ~np.isnan(minutes)
        stops["km"] = km
        stops["minutes_cum"] = np.interp(km, km[known], minutes[known])
        parts.append(stops)
    return pd.concat(parts, ignore_index=True)


def service_departures(first: int, last: int, peak: float, offpeak: float,
                       peaks: tuple[tuple[int, int], ...]) -> np.ndarray:
    """Departures [minutes] from `first` to `last`, at the peak interval inside peak hours."""
    times, t = [], float(first)
    while t <= last + 1e-9:
        times.append(t)
        in_peak = any(a <= t < b for a, b in peaks)
        t += peak if in_peak else offpeak
    return np.round(np.asarray(times)).astype(np.int64)


def _peak_windows(text: str, default: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    if not text.strip():
        return default
    windows = []
    for part in text.split(";"):
        a, b = part.split("-")
        windows.append(tuple(int(x) for x in hhmm_to_minutes([a, b])))
    return tuple(windows)


def _line_mask(mode: str, fare: str) -> int:
    if mode == "rail":
        return MODE_RAIL | FROM_MODEL
    return (MODE_URBAN if fare == "gtt" else MODE_BUS) | FROM_MODEL


def model_stop_times(network: Network, geometry: pd.DataFrame, rules: AccessRules,
                     skip_feeds: frozenset[str] = frozenset(), on: dt.date | None = None,
                     changes_off: frozenset[str] = frozenset()):
    """Stop times of the model's runs: (routes, trip_route, trip, stop, time, km), station order.

    Lines whose ``feed`` is in `skip_feeds` are left out (a feed replaces them). With a
    date `on`, only the services valid that day run, dated changes included
    (`service_runs_on`, less the changes in `changes_off`). One route per service, so
    that a leg can name the service's source and whether its minutes are assumed.
    Each service's running minutes are the line's minutes scaled to the service's
    runtime; the backward direction runs the stops in reverse order.
    """
    index = {s: i for i, s in enumerate(network.stations["station_id"])}
    lines = network.lines.set_index("line_id")
    running = network.services
    if on is not None:
        running = running[service_runs_on(running, on, changes_in_force(network, on, changes_off))]
    routes, trip_route = [], []
    cols: dict[str, list] = {"trip": [], "stop": [], "time": [], "km": []}
    trip_id = 0
    for line_id, stops in geometry.groupby("line_id", sort=False):
        line = lines.loc[line_id]
        if line["feed"] in skip_feeds:
            continue
        services = running[running["line_id"] == line_id]
        if services.empty:
            continue
        stop_idx = np.array([index[s] for s in stops["station_id"]])
        cum_min = stops["minutes_cum"].to_numpy()
        km = stops["km"].to_numpy()
        for svc in services.itertuples():
            route = len(routes)
            routes.append({"name": line["name"], "mask": _line_mask(line["mode"], line["fare"]),
                           "service_id": svc.service_id, "line_id": line_id,
                           "assumed": svc.assumption.strip() == "1", "source_title": svc.source_title,
                           "source_url": svc.source_url, "valid_from": svc.valid_from, "valid_to": svc.valid_to,
                           "change": svc.change.lstrip("!") if svc.change.strip() else ""})
            forward = svc.direction == "forward"
            order = slice(None) if forward else slice(None, None, -1)
            offsets = cum_min if forward else (cum_min[-1] - cum_min)[::-1]
            runtime = float(svc.runtime_minutes or cum_min[-1])
            offsets = np.round(offsets * runtime / cum_min[-1]).astype(np.int64)
            s_idx, s_km = stop_idx[order], (km if forward else (km[-1] - km)[::-1])
            if svc.departures.strip():
                deps = hhmm_to_minutes(svc.departures.split())
            else:
                windows = _peak_windows(svc.peak_windows, rules.peaks)
                deps = service_departures(int(hhmm_to_minutes([svc.first])[0]), int(hhmm_to_minutes([svc.last])[0]),
                                          float(svc.peak_interval), float(svc.offpeak_interval), windows)
            n_runs, n_stops = len(deps), len(s_idx)
            cols["trip"].append(np.repeat(np.arange(trip_id, trip_id + n_runs), n_stops))
            cols["stop"].append(np.tile(s_idx, n_runs))
            cols["time"].append((deps[:, None] + offsets[None, :]).ravel())
            cols["km"].append(np.tile(s_km, n_runs))
            trip_route += [route] * n_runs
            trip_id += n_runs
    st = {k: np.concatenate(v) if v else np.zeros(0) for k, v in cols.items()}
    return pd.DataFrame(routes), np.asarray(trip_route, dtype=np.int64), st


def _stops_frame(network: Network) -> pd.DataFrame:
    return pd.DataFrame({"stop_id": network.stations["station_id"], "name": network.stations["name"],
                         "lat": network.stations["lat"], "lon": network.stations["lon"],
                         "change_min": network.stations["change_min"]})


def rail_distance_matrix(network: Network, geometry: pd.DataFrame) -> np.ndarray:
    """Shortest rail distance [km] between every pair of stations (inf if not linked by rail)."""
    n = len(network.stations)
    index = {s: i for i, s in enumerate(network.stations["station_id"])}
    rail = set(network.lines.loc[network.lines["mode"] == "rail", "line_id"])
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    for line_id, stops in geometry.groupby("line_id", sort=False):
        if line_id not in rail:
            continue
        idx = [index[s] for s in stops["station_id"]]
        seg = np.diff(stops["km"].to_numpy())
        for a, b, d in zip(idx[:-1], idx[1:], seg):
            dist[a, b] = dist[b, a] = min(dist[a, b], d)
    for k in range(n):  # Floyd-Warshall, vectorized over the matrix
        dist = np.minimum(dist, dist[:, k, None] + dist[None, k, :])
    return dist


def route_source(info) -> str:
    """The source of a timetable route in words (a row of the route information `day_timetable` gives):
    "title (address)", or the title alone when it has no address (a downloaded feed)."""
    title, url = str(info["source_title"]), str(info["source_url"])
    return f"{title} ({url})" if url else title


def day_timetable(network: Network, geometry: pd.DataFrame, rules: AccessRules, feeds: dict[str, Path | Feed],
                  on: dt.date, changes_off: frozenset[str] = frozenset()) -> tuple[Timetable, pd.DataFrame]:
    """The timetable of date `on` and its routes' information (one row per timetable route).

    The model's services valid on `on` (`model_stop_times`), with the lines of each feed
    that runs that day replaced by the feed's runs; a feed with no run on `on` is ignored
    and the model's lines are kept. Route information: name, mask, service_id, line_id,
    assumed, source_title, source_url, valid_from, valid_to, change.
    """
    loaded: dict[str, tuple[Feed, pd.DataFrame]] = {}
    for key, feed in feeds.items():
        feed = feed if isinstance(feed, Feed) else load_feed(Path(feed), key)
        st = feed_stop_times(feed, on)
        st = st[st["stop_id"].isin(feed.stops["stop_id"])]   # stop times of unknown stops are dropped
        if len(st):
            loaded[key] = (feed, st)
    routes, trip_route, st = model_stop_times(network, geometry, rules, frozenset(loaded), on, changes_off)
    stops = _stops_frame(network)
    parts = {"trip": [st["trip"]], "stop": [st["stop"]], "arr": [st["time"]], "dep": [st["time"]],
             "km": [st["km"]]}
    route_list, trip_routes = [routes], [trip_route]
    n_trips, n_routes = len(trip_route), len(routes)
    for key, (feed, fst) in loaded.items():
        stops, stop_index = _merge_feed_stops(stops, feed, network, rules)
        names = feed.routes.get("route_short_name", feed.routes["route_id"]).astype(str)
        route_list.append(pd.DataFrame({"name": names.to_numpy(), "mask": route_mask_of(feed),
                                        "service_id": feed.routes["route_id"].astype(str).to_numpy(),
                                        "line_id": "", "assumed": False,
                                        "source_title": f"GTFS feed '{key}'", "source_url": "",
                                        "valid_from": "", "valid_to": "", "change": ""}))
        route_of = {r: n_routes + i for i, r in enumerate(feed.routes["route_id"])}
        n_routes += len(feed.routes)
        codes, first_row = np.unique(fst["trip_id"].to_numpy(), return_index=True)
        trip_num = np.searchsorted(codes, fst["trip_id"].to_numpy())
        stop_num = fst["stop_id"].map(stop_index).to_numpy().astype(np.int64)
        lat, lon = stops["lat"].to_numpy()[stop_num], stops["lon"].to_numpy()[stop_num]
        same = np.concatenate([[False], trip_num[1:] == trip_num[:-1]])
        step = np.where(same, geodesic_km_array(np.roll(lat, 1), np.roll(lon, 1), lat, lon), 0.0)
        parts["trip"].append(trip_num + n_trips)
        parts["stop"].append(stop_num)
        parts["arr"].append(fst["arr"].to_numpy())
        parts["dep"].append(fst["dep"].to_numpy())
        parts["km"].append(_cumsum_by_group(step, same))
        trip_routes.append(np.array([route_of[r] for r in fst["route_id"].to_numpy()[first_row]]))
        n_trips += len(codes)
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    source = SOURCE_GTFS if loaded else SOURCE_TIMETABLE_MODEL
    route_info = pd.concat(route_list, ignore_index=True)
    tt = build_timetable(stops, route_info, np.concatenate(trip_routes),
                         cat["trip"], cat["stop"], cat["arr"], cat["dep"], cat["km"], source)
    return tt, route_info


def _merge_feed_stops(stops: pd.DataFrame, feed: Feed, network: Network,
                      rules: AccessRules) -> tuple[pd.DataFrame, dict[str, int]]:
    """Add a feed's stops to the stop table; those within ``feed_snap_km`` of a model station become it.

    A stop only the feed knows gets the assumed ``feed_stop_change_min`` to change vehicle there.
    """
    f = feed.stops
    lat = pd.to_numeric(f["stop_lat"], errors="coerce").to_numpy()
    lon = pd.to_numeric(f["stop_lon"], errors="coerce").to_numpy()
    model_lat, model_lon = network.stations["lat"].to_numpy(), network.stations["lon"].to_numpy()
    d = geodesic_km_array(lat[:, None], lon[:, None], model_lat[None, :], model_lon[None, :])
    nearest = d.argmin(axis=1)
    snapped = d[np.arange(len(f)), nearest] <= rules.feed_snap_km
    new = f[~snapped]
    added = pd.DataFrame({"stop_id": feed.key + ":" + new["stop_id"], "name": new.get("stop_name", new["stop_id"]),
                          "lat": lat[~snapped], "lon": lon[~snapped],
                          "change_min": rules.feed_stop_change_min})
    base = len(stops)
    index = dict(zip(f["stop_id"][snapped], nearest[snapped].tolist()))
    index.update(dict(zip(new["stop_id"], range(base, base + len(new)))))
    return pd.concat([stops, added], ignore_index=True), index


def _cumsum_by_group(step: np.ndarray, same: np.ndarray) -> np.ndarray:
    """Cumulative sum of `step` restarting where `same` is False."""
    total = np.cumsum(step)
    starts = np.flatnonzero(~same)
    base = np.repeat(total[starts] - step[starts], np.diff(np.concatenate([starts, [len(step)]])))
    return total - base
