"""Car trips for one or many workers: openrouteservice when configured, else the estimate.

A failure of openrouteservice (no answer, timeout, quota, bad key) never stops
a result: the offline estimate answers instead and `note` says why, so the page
and the CLI can show it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from impact.routing import SOURCE_ESTIMATE, SOURCE_ORS
from impact.routing.estimate import CarEstimateModel, EstimatedTrips, estimate
from impact.routing.ors import OrsRouter, RoutingUnavailable, configured


@dataclass(frozen=True)
class CarTrips(EstimatedTrips):
    """One value per trip: the fields of `EstimatedTrips` (ranges equal the figure when routed), and

    motorway_km        the estimate's km on the A5/A21/tangenziale; NaN on a routed trip
    source             "openrouteservice" or "estimate", per trip
    note               why the estimate was used although a router was set ("" otherwise)
    """

    source: np.ndarray
    note: str = ""


def default_router() -> OrsRouter | None:
    """A router from the environment, or None when no key or server is set."""
    if not configured():
        return None
    try:
        return OrsRouter()
    except RoutingUnavailable:
        return None


def _estimated(model: CarEstimateModel, origins: np.ndarray, destinations: np.ndarray, note: str) -> CarTrips:
    """The estimate for each trip, worked once per distinct (origin, destination) pair: a workforce
    lives in a few hundred comuni and goes to a few offices, and the motorway model weighs every
    pair of exits for each pair it is given."""
    pairs, back = np.unique(np.hstack([origins, destinations]), axis=0, return_inverse=True)
    back = back.ravel()
    e = estimate(model, pairs[:, 0], pairs[:, 1], pairs[:, 2], pairs[:, 3])
    return CarTrips(e.km[back], e.minutes[back], e.km_low[back], e.km_high[back], e.minutes_low[back],
                    e.minutes_high[back], e.straight_km[back], e.motorway_km[back],
                    np.full(len(back), SOURCE_ESTIMATE, dtype=object), note)


def car_trips(origins, destinations, model: CarEstimateModel, router: OrsRouter | None = None) -> CarTrips:
    """Trips from each origin to its own destination; both (n, 2) arrays of (lat, lon) [degrees].

    With a router, the distinct origins and destinations are routed as one
    matrix (a roster of 1,100 workers from a few hundred comuni to three offices
    costs one or two requests); pairs the router cannot route keep the estimate.
    """
    origins = np.atleast_2d(np.asarray(origins, dtype=float))
    destinations = np.atleast_2d(np.asarray(destinations, dtype=float))
    if router is None:
        return _estimated(model, origins, destinations, "")
    unique_origins, origin_index = np.unique(origins, axis=0, return_inverse=True)
    unique_destinations, destination_index = np.unique(destinations, axis=0, return_inverse=True)
    try:
        km_matrix, minutes_matrix = router.matrix(unique_origins, unique_destinations)
    except RoutingUnavailable as exc:
        return _estimated(model, origins, destinations, str(exc))
    km = km_matrix[origin_index.ravel(), destination_index.ravel()]
    minutes = minutes_matrix[origin_index.ravel(), destination_index.ravel()]
    fallback = _estimated(model, origins, destinations, "")
    routed = np.isfinite(km) & np.isfinite(minutes)
    return CarTrips(
        km=np.where(routed, km, fallback.km), minutes=np.where(routed, minutes, fallback.minutes),
        km_low=np.where(routed, km, fallback.km_low), km_high=np.where(routed, km, fallback.km_high),
        minutes_low=np.where(routed, minutes, fallback.minutes_low),
        minutes_high=np.where(routed, minutes, fallback.minutes_high), straight_km=fallback.straight_km,
        motorway_km=np.where(routed, np.nan, fallback.motorway_km),
        source=np.where(routed, SOURCE_ORS, SOURCE_ESTIMATE).astype(object),
        note="" if routed.all() else "openrouteservice found no road for some trips: estimated",
    )

