"""The journeys behind a worker's INPS 80-minute figure, as a table anyone can check.

INPS message 369/2018 counts a transfer when the new office is reachable "on average
in 80 minutes or more by public transport". `TransitRouter.inps_arrays` computes that
average over every Pareto-optimal weekday journey arriving in the INPS window with
walking access; `inps_journey_table` lists exactly those journeys, leg by leg, with
the source of every service and the validity of the timetable it rests on, so that
the figure can be shown as evidence (worker page, CSV, the evidence-pack PDF).

Columns of `inps_journey_table` (one row per journey, in order of departure):

    leave_home        [minutes after midnight] leaving home (walk to the station included)
    depart            [minutes after midnight] departure of the first vehicle
    arrive            [minutes after midnight] arrival at the office (walk included)
    minutes           [minutes] leave_home -> arrive: the journey's part of the average
    station           where the first vehicle is boarded (name)
    changes           vehicles - 1
    legs              the rides in words: "06:41-07:25 RV Ivrea - Torino Porta Nuova (Ivrea -> Torino Porta Susa); ..."
    lines             the lines ridden, "; "-separated
    sources           the sources of the services ridden: "title (address)", " | "-separated
    assumed           True when a ride's minute rests on an assumed pattern
    valid_from        first day the journey's services and dated changes hold ("" = no stated start)
    valid_to          last day they hold ("" = until further notice)
    timetable         "timetable-model" or "gtfs"
    evaluated_on      the day whose timetable was used (YYYY-MM-DD)

The mean of ``minutes`` equals ``inps_minutes`` whenever the figure comes from
journeys (``inps_access`` "walk" or "car"); when walking to the office is quicker
the table holds that one walk.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impact.clock import hhmm
from impact.routing.inps import inps_runs
from impact.routing.transit import TransitRouter, rebuild_rides, route_source

INPS_JOURNEY_COLUMNS = ["leave_home", "depart", "arrive", "minutes", "station", "changes", "legs", "lines",
                        "sources", "assumed", "valid_from", "valid_to", "timetable", "evaluated_on"]


def _validity(router: TransitRouter, routes: list[int]) -> tuple[str, str]:
    """The days on which every service ridden (and every dated change it belongs to) holds."""
    starts, ends = [], []
    changes = router.network.changes.set_index("change_id") if len(router.network.changes) else None
    service_change = router.network.services.set_index("service_id")["change"]
    for route in routes:
        info = router.route_info.iloc[route]
        if info["valid_from"]:
            starts.append(info["valid_from"])
        if info["valid_to"]:
            ends.append(info["valid_to"])
        if info["change"] and changes is not None and info["change"] in changes.index:
            change = changes.loc[info["change"]]
            # A normal service suspended by a change ("!C") holds outside it; only the
            # services of the change itself are bounded by its dates.
            if service_change.loc[info["service_id"]] == info["change"]:
                if change["valid_from"]:
                    starts.append(change["valid_from"])
                if change["valid_to"]:
                    ends.append(change["valid_to"])
    return (max(starts) if starts else ""), (min(ends) if ends else "")


def inps_journey_table(router: TransitRouter, home_lat: float, home_lon: float, site_id: str = "torino") -> pd.DataFrame:
    """Every journey in the worker's INPS average (columns in the module docstring)."""
    figure = {name: values[0] for name, values in router.inps_arrays([home_lat], [home_lon], site_id).items()}
    on = router.on.isoformat()
    if figure["inps_access"] == "walk-direct":
        minutes = float(figure["inps_minutes"])
        return pd.DataFrame([{"leave_home": np.nan, "depart": np.nan, "arrive": np.nan, "minutes": minutes,
                              "station": "", "changes": 0, "legs": "walk", "lines": "", "sources": "",
                              "assumed": False, "valid_from": "", "valid_to": "",
                              "timetable": router.timetable.source, "evaluated_on": on}], columns=INPS_JOURNEY_COLUMNS)
    fwd, _, _ = router.profiles(site_id)
    runs = inps_runs(router, [home_lat], [home_lon], site_id)
    if not len(runs.pair):
        return pd.DataFrame(columns=INPS_JOURNEY_COLUMNS)
    walk = router.egress(site_id)
    tt = router.timetable
    rows = []
    for stop, pair, leave, arrive in zip(runs.stop, runs.pair, runs.leave, runs.arrive):   # by arrival and leaving
        rides, _, _ = rebuild_rides(tt, fwd, pair, walk)
        routes = [r["route"] for r in rides]
        info = [router.route_info.iloc[r] for r in routes]
        valid_from, valid_to = _validity(router, routes)
        rows.append({
            "leave_home": float(leave), "depart": float(fwd.dep[pair]), "arrive": float(arrive),
            "minutes": float(arrive - leave), "station": str(tt.stop_names[stop]),
            "changes": max(len(rides) - 1, 0),
            "legs": "; ".join(f"{hhmm(r['depart'], wrap=False)}-{hhmm(r['arrive'], wrap=False)} {r['line']} "
                              f"({r['from_name']} -> {r['to_name']})" for r in rides),
            "lines": "; ".join(dict.fromkeys(r["line"] for r in rides)),
            "sources": " | ".join(dict.fromkeys(route_source(x) for x in info)),
            "assumed": any(bool(x["assumed"]) for x in info),
            "valid_from": valid_from, "valid_to": valid_to,
            "timetable": tt.source, "evaluated_on": on,
        })
    return pd.DataFrame(rows, columns=INPS_JOURNEY_COLUMNS)


# --------------------------------------------------------------------------- the timetable itself

TIMETABLE_COLUMNS = ["service_id", "line", "direction", "runs", "valid_from", "valid_to", "change", "in_force",
                     "assumed", "note", "source_title", "source_url"]


def timetable_overview(router: TransitRouter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The model's validity and assumptions, for the method page.

    Returns (changes, services). changes: change_id, name, valid_from, valid_to
    ("" = until further notice), in_force (on the router's day), source_title,
    source_url, note. services: one row per service of ``data/transit/services.csv``
    (columns `TIMETABLE_COLUMNS`): ``runs`` the explicit departures or the pattern
    ("first-last every peak/off-peak min"), ``in_force`` whether it runs on the
    router's day, ``assumed`` whether its minutes rest on an assumed pattern.
    """
    from impact.routing.transit import service_runs_on

    network = router.network
    changes = network.changes.copy()
    changes["in_force"] = changes["change_id"].isin(router.changes_active)
    services = network.services
    lines = dict(zip(network.lines["line_id"], network.lines["name"]))
    active = service_runs_on(services, router.on, frozenset(router.changes_active))
    runs = np.where(services["departures"].str.strip() != "", services["departures"],
                    services["first"] + "-" + services["last"] + " every " + services["peak_interval"] + "/"
                    + services["offpeak_interval"] + " min")
    table = pd.DataFrame({
        "service_id": services["service_id"], "line": services["line_id"].map(lines),
        "direction": services["direction"], "runs": runs, "valid_from": services["valid_from"],
        "valid_to": services["valid_to"], "change": services["change"], "in_force": active,
        "assumed": services["assumption"].str.strip() == "1", "note": services["note"],
        "source_title": services["source_title"], "source_url": services["source_url"]})
    return changes[["change_id", "name", "valid_from", "valid_to", "in_force", "source_title", "source_url", "note"]], \
        table[TIMETABLE_COLUMNS]
