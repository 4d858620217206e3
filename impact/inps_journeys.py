"""The journeys behind one worker's INPS 80-minute average, as a table (for the evidence pack).

`TransitRouter.inps_arrays` gives the average; this lists every journey it averages, with
its departure, arrival, lines and changes. It walks the same selection as the router
(journeys arriving within the INPS window, walking access where a station is in reach,
the Pareto filter) for one home, then names each journey's rides with the router's own
leg builder. A test checks that the mean of this table equals the router's figure, so
the two cannot drift apart. (Issue 13 exposes the same table from the router; at merge
this module's one function becomes a call to it.)

Columns of `inps_journeys()`: leave_home, board, arrive [minutes after midnight],
minutes (leave home -> arrive at the office), changes, lines ("; "-joined), access
("walk", "car"), station (where the first vehicle is boarded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impact.routing.transit import TransitRouter, _rebuild

COLUMNS = ("leave_home", "board", "arrive", "minutes", "changes", "lines", "access", "station")


def inps_journeys(router: TransitRouter, home_lat: float, home_lon: float, site_id: str = "torino") -> pd.DataFrame:
    """Every journey the INPS average of this home rests on, earliest first (module docstring)."""
    fwd, _, _ = router.profiles(site_id)
    w0, w1 = router.rules.inps_window
    idx, amin, _, walk_min = router.access([home_lat], [home_lon])
    idx, amin, walk_min = idx[0], amin[0], walk_min[0]
    any_walk = np.isfinite(walk_min).any()
    access = walk_min if any_walk else amin
    rows = []
    for station, minutes in zip(idx, access):
        if not np.isfinite(minutes):
            continue
        for p in range(int(fwd.offsets[station]), int(fwd.offsets[station + 1])):
            arrive = int(fwd.arr[p])
            if w0 <= arrive <= w1:
                rows.append((float(fwd.dep[p] - minutes), arrive, p, int(station)))
    # The Pareto filter: drop a journey when another arrives no later and leaves home no earlier.
    rows.sort(key=lambda r: (r[1], -r[0]))
    kept, latest_leave = [], -np.inf
    for leave, arrive, p, station in rows:
        if leave > latest_leave:
            kept.append((leave, arrive, p, station))
            latest_leave = leave
    tt, walk = router.timetable, router.egress(site_id)
    table = []
    for leave, arrive, p, station in kept:
        rides, _, _ = _rebuild(tt, fwd, p, walk)
        table.append({"leave_home": leave, "board": float(fwd.dep[p]), "arrive": float(arrive),
                      "minutes": float(arrive - leave), "changes": len(rides) - 1,
                      "lines": "; ".join(r["line"] for r in rides), "access": "walk" if any_walk else "car",
                      "station": str(tt.stop_names[station])})
    return pd.DataFrame(table, columns=list(COLUMNS)).sort_values("leave_home", ignore_index=True)
