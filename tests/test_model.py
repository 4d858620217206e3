"""evaluate(): one code path for one worker or many, and the properties a result must have."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import model
from impact.model import Scenario, WorkerInputError, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites

ON = dt.date(2026, 6, 1)
PARAMS, PLACES, SITES = default_parameters(), default_gazetteer(), load_sites()
CODES = [p.istat for p in PLACES.places]


def run(workers: pd.DataFrame, scenario: Scenario = Scenario()) -> pd.DataFrame:
    return evaluate(workers, scenario, PARAMS, ON, PLACES, SITES)


def roster(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"home_istat": rng.choice(CODES, n), "site": rng.choice(["ivrea", "asti"], n),
                         "hours_per_day": rng.choice([4, 5, 6, 8], n), "days_per_week": rng.choice([3, 4, 5], n)})


def test_a_worker_living_next_to_the_new_office_gains():
    r = run(pd.DataFrame([{"home_istat": "001272", "site": "ivrea", "hours_per_day": 6, "days_per_week": 5}])).iloc[0]
    assert r["car_km_new"] < 15 and r["extra_car_cash_eur_month"] < 0 and r["extra_car_hours_month"] < 0


def test_one_worker_is_a_roster_of_one():
    workers = roster(40)
    together = run(workers)
    alone = pd.concat([run(workers.iloc[[i]]) for i in range(len(workers))])
    pd.testing.assert_frame_equal(together.reset_index(drop=True), alone.reset_index(drop=True))


def test_workers_alike_are_worked_once_and_each_gets_the_figures_she_gets_alone():
    # Six workers, each four times in mixed order, and copies that differ in one input only:
    # each row must equal the evaluation of that worker on her own.
    base = roster(6, seed=3)
    workers = pd.concat([base] * 4 + [base.assign(children_needing_care=1), base.assign(net_monthly_eur=1234.5),
                                      base.assign(shift_start_min=7 * 60)], ignore_index=True)
    workers = workers.iloc[np.random.default_rng(4).permutation(len(workers))]
    together = run(workers)
    alone = pd.concat([run(workers.iloc[[i]]) for i in range(len(workers))])
    pd.testing.assert_frame_equal(together, alone)


def test_distinct_rows_number_cases_in_order_of_first_row():
    from impact.groups import distinct_rows
    case, first = distinct_rows(np.array([2.0, 1.0, 2.0, np.nan, np.nan, 1.0]),
                                np.array(["a", "a", "a", "b", "b", "c"], dtype=object), np.ones(6))
    assert case.tolist() == [0, 1, 0, 2, 2, 3] and first.tolist() == [0, 1, 3, 5]
    case, first = distinct_rows(np.arange(5) % 5, np.zeros(5))
    assert case.tolist() == first.tolist() == [0, 1, 2, 3, 4]
    # Integers far apart are hashed, not coded by their span (which would overflow).
    case, first = distinct_rows(np.array([0, 2**62, 0, 5]), np.array([True, True, True, False]))
    assert case.tolist() == [0, 1, 0, 2] and first.tolist() == [0, 1, 3]
    # A default seen from every row (a read-only broadcast view) splits nothing, NaN or not.
    case, first = distinct_rows(np.array([3, 3, 4]), np.broadcast_to(np.nan, (3,)), np.broadcast_to(True, (3,)))
    assert case.tolist() == [0, 0, 1] and first.tolist() == [0, 2]
    # Whole hours and days coded by their span, half hours hashed: the same cases either way.
    case, first = distinct_rows(np.array([4.0, 6.0, 4.0, 4.5, 4.5]), np.array([5.0, 5.0, 5.0, 3.0, 3.0]))
    assert case.tolist() == [0, 1, 0, 2, 2] and first.tolist() == [0, 1, 3]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([4.0, 5.0, 5.5, float("nan")]), st.booleans()),
                min_size=1, max_size=60))
def test_distinct_rows_agrees_with_grouping_by_hand(rows):
    """Each case is the rows equal to its first row, and the cases run in order of their first rows."""
    from impact.groups import distinct_rows
    homes, hours, car = (np.array(column) for column in zip(*rows))
    case, first = distinct_rows(homes, hours, car)
    seen: list[tuple] = []
    for home, hour, has_car in rows:
        key = (home, "nan" if hour != hour else hour, has_car)
        if key not in seen:
            seen.append(key)
    expected = [seen.index((home, "nan" if hour != hour else hour, has_car)) for home, hour, has_car in rows]
    assert case.tolist() == expected
    assert first.tolist() == [expected.index(c) for c in range(len(seen))]


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(12))))
def test_results_do_not_depend_on_row_order(order):
    workers = roster(12, seed=5)
    straight = run(workers)
    shuffled = run(workers.iloc[order])
    pd.testing.assert_frame_equal(straight.loc[shuffled.index], shuffled)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(CODES), st.sampled_from(["ivrea", "asti"]), st.floats(0, 4))
def test_more_smart_working_never_costs_more(code, site, smart_days):
    worker = pd.DataFrame([{"home_istat": code, "site": site, "hours_per_day": 6, "days_per_week": 5}])
    base = run(worker, Scenario(smart_working_days_per_week=smart_days)).iloc[0]
    more = run(worker, Scenario(smart_working_days_per_week=smart_days + 1)).iloc[0]
    assert more["car_cash_new"] <= base["car_cash_new"] + 1e-9
    assert more["extra_car_hours_month"] <= base["extra_car_hours_month"] + 1e-9


def test_more_km_never_costs_less():
    # Asti workers: no toll is sourced for the A21, so cost depends on km alone.
    workers = roster(300, seed=9).assign(site="asti", days_per_week=5)
    r = run(workers).sort_values("car_km_new")
    assert np.all(np.diff(r["car_cash_new"].to_numpy()) >= -1e-9)
    assert np.all(np.diff(r["car_full_new"].to_numpy()) >= -1e-9)


def test_an_allowance_lowers_the_extra_cost_by_its_amount():
    worker = roster(5, seed=2)
    base, helped = run(worker), run(worker, Scenario(monthly_allowance_eur=100))
    assert np.allclose(base["extra_car_cash_eur_month"] - helped["extra_car_cash_eur_month"], 100)


def test_bad_inputs_name_the_row():
    workers = roster(3)
    workers.loc[2, "days_per_week"] = 9
    with pytest.raises(WorkerInputError, match="row 3: days a week must be between 1 and 6"):
        run(workers)
    with pytest.raises(WorkerInputError, match="missing columns: site"):
        run(workers.drop(columns="site"))


def test_a_stated_mode_wins_where_possible():
    worker = pd.DataFrame([{"home_istat": "001269", "site": "ivrea", "hours_per_day": 6, "days_per_week": 5}])
    best = run(worker).iloc[0]
    by_car = run(worker.assign(preferred_mode="car")).iloc[0]
    by_transit = run(worker.assign(preferred_mode="transit")).iloc[0]
    assert by_car["best_mode"] == "car" and by_car["extra_best_eur_month"] == by_car["extra_car_cash_eur_month"]
    assert by_transit["best_mode"] == "transit"
    assert best["extra_best_eur_month"] == min(by_car["extra_best_eur_month"], by_transit["extra_best_eur_month"])
    no_car = run(worker.assign(preferred_mode="car", has_car=False)).iloc[0]
    assert no_car["best_mode"] == "transit"


def test_a_scenario_shift_start_moves_every_shift_keeping_its_length():
    worker = pd.DataFrame([{"home_istat": "001269", "site": "ivrea", "hours_per_day": 6, "days_per_week": 5,
                            "shift_start_min": 16 * 60, "shift_end_min": 23 * 60 + 30}])
    late = run(worker).iloc[0]
    assert not late["transit_feasible_new"]            # no train home after 23:30
    moved = run(worker, Scenario(shift_start_min=9 * 60)).iloc[0]
    assert moved["transit_feasible_new"]               # 09:00-16:30 has trains both ways


def test_the_result_frame_is_what_pandas_would_build():
    # evaluate() builds its frame without pandas' per-column checks; it must be the same frame.
    index = pd.RangeIndex(3)
    columns = {"km": np.array([1.0, np.nan, 3.5]), "feasible": np.array([True, False, True]),
               "mode": np.where(np.array([True, False, True]), "car", "transit"),
               "source": np.array(["gtfs", "estimate", ""], dtype=object)}
    ours = model._frame(columns, index)
    pd.testing.assert_frame_equal(ours, pd.DataFrame(columns, index=index).astype({"mode": object, "source": object}))


def test_every_result_column_can_be_edited():
    # A frame built on read-only or shared arrays would refuse or leak an edit.
    first, second = run(roster(3)), run(roster(3))
    for column in first.columns:
        first.loc[0, column] = first.loc[1, column]
    pd.testing.assert_frame_equal(run(roster(3)), second)
