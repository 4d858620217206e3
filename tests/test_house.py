"""Issue 15 (modules, errors, figures): one error hierarchy, one list of units, no figure back in the code."""

import inspect
import re
from pathlib import Path

import pytest

from impact import errors, i18n
from impact.errors import DataError, ImpactError, InputError, ParameterError
from impact.params import UNITS, Parameters

ROOT = Path(__file__).resolve().parent.parent
IMPACT = ROOT / "impact"

FARE = """fare:
  description: A test fare.
  unit: {unit}
  last_reviewed: 2026-01-01
  values:
    2026-01-01:
      value: 1.5
      source: {{title: A fare table, url: https://example.org/fares}}
"""


def test_a_unit_outside_the_list_fails_naming_the_file_and_the_fix(tmp_path):
    (tmp_path / "fares").mkdir()
    (tmp_path / "fares" / "bus.yaml").write_text(FARE.format(unit="euro/month"), encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        Parameters.load(tmp_path)
    message = str(caught.value)
    assert "fares/bus.yaml" in message and "fares.bus.fare.unit" in message
    assert "'euro/month' is not a known unit" in message and "EUR/month" in message
    assert "impact.params.UNITS" in message


def test_a_unit_from_the_list_loads(tmp_path):
    (tmp_path / "bus.yaml").write_text(FARE.format(unit="EUR/month"), encoding="utf-8")
    assert Parameters.load(tmp_path).get("bus.fare").unit == "EUR/month"


def test_every_listed_unit_has_words_in_every_language():
    assert len(set(UNITS)) == len(UNITS)
    for unit in UNITS:
        for lang in i18n.LANGUAGES:
            assert i18n.unit_key(unit) in i18n.strings(lang), (unit, lang)


def _error_classes() -> list[type]:
    return [c for _, c in inspect.getmembers(errors, inspect.isclass)
            if issubclass(c, Exception) and c.__module__ == "impact.errors"]


def test_every_input_error_is_a_value_error_and_an_impact_error():
    inputs = [c for c in _error_classes() if issubclass(c, InputError)]
    names = {c.__name__ for c in inputs}
    assert {"WorkerInputError", "PayInputError", "RightsInputError", "HousingInputError", "ScenarioError",
            "PackageError", "CaseError", "PlaceError", "UnknownPlace", "AmbiguousPlace", "WorkbookError",
            "RosterError", "CommandError"} <= names
    for cls in inputs:
        assert issubclass(cls, ValueError) and issubclass(cls, ImpactError), cls
    assert issubclass(ParameterError, DataError) and issubclass(DataError, ImpactError)
    assert not issubclass(DataError, ValueError)   # a broken file is not the user's input


def test_the_domain_modules_raise_the_hierarchy_s_own_classes():
    from impact import horizon, housing, pay, rights, saved_case, xlsx
    from impact.roster import RosterError
    from impact.routing import gtfs

    assert pay.PayInputError is errors.PayInputError
    assert rights.RightsInputError is errors.RightsInputError
    assert housing.HousingInputError is errors.HousingInputError
    assert horizon.PackageError is errors.PackageError
    assert saved_case.CaseError is errors.CaseError
    assert xlsx.WorkbookError is errors.WorkbookError
    assert RosterError is errors.RosterError
    assert gtfs.RoutingError is errors.RoutingError
    with pytest.raises(ValueError):
        pay.net_monthly_eur(-1.0, Parameters.load(), __import__("datetime").date(2026, 6, 1))


def test_no_module_defines_an_error_class_of_its_own():
    defined = re.compile(r"^class \w*Error\(", re.M)
    for path in IMPACT.rglob("*.py"):
        if path.name != "errors.py":
            assert not defined.search(path.read_text(encoding="utf-8")), path


# Figures that live in data/ (issue 15, "figures out of the code"): each pattern, and the file
# that may still hold it (None: nowhere in impact/).
GONE = {
    r"\bFULL_TIME_HOURS\b": None,
    r"\bTOLL_MIN_KM\b": None,
    r"\bDEFAULT_SHIFT_START_MIN\b": None,
    r"\b9 \* 60\b": None,
    r"\bSAN_FRANCESCO_FROM\b|_FIXED_HOLIDAYS": None,
    r"\(12, 25\)|\(8, 15\)": None,
    r"[\"']007[\"']": None,
    r"\b52(\.0)? ?/ ?12\b": None,
    r"\bWEEKS_PER_YEAR = 52\b": "calendar.py",
    r"/ 52\.0\b|\* 52\.0\b": None,
    r"age_at_claim: ArrayLike = 40|= 208\b": None,
    r"== \"ivrea\"|== 'ivrea'": None,
    r"choices=\[\"ivrea\", \"asti\"\]": None,
    r"\(\"ivrea\", \"asti\"\)": None,
    r"\bMESSAGES: dict\[str, dict\[str, str\]\]": None,
}


@pytest.mark.parametrize("pattern", list(GONE))
def test_the_listed_figures_do_not_come_back(pattern):
    allowed = GONE[pattern]
    found = [str(path.relative_to(ROOT)) for path in IMPACT.rglob("*.py")
             if path.name != allowed and re.search(pattern, path.read_text(encoding="utf-8"))]
    assert not found, f"{pattern} is back in {found}: read it from data/ instead"


def test_the_roster_messages_live_in_the_catalogue():
    from impact.roster import RosterError, read_roster

    for lang in i18n.LANGUAGES:
        assert i18n.t("roster.message.site_missing", lang)
    with pytest.raises(RosterError) as caught:
        read_roster(b"Comune;Sede\nIvrea;Ivrea\n", "x.csv")
    assert caught.value.key == "missing_columns"
    assert caught.value.values == {"fields": ["hours_per_day", "days_per_week"]}   # codes, not words
    assert caught.value.text("it") == "mancano le colonne: ore al giorno, giorni a settimana"
    assert caught.value.text("en") == "columns missing: hours per day, days per week"


def test_the_union_pdf_with_a_package_over_time_renders():
    """Found while grepping for dead names: the horizon table called a removed helper (_latin1)."""
    import datetime as dt
    import io

    from pypdf import PdfReader

    from impact.horizon import Package, Timing, horizon
    from impact.model import Scenario, evaluate
    from impact.places import default_gazetteer, load_sites
    from impact.report import workforce_pdf
    from impact.scenarios import by_comune, summarise
    from tests.test_horizon import one_worker

    on = dt.date(2026, 6, 1)
    params = Parameters.load()
    workers, hand_results = one_worker(150.0)
    package = Package(horizon_years=3, timing=(("monthly_allowance", Timing(phasing=(1.0, 0.75, 0.5))),))
    horizons = {"A": horizon(workers, hand_results, Scenario(monthly_allowance_eur=100.0), package, params, on)}
    results = evaluate(workers, Scenario(), params, on, default_gazetteer(), load_sites())
    table = by_comune(results, workers, {p.istat: p.name for p in default_gazetteer().places})
    pdf = workforce_pdf({"A": summarise(results, Scenario())}, results, table, params, on, "it", horizons=horizons)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "1.800" in text   # year 1: 12 x (250 - 100) EUR she still loses (tests/test_horizon.py, by hand)
