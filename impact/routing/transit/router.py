"""Public transport between a worker's home and an office, shift by shift.

The embedded model (``data/transit/``) describes the trains and buses that serve the
catchments of Ivrea and Asti and the GTT last mile to Strada del Drosso: stations
with coordinates, lines as ordered stops with km and running minutes, and services
by time of day (first and last run, peak and off-peak interval, or explicit runs).
`model_timetable` turns it into a `Timetable` of one weekday; official GTFS feeds,
when downloaded, replace the lines they cover (`TransitRouter.from_feeds`).

A journey is door to door: home -> station (walk, bike or car, the mode chosen by
distance), wait, vehicles and changes, the walk from the last stop to the office.
For each office the router computes once, for the whole day, every Pareto-optimal
journey from every stop to the office and back (profile connection scan, see
`impact.routing.gtfs`), then answers for any number of workers with array lookups:
the latest departure from home that still arrives before the shift starts, and
the earliest arrival home after the shift ends, over the best of the nearby
stations (the best for the journey, not the nearest). When no run fits -- a late
shift ending after the last train home -- the journey is marked not feasible and
the last usable departure is reported: that is a finding, not an error.

Result columns of `TransitRouter.journeys` (one row per worker; times are minutes
after midnight of the service day, durations are minutes; NaN when not feasible):

    site_id              office
    source               "timetable-model" or "gtfs" (every vehicle from a feed)
    out_feasible         a journey reaches the office in time for the shift
    out_leave_home       latest time to leave home
    out_arrive_site      arrival at the office
    out_travel_min       leave home -> arrive at the office
    out_wait_min         arrive at the office -> shift start (margin included)
    out_minutes          leave home -> shift start: the time the morning costs
    out_access           "walk", "bike", "car" to the station, or "walk-direct"/"bike-direct"
    out_access_min       home -> platform, parking included
    out_station          station id where the first vehicle is boarded ("" if direct)
    out_first_departure  departure of the first vehicle
    out_vehicles         vehicles ridden; out_changes = vehicles - 1
    back_*               the same for the way home: back_leave_site, back_arrive_home,
                         back_travel_min (leave office -> home), back_wait_min (shift end
                         -> leaving the office), back_minutes (shift end -> home), ...
    last_leave_site      latest departure from the office that still gets home that day
    first_arrive_site    earliest possible arrival at the office that day
    minutes              mean of out_minutes and back_minutes: minutes each way, door to door
    fare_rail_km         rail km for the fare, first train boarded -> last train left
                         (a Torino station counts as Torino Porta Nuova, the tariff node)
    fare_rail_from/_to   station ids of that rail trip
    fare_bus_km          km on extra-urban and replacement buses (regional fare)
    uses_gtt             a GTT urban tram or bus is used (GTT fare on top of the train)

`TransitRouter.inps_minutes` computes the INPS 80-minute figure (message 369/2018:
the *average* time by public transport from residence to the new office) with its
basis; `TransitRouter.journey_legs` lists the legs of one worker's journeys.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from impact.errors import DataError
from impact.geo import geodesic_km_array
from impact.memo import KeyedMemo
from impact.params import DATA_DIR, Parameters, default_parameters
from impact.places import Site, load_sites
from impact.routing import SOURCE_GTFS, SOURCE_TIMETABLE_MODEL
from impact.routing.estimate import CarEstimateModel, load_model
from impact.routing.gtfs import (FROM_MODEL, MODE_BUS, MODE_RAIL, MODE_URBAN, Feed, Profiles, RoutingError,
                                 Timetable, available_feeds, build_timetable, feed_stop_times,
                                 load_feed, profiles_from, profiles_to, reversed_timetable,
                                 route_mask_of)

TRANSIT_DIR = DATA_DIR / "transit"
CANDIDATES = 8            # stations considered per home
TORINO_HUB = "TO_PN"      # the tariff node of "Torino" (Trenitalia's centroid rule)
SNAP_KM = 0.3             # a feed stop this close to a model station becomes that station
WALK, BIKE, CAR = 1, 2, 3
ACCESS_NAMES = np.array(["", "walk", "bike", "car"], dtype=object)


# --------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class AccessRules:
    """How a worker reaches a station from home and the office from a station."""

    walk_kmh: float
    walk_detour: float
    walk_max_km: float            # [km] along the route
    bike_allowed: bool
    bike_kmh: float
    bike_max_km: float            # [km] along the route
    car_max_km: float             # [km] straight line
    park_min: float
    platform_min: float
    egress_walk_max_km: float     # [km] straight line
    intra_town_min: float
    arrival_margin: int           # [minutes] before the shift
    exit_margin: int              # [minutes] after the shift
    peaks: tuple[tuple[int, int], ...]
    rail_route_factor: float
    inps_window: tuple[int, int]  # [minutes after midnight]
    inps_threshold: float         # [minutes]
    reasonable_window: int = 60   # [minutes] runs a worker could reasonably take around the shift
    office_last_mile_min: float = np.inf   # [minutes] station to an office beyond walking range (assumed)

    @classmethod
    def from_parameters(cls, params: Parameters, on: dt.date) -> "AccessRules":
        a = lambda name: params.value(f"transit.access.{name}", on)  # noqa: E731
        s = lambda name: params.value(f"transit.service.{name}", on)  # noqa: E731
        return cls(
            walk_kmh=float(a("walk_speed_kmh")), walk_detour=float(a("walk_detour")),
            walk_max_km=float(a("walk_max_km")), bike_allowed=bool(a("bike_allowed")),
            bike_kmh=float(a("bike_speed_kmh")), bike_max_km=float(a("bike_max_km")),
            car_max_km=float(a("car_max_km")), park_min=float(a("park_minutes")),
            platform_min=float(a("platform_minutes")), egress_walk_max_km=float(a("egress_walk_max_km")),
            intra_town_min=float(a("intra_town_minutes")),
            arrival_margin=int(s("arrival_margin_minutes")), exit_margin=int(s("exit_margin_minutes")),
            peaks=((int(s("peak_morning_start")), int(s("peak_morning_end"))),
                   (int(s("peak_evening_start")), int(s("peak_evening_end")))),
            rail_route_factor=float(s("rail_route_factor")),
            inps_window=(int(s("inps_window_start")), int(s("inps_window_end"))),
            inps_threshold=float(params.value("rights.inps_transfer.max_public_transport_minutes", on)),
            reasonable_window=int(s("reasonable_window_minutes")),
            office_last_mile_min=float(a("office_last_mile_minutes")),
        )


# --------------------------------------------------------------------------- times

def hhmm_to_minutes(values) -> np.ndarray:
    """'HH:MM' strings, or minutes already, -> minutes after midnight [int], vectorized."""
    arr = np.atleast_1d(np.asarray(values))
    if arr.dtype.kind in "iuf":
        return arr.astype(np.int64)
    parts = np.char.partition(arr.astype(str), ":")
    first = parts[:, 0].astype(np.int64)
    second = np.where(parts[:, 2] == "", "0", parts[:, 2]).astype(np.int64)
    return np.where(parts[:, 1] == ":", first * 60 + second, first)


def minutes_to_hhmm(values) -> np.ndarray:
    """Minutes after midnight -> 'HH:MM' (hours past 24 kept, e.g. '24:30'); NaN -> ''."""
    arr = np.asarray(values, dtype=float)
    ok = np.isfinite(arr)
    m = np.where(ok, np.round(arr), 0).astype(np.int64)
    text = np.char.add(np.char.add(np.char.zfill((m // 60).astype(str), 2), ":"),
                       np.char.zfill((m % 60).astype(str), 2))
    return np.where(ok, text, "").astype(object)


# --------------------------------------------------------------------------- the model's data

@dataclass(frozen=True)
class Network:
    """The embedded model as read from ``data/transit``; see its README."""

    stations: pd.DataFrame
    lines: pd.DataFrame
    line_stops: pd.DataFrame
    services: pd.DataFrame
    site_links: pd.DataFrame
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))


CHANGE_COLUMNS = ["change_id", "name", "valid_from", "valid_to", "source_title", "source_url", "note"]


def _date(text: str, what: str) -> dt.date | None:
    if not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise DataError(f"{what}: '{text}' is not a date like 2026-02-23") from None


def changes_in_force(network: Network, on: dt.date, switched_off: frozenset[str] = frozenset()) -> frozenset[str]:
    """The dated changes (``changes.csv``) in force on `on`, less those the user switched off.

    A change runs from ``valid_from`` to ``valid_to`` included; a blank ``valid_to`` is
    "until further notice" (the change stays until the data or the user end it).
    """
    active = set()
    for row in network.changes.itertuples():
        start, end = _date(row.valid_from, f"changes.csv {row.change_id}"), _date(row.valid_to, f"changes.csv {row.change_id}")
        if (start is None or start <= on) and (end is None or on <= end) and row.change_id not in switched_off:
            active.add(row.change_id)
    return frozenset(active)


def service_runs_on(services: pd.DataFrame, on: dt.date, active: frozenset[str]) -> np.ndarray:
    """Which services run on `on`: inside their validity and on the right side of any change.

    ``change`` = "C": the service runs only while change C is in force (a replacement bus);
    "!C": only while it is not (the normal service that C suspends); blank: always.
    """
    ok = np.ones(len(services), dtype=bool)
    for i, row in enumerate(services.itertuples()):
        start = _date(row.valid_from, f"services.csv {row.service_id}")
        end = _date(row.valid_to, f"services.csv {row.service_id}")
        change = row.change.strip()
        if change.startswith("!"):
            in_change = change[1:] not in active
        else:
            in_change = not change or change in active
        ok[i] = (start is None or start <= on) and (end is None or on <= end) and in_change
    return ok


def _read(path: Path, required: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"a file of the public transport model is missing: {path}") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable CSV ({type(exc).__name__})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame


def load_network(directory: Path = TRANSIT_DIR) -> Network:
    """Read and check the model's CSV files; a DataError names the file, row and problem."""
    directory = Path(directory)
    stations = _read(directory / "stations.csv",
                     ["station_id", "name", "kind", "lat", "lon", "change_min", "source_title", "source_url"])
    lines = _read(directory / "lines.csv", ["line_id", "name", "mode", "fare", "feed", "length_km",
                                            "source_title", "source_url"])
    line_stops = _read(directory / "line_stops.csv", ["line_id", "seq", "station_id", "km_from_prev",
                                                      "minutes", "source_title", "source_url"])
    services = _read(directory / "services.csv", [
        "service_id", "line_id", "direction", "runtime_minutes", "first", "last", "peak_interval",
        "offpeak_interval", "peak_windows", "departures", "assumption", "source_title", "source_url"])
    site_links = _read(directory / "site_links.csv", ["site_id", "station_id", "minutes", "source_url"])
    for column in ("valid_from", "valid_to", "change"):   # optional: a service with none always runs
        if column not in services.columns:
            services[column] = ""
    changes = (_read(directory / "changes.csv", CHANGE_COLUMNS) if (directory / "changes.csv").exists()
               else pd.DataFrame(columns=CHANGE_COLUMNS))
    named = set(changes["change_id"])
    used = {c.lstrip("!") for c in services["change"] if c.strip()}
    if used - named:
        raise DataError(f"{directory / 'services.csv'}: unknown change(s) {', '.join(sorted(used - named))} "
                        f"(list them in changes.csv)")
    for row in services.itertuples():
        _date(row.valid_from, f"{directory / 'services.csv'} {row.service_id}")
        _date(row.valid_to, f"{directory / 'services.csv'} {row.service_id}")
    try:
        stations["lat"] = stations["lat"].astype(float)
        stations["lon"] = stations["lon"].astype(float)
        stations["change_min"] = stations["change_min"].astype(int)
    except ValueError as exc:
        raise DataError(f"{directory / 'stations.csv'}: {exc}") from None
    known = set(stations["station_id"])
    if len(known) != len(stations):
        raise DataError(f"{directory / 'stations.csv'}: duplicate station_id")
    for frame, name in ((stations, "stations.csv"), (lines, "lines.csv"), (line_stops, "line_stops.csv"),
                        (services, "services.csv")):
        bad = frame.index[~frame["source_url"].str.startswith(("http://", "https://"))]
        if len(bad):
            raise DataError(f"{directory / name}: row {int(bad[0]) + 2} has no source address")
    unknown = sorted(set(line_stops["station_id"]) - known)
    if unknown:
        raise DataError(f"{directory / 'line_stops.csv'}: unknown station(s) {', '.join(unknown)}")
    for frame, name in ((line_stops, "line_stops.csv"), (services, "services.csv")):
        lost = sorted(set(frame["line_id"]) - set(lines["line_id"]))
        if lost:
            raise DataError(f"{directory / name}: unknown line(s) {', '.join(lost)}")
    bad_dir = services.index[~services["direction"].isin(["forward", "backward"])]
    if len(bad_dir):
        raise DataError(f"{directory / 'services.csv'}: row {int(bad_dir[0]) + 2}: direction must be forward or backward")
    line_stops["seq"] = line_stops["seq"].astype(int)
    line_stops = line_stops.sort_values(["line_id", "seq"], kind="stable").reset_index(drop=True)
    return Network(stations.reset_index(drop=True), lines, line_stops, services, site_links, changes)


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


