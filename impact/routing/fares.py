"""What a commuter pays for public transport each month.

Regional trains (and extra-urban buses) are priced by distance band with
Trenitalia's Piedmont tariffs 39/13 (single tickets) and 40/13 (weekly, monthly
and annual passes), in ``transit.rail_piemonte``. The newest full tables found are
of December 2019, so each band's price is its latest *dated* value, raised by
the yearly increases of ``transit.rail_piemonte.average_increase_pct`` that came
into force after it, and rounded like the published tables; such a price is
labelled ``indexed-estimate`` (``official`` when no increase was applied).

A ticket or pass to "Torino" covers the trains only: a worker who then takes a
GTT tram or bus pays the GTT fare (``transit.gtt``) on top. Extra-urban buses are
priced with the rail bands (the region indexes both together; the bands of the
bus tariff were not found) and bought separately.

`monthly_fares` picks, for each worker and each fare system, the cheapest way to
cover the month's commuting days: single tickets (two a day), weekly passes for
the weeks worked, or a monthly pass; the annual pass divided by twelve is shown
beside it, for a worker or an employer who buys a year at once.

Result columns of `monthly_fares` (one row per worker; EUR):

    rail_product          "tickets", "weekly", "monthly" or "annual" ("" without trains)
    rail_eur_month        cost of that choice per month [EUR/month]
    rail_single_eur       one single ticket for the distance [EUR]
    rail_monthly_eur      one monthly pass [EUR/month]
    rail_annual_eur       one annual pass [EUR/year]
    rail_basis            "official" or "indexed-estimate"
    bus_product, bus_eur_month      the same for extra-urban buses
    gtt_product, gtt_eur_month      the same for GTT (urban Torino)
    total_eur_month       rail + bus + GTT [EUR/month]
    days_per_month        commuting days a month used [days/month]
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

from impact.calendar import working_days_per_month
from impact.errors import ParameterError
from impact.params import Parameters, default_parameters

PRODUCTS = ("single_2nd", "weekly_2nd", "monthly_2nd", "annual_2nd")

@lru_cache(maxsize=64)
def band_table(params: Parameters, product: str, on: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Upper km of each band, the price in force on `on`, and whether it was indexed.

    The price of a band is its latest dated value times the sourced increases that
    came into force after that value's date and up to `on`, rounded to the step of
    the published tables. Cached (read-only arrays): every evaluation prices four products twice.
    """
    prefix = f"transit.rail_piemonte.{product}."
    leaves = sorted((p for p in params if p.path.startswith(prefix)), key=lambda p: p.path)
    if not leaves:
        raise ParameterError(f"no fare bands under {prefix}")
    increases = params.get("transit.rail_piemonte.average_increase_pct").values
    step_name = "single_rounding_eur" if product == "single_2nd" else "pass_rounding_eur"
    step = float(params.value(f"transit.rail_piemonte.{step_name}", on))
    upper, price, indexed = [], [], []
    for leaf in leaves:
        upper.append(int(leaf.path.rsplit("_", 1)[1]))
        base = leaf.at(on)
        factor = np.prod([1 + v.value / 100 for v in increases if base.valid_from < v.valid_from <= on])
        price.append(np.round(base.value * factor / step) * step if factor != 1 else base.value)
        indexed.append(factor != 1)
    tables = np.asarray(upper), np.round(np.asarray(price, dtype=float), 2), np.asarray(indexed)
    for table in tables:
        table.flags.writeable = False
    return tables


