"""The transit router: door-to-door journeys by public transport for many workers at once.

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

Result columns of `TransitRouter.journey_arrays` (one value per worker; times are minutes
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

`TransitRouter.inps_arrays` gives the INPS 80-minute figure (``impact.routing.inps``)
and `TransitRouter.journey_legs` the legs of one worker's journeys
(``impact.routing.transit.legs``). A router serves one date: `serves` says whether it
can answer for another one, and `default_router` gives the router of a date.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from impact.clock import MINUTES_PER_DAY, hhmm_to_minutes
from impact.geo import distinct_points, geodesic_km_array
from impact.groups import distinct_rows
from impact.params import Parameters, default_parameters
from impact.places import Site, load_sites
from impact.routing import SOURCE_GTFS, SOURCE_TIMETABLE_MODEL
from impact.routing import inps
from impact.routing.estimate import CarEstimateModel, load_model
from impact.routing.gtfs import (FROM_MODEL, MODE_URBAN, Feed, Profiles, RoutingError, Timetable,
                                 available_feeds, profiles_from, profiles_to, reversed_timetable)
from impact.routing.transit import legs
from impact.routing.transit.network import Network, changes_in_force, load_network
from impact.routing.transit.rules import ACCESS_NAMES, BIKE, CAR, WALK, AccessRules
from impact.routing.transit.timetable import day_timetable, line_geometry, rail_distance_matrix

TORINO_HUB = "TO_PN"      # the tariff node of "Torino" (Trenitalia's centroid rule)

JOURNEY_COLUMNS = [
    "site_id", "source", "out_feasible", "out_leave_home", "out_arrive_site", "out_travel_min", "out_wait_min",
    "out_minutes", "out_access", "out_access_min", "out_station", "out_first_departure", "out_vehicles",
    "out_changes", "back_feasible", "back_leave_site", "back_arrive_home", "back_travel_min", "back_wait_min",
    "back_minutes", "back_access", "back_access_min", "back_station", "back_vehicles", "back_changes",
    "last_leave_site", "first_arrive_site", "minutes", "fare_rail_km", "fare_rail_from", "fare_rail_to",
    "fare_bus_km", "uses_gtt",
]


def worker_shift_arrays(home_lat, home_lon, site_ids, shift_start, shift_end) -> tuple[np.ndarray, ...]:
    """Homes [degrees], offices and shifts [minutes after midnight, or "HH:MM"] as arrays of one length;
    a shift that ends at or before its start ends the next day (end + 1440)."""
    lat = np.atleast_1d(np.asarray(home_lat, dtype=float))
    lon = np.atleast_1d(np.asarray(home_lon, dtype=float))
    n = len(lat)
    sites = np.broadcast_to(np.asarray(site_ids, dtype=object), (n,))
    start = np.broadcast_to(hhmm_to_minutes(shift_start), (n,)).astype(np.int64)
    end = np.broadcast_to(hhmm_to_minutes(shift_end), (n,)).astype(np.int64)
    return lat, lon, sites, start, np.where(end <= start, end + MINUTES_PER_DAY, end)


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
    feeds: dict = field(default_factory=dict, repr=False)   # what it was built from, for `for_date`
    params: Parameters | None = field(default=None, repr=False)
    changes_off: frozenset = frozenset()
    _reverse: Timetable | None = field(default=None, repr=False)
    _profiles: dict = field(default_factory=dict, repr=False)       # per office, built once
    _egress_by_site: dict = field(default_factory=dict, repr=False)  # per office, built once
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @cached_property
    def stop_lookup(self) -> tuple[dict[str, int], dict[str, str]]:
        """Stop id -> index and stop id -> name, for naming a journey's legs."""
        tt = self.timetable
        return tt.stop_index(), dict(zip(tt.stop_ids.tolist(), tt.stop_names.tolist()))

    @cached_property
    def torino_tariff_node(self) -> tuple[int, np.ndarray]:
        """The stop index of Torino's tariff node, and which stops are Torino rail stations (priced to it)."""
        stations = self.network.stations
        torino = np.zeros(self.timetable.n_stops, dtype=bool)
        torino[:len(stations)] = (stations["station_id"].str.startswith("TO_") & (stations["kind"] == "rail")).to_numpy()
        return int(np.flatnonzero(self.timetable.stop_ids == TORINO_HUB)[0]), torino

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
        `Feed`. Feed stops within ``transit.router.feed_stop_snap_km`` of a model station
        become that station, so changes between feed and model runs work; other feed
        stops are added. A feed with no run on `on` is ignored and the model's lines are kept.
        """
        on = on or dt.date.today()
        params = params or default_parameters()
        network = network or load_network()
        sites = sites or load_sites()
        rules = AccessRules.from_parameters(params, on)
        car = load_model(params, on)
        geometry = line_geometry(network, rules.rail_route_factor, car.detour)
        tt, route_info = day_timetable(network, geometry, rules, feeds, on, changes_off)
        return cls(tt, network, sites, rules, car, rail_distance_matrix(network, geometry), on,
                   route_info=route_info, changes_active=changes_in_force(network, on, changes_off),
                   feeds=dict(feeds), params=params, changes_off=frozenset(changes_off))

    def serves(self, on: dt.date) -> bool:
        """Whether this router answers for date `on`: only for the date it was built for.

        Another date can have other services (validity, dated changes such as a line's
        closure), other rules (dated parameters) and, with a feed, another calendar.
        """
        return on == self.on

    def for_date(self, on: dt.date) -> "TransitRouter":
        """This router when it serves `on`, else one built for `on` from the same feeds,
        parameters, network, offices and switched-off changes."""
        if self.serves(on):
            return self
        return type(self).from_feeds(self.feeds, on, self.params, self.network, self.sites, self.changes_off)

    # ----------------------------------------------------------------- profiles

    @property
    def reverse(self) -> Timetable:
        """The timetable in reversed time, for the journeys home."""
        with self._lock:
            if self._reverse is None:
                self._reverse = reversed_timetable(self.timetable)
            return self._reverse

    def egress(self, site_id: str) -> dict[int, int]:
        """Stops from which the office is walked to, and the walk [minutes] (computed once per office)."""
        with self._lock:
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
        """(to the office, from the office, from the office in reversed time), built once per office."""
        with self._lock:
            if site_id not in self._profiles:
                walk = self.egress(site_id)
                to_site = profiles_to(self.timetable, walk)
                from_site, from_raw = profiles_from(self.reverse, walk)
                self._profiles[site_id] = (to_site, from_site, from_raw)
            return self._profiles[site_id]

    # ----------------------------------------------------------------- access

    def access(self, lat, lon):
        """The best stations of each home [degrees]: index, minutes, mode, walk minutes.

        The mode follows the distance: walk up to `walk_max_km`, else bike (if allowed)
        up to `bike_max_km`; only a home with no station in reach on foot or by bike
        drives, up to `car_max_km` [straight line]. Returns arrays of shape
        (n, ``rules.candidates``); unreachable candidates have minutes = inf.
        """
        tt, r = self.timetable, self.rules
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        d = geodesic_km_array(lat[:, None], lon[:, None],
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
        k = min(r.candidates, tt.n_stops)
        best = np.argpartition(minutes, k - 1, axis=1)[:, :k]
        rows = np.arange(len(d))[:, None]
        walk_only = np.where(walkable, walk_min, np.inf)
        return best, np.ceil(minutes[rows, best]), mode[rows, best], np.ceil(walk_only[rows, best])

    def trip_access(self, lat, lon, first, access: tuple | None = None):
        """The homes of distinct trips [degrees] (the rows `first` of a call), as (lat, lon, each
        trip's home, `access` of each home): the call's own `access` rows when given, else the
        distinct points' access, worked here."""
        if access is not None:
            return lat, lon, np.arange(len(lat)), tuple(np.asarray(a)[first] for a in access)
        home_lat, home_lon, home = distinct_points(lat, lon)
        return home_lat, home_lon, home, self.access(home_lat, home_lon)

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

    def journey_arrays(self, home_lat, home_lon, site_ids, shift_start, shift_end,
                       columns: Sequence[str] | None = None, access: tuple | None = None) -> dict[str, np.ndarray]:
        """Door-to-door journeys for a shift, one value per worker in each column (`JOURNEY_COLUMNS`,
        described in the module docstring; only `columns` if given).

        shift_start, shift_end: minutes after midnight or 'HH:MM'; an end before the
        start is taken as the next day. `access`: the homes' `access` answer, one row per
        worker, when the caller has it already (the per-comune tables). Arrays, not a frame:
        a frame's text columns cost more than all the rest of a roster's journeys.
        """
        names = list(JOURNEY_COLUMNS) if columns is None else list(columns)
        return self.by_office(home_lat, home_lon, site_ids, shift_start, shift_end, self._journeys_site, names, access)

    def by_office(self, home_lat, home_lon, site_ids, shift_start, shift_end,
                  work: Callable[..., dict[str, np.ndarray]], names: Sequence[str],
                  access: tuple | None = None) -> dict[str, np.ndarray]:
        """Columns `names` worked office by office, one value per worker.

        Homes are mostly comune centres and shifts few: each distinct (home, office, shift)
        is worked once in a call, and its answer given to every worker who has it.
        `work(site_id, lat, lon, start, end, access)` answers for the distinct trips to one
        office: homes [degrees], shifts [minutes after midnight, the end after the start] and
        the homes' `access` rows; it returns at least `names`, one value per trip. Shifts and
        `access` as in `journey_arrays`; an office this router does not know is refused.
        """
        lat, lon, sites, start, end = worker_shift_arrays(home_lat, home_lon, site_ids, shift_start, shift_end)
        unknown = sorted(set(pd.unique(sites)) - set(self.sites), key=str)
        if unknown:
            raise RoutingError(f"unknown office(s) {', '.join(map(str, unknown))}; known: {', '.join(self.sites)}")
        if len(lat) == 0:
            return {name: np.empty(0) for name in names}
        site_code, site_names = pd.factorize(sites)
        trip, first = distinct_rows(lat, lon, site_code, start, end)
        t_lat, t_lon, t_site, t_start, t_end = lat[first], lon[first], site_code[first], start[first], end[first]
        home_lat, home_lon, home, access = self.trip_access(t_lat, t_lon, first, access)
        found: dict[str, np.ndarray] = {}
        for code, site_id in enumerate(site_names):
            sel = np.flatnonzero(t_site == code)
            h = home[sel]
            part = work(site_id, home_lat[h], home_lon[h], t_start[sel], t_end[sel], tuple(a[h] for a in access))
            for name in names:
                found.setdefault(name, np.empty(len(t_site), part[name].dtype))[sel] = part[name]
        return {name: found[name][trip] for name in names}

    def _journeys_site(self, site_id: str, lat, lon, start, end, access) -> dict[str, np.ndarray]:
        """Journeys to one office for homes [degrees] with their shifts [minutes] and `access` (see `access`)."""
        fwd, bwd, _ = self.profiles(site_id)
        r = self.rules
        n = len(lat)
        rows = np.arange(n)
        idx, amin, amode, _ = access
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
            **_way_columns("out", "leave_home", "arrive_site", out_ok, out_leave, out_arrive, start - out_arrive,
                           out_minutes, out_access, np.where(out_direct, direct_min, amin[rows, kb]), out_station,
                           out_vehicles),
            "out_first_departure": fin(out_ok & ~out_direct, fwd.dep[pi]),
            **_way_columns("back", "leave_site", "arrive_home", back_ok, back_leave, back_home, back_leave - end,
                           back_minutes, back_access, np.where(back_direct, direct_min, amin[rows, kh]), back_station,
                           back_vehicles),
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
        hub, torino = self.torino_tariff_node
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

    # ----------------------------------------------------------------- the INPS figure and the legs

    def inps_arrays(self, home_lat, home_lon, site_id: str = "torino") -> dict[str, np.ndarray]:
        """The INPS 80-minute figure for each home, one value per home in each column
        (`INPS_COLUMNS`, described in ``impact.routing.inps``)."""
        return inps.inps_arrays(self, home_lat, home_lon, site_id)

    def journey_legs(self, home_lat: float, home_lon: float, site_id: str, shift_start, shift_end,
                     journeys: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
        """The legs of one worker's journeys to work and home (columns in ``legs.journey_legs``)."""
        return legs.journey_legs(self, home_lat, home_lon, site_id, shift_start, shift_end, journeys)


def _way_columns(way: str, leave_name: str, arrive_name: str, ok, leave, arrive, wait, minutes, access,
                 access_min, station, vehicles) -> dict[str, np.ndarray]:
    """One way's result columns (``out_*`` or ``back_*``, see the module), NaN or "" where `ok` is False.

    leave, arrive, wait, minutes, access_min [minutes]; access: the access mode's name;
    station: the station boarded ("" when direct); vehicles: how many are ridden.
    """
    fin = lambda x: np.where(ok, x, np.nan).astype(float)  # noqa: E731
    return {f"{way}_feasible": ok, f"{way}_{leave_name}": fin(leave), f"{way}_{arrive_name}": fin(arrive),
            f"{way}_travel_min": fin(arrive - leave), f"{way}_wait_min": fin(wait), f"{way}_minutes": minutes,
            f"{way}_access": np.where(ok, access, "").astype(object), f"{way}_access_min": fin(access_min),
            f"{way}_station": station.astype(object), f"{way}_vehicles": fin(vehicles),
            f"{way}_changes": fin(np.maximum(vehicles - 1, 0))}


def default_router(on: dt.date | None = None) -> TransitRouter:
    """The router of date `on` (today when None) used by the pages and the CLI: the model, with
    any downloaded feeds. Built once per date; a router is never reused for another date."""
    return _router_of(on or dt.date.today())


@lru_cache(maxsize=4)
def _router_of(on: dt.date) -> TransitRouter:
    feeds = available_feeds()
    return TransitRouter.from_feeds(feeds, on) if feeds else TransitRouter.from_model(on)
