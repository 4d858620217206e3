"""Moving to Torino against commuting: sourced rents, one-off costs and break-even."""

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact.errors import DataError, ImpactError
from impact.housing import (
    BASIS_COMUNE, BASIS_PROVINCE, BASIS_REGION, MIN_SAVING_EUR_MONTH, RENT_CSV, HousingInputError,
    LeaseTerms, RentTable, break_even_month, default_rent_table, flat_size_m2, legal_minimum_area_m2,
    load_rent_index, monthly_rent_eur, relocation_costs, rent_per_m2_for_comune,
)
from impact.params import Parameters
from impact.places import default_gazetteer

ON = dt.date(2026, 6, 1)
TORINO, IVREA, ASTI, NICHELINO, BIELLA, AOSTA = "001272", "001125", "005005", "001164", "096004", "007003"
HEADER = "area_type,code,name,published_eur_per_m2,period,indexed,source_title,source_url,published,note\n"
INDEX = ("period,eur_per_m2,derived_from,source_title,source_url,published\n"
         "2023-12,8.5,,t,https://example.org/a,2024-01\n2024-09,9.4,,t,https://example.org/b,2024-10\n")


@pytest.fixture(scope="module")
def params() -> Parameters:
    return Parameters.load()


@pytest.fixture(scope="module")
def terms(params) -> LeaseTerms:
    return LeaseTerms.from_params(params, ON)


# --- sourced rents ----------------------------------------------------------------

def test_torino_rent_is_the_published_city_average():
    figure = rent_per_m2_for_comune(TORINO)
    # Immobiliare.it Insights, Q3 2024: Torino 11.6 EUR/m² a month.
    assert figure.eur_per_m2 == 11.6 and figure.basis == BASIS_COMUNE
    assert figure.period == "2024-09" and figure.source.url.startswith("https://torinocronaca.it")


def test_a_60_m2_flat_in_torino_costs_696_eur_a_month():
    assert monthly_rent_eur(rent_per_m2_for_comune(TORINO).eur_per_m2, 60) == pytest.approx(696.0)


def test_province_figure_is_brought_forward_with_the_piedmont_index():
    # Torino province outside the city: 8.1 in Dec 2023; Piedmont 8.5 then, 9.4 in Sep 2024.
    figure = rent_per_m2_for_comune(NICHELINO)
    assert figure.basis == BASIS_PROVINCE and figure.published_eur_per_m2 == 8.1
    assert figure.eur_per_m2 == pytest.approx(8.1 * 9.4 / 8.5, abs=0.005)
    assert figure.indexed_to == "2024-09"
    assert rent_per_m2_for_comune(IVREA).eur_per_m2 == figure.eur_per_m2


def test_asti_has_no_figure_and_falls_back_to_the_region_labelled_as_such():
    figure = rent_per_m2_for_comune(ASTI)
    assert figure.basis == BASIS_REGION and figure.eur_per_m2 == 9.4


def test_valle_d_aosta_is_not_indexed_with_piedmont():
    figure = rent_per_m2_for_comune(AOSTA)
    assert figure.basis == BASIS_REGION and figure.index_factor == 1.0 and figure.eur_per_m2 == 19.91


def test_every_comune_of_the_gazetteer_has_a_rent():
    gazetteer = default_gazetteer()
    table = default_rent_table()
    values, bases = table.per_m2([p.istat for p in gazetteer.places], gazetteer)
    assert len(values) == 1254 and (values > 0).all()
    assert set(bases) == {BASIS_COMUNE, BASIS_PROVINCE, BASIS_REGION}


def test_rent_rows_point_at_real_places_and_sources():
    gazetteer = default_gazetteer()
    provinces = {p.province for p in gazetteer.places}
    regions = {p.region for p in gazetteer.places}
    for figure in default_rent_table():
        assert figure.source.url.startswith("http") and figure.source.title
        if figure.area_type == "comune":
            gazetteer.by_istat(figure.code)
        elif figure.area_type == "province":
            assert figure.code in provinces
        else:
            assert figure.code in regions


def test_index_derived_points_say_how():
    import csv
    from impact.housing import INDEX_CSV
    rows = list(csv.DictReader(INDEX_CSV.open(encoding="utf-8")))
    derived = {r["period"]: r["derived_from"] for r in rows if r["derived_from"]}
    assert set(derived) == {"2018-12", "2019-09", "2022-12"}
    index = load_rent_index()
    assert index["2018-12"] == pytest.approx(7.60 / 1.059, abs=0.005)
    assert index["2022-12"] == pytest.approx(8.5 / 1.068, abs=0.005)


