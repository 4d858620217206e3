"""The union page's charts: the distribution of the extra cost and the workers over each threshold."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from impact import charts, charts_data
from ui.charts_worker import chart_with_data
from ui.common import lang, sites, t

# The histogram's range [EUR/month]: values beyond it go to the labelled under/overflow bins.
BIN_STEP, BIN_LOW, BIN_HIGH = 25.0, -200.0, 800.0


def distribution(results: pd.DataFrame) -> None:
    """The extra cost of every worker in bins of 25 €, nothing piled on an edge; its sentence and data."""
    chart, shown = charts.distribution_chart(results["extra_best_eur_month"], BIN_STEP, BIN_LOW, BIN_HIGH, lang())
    spec = chart.to_dict(validate=False)
    st.caption(spec["description"])
    chart_with_data(spec, shown, "distribuzione", lang())


def thresholds(results: pd.DataFrame, workers: pd.DataFrame) -> None:
    """Workers over each threshold (INPS 50 km and 80 minutes, no transit, 10 % and 20 % of pay), by office."""
    st.subheader(t("charts.thresholds_title"))
    table = charts_data.thresholds_by_office(results.reset_index(drop=True), workers.reset_index(drop=True))
    chart, shown = charts.thresholds_chart(table, {k: s.name for k, s in sites().items()}, lang())
    chart_with_data(chart.to_dict(validate=False), shown, "soglie-per-sede", lang())
