"""Regional rail and GTT fares: the sourced tables, the indexed estimates against fares
published later, and the cheapest way to pay for a part-time month."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from impact.params import default_parameters
from impact.routing.fares import band_table, monthly_fares, regional_price

ON = dt.date(2026, 11, 25)


def test_the_2019_tables_are_read_as_published():
    # Tariffa 39/13/Piemonte (valid from 1 Dec 2019) and 40/13/Piemonte, second class.
    december_2019 = dt.date(2019, 12, 1)
    upper, single, indexed = band_table(default_parameters(), "single_2nd", december_2019)
    assert upper[:12].tolist() == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70]
    assert single[10:12].tolist() == [5.40, 5.90] and not indexed.any()
    _, monthly, _ = band_table(default_parameters(), "monthly_2nd", december_2019)
    _, annual, _ = band_table(default_parameters(), "annual_2nd", december_2019)
    assert monthly[10:12].tolist() == [103.50, 107.00] and annual[10:12].tolist() == [933.00, 967.00]


# Fares published after the 2019 tables, against the table indexed by the sourced increases.
# (km of the journey, product, date, published EUR, source)
PUBLISHED_FARES = [
    (60.8, "single_2nd", dt.date(2021, 3, 1), 5.90, "TorinoOggi 20 Feb 2026: Ivrea-Torino 5.90 euro in 2021"),
    (60.8, "single_2nd", dt.date(2025, 9, 8), 7.00, "Canavese News 8 Sep 2025: Ivrea-Torino 7 euro from 1 September"),
    (86.0, "single_2nd", dt.date(2022, 9, 12), 7.70, "La Stampa 12 Sep 2022: Biella-Torino single 7.70 euro"),
    (38.9, "single_2nd", dt.date(2021, 1, 2), 4.30, "100 Torri, 2 Jan 2021: Rivarolo-Torino 4.30 euro"),
    (33.6, "single_2nd", dt.date(2023, 9, 11), 4.40, "La Nuova Provincia, Sep 2023: Asti-Alba 4.40 euro"),
    (12.8, "monthly_2nd", dt.date(2023, 9, 11), 54.00, "La Nuova Provincia, Sep 2023: Motta di Costigliole-Asti monthly 54 euro"),
    (12.8, "weekly_2nd", dt.date(2023, 9, 11), 15.10, "La Nuova Provincia, Sep 2023: Motta di Costigliole-Asti weekly 15.10 euro"),
]


@pytest.mark.parametrize("km, product, on, published, source", PUBLISHED_FARES)
def test_indexed_fares_match_later_published_fares(km, product, on, published, source):
    price, _ = regional_price([km], product, on)
    assert abs(price[0] - published) / published <= 0.02, source


def test_indexation_after_the_latest_official_value():
    # Ivrea-Torino: 7.00 official from 1 Sep 2025, then +1.32 % from 1 Jul 2026 (rounded to 0.10).
    before, indexed_before = regional_price([60.8], "single_2nd", dt.date(2026, 6, 30))
    after, indexed_after = regional_price([60.8], "single_2nd", dt.date(2026, 7, 1))
    assert before[0] == 7.00 and not indexed_before[0]
    assert after[0] == 7.10 and indexed_after[0]
    # Asti-Torino (55.8 km, band 51-60): 5.40 x 1.0545 x 1.0588 x 1.0359 x 1.006 x 1.0132.
    price, _ = regional_price([55.8], "single_2nd", ON)
    assert price[0] == pytest.approx(round(5.40 * 1.0545 * 1.0588 * 1.0359 * 1.006 * 1.0132, 1))


def test_full_time_buys_a_pass_part_time_may_not():
    fares = pd.DataFrame(monthly_fares([60.8, 60.8, 9.0], [0, 0, 0], [True, True, False], [5, 2, 2], ON))
    assert fares.loc[0, "rail_product"] == "monthly" and fares.loc[0, "rail_eur_month"] == fares.loc[0, "rail_monthly_eur"]
    assert fares.loc[0, "gtt_product"] == "monthly" and fares.loc[0, "gtt_eur_month"] == 38.0
    # Two days a week: tickets or weekly passes beat the monthly pass.
    assert fares.loc[1, "rail_product"] in ("tickets", "weekly")
    assert fares.loc[1, "rail_eur_month"] < fares.loc[0, "rail_eur_month"]
    assert fares.loc[2, "gtt_eur_month"] == 0.0 and fares.loc[2, "gtt_product"] == ""
    assert np.allclose(fares["total_eur_month"], fares["rail_eur_month"] + fares["bus_eur_month"] + fares["gtt_eur_month"])
    assert (fares.loc[:1, "rail_basis"] == "indexed-estimate").all()


def test_torino_resident_pays_gtt_only_and_annual_option():
    fares = pd.DataFrame(monthly_fares([0.0], [0.0], [True], [5], ON, buy_annual=True))
    assert fares.loc[0, "rail_product"] == "" and fares.loc[0, "rail_eur_month"] == 0
    assert fares.loc[0, "gtt_product"] == "annual" and fares.loc[0, "gtt_eur_month"] == pytest.approx(310 / 12, abs=0.01)


def test_a_bus_leg_is_a_separate_regional_ticket():
    with_bus = pd.DataFrame(monthly_fares([55.8], [25.0], [True], [5], ON))
    without = pd.DataFrame(monthly_fares([55.8], [0.0], [True], [5], ON))
    assert with_bus.loc[0, "bus_eur_month"] > 0
    assert with_bus.loc[0, "total_eur_month"] == pytest.approx(without.loc[0, "total_eur_month"]
                                                               + with_bus.loc[0, "bus_eur_month"])
