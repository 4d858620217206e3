"""The impact model: one vectorized `evaluate()` for one worker or a whole workforce.

A single worker is a roster of one: the worker page, the command line and the
union page all call `evaluate()`.

Input columns of `workers` (a DataFrame, one row per worker):

    home_istat       ISTAT code of the home comune (6 digits)
    site             current office: "ivrea" or "asti"
    hours_per_day    contract hours a day [h]
    days_per_week    days worked a week [days]
    net_monthly_eur  take-home pay [EUR/month]; NaN: from gross_monthly_eur, else the union-quoted figure
    gross_monthly_eur  gross pay of one payslip [EUR/month] (13 a year); used when net_monthly_eur is NaN
    has_car          the worker can drive to work (default True)
    second_car       a car would have to be bought for this commute (default False)
    uses_motorway    takes the motorway to Torino when it is the way (default True)
    tolls_eur_per_day tolls of the new round trip [EUR/day]; NaN: from the parameters
    household_size   people in the household, for the flat size if moving (default 2)
    housing_now_eur_month  rent or mortgage now [EUR/month]; NaN: a similar flat's rent at home
    children_needing_care  children who would need paid care for the extra time away (default 0)
    shift_start_min, shift_end_min  shift times [minutes after midnight]; NaN: work.shift.default_start_min and start + hours
    preferred_mode   "best" (the cheaper feasible way), "car" or "transit" (the worker's own choice)

Result columns: one row per worker, in the order and with the units, display formats and
parameters listed by the result registry, `impact.results.COLUMNS` (a test keeps the two equal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks

from impact.calendar import working_days_per_month
from impact.care import care_cost_monthly, default_care_rate, hourly_net_pay, value_of_time
from impact.costs import car_monthly_cost_eur, car_rates, motorway_toll_eur_per_day
from impact.errors import WorkerInputError
from impact.comune_tables import ComuneTables, comune_tables
from impact.groups import distinct_rows
from impact.housing import LeaseTerms, flat_size_m2, monthly_rent_eur, relocation_costs
from impact.params import Parameters
from impact.pay import LocalTaxes, gross_from_net_annual_eur, make_whole, monthly_payments
from impact.pay import net_monthly_eur as net_monthly_from_gross
from impact.pay import part_time_ratio
from impact.rights import naspi_estimate, transfer_rule
from impact.places import Gazetteer, Site, destination
from impact.results import PAY_COLUMNS
from impact.routing import SOURCE_ESTIMATE
from impact.routing.car import car_trips
from impact.routing.estimate import load_model
from impact.routing.fares import monthly_fares
from impact.routing.ors import OrsRouter
from impact.routing.transit import TransitRouter
from impact.routing.transit import default_router as default_transit_router
from impact.validation import check_scenario, worker_arrays

DEFAULTS = {"has_car": True, "second_car": False, "uses_motorway": True,
            "net_monthly_eur": np.nan, "gross_monthly_eur": np.nan, "tolls_eur_per_day": np.nan,
            "household_size": 2, "housing_now_eur_month": np.nan, "children_needing_care": 0,
            "shift_start_min": np.nan, "shift_end_min": np.nan, "preferred_mode": "best"}
PAY_BASES = np.array(["gross", "default", "typed"], dtype=object)   # codes of `net_pay_basis`
# Work the distinct cases of a roster, not its rows, when they are at most this share of the rows
# (measured: at 99 % of the rows, spreading the figures back cost about 0.4 ms of 6 ms on 1,100 workers).
CASES_WORTH_SHARING = 0.9


@dataclass(frozen=True)
class Scenario:
    """The levers a negotiation can move. The default is the move as announced."""

    smart_working_days_per_week: float = 0.0
    # Allowances are what reaches the worker after tax; what they cost the company
    # (grossed up at her own rates) is in impact.scenarios.summarise.
    mileage_allowance_eur_per_km: float = 0.0   # net, on the extra km driven [EUR/km]
    monthly_allowance_eur: float = 0.0          # net, a flat sum towards the commute [EUR/month]
    company_pass_share: float = 0.0             # share of the new public-transport fares the company pays [0-1]
    shift_start_min: float | None = None        # every shift moved to start then [minutes after midnight]
    fuel_eur_per_l: float | None = None         # None: the latest sourced pump price
    l_per_100km: float | None = None            # None: the sourced real consumption

    def __post_init__(self) -> None:
        check_scenario(self)   # ScenarioError names the lever: NaN, 5 or -300 are never costed


def prepare(workers: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each input column as an array, defaults filled in and values checked (impact.validation)."""
    return worker_arrays(workers, DEFAULTS)


