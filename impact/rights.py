"""Worker rights on the transfer: the INPS 50 km / 80 minute rule and a NASpI estimate.

INPS message 369/2018 treats the end of employment as involuntary (so NASpI is paid) when a
worker refuses a transfer to a site more than 50 km from home, or reachable in 80 minutes
or more on average by public transport; the Tribunale di Torino (429/2023) and the Corte
d'Appello di Firenze (258/2023) extended it to resignation for just cause. The message does
not say whether the 50 km are by road or as the crow flies, so both are checked, and a case
within a stated margin of either threshold is called borderline rather than decided.

Statuses are the strings in `STATUSES`; the user interface translates them.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Sequence

import numpy as np

from impact.checks import number_array
from impact.calendar import WEEKS_PER_YEAR
from impact.errors import ParameterError, RightsInputError
from impact.params import Parameters

ArrayLike = float | int | Sequence[float] | np.ndarray

YES, BORDERLINE, NO = "yes", "borderline", "no"
STATUSES = (YES, BORDERLINE, NO)

TRANSFER_RULE_COLUMNS = {
    "over_50km_road": "road distance home -> new site above 50 km",
    "over_50km_straight_line": "straight-line distance above 50 km",
    "over_50km": "either distance above 50 km (what the rule's wording allows)",
    "distance_status": "yes / borderline / no, allowing for the margin and the road-or-straight question",
    "over_80min_transit": "public-transport time 80 minutes or more (no service counts as over)",
    "transit_status": "yes / borderline / no, allowing for the margin",
    "status": "yes if either criterion is clearly met, no if neither can be, else borderline",
}

NASPI_COLUMNS = {
    "average_monthly_pay_eur": "average monthly pay subject to contributions, last four years [EUR/month]",
    "naspi_monthly_eur": "NASpI for the first months, before tax [EUR/month]",
    "duration_months": "months NASpI is paid",
    "reduction_from_month": "first month with the 3 % monthly reduction",
    "naspi_total_eur": "NASpI over the whole duration, before tax [EUR]",
}


_as_array = partial(number_array, error=RightsInputError)


# --------------------------------------------------------------------------- the 50 km / 80 minute rule


def transfer_rule(road_km: ArrayLike, straight_line_km: ArrayLike, transit_minutes: ArrayLike,
                  params: Parameters, on: dt.date) -> dict[str, np.ndarray]:
    """Whether the INPS transfer rule covers each worker, for the new site.

    Parameters
    ----------
    road_km : road distance home -> new site [km]; NaN when unknown (then only the straight line counts).
    straight_line_km : straight-line distance home -> new site [km].
    transit_minutes : average one-way public-transport time [min]; ``inf`` when no service
        fits the shift (counted as over 80), NaN when unknown (borderline).

    Returns
    -------
    The columns of `TRANSFER_RULE_COLUMNS` as arrays, one value per worker.
    """
    straight = _as_array(straight_line_km, "straight_line_km")
    road = _broadcast(_as_array(road_km, "road_km", allow_nan=True), len(straight), "road_km")
    minutes = _broadcast(_as_array(transit_minutes, "transit_minutes", allow_nan=True, allow_inf=True),
                         len(straight), "transit_minutes")
    if np.any(road < straight - 1e-6):
        raise RightsInputError("a road distance is shorter than the straight line: check the inputs")
    limit_km = float(params.value("rights.inps_transfer.max_distance_km", on))
    limit_min = float(params.value("rights.inps_transfer.max_public_transport_minutes", on))
    margin_km = float(params.value("rights.inps_transfer.borderline_margin_km", on))
    margin_min = float(params.value("rights.inps_transfer.borderline_margin_minutes", on))

    # "More than 50 km": strictly above. The road is never shorter than the straight line,
    # so the longest known measure decides "yes", the shortest "no".
    longest = np.where(np.isnan(road), straight, road)
    over_road = road > limit_km
    over_straight = straight > limit_km
    distance_yes, distance_no = straight > limit_km + margin_km, longest <= limit_km - margin_km
    # "80 minutes or more": at or above. No service at all is beyond any time.
    known = ~np.isnan(minutes)
    over_transit = known & (minutes >= limit_min)
    transit_yes, transit_no = known & (minutes >= limit_min + margin_min), known & (minutes < limit_min - margin_min)
    return {
        "over_50km_road": over_road,
        "over_50km_straight_line": over_straight,
        "over_50km": over_road | over_straight,
        "distance_status": _status(distance_yes, distance_no),
        "over_80min_transit": over_transit,
        "transit_status": _status(transit_yes, transit_no),
        # Covered if either measure clearly is; not covered only if both clearly are not.
        "status": _status(distance_yes | transit_yes, distance_no & transit_no),
    }


_STATUS_TEXT = np.array([BORDERLINE, YES, NO], dtype=object)


def _status(clearly_yes: np.ndarray, clearly_no: np.ndarray) -> np.ndarray:
    """Each worker's status: yes, no, or borderline where neither is clear (never both)."""
    # Position 1 if clearly yes, 2 if clearly no, else 0: one pick from the texts (object arrays are slow to build).
    return _STATUS_TEXT[clearly_yes + 2 * clearly_no]