def regional_price(km, product: str, on: dt.date, params: Parameters | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Price [EUR] of `product` for distances [km], and whether it is an indexed estimate.

    Distances are rounded up to whole km (0 km -> no price, 0). Beyond the last
    band the last band's price is used (the tables go on; longer commutes are not
    expected here).
    """
    return _regional_prices(km, (product,), on, params or default_parameters())[product]


def _regional_prices(km, products: tuple[str, ...], on: dt.date, params: Parameters
                     ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """`regional_price` of several products; their tables share the distance bands, found once."""
    km = np.ceil(np.asarray(km, dtype=float))
    has = km > 0
    prices, band, band_upper = {}, None, None
    for product in products:
        upper, price, indexed = band_table(params, product, on)
        if band is None or not np.array_equal(upper, band_upper):
            band = np.where(has, np.minimum(np.searchsorted(upper, np.maximum(km, 1), "left"), len(upper) - 1), -1)
            band_upper = upper
        # Index -1 (no distance) reads the appended "no price".
        prices[product] = (np.append(price, 0.0)[band], np.append(indexed, False)[band])
    return prices


def _cheapest(options: dict[str, np.ndarray], used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    names = np.array([*options, ""], dtype=object)  # the last name is for workers not using it
    costs = np.vstack(list(options.values()))
    pick = np.argmin(costs, axis=0)
    cost = np.take_along_axis(costs, pick[None, :], axis=0)[0]
    return names[np.where(used, pick, len(options))], np.where(used, np.round(cost, 2), 0.0)


def monthly_fares(fare_rail_km, fare_bus_km, uses_gtt, days_per_week, on: dt.date,
                  params: Parameters | None = None, buy_annual: bool = False) -> dict[str, np.ndarray]:
    """The cheapest monthly public-transport fares for each worker (columns in the module docstring), as arrays.

    fare_rail_km, fare_bus_km [km] and uses_gtt come from `TransitRouter.journey_arrays`;
    days_per_week [days]. With `buy_annual` the annual pass (divided by 12) competes
    with the other products.
    """
    params = params or default_parameters()
    rail_km = np.atleast_1d(np.asarray(fare_rail_km, dtype=float))
    bus_km = np.broadcast_to(np.asarray(fare_bus_km, dtype=float), rail_km.shape)
    gtt = np.broadcast_to(np.asarray(uses_gtt, dtype=bool), rail_km.shape)
    dpw = np.broadcast_to(np.asarray(days_per_week, dtype=float), rail_km.shape)
    days = working_days_per_month(dpw, on.year, params, on)
    weeks = np.where(dpw > 0, days / np.maximum(dpw, 1e-9), 0.0)

    # Trains and extra-urban buses share the regional bands: price both in one pass.
    km = np.concatenate([rail_km, bus_km])
    prices = _regional_prices(km, PRODUCTS, on, params)
    (single, indexed), (weekly, _), (monthly, _), (annual, _) = (prices[p] for p in PRODUCTS)
    days2, weeks2 = np.concatenate([days, days]), np.concatenate([weeks, weeks])
    options = {"tickets": 2 * days2 * single, "weekly": weeks2 * weekly, "monthly": monthly}
    if buy_annual:
        options["annual"] = annual / 12
    product, cost = _cheapest(options, km > 0)
    n = len(rail_km)
    r_product, r_cost, b_product, b_cost = product[:n], cost[:n], product[n:], cost[n:]
    r_single, r_monthly, r_annual, r_indexed = single[:n], monthly[:n], annual[:n], indexed[:n]
    g = lambda name: float(params.value(f"transit.gtt.{name}", on))  # noqa: E731
    g_options = {"tickets": 2 * days * g("single_ticket_eur"), "weekly": weeks * g("weekly_pass_eur"),
                 "monthly": np.full(len(rail_km), g("monthly_pass_eur"))}
    if buy_annual:
        g_options["annual"] = np.full(len(rail_km), g("annual_pass_eur") / 12)
    g_product, g_cost = _cheapest(g_options, gtt)
    return {
        "rail_product": r_product, "rail_eur_month": r_cost, "rail_single_eur": r_single,
        "rail_monthly_eur": r_monthly, "rail_annual_eur": r_annual,
        "rail_basis": np.array(["official", "indexed-estimate", ""], dtype=object)[
            np.where(rail_km > 0, r_indexed.astype(int), 2)],
        "bus_product": b_product, "bus_eur_month": b_cost,
        "gtt_product": g_product, "gtt_eur_month": g_cost,
        "total_eur_month": np.round(r_cost + b_cost + g_cost, 2),
        "days_per_month": np.round(days, 2),
    }