def test_vectorised_lookup_keeps_order_for_a_large_roster():
    codes = np.array([TORINO, ASTI, NICHELINO] * 33_334)
    values, bases = default_rent_table().per_m2(codes)
    assert values.shape == codes.shape
    assert values[:3].tolist() == [11.6, 9.4, 8.96] and bases[4] == BASIS_REGION


@pytest.mark.parametrize("row, message", [
    ("town,001272,T,11.6,2024-09,no,t,https://x.org,2024,\n", "area_type 'town'"),
    ("comune,001272,T,11.6,2024-09,no,t,somewhere,2024,\n", "source_url"),
    ("comune,001272,T,eleven,2024-09,no,t,https://x.org,2024,\n", "'eleven' is not a number"),
    ("comune,001272,T,11.6,Sept 2024,no,t,https://x.org,2024,\n", "YYYY-MM"),
    ("comune,001272,T,11.6,2020-01,yes,t,https://x.org,2024,\n", "no index value on or before 2020-01"),
    ("comune,001272,T,11.6,2024-09,maybe,t,https://x.org,2024,\n", "indexed must be"),
    ("comune,001272,T,11.6,2024-09,no,t,https://x.org,2024,\n" * 2, "two rows"),
    ("region,Valle d'Aosta,V,19.9,2024-09,yes,t,https://x.org,2024,\n", "cannot be indexed"),
])
def test_broken_rent_files_fail_naming_the_line(tmp_path, row, message):
    (tmp_path / "rent.csv").write_text(HEADER + row, encoding="utf-8")
    (tmp_path / "index.csv").write_text(INDEX, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        RentTable.load(tmp_path / "rent.csv", tmp_path / "index.csv")


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="file missing"):
        RentTable.load(tmp_path / "none.csv", tmp_path / "index.csv")
    assert RENT_CSV.exists()


# --- flat size ----------------------------------------------------------------------

def test_flat_sizes_by_household_are_the_labelled_assumptions(params):
    assert flat_size_m2([1, 2, 3, 4, 6], params, ON).tolist() == [45, 60, 75, 85, 105]
    for path in ("one_person_m2", "two_people_m2", "three_people_m2", "four_people_m2"):
        assert params.get("housing.flat_size." + path).assumption


def test_legal_minimum_area_dm_1975(params):
    # 14 m² for each of the first four people, 10 m² for each one after.
    assert legal_minimum_area_m2([1, 4, 6], params, ON).tolist() == [14, 56, 76]
    people = np.arange(1, 12)
    assert (flat_size_m2(people, params, ON) >= legal_minimum_area_m2(people, params, ON)).all()


def test_household_of_nobody_is_refused(params):
    with pytest.raises(HousingInputError):
        flat_size_m2([0], params, ON)


# --- lease terms ---------------------------------------------------------------------

def test_lease_terms_are_the_sourced_parameters(params, terms):
    assert terms.deposit_months == 3          # law 392/1978 art. 11 ceiling
    assert terms.agency_fee_months == 1.0     # half of two months, Torino chamber customs
    assert terms.agency_fee_vat_rate == 0.22
    assert terms.registration_tax_rate == 0.02 and terms.registration_tax_tenant_share == 0.5
    assert terms.spread_months == 48          # law 431/1998 art. 2: four-year first term
    assert terms.moving_eur == 1765           # 1,450 EUR (2016) x FOI 121.7 / 100
    assert params.value("housing.moving.intercity_move_eur", dt.date(2020, 1, 1)) == 1450
    assert terms.other_costs_difference_eur_month == 0
    assert params.get("housing.living_costs.other_costs_difference_eur_month").assumption
    assert not params.get("housing.lease.deposit_max_months").assumption


# --- relocation: worked example -------------------------------------------------------

def test_worked_example_ivrea_renter_moving_to_torino(terms):
    """A worker renting 60 m² near Ivrea takes 60 m² in Torino; commuting would cost 250 EUR/month more."""
    current = 60 * rent_per_m2_for_comune(IVREA).eur_per_m2    # 60 x 8.96 = 537.60
    new = 60 * rent_per_m2_for_comune(TORINO).eur_per_m2       # 60 x 11.60 = 696.00
    r = relocation_costs([new], [current], [250.0], terms)
    assert r.rent_difference_eur_month[0] == pytest.approx(158.40)
    assert r.agency_fee_eur[0] == pytest.approx(696 * 1.22)             # 849.12
    assert r.registration_tax_eur[0] == pytest.approx(696 * 12 * 0.01)  # 83.52
    assert r.moving_eur[0] == 1765
    assert r.one_off_eur[0] == pytest.approx(2697.64)
    assert r.deposit_eur[0] == pytest.approx(2088.0)
    assert r.upfront_cash_eur[0] == pytest.approx(2697.64 + 2088.0)
    assert r.one_off_spread_eur_month[0] == pytest.approx(2697.64 / 48)
    assert r.saving_after_one_off_eur_month[0] == pytest.approx(91.60)
    assert r.break_even_month[0] == 30                                  # 2697.64 / 91.60 = 29.45
    assert r.advantage_eur_month[0] == pytest.approx(250 - 158.40 - 2697.64 / 48)
    assert bool(r.moving_cheaper[0])


