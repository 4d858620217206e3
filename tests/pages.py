"""Helpers for driving the pages with AppTest."""

from streamlit.testing.v1 import AppTest

from ui.worker_sections import WORKER_FOLDS


def open_folds(at: AppTest) -> AppTest:
    """Open every fold of the worker page that builds its content only when open, as a user clicking each
    would (Streamlit's stateful expanders keep that in the session state); takes effect at the next run."""
    for key in WORKER_FOLDS:
        at.session_state[key] = True
    return at