def allowance_eur_month(out: dict, scenario: Scenario) -> np.ndarray:
    """Net allowance each worker receives [EUR/month]: mileage on the extra km driven, plus the flat sum."""
    extra_km_month = 2 * (np.asarray(out["car_km_new"]) * np.asarray(out["days_new"])
                          - np.asarray(out["car_km_old"]) * np.asarray(out["days_old"]))
    return scenario.mileage_allowance_eur_per_km * np.maximum(extra_km_month, 0) + scenario.monthly_allowance_eur


def default_shift_start_min(params: Parameters, on: dt.date) -> float:
    """The shift start used when none is given [minutes after midnight] (a stated assumption, 09:00)."""
    return float(params.value("work.shift.default_start_min", on))


def default_net_pay(hours_per_day, params: Parameters, on: dt.date) -> np.ndarray:
    """The union-quoted take-home pay for part-time and full-time level 3 [EUR/month]."""
    hours = np.asarray(hours_per_day, dtype=float)
    full_time = params.value("work.pay_defaults.full_time_hours_per_day", on)
    return np.where(hours >= full_time, params.value("work.pay_defaults.full_time_net_monthly_eur", on),
                    params.value("work.pay_defaults.part_time_net_monthly_eur", on))


def contract_minimum_net_pay(hours_per_day, days_per_week, home_istat, params: Parameters,
                             on: dt.date) -> np.ndarray:
    """Take-home of the TLC level-3 minimum for these hours [EUR/month], shown beside the default.

    The full-time minimum gross (work.pay_defaults.level3_minimum_gross_monthly_eur) in
    proportion to the hours a week over the contract's full time, netted by `impact.pay`.
    """
    full_week = float(params.value("tax.tlc.full_time_hours_per_week", on))
    # Hours beyond the contract's full week are overtime, not a bigger minimum.
    hours_week = np.minimum(np.asarray(hours_per_day, dtype=float) * np.asarray(days_per_week, dtype=float), full_week)
    gross = (float(params.value("work.pay_defaults.level3_minimum_gross_monthly_eur", on))
             * part_time_ratio(hours_week, params, on))
    return net_monthly_from_gross(gross, params, on, home_istat=home_istat)


def _take_home(w: dict, local: LocalTaxes, rows: np.ndarray, params: Parameters, on: dt.date) -> dict:
    """Take-home pay used [EUR/month]: typed; else the net of a typed gross; else the default for the hours.
    `local`: every comune's surcharges, the workers' at `rows`.

    `net_gross_gap_eur_month` is typed net less the net of the typed gross where both are given
    (NaN otherwise), for the validation report to point out a disagreement.
    """
    net, gross = w["net_monthly_eur"], w["gross_monthly_eur"]
    from_gross = np.full(len(net), np.nan)
    has_gross = np.flatnonzero(~np.isnan(gross))
    if has_gross.size:
        from_gross[has_gross] = net_monthly_from_gross(gross[has_gross], params, on, local=local.take(rows[has_gross]))
    default = default_net_pay(w["hours_per_day"], params, on)
    typed = ~np.isnan(net)
    return {"net_monthly_eur": np.where(typed, net, np.where(np.isnan(from_gross), default, from_gross)),
            "net_pay_is_default": ~typed & np.isnan(from_gross),
            "net_pay_basis": PAY_BASES[np.where(typed, 2, np.where(np.isnan(from_gross), 1, 0))],
            "net_gross_gap_eur_month": net - from_gross}


