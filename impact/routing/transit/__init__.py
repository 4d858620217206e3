"""Public transport between a worker's home and an office, shift by shift.

The embedded model (``data/transit/``) describes the trains and buses that serve the
catchments of Ivrea and Asti and the GTT last mile to Strada del Drosso: stations
with coordinates, lines as ordered stops with km and running minutes, and services
by time of day (first and last run, peak and off-peak interval, or explicit runs).
Official GTFS feeds, when downloaded, replace the lines they cover.

One module per job:

    rules       the access and timing rules, read from ``data/parameters/transit/`` for a date
    network     the model's CSV files, the dated changes and which services run on a date
    timetable   line geometry, the model's stop times, the feeds merged in: the day's timetable
    router      `TransitRouter`: door-to-door journeys for many workers (result columns there)
    legs        the legs of one worker's journeys, rebuilt from the router's profiles

The INPS 80-minute figure, which the rights rest on, is ``impact.routing.inps``; times
of day are read and written by ``impact.clock``.
"""

from __future__ import annotations

from impact.clock import hhmm_to_minutes, minutes_to_hhmm
from impact.routing.gtfs import available_feeds
from impact.routing.inps import INPS_COLUMNS
from impact.routing.transit.legs import journey_legs, rebuild_rides
from impact.routing.transit.network import (CHANGE_COLUMNS, TRANSIT_DIR, Network, changes_in_force, load_network,
                                            service_runs_on)
from impact.routing.transit.router import (JOURNEY_COLUMNS, TORINO_HUB, TransitRouter, default_router,
                                           worker_shift_arrays)
from impact.routing.transit.rules import ACCESS_NAMES, BIKE, CAR, WALK, AccessRules
from impact.routing.transit.timetable import (day_timetable, line_geometry, model_stop_times, rail_distance_matrix,
                                              route_source, service_departures)

__all__ = [
    "ACCESS_NAMES", "BIKE", "CAR", "CHANGE_COLUMNS", "INPS_COLUMNS", "JOURNEY_COLUMNS", "TORINO_HUB", "TRANSIT_DIR",
    "WALK", "AccessRules", "Network", "TransitRouter", "available_feeds", "changes_in_force", "day_timetable",
    "default_router", "hhmm_to_minutes", "journey_legs", "line_geometry", "load_network", "minutes_to_hhmm",
    "model_stop_times", "rail_distance_matrix", "rebuild_rides", "route_source", "service_departures", "service_runs_on",
    "worker_shift_arrays",
]
