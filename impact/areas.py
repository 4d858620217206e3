"""The comune areas drawn under the offline maps, and their colours by a figure.

The areas are approximate (see `data/map/comuni_cells.geojson` and `scripts/build_cells.py`):
Voronoi cells of the comune points, not ISTAT's legal boundaries; every face says so.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import pandas as pd

AREAS_FILE = Path(__file__).resolve().parents[1] / "data" / "map" / "comuni_cells.geojson"
# Colour bands: (upper bound, RGB). Money [EUR/month]: a gain green, then light to dark red.
MEDIAN_BANDS = ((0.0, (26, 152, 80)), (50.0, (166, 217, 106)), (150.0, (254, 224, 139)),
                (300.0, (252, 141, 89)), (math.inf, (215, 48, 39)))
# Share of a comune's workers over the INPS 50 km / 80 minute rule [0-1].
INPS_BANDS = ((0.25, (239, 243, 255)), (0.5, (189, 215, 231)), (0.75, (107, 174, 214)), (math.inf, (33, 113, 181)))
NO_WORKERS = (225, 225, 225)
NO_WORKERS_ALPHA, WORKERS_ALPHA = 90, 200   # an area with no workers is drawn lighter


@lru_cache(maxsize=1)
def load_areas() -> dict:
    """The GeoJSON FeatureCollection of the 1,254 comune areas (properties: istat, name)."""
    return json.loads(AREAS_FILE.read_text(encoding="utf-8"))


def area_of(istat: str) -> list[dict]:
    """The GeoJSON feature of comune `istat`'s area, as a list of one (empty when it has none)."""
    return [f for f in load_areas()["features"] if f["properties"]["istat"] == istat]


def band_colour(value: float, bands) -> tuple[int, int, int]:
    """The RGB of the first band whose upper bound is above `value`; grey when NaN."""
    if value != value:
        return NO_WORKERS
    return next(colour for upper, colour in bands if value < upper)


def choropleth(table: pd.DataFrame, metric: str, with_workers_only: bool = False) -> dict:
    """The comune areas coloured by `metric` ("median_extra_eur_month" or "share_inps") of
    `impact.charts_data.by_comune_istat`; areas with no workers stay grey, or are left out with
    `with_workers_only`. Each feature's properties: istat, name, workers, median_extra_eur_month,
    share_inps, fill [r, g, b, a]."""
    bands = MEDIAN_BANDS if metric == "median_extra_eur_month" else INPS_BANDS
    rows = table.set_index("istat").to_dict("index")
    features = []
    for feature in load_areas()["features"]:
        row = rows.get(feature["properties"]["istat"])
        if row is None and with_workers_only:
            continue
        value = row[metric] if row else float("nan")
        properties = dict(feature["properties"], workers=int(row["workers"]) if row else 0,
                          median_extra_eur_month=row["median_extra_eur_month"] if row else None,
                          share_inps=row["share_inps"] if row else None,
                          fill=[*band_colour(value, bands), WORKERS_ALPHA if row else NO_WORKERS_ALPHA])
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": properties})
    return {"type": "FeatureCollection", "features": features}