def _tolls(w: dict, office: np.ndarray, out: dict, params: Parameters, on: dt.date,
           sites: dict[str, Site]) -> tuple[np.ndarray, np.ndarray]:
    """Round-trip tolls [EUR/day] of the old and the new commute.

    The motorway between the old office's town and Torino is paid by whoever
    crosses it: on the new commute by a worker living on the old office's side
    (nearer to it than to Torino), on the old commute by one living on Torino's
    side; trips under ``car.tolls.min_straight_km`` in a straight line stay on local roads. A
    toll the worker typed replaces the new commute's.
    """
    per_office = motorway_toll_eur_per_day(np.array(list(sites)), np.ones(len(sites), dtype=bool), params, on, sites)
    motorway = np.where(w["uses_motorway"], per_office[office], 0.0)
    old_side = out["straight_km_old"] < out["straight_km_new"]
    min_km = params.value("car.tolls.min_straight_km", on)
    tolls_new = np.where(old_side & (out["straight_km_new"] > min_km), motorway, 0.0)
    tolls_old = np.where(~old_side & (out["straight_km_old"] > min_km), motorway, 0.0)
    typed = w["tolls_eur_per_day"]
    return tolls_old, np.where(np.isnan(typed), tolls_new, typed)


def evaluate(workers: pd.DataFrame, scenario: Scenario, params: Parameters, on: dt.date,
             gazetteer: Gazetteer, sites: dict[str, Site], router: OrsRouter | None = None,
             pay: bool = True, transit: TransitRouter | None = None) -> pd.DataFrame:
    """What the move costs each worker; see the module docstring for the columns.

    What depends only on the home comune and an office is looked up in the per-comune
    tables (`impact.comune_tables`), built once for this data; the rest is per worker case:
    workers equal in every input column (home, office, hours, days, pay, shift, flags) are worked
    once and each gets her case's figures, the same as if worked alone. A roster that repeats its
    comuni, contracts and pay levels holds far fewer cases than rows; one with every row distinct
    (every pay typed, say) is worked row by row as before.
    `pay=False` leaves gross pay, compensation, rights and NASpI unfilled (NaN): the tax
    solver is most of the time, and a sweep over scenarios that only moves
    commuting levers does not need it.
    """
    w = prepare(workers)
    homes, offices = w.pop("home_istat"), w.pop("site")   # TextCodes: each distinct value looked up once
    # Each worker's office as its position in `sites`.
    position = {office_id: i for i, office_id in enumerate(sites)}
    office_of_value = np.array([position.get(value, -1) for value in offices.values.tolist()], dtype=np.int64)
    if (office_of_value < 0).any():
        unknown = sorted(map(str, offices.values[office_of_value < 0].tolist()))
        raise WorkerInputError(code="unknown_office", field="site", offices=", ".join(unknown))
    office = office_of_value[offices.codes]
    router_of_the_day = transit.for_date(on) if transit else default_transit_router(on)
    tables = comune_tables(gazetteer, sites, params, on, router_of_the_day)
    rows = tables.rows(homes.values, homes.codes)
    # Workers alike in every input are one case: each case is worked once and its figures go to each
    # of its workers (a roster repeats its comuni, offices, contracts and default pay). With few
    # repeats, spreading the figures would cost more than it saves, and the rows are worked as they
    # are: the figures are the same either way. Inputs are checked on every row before.
    case, first = distinct_rows(rows, office, *w.values())
    repeated = len(first) <= CASES_WORTH_SHARING * len(rows)
    if repeated:
        w, rows, office = {column: values[first] for column, values in w.items()}, rows[first], office[first]
    out = _evaluate_cases(w, rows, office, tables, scenario, params, on, sites, router, pay)
    return _frame(out, workers.index, case if repeated else None)


