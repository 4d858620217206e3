"""Calibrate the offline car estimate on sourced routes and measure its error by leave-one-out.

Reads ``data/routing/calibration_routes.csv``: road km and driving minutes between comuni, each
with its source. Rows of kind ``town`` are trips between comune points (the trips the estimate
makes); rows of kind ``motorway`` are motorway lengths between exits, each exit standing at the
point of the comune it is named after (as in ``data/routing/motorways.yaml``).

Fits, each time on the rows it concerns:

- the road length of a trip, ``detour x straight km + access_km`` (least squares on town rows);
- the motorway length per straight km between exits, ``stretch_detour`` (the median ratio over
  motorway rows), used for every stretch of ``motorways.yaml`` without a sourced length;
- two speeds, each of least total |log(estimated / sourced)| (robust to rounded figures):
  ``long_trip_kmh``, the ordinary-road speed a long trip tends to, on the sourced times whose
  route (``via``) is on none of the modelled motorways; and one motorway speed for the A5 and the
  A21, on the times whose route runs on them, never above the 130 km/h limit of the Codice della
  strada (art. 142). Short-trip speed, end minutes, the speed curve's length and the
  tangenziale's speed stay the labelled assumptions of ``data/parameters/routing/car_speed.yaml``.

The error is measured by leave-one-out: every route is predicted by a fit made without it (all
the fits above redone), so the stated error is what a new trip can expect. The 10th-90th
percentiles of sourced/predicted give the km and minutes ranges shown on the page. Writes
``data/routing/car_estimate.yaml``; the fitted speeds are entered in ``car_speed.yaml`` by hand
(a dated parameter) and ``tests/test_estimate.py`` checks they are the ones printed here.

    python scripts/calibrate_car_estimate.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from impact.geo import geodesic_km_array  # noqa: E402
from impact.params import DATA_DIR, default_parameters  # noqa: E402
from impact.places import default_gazetteer  # noqa: E402
from impact.routing.estimate import (CALIBRATION_FILE, MOTORWAYS_FILE, CarEstimateModel,  # noqa: E402
                                     estimate, load_model, motorway_network, read_calibration)

ROUTES = DATA_DIR / "routing" / "calibration_routes.csv"
MODELLED_MOTORWAYS = {"A5", "A21", "A55"}   # as named in the CSV's via; A55 is the Torino tangenziale
LEGAL_MOTORWAY_KMH = 130          # Codice della strada art. 142: the limit on autostrade
LONG_TRIP_KMH = (40.0, 100.0)                 # [km/h] range searched for long_trip_kmh
MOTORWAY_KMH = (60.0, float(LEGAL_MOTORWAY_KMH))   # [km/h] range searched for the A5/A21 speed
_ON = dt.date(2026, 6, 1)         # the parameters in force for the assumptions the fit keeps


@dataclasses.dataclass(frozen=True)
class Routes:
    """The sourced routes as arrays, one value per row of the CSV.

    straight     straight line between the two comune points [km]
    road_km      sourced road length [km] (NaN where only a time is published)
    minutes      sourced driving time [minutes] (NaN where not published)
    motorway     True for a motorway length between exits, False for a trip between comuni
    on_modelled  True where the route named in ``via`` runs on the A5, the A21 or the tangenziale
    points       [lat1, lon1, lat2, lon2] per row [degrees]
    """

    straight: np.ndarray
    road_km: np.ndarray
    minutes: np.ndarray
    motorway: np.ndarray
    on_modelled: np.ndarray
    points: np.ndarray


def read_routes(path: Path = ROUTES) -> Routes:
    """The sourced routes of ``calibration_routes.csv``, every comune looked up by its ISTAT code."""
    places = default_gazetteer()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ends = [(places.by_istat(r["origin_istat"]), places.by_istat(r["destination_istat"])) for r in rows]
    points = np.array([(a.lat, a.lon, b.lat, b.lon) for a, b in ends], dtype=float)
    number = lambda text: float(text) if text.strip() else np.nan  # noqa: E731
    return Routes(
        straight=geodesic_km_array(points[:, 0], points[:, 1], points[:, 2], points[:, 3]),
        road_km=np.array([number(r["road_km"]) for r in rows]),
        minutes=np.array([number(r["minutes"]) for r in rows]),
        motorway=np.array([r["kind"] == "motorway" for r in rows]),
        on_modelled=np.array([bool(MODELLED_MOTORWAYS & set(re.split(r"[^A-Za-z0-9]+", r["via"]))) for r in rows]),
        points=points)


def fit_km(straight: np.ndarray, road: np.ndarray) -> tuple[float, float]:
    """Least-squares detour factor and access km (access kept at 0 or above)."""
    design = np.column_stack([straight, np.ones_like(straight)])
    (detour, access), *_ = np.linalg.lstsq(design, road, rcond=None)
    if access < 0:
        detour, access = float(road @ straight / (straight @ straight)), 0.0
    return float(detour), float(access)


def fit_stretch_detour(straight: np.ndarray, road: np.ndarray) -> float:
    """Motorway km per straight km between exits: the median ratio, so that the long, bent tolled
    trips (Santhia'-Aosta by Ivrea, Asti-Cuneo by the A6) do not set it for the short stretches
    between consecutive exits that it is used for."""
    return float(np.median(road / straight))


@dataclasses.dataclass(frozen=True, eq=False)
class Setting:
    """What every fit starts from: the estimate with its parameters, the motorways' exits and
    stretches, and the tangenziale's speed (a labelled assumption, not fitted) [km/h]."""

    base: CarEstimateModel
    spec: dict
    tangenziale_kmh: float


# The motorway network depends only on these three, and the speed search asks for the same ones
# many times (Setting hashes by identity: eq=False).
@functools.lru_cache(maxsize=256)
def _network(setting: Setting, stretch_detour: float, motorway_kmh: float):
    return motorway_network({**setting.spec, "stretch_detour": stretch_detour},
                            {"a5": motorway_kmh, "a21": motorway_kmh, "tangenziale": setting.tangenziale_kmh})


def with_coefficients(setting: Setting, detour: float, access_km: float, stretch_detour: float,
                      long_trip_kmh: float, motorway_kmh: float) -> CarEstimateModel:
    """The estimate with the given road and speed coefficients."""
    network = _network(setting, stretch_detour, motorway_kmh)
    return dataclasses.replace(setting.base, detour=detour, access_km=access_km, v_long_kmh=long_trip_kmh,
                               motorways=network)


def predicted_minutes(model: CarEstimateModel, routes: Routes, rows: np.ndarray) -> np.ndarray:
    """The estimate's minutes for the given rows [minutes]."""
    p = routes.points[rows]
    return np.atleast_1d(estimate(model, p[:, 0], p[:, 1], p[:, 2], p[:, 3]).minutes)


def fit_speeds(setting: Setting, routes: Routes, rows: np.ndarray, detour: float,
               access_km: float, stretch_detour: float) -> tuple[float, float]:
    """``long_trip_kmh`` on the rows off the modelled motorways and the A5/A21 speed on the rows on
    them, each the grid value of least total |log(estimated / sourced)|; a few rounds, since each
    speed moves the other's trips a little (streets to the exits; a trip the model sends on a
    motorway)."""
    timed = rows & np.isfinite(routes.minutes)
    off, on = timed & ~routes.on_modelled, timed & routes.on_modelled
    long_trip, motorway = setting.base.v_long_kmh, float(LEGAL_MOTORWAY_KMH)

    def loss(rows_: np.ndarray, long_: float, motorway_: float) -> float:
        model = with_coefficients(setting, detour, access_km, stretch_detour, long_, motorway_)
        return float(np.abs(np.log(predicted_minutes(model, routes, rows_) / routes.minutes[rows_])).sum())

    for _ in range(3):
        long_trip = grid_minimum(lambda v: loss(off, v, motorway), *LONG_TRIP_KMH)
        if on.any():
            motorway = grid_minimum(lambda v: loss(on, long_trip, v), *MOTORWAY_KMH)
    return long_trip, motorway


def grid_minimum(loss: Callable[[float], float], low: float, high: float) -> float:
    """The speed in [low, high] of least loss [km/h]: a pass every 4 km/h, then every 0.5 km/h
    within 4 km/h of its best."""
    coarse = min(np.arange(low, high + 1e-9, 4.0), key=loss)
    fine = np.arange(max(low, coarse - 4.0), min(high, coarse + 4.0) + 1e-9, 0.5)
    return float(min(fine, key=loss))


def fit_all(setting: Setting, routes: Routes, rows: np.ndarray) -> dict:
    """Every coefficient, fitted on the given rows only."""
    town = rows & ~routes.motorway & np.isfinite(routes.road_km)
    stretch = rows & routes.motorway
    detour, access = fit_km(routes.straight[town], routes.road_km[town])
    stretch_detour = fit_stretch_detour(routes.straight[stretch], routes.road_km[stretch])
    long_trip, motorway = fit_speeds(setting, routes, rows, detour, access, stretch_detour)
    return {"detour": detour, "access_km": access, "stretch_detour": stretch_detour,
            "long_trip_kmh": long_trip, "motorway_kmh": motorway}


def leave_one_out(setting: Setting, routes: Routes) -> tuple[np.ndarray, np.ndarray]:
    """Each row's road km and minutes predicted by fits made without it (NaN where not sourced).
    A motorway row's km is its straight line times the stretch detour fitted without it."""
    n = len(routes.straight)
    km, minutes = np.full(n, np.nan), np.full(n, np.nan)
    town = ~routes.motorway & np.isfinite(routes.road_km)
    for i in range(n):
        keep = np.arange(n) != i
        if routes.motorway[i]:
            stretch = keep & routes.motorway
            km[i] = fit_stretch_detour(routes.straight[stretch], routes.road_km[stretch]) * routes.straight[i]
            continue
        if town[i]:
            detour, access = fit_km(routes.straight[keep & town], routes.road_km[keep & town])
            km[i] = detour * routes.straight[i] + access
        if np.isfinite(routes.minutes[i]):
            c = fit_all(setting, routes, keep)
            model = with_coefficients(setting, c["detour"], c["access_km"], c["stretch_detour"],
                                      c["long_trip_kmh"], c["motorway_kmh"])
            minutes[i] = predicted_minutes(model, routes, np.arange(n) == i)[0]
    return km, minutes


def summary(true: np.ndarray, predicted: np.ndarray) -> dict:
    """Median and 90th percentile of |error| (absolute and relative) and the median signed
    relative error (bias: above 0, the estimate is too high)."""
    ok = np.isfinite(true) & np.isfinite(predicted)
    error = predicted[ok] - true[ok]
    relative = error / true[ok]
    return {"routes": int(ok.sum()),
            "median_abs": round(float(np.median(np.abs(error))), 1),
            "p90_abs": round(float(np.percentile(np.abs(error), 90)), 1),
            "median_rel": round(float(np.median(np.abs(relative))), 3),
            "p90_rel": round(float(np.percentile(np.abs(relative), 90)), 3),
            "bias_rel": round(float(np.median(relative)), 3)}


def ratio_range(true: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """10th and 90th percentile of sourced/predicted: the range the page shows around an estimate."""
    ok = np.isfinite(true) & np.isfinite(predicted)
    ratio = true[ok] / predicted[ok]
    return round(float(np.percentile(ratio, 10)), 3), round(float(np.percentile(ratio, 90)), 3)


def calibration(routes: Routes) -> dict:
    """The content of ``car_estimate.yaml``: coefficients, ranges and measured error."""
    params = default_parameters()
    setting = Setting(load_model(params, _ON), read_calibration(MOTORWAYS_FILE),
                      float(params.value("routing.car_speed.tangenziale_kmh", _ON)))
    fitted = fit_all(setting, routes, np.ones(len(routes.straight), dtype=bool))
    km, minutes = leave_one_out(setting, routes)
    town = ~routes.motorway
    km_low, km_high = ratio_range(routes.road_km[town], km[town])
    minutes_low, minutes_high = ratio_range(routes.minutes, minutes)
    on = routes.on_modelled
    return {
        "description": "Road length and speeds of the offline car estimate, fitted on data/routing/calibration_routes.csv "
                       "by scripts/calibrate_car_estimate.py; error measured by leave-one-out.",
        "calibrated_on": dt.date.today().isoformat(),
        "coefficients": {"detour": round(fitted["detour"], 4), "access_km": round(fitted["access_km"], 3),
                         "stretch_detour": round(fitted["stretch_detour"], 4)},
        "speed_fit": {"long_trip_kmh": fitted["long_trip_kmh"], "a5_a21_kmh": fitted["motorway_kmh"],
                      "note": "enter these in data/parameters/routing/car_speed.yaml (long_trip_kmh, a5_kmh, a21_kmh)"},
        "range": {"km_ratio_p10": km_low, "km_ratio_p90": km_high,
                  "minutes_ratio_p10": minutes_low, "minutes_ratio_p90": minutes_high},
        "measured_error": {
            "km": summary(routes.road_km[town], km[town]),
            "motorway_km": summary(routes.road_km[routes.motorway], km[routes.motorway]),
            "minutes": summary(routes.minutes, minutes),
            "minutes_on_modelled_motorways": summary(routes.minutes[on], minutes[on]),
            "straight_km_range": [round(float(routes.straight[town].min()), 1),
                                  round(float(routes.straight[town].max()), 1)]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    text = yaml.safe_dump(calibration(read_routes()), sort_keys=False, allow_unicode=True)
    print(text)
    if not args.check:
        CALIBRATION_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
