"""A package over time: each lever with a start, a duration and a phasing, costed year by year.

Relocation agreements are packages paid over years (an allowance at 100/75/50 %, excess
fares for 18 months, a shuttle for the first year), so this module turns one scenario's
`evaluate()` rows into a month-by-month schedule over a horizon (default 5 years) and sums
it by year. It recomputes no commute: every figure comes from the evaluated rows.

Levers and what they mean here (per worker, per month of the horizon):

    monthly_allowance   the scenario's flat net allowance [EUR/month]; taxable, so it costs the
                        company the gross raise that leaves her that much net at her own tax rates,
                        plus employer contributions and severance (`impact.pay.make_whole`)
    mileage_allowance   the scenario's net allowance on the extra km driven; taxable, as above
    company_pass        the company's share of her new public-transport fares (tax-free, art. 51
                        c.2 d-bis TUIR: its cost is its price); only for those who go by it
    shuttle, hub        the site levers of `impact.scenarios.apply_site_levers`: the workers they
                        cover lose nothing while they run; their cost is the user's figure a year
    dependant_pass      passes paid for her dependants (`dependant_passes` column, a count;
                        art. 51 c.2 d-bis covers family members), tax-free at the price given
    time_credit         extra travel over a threshold (minutes a day, both ways) counted as
                        working time: the company pays those minutes at her gross hourly pay
                        plus employer contributions; her euros are unchanged, her hours fall
    telework rule       N days a week at home for workers whose one-way trip by her way is over
                        a minutes or a road-km threshold (a second `evaluate()` with those days)

Timing of a lever: `start_month` (1 = the first month after the move), `duration_months`
(None: to the end of the horizon) and `phasing`, the share in force in each year *of the
lever's life* (e.g. (1.0, 0.75, 0.5)); after the last listed year the share is 0. A share
scales the lever's relief and its cost alike.

A worker keeps the way of travel `evaluate()` chose with every lever in full; her loss in a
month is her loss with no money lever less each lever's relief times its share that month.

Result of `horizon()`: {"years": [per year], "horizon_total": {...}}, per year:

    year                      1, 2, ...
    company_cost_eur          the company's cost of every lever that year [EUR]
    company_cost_by_lever     the same, lever by lever [EUR]
    workers_loss_eur          loss borne by the workers who lose, summed [EUR/year]
    workers_loss_median_eur   median over workers of her loss that year [EUR/year]
    workers_loss_p90_eur      90th percentile of the same [EUR/year]
    workers_worse_off         workers whose loss that year is above zero
    workers_extra_hours_median_month  median extra hours a month travelling, less time credited [h/month]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact.calendar import WEEKS_PER_YEAR
from impact.errors import PackageError
from impact.validation import scenario_value
from impact.model import Scenario, allowance_eur_month, evaluate
from impact.params import Parameters
from impact.pay import make_whole
from impact.scenarios import SiteLevers, apply_site_levers

MONEY_LEVERS = ("monthly_allowance", "mileage_allowance", "company_pass", "shuttle", "hub", "dependant_pass",
                "time_credit")
DEFAULT_HORIZON_YEARS = 5
MAX_HORIZON_YEARS = 30


@dataclass(frozen=True)
class Timing:
    """When a lever runs: from `start_month` for `duration_months` (None: to the end), `phasing` by year."""

    start_month: int = 1
    duration_months: int | None = None
    phasing: tuple[float, ...] = ()


@dataclass(frozen=True)
class Package:
    """The levers over time that come on top of a `Scenario` and `SiteLevers`."""

    horizon_years: int = DEFAULT_HORIZON_YEARS
    timing: tuple[tuple[str, Timing], ...] = ()     # (lever, Timing); absent: in force all the horizon
    time_credit_threshold_min: float | None = None  # [minutes a day, both ways]; None: no time credit
    telework_days_per_week: float = 0.0             # [days/week] for workers over a threshold
    telework_min_minutes: float | None = None       # [minutes one way] by her way of travel
    telework_min_km: float | None = None            # [km one way by road]
    dependant_pass_share: float = 0.0               # share of each dependant's pass the company pays [0-1]
    dependant_pass_eur_month: float = 0.0           # price of a dependant's pass (the user's figure) [EUR/month]

    def timing_of(self, lever: str) -> Timing:
        return dict(self.timing).get(lever, Timing())

    @property
    def telework_rule(self) -> bool:
        return self.telework_days_per_week > 0 and (self.telework_min_minutes is not None
                                                     or self.telework_min_km is not None)


def month_shares(timing: Timing, months: int) -> np.ndarray:
    """Share of a lever in force in each month 1..`months` [0-1]."""
    month = np.arange(1, months + 1)
    active = month >= timing.start_month
    if timing.duration_months is not None:
        active &= month < timing.start_month + timing.duration_months
    if not timing.phasing:
        return active.astype(float)
    life_year = np.maximum(month - timing.start_month, 0) // 12
    shares = np.append(np.asarray(timing.phasing, dtype=float), 0.0)
    return np.where(active, shares[np.minimum(life_year, len(timing.phasing))], 0.0)


def telework_eligible(results: pd.DataFrame, package: Package) -> np.ndarray:
    """Workers the telework rule covers: one-way trip by her way over the minutes or the km threshold."""
    n = len(results)
    if not package.telework_rule:
        return np.zeros(n, dtype=bool)
    car = results["best_mode"].to_numpy() == "car"
    minutes = np.where(car, results["car_min_new"].to_numpy(), results["transit_min_new"].to_numpy())
    over = np.zeros(n, dtype=bool)
    if package.telework_min_minutes is not None:
        over |= np.nan_to_num(minutes) > package.telework_min_minutes
    if package.telework_min_km is not None:
        over |= results["car_km_new"].to_numpy() > package.telework_min_km
    return over


def taxable_allowance_cost_eur_month(workers: pd.DataFrame, results: pd.DataFrame, net_eur_month: np.ndarray,
                                     params: Parameters, on: dt.date) -> np.ndarray:
    """What a taxable net allowance of `net_eur_month` costs the company for each worker [EUR/month].

    The gross raise that leaves her that much more net, at her own tax rates, plus employer
    contributions and severance (`impact.pay.make_whole`).
    """
    net = np.round(np.asarray(net_eur_month, dtype=float), 2)
    if not (net > 0).any():
        return np.zeros(len(results))
    whole = make_whole(results["gross_annual_eur"].to_numpy(dtype=float), net, params, on,
                              home_istat=workers["home_istat"].astype(str).to_numpy())
    return np.where(net > 0, whole["raise_company_cost_annual_eur"] / 12, 0.0)


def _taxable_cost(workers: pd.DataFrame, results: pd.DataFrame, c: dict, shares: dict, params: Parameters,
                  on: dt.date) -> dict[str, np.ndarray]:
    """(workers, months) company cost of the flat and the mileage allowance, split in proportion to each."""
    flat, mileage = c["relief"]["monthly_allowance"], c["relief"]["mileage_allowance"]
    pairs = np.stack([shares["monthly_allowance"], shares["mileage_allowance"]], axis=1)
    distinct, month_of = np.unique(pairs, axis=0, return_inverse=True)
    costs = {"monthly_allowance": np.zeros((len(flat), len(pairs))), "mileage_allowance": np.zeros((len(flat), len(pairs)))}
    for k, (s_flat, s_mileage) in enumerate(distinct):
        paid = s_flat * flat + s_mileage * mileage
        total = taxable_allowance_cost_eur_month(workers, results, paid, params, on)
        with np.errstate(divide="ignore", invalid="ignore"):
            part = np.where(paid > 0, s_flat * flat / paid, 0.0)
        costs["monthly_allowance"][:, month_of.ravel() == k] = (total * part)[:, None]
        costs["mileage_allowance"][:, month_of.ravel() == k] = (total * (1 - part))[:, None]
    return costs


def _components(workers: pd.DataFrame, results: pd.DataFrame, scenario: Scenario, package: Package,
                params: Parameters, on: dt.date) -> dict[str, np.ndarray]:
    """Per worker: the loss with no money lever, each lever's relief and monthly cost at its full value."""
    extra = results["extra_best_eur_month"].to_numpy(dtype=float)
    transit = results["best_mode"].to_numpy() == "transit"
    allowance = np.asarray(allowance_eur_month(results, scenario), dtype=float)
    flat = np.full(len(results), float(scenario.monthly_allowance_eur))
    mileage = allowance - flat
    pass_relief = np.where(transit, scenario.company_pass_share * np.nan_to_num(results["transit_eur_new"].to_numpy()), 0.0)
    dependants = (pd.to_numeric(workers["dependant_passes"], errors="coerce").fillna(0).to_numpy(dtype=float)
                  if "dependant_passes" in workers else np.zeros(len(results)))
    dependant_relief = dependants * package.dependant_pass_share * package.dependant_pass_eur_month
    hours = results["extra_best_hours_month"].to_numpy(dtype=float)
    days = results["days_new"].to_numpy(dtype=float)
    credit_cost = np.zeros(len(results))
    credited_hours = np.zeros(len(results))
    if package.time_credit_threshold_min is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            extra_min_day = np.where(days > 0, 60 * hours / days, 0.0)
        credited_hours = np.maximum(extra_min_day - package.time_credit_threshold_min, 0) * days / 60
        paid_hours_year = (workers["hours_per_day"].to_numpy(dtype=float) * workers["days_per_week"].to_numpy(dtype=float)
                           * WEEKS_PER_YEAR)
        gross_hourly = results["gross_annual_eur"].to_numpy(dtype=float) / paid_hours_year
        credit_cost = credited_hours * gross_hourly * (1 + params.value("tax.social.employer_rate", on))
    return {
        "base_loss": extra + allowance + pass_relief,
        "relief": {"monthly_allowance": flat, "mileage_allowance": mileage, "company_pass": pass_relief,
                   "dependant_pass": dependant_relief},
        "cost": {"company_pass": pass_relief, "dependant_pass": dependant_relief, "time_credit": np.nan_to_num(credit_cost)},
        "hours": hours, "credited_hours": credited_hours,
    }