def _evaluate_cases(w: dict, rows: np.ndarray, office: np.ndarray, tables: ComuneTables, scenario: Scenario,
                    params: Parameters, on: dt.date, sites: dict[str, Site], router: OrsRouter | None,
                    pay: bool) -> dict:
    """Every result column for the checked inputs `w` of workers living at comune `rows` who work at
    the office `office` (a position in `sites`)."""
    new_site = destination(sites)
    out = _car(tables, rows, office, list(sites), new_site, router, params, on)

    days = w["days_per_week"]
    out["days_old"] = working_days_per_month(days, on.year, params, on)
    out["days_new"] = working_days_per_month(np.maximum(days - scenario.smart_working_days_per_week, 0),
                                             on.year, params, on)
    rates = car_rates(params, on, scenario.fuel_eur_per_l, scenario.l_per_100km)
    tolls_old, tolls_new = _tolls(w, office, out, params, on, sites)
    out["car_tolls_old_eur_day"], out["car_tolls_new_eur_day"] = tolls_old, tolls_new
    second_car = w["second_car"]
    out["car_cash_old"], out["car_full_old"] = car_monthly_cost_eur(out["car_km_old"], out["days_old"], rates,
                                                                    tolls_old)
    out["car_cash_new"], out["car_full_new"] = car_monthly_cost_eur(out["car_km_new"], out["days_new"], rates,
                                                                    tolls_new, second_car)
    allowance = allowance_eur_month(out, scenario)
    out["allowance_net_eur_month"] = allowance
    out["extra_car_cash_eur_month"] = out["car_cash_new"] - out["car_cash_old"] - allowance
    out["extra_car_full_eur_month"] = out["car_full_new"] - out["car_full_old"] - allowance
    out["extra_car_hours_month"] = 2 * (out["car_min_new"] * out["days_new"] - out["car_min_old"] * out["days_old"]) / 60

    out.update(_take_home(w, tables.local, rows, params, on))
    out["share_car_cash"] = out["extra_car_cash_eur_month"] / out["net_monthly_eur"]
    out.update(_public_transport(w, out, tables, rows, office, list(sites), new_site.id, scenario, params, on))
    out.update(_best_mode(w, out))
    out.update(_time_and_care(w, out, params, on))
    out.update(_relocation(w, out, tables, rows, params, on, new_site))
    n = len(rows)
    if pay:
        out.update(_pay_and_rights(w, out, tables.local, rows, params, on))
    else:  # the same columns, unfilled: every face can rely on the registry's set
        out.update({c: np.full(n, np.nan) for c in PAY_COLUMNS})
    return out


