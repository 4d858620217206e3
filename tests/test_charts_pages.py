"""The chart blocks on the pages for towns of every kind: no exception, a chart and its data each."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.mark.parametrize("town, office", [("Strambino (TO)", "ivrea"), ("Torino (TO)", "asti"),
                                          ("Ceresole Reale (TO)", "ivrea"), ("Nizza Monferrato (AT)", "asti")])
def test_worker_charts_for_any_town(town, office):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.selectbox(key="town").set_value(town).run()
    at.radio(key="site").set_value(office).run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3      # the day, the money bars, the share of pay
    assert [b for b in at.get("download_button") if "dati" in b.proto.label]


def test_worker_charts_without_a_car():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.selectbox(key="town").set_value("Strambino (TO)").run()
    at.checkbox(key="has_car").uncheck().run()
    assert not at.exception
