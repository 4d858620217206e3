"""The parameter loader: the real tree, dated lookup, review dates and broken files."""

import datetime as dt
from pathlib import Path

import pytest

from impact.errors import ParameterError
from impact.params import Parameters

BROKEN = Path(__file__).parent / "params_broken"


@pytest.fixture(scope="module")
def params() -> Parameters:
    return Parameters.load()


def test_every_leaf_has_unit_source_and_review_date(params):
    assert len(params) >= 9
    for p in params:
        assert p.unit and p.description and p.last_reviewed
        for v in p.values:
            assert v.source.title and v.source.url.startswith("http")


def test_values_are_looked_up_by_date(params):
    # MIMIT national averages as reported on 6 Jan, 26 Feb and 10 Mar 2026.
    petrol = "car.fuel.petrol_eur_per_l"
    assert params.value(petrol, dt.date(2026, 1, 6)) == 1.645
    assert params.value(petrol, dt.date(2026, 2, 25)) == 1.645
    assert params.value(petrol, dt.date(2026, 2, 26)) == 1.670
    assert params.value(petrol, dt.date(2026, 11, 25)) == 1.802
    with pytest.raises(ParameterError, match="no value in force on 2025-12-31"):
        params.value(petrol, dt.date(2025, 12, 31))


def test_published_figures(params):
    on = dt.date(2026, 6, 1)
    assert params.value("rights.inps_transfer.max_distance_km", on) == 50
    assert params.value("rights.inps_transfer.max_public_transport_minutes", on) == 80
    assert params.value("rights.naspi.reference_monthly_eur", on) == 1456.72
    assert params.value("rights.naspi.max_monthly_eur", on) == 1584.70
    assert params.value("transit.gtt.monthly_pass_eur", on) == 38.0


def test_stale_values_are_reported(params):
    # Fuel prices are reviewed every 3 months; last checked 15 March 2026.
    stale = {p.path for p in params.stale(dt.date(2026, 11, 25))}
    assert "car.fuel.petrol_eur_per_l" in stale
    assert "rights.inps_transfer.max_distance_km" not in stale
    assert params.stale(dt.date(2026, 4, 1)) == []


def test_unknown_path_names_its_neighbours(params):
    with pytest.raises(ParameterError, match="car.fuel.petrol_eur_per_l"):
        params.get("car.fuel.petrol")


@pytest.mark.parametrize("case, message", [
    ("missing_source", r"t.yaml: t.fare.values.2026-01-01: missing source"),
    ("unknown_key", r"t.yaml: t.fare: unknown key colour"),
    ("bad_date", r"t.yaml: t.fare: '2026-13-01' is not a date"),
    ("not_a_number", r"fare.values.2026-01-01.value: 'one fifty' is not a number"),
    ("bad_url", r"source.url: 'somewhere on the web' is not a web address"),
    ("no_values", r"fare.values: needs at least one dated value"),
    ("invalid_yaml", r"t.yaml: not valid YAML"),
    ("missing_unit", r"t.yaml: t.fare: missing unit"),
    ("bad_review", r"fare.last_reviewed: 'last spring' is not a date"),
])
def test_broken_files_fail_naming_file_and_key(case, message):
    with pytest.raises(ParameterError, match=message):
        Parameters.load(BROKEN / case)


def test_an_empty_folder_fails(tmp_path):
    with pytest.raises(ParameterError, match="no parameter files"):
        Parameters.load(tmp_path)