def _car(tables: ComuneTables, rows: np.ndarray, site_index: np.ndarray, site_names: list[str], new_site: Site,
         router: OrsRouter | None, params: Parameters, on: dt.date) -> dict[str, np.ndarray]:
    """Car trips to the old office (`site_index`: a position in `site_names`) and the new one: the
    tables' estimate, or openrouteservice when set.

    Also where each office is (`office_position_old/new`: ``sourced`` or ``moved``).
    """
    n = len(rows)
    old_tables = [tables.offices[s] for s in site_names]
    new_table = tables.offices[new_site.id]
    if router is None:
        # One row per old office, one column per comune: each worker's is at (office, comune).
        pick = lambda name: (np.stack([getattr(t.car, name) for t in old_tables])[site_index, rows],  # noqa: E731
                             getattr(new_table.car, name)[rows])
        trips = {name: pick(name) for name in ("km", "minutes", "km_low", "km_high", "minutes_low",
                                               "minutes_high", "straight_km")}
        source, note = (_text(n, SOURCE_ESTIMATE), _text(n, SOURCE_ESTIMATE)), ""
    else:
        home = np.column_stack([tables.lat[rows], tables.lon[rows]])
        old = np.array([(t.site.lat, t.site.lon) for t in old_tables]).reshape(-1, 2)[site_index]
        new = np.repeat([(new_site.lat, new_site.lon)], n, axis=0)
        routed = car_trips(np.vstack([home, home]), np.vstack([old, new]), load_model(params, on), router)
        trips = {name: (getattr(routed, name)[:n], getattr(routed, name)[n:])
                 for name in ("km", "minutes", "km_low", "km_high", "minutes_low", "minutes_high", "straight_km")}
        source, note = (routed.source[:n], routed.source[n:]), routed.note
    out: dict[str, np.ndarray] = {}
    out["straight_km_old"], out["straight_km_new"] = trips["straight_km"]
    out["car_km_old"], out["car_km_new"] = trips["km"]
    out["car_min_old"], out["car_min_new"] = trips["minutes"]
    out["car_km_low_new"], out["car_km_high_new"] = trips["km_low"][1], trips["km_high"][1]
    out["car_min_low_new"], out["car_min_high_new"] = trips["minutes_low"][1], trips["minutes_high"][1]
    out["car_source_old"], out["car_source_new"] = source
    out["office_position_old"] = np.array([t.position for t in old_tables], dtype=object)[site_index]
    out["office_position_new"] = _text(n, new_table.position)
    # Why openrouteservice was not used, on the rows that fell back to the estimate.
    out["routing_note"] = np.array(["", note], dtype=object)[(out["car_source_new"] == SOURCE_ESTIMATE) * 1]
    return out


def _text(n: int, value: str) -> np.ndarray:
    """One text for `n` rows, as a read-only view: `_frame` copies it (np.full of text was 15 times slower)."""
    return np.broadcast_to(np.array(value, dtype=object), (n,))


def _frame(columns: dict[str, np.ndarray], index: pd.Index, case: np.ndarray | None = None) -> pd.DataFrame:
    """The result frame, text columns as Python strings (object dtype); row i takes case ``case[i]``'s values.

    Built as pandas keeps it, one 2-D block per dtype (`pandas.api.internals.create_dataframe_from_blocks`,
    pandas pinned in requirements.txt): each block is stacked once over the cases and taken to the
    workers in one go, instead of a take per column and pandas stacking the columns again (at 100,000
    workers that was a third of the time). Every column is a 1-D array of the cases' length made
    here. A test compares the result with the public constructor's.
    """
    arrays = [values.astype(object) if values.dtype.kind in "US" else values for values in columns.values()]
    where: dict[np.dtype, list[int]] = {}
    for position, values in enumerate(arrays):
        where.setdefault(values.dtype, []).append(position)
    blocks = []
    for positions in where.values():
        block = np.stack([arrays[p] for p in positions])   # (columns, cases), a copy the frame owns
        blocks.append((block if case is None else block.take(case, axis=1), np.array(positions, dtype=np.intp)))
    return create_dataframe_from_blocks(blocks, index=index, columns=pd.Index(list(columns)))


