"""The legs of one worker's journeys: which vehicles, from where to where, at what time.

The router's profiles keep, for each journey, only the connection boarded first and
the number of vehicles; `rebuild_rides` follows the trips from there, changing where
the remaining journey continues, to list the rides for the worker page, the journey
command and the INPS evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impact.routing.gtfs import Profiles, Timetable
from impact.routing.transit.timetable import route_source

if TYPE_CHECKING:
    from impact.routing.transit.router import TransitRouter

LEG_COLUMNS = ["direction", "kind", "from_id", "from_name", "to_id", "to_name", "depart", "arrive", "line",
               "assumed", "source"]


def journey_legs(router: TransitRouter, home_lat: float, home_lon: float, site_id: str,
                 shift_start, shift_end, journeys: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """The legs of one worker's journeys to work and home, for the worker page.

    Columns: direction ("out"/"back"), kind ("access", "ride", "walk"), from_id,
    from_name, to_id, to_name, depart, arrive [minutes after midnight], line,
    assumed (a ride whose minute rests on an assumed pattern), source (the ride's
    service source, "title (address)"; "" for walks). `journeys`: the router's `journey_arrays`
    answer for this one worker and shift, when the caller has it already.
    """
    if journeys is None:
        journeys = router.journey_arrays([home_lat], [home_lon], [site_id], shift_start, shift_end)
    j = {column: values[0] for column, values in journeys.items()}
    fwd, bwd, raw = router.profiles(site_id)
    tt, rev = router.timetable, router.reverse
    walk = router.egress(site_id)
    index, names = router.stop_lookup
    site = router.sites[site_id]
    legs: list[dict] = []
    if j["out_feasible"]:
        if j["out_station"]:
            s = index[j["out_station"]]
            p = int(fwd.latest_by([s], [j["out_arrive_site"]])[0])
            legs.append(_leg("out", "access", "home", "home", j["out_station"], names[j["out_station"]],
                             j["out_leave_home"], j["out_leave_home"] + j["out_access_min"], j["out_access"]))
            rides, last_stop, last_time = rebuild_rides(tt, fwd, p, walk)
            legs += [dict(r, direction="out") for r in rides]
            legs.append(_leg("out", "walk", tt.stop_ids[last_stop], names[tt.stop_ids[last_stop]], site_id,
                             site.name, last_time, last_time + walk[last_stop], "walk"))
        else:
            legs.append(_leg("out", "access", "home", "home", site_id, site.name, j["out_leave_home"],
                             j["out_arrive_site"], j["out_access"]))
    if j["back_feasible"]:
        if j["back_station"]:
            s = index[j["back_station"]]
            q = int(bwd.earliest_after([s], [j["back_leave_site"]])[0])
            raw_q = int(bwd.offsets[s + 1] - 1 - (q - bwd.offsets[s]))
            rides, last_stop, last_time = rebuild_rides(rev, raw, raw_q, walk)
            legs.append(_leg("back", "walk", site_id, site.name, rev.stop_ids[last_stop],
                             names[rev.stop_ids[last_stop]], -last_time - walk[last_stop], -last_time, "walk"))
            for r in reversed(rides):  # back to forward time
                legs.append(dict(r, direction="back", from_id=r["to_id"], from_name=r["to_name"],
                                 to_id=r["from_id"], to_name=r["from_name"], depart=-r["arrive"],
                                 arrive=-r["depart"]))
            legs.append(_leg("back", "access", j["back_station"], names[j["back_station"]], "home", "home",
                             j["back_arrive_home"] - j["back_access_min"], j["back_arrive_home"],
                             j["back_access"]))
        else:
            legs.append(_leg("back", "access", site_id, site.name, "home", "home", j["back_leave_site"],
                             j["back_arrive_home"], j["back_access"]))
    for leg in legs:
        info = router.route_info.iloc[leg["route"]] if "route" in leg and len(router.route_info) else None
        leg["assumed"] = bool(info["assumed"]) if info is not None else False
        leg["source"] = route_source(info) if info is not None else ""
    return pd.DataFrame(legs, columns=LEG_COLUMNS)


def _leg(direction, kind, from_id, from_name, to_id, to_name, depart, arrive, line) -> dict:
    return {"direction": direction, "kind": kind, "from_id": str(from_id), "from_name": str(from_name),
            "to_id": str(to_id), "to_name": str(to_name), "depart": float(depart), "arrive": float(arrive),
            "line": str(line)}


def rebuild_rides(tt: Timetable, prof: Profiles, p: int, walk: dict[int, int]) -> tuple[list[dict], int, int]:
    """The rides of the journey behind profile pair `p`: (legs, last stop, arrival there [minutes]).

    `walk` maps the stops from which the office is walked to onto the walk [minutes].
    """
    rides = []
    target, legs_left = int(prof.arr[p]), int(prof.legs[p])
    c = int(prof.enter[p])
    while True:
        trip = int(tt.trip[c])
        end = int(tt.trip_offsets[trip + 1])
        exit_c, next_p = end - 1, -1
        for j in range(c, end):
            a, ta = int(tt.arr_stop[j]), int(tt.arr_time[j])
            if legs_left == 1:
                if a in walk and ta + walk[a] == target:
                    exit_c = j
                    break
            else:
                q = int(prof.earliest_after([a], [ta + int(tt.change_min[a])])[0])
                if q >= 0 and prof.arr[q] == target and prof.legs[q] == legs_left - 1:
                    exit_c, next_p = j, q
                    break
        rides.append({"kind": "ride", "from_id": tt.stop_ids[tt.dep_stop[c]], "from_name": tt.stop_names[tt.dep_stop[c]],
                      "to_id": tt.stop_ids[tt.arr_stop[exit_c]], "to_name": tt.stop_names[tt.arr_stop[exit_c]],
                      "depart": float(tt.dep_time[c]), "arrive": float(tt.arr_time[exit_c]),
                      "line": str(tt.route_names[tt.trip_route[trip]]), "route": int(tt.trip_route[trip])})
        if next_p < 0 or legs_left <= 1:
            return rides, int(tt.arr_stop[exit_c]), int(tt.arr_time[exit_c])
        c, legs_left = int(prof.enter[next_p]), legs_left - 1
