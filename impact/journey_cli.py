"""``python -m impact journey``: one journey between two places, to check a figure by hand.

    python -m impact journey --from PLACE --to PLACE (--depart HH:MM | --arrive-by HH:MM)
                             [--date YYYY-MM-DD] [--mode transit|car] [--json]
                             [--office-lat LAT --office-lon LON] [--without CHANGE]

PLACE is an office id in lower case (ivrea, asti, torino, or office:ivrea), a station by
name ("Torino Porta Nuova", "Chivasso", "Ivrea") or a comune (name or CAP): a town with a
station of the same name is the station. The journey is computed on the same timetable
and car estimate that `evaluate()` uses, for the date given (default today), so a
worker's figure can be checked leg by leg against the operators' timetables.

Exit codes: 0 answered; 2 a place could not be resolved (suggestions on stderr, or as
JSON with --json); 3 no journey fits the asked time on that day.

JSON (transit): {"mode", "from", "to", "depart", "arrive", "minutes", "changes",
"source", "assumed", "legs": [{"mode", "line", "from", "to", "depart", "arrive",
"source"}]}, times HH:MM, ``assumed`` true when any leg rests on an assumed minute.
JSON (car): {"mode": "car", "km", "minutes", "km_range", "minutes_range", "source"}.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys

import numpy as np

from impact.clock import hhmm, time_of_day_arg
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.routing.car import car_trips, default_router as default_car_router
from impact.routing.estimate import load_model
from impact.routing.gtfs import available_feeds
from impact.routing.journey import KIND_OFFICE, Journey, NoJourney, UnknownEndpoint, resolve_endpoint, transit_journey
from impact.routing.transit import TransitRouter, default_router

EXIT_UNRESOLVED = 2
EXIT_NO_JOURNEY = 3


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-09-16") from None


def add_journey_parser(commands) -> None:
    """Register the ``journey`` subcommand."""
    p = commands.add_parser("journey", help="one journey between two places, leg by leg, to check a figure")
    place = "office id (ivrea, asti, torino), station name or comune (name or CAP)"
    p.add_argument("--from", dest="origin", required=True, help=place)
    p.add_argument("--to", dest="destination", required=True, help=place)
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--depart", type=time_of_day_arg, help="leave at HH:MM (earliest arrival)")
    when.add_argument("--arrive-by", type=time_of_day_arg, help="arrive by HH:MM (latest departure)")
    p.add_argument("--date", type=_date_arg, help="day of the timetable, YYYY-MM-DD (default today)")
    p.add_argument("--mode", choices=["transit", "car"], default="transit")
    p.add_argument("--office-lat", type=float, help="move the office named in --from/--to to this latitude")
    p.add_argument("--office-lon", type=float, help="... and this longitude")
    p.add_argument("--without", action="append", default=[], metavar="CHANGE",
                   help="switch off a dated timetable change (e.g. tram4_4n); repeatable")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_journey)


def _router(args: argparse.Namespace, on: dt.date) -> TransitRouter:
    """The day's router; a fresh one when an office is moved or a change switched off."""
    moved = args.office_lat is not None or args.office_lon is not None
    if not moved and not args.without:
        return default_router(on)
    sites = load_sites()
    if moved:
        if args.office_lat is None or args.office_lon is None:
            raise UnknownEndpoint("--office-lat/--office-lon", [], "give both --office-lat and --office-lon")
        office = next((q.strip().lower().removeprefix("office:") for q in (args.origin, args.destination)
                       if q.strip().lower().removeprefix("office:") in sites and
                       (q.strip().startswith("office:") or q.strip() in sites)), None)
        if office is None:
            raise UnknownEndpoint(args.destination, list(sites),
                                  "--office-lat/--office-lon move an office: name it in --from or --to")
        if not (-90 <= args.office_lat <= 90 and -180 <= args.office_lon <= 180):
            raise UnknownEndpoint("--office-lat/--office-lon", [], "the office's coordinates are not on the globe")
        sites[office] = dataclasses.replace(sites[office], lat=args.office_lat, lon=args.office_lon,
                                            position_method="moved by the user (--office-lat/--office-lon)")
    return TransitRouter.from_feeds(available_feeds(), on, sites=sites, changes_off=frozenset(args.without))