def _pay_and_rights(w: dict, out: dict, local: LocalTaxes, rows: np.ndarray, params: Parameters,
                    on: dt.date) -> dict:
    """Gross pay behind the take-home, what would make the worker whole, and the INPS rule.
    `local`: every comune's surcharges, the workers' at `rows`.

    Gross pay and NASpI depend only on the take-home and the surcharge schedule, which a
    roster at the contract's few pay levels shares: they are computed once per pair, make_whole's
    pay levels. What makes her whole depends on that pair, her extra cost, children and pass
    price: once per such case.
    """
    pass_year = np.round(np.where(out["transit_feasible_new"], 12 * out["transit_eur_new"], 0.0), 2)
    net = np.round(out["net_monthly_eur"], 2)
    pair, first = distinct_rows(local.schedule_id[rows], net)
    payments = monthly_payments(params, on)
    level_local = local.take(rows[first])
    gross_of_pair = gross_from_net_annual_eur(net[first] * payments, params, on, local=level_local)
    gross = gross_of_pair[pair]
    # A saving needs nothing (make_whole counts it as no cost): every saving is one case with no cost.
    extra, children = np.maximum(np.round(out["extra_best_eur_month"], 2), 0.0), w["children_needing_care"] > 0
    case, one = distinct_rows(pair, extra, children, pass_year)
    whole = make_whole(gross_of_pair, extra[one], params, on, local=level_local, pay_level=pair[one],
                       has_children=children[one], transit_pass_annual_eur=pass_year[one])
    naspi = naspi_estimate(gross_of_pair, params, on)
    # A cash allowance is taxed: its cost is the gross raise that leaves her that much net, at her own rates.
    paid = np.round(out["allowance_net_eur_month"], 2)
    allowance_cost = np.zeros(len(paid))
    if (paid > 0).any():
        paid_case, paid_one = distinct_rows(pair, paid)
        raised = make_whole(gross_of_pair, paid[paid_one], params, on, local=level_local,
                            pay_level=pair[paid_one])["raise_company_cost_annual_eur"]
        allowance_cost = np.where(paid > 0, raised[paid_case] / 12, 0.0)
    rule = transfer_rule(out["car_km_new"], out["straight_km_new"], out["inps_minutes"], params, on)
    return {
        "gross_annual_eur": gross,
        "raise_gross_per_payment_eur": whole["raise_gross_per_payment_eur"][case],
        "raise_company_cost_annual_eur": whole["raise_company_cost_annual_eur"][case],
        "fringe_company_cost_annual_eur": whole["fringe_company_cost_annual_eur"][case],
        "pass_company_cost_annual_eur": whole["pass_company_cost_annual_eur"][case],
        "transfer_allowance_first_year_eur": whole["transfer_allowance_first_year_eur"][case],
        "allowance_company_cost_eur_month": allowance_cost,
        "rights_over_50km": rule["over_50km"],
        "rights_distance_status": rule["distance_status"],
        "rights_over_80min": rule["over_80min_transit"],
        "rights_transit_status": rule["transit_status"],
        "rights_status": rule["status"],
        "naspi_monthly_eur": naspi["naspi_monthly_eur"][pair],
        "naspi_duration_months": naspi["duration_months"][pair],
    }


def _shifts(w: dict, scenario: Scenario, default_start: float) -> tuple[np.ndarray, np.ndarray]:
    """Shift start and end [minutes after midnight]: `default_start` and start + contract hours unless given.

    A scenario's shift start moves every shift, each keeping its length.
    """
    start = np.where(np.isnan(w["shift_start_min"]), default_start, w["shift_start_min"])
    end = np.where(np.isnan(w["shift_end_min"]), start + 60 * w["hours_per_day"], w["shift_end_min"])
    if scenario.shift_start_min is not None:
        length = (end - start) % 1440
        start = np.full(len(start), float(scenario.shift_start_min))
        end = start + length
    return start.astype(np.int64), (end % 1440).astype(np.int64)


# The journey columns the results are made of (the access stations are for the journey's legs only).
_JOURNEY_COLUMNS_USED = ("out_feasible", "back_feasible", "minutes", "out_minutes", "back_minutes", "out_changes",
                         "last_leave_site", "source", "fare_rail_km", "fare_bus_km", "uses_gtt")


