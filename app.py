"""Streamlit entry point: the language switch and the pages."""

import streamlit as st

from impact.errors import ImpactError
from ui import common

st.set_page_config(page_title=common.t("app.title"), page_icon=":material/train:", layout="centered")
common.language_picker()
pages = [
    st.Page("ui/worker_page.py", title=common.t("nav.worker"), icon=":material/home:", url_path="tragitto", default=True),
    st.Page("ui/union_page.py", title=common.t("union.nav"), icon=":material/groups:", url_path="scenari"),
    st.Page("ui/method_page.py", title=common.t("nav.method"), icon=":material/menu_book:", url_path="metodo"),
]
try:
    st.navigation(pages, position="top").run()
except ImpactError as exc:
    # A broken or missing data file: say which, in words, instead of a traceback.
    st.error(common.t("app.data_error", detail=str(exc)))