def model_timetable(network: Network, rules: AccessRules, road_detour: float,
                    on: dt.date | None = None) -> Timetable:
    """The model as a `Timetable` of one weekday (the services valid on `on`, if given)."""
    geometry = line_geometry(network, rules.rail_route_factor, road_detour)
    routes, trip_route, st = model_stop_times(network, geometry, rules, on=on)
    return build_timetable(_stops_frame(network), routes, trip_route, st["trip"], st["stop"], st["time"],
                           st["time"], st["km"], SOURCE_TIMETABLE_MODEL)


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


# --------------------------------------------------------------------------- the router

_MEMO_LIMIT = 50_000  # home points a router remembers before it starts afresh
_SHIFTS_PER_HOME = 1 << 20  # journeys are keyed home * this + shift: room for a million shifts


def _itself(keys: np.ndarray) -> tuple[np.ndarray]:
    """A registry's stored value: the key itself, so a row number leads back to it."""
    return (keys,)


INPS_COLUMNS = ("inps_minutes", "inps_min_minutes", "inps_max_minutes", "inps_journeys", "inps_access",
                "inps_lower_bound", "inps_over_threshold", "inps_basis", "inps_source")


def _points(lat, lon) -> np.ndarray:
    """Points as the complex numbers lat + i lon [degrees], the memos' keys."""
    return np.asarray(lat, dtype=float) + 1j * np.asarray(lon, dtype=float)


