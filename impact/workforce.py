"""A modelled workforce for when there is no roster: a gravity model over the comuni, not data.

`modelled_workforce` places each closing office's headcount over the comuni around it
(population times exp(-decay x car minutes), within a radius) and gives the workers the
part-time mix the unions reported. Its parameters are in ``data/parameters/workforce/``;
the decay and the radius are labelled assumptions. Every modelled row carries
``modelled=True``: it is a model, never data. The columns are the roster's
(`impact.roster.WORKER_COLUMNS`), so a modelled workforce goes wherever a roster goes.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Mapping

import numpy as np
import pandas as pd

from impact.errors import ParameterError
from impact.model import DEFAULTS as MODEL_DEFAULTS
from impact.params import Parameters
from impact.places import Gazetteer, Site
from impact.roster.columns import BOOL_FIELDS, COUNT_FIELDS, WORKER_COLUMNS
from impact.routing.estimate import estimate, load_model

ISTAT_BANDS = (("up_to_15_min", 0, 15), ("from_16_to_30_min", 15, 30), ("from_31_to_45_min", 30, 45),
               ("over_45_min", 45, math.inf))   # (parameter, above [min], up to [min])


def _value(params: Parameters, path: str, on: dt.date) -> float:
    return float(params.value(f"workforce.{path}", on))


def gravity_weights(sites: Mapping[str, Site], gazetteer: Gazetteer, params: Parameters, on: dt.date, *,
                    decay_per_minute: float | None = None, max_minutes: float | None = None) -> pd.DataFrame:
    """Expected workers of each closing office by home comune: a gravity model, not data.

    weight = population x exp(-decay x minutes) for comuni within `max_minutes` by car
    (offline estimate, one way, at least `min_minutes`); each office's headcount is shared
    in proportion to the weights and rounded to whole workers by largest remainder.
    `decay_per_minute` [1/min] and `max_minutes` [min] replace the parameters when given.

    Columns: site, home_istat, population, minutes [min, one way], weight,
    expected_workers (fractional), workers (whole); only comuni with a weight are listed.
    """
    decay = _value(params, "gravity.decay_per_minute", on) if decay_per_minute is None else decay_per_minute
    radius = _value(params, "gravity.max_minutes", on) if max_minutes is None else max_minutes
    floor = _value(params, "gravity.min_minutes", on)
    if decay < 0 or radius <= floor:
        raise ParameterError(f"gravity model: decay {decay} must be >= 0 and max_minutes {radius} above {floor}")
    car = load_model(params, on)
    places = gazetteer.places
    lat, lon = gazetteer.points([p.istat for p in places]).T
    population = np.array([p.population for p in places], dtype=float)
    frames = []
    for site in (s for s in sites.values() if not s.is_destination):
        minutes = np.maximum(estimate(car, lat, lon, site.lat, site.lon).minutes, floor)
        weight = np.where(minutes <= radius, population * np.exp(-decay * minutes), 0.0)
        keep = weight > 0
        expected = site.headcount * weight[keep] / weight[keep].sum()
        frame = pd.DataFrame({"site": site.id, "home_istat": [p.istat for p, k in zip(places, keep) if k],
                              "population": population[keep].astype(int), "minutes": minutes[keep],
                              "weight": weight[keep], "expected_workers": expected})
        frame["workers"] = _largest_remainder(expected, site.headcount, tiebreak=-frame["population"].to_numpy())
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _largest_remainder(expected: np.ndarray, total: int, tiebreak: np.ndarray) -> np.ndarray:
    """Whole numbers adding up to `total`, each the floor of `expected` or one more (Hamilton)."""
    whole = np.floor(expected).astype(int)
    left = int(total - whole.sum())
    order = np.lexsort((tiebreak, -(expected - whole)))   # biggest remainder first, then the tie-break
    whole[order[:left]] += 1
    return whole


def hours_mix(params: Parameters, on: dt.date) -> dict[float, float]:
    """Share of workers by hours a day: the part-timers over 4, 5, 6 h, the rest full-time."""
    part_time = _value(params, "profile.part_time_share", on)
    split = {h: _value(params, f"profile.part_time_{h}h_share", on) for h in (4, 5, 6)}
    if not 0 <= part_time <= 1 or abs(sum(split.values()) - 1) > 1e-3:
        raise ParameterError("workforce.profile: part_time_share must be within 0-1 and the 4/5/6 h shares add to 1")
    mix = {float(h): part_time * s / sum(split.values()) for h, s in split.items()}
    mix[float(params.value("work.pay_defaults.full_time_hours_per_day", on))] = 1 - part_time
    return mix


def modelled_workforce(sites: Mapping[str, Site], gazetteer: Gazetteer, params: Parameters, on: dt.date,
                       seed: int = 0, *, decay_per_minute: float | None = None,
                       max_minutes: float | None = None) -> pd.DataFrame:
    """A workforce for when there is no roster: one row per modelled worker, `modelled=True`.

    Homes come from `gravity_weights`; hours a day follow `hours_mix` exactly per office
    (whole workers by largest remainder), and `seed` only decides which modelled worker
    gets which hours, so the same seed always gives the same table. Days a week are the
    profile's; pay, car, tolls, shifts, household and housing are left to the model's
    defaults (a shift from 09:00, a car, a household of two, no children to look after).
    """
    homes = gravity_weights(sites, gazetteer, params, on, decay_per_minute=decay_per_minute,
                            max_minutes=max_minutes)
    mix = hours_mix(params, on)
    classes = np.array(sorted(mix))
    rng = np.random.default_rng(seed)
    parts = []
    for site_id, group in homes.groupby("site", sort=False):
        n = int(group["workers"].sum())
        counts = _largest_remainder(n * np.array([mix[h] for h in classes]), n, tiebreak=-classes)
        parts.append(pd.DataFrame({"site": site_id,
                                   "home_istat": np.repeat(group["home_istat"].to_numpy(), group["workers"]),
                                   "hours_per_day": rng.permutation(np.repeat(classes, counts))}))
    workers = pd.concat(parts, ignore_index=True)
    n = len(workers)
    workers["days_per_week"] = _value(params, "profile.days_per_week", on)
    for name in ("net_monthly_eur", "gross_monthly_eur", "tolls_eur_per_day", "shift_start_min", "shift_end_min",
                 "housing_now_eur_month"):
        workers[name] = np.full(n, np.nan)
    for name in BOOL_FIELDS:
        workers[name] = np.full(n, bool(MODEL_DEFAULTS[name]))
    for name in COUNT_FIELDS:
        workers[name] = np.full(n, float(MODEL_DEFAULTS.get(name, 0)))
    workers["line"] = pd.array([pd.NA] * n, dtype="Int64")
    workers["modelled"] = True
    workers = workers[list(WORKER_COLUMNS)]
    workers.attrs["modelled"] = True
    return workers


def commute_time_shares(homes: pd.DataFrame) -> dict[str, float]:
    """Share of modelled workers in each of ISTAT's commuting-time bands, from `gravity_weights`."""
    expected = homes["expected_workers"].to_numpy()
    minutes = homes["minutes"].to_numpy()
    total = expected.sum()
    return {name: float(expected[(minutes > low) & (minutes <= high)].sum() / total)
            for name, low, high in ISTAT_BANDS}