def horizon(workers: pd.DataFrame, results: pd.DataFrame, scenario: Scenario, package: Package,
            params: Parameters, on: dt.date, telework_results: pd.DataFrame | None = None,
            site_costs: dict | None = None) -> dict:
    """Company cost and workers' remaining loss by year over the package's horizon (module docstring).

    `results` are `evaluate(workers, scenario, ...)` rows with no site lever applied;
    `telework_results` the same with the telework days (needed when the package has a telework
    rule); `site_costs` what `apply_site_levers` returned (with its "riders" and "at_hub" masks).
    """
    months = 12 * package.horizon_years
    shares = {lever: month_shares(package.timing_of(lever), months) for lever in MONEY_LEVERS}
    frames = [_components(workers, results, scenario, package, params, on)]
    eligible = telework_eligible(results, package)
    if package.telework_rule:
        if telework_results is None:
            raise PackageError("a telework rule needs the results evaluated with its telework days")
        frames.append(_components(workers, telework_results, scenario, package, params, on))
    # (workers, months) schedules of loss and hours; the company's cost per lever by month, over workers.
    use_tele = np.repeat(eligible[:, None], months, axis=1)
    pick = (lambda values: np.where(use_tele, values[1], values[0])) if len(frames) == 2 else (lambda values: values[0])  # noqa: E731
    month_loss = pick([c["base_loss"][:, None] - sum(c["relief"][lever][:, None] * shares[lever][None, :]
                                                      for lever in c["relief"]) for c in frames])
    month_hours = pick([c["hours"][:, None] - c["credited_hours"][:, None] * shares["time_credit"][None, :]
                        for c in frames])
    month_cost = {lever: np.nansum(pick([c["cost"][lever][:, None] * shares[lever][None, :] for c in frames]), axis=0)
                  for lever in frames[0]["cost"]}
    taxable = [_taxable_cost(workers, r, c, shares, params, on)
               for r, c in zip([results, telework_results], frames)]
    for lever in ("monthly_allowance", "mileage_allowance"):
        month_cost[lever] = np.nansum(pick([t[lever] for t in taxable]), axis=0)
    site = site_costs or {}
    for lever, mask_key, cost_key in (("shuttle", "riders", "shuttle_eur_year"), ("hub", "at_hub", "hub_eur_year")):
        covered = np.asarray(site.get(mask_key, np.zeros(len(results), bool)), dtype=bool)
        month_loss = np.where(covered[:, None], (1 - shares[lever][None, :]) * month_loss, month_loss)
        month_cost[lever] = float(site.get(cost_key, 0.0)) / 12 * shares[lever]
    years = []
    for year in range(package.horizon_years):
        span = slice(12 * year, 12 * year + 12)
        per_worker = month_loss[:, span].sum(axis=1)
        by_lever = {lever: float(month_cost[lever][span].sum()) for lever in MONEY_LEVERS}
        years.append({
            "year": year + 1,
            "company_cost_eur": round(sum(by_lever.values()), 2),
            "company_cost_by_lever": {lever: round(value, 2) for lever, value in by_lever.items()},
            "workers_loss_eur": round(float(np.maximum(per_worker, 0).sum()), 2),
            "workers_loss_median_eur": round(float(np.median(per_worker)), 2) if len(per_worker) else 0.0,
            "workers_loss_p90_eur": round(float(np.percentile(per_worker, 90)), 2) if len(per_worker) else 0.0,
            "workers_worse_off": int((per_worker > 0.005).sum()),
            "workers_extra_hours_median_month": (round(float(np.median(month_hours[:, span].mean(axis=1))), 1)
                                                 if len(per_worker) else 0.0),
        })
    total = {"years": package.horizon_years,
             "company_cost_eur": round(sum(y["company_cost_eur"] for y in years), 2),
             "workers_loss_eur": round(sum(y["workers_loss_eur"] for y in years), 2),
             "telework_workers": int(eligible.sum()) if package.telework_rule else 0}
    return {"years": years, "horizon_total": total}


