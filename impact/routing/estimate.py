"""Offline car estimate: road length and driving time from the straight-line distance.

Road length is the geodesic distance times a detour factor plus a fixed access
length, fitted on sourced routes by ``scripts/calibrate_car_estimate.py`` (which
also measures the error, by leave-one-out, into ``data/routing/car_estimate.yaml``).
Driving time is a fixed time at the ends plus the road length at a speed that
grows with the trip's length, from local roads on short trips towards main-road
and motorway speed on long ones:

    speed(r) = v_long - (v_long - v_short) * exp(-r / r_half)      [km/h]

The speed coefficients are dated parameters (``routing.car_speed``), labelled
assumptions until enough sourced driving times exist to fit them.
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


@dataclass(frozen=True)
class CarEstimateModel:
    """Coefficients of the estimate and the error measured on sourced routes."""

    detour: float            # road km per straight-line km
    access_km: float         # [km] added for the streets at both ends
    km_ratio_range: tuple[float, float]   # 10th and 90th percentile of sourced/estimated km
    end_minutes: float       # [minutes] parking, junctions and town streets at both ends
    v_short_kmh: float       # [km/h] speed a very short trip tends to
    v_long_kmh: float        # [km/h] speed a long trip tends to
    r_half_km: float         # [km] road length over which speed moves from short to long
    minutes_ratio_range: tuple[float, float]
    measured_error: dict     # leave-one-out |error| of km, for the method page
    min_trip_minutes: float = 0.0   # [minutes] shortest trip, even within the office's comune

    def road_km(self, straight_km) -> np.ndarray:
        """Estimated road length [km] for straight-line distances [km].

        Every trip has at least the streets at both ends (``access_km``): a home on
        the office's own point still drives out of and into a car park.
        """
        straight_km = np.asarray(straight_km, dtype=float)
        return self.detour * np.maximum(straight_km, 0.0) + self.access_km

    def minutes(self, road_km) -> np.ndarray:
        """Estimated driving time [minutes] for road lengths [km], never under ``min_trip_minutes``."""
        road_km = np.asarray(road_km, dtype=float)
        speed = self.v_long_kmh - (self.v_long_kmh - self.v_short_kmh) * np.exp(-road_km / self.r_half_km)
        return np.maximum(self.end_minutes + 60 * road_km / speed, self.min_trip_minutes)


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


def estimate(model: CarEstimateModel, lat1, lon1, lat2, lon2) -> EstimatedTrips:
    """Car trips between points [degrees], estimated offline; vectorized over arrays."""
    straight = geodesic_km_array(lat1, lon1, lat2, lon2)
    road = model.road_km(straight)
    minutes = model.minutes(road)
    return EstimatedTrips(
        km=road, minutes=minutes,
        km_low=road * model.km_ratio_range[0], km_high=road * model.km_ratio_range[1],
        minutes_low=minutes * model.minutes_ratio_range[0], minutes_high=minutes * model.minutes_ratio_range[1],
        straight_km=straight,
    )


@lru_cache(maxsize=4)
def read_calibration(path: Path = CALIBRATION_FILE) -> dict:
    """The fitted distance coefficients and their measured error (read once per process)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"the car estimate's calibration is missing: {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not readable YAML ({type(exc).__name__}); "
                        f"rebuild it with scripts/calibrate_car_estimate.py") from None


def load_model(params: Parameters, on: dt.date, path: Path = CALIBRATION_FILE) -> CarEstimateModel:
    """The estimate in force on `on`: fitted distances, dated speed parameters."""
    calibration = read_calibration(path)
    speed = lambda name: float(params.value(f"routing.car_speed.{name}", on))  # noqa: E731
    try:
        return CarEstimateModel(
            detour=float(calibration["coefficients"]["detour"]),
            access_km=float(calibration["coefficients"]["access_km"]),
            km_ratio_range=(float(calibration["range"]["km_ratio_p10"]), float(calibration["range"]["km_ratio_p90"])),
            end_minutes=speed("end_minutes"), v_short_kmh=speed("short_trip_kmh"),
            v_long_kmh=speed("long_trip_kmh"), r_half_km=speed("speed_half_km"),
            minutes_ratio_range=(speed("minutes_low_ratio"), speed("minutes_high_ratio")),
            measured_error=dict(calibration["measured_error"]),
            min_trip_minutes=speed("min_trip_minutes"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: malformed calibration ({exc})") from None
