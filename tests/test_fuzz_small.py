"""bench/fuzz.py in small: a few hundred generated rosters and town queries, in the suite.

The full run (10,000+ cases, counts and times) is `.venv/bin/python bench/fuzz.py`.
Every input must give a result or a domain error, and every rejected row a reason; any
other exception fails here (bench.fuzz.KNOWN_BUGS lists crashes reported and not yet fixed).
"""

import pytest
from hypothesis import HealthCheck, given, settings

from bench.fuzz import (check_resolve, check_roster, csv_roster, is_known, queries, raw_roster,
                        xlsx_roster)

SMALL = settings(derandomize=True, database=None, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.large_base_example])


def no_crash(check, *example):
    try:
        check(*example)
    except Exception as exc:  # noqa: BLE001
        if not is_known(exc):
            raise


@settings(SMALL, max_examples=80)
@given(csv_roster())
def test_read_roster_csv(example):
    no_crash(check_roster, *example)


@settings(SMALL, max_examples=20)
@given(xlsx_roster())
def test_read_roster_xlsx(example):
    no_crash(check_roster, *example)


@settings(SMALL, max_examples=40)
@given(raw_roster)
def test_read_roster_raw_bytes(example):
    no_crash(check_roster, *example)


@settings(SMALL, max_examples=60)
@given(queries)
def test_gazetteer_resolve(query):
    check_resolve(query)


def test_the_checks_catch_a_broken_promise():
    """The harness is not vacuous: a valid roster passes and a crash is not swallowed."""
    outcome, workers = check_roster("Comune;Sede;Ore al giorno;Giorni a settimana\nIvrea;Ivrea;6;5\n".encode(),
                                    "r.csv")
    assert outcome == "valid rows" and len(workers) == 1
    with pytest.raises(AttributeError):
        no_crash(check_roster, 12345, "r.csv")


# Issue 14's targets, a few examples each (the full run is bench/fuzz.py).
from bench.fuzz import (check_link, check_odd_workers, check_scenario_file, check_second_name,  # noqa: E402
                        check_xlsx_attack, link_values, odd_workers, scenario_files, second_names, xlsx_attack)


@settings(SMALL, max_examples=15)
@given(xlsx_attack())
def test_xlsx_structure_attacks(example):
    no_crash(check_xlsx_attack, *example)


@settings(SMALL, max_examples=150)
@given(second_names)
def test_second_names(query):
    no_crash(check_second_name, query)


@settings(SMALL, max_examples=150)
@given(link_values)
def test_share_link_values(example):
    no_crash(check_link, *example)


@settings(SMALL, max_examples=60)
@given(scenario_files)
def test_scenario_files(text):
    no_crash(check_scenario_file, text)


@settings(SMALL, max_examples=40)
@given(odd_workers)
def test_evaluate_on_odd_columns(example):
    no_crash(check_odd_workers, *example)
