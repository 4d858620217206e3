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
import pandas as pd

from impact.routing.shift import shift_spread
from impact.routing.transit import TransitRouter

#: journey_arrays columns this module needs next to the ones it replaces
NEEDED_COLUMNS = ("out_minutes", "back_minutes", "out_access", "back_access")


def typical_minutes(router: TransitRouter, home_lat, home_lon, site_ids, shift_start, shift_end,
                    journeys: dict[str, np.ndarray], access: tuple | None = None) -> dict[str, np.ndarray]:
    """Typical door-to-door minutes each way and their mean, one value per worker (NaN where none).

    `journeys` is the router's `journey_arrays` answer for the same workers and shifts, with
    at least `NEEDED_COLUMNS`; `access` as in `shift_spread`. Nothing is kept here: the per-comune tables
    (`impact.comune_tables`) keep each shift's answer.
    """
    spread = shift_spread(router, home_lat, home_lon, site_ids, shift_start, shift_end, access=access)
    result = {}
    for way in ("out", "back"):
        best = np.asarray(journeys[f"{way}_minutes"], dtype=float)
        access, names = pd.factorize(np.asarray(journeys[f"{way}_access"], dtype=object))
        direct = np.array([str(name).endswith("-direct") for name in names], dtype=bool)[access]
        typical = spread[f"{way}_typical_min"].to_numpy(dtype=float)
        use = ~direct & np.isfinite(typical) & np.isfinite(best)
        result[f"{way}_minutes"] = np.where(use, np.maximum(typical, best), best)
    result["minutes"] = (result["out_minutes"] + result["back_minutes"]) / 2
    return result


def typical_legs(router: TransitRouter, home_lat: float, home_lon: float, site_id: str,
                 shift_start: int, shift_end: int) -> pd.DataFrame:
    """The legs of the shift's typical runs, the ones the headline's minutes are made of.

    Same columns as `TransitRouter.journey_legs`, which gives the best runs. The typical run
    to work arrives `out_typical_wait_min` before the shift [minutes], so it is the router's
    journey for a shift that starts that much earlier (its arrival margin given back); home,
    the journey for a shift that ends `back_typical_wait_min` later. A walk or ride straight
    to the office keeps its own legs, as in `typical_minutes`.
    """
    spread = shift_spread(router, [home_lat], [home_lon], site_id, shift_start, shift_end).iloc[0]
    best = router.journey_arrays([home_lat], [home_lon], [site_id], shift_start, shift_end)
    rules = router.rules

    def moved(way: str, anchor: int, margin: int, sign: int) -> int:
        wait = float(spread[f"{way}_typical_wait_min"])
        if not np.isfinite(wait) or str(best[f"{way}_access"][0]).endswith("-direct"):
            return anchor
        return int(round(anchor + sign * (wait - margin)))

    start = moved("out", int(shift_start), rules.arrival_margin, -1)
    end = moved("back", int(shift_end), rules.exit_margin, +1)
    # The best runs are the typical ones when neither time moved: their journeys are already here.
    same = (start, end) == (int(shift_start), int(shift_end))
    return router.journey_legs(home_lat, home_lon, site_id, start, end, best if same else None)
