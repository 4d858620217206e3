"""One validation layer (issue 14, finding 6): types, NaN/inf and ranges refused with the field named.

Before: evaluate() raised raw TypeError/IndexError for 0 rows, a shift start of 10000 or inf,
smart working NaN, pd.NA in a boolean column or a string shift; has_car="no" was True,
second_car="False" True (+49 € a month), net pay "abc" the default; negative tolls, fuel and
allowances and company_pass_share=2 were accepted, and so were scenario files saying so.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from impact.errors import ImpactError, InputError, ScenarioError, WorkerInputError
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.roster_cli import load_scenario

ON = dt.date(2026, 3, 2)
STRAMBINO = {"home_istat": "001269", "site": "ivrea", "hours_per_day": 6, "days_per_week": 5}


def run(workers, scenario=Scenario()):
    return evaluate(pd.DataFrame(workers), scenario, default_parameters(), ON, default_gazetteer(), load_sites())


def refused(workers, code, field=None, scenario=Scenario()):
    with pytest.raises(WorkerInputError) as caught:
        run(workers, scenario)
    assert caught.value.code == code, caught.value
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, ImpactError)
    if field:
        assert caught.value.field == field
    return caught.value


def test_no_rows_is_a_clear_error():
    error = refused(pd.DataFrame(columns=list(STRAMBINO)), "no_workers")
    assert error.text("it") == "nessun lavoratore da calcolare: la tabella non ha righe"


@pytest.mark.parametrize("start, code", [(10000, "out_of_range"), (np.inf, "not_finite"), ("9:00", "not_a_number")])
def test_a_bad_shift_start_names_the_field(start, code):
    error = refused([{**STRAMBINO, "shift_start_min": start}], code, "shift_start_min")
    assert "inizio turno" in error.text("it") and "shift start" in error.text("en")


def test_a_missing_boolean_is_an_error_not_a_crash():
    workers = pd.DataFrame([STRAMBINO, STRAMBINO]).assign(has_car=pd.array([True, pd.NA], dtype="boolean"))
    error = refused(workers, "not_boolean", "has_car")
    assert error.values["row"] == 2


def test_booleans_are_read_strictly():
    by_word = run([{**STRAMBINO, "has_car": "no", "second_car": "False"}]).iloc[0]
    by_bool = run([{**STRAMBINO, "has_car": False, "second_car": False}]).iloc[0]
    assert by_word["best_mode"] == by_bool["best_mode"] == "transit"
    assert by_word["car_cash_new"] == by_bool["car_cash_new"]       # no second car's +49 € a month
    assert run([{**STRAMBINO, "has_car": "sì"}]).iloc[0]["best_mode"] == run([STRAMBINO]).iloc[0]["best_mode"]
    for word in ("maybe", "yes please", "2"):
        refused([{**STRAMBINO, "has_car": word}], "not_boolean", "has_car")


def test_pay_that_is_not_a_number_is_not_the_default():
    error = refused([{**STRAMBINO, "net_monthly_eur": "abc"}], "not_a_number", "net_monthly_eur")
    assert "'abc'" in str(error)


@pytest.mark.parametrize("pay", [0, 1, 149.99])
def test_pay_below_the_floor_says_to_write_the_monthly_net(pay):
    error = refused([{**STRAMBINO, "net_monthly_eur": pay}], "pay_too_low", "net_monthly_eur")
    assert "per esempio 750" in error.text("it")


@pytest.mark.parametrize("column, value", [("tolls_eur_per_day", -1), ("housing_now_eur_month", -300),
                                           ("household_size", 0), ("children_needing_care", 11),
                                           ("days_per_week", 0.5), ("hours_per_day", 0)])
def test_out_of_range_inputs_are_refused(column, value):
    refused([{**STRAMBINO, column: value}], "out_of_range", column)


def test_a_shift_that_starts_when_it_ends_is_refused_as_in_rosters():
    refused([{**STRAMBINO, "shift_start_min": 540, "shift_end_min": 540}], "shift_same")


def test_the_refused_shift_is_written_by_the_one_clock_helper_as_the_roster_writes_it():
    """Review item (issue 15): two "H:MM" formatters. The message writes the time as a roster does
    ('9:00', no leading zero) and rounds to the minute as every other clock text (`clock.hhmm`):
    539.6 minutes after midnight is 9:00 (the old copy cut it to 8:59)."""
    from impact.clock import hhmm
    assert (hhmm(540), hhmm(540, padded=False), hhmm(870, padded=False)) == ("09:00", "9:00", "14:30")
    assert hhmm(1470, wrap=False, padded=False) == "24:30" and hhmm(1470, padded=False) == "0:30"
    error = refused([{**STRAMBINO, "shift_start_min": 539.6, "shift_end_min": 539.6}], "shift_same")
    assert error.values["text"] == "9:00" and "(9:00)" in error.text("en")


@pytest.mark.parametrize("levers, field", [({"smart_working_days_per_week": np.nan}, "smart_working_days_per_week"),
                                           ({"company_pass_share": 2}, "company_pass_share"),
                                           ({"monthly_allowance_eur": -300}, "monthly_allowance_eur"),
                                           ({"mileage_allowance_eur_per_km": -0.1}, "mileage_allowance_eur_per_km"),
                                           ({"fuel_eur_per_l": -2}, "fuel_eur_per_l"),
                                           ({"shift_start_min": 99999}, "shift_start_min"),
                                           ({"l_per_100km": np.inf}, "l_per_100km")])
def test_scenario_levers_are_checked(levers, field):
    with pytest.raises(ScenarioError) as caught:
        Scenario(**levers)
    assert caught.value.field == field and isinstance(caught.value, InputError)


@pytest.mark.parametrize("text, field", [("smart_working_days_per_week: .nan", "smart_working_days_per_week"),
                                         ("shift_start_min: 99999", "shift_start_min"),
                                         ("company_pass_share: 5", "company_pass_share"),
                                         ("monthly_allowance_eur: -300", "monthly_allowance_eur"),
                                         ("fuel_eur_per_l: -2", "fuel_eur_per_l"),
                                         ("fuel_eur_per_l: '1.8'", "fuel_eur_per_l")])
def test_scenario_files_are_checked(tmp_path, text, field):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert field in str(caught.value) or caught.value.field == field


def test_a_good_scenario_file_still_loads(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("smart_working_days_per_week: 1\ncompany_pass_share: 0.5\nfuel_eur_per_l: null\n")
    assert load_scenario(path) == Scenario(smart_working_days_per_week=1, company_pass_share=0.5)


# --------------------------------------------------------------------------- comuni and offices by value

def test_text_codes_look_each_distinct_value_up_once_and_keep_every_row():
    from impact.validation import text_codes
    coded = text_codes(pd.Series(["001272", "001125", "001272", "005005"]))
    assert coded.codes.tolist() == [0, 1, 0, 2] and coded.values.tolist() == ["001272", "001125", "005005"]
    assert coded.text().tolist() == ["001272", "001125", "001272", "005005"]
    # Numbers are made text value by value: 1272 is not Torino's "001272", and 1 and 1.0 stay apart.
    assert text_codes(pd.Series([1272, 1125, 1272])).values.tolist() == ["1272", "1125"]
    assert text_codes(pd.Series([1, 1.0, True], dtype=object)).text().tolist() == ["1", "1.0", "True"]
    assert text_codes(pd.Series(["ivrea", pd.NA], dtype="string")).values.tolist() == ["ivrea", "<NA>"]


def test_a_roster_row_with_an_unknown_office_or_comune_is_named_by_its_value_and_row():
    workers = pd.DataFrame({"home_istat": ["001272", "001125", "001272"], "site": ["ivrea", "Asti ", "ivrea"],
                            "hours_per_day": 6, "days_per_week": 5})
    with pytest.raises(WorkerInputError) as raised:
        evaluate(workers, Scenario(), default_parameters(), dt.date(2026, 6, 1), default_gazetteer(), load_sites())
    assert raised.value.code == "unknown_office" and raised.value.values["offices"] == "Asti "
    workers["site"] = "asti"
    workers["home_istat"] = ["001272", "001125", "1272"]   # the third row's code lost its zeros
    with pytest.raises(ImpactError, match="row 3: no comune has ISTAT code 1272"):
        evaluate(workers, Scenario(), default_parameters(), dt.date(2026, 6, 1), default_gazetteer(), load_sites())
