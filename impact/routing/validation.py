"""Published journeys run through the router: how far the timetable model is from the operators'.

`tests/data/published_journeys.csv` lists journeys published by the press and the
operators (origin and destination stations, departure and arrival, the date of the
timetable, the day the model is evaluated on, whether the journey was an input of
the model, the source). `compare` runs each one two ways:

- leave at the published time: the earliest arrival of the model leaving the
  origin at the published departure (waiting included), against the published
  arrival -- an offset in an assumed departure minute shows up here;
- running time: the model's run leaving nearest the published departure, its
  running time against the published one -- the shape of the line.

`summary` gives the figures the README reports: median and 90th percentile of the
absolute error [minutes] and the share within the tolerance, for each way.
``python scripts/validate_timetable.py`` prints them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from impact.clock import hhmm_to_minutes
from impact.routing.gtfs import INF, earliest_arrival, profiles_to

PUBLISHED_JOURNEYS = Path(__file__).resolve().parents[2] / "tests" / "data" / "published_journeys.csv"
TOLERANCE_MIN = 10   # [minutes] the bar: arrival within 10 minutes


def read_journeys(path: Path = PUBLISHED_JOURNEYS) -> pd.DataFrame:
    """The published journeys, one row each (columns as in the CSV)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def compare(journeys: pd.DataFrame, router_for) -> pd.DataFrame:
    """Each journey with the model's answers; `router_for(date)` gives the day's router.

    Added columns: model_arrive [minutes after midnight, NaN if unreached],
    arrive_error [minutes, model - published], model_run_minutes, run_error [minutes].
    """
    out = journeys.copy()
    model_arrive, run_minutes = [], []
    departs = hhmm_to_minutes(journeys["depart"])
    profiles: dict[tuple[str, int], object] = {}   # one profile per (day, destination)
    for row, dep in zip(journeys.itertuples(), departs):
        router = router_for(dt.date.fromisoformat(row.evaluate_on))
        tt = router.timetable
        index = router.stop_lookup[0]
        o, d, dep = index[row.origin], index[row.destination], int(dep)
        arrival, _ = earliest_arrival(tt, [o], [dep])
        model_arrive.append(float(arrival[d]) if arrival[d] < INF else np.nan)
        if (row.evaluate_on, d) not in profiles:
            profiles[row.evaluate_on, d] = profiles_to(tt, {d: 0})
        prof = profiles[row.evaluate_on, d]
        seg = slice(prof.offsets[o], prof.offsets[o + 1])
        deps, arrs = prof.dep[seg], prof.arr[seg]
        if len(deps):
            k = int(np.argmin(np.abs(deps - dep)))
            run_minutes.append(float(arrs[k] - deps[k]))
        else:
            run_minutes.append(np.nan)
    published_arrive = hhmm_to_minutes(journeys["arrive"]).astype(float)
    published_run = published_arrive - departs
    out["model_arrive"] = model_arrive
    out["arrive_error"] = np.array(model_arrive) - published_arrive
    out["model_run_minutes"] = run_minutes
    out["run_error"] = np.array(run_minutes) - published_run
    return out


def summary(compared: pd.DataFrame, tolerance: float = TOLERANCE_MIN) -> dict[str, dict[str, float]]:
    """Median, 90th percentile of |error| [minutes] and share within `tolerance`, per way.

    An unreached journey counts as outside the tolerance (error = inf).
    """
    result = {}
    for way, column in (("leave_at_published_time", "arrive_error"), ("running_time", "run_error")):
        err = np.abs(compared[column].to_numpy(dtype=float))
        err = np.where(np.isnan(err), np.inf, err)
        result[way] = {"journeys": int(len(err)), "median_abs_min": float(np.median(err)),
                       "p90_abs_min": float(np.percentile(err, 90, method="higher")),
                       "share_within": float(np.mean(err <= tolerance))}
    return result
