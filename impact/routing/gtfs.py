"""Timetables as connections, the connection scan, and official GTFS feeds.

A timetable is a list of *connections*: one vehicle going from a stop to the next
stop, with a departure and an arrival time [minutes after midnight of the service
day; may exceed 1440 for runs after midnight]. Both the embedded timetable model
(``impact.routing.transit``) and a GTFS feed for a given date become a `Timetable`,
and every query below works on either.

Three ways to query it:

- `earliest_arrival`: from some stops at some times, the earliest arrival at every
  stop. Vectorized over connections in rounds, one round per vehicle boarded (the
  connection scan of Dibbelt et al., 2013, run trip by trip with numpy instead of
  connection by connection): round k finds, for every trip, the first connection
  one can board with at most k-1 changes, and marks every later connection of
  that trip as reached. `earliest_arrival_scan` is the classic one-connection-at-a-
  time scan, kept as the reference the tests and the benchmark compare with.
- `latest_departure`: the same on the time-reversed timetable (arrive by a deadline).
- `profiles_to` / `profiles_from`: every Pareto-optimal (departure, arrival) pair
  from every stop to one target, or from the target to every stop (the profile
  connection scan). Computed once per office, they answer "latest departure to
  arrive by D" and "earliest arrival leaving after t" for any number of workers
  with `np.searchsorted`.

Feeds: `load_feed` reads a GTFS zip or folder, `feed_stop_times` keeps the trips
running on a date (calendar.txt and calendar_dates.txt; frequencies.txt is not
read), `download_feed` fetches a feed when online (for the CLI).
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from impact.errors import DataError, RoutingError

INF = 10**9                 # "never" [minutes]
KEY = np.int64(1 << 22)     # stop * KEY + minutes keeps profile keys sorted by stop, then time

# Bits of a journey's `mask`: what it rides and where its data come from.
MODE_RAIL = 1               # regional trains (Trenitalia)
MODE_URBAN = 2              # GTT urban tram, bus and metro (GTT fare)
MODE_BUS = 4                # extra-urban and replacement buses (regional fare)
FROM_MODEL = 8              # at least one leg comes from the embedded model, not a feed


@dataclass(frozen=True)
class Timetable:
    """Stops, routes and the connections of one service day.

    Connections are stored trip by trip (trips sorted by their first departure,
    each trip's connections in order), which makes a time window a contiguous
    slice; ``by_dep`` orders them by departure for the classic scan.
    """

    stop_ids: np.ndarray          # str, one per stop
    stop_names: np.ndarray        # str
    stop_lat: np.ndarray          # [degrees]
    stop_lon: np.ndarray          # [degrees]
    change_min: np.ndarray        # [minutes] to change vehicle at the stop (>= 1)
    route_names: np.ndarray       # str, one per route
    route_mask: np.ndarray        # MODE_* | FROM_MODEL bits per route
    trip_route: np.ndarray        # route index per trip
    trip_offsets: np.ndarray      # first connection of each trip, plus the end
    trip_first_dep: np.ndarray    # [minutes] first departure of each trip (sorted)
    dep_stop: np.ndarray
    arr_stop: np.ndarray
    dep_time: np.ndarray          # [minutes]
    arr_time: np.ndarray          # [minutes]
    trip: np.ndarray              # trip index per connection
    km: np.ndarray                # [km] length of each connection (fares)
    by_dep: np.ndarray            # connection indices sorted by departure
    max_trip_minutes: int         # [minutes] longest trip, bounds the window slice
    source: str = ""

    @property
    def n_stops(self) -> int:
        return len(self.stop_ids)

    @property
    def n_connections(self) -> int:
        return len(self.dep_time)

    def stop_index(self) -> dict[str, int]:
        """Stop id -> index."""
        return {s: i for i, s in enumerate(self.stop_ids.tolist())}

    def window(self, start: int, end: int) -> slice:
        """Connections of the trips that can run between `start` and `end` [minutes]."""
        lo = np.searchsorted(self.trip_first_dep, start - self.max_trip_minutes, "left")
        hi = np.searchsorted(self.trip_first_dep, end, "right")
        return slice(int(self.trip_offsets[lo]), int(self.trip_offsets[hi]))


def build_timetable(stops: pd.DataFrame, routes: pd.DataFrame, trip_route, st_trip, st_stop,
                    st_arr, st_dep, st_km, source: str = "") -> Timetable:
    """A `Timetable` from stop times, vectorized.

    stops: columns stop_id, name, lat, lon, change_min. routes: name, mask.
    trip_route: route index per trip. st_*: one row per stop time, sorted by trip
    then sequence: trip index, stop index, arrival and departure [minutes], and
    cumulative km along the trip.
    """
    st_trip = np.asarray(st_trip, dtype=np.int64)
    st_stop = np.asarray(st_stop, dtype=np.int32)
    st_arr = np.asarray(st_arr, dtype=np.int64)
    st_dep = np.asarray(st_dep, dtype=np.int64)
    st_km = np.asarray(st_km, dtype=float)
    same = st_trip[1:] == st_trip[:-1]
    dep_stop, arr_stop = st_stop[:-1][same], st_stop[1:][same]
    dep_time, arr_time = st_dep[:-1][same], st_arr[1:][same]
    # A vehicle never arrives before it leaves; feeds sometimes round to the same minute.
    arr_time = np.maximum(arr_time, dep_time)
    trip = st_trip[:-1][same]
    km = np.maximum(st_km[1:][same] - st_km[:-1][same], 0.0)
    return _from_connections(stops, routes, np.asarray(trip_route, dtype=np.int32), trip,
                             dep_stop, arr_stop, dep_time, arr_time, km, source)


def _from_connections(stops, routes, trip_route, trip, dep_stop, arr_stop, dep_time, arr_time,
                      km, source) -> Timetable:
    n_trips = len(trip_route)
    # Renumber trips by first departure so that a time window is a contiguous slice.
    first = np.full(n_trips, INF, dtype=np.int64)
    np.minimum.at(first, trip, dep_time)
    used = first < INF
    order = np.argsort(np.where(used, first, INF), kind="stable")[: int(used.sum())]
    new_id = np.full(n_trips, -1, dtype=np.int64)
    new_id[order] = np.arange(len(order))
    trip = new_id[trip]
    perm = np.lexsort((dep_time, trip))
    trip, dep_stop, arr_stop = trip[perm], dep_stop[perm], arr_stop[perm]
    dep_time, arr_time, km = dep_time[perm], arr_time[perm], km[perm]
    counts = np.bincount(trip, minlength=len(order))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    last_arr = np.full(len(order), 0, dtype=np.int64)
    np.maximum.at(last_arr, trip, arr_time)
    first_dep = first[order]
    longest = int((last_arr - first_dep).max()) if len(order) else 0
    change = np.maximum(np.asarray(stops["change_min"], dtype=np.int64), 1)
    return Timetable(
        stop_ids=np.asarray(stops["stop_id"], dtype=object), stop_names=np.asarray(stops["name"], dtype=object),
        stop_lat=np.asarray(stops["lat"], dtype=float), stop_lon=np.asarray(stops["lon"], dtype=float),
        change_min=change, route_names=np.asarray(routes["name"], dtype=object),
        route_mask=np.asarray(routes["mask"], dtype=np.int64), trip_route=trip_route[order],
        trip_offsets=offsets, trip_first_dep=first_dep, dep_stop=dep_stop.astype(np.int64),
        arr_stop=arr_stop.astype(np.int64), dep_time=dep_time, arr_time=arr_time,
        trip=trip, km=km, by_dep=np.argsort(dep_time, kind="stable"), max_trip_minutes=longest,
        source=source,
    )


def reversed_timetable(tt: Timetable) -> Timetable:
    """The same timetable run backwards in time: (a -> b, d, t) becomes (b -> a, -t, -d).

    An earliest-arrival query on it is a latest-departure query on `tt`.
    """
    stops = pd.DataFrame({"stop_id": tt.stop_ids, "name": tt.stop_names, "lat": tt.stop_lat,
                          "lon": tt.stop_lon, "change_min": tt.change_min})
    routes = pd.DataFrame({"name": tt.route_names, "mask": tt.route_mask})
    # Fed backwards so that connections of a trip with equal times keep their reversed order.
    rev = slice(None, None, -1)
    return _from_connections(stops, routes, tt.trip_route, tt.trip[rev], tt.arr_stop[rev], tt.dep_stop[rev],
                             -tt.arr_time[rev], -tt.dep_time[rev], tt.km[rev], tt.source)


# --------------------------------------------------------------------------- one-to-all queries

def earliest_arrival(tt: Timetable, origin_stops, origin_times, horizon: int = 360,
                     max_legs: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Earliest arrival [minutes] at every stop, and the vehicles ridden to get there.

    Starts at `origin_stops` at `origin_times` [minutes] (changing there needs no
    change time), considers trips departing up to `horizon` minutes after the
    earliest start, and allows at most `max_legs` vehicles. Unreached stops get INF
    and -1 legs.
    """
    origin_stops = np.atleast_1d(np.asarray(origin_stops, dtype=np.int64))
    origin_times = np.atleast_1d(np.asarray(origin_times, dtype=np.int64))
    start = int(origin_times.min())
    w = tt.window(start, start + horizon)
    dep_stop, arr_stop = tt.dep_stop[w], tt.arr_stop[w]
    dep_time, arr_time = tt.dep_time[w], tt.arr_time[w]
    arrival = np.full(tt.n_stops, INF, dtype=np.int64)
    legs = np.full(tt.n_stops, -1, dtype=np.int64)
    np.minimum.at(arrival, origin_stops, origin_times)
    legs[origin_stops] = 0
    ready = arrival.copy()  # earliest time a vehicle can be boarded at each stop
    m = len(dep_time)
    if m == 0:
        return arrival, legs
    trip_of = tt.trip[w] - tt.trip[w][0]   # trips of a window are consecutive
    starts = np.flatnonzero(np.concatenate([[True], trip_of[1:] != trip_of[:-1]]))
    position = np.arange(m)
    for k in range(1, max_legs + 1):
        can_board = ready[dep_stop] <= dep_time
        first = np.minimum.reduceat(np.where(can_board, position, m), starts)
        on_board = position >= first[trip_of]
        reached = arrival.copy()
        np.minimum.at(reached, arr_stop[on_board], arr_time[on_board])
        improved = reached < arrival
        if not improved.any():
            break
        arrival = reached
        legs[improved] = k
        ready = np.minimum(ready, np.where(improved, arrival + tt.change_min, INF))
    return arrival, legs


def earliest_arrival_scan(tt: Timetable, origin_stops, origin_times, horizon: int = 360) -> np.ndarray:
    """The classic connection scan, one connection at a time in pure Python.

    Same answer as `earliest_arrival` with unlimited legs; kept as the reference
    for tests and as the per-connection baseline of the benchmark.
    """
    origin_stops = np.atleast_1d(np.asarray(origin_stops, dtype=np.int64))
    origin_times = np.atleast_1d(np.asarray(origin_times, dtype=np.int64))
    start = int(origin_times.min())
    arrival = [INF] * tt.n_stops
    ready = [INF] * tt.n_stops
    for s, t in zip(origin_stops.tolist(), origin_times.tolist()):
        arrival[s] = min(arrival[s], t)
        ready[s] = min(ready[s], t)
    change = tt.change_min.tolist()
    on_trip: set[int] = set()
    order = tt.by_dep[(tt.dep_time[tt.by_dep] >= start) & (tt.dep_time[tt.by_dep] <= start + horizon)]
    for c in order.tolist():
        trip = int(tt.trip[c])
        if trip in on_trip or ready[tt.dep_stop[c]] <= tt.dep_time[c]:
            on_trip.add(trip)
            b, t = int(tt.arr_stop[c]), int(tt.arr_time[c])
            if t < arrival[b]:
                arrival[b] = t
                ready[b] = min(ready[b], t + change[b])
    return np.asarray(arrival, dtype=np.int64)


def latest_departure(tt: Timetable, target_stops, deadlines, horizon: int = 360,
                     max_legs: int = 32, reverse: Timetable | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Latest departure [minutes] from every stop that reaches a target by its deadline.

    `reverse` is `reversed_timetable(tt)`, passed in when it is already built.
    Stops that cannot make it get -INF.
    """
    back = reverse if reverse is not None else reversed_timetable(tt)
    arrival, legs = earliest_arrival(back, target_stops, -np.asarray(deadlines, dtype=np.int64),
                                     horizon, max_legs)
    return np.where(arrival < INF, -arrival, -INF), legs


# --------------------------------------------------------------------------- profiles

@dataclass(frozen=True)
class Profiles:
    """Pareto-optimal journeys between every stop and one target, for a whole day.

    Pairs are grouped by stop (``offsets``) and sorted by departure; within a stop
    both departure and arrival increase. For journeys *to* the target, ``dep`` is
    the departure from the stop and ``arr`` the arrival at the target (walk
    included); for journeys *from* the target (``outbound=False``), ``dep`` is the
    departure from the target and ``arr`` the arrival at the stop.
    """

    offsets: np.ndarray
    dep: np.ndarray               # [minutes]
    arr: np.ndarray               # [minutes]
    legs: np.ndarray              # vehicles ridden
    mask: np.ndarray              # MODE_* | FROM_MODEL bits of the journey
    first_rail: np.ndarray        # stop where the first train is boarded (-1: none)
    last_rail: np.ndarray         # stop where the last train is left (-1: none)
    bus_km: np.ndarray            # [km] on extra-urban buses
    enter: np.ndarray             # first connection (timetable index, in scan direction)
    outbound: bool = True
    key_dep: np.ndarray = field(default=None, repr=False)
    key_arr: np.ndarray = field(default=None, repr=False)

    def latest_by(self, stops, deadlines) -> np.ndarray:
        """Index of the pair leaving each stop last among those arriving by the deadline, or -1."""
        stops = np.asarray(stops, dtype=np.int64)
        key = stops * KEY + np.asarray(deadlines, dtype=np.int64)
        i = np.searchsorted(self.key_arr, key, "right") - 1
        return np.where(i >= self.offsets[stops], i, -1)

    def earliest_after(self, stops, times) -> np.ndarray:
        """Index of the first pair departing each stop at or after the time, or -1."""
        stops = np.asarray(stops, dtype=np.int64)
        key = stops * KEY + np.asarray(times, dtype=np.int64)
        i = np.searchsorted(self.key_dep, key, "left")
        return np.where(i < self.offsets[stops + 1], i, -1)

    def count(self, stops) -> np.ndarray:
        stops = np.asarray(stops, dtype=np.int64)
        return self.offsets[stops + 1] - self.offsets[stops]


def profiles_to(tt: Timetable, target_walk: dict[int, int]) -> Profiles:
    """Every Pareto-optimal journey from every stop *to* a target (profile connection scan).

    `target_walk` maps the stops near the target to the walk between them and the
    target [minutes]. One pass over the connections, latest first, in pure
    Python: run once per office and cached by the caller.
    """
    return _finish(_profile_scan(tt, target_walk), True)


def profiles_from(reverse: Timetable, target_walk: dict[int, int]) -> tuple[Profiles, Profiles]:
    """Every Pareto-optimal journey *from* a target to every stop.

    Computed as `profiles_to` on the reversed timetable (`reversed_timetable(tt)`);
    returns the journeys in forward time and the raw reversed profiles, which
    `transit` uses to rebuild the legs of one journey.
    """
    raw = _profile_scan(reverse, target_walk)
    off, dep, arr, legs, mask, first_rail, last_rail, bus_km, enter = raw
    # Each stop's reversed pairs, read backwards, are its forward pairs in departure order.
    order = np.concatenate([np.arange(off[s + 1] - 1, off[s] - 1, -1) for s in range(len(off) - 1)]
                           or [np.zeros(0, dtype=np.int64)]).astype(np.int64)
    # A reversed pair is (-arrival at the stop, -departure from the target); the first
    # train boarded in reversed time is the last one left in forward time.
    forward = (off, -arr[order], -dep[order], legs[order], mask[order], last_rail[order],
               first_rail[order], bus_km[order], enter[order])
    return _finish(forward, False), _finish(raw, True)


def _finish(raw, outbound: bool) -> Profiles:
    off, dep, arr, legs, mask, first_rail, last_rail, bus_km, enter = raw
    stop_of = np.repeat(np.arange(len(off) - 1, dtype=np.int64), np.diff(off))
    return Profiles(offsets=off, dep=dep, arr=arr, legs=legs, mask=mask, first_rail=first_rail,
                    last_rail=last_rail, bus_km=bus_km, enter=enter, outbound=outbound,
                    key_dep=stop_of * KEY + dep, key_arr=stop_of * KEY + arr)


def _profile_scan(tt: Timetable, target_walk: dict[int, int]):
    """The profile scan proper; returns flat arrays grouped by stop, departure ascending."""
    n = tt.n_stops
    rail = (tt.route_mask & MODE_RAIL) != 0
    bus = (tt.route_mask & MODE_BUS) != 0
    trip_mask = tt.route_mask[tt.trip_route].tolist()
    trip_rail = rail[tt.trip_route].tolist()
    trip_bus = bus[tt.trip_route].tolist()
    n_trips = len(tt.trip_route)
    # Per trip: the best journey when staying on board from here (arrival, legs,
    # mask, first train boarded, last train left, bus km, first connection).
    t_arr = [INF] * n_trips
    t_state: list = [None] * n_trips
    # Per stop: departures stored negated, so that appended values stay sorted for bisect.
    negdep: list[list[int]] = [[] for _ in range(n)]
    pairs: list[list[tuple]] = [[] for _ in range(n)]
    change = tt.change_min.tolist()
    dep_stop, arr_stop = tt.dep_stop.tolist(), tt.arr_stop.tolist()
    dep_time, arr_time = tt.dep_time.tolist(), tt.arr_time.tolist()
    trips, kms = tt.trip.tolist(), tt.km.tolist()
    for c in reversed(tt.by_dep.tolist()):
        a_stop, tr, ta = arr_stop[c], trips[c], arr_time[c]
        is_rail, is_bus, mask = trip_rail[tr], trip_bus[tr], trip_mask[tr]
        ckm = kms[c] if is_bus else 0.0
        best = INF
        state = None
        walk = target_walk.get(a_stop)
        if walk is not None:   # leave the vehicle here and walk to the target
            best = ta + walk
            state = (1, mask, -1, a_stop if is_rail else -1, ckm)
        if t_arr[tr] < best:  # stay on board
            best = t_arr[tr]
            legs, m, fr, lr, bkm = t_state[tr]
            state = (legs, m, fr, lr, bkm + ckm)
        nd = negdep[a_stop]
        if nd:                 # change vehicle here
            i = bisect.bisect_right(nd, -(ta + change[a_stop])) - 1
            if i >= 0:
                p = pairs[a_stop][i]
                if p[0] < best or (p[0] == best and state is not None and p[1] + 1 < state[0]):
                    best = p[0]
                    last = p[4] if p[4] >= 0 else (a_stop if is_rail else -1)
                    state = (p[1] + 1, mask | p[2], p[3], last, p[5] + ckm)
        if state is None:
            continue
        t_arr[tr], t_state[tr] = best, state
        legs, m, fr, lr, bkm = state
        d_stop, td = dep_stop[c], dep_time[c]
        first = d_stop if is_rail else fr
        nd, pl = negdep[d_stop], pairs[d_stop]
        if not pl or best < pl[-1][0]:
            entry = (best, legs, m, first, lr, bkm, td, c)
            if nd and nd[-1] == -td:   # same departure, better arrival: replace
                pl[-1] = entry
            else:
                nd.append(-td)
                pl.append(entry)
    counts = np.array([len(p) for p in pairs], dtype=np.int64)
    off = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    flat = [e for p in pairs for e in reversed(p)]   # each stop's pairs, departure ascending
    if not flat:
        z = np.zeros(0, dtype=np.int64)
        return off, z, z, z, z, z, z, np.zeros(0), z
    arr, legs, mask, first, last, bkm, dep, enter = (np.asarray(x) for x in zip(*flat))
    return (off, dep.astype(np.int64), arr.astype(np.int64), legs.astype(np.int64),
            mask.astype(np.int64), first.astype(np.int64), last.astype(np.int64),
            bkm.astype(float), enter.astype(np.int64))


# --------------------------------------------------------------------------- GTFS feeds

@dataclass(frozen=True)
class FeedSource:
    """Where an official feed is published."""

    key: str
    title: str
    url: str | None
    licence: str
    note: str = ""


FEEDS = {
    "gtt": FeedSource(
        "gtt", "GTT, orari GTFS (urbano, extraurbano, ferroviario)",
        "https://www.gtt.to.it/open_data/gtt_gtfs.zip",
        "CC BY 4.0 as listed by the Comune di Torino open-data portal (dataset feed-gtfs-trasporti-gtt); "
        "GTT's own licence page asks for attribution 'Data source: GTT S.p.A.' and non-commercial use",
        "Licence pages: https://aperto.comune.torino.it (feed-gtfs-trasporti-gtt) and "
        "https://www.gtt.to.it/gtt_gtfs_license.html; version 20260711 is valid 10 Jul - 31 Dec 2026 (FACTS 11)."),
    "piemonte": FeedSource(
        "piemonte", "Regione Piemonte / Agenzia della Mobilità Piemontese, orari GTFS regionali (Muoversi in Piemonte)",
        None, "CC BY 4.0 (Regione Piemonte publishes its bus timetables under CC BY 4.0)",
        "Published through https://www.muoversinpiemonte.it/page/dati; the zip's own address could not be "
        "confirmed offline: pass it with url=."),
}


def feeds_dir() -> Path:
    """Where downloaded feeds are kept: $IMPACT_GTFS_DIR or ~/.cache/impact/gtfs."""
    return Path(os.environ.get("IMPACT_GTFS_DIR") or Path.home() / ".cache" / "impact" / "gtfs")


def download_feed(key: str, url: str | None = None, directory: Path | None = None,
                  timeout: tuple[float, float] = (5.0, 120.0)) -> Path:
    """Download feed `key` (from `url`, or its known address) to ``<directory>/<key>.zip``.

    Needs a network; short timeouts and no retry loop. The file is written to a
    temporary name first, so a failed download never leaves a broken feed behind.
    """
    import requests  # only needed online

    source = FEEDS.get(key)
    url = url or (source.url if source else None)
    if not url:
        raise RoutingError(f"no known address for the '{key}' feed; pass url=")
    directory = Path(directory or feeds_dir())
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{key}.zip"
    try:
        with requests.get(url, stream=True, timeout=timeout) as response:
            response.raise_for_status()
            with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".part") as part:
                for chunk in response.iter_content(1 << 16):
                    part.write(chunk)
        with zipfile.ZipFile(part.name) as archive:
            if "stop_times.txt" not in archive.namelist():
                raise RoutingError(f"{url} is not a GTFS feed (no stop_times.txt)")
        os.replace(part.name, target)
        _write_licence(directory / f"{key}.licence.json", key, url, source)
    except requests.RequestException as exc:
        raise RoutingError(f"could not download the '{key}' feed from {url}: {exc}") from None
    except zipfile.BadZipFile:
        raise RoutingError(f"{url} did not return a zip file") from None
    finally:
        if "part" in locals() and os.path.exists(part.name):
            os.unlink(part.name)
    return target


def _write_licence(path: Path, key: str, url: str, source: FeedSource | None) -> None:
    """The licence and origin of a downloaded feed, kept next to it (the page and the report cite it)."""
    import json

    record = {"key": key, "url": url, "downloaded_on": dt.date.today().isoformat(),
              "title": source.title if source else key, "licence": source.licence if source else "not recorded",
              "note": source.note if source else "downloaded from an address given by the user"}
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


def feed_licence(feed_path: Path) -> dict:
    """The licence record written by `download_feed` next to a feed ({} if none)."""
    import json

    path = Path(feed_path).with_suffix(".licence.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def available_feeds(directory: Path | None = None) -> dict[str, Path]:
    """Downloaded feeds, by key (file name without .zip)."""
    directory = Path(directory or feeds_dir())
    if not directory.is_dir():
        return {}
    return {p.stem: p for p in sorted(directory.glob("*.zip"))}


@dataclass(frozen=True)
class Feed:
    """The tables of a GTFS feed that routing needs."""

    key: str
    agency: pd.DataFrame
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    calendar: pd.DataFrame
    calendar_dates: pd.DataFrame


_REQUIRED = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")


def load_feed(path: Path, key: str | None = None) -> Feed:
    """Read a GTFS feed from a zip file or a folder."""
    path = Path(path)
    key = key or path.stem

    def read(name: str, required: bool) -> pd.DataFrame:
        try:
            if path.is_dir():
                file = path / name
                if not file.exists():
                    raise FileNotFoundError(name)
                return pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            with zipfile.ZipFile(path) as archive:
                inner = [n for n in archive.namelist() if n.split("/")[-1] == name]
                if not inner:
                    raise FileNotFoundError(name)
                with archive.open(inner[0]) as handle:
                    return pd.read_csv(io.TextIOWrapper(handle, encoding="utf-8-sig"), dtype=str,
                                       keep_default_na=False)
        except FileNotFoundError:
            if required:
                raise DataError(f"{path}: the GTFS feed has no {name}") from None
            return pd.DataFrame()
        except (zipfile.BadZipFile, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise DataError(f"{path}: cannot read {name} ({exc})") from None

    tables = {n: read(n, n in _REQUIRED) for n in
              ("agency.txt", *_REQUIRED, "calendar.txt", "calendar_dates.txt")}
    return Feed(key, tables["agency.txt"], tables["stops.txt"], tables["routes.txt"], tables["trips.txt"],
                tables["stop_times.txt"], tables["calendar.txt"], tables["calendar_dates.txt"])


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def active_services(feed: Feed, on: dt.date) -> set[str]:
    """Service ids running on date `on` (calendar.txt, then calendar_dates.txt exceptions)."""
    day = on.strftime("%Y%m%d")
    active: set[str] = set()
    cal = feed.calendar
    if len(cal):
        running = (cal["start_date"] <= day) & (cal["end_date"] >= day) & (cal[_WEEKDAYS[on.weekday()]] == "1")
        active |= set(cal.loc[running, "service_id"])
    exc = feed.calendar_dates
    if len(exc):
        today = exc[exc["date"] == day]
        active |= set(today.loc[today["exception_type"] == "1", "service_id"])
        active -= set(today.loc[today["exception_type"] == "2", "service_id"])
    return active


def gtfs_minutes(values: pd.Series) -> np.ndarray:
    """'HH:MM:SS' (hours may exceed 24) -> minutes after midnight, rounded down; '' -> -1."""
    parts = values.str.split(":", expand=True)
    if parts.shape[1] < 2:
        return np.full(len(values), -1, dtype=np.int64)
    hours = pd.to_numeric(parts[0], errors="coerce")
    minutes = pd.to_numeric(parts[1], errors="coerce")
    out = (hours * 60 + minutes).to_numpy()
    return np.where(np.isnan(out), -1, out).astype(np.int64)


def route_mask_of(feed: Feed) -> np.ndarray:
    """MODE_* bits for each route of a feed, from route_type and the agency's name."""
    kind = pd.to_numeric(feed.routes.get("route_type", pd.Series("3", index=feed.routes.index)),
                         errors="coerce").fillna(3).astype(int).to_numpy()
    agency_name = pd.Series("", index=feed.routes.index)
    if len(feed.agency) and "agency_id" in feed.routes and "agency_id" in feed.agency:
        names = dict(zip(feed.agency["agency_id"], feed.agency.get("agency_name", "")))
        agency_name = feed.routes["agency_id"].map(names).fillna("")
    urban_agency = agency_name.str.contains("urban", case=False) & ~agency_name.str.contains("extra", case=False)
    rail = (kind == 2) | ((kind >= 100) & (kind < 200))
    urban = ~rail & ((kind == 0) | (kind == 1) | (kind == 5) | ((kind >= 400) & (kind < 500))
                     | (kind == 900) | urban_agency.to_numpy())
    return np.where(rail, MODE_RAIL, np.where(urban, MODE_URBAN, MODE_BUS))


def feed_stop_times(feed: Feed, on: dt.date) -> pd.DataFrame:
    """The stop times of the trips running on `on`, sorted by trip and sequence.

    Columns: trip_id, route_id, stop_id, arr, dep [minutes], seq.
    """
    services = active_services(feed, on)
    trips = feed.trips[feed.trips["service_id"].isin(services)][["trip_id", "route_id"]]
    st = feed.stop_times.merge(trips, on="trip_id")
    if st.empty:
        return pd.DataFrame(columns=["trip_id", "route_id", "stop_id", "arr", "dep", "seq"])
    arr, dep = gtfs_minutes(st["arrival_time"]), gtfs_minutes(st["departure_time"])
    # Untimed stops take the time of the stop before (conservative for both directions).
    arr = np.where(arr < 0, dep, arr)
    dep = np.where(dep < 0, arr, dep)
    out = pd.DataFrame({"trip_id": st["trip_id"].to_numpy(), "route_id": st["route_id"].to_numpy(),
                        "stop_id": st["stop_id"].to_numpy(), "arr": arr, "dep": dep,
                        "seq": pd.to_numeric(st["stop_sequence"], errors="coerce").to_numpy()})
    out = out[(out["arr"] >= 0)].sort_values(["trip_id", "seq"], kind="stable")
    return out.reset_index(drop=True)