def evaluate_package(workers: pd.DataFrame, scenario: Scenario, levers: SiteLevers, package: Package,
                     params: Parameters, on: dt.date, gazetteer, sites, router=None, transit=None,
                     results: pd.DataFrame | None = None, run=None) -> dict:
    """`evaluate()` the scenario (and its telework variant), apply the site levers, and run `horizon()`.

    `run(scenario)`, when given, evaluates the workers instead (a page's cached evaluation, with its
    own offices and router); `results` are the scenario's rows when they are at hand already.
    """
    if run is None:
        run = lambda s: evaluate(workers, s, params, on, gazetteer, sites, router, transit=transit)  # noqa: E731
    if results is None:
        results = run(scenario)
    telework = None
    if package.telework_rule:
        days = scenario.smart_working_days_per_week + package.telework_days_per_week
        telework = run(dataclasses.replace(scenario, smart_working_days_per_week=days))
    site_costs: dict = {}
    if levers.shuttle or (levers.hub_site and levers.hub_share > 0):
        # The shuttle and the hub go to those the move costs money before any money lever.
        before = _components(workers, results, scenario, package, params, on)["base_loss"]
        _, site_costs = apply_site_levers(workers, results.assign(extra_best_eur_month=before), levers, sites,
                                          params, on)
    return horizon(workers, results, scenario, package, params, on, telework, site_costs)


