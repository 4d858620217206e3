"""The headline's public-transport minutes: the shift's typical run, not its best one (issue 13).

`TransitRouter.journey_arrays` answers with the best run each way (the latest departure
that still arrives in time; the earliest arrival home). A worker does not plan on the
best run: over the runs she could reasonably take (`impact.routing.shift`), the headline
uses the typical one, the median door-to-door time. Where the journey is a walk or a
ride straight to the office (no timetable, access mode ending in "-direct") or no run
falls in the window, the journey's own minutes stay.

    out_minutes, back_minutes   [minutes] door to door, leaving home -> shift start and
                                shift end -> home, the wait at the office included
    minutes                     [minutes] their mean, the figure the headline and the
                                hours a month are made of
"""

from __future__ import annotations

import numpy as np

from impact.routing.shift import shift_spread
from impact.routing.transit import TransitRouter

#: journey_arrays columns this module needs next to the ones it replaces
NEEDED_COLUMNS = ("out_minutes", "back_minutes", "out_access", "back_access")


def typical_minutes(router: TransitRouter, home_lat, home_lon, site_ids, shift_start, shift_end,
                    journeys: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Typical door-to-door minutes each way and their mean, one value per worker (NaN where none).

    `journeys` is the router's `journey_arrays` answer for the same workers and shifts, with
    at least `NEEDED_COLUMNS`. Homes are comune centres, so the spread is computed once per
    distinct (home, office, shift) by `shift_spread`.
    """
    spread = shift_spread(router, home_lat, home_lon, site_ids, shift_start, shift_end)
    result = {}
    for way in ("out", "back"):
        best = np.asarray(journeys[f"{way}_minutes"], dtype=float)
        direct = np.char.endswith(np.asarray(journeys[f"{way}_access"], dtype=str), "-direct")
        typical = spread[f"{way}_typical_min"].to_numpy(dtype=float)
        use = ~direct & np.isfinite(typical) & np.isfinite(best)
        result[f"{way}_minutes"] = np.where(use, np.maximum(typical, best), best)
    result["minutes"] = (result["out_minutes"] + result["back_minutes"]) / 2
    return result