def test_owner_without_agency_or_registration_tax(terms):
    # An owner (no housing cost now) renting directly from a landlord on cedolare secca.
    r = relocation_costs(696.0, 0.0, 200.0, terms, via_agency=False, registration_tax=False)
    assert r.one_off_eur == pytest.approx(1765)
    assert math.isinf(r.break_even_month)          # 696 more rent a month, 200 saved: never pays
    assert not bool(r.moving_cheaper)


def test_counting_the_deposit_moves_it_into_the_one_off_costs(terms):
    base = relocation_costs(700.0, 500.0, 400.0, terms)
    counted = relocation_costs(700.0, 500.0, 400.0, terms, count_deposit_as_cost=True)
    assert counted.one_off_eur == pytest.approx(base.one_off_eur + 2100)
    assert counted.upfront_cash_eur == pytest.approx(base.upfront_cash_eur)


def test_overrides_and_per_worker_arrays(terms):
    r = relocation_costs([700, 700], [500, 500], [400, 400], terms, via_agency=[True, False],
                         moving_eur=[800, 2000], spread_months=24, deposit_months=2)
    assert r.deposit_eur.tolist() == [1400, 1400]
    assert r.agency_fee_eur[1] == 0 and r.moving_eur.tolist() == [800, 2000]
    assert (r.spread_months == 24).all()


def test_result_table_has_the_documented_columns(terms):
    frame = relocation_costs([696, 600], [537.6, 500], [250, 90], terms).as_frame()
    assert list(frame.columns)[:3] == ["new_rent_eur_month", "current_housing_eur_month",
                                       "rent_difference_eur_month"]
    assert {"one_off_eur", "break_even_month", "moving_cheaper", "advantage_eur_month"} <= set(frame.columns)
    assert len(frame) == 2


@pytest.mark.parametrize("kwargs", [{"spread_months": 0}, {"moving_eur": -1}, {"deposit_months": np.nan}])
def test_bad_inputs_raise_a_domain_error(terms, kwargs):
    with pytest.raises(ImpactError):
        relocation_costs(700.0, 500.0, 400.0, terms, **kwargs)
    with pytest.raises(HousingInputError):
        relocation_costs(-5.0, 500.0, 400.0, terms)


# --- properties --------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=5_000, allow_nan=False)
signed = st.floats(min_value=-2_000, max_value=5_000, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(rent=money, more=st.floats(min_value=0, max_value=2_000), current=money, commute=signed)
def test_more_rent_never_lowers_the_cost_of_moving(terms, rent, more, current, commute):
    low = relocation_costs(rent, current, commute, terms)
    high = relocation_costs(rent + more, current, commute, terms)
    assert high.moving_extra_eur_month >= low.moving_extra_eur_month - 1e-9
    assert high.advantage_eur_month <= low.advantage_eur_month + 1e-9
    assert high.break_even_month >= low.break_even_month


@settings(max_examples=200, deadline=None)
@given(one_off=money, saving=signed)
def test_break_even_is_inf_exactly_when_moving_never_pays(one_off, saving):
    month = break_even_month(one_off, saving)
    if saving < MIN_SAVING_EUR_MONTH:
        assert math.isinf(month)
    else:
        assert month >= 1 and month * saving >= one_off - 1e-6
        assert month == 1 or (month - 1) * saving < one_off + 1e-6


@settings(max_examples=100, deadline=None)
@given(rent=money, current=money, commute=signed, extra=st.floats(min_value=0, max_value=1_000))
def test_a_dearer_commute_never_delays_break_even(terms, rent, current, commute, extra):
    cheap = relocation_costs(rent, current, commute, terms)
    dear = relocation_costs(rent, current, commute + extra, terms)
    assert dear.break_even_month <= cheap.break_even_month
    assert dear.one_off_eur >= 0 and dear.upfront_cash_eur >= dear.one_off_eur
