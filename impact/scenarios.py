"""Workforce figures for the negotiating table: one scenario's summary, scenarios side by side.

All figures come from `evaluate()` rows; nothing here recomputes a commute.

Summary keys (`summarise`):

    workers                    rows evaluated
    Costs and hours are those of each worker's cheaper feasible way (`best_mode`).

    workers_worse_off          extra cost above zero
    median_extra_eur_month     median extra cost (car: fuel and tolls; transit: fares) [EUR/month]
    p90_extra_eur_month        90th percentile of the same [EUR/month]
    median_extra_hours_month   median extra hours travelling [h/month]
    p90_extra_hours_month      90th percentile [h/month]
    total_extra_eur_year       extra cost borne by all workers together [EUR/year]
    over_50km                  workers over 50 km by road or straight line (INPS rule)
    borderline_50km            of whom borderline (road over, straight line under, or within the margin)
    over_80min                 workers at 80 minutes or more on average by public transport
    no_transit_for_shift       workers for whose shift no public-transport journey fits
    over_10pct_pay, over_20pct_pay  workers losing more than 10 % / 20 % of take-home pay
    company_cost_allowance_eur_year  the scenario's allowances, grossed up to what they cost the company
    company_cost_pass_eur_year  the company's share of the passes of those who go by public transport
                               (tax-free, so its cost is its price)
    shuttle_riders, shuttle_buses, company_cost_shuttle_eur_year   the company shuttle, if any
    hub_workers, company_cost_hub_eur_year   a closing office kept open as a hub, if any
    transfer_net_eur_total, company_cost_transfer_eur   a one-off transfer allowance: what the
                               workers keep after tax, and what it costs the company, first year [EUR]
    net_pay_default_used       workers with no pay given (the default take-home used)
    modelled                   True when the workforce is a model, not a roster

`SUMMARY` lists the keys every face shows, in order, with their display format and whether the
one-page union PDF shows them (`SUMMARY_ROWS`: the keys and formats); labels
are ``summary.<key>`` in the locale catalogue and `format_summary` writes a value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact import i18n
from impact.model import Scenario, allowance_eur_month
from impact.results import IDENTIFIERS


@dataclass(frozen=True)
class SummaryRow:
    """A figure of `summarise` that the faces show: its key, its display format ("count", "money",
    "hours"), and whether the one-page union PDF has room for it (every other face shows them all)."""

    key: str
    format: str
    one_page: bool


_ROWS = (
    # key                              format    one-page PDF
    ("workers",                         "count", True),
    ("workers_worse_off",               "count", True),
    ("median_extra_eur_month",          "money", True),
    ("p90_extra_eur_month",             "money", True),
    ("median_extra_hours_month",        "hours", True),
    ("p90_extra_hours_month",           "hours", False),
    ("total_extra_eur_year",            "money", True),
    ("over_50km",                       "count", True),
    ("borderline_50km",                 "count", False),
    ("over_80min",                      "count", True),
    ("no_transit_for_shift",            "count", True),
    ("over_10pct_pay",                  "count", True),
    ("over_20pct_pay",                  "count", True),
    ("net_pay_default_used",            "count", False),
    ("company_cost_allowance_eur_year", "money", True),
    ("company_cost_pass_eur_year",      "money", True),
    ("shuttle_riders",                  "count", False),
    ("shuttle_buses",                   "count", False),
    ("company_cost_shuttle_eur_year",   "money", True),
    ("hub_workers",                     "count", False),
    ("company_cost_hub_eur_year",       "money", True),
    ("transfer_net_eur_total",          "money", True),
    ("company_cost_transfer_eur",       "money", True),
)
#: Every figure of `summarise` that a face shows, in order.
SUMMARY: tuple[SummaryRow, ...] = tuple(SummaryRow(*row) for row in _ROWS)
SUMMARY_ROWS: tuple[tuple[str, str], ...] = tuple((row.key, row.format) for row in SUMMARY)
SUMMARY_FORMATS = dict(SUMMARY_ROWS)


def summary_label(key: str, lang: str) -> str:
    """The name of summary figure `key` in `lang`."""
    return i18n.t(f"summary.{key}", lang)


def format_summary(key: str, value, lang: str) -> str:
    """Summary figure `key` written for `lang`: money as 1.234 €, hours and counts as whole numbers."""
    if SUMMARY_FORMATS[key] == "money":
        return i18n.eur(value, lang, 0)
    return i18n.number(value, lang, 0)


def empty_results() -> pd.DataFrame:
    """A result frame with the registry's columns and no rows: the summary of nobody."""
    return pd.DataFrame({c: pd.Series(dtype=float) for c in IDENTIFIERS})


