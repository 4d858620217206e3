"""One journey between two places, leg by leg: what `python -m impact journey` answers.

A place is a comune (its centre), a station of the model, or an office. The journey
is the one a traveller would take on the day's timetable (`TransitRouter`, the same
one `evaluate()` uses): leaving at a time, the earliest arrival (and of equal
arrivals the latest departure); arriving by a time, the latest departure. Access to
the first stop and from the last one follows the router's rules (walk, bike or car
to a station, walk from it); a station is its own platform (0 minutes).

`transit_journey` returns a `Journey` whose legs carry the source of each service
and whether its minutes are assumed, so that anyone can check a figure against the
operator's own timetable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from impact.clock import hhmm
from impact.geo import geodesic_km_array
from impact.routing.gtfs import MODE_BUS, MODE_RAIL, MODE_URBAN, RoutingError, profiles_to
from impact.routing.transit import ACCESS_NAMES, TransitRouter, rebuild_rides, route_source

KIND_COMUNE, KIND_STATION, KIND_OFFICE = "comune", "station", "office"
OFFICE_PREFIX = "office:"   # "office:ivrea" names the office, not the town or its station


class NoJourney(RoutingError):
    """No journey between the two places fits the asked time on that day; `values` (origin,
    destination, time, date and `when`: "depart" or "arrive_by") let a face word it."""

    code = "no_journey"

    def __init__(self, message: str, **values) -> None:
        super().__init__(message)
        self.values = values


@dataclass(frozen=True)
class Endpoint:
    """Where a journey starts or ends."""

    kind: str          # "comune", "station" or "office"
    key: str           # ISTAT code, station id or office id
    name: str
    lat: float         # [degrees]
    lon: float         # [degrees]


@dataclass(frozen=True)
class Leg:
    """One part of a journey. Times in minutes after midnight of the service day."""

    mode: str          # "walk", "bike", "car", "rail", "bus", "tram", "metro", "last_mile" (assumed, see transit.access)
    line: str          # the line's name ("" for walks)
    origin: str
    destination: str
    depart: float
    arrive: float
    source: str        # the service's source (title and address), or how a walk is estimated
    assumed: bool      # the run's minute rests on an assumed pattern
    validity: str      # "2026-02-23..2026-04-26", "..2026-12-31", "" = no stated end


@dataclass(frozen=True)
class Journey:
    """A door-to-door journey: its legs and the timetable behind it."""

    origin: Endpoint
    destination: Endpoint
    depart: float      # [minutes after midnight] leaving the origin
    arrive: float      # [minutes after midnight] reaching the destination
    legs: tuple[Leg, ...]
    source: str        # "timetable-model" or "gtfs"
    changes_active: tuple[str, ...] = field(default=())

    @property
    def minutes(self) -> float:
        return self.arrive - self.depart

    @property
    def changes(self) -> int:
        return max(sum(leg.mode not in ("walk", "bike", "car", "last_mile") for leg in self.legs) - 1, 0)

    @property
    def assumed(self) -> bool:
        return any(leg.assumed for leg in self.legs)


def _ride_mode(mask: int, line: str) -> str:
    if mask & MODE_RAIL:
        return "rail"
    if mask & MODE_URBAN:
        name = line.lower()
        return "tram" if "tram" in name else "metro" if "metro" in name else "bus"
    return "bus" if mask & MODE_BUS else "bus"


def _validity(valid_from: str, valid_to: str) -> str:
    return f"{valid_from}..{valid_to}" if (valid_from or valid_to) else ""


def _ride_leg(router: TransitRouter, ride: dict) -> Leg:
    info = router.route_info.iloc[ride["route"]] if len(router.route_info) else None
    mask = int(router.timetable.route_mask[ride["route"]])
    if info is None:
        source, assumed, validity = router.timetable.source, False, ""
    else:
        source = route_source(info)
        assumed, validity = bool(info["assumed"]), _validity(str(info["valid_from"]), str(info["valid_to"]))
    return Leg(_ride_mode(mask, ride["line"]), ride["line"], ride["from_name"], ride["to_name"], ride["depart"],
               ride["arrive"], source, assumed, validity)


def _walk_leg(mode: str, origin: str, destination: str, depart: float, arrive: float, router: TransitRouter) -> Leg:
    r = router.rules
    how = {"walk": f"estimate: straight line x {r.walk_detour} at {r.walk_kmh} km/h",
           "bike": f"estimate: straight line x {r.walk_detour} at {r.bike_kmh} km/h, parking included",
           "car": "estimate: the offline car estimate, parking included"}[mode]
    return Leg(mode, "", origin, destination, float(depart), float(arrive), how, False, "")


def _last_leg(router: TransitRouter, destination: Endpoint, stop: str, depart: float, arrive: float) -> Leg:
    """The walk from the last stop, or the assumed last mile when the destination is beyond
    walking range of every stop (mode "last_mile", assumed, naming its parameter)."""
    last_mile = router.last_mile(destination.lat, destination.lon)
    if last_mile is None or last_mile["stop"] != stop:
        return _walk_leg("walk", stop, destination.name, depart, arrive, router)
    how = (f"assumption: transit.access.office_last_mile_minutes = {last_mile['minutes']:.0f} min "
           f"(no sourced town bus; {last_mile['km']:.1f} km straight line, a {last_mile['walk_minutes']:.0f}-minute walk)")
    return Leg("last_mile", "", stop, destination.name, float(depart), float(arrive), how, True, "")


def _access(router: TransitRouter, place: Endpoint):
    """Candidate first stops of a place: (stop indices, minutes to their platform, access mode names)."""
    if place.kind == KIND_STATION:
        return np.array([router.timetable.stop_index()[place.key]]), np.array([0.0]), np.array(["walk"])
    idx, minutes, mode, _ = router.access([place.lat], [place.lon])
    ok = np.isfinite(minutes[0])
    return idx[0][ok], minutes[0][ok], ACCESS_NAMES[mode[0][ok]]


def _egress(router: TransitRouter, place: Endpoint) -> dict[int, int]:
    if place.kind == KIND_STATION:
        return {router.timetable.stop_index()[place.key]: 0}
    if place.kind == KIND_OFFICE and place.key in router.sites:
        return router.egress(place.key)
    return router.walk_links(place.lat, place.lon)


def _direct_walk(router: TransitRouter, a: Endpoint, b: Endpoint) -> float:
    """Minutes walking straight from a to b (inf when beyond walking range)."""
    r = router.rules
    route = float(geodesic_km_array(a.lat, a.lon, b.lat, b.lon)) * r.walk_detour
    if route > r.walk_max_km:
        return np.inf
    return float(np.ceil(max(route / r.walk_kmh * 60, r.intra_town_min)))


def transit_journey(router: TransitRouter, origin: Endpoint, destination: Endpoint,
                    depart: int | None = None, arrive_by: int | None = None) -> Journey:
    """The journey leaving `origin` at `depart` (earliest arrival), or reaching `destination`
    by `arrive_by` (latest departure) [minutes after midnight]; NoJourney if none fits."""
    if (depart is None) == (arrive_by is None):
        raise ValueError("give exactly one of depart and arrive_by")
    walk = _egress(router, destination)
    # An office's profile is built once per router; any other destination's is built here.
    profile = (router.profiles(destination.key)[0] if destination.kind == KIND_OFFICE and destination.key in router.sites
               else profiles_to(router.timetable, walk))
    stops, access_min, access_mode = _access(router, origin)
    if depart is not None:
        pair = profile.earliest_after(stops, depart + np.ceil(access_min))
        ok = pair >= 0
        arrive = np.where(ok, profile.arr[np.maximum(pair, 0)], np.inf)
        leave = np.where(ok, profile.dep[np.maximum(pair, 0)] - np.ceil(access_min), -np.inf)
        # The earliest arrival, then the latest departure from home among equal arrivals.
        best = int(np.lexsort((-leave, arrive))[0]) if len(stops) else -1
        found = len(stops) and np.isfinite(arrive[best])
    else:
        pair = profile.latest_by(stops, np.full(len(stops), arrive_by))
        ok = pair >= 0
        leave = np.where(ok, profile.dep[np.maximum(pair, 0)] - np.ceil(access_min), -np.inf)
        arrive = np.where(ok, profile.arr[np.maximum(pair, 0)], np.inf)
        best = int(np.lexsort((arrive, -leave))[0]) if len(stops) else -1
        found = len(stops) and np.isfinite(leave[best])
    walk_min = _direct_walk(router, origin, destination)
    if np.isfinite(walk_min) and (not found or walk_min <= arrive[best] - leave[best]):
        start = depart if depart is not None else arrive_by - walk_min
        leg = _walk_leg("walk", origin.name, destination.name, start, start + walk_min, router)
        return Journey(origin, destination, float(start), float(start + walk_min), (leg,), router.timetable.source,
                       tuple(sorted(router.changes_active)))
    if not found:
        when = (f"leaving at {hhmm(depart, wrap=False)}" if depart is not None
                else f"arriving by {hhmm(arrive_by, wrap=False)}")
        raise NoJourney(f"no public transport journey from {origin.name} to {destination.name} {when} "
                        f"on the timetable of {router.on.isoformat()}",
                        origin=origin.name, destination=destination.name, date=router.on,
                        when="depart" if depart is not None else "arrive_by",
                        time=hhmm(depart if depart is not None else arrive_by, wrap=False))
    p = int(pair[best])
    rides, last_stop, last_time = rebuild_rides(router.timetable, profile, p, walk)
    tt = router.timetable
    legs = []
    first_stop = tt.stop_names[stops[best]]
    if origin.kind != KIND_STATION:
        legs.append(_walk_leg(str(access_mode[best]), origin.name, first_stop, leave[best],
                              leave[best] + np.ceil(access_min[best]), router))
    legs += [_ride_leg(router, ride) for ride in rides]
    if walk.get(last_stop, 0) > 0:
        legs.append(_last_leg(router, destination, tt.stop_names[last_stop], last_time, last_time + walk[last_stop]))
    return Journey(origin, destination, float(leave[best]), float(profile.arr[p]), tuple(legs), tt.source,
                   tuple(sorted(router.changes_active)))


# --------------------------------------------------------------------------- places

class UnknownEndpoint(RoutingError):
    """A place that is no office, station or comune; `suggestions` lists near names.

    `code` says why: "unknown_place", "ambiguous_place", "office_coordinates" (only one of
    --office-lat/--office-lon), "office_not_named" (a moved office not named in --from/--to),
    "office_off_globe"; a face words it from ``journey_cli.error.<code>``.
    """

    def __init__(self, query: str, suggestions: list[str], message: str, code: str = "unknown_place") -> None:
        super().__init__(message)
        self.query = query
        self.suggestions = suggestions
        self.code = code


def named_office(query: str, sites) -> str | None:
    """The office id that a place's text names, or None when it names no office.

    An office is named by its id as kept, in lower case ("ivrea"), or by "office:" and its id
    in any case and spacing ("office:ivrea", "Office: Ivrea"); "Ivrea" alone is the station.
    Text that starts with "office:" but names none of `sites` is UnknownEndpoint
    ("unknown_office", the offices as suggestions): it is never taken for a town.
    """
    text = query.strip()
    if text.lower().startswith(OFFICE_PREFIX):
        office = text[len(OFFICE_PREFIX):].strip().lower()
        if office not in sites:
            raise UnknownEndpoint(query, list(sites), f"'{query}' names no office ({', '.join(sites)})",
                                  "unknown_office")
        return office
    return text if text in sites else None


def resolve_endpoint(query: str, router: TransitRouter, gazetteer) -> Endpoint:
    """An office id, a station by name ("Torino Porta Nuova", "Chivasso") or a comune (name or
    CAP), tried in that order. Office ids are written as they are kept, in lower case
    ("ivrea", "asti", "torino"), or as "office:ivrea"; "Ivrea" is the station, and a town
    that has a station of the same name is the station, as a published journey runs from
    it; "Torino" (no station of that name) is the comune. UnknownEndpoint otherwise."""
    from impact.errors import AmbiguousPlace, PlaceError
    from impact.places import normalise

    text = query.strip()
    key = normalise(text)
    office = named_office(text, router.sites)
    if office is not None:
        site = router.sites[office]
        return Endpoint(KIND_OFFICE, site.id, f"{site.name} ({site.address})", site.lat, site.lon)
    stations = router.network.stations
    names = {normalise(n): i for i, n in enumerate(stations["name"])}
    names.update({normalise(s): i for i, s in enumerate(stations["station_id"])})
    if key in names:
        row = stations.iloc[names[key]]
        return Endpoint(KIND_STATION, row["station_id"], row["name"], float(row["lat"]), float(row["lon"]))
    try:
        place = gazetteer.resolve(text)
    except AmbiguousPlace as exc:
        raise UnknownEndpoint(query, [p.label for p in exc.candidates], str(exc), "ambiguous_place") from None
    except PlaceError as exc:
        from rapidfuzz import fuzz, process
        near = [stations["name"].iloc[names[m[0]]] for m in
                process.extract(key, list(names), scorer=fuzz.WRatio, limit=3, score_cutoff=75)]
        offices = [s for s in router.sites if fuzz.ratio(key, s) >= 60]
        suggestions = list(dict.fromkeys(offices + near + [p.label for p in exc.candidates]))
        raise UnknownEndpoint(query, suggestions,
                              f"'{query}' is no office ({', '.join(router.sites)}), station or comune") from None
    return Endpoint(KIND_COMUNE, place.istat, place.label, place.lat, place.lon)