# --------------------------------------------------------------------------- NASpI


def naspi_average_monthly_pay_eur(taxable_pay_4y_eur: ArrayLike, contribution_weeks_4y: ArrayLike,
                                  params: Parameters, on: dt.date) -> np.ndarray:
    """Average monthly pay for NASpI [EUR/month]: pay of the last four years / weeks x 4.33."""
    pay = _as_array(taxable_pay_4y_eur, "taxable_pay_4y_eur")
    weeks = _broadcast(_as_array(contribution_weeks_4y, "contribution_weeks_4y"), len(pay), "contribution_weeks_4y")
    if np.any(weeks <= 0):
        raise RightsInputError("contribution_weeks_4y must be positive")
    return pay / weeks * float(params.value("rights.naspi.weeks_per_month", on))


def naspi_monthly_eur(average_monthly_pay_eur: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """NASpI of the first months, before tax [EUR/month].

    75 % of average monthly pay up to the reference amount, plus 25 % of the part above it,
    capped at the yearly maximum (2026: reference 1,456.72, maximum 1,584.70).
    """
    pay = _as_array(average_monthly_pay_eur, "average_monthly_pay_eur")
    reference = float(params.value("rights.naspi.reference_monthly_eur", on))
    maximum = float(params.value("rights.naspi.max_monthly_eur", on))
    base = float(params.value("rights.naspi.replacement_rate", on)) * np.minimum(pay, reference)
    excess = float(params.value("rights.naspi.excess_rate", on)) * np.maximum(pay - reference, 0.0)
    return np.minimum(base + excess, maximum)


def naspi_reduction_from_month(age_at_claim: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """First month of benefit with the 3 % reduction (2026: the 6th, the 8th from age 55) [month]."""
    age = _as_array(age_at_claim, "age_at_claim")
    younger = int(params.value("rights.naspi.reduction_from_month", on))
    try:
        older = int(params.value("rights.naspi.reduction_from_month_older", on))
        older_age = float(params.value("rights.naspi.older_age", on))
    except ParameterError:  # before 2022 there was no later start for older claimants
        return np.full(len(age), younger)
    return np.where(age >= older_age, older, younger)


def naspi_in_month_eur(initial_monthly_eur: ArrayLike, month: ArrayLike, age_at_claim: ArrayLike,
                       params: Parameters, on: dt.date) -> np.ndarray:
    """NASpI paid in benefit month `month` (1 = first) [EUR/month].

    From the first day of the reduction month each month pays 3 % less than the month before.
    """
    initial, months, ages = (_as_array(initial_monthly_eur, "initial_monthly_eur"), _as_array(month, "month"),
                             _as_array(age_at_claim, "age_at_claim"))
    n = max(len(initial), len(months), len(ages))
    initial, months = _broadcast(initial, n, "initial_monthly_eur"), _broadcast(months, n, "month")
    if np.any(months < 1):
        raise RightsInputError("benefit months are counted from 1")
    start = _broadcast(naspi_reduction_from_month(ages, params, on), n, "age_at_claim")
    reduction = float(params.value("rights.naspi.monthly_reduction", on))
    reduced_months = np.maximum(np.floor(months) - start + 1, 0)
    return initial * (1 - reduction) ** reduced_months


def naspi_duration_months(contribution_weeks_4y: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """Months of NASpI: half the contribution weeks of the last four years, at most 24 months [months].

    Zero below the 13 weeks needed to qualify.
    """
    weeks = _as_array(contribution_weeks_4y, "contribution_weeks_4y")
    share = float(params.value("rights.naspi.duration_share", on))
    per_month = float(params.value("rights.naspi.weeks_per_month", on))
    longest = float(params.value("rights.naspi.max_duration_months", on))
    qualifies = weeks >= float(params.value("rights.naspi.min_contribution_weeks", on))
    return np.where(qualifies, np.minimum(weeks * share / per_month, longest), 0.0)


def naspi_estimate(gross_annual_eur: ArrayLike, params: Parameters, on: dt.date, *,
                   age_at_claim: ArrayLike | None = None,
                   contribution_weeks_4y: ArrayLike | None = None) -> dict[str, np.ndarray]:
    """NASpI for workers paid `gross_annual_eur` [EUR/year] for the last four years.

    Assumes steady pay and every week covered (``rights.naspi.lookback_years`` of 52 weeks,
    208, unless given); part-time pay below INPS's weekly minimum can credit fewer weeks,
    which this estimate does not model. Without `age_at_claim` [years] the stated assumption
    ``rights.naspi.assumed_age_at_claim`` is used.

    Returns
    -------
    The columns of `NASPI_COLUMNS` as arrays, one value per worker.
    """
    gross = _as_array(gross_annual_eur, "gross_annual_eur")
    n = len(gross)
    if contribution_weeks_4y is None:
        contribution_weeks_4y = float(params.value("rights.naspi.lookback_years", on)) * WEEKS_PER_YEAR
    if age_at_claim is None:
        age_at_claim = float(params.value("rights.naspi.assumed_age_at_claim", on))
    weeks = _broadcast(_as_array(contribution_weeks_4y, "contribution_weeks_4y"), n, "contribution_weeks_4y")
    average = naspi_average_monthly_pay_eur(gross * weeks / WEEKS_PER_YEAR, weeks, params, on)
    initial = naspi_monthly_eur(average, params, on)
    duration = naspi_duration_months(weeks, params, on)
    start = _broadcast(naspi_reduction_from_month(age_at_claim, params, on), n, "age_at_claim")
    return {
        "average_monthly_pay_eur": average,
        "naspi_monthly_eur": np.where(duration > 0, initial, 0.0),
        "duration_months": duration,
        "reduction_from_month": start,
        "naspi_total_eur": _naspi_total(initial, duration, start,
                                        float(params.value("rights.naspi.monthly_reduction", on))),
    }


def _naspi_total(initial: np.ndarray, duration: np.ndarray, start: np.ndarray, reduction: float) -> np.ndarray:
    """Sum over benefit months, the last one paid pro rata; vectorized over workers and months."""
    months = np.arange(1, int(np.ceil(duration.max(initial=0.0))) + 1)
    # The reduction factors depend on the month it starts alone, which workers share: each is raised once.
    starts, start_of = np.unique(start, return_inverse=True)
    factor = ((1 - reduction) ** np.maximum(months[None, :] - starts[:, None] + 1, 0))[start_of.ravel()]
    paid_share = np.clip(duration[:, None] - (months[None, :] - 1), 0.0, 1.0)
    return np.sum(initial[:, None] * factor * paid_share, axis=1)


# --------------------------------------------------------------------------- helpers


def _broadcast(array: np.ndarray, n: int, name: str) -> np.ndarray:
    if len(array) not in (1, n):
        raise RightsInputError(f"{name} has {len(array)} values for {n} workers")
    return np.broadcast_to(array, (n,)).copy()
