"""Calibrate the offline car estimate on sourced road routes and measure its error.

Reads ``data/routing/calibration_routes.csv`` (road km and minutes between comuni,
each with its source), fits the road-length coefficients of ``impact.routing.estimate`` and measures
the error by leave-one-out: each route is predicted by a fit made without it, so
the stated error is what a new trip can expect. Writes ``data/routing/car_estimate.yaml``.
Driving times are too few offline to fit the speed model (see
``data/parameters/routing/car_speed.yaml``): their error is measured, with and
without the motorways of ``data/routing/motorways.yaml``, each with the road km
of the fit made without that route.

    python scripts/calibrate_car_estimate.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from impact.geo import geodesic_km_array  # noqa: E402
from impact.params import DATA_DIR, default_parameters  # noqa: E402
from impact.places import default_gazetteer  # noqa: E402
from impact.routing.estimate import CALIBRATION_FILE, estimate, load_model  # noqa: E402

ROUTES = DATA_DIR / "routing" / "calibration_routes.csv"

def read_routes(path: Path = ROUTES) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Straight-line km, road km, minutes (NaN where unpublished) and end points
    [lat1, lon1, lat2, lon2 in degrees, one row per route] of each sourced route."""
    places = default_gazetteer()
    straight, road, minutes, points = [], [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            a, b = places.by_istat(row["origin_istat"]), places.by_istat(row["destination_istat"])
            straight.append(float(geodesic_km_array(a.lat, a.lon, b.lat, b.lon)))
            road.append(float(row["road_km"]))
            minutes.append(float(row["minutes"]) if row["minutes"].strip() else np.nan)
            points.append((a.lat, a.lon, b.lat, b.lon))
    return np.array(straight), np.array(road), np.array(minutes), np.array(points)


def fit_km(straight: np.ndarray, road: np.ndarray) -> tuple[float, float]:
    """Least-squares detour factor and access km (access kept at 0 or above)."""
    design = np.column_stack([straight, np.ones_like(straight)])
    (detour, access), *_ = np.linalg.lstsq(design, road, rcond=None)
    if access < 0:
        detour, access = float(road @ straight / (straight @ straight)), 0.0
    return float(detour), float(access)


def leave_one_out_km(straight: np.ndarray, road: np.ndarray) -> np.ndarray:
    """Each route's road km predicted by a fit made without it."""
    predicted = np.empty_like(road)
    for i in range(len(road)):
        keep = np.arange(len(road)) != i
        detour, access = fit_km(straight[keep], road[keep])
        predicted[i] = detour * straight[i] + access
    return predicted


def leave_one_out_minutes(straight: np.ndarray, road: np.ndarray, points: np.ndarray,
                          motorways: bool) -> np.ndarray:
    """Each sourced route's minutes from the speed model, with the road km of a fit made
    without it; NaN where no time is published. `motorways` False: the model without them."""
    model = load_model(default_parameters(), dt.date.today(), motorways_path=None) if not motorways \
        else load_model(default_parameters(), dt.date.today())
    predicted = np.empty_like(road)
    for i in range(len(road)):
        keep = np.arange(len(road)) != i
        detour, access = fit_km(straight[keep], road[keep])
        fitted = dataclasses.replace(model, detour=detour, access_km=access)
        predicted[i] = float(estimate(fitted, *points[i]).minutes)
    return predicted


def summary(true: np.ndarray, predicted: np.ndarray) -> dict:
    ok = np.isfinite(true) & np.isfinite(predicted)
    absolute = np.abs(predicted[ok] - true[ok])
    relative = absolute / true[ok]
    return {"routes": int(ok.sum()),
            "median_abs": round(float(np.median(absolute)), 1), "p90_abs": round(float(np.percentile(absolute, 90)), 1),
            "median_rel": round(float(np.median(relative)), 3), "p90_rel": round(float(np.percentile(relative, 90)), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    straight, road, minutes, points = read_routes()
    detour, access = fit_km(straight, road)
    predicted = leave_one_out_km(straight, road)
    ratio = road / predicted
    result = {
        "description": "Road length of the offline car estimate, fitted on data/routing/calibration_routes.csv "
                       "by scripts/calibrate_car_estimate.py; error measured by leave-one-out.",
        "calibrated_on": dt.date.today().isoformat(),
        "coefficients": {"detour": round(detour, 4), "access_km": round(access, 3)},
        "range": {"km_ratio_p10": round(float(np.percentile(ratio, 10)), 3),
                  "km_ratio_p90": round(float(np.percentile(ratio, 90)), 3)},
        "measured_error": {"km": summary(road, predicted),
                           "minutes_without_motorways": summary(minutes, leave_one_out_minutes(straight, road, points, False)),
                           "minutes": summary(minutes, leave_one_out_minutes(straight, road, points, True)),
                           "straight_km_range": [round(float(straight.min()), 1), round(float(straight.max()), 1)]},
    }
    text = yaml.safe_dump(result, sort_keys=False, allow_unicode=True)
    print(text)
    if not args.check:
        CALIBRATION_FILE.parent.mkdir(parents=True, exist_ok=True)
        CALIBRATION_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