def workforce_cost_figures(extra_eur_month: np.ndarray, share_of_pay: np.ndarray) -> dict:
    """Median and 90th percentile of the extra cost [EUR/month], its yearly total over those who lose
    [EUR/year], and the workers losing over 10 % of pay: one definition for `summarise` and `sweep`."""
    extra = np.asarray(extra_eur_month, dtype=float)
    return {"median_extra_eur_month": float(np.median(extra)) if len(extra) else 0.0,
            "p90_extra_eur_month": float(np.percentile(extra, 90)) if len(extra) else 0.0,
            "total_extra_eur_year": float(12 * np.maximum(extra, 0).sum()),
            "over_10pct_pay": int((np.asarray(share_of_pay, dtype=float) > 0.10).sum())}


def summarise(results: pd.DataFrame, scenario: Scenario, modelled: bool = False,
              site_costs: dict | None = None) -> dict:
    """The figures a representative takes to the table, for one scenario.

    `site_costs` comes from `apply_site_levers` (a shuttle or a hub) and may carry
    "transfer_net_eur" and "transfer_cost_eur" from `transfer_allowance`.
    """
    extra = results["extra_best_eur_month"].to_numpy()
    hours = results["extra_best_hours_month"].to_numpy()
    share = results["share_best"].to_numpy()
    over = results["rights_over_50km"].fillna(False).to_numpy(dtype=bool)
    borderline = results["rights_distance_status"].to_numpy() == "borderline"
    return {
        "workers": int(len(results)),
        "workers_worse_off": int((extra > 0).sum()),
        **workforce_cost_figures(extra, share),
        "median_extra_hours_month": float(np.median(hours)) if len(hours) else 0.0,
        "p90_extra_hours_month": float(np.percentile(hours, 90)) if len(hours) else 0.0,
        "over_50km": int(over.sum()),
        "borderline_50km": int(borderline.sum()),
        "over_80min": int(results["rights_over_80min"].fillna(False).to_numpy(dtype=bool).sum()),
        "no_transit_for_shift": int((~results["transit_feasible_new"].astype(bool)).sum()),
        "over_20pct_pay": int((share > 0.20).sum()),
        "company_cost_allowance_eur_year": float(np.nansum(12 * results["allowance_company_cost_eur_month"])),
        "company_cost_pass_eur_year": float(np.nansum(np.where(
            results["best_mode"].to_numpy() == "transit",
            12 * scenario.company_pass_share * results["transit_eur_new"].to_numpy(), 0.0))),
        "shuttle_riders": int((site_costs or {}).get("shuttle_riders", 0)),
        "shuttle_buses": int((site_costs or {}).get("shuttle_buses", 0)),
        "company_cost_shuttle_eur_year": float((site_costs or {}).get("shuttle_eur_year", 0.0)),
        "hub_workers": int((site_costs or {}).get("hub_workers", 0)),
        "company_cost_hub_eur_year": float((site_costs or {}).get("hub_eur_year", 0.0)),
        "transfer_net_eur_total": float((site_costs or {}).get("transfer_net_eur", 0.0)),
        "company_cost_transfer_eur": float((site_costs or {}).get("transfer_cost_eur", 0.0)),
        "net_pay_default_used": int(results["net_pay_is_default"].astype(bool).sum()),
        "modelled": modelled,
    }


def side_by_side(summaries: dict[str, dict]) -> pd.DataFrame:
    """Scenarios as columns, summary figures as rows, in the order of `summaries`."""
    return pd.DataFrame(summaries)


