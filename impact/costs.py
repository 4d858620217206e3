"""What a commute by car costs a month: fuel, wear, tolls and, if needed, a second car.

Two figures, because they answer two questions:

* cash [EUR/month]: fuel and tolls, what leaves the worker's pocket each month;
* full [EUR/month]: cash plus the car's wear per km as the ACI tables cost it
  (tyres, maintenance, the use-dependent depreciation), the basis on which
  mileage is usually reimbursed.

The ACI split of its per-km cost was not found offline, so wear is derived from
the ACI total of a small petrol hybrid by taking out the fuel (at its WLTP
consumption and the sourced pump price) and the fixed costs that do not grow
with km (bollo, RC insurance, over the ACI's 15,000 km a year). Interest on the
car's capital stays in: wear is slightly overstated, and the trace says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from impact.params import Parameters
from impact.places import Site, load_sites

CAR = "car.running_costs"


@dataclass(frozen=True)
class CarRates:
    """Per-km and per-month rates of the car costs, with the figures they come from."""

    fuel_eur_per_l: float
    l_per_100km: float
    wear_eur_per_km: float
    second_car_eur_per_month: float   # insurance, bollo and inspection of a car bought for the commute

    @property
    def fuel_eur_per_km(self) -> float:
        return self.fuel_eur_per_l * self.l_per_100km / 100


def wear_eur_per_km(params: Parameters, on: dt.date) -> float:
    """ACI per-km cost less fuel and fixed costs: tyres, maintenance, depreciation [EUR/km]."""
    aci = params.get(f"{CAR}.aci_cost_per_km_small_hybrid_eur").at(on)
    # Fuel at the earliest sourced pump price on or after the ACI table's date.
    petrol = params.get("car.fuel.petrol_eur_per_l")
    price = next((v.value for v in petrol.values if v.valid_from >= aci.valid_from), petrol.values[-1].value)
    fuel = params.value(f"{CAR}.consumption_wltp_l_per_100km", on) / 100 * price
    fixed_per_year = params.value(f"{CAR}.rca_avg_premium_torino_eur", on) + (
        params.value(f"{CAR}.bollo_eur_per_kw_euro4_to_6", on) * params.value(f"{CAR}.small_car_power_kw", on))
    fixed = fixed_per_year / params.value(f"{CAR}.aci_reference_km_per_year", on)
    return aci.value - fuel - fixed


def second_car_eur_per_month(params: Parameters, on: dt.date) -> float:
    """Insurance, bollo and the two-yearly inspection of a second car [EUR/month]; purchase not included."""
    per_year = (params.value(f"{CAR}.rca_avg_premium_torino_eur", on)
                + params.value(f"{CAR}.bollo_eur_per_kw_euro4_to_6", on) * params.value(f"{CAR}.small_car_power_kw", on)
                + params.value(f"{CAR}.revisione_private_centre_eur", on) / 2)
    return per_year / 12


def car_rates(params: Parameters, on: dt.date, fuel_eur_per_l: float | None = None,
              l_per_100km: float | None = None) -> CarRates:
    """The rates in force on `on`; the worker's own fuel price and consumption win when given."""
    return CarRates(
        fuel_eur_per_l=fuel_eur_per_l if fuel_eur_per_l else params.value("car.fuel.petrol_eur_per_l", on),
        l_per_100km=l_per_100km if l_per_100km else params.value(f"{CAR}.consumption_real_l_per_100km", on),
        wear_eur_per_km=wear_eur_per_km(params, on),
        second_car_eur_per_month=second_car_eur_per_month(params, on),
    )


def car_monthly_cost_eur(km_one_way, commuting_days, rates: CarRates, tolls_eur_per_day=0.0,
                         second_car=False) -> tuple[np.ndarray, np.ndarray]:
    """Cash and full cost of commuting by car [EUR/month], vectorized over workers.

    km_one_way [km], commuting_days [days/month], tolls_eur_per_day [EUR/day, both ways],
    second_car: True where the worker must keep a car only for this commute.
    """
    km_month = 2 * np.asarray(km_one_way, dtype=float) * np.asarray(commuting_days, dtype=float)
    tolls = np.asarray(tolls_eur_per_day, dtype=float) * np.asarray(commuting_days, dtype=float)
    fixed = np.where(np.asarray(second_car, dtype=bool), rates.second_car_eur_per_month, 0.0)
    cash = km_month * rates.fuel_eur_per_km + tolls + fixed
    full = cash + km_month * rates.wear_eur_per_km
    return cash, full


def motorway_toll_eur_per_day(site_id, uses_motorway, params: Parameters, on: dt.date,
                              sites: Mapping[str, Site] | None = None) -> np.ndarray:
    """Tolls of a round trip to Torino on the motorway from the old office's area [EUR/day].

    Each office's one-way toll is the parameter its entry in ``data/sites.yaml`` names
    (``motorway_toll``): Ivrea the A5 Ivrea-Torino toll; Asti none, as the A21 toll was not
    found, so 0 — the page asks the worker to type the toll they pay. `sites` defaults to
    the embedded offices.
    """
    site_id = np.asarray(site_id)
    toll_one_way = np.zeros(site_id.shape)
    for office in (load_sites() if sites is None else sites).values():
        if office.motorway_toll:
            toll_one_way = np.where(site_id == office.id, float(params.value(office.motorway_toll, on)), toll_one_way)
    return np.where(np.asarray(uses_motorway, dtype=bool), 2 * toll_one_way, 0.0)
