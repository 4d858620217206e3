"""The rules of the public-transport model, read from ``data/parameters/transit/`` for a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from impact.params import Parameters

WALK, BIKE, CAR = 1, 2, 3
ACCESS_NAMES = np.array(["", "walk", "bike", "car"], dtype=object)


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
    candidates: int               # stations weighed per home
    feed_stop_change_min: int     # [minutes] to change vehicle at a stop only a feed knows
    feed_snap_km: float           # [km] a feed stop this close to a model station becomes it
    reasonable_window: int        # [minutes] runs a worker could reasonably take around the shift
    office_last_mile_min: float   # [minutes] station to an office beyond walking range (assumed)

    @classmethod
    def from_parameters(cls, params: Parameters, on: dt.date) -> "AccessRules":
        a = lambda name: params.value(f"transit.access.{name}", on)  # noqa: E731
        s = lambda name: params.value(f"transit.service.{name}", on)  # noqa: E731
        t = lambda name: params.value(f"transit.router.{name}", on)  # noqa: E731
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
            candidates=int(t("candidate_stations")),
            feed_stop_change_min=int(t("feed_stop_change_minutes")),
            feed_snap_km=float(t("feed_stop_snap_km")),
        )

