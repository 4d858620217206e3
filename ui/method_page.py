"""Method and sources: every parameter, data file and office with its source and date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from impact import i18n
from impact.catalog import data_files
from impact.routing.estimate import read_calibration
from ui import transit_detail
from ui.common import lang, parameters, sites, t, today


def _shown(value: float | int | bool) -> str:
    if isinstance(value, bool):
        return t("method.value_yes") if value else t("method.value_no")
    return i18n.number(value, lang(), 2)


def parameter_table() -> pd.DataFrame:
    on = today()
    rows = []
    for p in parameters():
        current = p.at(on)
        status = t("method.status_stale") if p.is_stale(on) else t("method.status_ok")
        if p.assumption:
            status += f" · {t('method.assumption')}"
        rows.append({
            t("method.col_path"): p.path,
            t("method.col_description"): p.describe(lang()),
            t("method.col_value"): _shown(current.value),
            t("method.col_unit"): i18n.unit(p.unit, lang()),
            t("method.col_valid_from"): i18n.date(current.valid_from, lang()),
            t("method.col_source"): current.source.title,
            t("method.col_url"): current.source.url,
            t("method.col_reviewed"): i18n.date(p.last_reviewed, lang()),
            t("method.col_status"): status,
        })
    return pd.DataFrame(rows)


def site_table() -> pd.DataFrame:
    return pd.DataFrame([{
        t("method.col_site"): s.name,
        t("method.col_address"): s.address,
        t("method.col_headcount"): s.headcount,
        t("method.col_source"): s.headcount_source.title,
        t("method.col_url"): s.headcount_source.url,
        t("method.col_accuracy"): i18n.km(s.position_accuracy_m / 1000, lang()),
        t("method.col_position"): s.position_method,
    } for s in sites().values()])


st.set_page_config(layout="wide")
st.title(t("method.title"))
st.write(t("method.intro"))

st.header(t("method.parameters"))
stale = parameters().stale(today())
if stale:
    st.warning(t("method.stale", count=len(stale)) + "\n\n" + "\n".join(
        f"- {t('method.stale_item', path=p.describe(lang()), reviewed=i18n.date(p.last_reviewed, lang()), due=i18n.date(p.review_due(), lang()))}"
        for p in stale))
link = {t("method.col_url"): st.column_config.LinkColumn(display_text="🔗")}
st.dataframe(parameter_table(), hide_index=True, column_config=link)

st.header(t("method.sites"))
st.dataframe(site_table(), hide_index=True, column_config=link)

st.header(t("method.distances"))
st.write(t("method.distances_text"))
error = read_calibration()["measured_error"]["km"]
st.write(t("method.car_error", routes=error["routes"], median=i18n.number(error["median_abs"], lang(), 1),
           p90=i18n.number(error["p90_abs"], lang(), 1), median_rel=i18n.number(100 * error["median_rel"], lang(), 0),
           p90_rel=i18n.number(100 * error["p90_rel"], lang(), 0)))
minutes_error, ranges = read_calibration()["measured_error"]["minutes"], read_calibration()["range"]
st.write(t("car_estimate.minutes_measured", routes=minutes_error["routes"],
           median=i18n.number(minutes_error["median_abs"], lang(), 1), p90=i18n.number(minutes_error["p90_abs"], lang(), 1),
           median_rel=i18n.number(100 * minutes_error["median_rel"], lang(), 0),
           p90_rel=i18n.number(100 * minutes_error["p90_rel"], lang(), 0),
           bias=i18n.number(100 * minutes_error["bias_rel"], lang(), 1),
           low=i18n.number(100 * ranges["minutes_ratio_p10"], lang(), 0),
           high=i18n.number(100 * ranges["minutes_ratio_p90"], lang(), 0),
           motorway_kmh=i18n.number(parameters().value("routing.car_speed.a5_kmh", today()), lang(), 0)))
st.write(t("method.transit_text"))

transit_detail.timetable_section()
st.header(t("method.data_files"))
st.write(t("method.data_files_intro"))
# One block per file rather than a seven-column table, which a phone cannot show.
for row in data_files():
    with st.container(border=True):
        st.markdown(f"**{row['file']}** — {row['holds']}")
        st.markdown("\n".join(f"- *{t('method.file_' + key)}*: {row[key]}"
                               for key in ("origin", "licence", "date", "made", "rebuild")))
st.markdown(t("method.geonames"))