def by_comune(results: pd.DataFrame, workers: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Workers, median extra cost and hours per home comune and office, largest groups first."""
    frame = pd.DataFrame({"comune": workers["home_istat"].map(names).to_numpy(), "site": workers["site"].to_numpy(),
                          "extra": results["extra_best_eur_month"].to_numpy(),
                          "hours": results["extra_best_hours_month"].to_numpy(),
                          "km_new": results["car_km_new"].to_numpy()})
    table = frame.groupby(["comune", "site"], as_index=False).agg(
        workers=("extra", "size"), median_extra_eur_month=("extra", "median"),
        median_extra_hours_month=("hours", "median"), road_km_new=("km_new", "median"))
    return table.sort_values(["workers", "median_extra_eur_month"], ascending=False).reset_index(drop=True)


def sweep(workers: pd.DataFrame, results: pd.DataFrame, fuel_eur_per_l, smart_days, params, on,
          scenario: Scenario = Scenario()) -> pd.DataFrame:
    """Sensitivity of the workforce's extra cost to fuel price and smart-working days.

    Every (fuel price, smart days) pair is `scenario` with that fuel price and those days;
    `results` must be `evaluate(workers, scenario)`, whose trips, tolls and journeys do not
    depend on either lever. Each grid point calls the model's own cost functions (car costs,
    fares, allowances, the company's pass share, the worker's stated or cheaper way), so it
    equals `evaluate()` there (a test checks it); only the journeys are not searched again.
    Columns: fuel_eur_per_l, smart_days, median_extra_eur_month, total_extra_eur_year, over_10pct_pay.
    """
    from dataclasses import replace

    from impact.calendar import working_days_per_month
    from impact.costs import car_monthly_cost_eur, car_rates
    from impact.model import goes_by_car, prepare, transit_extra_eur_month
    from impact.routing.fares import monthly_fares

    w = prepare(workers)
    col = lambda name: results[name].to_numpy()  # noqa: E731
    km_old, km_new, days_old = col("car_km_old"), col("car_km_new"), col("days_old")
    feasible = col("transit_feasible_new").astype(bool)
    net = col("net_monthly_eur")
    # The old commute's cost and the car's rates depend on the fuel price only, not on smart working.
    by_price = {}
    for price in np.asarray(fuel_eur_per_l, dtype=float):
        rates = car_rates(params, on, float(price), scenario.l_per_100km)
        by_price[float(price)] = rates, car_monthly_cost_eur(km_old, days_old, rates, col("car_tolls_old_eur_day"))[0]
    rows = []
    for level in np.asarray(smart_days, dtype=float):
        levered = replace(scenario, smart_working_days_per_week=float(level))
        days_week_new = np.maximum(w["days_per_week"] - level, 0)
        days_new = working_days_per_month(days_week_new, on.year, params, on)
        fares = monthly_fares(col("fare_rail_km_new"), col("fare_bus_km_new"), col("uses_gtt_new").astype(bool),
                            days_week_new, on, params)["total_eur_month"]
        eur_new = np.where(feasible, fares, np.nan)
        allowance = allowance_eur_month({"car_km_old": km_old, "car_km_new": km_new, "days_old": days_old,
                                         "days_new": days_new}, levered)
        extra_transit = transit_extra_eur_month(eur_new, col("transit_eur_old"), allowance, levered)
        for price in np.asarray(fuel_eur_per_l, dtype=float):
            rates, cash_old = by_price[float(price)]
            cash_new, _ = car_monthly_cost_eur(km_new, days_new, rates, col("car_tolls_new_eur_day"), w["second_car"])
            extra_car = cash_new - cash_old - allowance
            car = goes_by_car(w["has_car"], w["preferred_mode"], extra_car, extra_transit, feasible)
            extra = np.where(car, extra_car, extra_transit)
            figures = workforce_cost_figures(extra, extra / net)
            rows.append((float(price), float(level), figures["median_extra_eur_month"],
                         figures["total_extra_eur_year"], figures["over_10pct_pay"]))
    return pd.DataFrame(rows, columns=["fuel_eur_per_l", "smart_days", "median_extra_eur_month",
                                       "total_extra_eur_year", "over_10pct_pay"])


@dataclass(frozen=True)
class SiteLevers:
    """Levers about places rather than money: a company shuttle and a hub kept open.

    shuttle              a company bus from each closing office to the new one, twice a day
    shuttle_seats        seats per bus (the user's figure)
    shuttle_eur_per_bus_day  what a bus costs a day, both runs (the user's figure: no source)
    hub_site             a closing office kept open as a hub ("ivrea", "asti" or "")
    hub_share            share of that office's workers who keep working there [0-1]
    hub_eur_year         what keeping the hub costs a year (the user's figure: no source)
    """

    shuttle: bool = False
    shuttle_seats: int = 50
    shuttle_eur_per_bus_day: float = 0.0
    hub_site: str = ""
    hub_share: float = 0.0
    hub_eur_year: float = 0.0


def shuttle_minutes(sites, params, on) -> dict[str, float]:
    """One-way minutes of a bus from each closing office to the new one (the car estimate) [minutes]."""
    from impact.places import destination
    from impact.routing.estimate import estimate, load_model

    model, new = load_model(params, on), destination(sites)
    return {s.id: float(estimate(model, s.lat, s.lon, new.lat, new.lon).minutes)
            for s in sites.values() if not s.is_destination}


def apply_site_levers(workers: pd.DataFrame, results: pd.DataFrame, levers: SiteLevers,
                      sites, params, on) -> tuple[pd.DataFrame, dict]:
    """Results with the hub and the shuttle applied, and what each costs the company.

    The hub keeps its share of the office's workers, those the move hurts most first,
    at their old office: no extra cost or time. The shuttle is taken by every other
    worker whom the move costs money: she keeps today's way to her old office (no
    extra cost) and rides the bus on top (extra time). Shuttle runs are assumed to
    fit the shifts. Returns the changed results and {"shuttle_riders", "shuttle_buses",
    "shuttle_eur_year", "hub_workers", "hub_eur_year"}.
    """
    out = results.copy()
    site = workers["site"].to_numpy()
    extra = out["extra_best_eur_month"].to_numpy()
    at_hub = np.zeros(len(out), dtype=bool)
    if levers.hub_site and levers.hub_share > 0:
        members = np.flatnonzero(site == levers.hub_site)
        keep = members[np.argsort(-extra[members], kind="stable")][: int(round(levers.hub_share * len(members)))]
        at_hub[keep] = True
    riders = np.zeros(len(out), dtype=bool)
    if levers.shuttle:
        riders = ~at_hub & (extra > 0)
        minutes = pd.Series(site).map(shuttle_minutes(sites, params, on)).to_numpy(dtype=float)
        out.loc[riders, "extra_best_hours_month"] = (2 * minutes * out["days_new"].to_numpy() / 60)[riders]
    for column in ("extra_best_eur_month", "share_best"):
        out.loc[at_hub | riders, column] = 0.0
    out.loc[at_hub, "extra_best_hours_month"] = 0.0
    days_month = float(np.median(out["days_new"])) if len(out) else 0.0
    buses = sum(int(np.ceil(((site == s) & riders).sum() / max(levers.shuttle_seats, 1)))
                for s in pd.unique(site))
    costs = {"shuttle_riders": int(riders.sum()), "shuttle_buses": buses,
             "shuttle_eur_year": buses * levers.shuttle_eur_per_bus_day * days_month * 12,
             "hub_workers": int(at_hub.sum()), "hub_eur_year": levers.hub_eur_year if at_hub.any() else 0.0,
             "riders": riders, "at_hub": at_hub}
    return out, costs


def transfer_allowance(workers: pd.DataFrame, results: pd.DataFrame, amount_eur: float,
                       params, on) -> tuple[np.ndarray, np.ndarray]:
    """A one-off gross transfer allowance paid to each worker the move costs money [EUR].

    Art. 51 c.7 TUIR, by `impact.pay.transfer_allowance_eur` (the rule `make_whole` applies).
    Returns what each worker keeps net and what each costs the company [EUR]; 0 for workers
    the move does not cost.
    """
    from impact.groups import distinct_rows
    from impact.pay import local_taxes, transfer_allowance_eur

    net, cost = np.zeros(len(results)), np.zeros(len(results))
    paid = np.flatnonzero(results["extra_best_eur_month"].to_numpy() > 0)
    if amount_eur <= 0 or not len(paid):
        return net, cost   # the union page asks on every rerun: no allowance, no tax solve
    # What the allowance leaves depends only on the gross pay and the surcharge schedule, which a
    # roster at the contract's few pay levels shares: each such case is taxed once.
    gross = results["gross_annual_eur"].to_numpy()[paid]
    local = local_taxes(workers["home_istat"].to_numpy()[paid], params, on)
    case, first = distinct_rows(local.schedule_id, gross)
    kept, company = transfer_allowance_eur(gross[first], amount_eur, params, on, local=local.take(first))
    net[paid], cost[paid] = kept[case], company[case]
    return net, cost
