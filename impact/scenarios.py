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

`SUMMARY_ROWS` lists the keys every face shows, in order, with their display format; labels
are ``summary.<key>`` in the locale catalogue and `format_summary` writes a value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact import i18n
from impact.model import Scenario, allowance_eur_month
from impact.results import IDENTIFIERS

# Every figure of `summarise` that a face shows, in order, with its display format.
SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("workers", "count"), ("workers_worse_off", "count"), ("median_extra_eur_month", "money"),
    ("p90_extra_eur_month", "money"), ("median_extra_hours_month", "hours"), ("p90_extra_hours_month", "hours"),
    ("total_extra_eur_year", "money"), ("over_50km", "count"), ("borderline_50km", "count"),
    ("over_80min", "count"), ("no_transit_for_shift", "count"), ("over_10pct_pay", "count"),
    ("over_20pct_pay", "count"), ("net_pay_default_used", "count"), ("company_cost_allowance_eur_year", "money"),
    ("company_cost_pass_eur_year", "money"), ("shuttle_riders", "count"), ("shuttle_buses", "count"),
    ("company_cost_shuttle_eur_year", "money"), ("hub_workers", "count"), ("company_cost_hub_eur_year", "money"),
    ("transfer_net_eur_total", "money"), ("company_cost_transfer_eur", "money"))
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


