"""Offline car estimate: road length and driving time from the straight-line distance.

Road length is the geodesic distance times a detour factor plus a fixed access
length, fitted on sourced routes by ``scripts/calibrate_car_estimate.py`` (which
also measures the error, by leave-one-out, into ``data/routing/car_estimate.yaml``).
Driving time is a fixed time at the ends plus the road length at a speed that
grows with the trip's length, from local roads on short trips towards main-road
and motorway speed on long ones:

    speed(r) = v_long - (v_long - v_short) * exp(-r / r_half)      [km/h]

A trip that can use the A5, the A21 or the Torino tangenziale
(``data/routing/motorways.yaml``) drives to the exit nearest in time, runs the
motorway at its corridor's speed and drives the local roads at the end: its minutes
are the streets to and from the exits at ``speed(r)`` plus the motorway stretches,
whichever of that and the direct road is quicker. Road km stay the fitted ones.

The speed coefficients are dated parameters (``routing.car_speed``): the long-trip speed and
the A5/A21 speed are fitted on sourced driving times by the calibration script, the others are
labelled assumptions. The km and minutes ranges are the 10th-90th percentiles of the
leave-one-out error (``car_estimate.yaml``), and so is the stretch detour of motorway stretches
without a sourced length (fitted on sourced exit-to-exit lengths).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from impact.errors import DataError
from impact.geo import geodesic_km_array
from impact.params import DATA_DIR, Parameters

CALIBRATION_FILE = DATA_DIR / "routing" / "car_estimate.yaml"
MOTORWAYS_FILE = DATA_DIR / "routing" / "motorways.yaml"


@dataclass(frozen=True)
class MotorwayNetwork:
    """Motorway exits and the quickest way between every pair of them.

    lat, lon     exits [degrees]
    minutes      quickest motorway time between exits i and j [minutes]
    km           length of that quickest way [km]
    """

    lat: np.ndarray
    lon: np.ndarray
    minutes: np.ndarray
    km: np.ndarray


def motorway_network(spec: dict, corridor_kmh: dict[str, float]) -> MotorwayNetwork:
    """All-pairs quickest motorway ways (Floyd-Warshall, a few dozen exits) from the stretches."""
    names = list(spec["exits"])
    index = {name: i for i, name in enumerate(names)}
    lat = np.array([spec["exits"][n]["lat"] for n in names], dtype=float)
    lon = np.array([spec["exits"][n]["lon"] for n in names], dtype=float)
    n = len(names)
    minutes, km = np.full((n, n), np.inf), np.full((n, n), np.inf)
    np.fill_diagonal(minutes, 0.0)
    np.fill_diagonal(km, 0.0)
    for a, b, corridor, length in spec["stretches"]:
        i, j = index[a], index[b]
        if length is None:
            length = float(spec["stretch_detour"]) * float(geodesic_km_array(lat[i], lon[i], lat[j], lon[j]))
        minutes[i, j] = minutes[j, i] = 60 * float(length) / corridor_kmh[corridor]
        km[i, j] = km[j, i] = float(length)
    for k in range(n):
        via = minutes[:, [k]] + minutes[[k], :]
        better = via < minutes
        minutes = np.where(better, via, minutes)
        km = np.where(better, km[:, [k]] + km[[k], :], km)
    return MotorwayNetwork(lat=lat, lon=lon, minutes=minutes, km=km)


@dataclass(frozen=True)
class CarEstimateModel:
    """Coefficients of the estimate and the error measured on sourced routes."""

    detour: float            # road km per straight-line km
    access_km: float         # [km] added for the streets at both ends
    km_ratio_range: tuple[float, float]   # 10th and 90th percentile of sourced/estimated km (leave-one-out)
    end_minutes: float       # [minutes] parking, junctions and town streets at both ends
    v_short_kmh: float       # [km/h] speed a very short trip tends to
    v_long_kmh: float        # [km/h] speed a long trip tends to
    r_half_km: float         # [km] road length over which speed moves from short to long
    minutes_ratio_range: tuple[float, float]   # the same for sourced/estimated minutes
    measured_error: dict     # leave-one-out error of km and minutes, for the method page
    min_trip_minutes: float = 0.0   # [minutes] shortest trip, even within the office's comune
    motorways: MotorwayNetwork | None = None   # the A5, A21 and tangenziale, when known

    def road_km(self, straight_km) -> np.ndarray:
        """Estimated road length [km] for straight-line distances [km].

        Every trip has at least the streets at both ends (``access_km``): a home on
        the office's own point still drives out of and into a car park.
        """
        straight_km = np.asarray(straight_km, dtype=float)
        return self.detour * np.maximum(straight_km, 0.0) + self.access_km

    def local_minutes(self, road_km) -> np.ndarray:
        """Driving time [minutes] on ordinary roads for lengths [km], without the fixed end time."""
        road_km = np.asarray(road_km, dtype=float)
        speed = self.v_long_kmh - (self.v_long_kmh - self.v_short_kmh) * np.exp(-road_km / self.r_half_km)
        return 60 * road_km / speed

    def minutes(self, road_km, motorway_minutes=0.0) -> np.ndarray:
        """Estimated driving time [minutes] for road lengths [km] off the motorway plus the
        motorway's own minutes, never under ``min_trip_minutes``."""
        return np.maximum(self.end_minutes + self.local_minutes(road_km) + motorway_minutes,
                          self.min_trip_minutes)

    def via_motorway(self, lat1, lon1, lat2, lon2, direct_road_km) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each trip: local road km, motorway minutes and motorway km of the quicker of the
        direct road and the best exit pair (all zero motorway when the direct road is quicker)."""
        direct_road_km = np.asarray(direct_road_km, dtype=float)
        if self.motorways is None:
            zero = np.zeros_like(direct_road_km)
            return direct_road_km, zero, zero
        net = self.motorways
        lat1, lon1, lat2, lon2 = (np.atleast_1d(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
        to_exit = self.detour * geodesic_km_array(lat1[:, None], lon1[:, None], net.lat[None, :], net.lon[None, :])
        from_exit = self.detour * geodesic_km_array(lat2[:, None], lon2[:, None], net.lat[None, :], net.lon[None, :])
        local = to_exit[:, :, None] + from_exit[:, None, :] + self.access_km          # [trip, entry, exit] km
        total = self.local_minutes(local) + net.minutes[None, :, :]
        flat = total.reshape(len(lat1), -1).argmin(axis=1)
        entry, leave = np.unravel_index(flat, net.minutes.shape)
        rows = np.arange(len(lat1))
        best_local, best_minutes = local[rows, entry, leave], net.minutes[entry, leave]
        direct = np.broadcast_to(direct_road_km, best_local.shape)
        # The exits sit at comune points, so the streets to them are short: the local km are at
        # least the fitted road km less the motorway's (the road km are the measured figure).
        motorway_km = net.km[entry, leave]
        local_km = np.maximum(best_local, direct - motorway_km)
        use = self.local_minutes(local_km) + best_minutes < self.local_minutes(direct)
        shape = np.shape(direct_road_km)
        pick = lambda a, b: np.where(use, a, b).reshape(shape)  # noqa: E731
        return pick(local_km, direct), pick(best_minutes, 0.0), pick(motorway_km, 0.0)


@dataclass(frozen=True)
class EstimatedTrips:
    """Arrays, one value per trip: best estimate and its range.

    km, minutes        best figure [km], [minutes], one way
    km_low, km_high    10–90 % range [km]
    minutes_low/high   10–90 % range [minutes]
    straight_km        the straight line between the two points [km]
    """

    km: np.ndarray
    minutes: np.ndarray
    km_low: np.ndarray
    km_high: np.ndarray
    minutes_low: np.ndarray
    minutes_high: np.ndarray
    straight_km: np.ndarray
    motorway_km: np.ndarray


def estimate(model: CarEstimateModel, lat1, lon1, lat2, lon2) -> EstimatedTrips:
    """Car trips between points [degrees], estimated offline; vectorized over arrays."""
    straight = geodesic_km_array(lat1, lon1, lat2, lon2)
    road = model.road_km(straight)
    local_km, motorway_minutes, motorway_km = model.via_motorway(lat1, lon1, lat2, lon2, road)
    minutes = model.minutes(local_km, motorway_minutes)
    return EstimatedTrips(
        km=road, minutes=minutes,
        km_low=road * model.km_ratio_range[0], km_high=road * model.km_ratio_range[1],
        minutes_low=minutes * model.minutes_ratio_range[0], minutes_high=minutes * model.minutes_ratio_range[1],
        straight_km=straight, motorway_km=motorway_km,
    )


@lru_cache(maxsize=4)
def read_calibration(path: Path = CALIBRATION_FILE) -> dict:
    """A YAML file of the estimate: the fitted coefficients and their error, or the motorways (read once per process)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"the car estimate's calibration is missing: {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not readable YAML ({type(exc).__name__}); "
                        f"rebuild it with scripts/calibrate_car_estimate.py") from None