def _public_transport(w: dict, out: dict, tables: ComuneTables, rows: np.ndarray, office: np.ndarray,
                      site_names: list[str], new_site_id: str, scenario: Scenario, params: Parameters,
                      on: dt.date) -> dict:
    """Journeys for the shift to the old office (`office`: a position in `site_names`) and the new one,
    their fares, and the INPS minutes."""
    start, end = _shifts(w, scenario, default_shift_start_min(params, on))
    n = len(rows)
    both = tables.journeys(np.concatenate([rows, rows]),
                           np.concatenate([office, np.full(n, site_names.index(new_site_id))]),
                           np.concatenate([start, start]), np.concatenate([end, end]), names=site_names,
                           columns=_JOURNEY_COLUMNS_USED)
    old = {column: values[:n] for column, values in both.items()}
    new = {column: values[n:] for column, values in both.items()}
    days = np.concatenate([w["days_per_week"], np.maximum(w["days_per_week"] - scenario.smart_working_days_per_week, 0)])
    # Fares depend on the fare km, the GTT leg and the days only: journeys alike are priced once.
    fare_case, first = distinct_rows(both["fare_rail_km"], both["fare_bus_km"], both["uses_gtt"], days)
    fares = monthly_fares(both["fare_rail_km"][first], both["fare_bus_km"][first], both["uses_gtt"][first],
                          days[first], on, params)
    if len(first) < len(fare_case):
        fares = {column: values[fare_case] for column, values in fares.items()}
    fares_old = {column: values[:n] for column, values in fares.items()}
    fares_new = {column: values[n:] for column, values in fares.items()}
    feasible_old = old["out_feasible"] & old["back_feasible"]
    feasible_new = new["out_feasible"] & new["back_feasible"]
    minutes_old = np.where(feasible_old, old["minutes"].astype(float), np.nan)
    minutes_new = np.where(feasible_new, new["minutes"].astype(float), np.nan)
    eur_old = np.where(feasible_old, fares_old["total_eur_month"], np.nan)
    eur_new = np.where(feasible_new, fares_new["total_eur_month"], np.nan)
    inps = {name: values[rows] for name, values in tables.offices[new_site_id].inps.items()}
    extra = transit_extra_eur_month(eur_new, eur_old, allowance_eur_month(out, scenario), scenario)
    return {
        "transit_min_old": minutes_old, "transit_min_new": minutes_new,
        "transit_out_min_new": new["out_minutes"].astype(float),
        "transit_back_min_new": new["back_minutes"].astype(float),
        "transit_feasible_old": feasible_old, "transit_feasible_new": feasible_new,
        "transit_changes_new": new["out_changes"].astype(float),
        "transit_last_leave_new": new["last_leave_site"].astype(float),
        "transit_source_old": old["source"], "transit_source_new": new["source"],
        "transit_eur_old": eur_old, "transit_eur_new": eur_new,
        **{f"transit_{part}_eur_{period}": np.where(feasible, fares_p[f"{part}_eur_month"], np.nan)
           for part in ("rail", "bus", "gtt")
           for period, feasible, fares_p in (("old", feasible_old, fares_old), ("new", feasible_new, fares_new))},
        "transit_product_new": fares_new["rail_product"],
        "transit_fare_basis_new": fares_new["rail_basis"],
        "fare_rail_km_new": new["fare_rail_km"].astype(float),
        "fare_bus_km_new": new["fare_bus_km"].astype(float),
        "uses_gtt_new": new["uses_gtt"].astype(bool),
        "extra_transit_eur_month": extra,
        "extra_transit_hours_month": 2 * (minutes_new * out["days_new"] - np.nan_to_num(minutes_old) * out["days_old"]) / 60,
        "share_transit": extra / out["net_monthly_eur"],
        "inps_minutes": inps["inps_minutes"].astype(float), "inps_basis": inps["inps_basis"],
        "inps_journeys": inps["inps_journeys"].astype(np.int64),
        "inps_over_80min": inps["inps_over_threshold"], "inps_lower_bound": inps["inps_lower_bound"],
    }


def transit_extra_eur_month(eur_new: np.ndarray, eur_old: np.ndarray, allowance: np.ndarray,
                            scenario: Scenario) -> np.ndarray:
    """New less old fares less the allowance [EUR/month], the company's share of the new fares paid.

    A company-paid pass is tax-free (art. 51 c.2 d-bis TUIR): the worker saves its full price.
    `eur_old` NaN (no journey fits today) counts as no fare today.
    """
    return eur_new * (1 - scenario.company_pass_share) - np.nan_to_num(eur_old) - allowance