def _company_cost_per_net_eur(results: pd.DataFrame) -> np.ndarray:
    """What one euro reaching a worker net costs the company, from her own make-whole raise [EUR/EUR]."""
    if "raise_company_cost_annual_eur" not in results:
        return np.full(len(results), np.nan)
    extra_year = 12 * results["extra_best_eur_month"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(extra_year > 1, results["raise_company_cost_annual_eur"].to_numpy() / extra_year, np.nan)
    # A worker who gains needs no raise, so has no ratio of her own: the workforce's median stands in.
    fallback = np.nanmedian(ratio) if np.isfinite(ratio).any() else np.nan
    return np.where(np.isfinite(ratio), ratio, fallback)


def allowance_net_eur_month(results: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    """Net allowance each worker receives under `scenario` [EUR/month] (mileage on the extra km, plus flat)."""
    return allowance_eur_month(results, scenario)


def summarise(results: pd.DataFrame, scenario: Scenario, modelled: bool = False,
              site_costs: dict | None = None) -> dict:
    """The figures a representative takes to the table, for one scenario.

    `site_costs` comes from `apply_site_levers` (a shuttle or a hub) and may carry
    "transfer_net_eur" and "transfer_cost_eur" from `transfer_allowance`.
    """
    extra = results["extra_best_eur_month"].to_numpy()
    hours = results["extra_best_hours_month"].to_numpy()
    share = results["share_best"].to_numpy()
    over = results["rights_over_50km"].to_numpy() if "rights_over_50km" in results else np.zeros(len(results), bool)
    borderline = (results["rights_distance_status"].to_numpy() == "borderline"
                  if "rights_distance_status" in results else np.zeros(len(results), bool))
    allowance = allowance_net_eur_month(results, scenario)
    cost_ratio = _company_cost_per_net_eur(results)
    return {
        "workers": int(len(results)),
        "workers_worse_off": int((extra > 0).sum()),
        "median_extra_eur_month": float(np.median(extra)) if len(extra) else 0.0,
        "p90_extra_eur_month": float(np.percentile(extra, 90)) if len(extra) else 0.0,
        "median_extra_hours_month": float(np.median(hours)) if len(hours) else 0.0,
        "p90_extra_hours_month": float(np.percentile(hours, 90)) if len(hours) else 0.0,
        "total_extra_eur_year": float(12 * np.maximum(extra, 0).sum()),
        "over_50km": int(over.sum()),
        "borderline_50km": int(borderline.sum()),
        "over_80min": int(results["rights_over_80min"].sum()) if "rights_over_80min" in results else 0,
        "no_transit_for_shift": int((~results["transit_feasible_new"].astype(bool)).sum()),
        "over_10pct_pay": int((share > 0.10).sum()),
        "over_20pct_pay": int((share > 0.20).sum()),
        "company_cost_allowance_eur_year": float(np.nansum(12 * allowance * cost_ratio)),
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


def sweep(workers: pd.DataFrame, results: pd.DataFrame, fuel_eur_per_l, smart_days,
          params, on, l_per_100km: float | None = None) -> pd.DataFrame:
    """Sensitivity of the workforce's extra cost to fuel price and smart-working days.

    Every (fuel price, smart days) pair is a scenario; trips, tolls and fares come from
    `results` (one `evaluate()`), so a sweep of a thousand scenarios is a few array
    operations: car costs are linear in the fuel price and in commuting days, and
    the cheapest fares are found once per smart-days level. Allowances are left out. Columns: fuel_eur_per_l,
    smart_days, median_extra_eur_month, total_extra_eur_year, over_10pct_pay.
    """
    from impact.calendar import working_days_per_month
    from impact.costs import car_rates
    from impact.routing.fares import monthly_fares

    fuel = np.asarray(fuel_eur_per_l, dtype=float)
    smart = np.asarray(smart_days, dtype=float)
    rates = car_rates(params, on, l_per_100km=l_per_100km)
    litres_per_km = rates.l_per_100km / 100
    days_week = workers["days_per_week"].to_numpy(dtype=float)
    km_old, km_new = results["car_km_old"].to_numpy(), results["car_km_new"].to_numpy()
    days_old = results["days_old"].to_numpy()
    fixed_new = (results["car_cash_new"].to_numpy() - results["car_tolls_new_eur_day"].to_numpy() * results["days_new"].to_numpy()
                 - 2 * km_new * results["days_new"].to_numpy() * rates.fuel_eur_per_km)
    has_car = workers["has_car"].to_numpy(dtype=bool) if "has_car" in workers else np.ones(len(workers), bool)
    feasible = results["transit_feasible_new"].to_numpy(dtype=bool)
    net = results["net_monthly_eur"].to_numpy()
    rows = []
    for level in smart:
        days_new = working_days_per_month(np.maximum(days_week - level, 0), on.year, params, on)
        transit_new = monthly_fares(results["fare_rail_km_new"], results["fare_bus_km_new"], results["uses_gtt_new"],
                                    np.maximum(days_week - level, 0), on, params)["total_eur_month"].to_numpy()
        transit_extra = np.where(feasible, transit_new - np.nan_to_num(results["transit_eur_old"].to_numpy()), np.inf)
        # Car cost for every fuel price at once: (fuel prices, workers).
        per_km = fuel[:, None] * litres_per_km
        car_new = 2 * km_new * days_new * per_km + results["car_tolls_new_eur_day"].to_numpy() * days_new + fixed_new
        car_old = 2 * km_old * days_old * per_km + results["car_tolls_old_eur_day"].to_numpy() * days_old
        car_extra = np.where(has_car, car_new - car_old, np.inf)
        extra = np.minimum(car_extra, transit_extra[None, :])
        extra = np.where(np.isfinite(extra), extra, car_new - car_old)
        for price, row in zip(fuel, extra):
            rows.append((price, level, float(np.median(row)), float(12 * np.maximum(row, 0).sum()),
                         int((row / net > 0.10).sum())))
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
             "hub_workers": int(at_hub.sum()), "hub_eur_year": levers.hub_eur_year if at_hub.any() else 0.0}
    return out, costs


def transfer_allowance(workers: pd.DataFrame, results: pd.DataFrame, amount_eur: float,
                       params, on) -> tuple[np.ndarray, np.ndarray]:
    """A one-off gross transfer allowance paid to each worker the move costs money [EUR].

    Art. 51 c.7 TUIR: the first year, half of it (up to the cap) is tax-free; the
    rest is taxed at the worker's own marginal rate, and the company pays its
    contributions on it. Returns what each worker keeps net and what each costs
    the company [EUR]; 0 for workers the move does not cost.
    """
    from impact.pay import local_taxes, marginal_rate

    if amount_eur <= 0:
        # The union page asks on every rerun: no allowance, no tax solve.
        zeros = np.zeros(len(results))
        return zeros, zeros.copy()
    paid = results["extra_best_eur_month"].to_numpy() > 0
    share = params.value("tax.benefits.transfer_allowance_exempt_share", on)
    cap = params.value("tax.benefits.transfer_allowance_exempt_cap", on)
    exempt = min(share * amount_eur, cap)
    taxable = amount_eur - exempt
    rate = marginal_rate(results["gross_annual_eur"].to_numpy(), params, on,
                         local=local_taxes(workers["home_istat"].to_numpy(), params, on))
    net = np.where(paid, exempt + taxable * (1 - np.clip(rate, 0, 1)), 0.0)
    cost = np.where(paid, amount_eur + taxable * params.value("tax.social.employer_rate", on), 0.0)
    return net, cost
