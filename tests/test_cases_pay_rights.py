"""Worked cases for pay and rights, read from tests/cases/{pay,rights}/*.yaml (OpenFisca style).

Each case names its source and kind (published, boundary, hand-worked), the date whose rules
apply (`period`), the computation, its `input` and the expected `output`. Numbers must match
within `absolute_error_margin` (EUR, minutes or months as the output says); booleans and
statuses must match exactly. A case may override parameters (e.g. the 2015 NASpI amounts for
a 2015 example), each override with its own source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
import yaml

from impact import pay, rights
from impact.params import DatedValue, Parameters, Source, default_parameters

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted((CASES / "pay").glob("*.yaml")) + sorted((CASES / "rights").glob("*.yaml"))
KINDS = {"published", "boundary", "hand-worked"}


def _load_cases() -> list[tuple[str, dict]]:
    cases = []
    for file in CASE_FILES:
        for case in yaml.safe_load(file.read_text(encoding="utf-8")):
            cases.append((f"{file.parent.name}/{file.stem}: {case['name']}", case))
    return cases


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _with_overrides(overrides: dict | None) -> Parameters:
    base = default_parameters()
    if not overrides:
        return base
    by_path = {p.path: p for p in base}
    for path, spec in overrides.items():
        source = Source(spec["source"]["title"], spec["source"]["url"])
        value = DatedValue(dt.date(1900, 1, 1), spec["value"], source)
        by_path[path] = dataclasses.replace(base.get(path), values=(value,))
    return Parameters(by_path)


def _frame(result: Any) -> dict[str, Any]:
    if isinstance(result, pd.DataFrame):
        return {c: result[c].to_numpy() for c in result.columns}
    return result


# Each computation takes (params, on, input) and returns {output name: array}.
def _irpef_saving(p, on, i):
    taxable = i["taxable_income_eur"]
    before = pay.irpef_gross_eur(taxable, p, _date(i["before"]))
    after = pay.irpef_gross_eur(taxable, p, _date(i["after"]))
    return {"irpef_saving_eur": before - after}


def _net_pay_from_taxable(p, on, i):
    gross = pay.gross_for_taxable_eur(i["taxable_income_eur"], p, on)
    istat = np.broadcast_to(np.asarray(i.get("home_istat", pay.UNKNOWN_HOME_ISTAT)), gross.shape)
    return _frame(pay.net_pay(gross, p, on, home_istat=istat).to_frame())


def _net_pay(p, on, i):
    gross = np.atleast_1d(np.asarray(i["gross_annual_eur"], dtype=float))
    istat = np.broadcast_to(np.asarray(i.get("home_istat", pay.UNKNOWN_HOME_ISTAT)), gross.shape)
    result = _frame(pay.net_pay(gross, p, on, home_istat=istat).to_frame())
    result["net_monthly_eur"] = result["net_eur"] / pay.monthly_payments(p, on)
    return result


def _round_trip(p, on, i):
    gross = np.atleast_1d(np.asarray(i["gross_annual_eur"], dtype=float))
    istat = np.broadcast_to(np.asarray(i.get("home_istat", pay.UNKNOWN_HOME_ISTAT)), gross.shape)
    net = pay.net_annual_eur(gross, p, on, home_istat=istat)
    return {"gross_back_eur": pay.gross_from_net_annual_eur(net, p, on, home_istat=istat)}


def _naspi(p, on, i):
    average = rights.naspi_average_monthly_pay_eur(i["taxable_pay_4y_eur"], i["contribution_weeks_4y"], p, on)
    return {"average_monthly_pay_eur": average, "naspi_monthly_eur": rights.naspi_monthly_eur(average, p, on)}


def _transfer(p, on, i):
    return _frame(rights.transfer_rule(i["road_km"], i["straight_line_km"], i["transit_minutes"], p, on))


COMPUTE: dict[str, Callable[[Parameters, dt.date, dict], dict]] = {
    "pay.irpef_saving": _irpef_saving,
    "pay.irpef_gross": lambda p, on, i: {"irpef_gross_eur": pay.irpef_gross_eur(i["taxable_income_eur"], p, on)},
    "pay.employee_deduction": lambda p, on, i: {
        "employee_deduction_eur": pay.employee_deduction_eur(i["taxable_income_eur"], p, on)},
    "pay.extra_deduction": lambda p, on, i: {
        "extra_deduction_eur": pay.extra_deduction_eur(i["taxable_income_eur"], p, on)},
    "pay.exempt_sum": lambda p, on, i: {"exempt_sum_eur": pay.exempt_sum_eur(i["taxable_income_eur"], p, on)},
    "pay.net_pay_from_taxable": _net_pay_from_taxable,
    "pay.net_pay": _net_pay,
    "pay.round_trip": _round_trip,
    "rights.naspi": _naspi,
    "rights.naspi_from_average": lambda p, on, i: {
        "naspi_monthly_eur": rights.naspi_monthly_eur(i["average_monthly_pay_eur"], p, on)},
    "rights.naspi_in_month": lambda p, on, i: {"naspi_in_month_eur": rights.naspi_in_month_eur(
        i["initial_monthly_eur"], i["month"], i["age_at_claim"], p, on)},
    "rights.naspi_duration": lambda p, on, i: {
        "duration_months": rights.naspi_duration_months(i["contribution_weeks_4y"], p, on)},
    "rights.transfer": _transfer,
}


@pytest.mark.parametrize("name, case", _load_cases(), ids=[n for n, _ in _load_cases()])
def test_worked_case(name: str, case: dict) -> None:
    assert case["kind"] in KINDS, f"{name}: kind must be one of {sorted(KINDS)}"
    assert case["source"]["title"] and str(case["source"]["url"]).startswith("http"), f"{name}: needs a source"
    params = _with_overrides(case.get("parameters"))
    on = _date(case.get("period", "2026-06-01"))
    result = COMPUTE[case["compute"]](params, on, case["input"])
    margin = float(case.get("absolute_error_margin", 0.01))
    for key, expected in case["output"].items():
        actual = np.atleast_1d(result[key])
        wanted = np.atleast_1d(np.asarray(expected))
        assert actual.shape == wanted.shape, f"{name}: {key} has {actual.shape}, expected {wanted.shape}"
        if wanted.dtype.kind in "biuf" and wanted.dtype.kind != "b":
            assert np.allclose(actual.astype(float), wanted.astype(float), atol=margin, rtol=0), (
                f"{name}: {key} = {np.round(actual.astype(float), 2).tolist()}, expected {wanted.tolist()} "
                f"within {margin}")
        else:
            assert actual.tolist() == wanted.tolist(), f"{name}: {key} = {actual.tolist()}, expected {wanted.tolist()}"


def test_every_case_file_is_used():
    assert len(CASE_FILES) >= 6
    assert {c["compute"] for _, c in _load_cases()} <= set(COMPUTE)