def goes_by_car(has_car: np.ndarray, preferred_mode: np.ndarray, extra_car: np.ndarray, extra_transit: np.ndarray,
                transit_feasible: np.ndarray) -> np.ndarray:
    """True where the worker's way is the car: her stated way where possible, else the cheaper feasible one.

    The car counts only where she can drive; with neither a car nor a fitting journey, the car's
    figures stand (a car would be needed).
    """
    car_cost = np.where(has_car, extra_car, np.inf)
    transit_cost = np.where(transit_feasible, extra_transit, np.inf)
    car = car_cost <= transit_cost
    car |= ~np.isfinite(transit_cost) & ~np.isfinite(car_cost)
    return np.where((preferred_mode == "car") & has_car, True,
                    np.where((preferred_mode == "transit") & transit_feasible, False, car))


def _best_mode(w: dict, out: dict) -> dict:
    """The worker's way to the new office (`goes_by_car`) and its figures."""
    car = goes_by_car(w["has_car"], w["preferred_mode"], out["extra_car_cash_eur_month"],
                      out["extra_transit_eur_month"], out["transit_feasible_new"])
    pick = lambda car_value, transit_value: np.where(car, car_value, transit_value)  # noqa: E731
    return {
        "best_mode": np.array(["transit", "car"], dtype=object)[car * 1],
        "extra_best_eur_month": pick(out["extra_car_cash_eur_month"], out["extra_transit_eur_month"]),
        "extra_best_hours_month": pick(out["extra_car_hours_month"], out["extra_transit_hours_month"]),
        "share_best": pick(out["share_car_cash"], out["share_transit"]),
    }


def _time_and_care(w: dict, out: dict, params: Parameters, on: dt.date) -> dict:
    """The extra time valued at the worker's own pay, and childcare bought for it."""
    hourly = hourly_net_pay(out["net_monthly_eur"], w["hours_per_day"], w["days_per_week"])
    car = out["best_mode"] == "car"
    extra_minutes_day = 2 * np.maximum(np.where(car, out["car_min_new"] - out["car_min_old"],
                                                out["transit_min_new"] - np.nan_to_num(out["transit_min_old"])), 0)
    rate, _source = default_care_rate(params, on)
    return {
        "value_of_time_eur_month": value_of_time(np.maximum(out["extra_best_hours_month"], 0), hourly),
        "care_eur_month": care_cost_monthly(extra_minutes_day / 60, out["days_new"],
                                            w["children_needing_care"], rate),
    }


def _relocation(w: dict, out: dict, tables: ComuneTables, rows: np.ndarray, params: Parameters, on: dt.date,
                new_site: Site) -> dict:
    """Moving near the new office against the worker's own answer (`extra_best_eur_month`)."""
    flat = flat_size_m2(w["household_size"], params, on)
    new_row = tables.gazetteer.row(new_site.istat)
    new_per_m2 = np.full(len(rows), tables.rent_eur_per_m2[new_row])
    new_basis = _text(len(rows), tables.rent_basis[new_row])
    home_per_m2, home_basis = tables.rent_eur_per_m2[rows], tables.rent_basis[rows]
    typed = w["housing_now_eur_month"]
    housing_now = np.where(np.isnan(typed), monthly_rent_eur(home_per_m2, flat), typed)
    move = relocation_costs(monthly_rent_eur(new_per_m2, flat), housing_now, out["extra_best_eur_month"],
                            LeaseTerms.from_params(params, on))
    return {
        "move_rent_new_eur_month": move.new_rent_eur_month, "move_rent_new_basis": new_basis,
        "move_housing_now_eur_month": move.current_housing_eur_month,
        "move_housing_now_basis": np.where(np.isnan(typed), home_basis, "typed"),
        "move_one_off_eur": move.one_off_eur, "move_deposit_eur": move.deposit_eur,
        "move_extra_eur_month": move.moving_extra_eur_month,
        "move_advantage_eur_month": move.advantage_eur_month,
        "move_break_even_month": move.break_even_month,
    }
