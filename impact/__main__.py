"""Command line: ``python -m impact places|worker|roster ...``.

Exit codes: 0 answered; 1 a data, parameter or file error; 2 the input cannot be used: an
option out of its range, a town unknown or ambiguous (the message and the suggestions go to
stderr, or to stdout as JSON with --json). ``roster`` has its own (impact/roster_cli.py).
JSON output is strict JSON: NaN and infinity are written as null, with a note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from impact import i18n
from impact.clock import hhmm, time_of_day_arg
from impact.errors import AmbiguousPlace, ImpactError, InputError, PlaceError
from impact.evidence import evidence_pdf
from impact.model import Scenario, default_shift_start_min, evaluate
from impact.params import default_parameters
from impact.places import Place, closing_site_ids, default_gazetteer, destination, load_sites
from impact.report import worker_pdf, worker_pdf_inputs
from impact.report_charts import worker_pdf_charts
from impact.results import code_text, headline_text, routing_note_text, shift_notes
from impact.roster_cli import add_roster_parser
from impact.routing.car import default_router
from impact.routing.transit import TransitRouter, available_feeds
from impact.routing.transit import default_router as default_transit_router
from impact.version import TracingParameters, stamp
from impact.safe_text import json_text, terminal
from impact.validation import SCENARIO_RANGES, WORKER_RANGES

EXIT_UNRESOLVED = 2


def _place_error(exc: PlaceError, as_json: bool) -> int:
    kind = "ambiguous" if isinstance(exc, AmbiguousPlace) else "unknown"
    if as_json:
        print(json_text({"error": kind, "query": exc.query, "message": str(exc),
                         "candidates": [p.as_dict() for p in exc.candidates]}))
    else:
        print(f"{terminal(exc)}.", file=sys.stderr)
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
    print(json_text({**place.as_dict(), **stamp(dt.date.today())}) if args.json else _describe(place))
    return 0


def _within(low: float, high: float, low_open: bool = False):
    """An argparse type: a finite number within [low, high] ((low, high] with `low_open`)."""
    def number(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        if not (low < value if low_open else low <= value) or not value <= high:   # NaN fails both
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g}–{high:g}")
        return value
    return number


def _round_or_none(value, digits: int = 0):
    """A rounded float, or None for NaN (JSON has no NaN)."""
    value = float(value)
    if np.isnan(value):
        return None
    return round(value, digits) if digits else round(value)


def worker_result(args: argparse.Namespace) -> dict:
    """The contract's JSON for one worker, from the same evaluate() the pages use."""
    on = dt.date.today()
    home = default_gazetteer().resolve(args.home)
    sites = load_sites()
    worker = pd.DataFrame([{"home_istat": home.istat, "site": args.site, "hours_per_day": args.hours_per_day,
                            "days_per_week": args.days_per_week,
                            "net_monthly_eur": np.nan if args.net_monthly is None else args.net_monthly,
                            "shift_start_min": np.nan if args.shift_start is None else args.shift_start,
                            "shift_end_min": np.nan if args.shift_end is None else args.shift_end}])
    scenario = Scenario(fuel_eur_per_l=args.fuel_price)
    params, transit_router = default_parameters(), None
    if getattr(args, "trace", False):  # the router built on the same traced parameters, to list its own
        params = TracingParameters(params)
        transit_router = TransitRouter.from_feeds(available_feeds(), on, params)
    r = evaluate(worker, scenario, params, on, default_gazetteer(), sites, default_router(), transit=transit_router).iloc[0]

    def car(when: str) -> dict:
        trip = {"km": round(float(r[f"car_km_{when}"]), 1), "minutes": round(float(r[f"car_min_{when}"])),
                "source": r[f"car_source_{when}"]}
        if when == "new" and trip["source"] == "estimate":
            trip["km_range"] = [round(float(r["car_km_low_new"]), 1), round(float(r["car_km_high_new"]), 1)]
            trip["minutes_range"] = [round(float(r["car_min_low_new"])), round(float(r["car_min_high_new"]))]
        return trip

    def transit(when: str) -> dict:
        feasible = bool(r[f"transit_feasible_{when}"])
        minutes = r[f"transit_min_{when}"]
        trip = {"minutes": round(float(minutes)) if feasible else None, "source": r[f"transit_source_{when}"],
                "feasible": feasible,
                "eur_month": round(float(r[f"transit_eur_{when}"]), 2) if feasible else None}
        if when == "new":
            last = r["transit_last_leave_new"]
            trip.update({"out_minutes": _round_or_none(r["transit_out_min_new"]),
                         "back_minutes": _round_or_none(r["transit_back_min_new"]),
                         "changes": _round_or_none(r["transit_changes_new"]),
                         "last_leave_site": None if np.isnan(last) else hhmm(last),
                         "inps_minutes": round(float(r["inps_minutes"]), 1), "inps_basis": r["inps_basis"],
                         "inps_journeys": int(r["inps_journeys"])})
        return trip

    lang = args.lang
    start = default_shift_start_min(params, on) if args.shift_start is None else args.shift_start
    end = start + 60 * args.hours_per_day if args.shift_end is None else args.shift_end
    if getattr(args, "evidence", None) is not None:
        pdf = evidence_pdf(r.to_dict(), home, sites[args.site], destination(sites), start, end,
                           transit_router or default_transit_router(on), params, on, lang)
        try:
            args.evidence.write_bytes(pdf)
        except OSError as exc:
            raise ImpactError(f"cannot write {args.evidence}: {exc.strerror}") from None
    notes = ([i18n.t("worker_cli.routing_note", lang, reason=routing_note_text(r["routing_note"], lang))]
             if r["routing_note"] else [])
    if r["net_pay_is_default"]:
        notes.append(i18n.t("worker_cli.pay_default", lang, pay=i18n.eur(r["net_monthly_eur"], lang, 0)))
    if not r["transit_feasible_new"]:
        notes.append(i18n.t("worker_cli.no_transit", lang))
    notes.extend(shift_notes(args.hours_per_day, args.shift_start, args.shift_end, lang))
    if args.pdf is not None:
        labels = worker_pdf_inputs(home.label, sites[args.site].name, args.hours_per_day, args.days_per_week,
                                   args.shift_start, args.shift_end, lang)
        charts = worker_pdf_charts(r.to_dict(), home.lat, home.lon, args.site, destination(sites).id, start, end,
                                   transit_router or default_transit_router(on), lang)
        try:
            args.pdf.write_bytes(worker_pdf(r.to_dict(), labels, default_parameters(), on, lang, charts))
        except OSError as exc:
            raise ImpactError(f"cannot write {args.pdf}: {exc.strerror}") from None
    return {
        "headline": headline_text(r, lang),
        "home": {"istat": home.istat, "name": home.name, "province": home.province, "lat": home.lat, "lon": home.lon},
        "old_site": {"id": args.site, "name": sites[args.site].name},
        "new_site": {"id": destination(sites).id, "name": destination(sites).name},
        "straight_line_km": {"old": round(float(r["straight_km_old"]), 1), "new": round(float(r["straight_km_new"]), 1)},
        "car": {"old": car("old"), "new": car("new")},
        "transit": {"old": transit("old"), "new": transit("new")},
        "monthly": {"commuting_days": {"old": round(float(r["days_old"]), 2), "new": round(float(r["days_new"]), 2)},
                    "extra_cost_car_eur": round(float(r["extra_car_cash_eur_month"]), 2),
                    "extra_cost_car_with_wear_eur": round(float(r["extra_car_full_eur_month"]), 2),
                    "extra_cost_transit_eur": _round_or_none(r["extra_transit_eur_month"], 2),
                    "extra_hours": round(float(r["extra_best_hours_month"]), 1),
                    "extra_hours_car": round(float(r["extra_car_hours_month"]), 1),
                    "extra_hours_transit": _round_or_none(r["extra_transit_hours_month"], 1),
                    "best_mode": r["best_mode"], "extra_cost_best_eur": round(float(r["extra_best_eur_month"]), 2),
                    "extra_hours_best": round(float(r["extra_best_hours_month"]), 1),
                    "share_of_net_pay_best": round(float(r["share_best"]), 4)},
        "net_monthly_eur": round(float(r["net_monthly_eur"]), 2),
        "share_of_net_pay": {"car": round(float(r["share_car_cash"]), 4),
                             "transit": _round_or_none(r["share_transit"], 4)},
        "make_whole": {"gross_annual_eur": round(float(r["gross_annual_eur"]), 2),
                       "raise_gross_per_payment_eur": round(float(r["raise_gross_per_payment_eur"]), 2),
                       "raise_company_cost_annual_eur": round(float(r["raise_company_cost_annual_eur"]), 2)},
        "rights": {"over_50km": bool(r["rights_over_50km"]), "distance_status": r["rights_distance_status"],
                   "over_80min_transit": bool(r["rights_over_80min"]), "transit_status": r["rights_transit_status"],
                   "status": r["rights_status"],
                   "naspi_monthly_eur": round(float(r["naspi_monthly_eur"]), 2),
                   "naspi_months": int(r["naspi_duration_months"])},
        "notes": notes,
        **stamp(on),
        **({"trace": params.trace(on)} if isinstance(params, TracingParameters) else {}),
    }