def load_model(params: Parameters, on: dt.date, path: Path = CALIBRATION_FILE,
               motorways_path: Path | None = MOTORWAYS_FILE) -> CarEstimateModel:
    """The estimate in force on `on`: fitted distances, stretch detour and ranges (``path``), dated
    speed parameters, the motorways (none when `motorways_path` is None)."""
    calibration = read_calibration(path)
    speed = lambda name: float(params.value(f"routing.car_speed.{name}", on))  # noqa: E731
    try:
        coefficients, ranges = calibration["coefficients"], calibration["range"]
        motorways = None if motorways_path is None else motorway_network(
            {**read_calibration(motorways_path), "stretch_detour": float(coefficients["stretch_detour"])},
            {corridor: speed(f"{corridor}_kmh") for corridor in ("a5", "a21", "tangenziale")})
        return CarEstimateModel(
            detour=float(coefficients["detour"]), access_km=float(coefficients["access_km"]),
            km_ratio_range=(float(ranges["km_ratio_p10"]), float(ranges["km_ratio_p90"])),
            end_minutes=speed("end_minutes"), v_short_kmh=speed("short_trip_kmh"),
            v_long_kmh=speed("long_trip_kmh"), r_half_km=speed("speed_half_km"),
            minutes_ratio_range=(float(ranges["minutes_ratio_p10"]), float(ranges["minutes_ratio_p90"])),
            measured_error=dict(calibration["measured_error"]),
            min_trip_minutes=speed("min_trip_minutes"), motorways=motorways,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: malformed calibration ({exc}); rebuild it with scripts/calibrate_car_estimate.py") from None
