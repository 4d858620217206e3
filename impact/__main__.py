"""Command line: ``python -m impact places|worker|roster ...``.

Exit codes: 0 answered; 2 the input could not be resolved (the message and the
suggestions go to stderr, or to stdout as JSON with --json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from impact import i18n
from impact.errors import AmbiguousPlace, ImpactError, PlaceError
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import Place, default_gazetteer, destination, load_sites
from impact.report import worker_pdf, worker_pdf_inputs
from impact.results import code_text, headline_text, routing_note_text, shift_notes
from impact.roster_cli import add_roster_parser
from impact.routing.car import default_router

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


def _hhmm(text: str) -> int:
    """'07:30' -> 450 minutes after midnight."""
    try:
        hours, minutes = text.split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time like 09:00") from None
    if not 0 <= value < 24 * 60:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time of day")
    return value


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
    r = evaluate(worker, scenario, default_parameters(), on, default_gazetteer(), sites, default_router()).iloc[0]

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
                         "last_leave_site": None if np.isnan(last) else f"{int(last) // 60 % 24:02d}:{int(last) % 60:02d}",
                         "inps_minutes": round(float(r["inps_minutes"]), 1), "inps_basis": r["inps_basis"]})
        return trip

    lang = args.lang
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
        args.pdf.write_bytes(worker_pdf(r.to_dict(), labels, default_parameters(), on, lang))
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
    }


def cmd_worker(args: argparse.Namespace) -> int:
    result = worker_result(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
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
    worker.add_argument("--site", required=True, choices=["ivrea", "asti"], help="current office")
    worker.add_argument("--hours-per-day", type=float, default=6.0, help="contract hours a day (default 6)")
    worker.add_argument("--days-per-week", type=float, default=5.0, help="days worked a week (default 5)")
    worker.add_argument("--shift-start", type=_hhmm, help="shift start, HH:MM (used by public transport)")
    worker.add_argument("--shift-end", type=_hhmm, help="shift end, HH:MM (used by public transport)")
    worker.add_argument("--net-monthly", type=float, help="take-home pay, EUR a month")
    worker.add_argument("--fuel-price", type=float, help="petrol price, EUR a litre")
    worker.add_argument("--json", action="store_true", help="print JSON")
    worker.add_argument("--pdf", type=Path, metavar="FILE", help="also write the page's one-page PDF to FILE")
    worker.add_argument("--lang", choices=["it", "en"], default="it", help="language of the text and PDF (default it)")
    worker.set_defaults(run=cmd_worker)
    add_roster_parser(commands)
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
