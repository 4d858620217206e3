"""``python -m impact journey``: one journey between two places, to check a figure by hand.

    python -m impact journey --from PLACE --to PLACE (--depart HH:MM | --arrive-by HH:MM)
                             [--date YYYY-MM-DD] [--mode transit|car] [--json]
                             [--office-lat LAT --office-lon LON] [--without CHANGE]

PLACE is an office id in lower case (ivrea, asti, torino, or office:ivrea, any case and spacing
after "office:"), a station by name ("Torino Porta Nuova", "Chivasso", "Ivrea") or a comune
(name or CAP): a town with a station of the same name is the station; "office:" and a name
that is no office is refused (exit 2, code unknown_office). The journey is computed on the same timetable
and car estimate that `evaluate()` uses, for the date given (default today), so a
worker's figure can be checked leg by leg against the operators' timetables.

Exit codes: 0 answered; 2 a place could not be resolved (suggestions on stderr, or as
JSON with --json); 3 no journey fits the asked time on that day.

JSON (transit): {"mode", "from", "to", "depart", "arrive", "minutes", "changes",
"source", "assumed", "legs": [{"mode", "line", "from", "to", "depart", "arrive",
"source"}]}, times HH:MM, ``assumed`` true when any leg rests on an assumed minute.
JSON (car): {"mode": "car", "km", "minutes", "km_range", "minutes_range", "source"}.
Both also carry {"parameters_version", "app_version", "date"}; an error is {"error",
"message", ...}, the message in the --lang language (Italian by default, as the text).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys

import numpy as np

from impact import i18n
from impact.clock import hhmm, time_of_day_arg
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.routing.car import car_trips, default_router as default_car_router
from impact.routing.estimate import load_model
from impact.routing.gtfs import available_feeds
from impact.routing.journey import (Journey, NoJourney, UnknownEndpoint, named_office, resolve_endpoint,
                                    transit_journey)
from impact.routing.transit import TransitRouter, default_router
from impact.results import code_text
from impact.safe_text import json_text
from impact.version import stamp

EXIT_UNRESOLVED = 2
EXIT_NO_JOURNEY = 3
#: leg modes whose minutes are estimated from a speed, not read from a timetable
ESTIMATED_MODES = ("walk", "bike", "car", "last_mile")


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
    p.add_argument("--json", action="store_true", help="print JSON (with the parameters version and date)")
    p.add_argument("--lang", choices=list(i18n.LANGUAGES), default=i18n.DEFAULT_LANGUAGE,
                   help="language of the text and messages (default it)")
    p.set_defaults(run=cmd_journey)


def _router(args: argparse.Namespace, on: dt.date) -> TransitRouter:
    """The day's router; a fresh one when an office is moved or a change switched off."""
    moved = args.office_lat is not None or args.office_lon is not None
    if not moved and not args.without:
        return default_router(on)
    sites = load_sites()
    if moved:
        if args.office_lat is None or args.office_lon is None:
            raise UnknownEndpoint("--office-lat/--office-lon", [], "give both --office-lat and --office-lon",
                                  "office_coordinates")
        office = next(filter(None, (named_office(q, sites) for q in (args.origin, args.destination))), None)
        if office is None:
            raise UnknownEndpoint(args.destination, list(sites),
                                  "--office-lat/--office-lon move an office: name it in --from or --to",
                                  "office_not_named")
        if not (-90 <= args.office_lat <= 90 and -180 <= args.office_lon <= 180):
            raise UnknownEndpoint("--office-lat/--office-lon", [], "the office's coordinates are not on the globe",
                                  "office_off_globe")
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


def _print_transit(journey: Journey, on: dt.date, router: TransitRouter, lang: str) -> None:
    """The journey leg by leg, in the user's language (the words from ``journey_cli.*``)."""
    t = lambda key, **values: i18n.t(f"journey_cli.{key}", lang, **values)  # noqa: E731
    rules = router.rules
    print(t("journey", origin=journey.origin.name, destination=journey.destination.name, date=i18n.date(on, lang),
            depart=hhmm(journey.depart, wrap=False), arrive=hhmm(journey.arrive, wrap=False),
            minutes=round(journey.minutes), changes=journey.changes,
            source=code_text("transit_source_new", journey.source, lang)))
    for leg in journey.legs:
        line = f" {leg.line}" if leg.line else ""
        flag = f"  [{t('assumed_minute')}]" if leg.assumed and leg.mode not in ESTIMATED_MODES else ""
        print(f"  {hhmm(leg.depart, wrap=False)}-{hhmm(leg.arrive, wrap=False)} {t('mode.' + leg.mode)}{line}: "
              f"{leg.origin} -> {leg.destination}{flag}")
        if leg.mode in ESTIMATED_MODES:
            how = t(f"how.{leg.mode}", detour=i18n.number(rules.walk_detour, lang, 2),
                    walk_kmh=i18n.number(rules.walk_kmh, lang, 1), bike_kmh=i18n.number(rules.bike_kmh, lang, 1))
        else:
            how = t("source", source=leg.source) + (t("valid", validity=leg.validity) if leg.validity else "")
        print(f"      {how}")
    if journey.changes_active:
        print("  " + t("changes_in_force", changes=", ".join(journey.changes_active)))


def _error_text(exc: UnknownEndpoint | NoJourney, lang: str) -> str:
    """The error in the user's language."""
    if isinstance(exc, NoJourney):
        values = dict(exc.values, date=i18n.date(exc.values["date"], lang))
        return i18n.t(f"journey_cli.error.no_journey_{values.pop('when')}", lang, **values)
    return i18n.t(f"journey_cli.error.{exc.code}", lang, query=exc.query)


def cmd_journey(args: argparse.Namespace) -> int:
    on = args.date or dt.date.today()
    lang = args.lang
    t = lambda key, **values: i18n.t(f"journey_cli.{key}", lang, **values)  # noqa: E731
    try:
        router = _router(args, on)
        origin = resolve_endpoint(args.origin, router, default_gazetteer())
        destination = resolve_endpoint(args.destination, router, default_gazetteer())
        if args.mode == "car":
            answer = car_answer(router, origin, destination, on)
            if args.json:
                print(json_text({**answer, **stamp(on)}))
            else:
                print(t("car", origin=origin.name, destination=destination.name,
                        km=i18n.number(answer["km"], lang, 1), km_low=i18n.number(answer["km_range"][0], lang, 1),
                        km_high=i18n.number(answer["km_range"][1], lang, 1), minutes=answer["minutes"],
                        minutes_low=answer["minutes_range"][0], minutes_high=answer["minutes_range"][1],
                        source=code_text("car_source_new", answer["source"], lang)))
            return 0
        journey = transit_journey(router, origin, destination, args.depart, args.arrive_by)
    except UnknownEndpoint as exc:
        if args.json:
            print(json_text({"error": "unknown", "code": exc.code, "query": exc.query,
                             "message": _error_text(exc, lang), "suggestions": exc.suggestions, **stamp(on)}))
        else:
            print(_error_text(exc, lang), file=sys.stderr)
            if exc.suggestions:
                print(t("did_you_mean", suggestions="; ".join(exc.suggestions)), file=sys.stderr)
        return EXIT_UNRESOLVED
    except NoJourney as exc:
        if args.json:
            print(json_text({"error": "no_journey", "message": _error_text(exc, lang), **stamp(on)}))
        else:
            print(_error_text(exc, lang), file=sys.stderr)
        return EXIT_NO_JOURNEY
    if args.json:
        print(json_text({**transit_answer(journey), **stamp(on)}))
    else:
        _print_transit(journey, on, router, lang)
    return 0
