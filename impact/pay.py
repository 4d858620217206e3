"""Gross <-> net pay of an employee living in Piedmont (or Valle d'Aosta), and what makes a worker whole.

The rules are those in force on the date `on` (2026: IRPEF 23/33/43 %, the employee
deduction, the 2025 cut of the tax wedge, the integrative payment, regional and municipal
surcharges, the employee's INPS contribution and the 13 payments of the TLC contract), read
from ``data/parameters/tax/``. Every function works on arrays of workers at once.

Conventions
-----------
* Amounts are yearly [EUR/year] unless the name says ``monthly`` or ``per_payment``.
* A *monthly* take-home is the yearly net divided by the contract's payments (13): the
  steady-state payslip, with the tredicesima spread like every other month.
* The worker has no other income, no dependants for tax purposes and works the whole year;
  family deductions, part-year pro-rating and company-specific contributions are not modelled.
* Italian pay has steps. In taxable income, 2026: +1,200 EUR at 8,174 (the integrative payment
  starts), -359 at 8,500 (tax-free sum 7.1 -> 5.3 %, IRPEF and surcharges start), -130 at 15,000
  (integrative payment ends, deduction rises), +40 at 20,000, +65 at 25,000, -65 at 35,000,
  and a comune's exemption threshold. Net pay is therefore not monotone in gross pay: some
  take-home amounts (about 674-765 EUR a month for a single worker) cannot be paid exactly,
  and the inverse functions return the *smallest* gross pay that reaches at least that amount.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache, partial
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from impact.checks import number_array
from impact.errors import PayInputError
from impact.params import Parameters
from impact.places import in_valle_d_aosta

ArrayLike = float | int | Sequence[float] | np.ndarray

_ISTAT_CODE = re.compile(r"\d{6}")
# A code of no comune: Piedmont regional rates and the default municipal rate.
UNKNOWN_HOME_ISTAT = "000000"
_LEFT_OF_BREAK_EUR = 1e-4  # well above the 1e-6 EUR rounding of taxable income
_MARGINAL_STEP_EUR = 100.0  # the "next euros" of gross pay a marginal rate is measured on
_ROUNDING_EUR = 1e-5  # above the 1e-6 EUR rounding of taxable income, which nets can miss a target by
_NUDGES = 6


_as_array = partial(number_array, error=PayInputError)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rules:
    """The national rules in force on one date, read once from the parameters."""

    employee_rate: float
    additional_rate: float
    additional_threshold: float
    irpef_thresholds: np.ndarray
    irpef_rates: np.ndarray
    ded_max: float
    ded_low: float
    ded_mid_base: float
    ded_mid_extra: float
    ded_mid: float
    ded_high: float
    ded_bonus: float
    ded_bonus_from: float
    ded_bonus_to: float
    integrative_amount: float
    integrative_limit: float
    integrative_reduction: float
    exempt_limit: float
    exempt_thresholds: np.ndarray
    exempt_rates: np.ndarray
    extra_amount: float
    extra_from: float
    extra_full_to: float
    extra_to: float
    payments: int
    switch_points: tuple[float, ...] = ()  # where net IRPEF becomes due, or the integrative payment starts
    # Net-pay curves fitted on these rules, by distinct surcharge schedules: they live and die with
    # the rules, so a curve can never be found again for other rules (`_net_curve`).
    curves: dict = field(default_factory=dict, init=False, repr=False, compare=False)


@lru_cache(maxsize=64)
def _rules(params: Parameters, on: dt.date) -> _Rules:
    """The rules of `on`; cached because a roster evaluates them for every call."""
    rules = _read_rules(params, on)
    return replace(rules, switch_points=tuple(_switch_points(rules)))


def _read_rules(params: Parameters, on: dt.date) -> _Rules:
    def v(path: str) -> float:
        return float(params.value(path, on))

    ded, integ, exempt, extra = ("tax.irpef.employee_deduction", "tax.irpef.integrative",
                                 "tax.cuneo.exempt_sum", "tax.cuneo.extra_deduction")
    return _Rules(
        # The CIGS employee share is withheld only where the employer is in its scope (a switch).
        employee_rate=v("tax.social.employee_rate") + (v("tax.social.cigs_employee_rate")
                                                       if _switched_on(params, "tax.social.cigs_applies", on) else 0.0),
        additional_rate=v("tax.social.additional_rate"),
        additional_threshold=v("tax.social.additional_threshold"),
        irpef_thresholds=np.array([[v("tax.irpef.threshold_1"), v("tax.irpef.threshold_2")]]),
        irpef_rates=np.array([[v("tax.irpef.rate_1"), v("tax.irpef.rate_2"), v("tax.irpef.rate_3")]]),
        ded_max=v(f"{ded}.max_eur"), ded_low=v(f"{ded}.low_threshold"),
        ded_mid_base=v(f"{ded}.mid_base_eur"), ded_mid_extra=v(f"{ded}.mid_extra_eur"),
        ded_mid=v(f"{ded}.mid_threshold"), ded_high=v(f"{ded}.high_threshold"),
        ded_bonus=v(f"{ded}.bonus_eur"), ded_bonus_from=v(f"{ded}.bonus_from"),
        ded_bonus_to=v(f"{ded}.bonus_to"),
        integrative_amount=v(f"{integ}.amount_eur"), integrative_limit=v(f"{integ}.income_limit"),
        integrative_reduction=v(f"{integ}.capacity_reduction_eur"),
        exempt_limit=v(f"{exempt}.income_limit"),
        exempt_thresholds=np.array([v(f"{exempt}.threshold_1"), v(f"{exempt}.threshold_2")]),
        exempt_rates=np.array([v(f"{exempt}.rate_1"), v(f"{exempt}.rate_2"), v(f"{exempt}.rate_3")]),
        extra_amount=v(f"{extra}.amount_eur"), extra_from=v(f"{extra}.from_income"),
        extra_full_to=v(f"{extra}.full_to_income"), extra_to=v(f"{extra}.to_income"),
        payments=int(v("tax.tlc.monthly_payments")),
    )


def _switched_on(params: Parameters, path: str, on: dt.date) -> bool:
    """A yes/no parameter; False when the parameter tree has none (an older tree)."""
    return path in params and bool(params.value(path, on))


def monthly_payments(params: Parameters, on: dt.date) -> int:
    """Payments a year under the TLC contract (13: twelve months and the tredicesima)."""
    return int(params.value("tax.tlc.monthly_payments", on))


def part_time_ratio(hours_per_week: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """Share of full-time pay for a contract of `hours_per_week` [h/week] (TLC full time: 40 h)."""
    hours = _as_array(hours_per_week, "hours_per_week")
    full = float(params.value("tax.tlc.full_time_hours_per_week", on))
    if np.any(hours > full):
        raise PayInputError(f"hours_per_week above the full-time week of {full:g} hours")
    return hours / full


# --------------------------------------------------------------------------- local surcharges


@dataclass(frozen=True)
class LocalTaxes:
    """Regional and municipal surcharge schedules, one row per worker (or one row for all).

    Thresholds are the upper ends of the brackets [EUR/year], rates are fractions; the
    municipal surcharge is not due when taxable income does not exceed `municipal_exemption`.
    """

    regional_thresholds: np.ndarray  # (n, 3)
    regional_rates: np.ndarray  # (n, 4)
    municipal_thresholds: np.ndarray  # (n, 3)
    municipal_rates: np.ndarray  # (n, 4)
    municipal_exemption: np.ndarray  # (n,)
    # Rows with the same number have the same schedule; None: not known (compared row by row).
    schedule_id: np.ndarray | None = None  # (n,)

    @classmethod
    def none(cls, n: int = 1) -> "LocalTaxes":
        """No surcharges at all (for examples published without them)."""
        zeros3, zeros4 = np.zeros((n, 3)), np.zeros((n, 4))
        return cls(zeros3 + np.inf, zeros4, zeros3 + np.inf, zeros4, np.zeros(n), np.zeros(n, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.municipal_exemption)

    def take(self, rows: np.ndarray) -> "LocalTaxes":
        """The schedules of the workers at `rows` (an index array), in that order."""
        return LocalTaxes(*(None if a is None else np.asarray(a)[rows]
                            for a in (getattr(self, f.name) for f in fields(self))))


def local_taxes(home_istat: str | Sequence[str], params: Parameters, on: dt.date) -> LocalTaxes:
    """Surcharge schedules for workers living in the comuni `home_istat` (6-digit ISTAT codes).

    Valle d'Aosta comuni (by the gazetteer's region) get that region's rate, every other code Piedmont's.
    A comune without sourced municipal rates gets ``tax.municipal.default`` (an assumption).
    Workers with the same schedule share a `schedule_id`: most comuni share the default
    municipal rate, so a roster has a handful of schedules, each read once.
    """
    codes = np.atleast_1d(np.asarray(home_istat, dtype=str))
    distinct, comune_of = np.unique(codes, return_inverse=True)
    bad = [code for code in distinct.tolist() if not _ISTAT_CODE.fullmatch(code)]
    if bad:
        raise PayInputError(f"ISTAT codes must have 6 digits, e.g. '001125' for Ivrea; got {bad[:3]}")
    keys = [_schedule_key(code, params) for code in distinct.tolist()]
    schedules = list(dict.fromkeys(keys))
    table = [np.array(part, dtype=float) for part in zip(*(_schedule_for(key, params, on) for key in schedules))]
    position = {key: i for i, key in enumerate(schedules)}
    schedule_id = np.array([position[key] for key in keys], dtype=np.int64)[comune_of.ravel()]
    return LocalTaxes(*(part[schedule_id] for part in table), schedule_id=schedule_id)


def _schedule_key(code: str, params: Parameters) -> tuple[str, str]:
    """(region, the comune's own code where it has sourced municipal rates, else "default")."""
    region = "valle_d_aosta" if in_valle_d_aosta(code) else "piemonte"
    return region, code if _has(params, f"tax.municipal.{code}.rate_1") else "default"


def _schedule_for(key: tuple[str, str], params: Parameters, on: dt.date) -> tuple:
    """(regional thresholds, regional rates, municipal thresholds, municipal rates, exemption) of a schedule."""
    region, municipal = key
    v = lambda path: float(params.value(path, on))  # noqa: E731
    if region == "valle_d_aosta":
        reg_thresholds, reg_rates = (np.inf,) * 3, (v("tax.regional.valle_d_aosta.rate"),) * 4
    else:
        reg = "tax.regional.piemonte"
        reg_thresholds = tuple(v(f"{reg}.threshold_{i}") for i in (1, 2, 3))
        reg_rates = tuple(v(f"{reg}.rate_{i}") for i in (1, 2, 3, 4))
    mun_thresholds = tuple(v(f"tax.municipal.threshold_{i}") for i in (1, 2, 3))
    own = f"tax.municipal.{municipal}"
    if municipal != "default":
        mun_rates = tuple(v(f"{own}.rate_{i}") for i in (1, 2, 3, 4))
        exemption = v(f"{own}.exemption") if _has(params, f"{own}.exemption") else 0.0
    else:
        mun_rates, exemption = (v("tax.municipal.default.rate"),) * 4, 0.0
    return reg_thresholds, reg_rates, mun_thresholds, mun_rates, exemption


def _has(params: Parameters, path: str) -> bool:
    return path in params


def bracket_tax(income: np.ndarray, thresholds: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Progressive tax by brackets [EUR/year]: each rate applies to the slice of income in its bracket.

    `thresholds` has shape (n or 1, k) (upper ends, increasing; inf for unused brackets),
    `rates` (n or 1, k + 1).
    """
    tax = np.zeros_like(income)
    lower = np.zeros(1)
    for j in range(rates.shape[1]):
        upper = thresholds[:, j] if j < thresholds.shape[1] else np.full(1, np.inf)
        # One bracket at a time on 1-D arrays: much faster than (n, k) matrices for a roster.
        in_bracket = np.minimum(income, upper) - lower
        tax += rates[:, j] * np.maximum(in_bracket, 0.0)
        lower = upper
    return tax


# --------------------------------------------------------------------------- gross -> net


@dataclass(frozen=True)
class NetPay:
    """Yearly pay of each worker, step by step from gross to net [EUR/year]."""

    gross: np.ndarray
    contributions: np.ndarray  # employee INPS contributions
    taxable: np.ndarray  # reddito imponibile = gross - contributions
    irpef_gross: np.ndarray
    employee_deduction: np.ndarray
    extra_deduction: np.ndarray  # cuneo fiscale, 20,000-40,000 EUR
    irpef_net: np.ndarray
    regional_surcharge: np.ndarray
    municipal_surcharge: np.ndarray
    integrative_payment: np.ndarray  # trattamento integrativo, paid with the salary
    exempt_sum: np.ndarray  # cuneo fiscale, tax-free sum up to 20,000 EUR
    net: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """One row per worker, one column per step, named ``<step>_eur`` [EUR/year]."""
        return pd.DataFrame({f"{f.name}_eur": getattr(self, f.name) for f in fields(self)})


def employee_contributions_eur(gross_annual_eur: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """Employee INPS contributions on yearly gross pay [EUR/year] (9.19 %, plus 1 % above the threshold)."""
    return _contributions(_as_array(gross_annual_eur, "gross_annual_eur"), _rules(params, on))


def _contributions(gross: np.ndarray, r: _Rules) -> np.ndarray:
    return gross * r.employee_rate + r.additional_rate * np.maximum(gross - r.additional_threshold, 0.0)


def gross_for_taxable_eur(taxable_eur: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """Yearly gross pay [EUR/year] whose taxable income (gross minus employee contributions) is `taxable_eur`."""
    return _gross_for_taxable(_as_array(taxable_eur, "taxable_eur"), _rules(params, on))


def _gross_for_taxable(taxable: np.ndarray, r: _Rules) -> np.ndarray:
    """Invert taxable = gross - contributions (piecewise linear, increasing)."""
    kink = r.additional_threshold * (1 - r.employee_rate)
    below = taxable / (1 - r.employee_rate)
    above = (taxable + r.additional_rate * r.additional_threshold) / (1 - r.employee_rate - r.additional_rate)
    return np.where(taxable <= kink, below, above)


def irpef_gross_eur(taxable_eur: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """IRPEF before deductions on yearly taxable income [EUR/year]."""
    # Reads only the brackets, so it also works for years whose other rules are not loaded.
    v = lambda path: float(params.value(f"tax.irpef.{path}", on))  # noqa: E731
    thresholds = np.array([[v("threshold_1"), v("threshold_2")]])
    rates = np.array([[v("rate_1"), v("rate_2"), v("rate_3")]])
    return bracket_tax(_as_array(taxable_eur, "taxable_eur"), thresholds, rates)


def employee_deduction_eur(taxable_eur: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """Full-year employee deduction (art. 13 TUIR) for total income `taxable_eur` [EUR/year]."""
    return _employee_deduction(_as_array(taxable_eur, "taxable_eur"), _rules(params, on))


def _employee_deduction(income: np.ndarray, r: _Rules) -> np.ndarray:
    mid = r.ded_mid_base + r.ded_mid_extra * (r.ded_mid - income) / (r.ded_mid - r.ded_low)
    high = r.ded_mid_base * (r.ded_high - income) / (r.ded_high - r.ded_mid)
    base = np.where(income <= r.ded_low, r.ded_max,
                    np.where(income <= r.ded_mid, mid, np.where(income <= r.ded_high, high, 0.0)))
    bonus = np.where((income > r.ded_bonus_from) & (income <= r.ded_bonus_to), r.ded_bonus, 0.0)
    return np.where(income > 0, base + bonus, 0.0)


def extra_deduction_eur(taxable_eur: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """Extra deduction of the 2025 wedge cut (1,000 EUR from 20,000 to 32,000, tapering to 40,000) [EUR/year]."""
    return _extra_deduction(_as_array(taxable_eur, "taxable_eur"), _rules(params, on))


def _extra_deduction(income: np.ndarray, r: _Rules) -> np.ndarray:
    taper = r.extra_amount * (r.extra_to - income) / (r.extra_to - r.extra_full_to)
    return np.where((income > r.extra_from) & (income <= r.extra_full_to), r.extra_amount,
                    np.where((income > r.extra_full_to) & (income <= r.extra_to), taper, 0.0))


def exempt_sum_eur(taxable_eur: ArrayLike, params: Parameters, on: dt.date) -> np.ndarray:
    """Tax-free sum of the 2025 wedge cut (7.1 / 5.3 / 4.8 % of income, up to 20,000 EUR) [EUR/year]."""
    return _exempt_sum(_as_array(taxable_eur, "taxable_eur"), _rules(params, on))


def _exempt_sum(income: np.ndarray, r: _Rules) -> np.ndarray:
    # One rate for the whole income, chosen by band: hence the cliffs at 8,500 and 15,000.
    rate = r.exempt_rates[np.searchsorted(r.exempt_thresholds, income, side="left")]
    return np.where((income > 0) & (income <= r.exempt_limit), rate * income, 0.0)


def _integrative(income: np.ndarray, irpef_gross: np.ndarray, deduction: np.ndarray, r: _Rules) -> np.ndarray:
    has_capacity = irpef_gross > deduction - r.integrative_reduction
    return np.where((income > 0) & (income <= r.integrative_limit) & has_capacity, r.integrative_amount, 0.0)


def net_pay(gross_annual_eur: ArrayLike, params: Parameters, on: dt.date, *,
            home_istat: str | Sequence[str] | None = None, local: LocalTaxes | None = None) -> NetPay:
    """Yearly net pay from yearly gross pay, with every step [EUR/year].

    Surcharges follow `local` if given, else the comuni `home_istat`; with neither, the
    Piedmont regional rates and the default municipal rate (an assumption) apply.
    """
    gross = _as_array(gross_annual_eur, "gross_annual_eur")
    local = _resolve_local(len(gross), params, on, home_istat, local)
    return _net_pay(gross, _rules(params, on), local)


def _resolve_local(n: int, params: Parameters, on: dt.date, home_istat, local: LocalTaxes | None) -> LocalTaxes:
    if local is None:
        local = local_taxes(home_istat if home_istat is not None else UNKNOWN_HOME_ISTAT, params, on)
    if len(local) not in (1, n):
        raise PayInputError(f"{len(local)} surcharge schedules for {n} workers")
    return local


def _net_pay(gross: np.ndarray, r: _Rules, local: LocalTaxes) -> NetPay:
    contributions = _contributions(gross, r)
    # Micro-rounding keeps "up to 15,000" true for a gross computed back from 15,000.
    taxable = np.round(gross - contributions, 6)
    irpef_gross = bracket_tax(taxable, r.irpef_thresholds, r.irpef_rates)
    deduction = _employee_deduction(taxable, r)
    extra = _extra_deduction(taxable, r)
    irpef_net = np.maximum(irpef_gross - deduction - extra, 0.0)
    # Surcharges are due only in a year when net IRPEF is due (art. 50 D.Lgs. 446/1997).
    due = irpef_net > 0
    regional = np.where(due, bracket_tax(taxable, local.regional_thresholds, local.regional_rates), 0.0)
    municipal = np.where(due & (taxable > local.municipal_exemption),
                         bracket_tax(taxable, local.municipal_thresholds, local.municipal_rates), 0.0)
    integrative = _integrative(taxable, irpef_gross, deduction, r)
    exempt = _exempt_sum(taxable, r)
    net = gross - contributions - irpef_net - regional - municipal + integrative + exempt
    return NetPay(gross, contributions, taxable, irpef_gross, deduction, extra, irpef_net,
                  regional, municipal, integrative, exempt, net)


def net_annual_eur(gross_annual_eur: ArrayLike, params: Parameters, on: dt.date, *,
                   home_istat=None, local: LocalTaxes | None = None) -> np.ndarray:
    """Yearly take-home pay [EUR/year] from yearly gross pay [EUR/year]."""
    return net_pay(gross_annual_eur, params, on, home_istat=home_istat, local=local).net


def net_monthly_eur(gross_monthly_eur: ArrayLike, params: Parameters, on: dt.date, *,
                    home_istat=None, local: LocalTaxes | None = None) -> np.ndarray:
    """Monthly take-home [EUR/month] from the gross of one payslip [EUR/month] (13 payments a year)."""
    payments = monthly_payments(params, on)
    gross = _as_array(gross_monthly_eur, "gross_monthly_eur") * payments
    return net_annual_eur(gross, params, on, home_istat=home_istat, local=local) / payments


def marginal_rate(gross_annual_eur: ArrayLike, params: Parameters, on: dt.date, *,
                  home_istat=None, local: LocalTaxes | None = None,
                  step_eur: float = _MARGINAL_STEP_EUR) -> np.ndarray:
    """Share of the next `step_eur` of gross pay lost to contributions and taxes [fraction].

    Can exceed 1 just below a cliff (the next euro costs a benefit).
    """
    gross = _as_array(gross_annual_eur, "gross_annual_eur")
    r = _rules(params, on)
    local = _resolve_local(len(gross), params, on, home_istat, local)
    return 1.0 - (_net_pay(gross + step_eur, r, local).net - _net_pay(gross, r, local).net) / step_eur


def share_of_net_pay(extra_cost_monthly_eur: ArrayLike, net_annual_eur_: ArrayLike) -> np.ndarray:
    """Extra monthly cost as a share of take-home pay [fraction]: 12 months of cost over a year's net."""
    cost = _as_array(extra_cost_monthly_eur, "extra_cost_monthly_eur", allow_negative=True)
    net = _as_array(net_annual_eur_, "net_annual_eur")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(net > 0, cost * 12.0 / net, np.nan)


# --------------------------------------------------------------------------- net -> gross


def _taxable_breakpoints(r: _Rules, local: LocalTaxes, n: int) -> np.ndarray:
    """Taxable incomes where net pay may jump or change slope, one row per worker [EUR/year].

    Between two of them net pay is linear and increasing, which is what the solver needs.
    """
    fixed = np.unique([*r.irpef_thresholds.ravel(), r.ded_low, r.ded_mid, r.ded_high, r.ded_bonus_from,
                       r.ded_bonus_to, r.integrative_limit, r.exempt_limit, *r.exempt_thresholds,
                       r.extra_from, r.extra_full_to, r.extra_to, *r.switch_points,
                       r.additional_threshold * (1 - r.employee_rate)])
    own = [np.broadcast_to(a, (n, a.shape[1])) for a in (local.regional_thresholds, local.municipal_thresholds)]
    exemption = np.broadcast_to(local.municipal_exemption, (n,))[:, None]
    points = np.concatenate([np.broadcast_to(fixed, (n, len(fixed))), *own, exemption], axis=1)
    return np.where((points > 0) & np.isfinite(points), points, np.nan)


def _switch_points(r: _Rules) -> list[float]:
    """Incomes where net IRPEF becomes due or the integrative payment starts (found, not hard-coded)."""
    grid = np.arange(0.0, 100_001.0, 1.0)
    irpef = bracket_tax(grid, r.irpef_thresholds, r.irpef_rates)
    deduction = _employee_deduction(grid, r)
    due = irpef - deduction - _extra_deduction(grid, r) > 0
    integrative = _integrative(grid, irpef, deduction, r) > 0
    points = []
    for flag in (due, integrative):
        for i in np.flatnonzero(flag[1:] != flag[:-1]):
            points.append(_refine_switch(grid[i], grid[i + 1], r))
    return points


def _refine_switch(lo: float, hi: float, r: _Rules) -> float:
    def flags(x: float) -> tuple[bool, bool]:
        x_arr = np.array([x])
        irpef = bracket_tax(x_arr, r.irpef_thresholds, r.irpef_rates)
        deduction = _employee_deduction(x_arr, r)
        due = bool((irpef - deduction - _extra_deduction(x_arr, r) > 0)[0])
        return due, bool((_integrative(x_arr, irpef, deduction, r) > 0)[0])

    lo_flags = flags(lo)
    for _ in range(40):
        mid = (lo + hi) / 2
        if flags(mid) == lo_flags:
            lo = mid
        else:
            hi = mid
    return hi  # the first income with the new status: segments are open on the left


@dataclass(frozen=True)
class _NetCurve:
    """Yearly net pay as an exact piecewise-linear function of yearly gross pay, per surcharge schedule.

    Row i is one distinct schedule; segment j covers gross pay in (lower, upper] [EUR/year]
    (the first one from 0 included, the last one up to infinity) and there net pay is
    ``intercept + slope * gross`` [EUR/year]. Unused segments have lower = upper = inf.
    `top` is net pay at each segment's upper end (inf for the last, -inf if unused) and
    `schedule` maps each worker to its row.
    """

    lower: np.ndarray
    upper: np.ndarray
    intercept: np.ndarray
    slope: np.ndarray
    top: np.ndarray
    schedule: np.ndarray


def _net_curve(r: _Rules, local: LocalTaxes, n: int) -> _NetCurve:
    """Net pay as a function of gross pay for each worker's surcharge schedule.

    Pay rules are linear between the incomes where a rate, deduction or cliff changes,
    so a whole roster shares a handful of curves, one per distinct surcharge schedule;
    each is fitted once per set of rules and remembered.
    """
    if local.schedule_id is not None and len(local.schedule_id) == n:
        _, first, schedule = np.unique(local.schedule_id, return_index=True, return_inverse=True)
        distinct = _schedule_rows(local.take(first), len(first))
    else:
        distinct, schedule = np.unique(_schedule_rows(local, n), axis=0, return_inverse=True)
    key = (distinct.shape, distinct.tobytes())
    fitted = r.curves.get(key)
    if fitted is None:
        fitted = _fit_curves(r, distinct)
        with _FITTED_LOCK:
            r.curves[key] = fitted
            if len(r.curves) > 256:  # many rosters of many comuni: forget the oldest
                del r.curves[next(iter(r.curves))]
    return _NetCurve(*fitted, schedule.ravel())


def _schedule_rows(local: LocalTaxes, n: int) -> np.ndarray:
    """Each worker's surcharge schedule as one row of 15 numbers, shape (n, 15)."""
    return np.column_stack([np.broadcast_to(a, (n, a.shape[1])) for a in
                            (local.regional_thresholds, local.regional_rates, local.municipal_thresholds,
                             local.municipal_rates, np.broadcast_to(local.municipal_exemption, (n,))[:, None])])


_FITTED_LOCK = threading.Lock()


def _fit_curves(r: _Rules, distinct: np.ndarray) -> tuple[np.ndarray, ...]:
    """(lower, upper, intercept, slope) of each schedule's segments: two evaluations inside each suffice."""
    m = len(distinct)
    own = LocalTaxes(distinct[:, 0:3], distinct[:, 3:7], distinct[:, 7:10], distinct[:, 10:14], distinct[:, 14])
    breaks = np.sort(_gross_for_taxable(_taxable_breakpoints(r, own, m), r), axis=1)  # NaNs last
    breaks[:, 1:][breaks[:, 1:] == breaks[:, :-1]] = np.nan  # a shared breakpoint makes one segment
    breaks = np.sort(breaks, axis=1)
    breaks = breaks[:, :max(int(np.isfinite(breaks).sum(axis=1).max(initial=0)), 1)]  # no all-unused columns
    lower = np.concatenate([np.zeros((m, 1)), breaks], axis=1)
    upper = np.concatenate([breaks, np.full((m, 1), np.nan)], axis=1)
    last = np.isfinite(lower) & np.isnan(upper)
    upper = np.where(last, np.inf, upper)
    unused = np.isnan(lower)
    lower, upper = np.where(unused, np.inf, lower), np.where(unused, np.inf, upper)
    # Two points inside each segment, away from its ends (where a cliff sits).
    with np.errstate(invalid="ignore"):
        width = np.where(last, 2_000.0, np.where(unused, 1.0, upper - lower))
    base = np.where(unused, 0.0, lower)
    x1, x2 = base + 0.25 * width, base + 0.75 * width
    k = lower.shape[1]
    repeat = own.take(np.repeat(np.arange(m), k))
    net1 = _net_pay(x1.ravel(), r, repeat).net.reshape(m, k)
    net2 = _net_pay(x2.ravel(), r, repeat).net.reshape(m, k)
    # Two breaks at one gross make a segment of no width: its slope is 0/0, and no worker falls inside it.
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = (net2 - net1) / (x2 - x1)
        intercept = net1 - slope * x1
        top = np.where(unused, -np.inf, np.where(last, np.inf, intercept + slope * upper))
    fitted = lower, upper, intercept, slope, top
    for array in fitted:
        array.flags.writeable = False
    return fitted


def _smallest_on_curve(curve: _NetCurve, target: np.ndarray, floor: np.ndarray, ceiling: np.ndarray,
                       added_slope: float | np.ndarray = 0.0, workers: np.ndarray | None = None) -> np.ndarray:
    """Smallest gross y in [floor, ceiling] with net(y) + added_slope * y >= target, per worker [EUR/year].

    NaN where no such y exists. Within a segment the left-hand side rises linearly, so the first
    segment whose right end reaches the target holds the answer, found by one division.
    `workers` says whose curve each target is on when they are not one per worker in order.
    """
    s = curve.schedule if workers is None else curve.schedule[workers]
    upper = curve.upper[s]
    if np.isscalar(added_slope) and added_slope == 0 and np.all(np.isinf(ceiling)):
        # Segments end where they end, so their tops are the fitted ones: half the work.
        reaches = (upper >= floor[:, None]) & (curve.top[s] >= target[:, None])
    else:
        slope = curve.slope[s] + np.reshape(added_slope, (-1, 1))
        lo = np.maximum(curve.lower[s], floor[:, None])
        hi = np.minimum(upper, ceiling[:, None])
        with np.errstate(invalid="ignore"):
            best = np.where(np.isinf(hi), np.inf, curve.intercept[s] + slope * hi)
        reaches = (hi >= lo) & np.isfinite(lo) & (best >= target[:, None])
    j = np.argmax(reaches, axis=1)  # the first segment that reaches, or 0 when none does
    found = reaches[np.arange(len(j)), j]
    at = (s, j)
    lower_j = curve.lower[at]
    lo_j, hi_j = np.maximum(lower_j, floor), np.minimum(curve.upper[at], ceiling)
    a, b = curve.intercept[at], curve.slope[at] + added_slope
    # A segment is open on the left ("up to 15,000"): starting at its lower end means just past it.
    open_left = (lo_j == lower_j) & (lo_j > 0) & (lo_j > floor)
    start = np.where(open_left, lo_j + _LEFT_OF_BREAK_EUR, lo_j)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.maximum((target - a) / b, start)
    # A hair more than the exact answer keeps the micro-rounded rules on the right side of the target.
    return np.where(found, np.minimum(y, hi_j) + _ROUNDING_EUR, np.nan)


def _nudge_up(x: np.ndarray, gain: Callable[[np.ndarray], np.ndarray], target: np.ndarray,
              reached: np.ndarray | None = None) -> np.ndarray:
    """Move x up by float dust where the exact rules fall a hair short of the target.

    `reached` is gain(x) when the caller has already computed it.
    """
    for k in range(_NUDGES):
        short = (gain(x) if reached is None else reached) < target
        reached = None
        if not np.any(short):
            return x
        x = np.where(short, x + _ROUNDING_EUR * 4.0 ** k, x)
    return x


def gross_from_net_annual_eur(net_annual_eur_: ArrayLike, params: Parameters, on: dt.date, *,
                              home_istat=None, local: LocalTaxes | None = None) -> np.ndarray:
    """Smallest yearly gross pay [EUR/year] whose take-home reaches `net_annual_eur_` [EUR/year]."""
    target = _as_array(net_annual_eur_, "net_annual_eur")
    r = _rules(params, on)
    local = _resolve_local(len(target), params, on, home_istat, local)
    curve = _net_curve(r, local, len(target))
    zero = np.zeros(len(target))
    gross = _smallest_on_curve(curve, target, zero, zero + np.inf)
    return _nudge_up(gross, lambda g: _net_pay(g, r, local).net, target)


def gross_monthly_from_net_monthly_eur(net_monthly_eur_: ArrayLike, params: Parameters, on: dt.date, *,
                                       home_istat=None, local: LocalTaxes | None = None) -> np.ndarray:
    """Smallest payslip gross [EUR/month] whose take-home reaches `net_monthly_eur_` [EUR/month]."""
    payments = monthly_payments(params, on)
    net = _as_array(net_monthly_eur_, "net_monthly_eur") * payments
    return gross_from_net_annual_eur(net, params, on, home_istat=home_istat, local=local) / payments


# --------------------------------------------------------------------------- making a worker whole


def raise_to_offset_eur(gross_annual_eur: ArrayLike, extra_net_annual_eur: ArrayLike, params: Parameters,
                        on: dt.date, *, home_istat=None, local: LocalTaxes | None = None) -> np.ndarray:
    """Smallest taxable gross raise [EUR/year] that adds `extra_net_annual_eur` [EUR/year] to take-home pay.

    Computed on the worker's own rules, cliffs included: a raise that pushes income past
    15,000 EUR must also replace the lost integrative payment.
    """
    gross = _as_array(gross_annual_eur, "gross_annual_eur")
    # A negative extra cost (the move saves money) needs no raise.
    extra = _per_worker(np.maximum(_as_array(extra_net_annual_eur, "extra_net_annual_eur", allow_negative=True),
                                   0.0), len(gross), "extra_net_annual_eur")
    r = _rules(params, on)
    local = _resolve_local(len(gross), params, on, home_istat, local)
    base = _net_pay(gross, r, local).net
    return _raises_for(gross, base, extra[None, :], r, local, _net_curve(r, local, len(gross)))[0]


def _raises_for(gross: np.ndarray, base: np.ndarray, extras: np.ndarray, r: _Rules, local: LocalTaxes,
                curve: _NetCurve) -> np.ndarray:
    """Smallest raises [EUR/year] adding each row of `extras` (shape (k, n)) to take-home pay `base`, solved at once."""
    return _settle_raises(_raise_candidates(gross, base, extras, curve), gross, base, extras, r, local)


def _settle_raises(raises: np.ndarray, gross: np.ndarray, base: np.ndarray, extras: np.ndarray, r: _Rules,
                   local: LocalTaxes, reached: np.ndarray | None = None) -> np.ndarray:
    """Candidate raises (k, n) checked against the exact rules (`reached`: their gain, if known); 0 for no cost."""
    def gain(x: np.ndarray) -> np.ndarray:  # (k, n): the rules broadcast over each worker's column
        return _net_pay(gross + x, r, local).net - base

    raised = _nudge_up(raises, gain, extras, reached)
    return np.where(extras > 0, raised, 0.0)


def _raise_candidates(gross: np.ndarray, base: np.ndarray, extras: np.ndarray, curve: _NetCurve) -> np.ndarray:
    """The raises of `_raises_for` as the fitted curve gives them, before the check against the exact rules."""
    k, n = extras.shape
    workers = np.tile(np.arange(n), k)
    g = gross[workers]
    return (_smallest_on_curve(curve, base[workers] + extras.ravel(), g, g + np.inf, workers=workers) - g
            ).reshape(k, n)


@dataclass(frozen=True)
class _TransferAllowance:
    """The first-year transfer allowance: a share of it is tax-free, up to a cap [EUR]."""

    share: float
    cap: float

    def taxable_part(self, allowance: np.ndarray) -> np.ndarray:
        return allowance - np.minimum(self.share * allowance, self.cap)

    def gain(self, allowance: np.ndarray, net_of_taxed: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Take-home added by `allowance`, given net pay on the gross plus its taxable part [EUR/year]."""
        return allowance - self.taxable_part(allowance) + net_of_taxed - base

    def candidates(self, gross: np.ndarray, base: np.ndarray, extra: np.ndarray, curve: _NetCurve) -> np.ndarray:
        """Allowances adding `extra`, from the fitted curve, before the check against the exact rules.

        Up to the cap (allowance `cap / share`), on the taxed income y = gross + (1 - share) * allowance
        the gain is net(y) - base + share / (1 - share) * (y - gross); past it, net(y) - base + cap
        with y = gross + allowance - cap.
        """
        tax_free_per_taxed = self.share / (1 - self.share)
        capped_from = gross + (1 - self.share) * self.cap / self.share
        below = _smallest_on_curve(curve, extra + base + tax_free_per_taxed * gross, gross, capped_from,
                                   added_slope=tax_free_per_taxed)
        above = _smallest_on_curve(curve, extra + base - self.cap, capped_from, gross + np.inf)
        return np.where(np.isnan(below), above - gross + self.cap, (below - gross) / (1 - self.share))

    def settle(self, allowance: np.ndarray, gross: np.ndarray, base: np.ndarray, extra: np.ndarray, r: _Rules,
               local: LocalTaxes, reached: np.ndarray | None = None) -> np.ndarray:
        """The candidates checked against the exact rules (`reached`: their gain, if known); 0 for no cost."""
        gain = lambda a: self.gain(a, _net_pay(gross + self.taxable_part(a), r, local).net, base)  # noqa: E731
        return np.where(extra > 0, _nudge_up(allowance, gain, extra, reached), 0.0)


def net_with_renewal_rise_eur(gross_annual_eur: ArrayLike, rise_annual_eur: ArrayLike, income_2025_eur: ArrayLike,
                              params: Parameters, on: dt.date, *, home_istat=None,
                              local: LocalTaxes | None = None) -> np.ndarray:
    """Yearly take-home [EUR/year] when `rise_annual_eur` of the gross is a 2026 contract-renewal rise.

    L. 199/2025 art. 1 c. 7 (tax.renewal): where it applies (2026, 2025 income up to the limit),
    the rise less its contributions is taxed at the flat rate, and the rest of the pay by the
    ordinary rules, as if the rise were not there; elsewhere the whole pay is taxed as usual.
    The worker may renounce the flat tax in writing: where the ordinary rules leave her more
    (in the no-tax area the flat 5 % is a loss), the larger of the two is returned.
    """
    gross = _as_array(gross_annual_eur, "gross_annual_eur")
    rise = np.broadcast_to(_as_array(rise_annual_eur, "rise_annual_eur"), gross.shape)
    income_2025 = np.broadcast_to(_as_array(income_2025_eur, "income_2025_eur"), gross.shape)
    r = _rules(params, on)
    local = _resolve_local(len(gross), params, on, home_istat, local)
    ordinary = _net_pay(gross, r, local).net
    if not _switched_on(params, "tax.renewal.applies", on):
        return ordinary
    eligible = income_2025 <= float(params.value("tax.renewal.income_limit", on))
    rate = float(params.value("tax.renewal.substitute_rate", on))
    rise_net = rise * (1 - r.employee_rate) * (1 - rate)
    flat = _net_pay(gross - rise, r, local).net + rise_net
    return np.where(eligible, np.maximum(flat, ordinary), ordinary)


def transfer_allowance_eur(gross_annual_eur: ArrayLike, allowance_eur: float, params: Parameters, on: dt.date, *,
                           home_istat=None, local: LocalTaxes | None = None) -> tuple[np.ndarray, np.ndarray]:
    """What a first-year transfer allowance of `allowance_eur` gross leaves each worker, and costs the company [EUR].

    Art. 51 c.7 TUIR, applied by the full rules (the same as `make_whole`'s allowance): the
    exempt share up to the cap is tax-free; the rest is added to the year's gross pay and
    taxed with it, so the worker keeps the exempt part plus the take-home the taxable part
    adds. The company pays the allowance and its contributions on the taxable part.
    """
    gross = _as_array(gross_annual_eur, "gross_annual_eur")
    r = _rules(params, on)
    local = _resolve_local(len(gross), params, on, home_istat, local)
    transfer = _TransferAllowance(float(params.value("tax.benefits.transfer_allowance_exempt_share", on)),
                                  float(params.value("tax.benefits.transfer_allowance_exempt_cap", on)))
    allowance = np.full(len(gross), float(allowance_eur))
    taxable = transfer.taxable_part(allowance)
    net = transfer.gain(allowance, _net_pay(gross + taxable, r, local).net, _net_pay(gross, r, local).net)
    return net, allowance + taxable * float(params.value("tax.social.employer_rate", on))


MAKE_WHOLE_COLUMNS = {
    "extra_net_annual_eur": "extra net cost to cover [EUR/year] (12 x the monthly cost)",
    "marginal_rate": "share of the next 100 EUR of gross lost to contributions and taxes",
    "raise_gross_annual_eur": "smallest taxable raise that leaves take-home pay whole [EUR/year]",
    "raise_gross_per_payment_eur": "the same raise on each of the 13 payslips [EUR/payslip]",
    "raise_company_cost_annual_eur": "company's cost of that raise, employer contributions and TFR included",
    "pass_company_cost_annual_eur": "tax-free transit pass plus a raise for any cost the pass leaves [EUR/year]",
    "fringe_eur": "tax-free fringe benefits used, up to the yearly threshold [EUR/year]",
    "fringe_raise_gross_annual_eur": "raise still needed beside the fringe benefits [EUR/year]",
    "fringe_company_cost_annual_eur": "company's cost of fringe benefits plus that raise [EUR/year]",
    "transfer_allowance_first_year_eur": "first-year transfer allowance (50 % tax-free up to the cap) [EUR]",
    "transfer_company_cost_first_year_eur": "company's cost of the allowance (contributions on the taxable part) [EUR]",
}


def make_whole(gross_annual_eur: ArrayLike, extra_net_monthly_eur: ArrayLike, params: Parameters,
               on: dt.date, *, home_istat=None, local: LocalTaxes | None = None,
               has_children: ArrayLike = False, transit_pass_annual_eur: ArrayLike = 0.0,
               pay_level: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """What leaves each worker's take-home pay whole after an extra cost, and what it costs the company.

    Parameters
    ----------
    gross_annual_eur : yearly gross pay before the move [EUR/year].
    extra_net_monthly_eur : extra net cost of the new commute [EUR/month], 12 months a year.
    has_children : dependent children (raises the fringe-benefit threshold to 2,000 EUR).
    transit_pass_annual_eur : price of the season tickets the company could pay instead [EUR/year];
        0 when public transport is not an option.
    pay_level : for a roster paid at a few levels, the row of `gross_annual_eur` and of the
        surcharge schedules (`local` or `home_istat`) each worker is paid at (an index array):
        `gross_annual_eur` then holds one value per level, and what depends on the level alone
        is worked once per level. None: one row per worker.

    Returns
    -------
    The columns of `MAKE_WHOLE_COLUMNS` as arrays, one value per worker. Company costs use
    ``tax.social.employer_rate``, a labelled assumption.
    """
    level_gross = _as_array(gross_annual_eur, "gross_annual_eur")
    levels = len(level_gross)
    level = np.arange(levels) if pay_level is None else _pay_levels(pay_level, levels)
    n = len(level)
    monthly = _as_array(extra_net_monthly_eur, "extra_net_monthly_eur", allow_negative=True)
    extra = _per_worker(np.maximum(monthly, 0.0), n, "extra_net_monthly_eur") * 12.0  # a saving needs nothing
    children = _per_worker(np.atleast_1d(np.asarray(has_children, dtype=bool)), n, "has_children")
    pass_price = _per_worker(_as_array(transit_pass_annual_eur, "transit_pass_annual_eur"), n,
                             "transit_pass_annual_eur")
    r = _rules(params, on)
    level_local = _resolve_local(levels, params, on, home_istat, local)
    if len(level_local) < levels:  # one schedule for all: each level gets it, so a worker's is at her level
        level_local = level_local.take(np.zeros(levels, dtype=np.intp))
    employer = float(params.value("tax.social.employer_rate", on))
    severance = float(params.value("tax.social.severance_rate", on))
    raise_cost = 1.0 + employer + severance

    # Take-home pay and the next 100 EUR depend on the level alone.
    level_net = _net_pay(np.stack([level_gross, level_gross + _MARGINAL_STEP_EUR]), r, level_local).net
    threshold = np.where(children, float(params.value("tax.benefits.fringe_threshold_with_children", on)),
                         float(params.value("tax.benefits.fringe_threshold", on)))
    fringe = np.minimum(extra, threshold)
    # Only a cost needs a raise: the rules are solved for those workers alone (their gross, take-home,
    # cost and schedules below), the others need 0.
    costed = np.flatnonzero(extra > 0)
    at = level[costed]
    gross, base, cost, own = level_gross[at], level_net[0][at], extra[costed], level_local.take(at)
    curve = _net_curve(r, level_local, levels)
    curve = replace(curve, schedule=curve.schedule[at])
    extras = np.stack([cost, np.maximum(cost - pass_price[costed], 0.0), cost - fringe[costed]])
    transfer = _TransferAllowance(float(params.value("tax.benefits.transfer_allowance_exempt_share", on)),
                                  float(params.value("tax.benefits.transfer_allowance_exempt_cap", on)))
    raises = _raise_candidates(gross, base, extras, curve)
    allowance = transfer.candidates(gross, base, cost, curve)
    # One pass of the exact rules checks the four answers.
    net = _net_pay(np.concatenate([gross + raises, [gross + transfer.taxable_part(allowance)]]), r, own).net
    full_raise, pass_raise, fringe_raise, allowances = np.zeros((4, n))
    full_raise[costed], pass_raise[costed], fringe_raise[costed] = _settle_raises(
        raises, gross, base, extras, r, own, reached=net[:3] - base)
    allowances[costed] = transfer.settle(allowance, gross, base, cost, r, own,
                                         reached=transfer.gain(allowance, net[3], base))
    return {
        "extra_net_annual_eur": extra,
        "marginal_rate": (1.0 - (level_net[1] - level_net[0]) / _MARGINAL_STEP_EUR)[level],
        "raise_gross_annual_eur": full_raise,
        "raise_gross_per_payment_eur": full_raise / r.payments,
        "raise_company_cost_annual_eur": full_raise * raise_cost,
        "pass_company_cost_annual_eur": np.where(pass_price > 0, pass_price + pass_raise * raise_cost, np.nan),
        "fringe_eur": fringe,
        "fringe_raise_gross_annual_eur": fringe_raise,
        "fringe_company_cost_annual_eur": fringe + fringe_raise * raise_cost,
        "transfer_allowance_first_year_eur": allowances,
        "transfer_company_cost_first_year_eur": allowances + transfer.taxable_part(allowances) * employer,
    }


def _pay_levels(pay_level: np.ndarray, levels: int) -> np.ndarray:
    """`pay_level` checked: one row of the `levels` pay levels per worker."""
    level = np.asarray(pay_level)
    if level.ndim != 1 or level.dtype.kind not in "iu" or (len(level) and not 0 <= level.min() <= level.max() < levels):
        raise PayInputError(f"pay_level must hold one row of the {levels} pay levels for each worker")
    return level


# --------------------------------------------------------------------------- helpers


def _per_worker(array: np.ndarray, n: int, name: str) -> np.ndarray:
    if len(array) not in (1, n):
        raise PayInputError(f"{name} has {len(array)} values for {n} workers")
    return np.broadcast_to(array, (n,))