def cmd_worker(args: argparse.Namespace) -> int:
    result = worker_result(args)
    if args.json:
        print(json_text(result))
        return 0
    lang = args.lang
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    km = lambda value: i18n.km(value, lang)  # noqa: E731
    car, pt, rights = result["car"], result["transit"], result["rights"]
    print(t("worker_cli.title", town=result["home"]["name"], province=result["home"]["province"],
            office=result["old_site"]["name"], new=result["new_site"]["name"]))
    print("  " + result["headline"])
    print("  " + t("worker_cli.straight", old=km(result["straight_line_km"]["old"]),
                   new=km(result["straight_line_km"]["new"])))
    print("  " + t("worker_cli.car", old_km=km(car["old"]["km"]), old_min=car["old"]["minutes"],
                   new_km=km(car["new"]["km"]), new_min=car["new"]["minutes"],
                   money=i18n.eur(result["monthly"]["extra_cost_car_eur"], lang, 0)))
    if pt["new"]["feasible"]:
        print("  " + t("worker_cli.transit", old="—" if pt["old"]["minutes"] is None else pt["old"]["minutes"],
                       new=pt["new"]["minutes"], money=i18n.eur(result["monthly"]["extra_cost_transit_eur"], lang, 0),
                       inps=i18n.number(pt["new"]["inps_minutes"], lang, 0)))
    print("  " + t("worker_cli.rights", distance=code_text("rights_distance_status", rights["distance_status"], lang),
                   transit=code_text("rights_transit_status", rights["transit_status"], lang),
                   naspi=i18n.eur(rights["naspi_monthly_eur"], lang, 0)))
    for note in result["notes"]:
        print("  " + t("worker_cli.note", note=note))
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
    worker.add_argument("--site", required=True, choices=closing_site_ids(), help="current office")
    worker.add_argument("--hours-per-day", type=_within(*WORKER_RANGES["hours_per_day"]), default=6.0,
                        help="contract hours a day, over 0 up to 12 (default 6)")
    worker.add_argument("--days-per-week", type=_within(*WORKER_RANGES["days_per_week"]), default=5.0,
                        help="days worked a week, 1-6 (default 5)")
    worker.add_argument("--shift-start", type=time_of_day_arg, help="shift start, HH:MM (used by public transport)")
    worker.add_argument("--shift-end", type=time_of_day_arg, help="shift end, HH:MM (used by public transport)")
    worker.add_argument("--net-monthly", type=_within(*WORKER_RANGES["net_monthly_eur"]),
                        help="take-home pay, EUR a month (150-5000)")
    worker.add_argument("--fuel-price", type=_within(*SCENARIO_RANGES["fuel_eur_per_l"]),
                        help="petrol price, EUR a litre (0.5-4)")
    worker.add_argument("--json", action="store_true", help="print JSON")
    worker.add_argument("--evidence", type=Path, metavar="FILE.pdf",
                        help="write the evidence pack (distances, INPS journeys, rule) to FILE.pdf")
    worker.add_argument("--trace", action="store_true",
                        help="with --json: every parameter used, with its value, date and source")
    worker.add_argument("--pdf", type=Path, metavar="FILE", help="also write the page's one-page PDF to FILE")
    worker.add_argument("--lang", choices=["it", "en"], default="it", help="language of the text and PDF (default it)")
    worker.set_defaults(run=cmd_worker)
    add_roster_parser(commands)
    __import__("impact.journey_cli").journey_cli.add_journey_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except PlaceError as exc:
        return _place_error(exc, getattr(args, "json", False))
    except InputError as exc:   # e.g. a shift that starts when it ends
        if getattr(args, "json", False):
            print(json_text(exc.as_dict("en")))
        else:
            print(f"error: {terminal(exc.text('en'))}", file=sys.stderr)
        return EXIT_UNRESOLVED
    except ImpactError as exc:
        print(f"error: {terminal(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
