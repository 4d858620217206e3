"""Build data/map/comuni_cells.geojson: one approximate area per comune, for maps drawn offline.

ISTAT's generalised comune boundaries are not shipped by any package this project can install,
so the areas are an approximation, and the file says so in its own metadata: the Voronoi cell of
each comune's point in `data/places/comuni.csv` (every place nearer to that point than to any
other comune's), clipped to a band of `CLIP_KM` around the points so that cells do not run off
into France, Switzerland or Lombardy. A cell is where the comune's neighbours are not, not
where its legal boundary runs: a map drawn on it may show a farm in the wrong comune, never a
figure. Replace it with ISTAT's *Confini delle unità amministrative* (generalised, CC BY) when
that file can be fetched.

    pip install -r requirements-build.txt && python scripts/build_cells.py
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Point, mapping

ROOT = Path(__file__).resolve().parents[1]
POINTS = ROOT / "data" / "places" / "comuni.csv"
OUT = ROOT / "data" / "map" / "comuni_cells.geojson"
CLIP_KM = 8.0          # band around the points: about the radius of a large Alpine comune
SIMPLIFY_KM = 0.4      # drawn at region scale a 400 m wiggle is under a pixel
DECIMALS = 3           # about 100 m of latitude
LAT0, LON0 = 45.0, 8.0  # centre of the local plane (Piedmont); error of the plane < 1 % here
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(LAT0))


def to_plane(lat: float, lon: float) -> tuple[float, float]:
    """Degrees to km on a plane tangent at (LAT0, LON0)."""
    return (lon - LON0) * KM_PER_DEG_LON, (lat - LAT0) * KM_PER_DEG_LAT


def to_degrees(x: float, y: float) -> tuple[float, float]:
    """km on the plane back to (lon, lat) degrees, rounded to DECIMALS."""
    return round(LON0 + x / KM_PER_DEG_LON, DECIMALS), round(LAT0 + y / KM_PER_DEG_LAT, DECIMALS)


def read_points() -> list[dict]:
    with POINTS.open(encoding="utf-8", newline="") as handle:
        return [{"istat": row["istat"], "name": row["name"], "xy": to_plane(float(row["lat"]), float(row["lon"]))}
                for row in csv.DictReader(handle)]


def rings(geometry) -> list:
    """GeoJSON coordinates of a (multi)polygon, in degrees."""
    shape = mapping(shapely.transform(geometry, lambda xy: [to_degrees(x, y) for x, y in xy]))
    return shape["coordinates"], shape["type"]


def build() -> dict:
    points = read_points()
    cloud = MultiPoint([p["xy"] for p in points])
    cells = shapely.voronoi_polygons(cloud, extend_to=cloud.envelope.buffer(4 * CLIP_KM), ordered=True)
    band = shapely.union_all([Point(p["xy"]).buffer(CLIP_KM, quad_segs=4) for p in points])
    features = []
    for point, cell in zip(points, cells.geoms, strict=True):
        area = cell.intersection(band).simplify(SIMPLIFY_KM, preserve_topology=True)
        if not area.contains(Point(point["xy"])):
            raise SystemExit(f"the cell of {point['name']} ({point['istat']}) lost its own point")
        coordinates, kind = rings(area)
        features.append({"type": "Feature", "properties": {"istat": point["istat"], "name": point["name"]},
                         "geometry": {"type": kind, "coordinates": coordinates}})
    return {"type": "FeatureCollection",
            "metadata": {"method": "voronoi_of_comune_points", "approximation": True, "clip_km": CLIP_KM,
                         "simplify_km": SIMPLIFY_KM, "points": "data/places/comuni.csv",
                         "note": "approximate areas, not ISTAT's legal boundaries"},
            "features": features}


def main() -> None:
    collection = build()
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(collection['features'])} cells, {OUT.stat().st_size / 1024:.0f} KiB -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
