"""Hand-worked evaluate() cases (tests/cases/evaluate/*.yaml): the answer's figures, worked from the sources.

A numeric output matches within the case's `relative_margin` (or 0.01 absolute for small values);
booleans and codes exactly; ``{equals: expression}`` holds a rule between result columns
(``min(a, b)``, ``a - b``, ``a / b``), for figures that depend on the timetable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites

ON = dt.date(2026, 6, 1)
CASES = [case for path in sorted((Path(__file__).parent / "cases" / "evaluate").glob("*.yaml"))
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def _value(expression: str, row: pd.Series) -> float:
    return float(eval(expression, {"__builtins__": {}, "min": min, "max": max}, row.to_dict()))  # noqa: S307


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hand_worked_case(case):
    places = default_gazetteer()
    inputs = dict(case["input"])
    inputs["home_istat"] = places.resolve(inputs.pop("town")).istat
    row = evaluate(pd.DataFrame([inputs]), Scenario(), default_parameters(), ON, places, load_sites()).iloc[0]
    margin = case.get("relative_margin", 0.0)
    for column, expected in case["output"].items():
        got = row[column]
        if isinstance(expected, dict):
            assert got == pytest.approx(_value(expected["equals"], row), rel=1e-9, abs=1e-9), column
        elif isinstance(expected, (bool, str)):
            assert (bool(got) if isinstance(expected, bool) else got) == expected, column
        else:
            assert float(got) == pytest.approx(expected, rel=margin, abs=0.01), column
