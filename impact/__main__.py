"""Command line: ``python -m impact places|worker ...``.

Exit codes: 0 answered; 2 the input could not be resolved (the message and the
suggestions go to stderr, or to stdout as JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import sys

from impact.errors import AmbiguousPlace, ImpactError, PlaceError
from impact.geo import geodesic_km
from impact.places import Place, default_gazetteer, destination, load_sites

EXIT_UNRESOLVED = 2


def _place_error(exc: PlaceError, as_json: bool) -> int:
    kind = "ambiguous" if isinstance(exc, AmbiguousPlace) else "unknown"
    if as_json:
        print(json.dumps({"error": kind, "query": exc.query, "message": str(exc),
                          "candidates": [p.as_dict() for p in exc.candidates]}, ensure_ascii=False))
    else:
        print(f"{exc}.", file=sys.stderr)
        if exc.candidates:
            heading = "Which one?" if kind == "ambiguous" else "Did you mean:"
            print(heading, file=sys.stderr)
            for place in exc.candidates:
                print(f"  {place.label}  ISTAT {place.istat}  CAP {' '.join(place.caps[:3])}", file=sys.stderr)
    return EXIT_UNRESOLVED


def _describe(place: Place) -> str:
    alt = f" / {place.name_alt}" if place.name_alt else ""
    return (f"{place.label}{alt} — ISTAT {place.istat}, {place.region}, CAP {' '.join(place.caps)}, "
            f"{place.lat:.5f} N {place.lon:.5f} E, population {place.population:,}")


def cmd_places(args: argparse.Namespace) -> int:
    place = default_gazetteer().resolve(args.query)
    print(json.dumps(place.as_dict(), ensure_ascii=False) if args.json else _describe(place))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    home = default_gazetteer().resolve(args.home)
    sites = load_sites()
    old, new = sites[args.site], destination(sites)
    km_old = geodesic_km(home.lat, home.lon, old.lat, old.lon)
    km_new = geodesic_km(home.lat, home.lon, new.lat, new.lon)
    result = {
        "home": {"istat": home.istat, "name": home.name, "province": home.province,
                 "lat": home.lat, "lon": home.lon},
        "old_site": {"id": old.id, "name": old.name}, "new_site": {"id": new.id, "name": new.name},
        "straight_line_km": {"old": round(km_old, 1), "new": round(km_new, 1)},
        "notes": ["Car, public transport, costs and rights are not computed yet in this version."],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{home.label}: {km_old:.1f} km from {old.name} (straight line), "
              f"{km_new:.1f} km from {new.name}, Strada del Drosso")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m impact",
                                     description="Commute-cost impact of the Ivrea/Asti to Torino move.")
    commands = parser.add_subparsers(dest="command", required=True)
    places = commands.add_parser("places", help="find a comune by name, CAP or ISTAT code")
    places.add_argument("query", help="a town name (any spelling) or a CAP")
    places.add_argument("--json", action="store_true", help="print JSON")
    places.set_defaults(run=cmd_places)
    worker = commands.add_parser("worker", help="one worker's commute, old office against Torino")
    worker.add_argument("--home", required=True, help="home comune (name or CAP)")
    worker.add_argument("--site", required=True, choices=["ivrea", "asti"], help="current office")
    worker.add_argument("--json", action="store_true", help="print JSON")
    worker.set_defaults(run=cmd_worker)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except PlaceError as exc:
        return _place_error(exc, getattr(args, "json", False))
    except ImpactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
