"""Car costs, worked by hand from the sourced parameters."""

import datetime as dt

import numpy as np
import pytest

from impact.costs import car_monthly_cost_eur, car_rates, motorway_toll_eur_per_day, wear_eur_per_km
from impact.params import default_parameters

ON = dt.date(2026, 6, 1)
PARAMS = default_parameters()


def test_wear_is_the_aci_cost_less_fuel_and_fixed_costs():
    # ACI 2025, Fiat 500 Hybrid 1.0: 0.3973 EUR/km at 15,000 km a year.
    # Fuel: 4.7 l/100 km WLTP x 1.645 EUR/l (6 Jan 2026) = 0.077315 EUR/km.
    # Fixed: (RC Torino 417.76 + bollo 51 kW x 2.58 = 131.58) / 15,000 = 0.036623 EUR/km.
    assert wear_eur_per_km(PARAMS, ON) == pytest.approx(0.3973 - 0.077315 - 0.0366227, abs=1e-6)


def test_an_ivrea_worker_62_km_from_torino_by_motorway():
    rates = car_rates(PARAMS, ON, fuel_eur_per_l=1.80, l_per_100km=6.0)
    toll = motorway_toll_eur_per_day("ivrea", True, PARAMS, ON)
    cash, full = car_monthly_cost_eur(62.0, 19.5, rates, toll)
    # 2 x 62 km x 19.5 days = 2,418 km; fuel 2,418 x 6/100 x 1.80 = 261.14 EUR;
    # A5 Ivrea-Torino 4.80 EUR each way x 2 x 19.5 days = 187.20 EUR.
    assert float(toll) == pytest.approx(9.60)
    assert float(cash) == pytest.approx(261.144 + 187.20, abs=0.01)
    assert float(full) == pytest.approx(float(cash) + 2418 * wear_eur_per_km(PARAMS, ON), abs=0.01)


def test_a_second_car_adds_its_fixed_costs():
    rates = car_rates(PARAMS, ON)
    without, _ = car_monthly_cost_eur(30.0, 10, rates)
    with_car, _ = car_monthly_cost_eur(30.0, 10, rates, second_car=True)
    # (RC 417.76 + bollo 131.58 + inspection 79.02 / 2) / 12 = 49.07 EUR a month.
    assert float(with_car - without) == pytest.approx(49.07, abs=0.01)


def test_no_commute_costs_nothing_and_more_km_cost_more():
    rates = car_rates(PARAMS, ON)
    cash, full = car_monthly_cost_eur(np.array([0.0, 10, 20, 40]), 19.5, rates)
    assert cash[0] == 0 and full[0] == 0
    assert np.all(np.diff(cash) > 0) and np.all(np.diff(full) > 0)


def test_the_a21_toll_is_unknown_so_zero():
    assert float(motorway_toll_eur_per_day("asti", True, PARAMS, ON)) == 0.0
    assert float(motorway_toll_eur_per_day("ivrea", False, PARAMS, ON)) == 0.0