def transit_answer(journey: Journey) -> dict:
    """The contract's JSON for a transit journey."""
    return {"mode": "transit", "from": journey.origin.name, "to": journey.destination.name,
            "depart": hhmm(journey.depart, wrap=False), "arrive": hhmm(journey.arrive, wrap=False),
            "minutes": round(journey.minutes),
            "changes": journey.changes, "source": journey.source, "assumed": journey.assumed,
            "legs": [{"mode": leg.mode, "line": leg.line, "from": leg.origin, "to": leg.destination,
                      "depart": hhmm(leg.depart, wrap=False), "arrive": hhmm(leg.arrive, wrap=False),
                      "source": leg.source}
                     for leg in journey.legs]}


def car_answer(router: TransitRouter, origin, destination, on: dt.date) -> dict:
    """The contract's JSON for a car trip (openrouteservice when configured, else the estimate)."""
    model = load_model(default_parameters(), on)
    trip = car_trips(np.array([[origin.lat, origin.lon]]), np.array([[destination.lat, destination.lon]]), model,
                     default_car_router())
    return {"mode": "car", "km": round(float(trip.km[0]), 1),
            "minutes": round(float(trip.minutes[0])),
            "km_range": [round(float(trip.km_low[0]), 1), round(float(trip.km_high[0]), 1)],
            "minutes_range": [round(float(trip.minutes_low[0])), round(float(trip.minutes_high[0]))],
            "source": str(trip.source[0])}


def _print_transit(journey: Journey, on: dt.date) -> None:
    print(f"{journey.origin.name} -> {journey.destination.name}, {on.isoformat()}: "
          f"{hhmm(journey.depart, wrap=False)} - {hhmm(journey.arrive, wrap=False)}, {round(journey.minutes)} min, "
          f"{journey.changes} change(s) ({journey.source})")
    for leg in journey.legs:
        flag = "  [assumed minute]" if leg.assumed else ""
        line = f" {leg.line}" if leg.line else ""
        print(f"  {hhmm(leg.depart, wrap=False)}-{hhmm(leg.arrive, wrap=False)} {leg.mode}{line}: "
              f"{leg.origin} -> {leg.destination}{flag}")
        print(f"      source: {leg.source}" + (f"; valid {leg.validity}" if leg.validity else ""))
    if journey.changes_active:
        print(f"  dated changes in force: {', '.join(journey.changes_active)}")


def cmd_journey(args: argparse.Namespace) -> int:
    on = args.date or dt.date.today()
    try:
        router = _router(args, on)
        origin = resolve_endpoint(args.origin, router, default_gazetteer())
        destination = resolve_endpoint(args.destination, router, default_gazetteer())
        if args.office_lat is not None:   # the moved office: resolve again on the moved sites
            origin, destination = (dataclasses.replace(e, lat=router.sites[e.key].lat, lon=router.sites[e.key].lon)
                                   if e.kind == KIND_OFFICE else e for e in (origin, destination))
        if args.mode == "car":
            answer = car_answer(router, origin, destination, on)
            if args.json:
                print(json.dumps(answer, ensure_ascii=False))
            else:
                print(f"{origin.name} -> {destination.name} by car: {answer['km']} km "
                      f"({answer['km_range'][0]}-{answer['km_range'][1]}), {answer['minutes']} min "
                      f"({answer['minutes_range'][0]}-{answer['minutes_range'][1]}) ({answer['source']})")
            return 0
        journey = transit_journey(router, origin, destination, args.depart, args.arrive_by)
    except UnknownEndpoint as exc:
        if args.json:
            print(json.dumps({"error": "unknown", "query": exc.query, "message": str(exc),
                              "suggestions": exc.suggestions}, ensure_ascii=False))
        else:
            print(f"{exc}.", file=sys.stderr)
            if exc.suggestions:
                print("Did you mean: " + "; ".join(exc.suggestions), file=sys.stderr)
        return EXIT_UNRESOLVED
    except NoJourney as exc:
        if args.json:
            print(json.dumps({"error": "no_journey", "message": str(exc)}, ensure_ascii=False))
        else:
            print(f"{exc}.", file=sys.stderr)
        return EXIT_NO_JOURNEY
    if args.json:
        print(json.dumps(transit_answer(journey), ensure_ascii=False))
    else:
        _print_transit(journey, on)
    return 0