def worker_shift_arrays(home_lat, home_lon, site_ids, shift_start, shift_end) -> tuple[np.ndarray, ...]:
    """Homes [degrees], offices and shifts [minutes after midnight, or "HH:MM"] as arrays of one length;
    a shift that ends at or before its start ends the next day (end + 1440)."""
    lat = np.atleast_1d(np.asarray(home_lat, dtype=float))
    lon = np.atleast_1d(np.asarray(home_lon, dtype=float))
    n = len(lat)
    sites = np.broadcast_to(np.asarray(site_ids, dtype=object), (n,))
    start = np.broadcast_to(hhmm_to_minutes(shift_start), (n,)).astype(np.int64)
    end = np.broadcast_to(hhmm_to_minutes(shift_end), (n,)).astype(np.int64)
    return lat, lon, sites, start, np.where(end <= start, end + 1440, end)


@dataclass
class TransitRouter:
    """Journeys by public transport for many workers at once, over one timetable."""

    timetable: Timetable
    network: Network
    sites: dict[str, Site]
    rules: AccessRules
    car: CarEstimateModel
    rail_km: np.ndarray           # [km] rail distance between model stations
    on: dt.date
    route_info: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)  # per timetable route:
    # name, service_id, line_id, assumed, source_title, source_url, valid_from, valid_to, change
    changes_active: frozenset = frozenset()
    _reverse: Timetable | None = field(default=None, repr=False)
    _profiles: dict = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)   # KeyedMemo by name
    _journeys_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _egress_by_site: dict = field(default_factory=dict, repr=False)

    @cached_property
    def _stop_lookup(self) -> tuple[dict[str, int], dict[str, str]]:
        """Stop id -> index and stop id -> name, for naming a journey's legs."""
        tt = self.timetable
        return tt.stop_index(), dict(zip(tt.stop_ids.tolist(), tt.stop_names.tolist()))

    def _memoized(self, key: tuple, compute) -> KeyedMemo:
        if key not in self._memo:
            self._memo[key] = KeyedMemo(compute)
        return self._memo[key]

    def _bounded(self, key: tuple, compute) -> KeyedMemo:
        """A memo of home points, emptied once it holds more than comune centres ever would."""
        memo = self._memoized(key, compute)
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        return memo

    # ----------------------------------------------------------------- construction

    @classmethod
    def from_model(cls, on: dt.date | None = None, params: Parameters | None = None,
                   network: Network | None = None, sites: dict[str, Site] | None = None,
                   changes_off: frozenset[str] = frozenset()) -> "TransitRouter":
        """The embedded timetable model only."""
        return cls.from_feeds({}, on, params, network, sites, changes_off)

    @classmethod
    def from_feeds(cls, feeds: dict[str, Path | Feed], on: dt.date | None = None,
                   params: Parameters | None = None, network: Network | None = None,
                   sites: dict[str, Site] | None = None,
                   changes_off: frozenset[str] = frozenset()) -> "TransitRouter":
        """The model with the lines of each loaded feed replaced by the feed's runs on date `on`.

        The model's services are those valid on `on`, with the dated changes of
        ``changes.csv`` in force that day unless named in `changes_off`.

        `feeds` maps a feed key ("piemonte", "gtt") to a GTFS zip/folder or a loaded
        `Feed`. Feed stops within 300 m of a model station become that station, so
        changes between feed and model runs work; other feed stops are added. A feed
        with no run on `on` is ignored and the model's lines are kept.
        """
        on = on or dt.date.today()
        params = params or default_parameters()
        network = network or load_network()
        sites = sites or load_sites()
        rules = AccessRules.from_parameters(params, on)
        car = load_model(params, on)
        geometry = line_geometry(network, rules.rail_route_factor, car.detour)
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
            stops, stop_index = _merge_feed_stops(stops, feed, network)
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
        return cls(tt, network, sites, rules, car, rail_distance_matrix(network, geometry), on,
                   route_info=route_info, changes_active=changes_in_force(network, on, changes_off))

    # ----------------------------------------------------------------- profiles

    @property
    def reverse(self) -> Timetable:
        if self._reverse is None:
            self._reverse = reversed_timetable(self.timetable)
        return self._reverse

    def egress(self, site_id: str) -> dict[int, int]:
        """Stops from which the office is walked to, and the walk [minutes] (computed once per office)."""
        if site_id not in self._egress_by_site:
            self._egress_by_site[site_id] = self._egress(site_id)
        return self._egress_by_site[site_id]

    def _egress(self, site_id: str) -> dict[int, int]:
        site = self.sites[site_id]
        links = self.walk_links(site.lat, site.lon)
        index = self.timetable.stop_index()
        for row in self.network.site_links[self.network.site_links["site_id"] == site_id].itertuples():
            if row.station_id in index:
                links[index[row.station_id]] = int(row.minutes)
        return links

    def walk_links(self, lat: float, lon: float) -> dict[int, int]:
        """Stops from which a point is walked to, and the walk [minutes]: every stop within
        ``egress_walk_max_km``, or else the nearest one at the stated last-mile minutes
        (``transit.access.office_last_mile_minutes``) when they are quicker than the walk."""
        tt, r = self.timetable, self.rules
        d = geodesic_km_array(tt.stop_lat, tt.stop_lon, lat, lon)
        walk = np.ceil(d * r.walk_detour / r.walk_kmh * 60)
        near = np.flatnonzero(d <= r.egress_walk_max_km)
        if len(near) == 0:
            # An office beyond walking range of every stop (town buses are not modelled,
            # or the office was moved): the nearest stop, by the assumed last mile.
            i = int(np.argmin(d))
            return {i: int(min(walk[i], np.ceil(r.office_last_mile_min)))}
        return {int(i): int(walk[i]) for i in near}

    def last_mile(self, lat: float, lon: float) -> dict | None:
        """The assumed last mile of a point beyond walking range of every stop, or None:
        {"stop": name, "km": straight line [km], "walk_minutes", "minutes": the minutes used}."""
        tt, r = self.timetable, self.rules
        d = geodesic_km_array(tt.stop_lat, tt.stop_lon, lat, lon)
        i = int(np.argmin(d))
        walk = float(np.ceil(d[i] * r.walk_detour / r.walk_kmh * 60))
        if d[i] <= r.egress_walk_max_km or walk <= r.office_last_mile_min:
            return None
        return {"stop": str(tt.stop_names[i]), "km": float(d[i]), "walk_minutes": walk,
                "minutes": float(np.ceil(r.office_last_mile_min))}

    def profiles(self, site_id: str) -> tuple[Profiles, Profiles, Profiles]:
        """(to the office, from the office, from the office in reversed time), cached."""
        if site_id not in self._profiles:
            walk = self.egress(site_id)
            to_site = profiles_to(self.timetable, walk)
            from_site, from_raw = profiles_from(self.reverse, walk)
            self._profiles[site_id] = (to_site, from_site, from_raw)
        return self._profiles[site_id]

    # ----------------------------------------------------------------- access

    def access(self, lat, lon):
        """The `CANDIDATES` best stations of each home: index, minutes, mode, walk minutes.

        Homes are mostly comune centres, so each distinct point is computed once.

        The mode follows the distance: walk up to `walk_max_km`, else bike (if allowed)
        up to `bike_max_km`; only a home with no station in reach on foot or by bike
        drives, up to `car_max_km` [straight line]. Returns arrays
        of shape (n, CANDIDATES); unreachable candidates have minutes = inf.
        """
        memo = self._bounded(("access",), lambda points: self._access_points(points.real, points.imag))
        return memo(_points(lat, lon))

    def _access_points(self, lat, lon):
        tt, r = self.timetable, self.rules
        d = geodesic_km_array(np.asarray(lat)[:, None], np.asarray(lon)[:, None],
                              tt.stop_lat[None, :], tt.stop_lon[None, :])
        route = d * r.walk_detour
        walk_min = route / r.walk_kmh * 60 + r.platform_min
        bike_min = route / r.bike_kmh * 60 + r.park_min + r.platform_min
        car_min = self.car.minutes(self.car.road_km(d)) + r.park_min + r.platform_min
        walkable = route <= r.walk_max_km
        bikeable = r.bike_allowed & ~walkable & (route <= r.bike_max_km)
        # The car only where no station can be walked or cycled to: a worker with a
        # station nearby does not drive to another one.
        near = (walkable | bikeable).any(axis=1, keepdims=True)
        drivable = ~near & (d <= r.car_max_km)
        minutes = np.where(walkable, walk_min, np.where(bikeable, bike_min, np.where(drivable, car_min, np.inf)))
        mode = np.where(walkable, WALK, np.where(bikeable, BIKE, np.where(drivable, CAR, 0)))
        k = min(CANDIDATES, tt.n_stops)
        best = np.argpartition(minutes, k - 1, axis=1)[:, :k]
        rows = np.arange(len(d))[:, None]
        walk_only = np.where(walkable, walk_min, np.inf)
        return best, np.ceil(minutes[rows, best]), mode[rows, best], np.ceil(walk_only[rows, best])

    def direct(self, lat, lon, site_id: str, walk_only: bool = False):
        """Door-to-door minutes walking or cycling straight to the office (inf if too far), and the mode."""
        site, r = self.sites[site_id], self.rules
        route = geodesic_km_array(lat, lon, site.lat, site.lon) * r.walk_detour
        walk = np.where(route <= r.walk_max_km, np.maximum(route / r.walk_kmh * 60, r.intra_town_min), np.inf)
        if walk_only or not r.bike_allowed:
            return np.ceil(walk), np.full(len(walk), WALK)
        bike = np.where(route <= r.bike_max_km, np.maximum(route / r.bike_kmh * 60 + r.park_min, r.intra_town_min),
                        np.inf)
        use_bike = bike < walk
        return np.ceil(np.where(use_bike, bike, walk)), np.where(use_bike, BIKE, WALK)

    # ----------------------------------------------------------------- journeys

    def journeys(self, home_lat, home_lon, site_ids, shift_start, shift_end) -> pd.DataFrame:
        """Door-to-door journeys for a shift, one row per worker (columns in the module docstring).

        shift_start, shift_end: minutes after midnight or 'HH:MM'; an end before the
        start is taken as the next day.
        """
        return pd.DataFrame(self.journey_arrays(home_lat, home_lon, site_ids, shift_start, shift_end))

    def journey_arrays(self, home_lat, home_lon, site_ids, shift_start, shift_end,
                       columns: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """`journeys` as a dict of arrays (only `columns` if given), for the model.

        A frame's text columns cost more than all the rest of a roster's journeys.
        """
        lat, lon, sites, start, end = worker_shift_arrays(home_lat, home_lon, site_ids, shift_start, shift_end)
        n = len(lat)
        unknown = sorted(set(pd.unique(sites)) - set(self.sites))
        if unknown:
            raise RoutingError(f"unknown office(s) {', '.join(map(str, unknown))}; known: {', '.join(self.sites)}")
        names = list(_COLUMNS) if columns is None else list(columns)
        if n == 0:
            return {name: np.empty(0) for name in names}
        site_code, site_names = pd.factorize(sites)
        # One number per (office, shift), the same in every call: ends run to 2 x 1440 minutes.
        office = np.array([list(self.sites).index(s) for s in site_names], dtype=np.int64)[site_code]
        shift_code = (office * 4000 + start) * 4000 + end
        with self._journeys_lock:
            homes, shifts = self._memoized(("homes",), _itself), self._memoized(("shifts",), _itself)
            if len(homes) > _MEMO_LIMIT:  # arbitrary points, not comune centres: start afresh
                for memo in (homes, shifts, self._memoized(("journeys",), self._journey_columns)):
                    memo.clear()
            keys = homes.rows(_points(lat, lon)) * _SHIFTS_PER_HOME + shifts.rows(shift_code)
            found = self._memoized(("journeys",), self._journey_columns)(keys, [_COLUMNS.index(c) for c in names])
        return dict(zip(names, found))

    def _journey_columns(self, keys: np.ndarray) -> tuple[np.ndarray, ...]:
        """Journeys for (home, shift) keys not met before, in `_COLUMNS` order."""
        points = self._memoized(("homes",), _itself).stored[0][keys // _SHIFTS_PER_HOME]
        codes = self._memoized(("shifts",), _itself).stored[0][keys % _SHIFTS_PER_HOME]
        offices = list(self.sites)
        out: list[np.ndarray | None] = [None] * len(_COLUMNS)
        for code in np.unique(codes).tolist():
            sel = np.flatnonzero(codes == code)
            site_id, start, end = offices[code // 4000 // 4000], code // 4000 % 4000, code % 4000
            part = self._journeys_site(site_id, points.real[sel], points.imag[sel],
                                       np.full(len(sel), start), np.full(len(sel), end))
            for c, column in enumerate(_COLUMNS):
                values = part[column]
                if out[c] is None:
                    out[c] = np.full(len(keys), np.nan) if values.dtype == float else np.empty(len(keys), values.dtype)
                out[c][sel] = values
        return tuple(out)

    def _journeys_site(self, site_id, lat, lon, start, end) -> dict[str, np.ndarray]:
        fwd, bwd, _ = self.profiles(site_id)
        r = self.rules
        n = len(lat)
        rows = np.arange(n)
        idx, amin, amode, _ = self.access(lat, lon)
        k = idx.shape[1]
        ok_access = np.isfinite(amin)
        direct_min, direct_mode = self.direct(lat, lon, site_id)
        has_direct = np.isfinite(direct_min)

        # To work: the latest departure from home that arrives before the shift.
        deadline = start - r.arrival_margin
        p = fwd.latest_by(idx.ravel(), np.repeat(deadline, k)).reshape(n, k)
        ok = (p >= 0) & ok_access
        leave = np.where(ok, fwd.dep[np.maximum(p, 0)] - np.where(ok_access, amin, 0), -np.inf)
        kb = np.argmax(leave, axis=1)
        p_out = p[rows, kb]
        t_leave = leave[rows, kb]
        d_leave = np.where(has_direct, deadline - direct_min, -np.inf)
        out_direct = d_leave >= t_leave
        out_ok = np.maximum(t_leave, d_leave) > -np.inf
        pi = np.maximum(p_out, 0)
        out_leave = np.where(out_direct, d_leave, t_leave)
        out_arrive = np.where(out_direct, deadline, fwd.arr[pi])

        # Back home: the earliest arrival home leaving after the shift.
        t0 = end + r.exit_margin
        q = bwd.earliest_after(idx.ravel(), np.repeat(t0, k)).reshape(n, k)
        okb = (q >= 0) & ok_access
        home = np.where(okb, bwd.arr[np.maximum(q, 0)] + np.where(ok_access, amin, 0), np.inf)
        kh = np.argmin(home, axis=1)
        q_back = q[rows, kh]
        t_home = home[rows, kh]
        d_home = np.where(has_direct, t0 + direct_min, np.inf)
        back_direct = d_home <= t_home
        back_ok = np.minimum(t_home, d_home) < np.inf
        qi = np.maximum(q_back, 0)
        back_home = np.where(back_direct, d_home, t_home)
        back_leave = np.where(back_direct, t0, bwd.dep[qi])

        # The last departure from the office that still gets home; the first arrival there.
        count_b = np.where(ok_access, bwd.count(idx), 0)
        last_i = np.maximum(bwd.offsets[idx + 1] - 1, 0)
        last_leave = np.where(count_b > 0, bwd.dep[last_i], -np.inf).max(axis=1)
        count_f = np.where(ok_access, fwd.count(idx), 0)
        first_arr = np.where(count_f > 0, fwd.arr[fwd.offsets[idx].clip(max=len(fwd.arr) - 1)], np.inf).min(axis=1)

        nan = np.nan
        fin = lambda cond, x: np.where(cond, x, nan).astype(float)  # noqa: E731
        out_vehicles = np.where(out_direct, 0, fwd.legs[pi])
        back_vehicles = np.where(back_direct, 0, bwd.legs[qi])
        station_ids = self.timetable.stop_ids
        out_station = np.where(out_ok & ~out_direct, station_ids[idx[rows, kb]], "")
        back_station = np.where(back_ok & ~back_direct, station_ids[idx[rows, kh]], "")
        out_access = np.where(out_direct, ACCESS_NAMES[direct_mode] + "-direct", ACCESS_NAMES[amode[rows, kb]])
        back_access = np.where(back_direct, ACCESS_NAMES[direct_mode] + "-direct", ACCESS_NAMES[amode[rows, kh]])

        # Fares follow the journey to work, or the one home when there is none in the morning.
        use_out = out_ok & ~out_direct
        use_back = ~use_out & back_ok & ~back_direct
        first_rail = np.where(use_out, fwd.first_rail[pi], np.where(use_back, bwd.first_rail[qi], -1))
        last_rail = np.where(use_out, fwd.last_rail[pi], np.where(use_back, bwd.last_rail[qi], -1))
        mask = np.where(use_out, fwd.mask[pi], np.where(use_back, bwd.mask[qi], 0))
        bus_km = np.where(use_out, fwd.bus_km[pi], np.where(use_back, bwd.bus_km[qi], 0.0))
        rail_km, rail_from, rail_to = self.fare_rail_km(first_rail, last_rail)
        any_vehicle = use_out | use_back
        from_feed_only = any_vehicle & ((mask & FROM_MODEL) == 0)
        out_minutes = fin(out_ok, start - out_leave)
        back_minutes = fin(back_ok, back_home - end)
        return {
            "site_id": np.full(n, site_id, dtype=object),
            "source": np.where(from_feed_only, SOURCE_GTFS, SOURCE_TIMETABLE_MODEL).astype(object),
            "out_feasible": out_ok,
            "out_leave_home": fin(out_ok, out_leave),
            "out_arrive_site": fin(out_ok, out_arrive),
            "out_travel_min": fin(out_ok, out_arrive - out_leave),
            "out_wait_min": fin(out_ok, start - out_arrive),
            "out_minutes": out_minutes,
            "out_access": np.where(out_ok, out_access, "").astype(object),
            "out_access_min": fin(out_ok, np.where(out_direct, direct_min, amin[rows, kb])),
            "out_station": out_station.astype(object),
            "out_first_departure": fin(out_ok & ~out_direct, fwd.dep[pi]),
            "out_vehicles": fin(out_ok, out_vehicles),
            "out_changes": fin(out_ok, np.maximum(out_vehicles - 1, 0)),
            "back_feasible": back_ok,
            "back_leave_site": fin(back_ok, back_leave),
            "back_arrive_home": fin(back_ok, back_home),
            "back_travel_min": fin(back_ok, back_home - back_leave),
            "back_wait_min": fin(back_ok, back_leave - end),
            "back_minutes": back_minutes,
            "back_access": np.where(back_ok, back_access, "").astype(object),
            "back_access_min": fin(back_ok, np.where(back_direct, direct_min, amin[rows, kh])),
            "back_station": back_station.astype(object),
            "back_vehicles": fin(back_ok, back_vehicles),
            "back_changes": fin(back_ok, np.maximum(back_vehicles - 1, 0)),
            "last_leave_site": fin(np.isfinite(last_leave) & ~has_direct, last_leave),
            "first_arrive_site": fin(np.isfinite(first_arr), first_arr),
            "minutes": (out_minutes + back_minutes) / 2,
            "fare_rail_km": rail_km,
            "fare_rail_from": rail_from,
            "fare_rail_to": rail_to,
            "fare_bus_km": np.round(bus_km, 1),
            "uses_gtt": (mask & MODE_URBAN) != 0,
        }

    def fare_rail_km(self, first, last) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rail km [km] between the first and last station of the trains ridden, and their ids.

        A ticket or pass to 'Torino' is valid to every Torino station and priced to
        the tariff node, taken here as Porta Nuova. Stops that only a feed knows are
        measured in a straight line times the rail route factor.
        """
        first, last = np.asarray(first), np.asarray(last)
        ids = self.timetable.stop_ids
        n_model = len(self.network.stations)
        hub = int(np.flatnonzero(ids == TORINO_HUB)[0])
        torino = np.array([s.startswith("TO_") and k == "rail" for s, k in
                           zip(self.network.stations["station_id"], self.network.stations["kind"])]
                          + [False] * (len(ids) - n_model))
        ok = (first >= 0) & (last >= 0)
        f, t = np.maximum(first, 0), np.maximum(last, 0)
        f_hub, t_hub = np.where(torino[f], hub, f), np.where(torino[t], hub, t)
        in_model = (f_hub < n_model) & (t_hub < n_model)
        matrix = self.rail_km[np.minimum(f_hub, n_model - 1), np.minimum(t_hub, n_model - 1)]
        straight = geodesic_km_array(self.timetable.stop_lat[f_hub], self.timetable.stop_lon[f_hub],
                                     self.timetable.stop_lat[t_hub], self.timetable.stop_lon[t_hub])
        km = np.where(in_model & np.isfinite(matrix), matrix, straight * self.rules.rail_route_factor)
        return (np.where(ok, np.round(km, 1), 0.0), np.where(ok, ids[f], "").astype(object),
                np.where(ok, ids[t], "").astype(object))

    # ----------------------------------------------------------------- the INPS figure

    def inps_minutes(self, home_lat, home_lon, site_id: str = "torino") -> pd.DataFrame:
        """The average time by public transport from home to the office, as INPS asks.

        INPS message 369/2018 counts a transfer when the new office is reachable "on
        average in 80 minutes or more by public transport". Here the average is the
        mean leave-home-to-arrive-office time over every Pareto-optimal weekday
        journey arriving within the window of ``transit.service`` (06:00-22:00), with
        walking access to the station. Where no station is within walking distance
        the model has no local bus to offer, so the access is by car and the figure is
        a lower bound (flagged). Columns: inps_minutes, inps_min_minutes,
        inps_max_minutes, inps_journeys, inps_access ("walk", "car", "walk-direct"),
        inps_lower_bound, inps_over_threshold (>= the INPS 80 minutes), inps_basis (in
        words), inps_source ("timetable-model" or "gtfs").
        """
        return pd.DataFrame(self.inps_arrays(home_lat, home_lon, site_id))

    def inps_arrays(self, home_lat, home_lon, site_id: str = "torino") -> dict[str, np.ndarray]:
        """`inps_minutes` as a dict of arrays, for the model."""
        lat = np.atleast_1d(np.asarray(home_lat, dtype=float))
        lon = np.atleast_1d(np.asarray(home_lon, dtype=float))
        memo = self._bounded(("inps", site_id), lambda points: self._inps_columns(points.real, points.imag, site_id))
        return dict(zip(INPS_COLUMNS, memo(_points(lat, lon))))

    def _inps_columns(self, lat: np.ndarray, lon: np.ndarray, site_id: str) -> tuple[np.ndarray, ...]:
        """The INPS figure's columns (in `INPS_COLUMNS` order) for distinct home points."""
        n = len(lat)
        fwd, _, _ = self.profiles(site_id)
        w0, w1 = self.rules.inps_window
        idx, amin, amode, walk_min = self.access(lat, lon)
        k = idx.shape[1]
        any_walk = np.isfinite(walk_min).any(axis=1)
        acc = np.where(any_walk[:, None], walk_min, amin)
        # Every journey of every candidate station, as flat arrays (owner = worker * k + candidate).
        start = fwd.offsets[idx].ravel()
        length = np.where(np.isfinite(acc), fwd.count(idx), 0).ravel()
        owner = np.repeat(np.arange(n * k), length)
        first_of = np.repeat(np.cumsum(length) - length, length)
        pair = np.repeat(start, length) + np.arange(length.sum()) - first_of
        worker = owner // k
        leave = fwd.dep[pair] - acc.ravel()[owner]
        arrive = fwd.arr[pair]
        keep = (arrive >= w0) & (arrive <= w1)
        worker, leave, arrive = worker[keep], leave[keep], arrive[keep]
        # Pareto filter per worker: drop a journey if another arrives no later and leaves no earlier.
        order = np.lexsort((-leave, arrive, worker))
        worker, leave, arrive = worker[order], leave[order], arrive[order]
        big = 10 * 1440
        running = np.maximum.accumulate(leave + worker * big) - worker * big
        previous = np.concatenate([[-np.inf], running[:-1]])
        new_worker = np.concatenate([[True], worker[1:] != worker[:-1]])
        previous[new_worker] = -np.inf
        best = leave > previous
        worker, travel = worker[best], (arrive - leave)[best]
        count = np.bincount(worker, minlength=n)
        total = np.bincount(worker, weights=travel, minlength=n)
        mean = np.where(count > 0, total / np.maximum(count, 1), np.inf)
        low = np.full(n, np.inf)
        high = np.full(n, -np.inf)
        np.minimum.at(low, worker, travel)
        np.maximum.at(high, worker, travel)
        walk_direct, _ = self.direct(lat, lon, site_id, walk_only=True)
        direct = walk_direct <= mean
        minutes = np.where(direct, walk_direct, mean)
        lower_bound = ~any_walk & ~direct & (count > 0)
        mode = np.where(direct, "walk-direct", np.where(any_walk, "walk", np.where(count > 0, "car", "")))
        found = np.isfinite(minutes)
        nan = np.nan
        # A code the faces word (codes.inps_basis.* in the catalogue); the count is inps_journeys.
        basis = np.where(direct, "walk_direct",
                         np.where(count > 0, np.where(any_walk, "mean_walk", "mean_car"), "none"))
        return (np.where(found, np.round(minutes, 1), nan),
                np.where(direct, walk_direct, np.where(count > 0, low, nan)),
                np.where(direct, walk_direct, np.where(count > 0, high, nan)),
                np.where(direct, 1, count),
                mode.astype(object),
                lower_bound,
                np.where(found, minutes >= self.rules.inps_threshold, True),
                basis.astype(object),
                np.full(n, self.timetable.source, dtype=object))

    # ----------------------------------------------------------------- one worker's legs

    def journey_legs(self, home_lat: float, home_lon: float, site_id: str, shift_start, shift_end) -> pd.DataFrame:
        """The legs of one worker's journeys to work and home, for the worker page.

        Columns: direction ("out"/"back"), kind ("access", "ride", "walk"), from_id,
        from_name, to_id, to_name, depart, arrive [minutes after midnight], line,
        assumed (a ride whose minute rests on an assumed pattern), source (the ride's
        service source, "title (address)"; "" for walks).
        """
        j = {column: values[0] for column, values in
             self.journey_arrays([home_lat], [home_lon], [site_id], shift_start, shift_end).items()}
        fwd, bwd, raw = self.profiles(site_id)
        tt, rev = self.timetable, self.reverse
        walk = self.egress(site_id)
        index, names = self._stop_lookup
        site = self.sites[site_id]
        legs: list[dict] = []
        if j["out_feasible"]:
            if j["out_station"]:
                s = index[j["out_station"]]
                p = int(fwd.latest_by([s], [j["out_arrive_site"]])[0])
                legs.append(_leg("out", "access", "home", "home", j["out_station"], names[j["out_station"]],
                                 j["out_leave_home"], j["out_leave_home"] + j["out_access_min"], j["out_access"]))
                rides, last_stop, last_time = _rebuild(tt, fwd, p, walk)
                legs += [dict(r, direction="out") for r in rides]
                legs.append(_leg("out", "walk", tt.stop_ids[last_stop], names[tt.stop_ids[last_stop]], site_id,
                                 site.name, last_time, last_time + walk[last_stop], "walk"))
            else:
                legs.append(_leg("out", "access", "home", "home", site_id, site.name, j["out_leave_home"],
                                 j["out_arrive_site"], j["out_access"]))
        if j["back_feasible"]:
            if j["back_station"]:
                s = index[j["back_station"]]
                q = int(bwd.earliest_after([s], [j["back_leave_site"]])[0])
                raw_q = int(bwd.offsets[s + 1] - 1 - (q - bwd.offsets[s]))
                rides, last_stop, last_time = _rebuild(rev, raw, raw_q, walk)
                legs.append(_leg("back", "walk", site_id, site.name, rev.stop_ids[last_stop],
                                 names[rev.stop_ids[last_stop]], -last_time - walk[last_stop], -last_time, "walk"))
                for r in reversed(rides):  # back to forward time
                    legs.append(dict(r, direction="back", from_id=r["to_id"], from_name=r["to_name"],
                                     to_id=r["from_id"], to_name=r["from_name"], depart=-r["arrive"],
                                     arrive=-r["depart"]))
                legs.append(_leg("back", "access", j["back_station"], names[j["back_station"]], "home", "home",
                                 j["back_arrive_home"] - j["back_access_min"], j["back_arrive_home"],
                                 j["back_access"]))
            else:
                legs.append(_leg("back", "access", site_id, site.name, "home", "home", j["back_leave_site"],
                                 j["back_arrive_home"], j["back_access"]))
        for leg in legs:
            info = self.route_info.iloc[leg["route"]] if "route" in leg and len(self.route_info) else None
            leg["assumed"] = bool(info["assumed"]) if info is not None else False
            leg["source"] = (f"{info['source_title']} ({info['source_url']})" if info is not None and info["source_url"]
                             else "" if info is None else str(info["source_title"]))
        return pd.DataFrame(legs, columns=["direction", "kind", "from_id", "from_name", "to_id", "to_name",
                                           "depart", "arrive", "line", "assumed", "source"])


_COLUMNS = [
    "site_id", "source", "out_feasible", "out_leave_home", "out_arrive_site", "out_travel_min", "out_wait_min",
    "out_minutes", "out_access", "out_access_min", "out_station", "out_first_departure", "out_vehicles",
    "out_changes", "back_feasible", "back_leave_site", "back_arrive_home", "back_travel_min", "back_wait_min",
    "back_minutes", "back_access", "back_access_min", "back_station", "back_vehicles", "back_changes",
    "last_leave_site", "first_arrive_site", "minutes", "fare_rail_km", "fare_rail_from", "fare_rail_to",
    "fare_bus_km", "uses_gtt",
]


def _leg(direction, kind, from_id, from_name, to_id, to_name, depart, arrive, line) -> dict:
    return {"direction": direction, "kind": kind, "from_id": str(from_id), "from_name": str(from_name),
            "to_id": str(to_id), "to_name": str(to_name), "depart": float(depart), "arrive": float(arrive),
            "line": str(line)}


def _rebuild(tt: Timetable, prof: Profiles, p: int, walk: dict[int, int]):
    """The rides of the journey behind profile pair `p`: (legs, last stop, arrival there)."""
    rides = []
    target, legs_left = int(prof.arr[p]), int(prof.legs[p])
    c = int(prof.enter[p])
    while True:
        trip = int(tt.trip[c])
        end = int(tt.trip_offsets[trip + 1])
        exit_c, next_p = end - 1, -1
        for j in range(c, end):
            a, ta = int(tt.arr_stop[j]), int(tt.arr_time[j])
            if legs_left == 1:
                if a in walk and ta + walk[a] == target:
                    exit_c = j
                    break
            else:
                q = int(prof.earliest_after([a], [ta + int(tt.change_min[a])])[0])
                if q >= 0 and prof.arr[q] == target and prof.legs[q] == legs_left - 1:
                    exit_c, next_p = j, q
                    break
        rides.append({"kind": "ride", "from_id": tt.stop_ids[tt.dep_stop[c]], "from_name": tt.stop_names[tt.dep_stop[c]],
                      "to_id": tt.stop_ids[tt.arr_stop[exit_c]], "to_name": tt.stop_names[tt.arr_stop[exit_c]],
                      "depart": float(tt.dep_time[c]), "arrive": float(tt.arr_time[exit_c]),
                      "line": str(tt.route_names[tt.trip_route[trip]]), "route": int(tt.trip_route[trip])})
        if next_p < 0 or legs_left <= 1:
            return rides, int(tt.arr_stop[exit_c]), int(tt.arr_time[exit_c])
        c, legs_left = int(prof.enter[next_p]), legs_left - 1


def _merge_feed_stops(stops: pd.DataFrame, feed: Feed, network: Network) -> tuple[pd.DataFrame, dict[str, int]]:
    """Add a feed's stops to the stop table; those within SNAP_KM of a model station become it."""
    f = feed.stops
    lat = pd.to_numeric(f["stop_lat"], errors="coerce").to_numpy()
    lon = pd.to_numeric(f["stop_lon"], errors="coerce").to_numpy()
    model_lat, model_lon = network.stations["lat"].to_numpy(), network.stations["lon"].to_numpy()
    d = geodesic_km_array(lat[:, None], lon[:, None], model_lat[None, :], model_lon[None, :])
    nearest = d.argmin(axis=1)
    snapped = d[np.arange(len(f)), nearest] <= SNAP_KM
    new = f[~snapped]
    added = pd.DataFrame({"stop_id": feed.key + ":" + new["stop_id"], "name": new.get("stop_name", new["stop_id"]),
                          "lat": lat[~snapped], "lon": lon[~snapped], "change_min": 3})
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


@lru_cache(maxsize=4)
def default_router(on: dt.date | None = None) -> TransitRouter:
    """The router used by the pages and the CLI: the model, with any downloaded feeds."""
    on = on or dt.date.today()
    feeds = available_feeds()
    return TransitRouter.from_feeds(feeds, on) if feeds else TransitRouter.from_model(on)