# --------------------------------------------------------------------------- the scenario file

_SITE_FIELDS = {f.name: f.type for f in dataclasses.fields(SiteLevers)}
_PACKAGE_FIELDS = {f.name for f in dataclasses.fields(Package)} - {"timing"}
_TIMING_SUFFIXES = ("_start_month", "_duration_months", "_phasing")


def _number(name: str, value, where: str, low: float | None = None, high: float | None = None,
            whole: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise PackageError(f"{where}: {name} must be a number, not {value!r}")
    if whole and value != int(value):
        raise PackageError(f"{where}: {name} must be a whole number, not {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise PackageError(f"{where}: {name} must be between {low:g} and {high:g}, not {value!r}")
    return value


def parse_package(raw: dict, where: str) -> tuple[Scenario, SiteLevers, Package]:
    """A scenario file's mapping as (Scenario, SiteLevers, Package); unknown or bad fields are named."""
    if not isinstance(raw, dict):
        raise PackageError(f"{where}: the scenario must be a mapping of field: value, not {type(raw).__name__}")
    scenario_fields = {f.name for f in dataclasses.fields(Scenario)}
    timing_fields = {lever + suffix for lever in MONEY_LEVERS for suffix in _TIMING_SUFFIXES}
    known = scenario_fields | set(_SITE_FIELDS) | _PACKAGE_FIELDS | timing_fields
    unknown = sorted(map(str, set(raw) - known))
    if unknown:
        raise PackageError(f"{where}: unknown scenario field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    scenario, site, package, timing = {}, {}, {}, {}
    for name, value in raw.items():
        if value is None:
            continue
        if name in scenario_fields:
            scenario[name] = scenario_value(name, value)
        elif name == "shuttle":
            if not isinstance(value, bool):
                raise PackageError(f"{where}: shuttle must be true or false, not {value!r}")
            site[name] = value
        elif name == "hub_site":
            site[name] = str(value)
        elif name in _SITE_FIELDS:
            site[name] = _number(name, value, where, low=0)
        elif name == "horizon_years":
            package[name] = int(_number(name, value, where, 1, MAX_HORIZON_YEARS, whole=True))
        elif name in _PACKAGE_FIELDS:
            package[name] = _number(name, value, where, low=0)
        else:
            lever, suffix = next((name[: -len(s)], s) for s in _TIMING_SUFFIXES if name.endswith(s))
            entry = timing.setdefault(lever, {})
            if suffix == "_phasing":
                if not isinstance(value, (list, tuple)) or not value:
                    raise PackageError(f"{where}: {name} must be a list of shares by year, e.g. [1.0, 0.75, 0.5]")
                entry["phasing"] = tuple(float(_number(name, v, where, 0, 1)) for v in value)
            elif suffix == "_start_month":
                entry["start_month"] = int(_number(name, value, where, 1, 12 * MAX_HORIZON_YEARS, whole=True))
            else:
                entry["duration_months"] = int(_number(name, value, where, 0, 12 * MAX_HORIZON_YEARS, whole=True))
    if "shuttle_seats" in site:
        site["shuttle_seats"] = int(site["shuttle_seats"])
    if "hub_share" in site and site["hub_share"] > 1:
        raise PackageError(f"{where}: hub_share is a share between 0 and 1, not {site['hub_share']!r}")
    if package.get("dependant_pass_share", 0) > 1:
        raise PackageError(f"{where}: dependant_pass_share is a share between 0 and 1")
    return (Scenario(**scenario), SiteLevers(**site),
            Package(timing=tuple((lever, Timing(**t)) for lever, t in sorted(timing.items())), **package))


def horizon_chart_data(horizons: dict[str, dict]) -> pd.DataFrame:
    """Long table for a chart by year: scenario, year, measure ("company_cost_eur"/"workers_loss_eur"), eur."""
    rows = [(name, y["year"], measure, y[measure]) for name, h in horizons.items() for y in h["years"]
            for measure in ("company_cost_eur", "workers_loss_eur")]
    return pd.DataFrame(rows, columns=["scenario", "year", "measure", "eur"])


HORIZON_COLUMNS = ("col_scenario", "col_year", "col_company", "col_loss", "col_median", "col_p90", "col_worse")


def horizon_rows(horizons: dict[str, dict], lang: str = "it") -> tuple[list[str], list[list]]:
    """Header (in `lang`) and one row per scenario and year, then its total: numbers left as numbers."""
    from impact import i18n

    header = [i18n.t(f"package.horizon.{c}", lang) for c in HORIZON_COLUMNS]
    rows: list[list] = []
    for name, h in horizons.items():
        rows += [[name, y["year"], y["company_cost_eur"], y["workers_loss_eur"], y["workers_loss_median_eur"],
                  y["workers_loss_p90_eur"], y["workers_worse_off"]] for y in h["years"]]
        total = h["horizon_total"]
        rows.append([name, i18n.t("package.horizon.total", lang), total["company_cost_eur"], total["workers_loss_eur"],
                     None, None, None])
    return header, rows


def horizon_text(horizons: dict[str, dict], lang: str = "it") -> tuple[list[str], list[list[str]]]:
    """`horizon_rows` as the page and the PDF show them: euros whole, in `lang`; blank where there is no figure."""
    from impact import i18n

    header, rows = horizon_rows(horizons, lang)
    shown = lambda at, value: ("" if value is None else i18n.eur(value, lang, 0) if 2 <= at < 6  # noqa: E731
                               else str(value))
    return header, [[shown(at, value) for at, value in enumerate(row)] for row in rows]


def add_horizon_sheet(book, horizons: dict[str, dict], lang: str = "it") -> None:
    """Append the horizon by year to an openpyxl workbook (the exports' is write-only: rows are appended
    whole, never read back), money as numbers with a euro format."""
    from openpyxl.cell import WriteOnlyCell

    from impact import i18n

    def money(value):
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0 €"
        return cell

    header, rows = horizon_rows(horizons, lang)
    sheet = book.create_sheet(i18n.t("package.horizon.sheet", lang))
    sheet.append(header)
    for row in rows:
        sheet.append([money(value) if 2 <= at < 6 else value for at, value in enumerate(row)])
    for column in "ABCDEFG":
        sheet.column_dimensions[column].width = 22
