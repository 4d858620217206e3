"""The union page's charts: the distribution of the extra cost and the workers over each threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from impact import charts, charts_data, i18n
from ui.charts_worker import arrow_datasets, chart_with_data
from ui.common import lang, sites, t
from ui.numbers import chart_locale

# The histogram's range [EUR/month]: values beyond it go to the labelled under/overflow bins.
BIN_STEP, BIN_LOW, BIN_HIGH = 25.0, -200.0, 800.0


# The specs are built once per what they draw and language (shared, never changed: chart_with_data draws
# a copy): the page runs again for every lever moved, and building the Altair charts was a sixth of it.
@st.cache_resource(max_entries=16, show_spinner=False)
def _distribution(extra_eur_month: np.ndarray, language: str) -> tuple[dict, pd.DataFrame]:
    chart, shown = charts.distribution_chart(extra_eur_month, BIN_STEP, BIN_LOW, BIN_HIGH, language)
    return arrow_datasets(chart.to_dict(validate=False)), shown


@st.cache_resource(max_entries=16, show_spinner=False)
def _thresholds(table: pd.DataFrame, site_names: tuple, language: str) -> tuple[dict, pd.DataFrame]:
    chart, shown = charts.thresholds_chart(table, dict(site_names), language)
    return arrow_datasets(chart.to_dict(validate=False)), shown


def distribution(results: pd.DataFrame) -> None:
    """The extra cost of every worker in bins of 25 €, nothing piled on an edge; its sentence and data."""
    spec, shown = _distribution(results["extra_best_eur_month"].to_numpy(dtype=float), lang())
    st.caption(spec["description"])
    chart_with_data(spec, shown, "distribuzione", lang())


def thresholds(results: pd.DataFrame, workers: pd.DataFrame) -> None:
    """Workers over each threshold (INPS 50 km and 80 minutes, no transit, 10 % and 20 % of pay), by office."""
    st.subheader(t("charts.thresholds_title"))
    table = charts_data.thresholds_by_office(results.reset_index(drop=True), workers.reset_index(drop=True))
    spec, shown = _thresholds(table, tuple((k, s.name) for k, s in sites().items()), lang())
    chart_with_data(spec, shown, "soglie-per-sede", lang())


@st.cache_resource(max_entries=8, show_spinner=False)
def sensitivity_spec(grid: pd.DataFrame, language: str) -> dict:
    """The heat map of `grid` (`impact.scenarios.sweep`: the workers' yearly cost by fuel price and smart-working
    days) as a Vega-Lite spec with its data in Arrow, once per grid and language."""
    import altair as alt   # the union page's chart: a worker page's server does not load Altair (26 MB)
    say = i18n.in_language(language)
    # Ordinal axes show their values as text: written the user's way (1,80 and 0,5 in Italian).
    grid = grid.assign(total=grid["total_extra_eur_year"] / 1000,
                       fuel_label=grid["fuel_eur_per_l"].map(lambda v: i18n.number(v, language, 2)),
                       smart_label=grid["smart_days"].map(lambda v: i18n.number(v, language, 1)))
    chart = alt.Chart(grid).mark_rect().encode(
        x=alt.X("fuel_label:O", title=say("union.axis_fuel"), sort=None),
        y=alt.Y("smart_label:O", title=say("union.axis_smart"), sort=None),
        color=alt.Color("total:Q", title=say("union.axis_total"), scale=alt.Scale(scheme="reds")),
        tooltip=[alt.Tooltip("fuel_eur_per_l:Q", title=say("union.axis_fuel"), format=",.2f"),
                 alt.Tooltip("smart_days:Q", title=say("union.axis_smart"), format=",.1f"),
                 alt.Tooltip("total:Q", title=say("union.axis_total"), format=",.0f")]
    ).configure(locale=chart_locale(language))
    return arrow_datasets(chart.to_dict(validate=False))
