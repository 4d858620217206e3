"""The worker page's share link: comune, office and hours, and the parameters version it was made under.

Nothing personal ever goes into it: no pay, no address, no name.
"""

from __future__ import annotations

from urllib.parse import urlencode

from impact.version import parameters_version

# The worker page is the app's default page, which Streamlit serves at the root (its
# url_path "tragitto" is not an address of its own).
WORKER_PATH = ""
VERSION_KEY = "v"


def link_params(istat: str, site: str, hours: float | None = None) -> dict[str, str]:
    """The query parameters that fill the worker page: {"comune", "sede"[, "ore"], "v"}."""
    params = {"comune": istat, "sede": site}
    if hours is not None:
        params["ore"] = str(int(hours))
    params[VERSION_KEY] = parameters_version()
    return params


def share_url(base_url: str, istat: str, site: str, hours: float | None = None) -> str:
    """The full address of the worker page filled for this comune and office."""
    return f"{base_url.rstrip('/')}/{WORKER_PATH}?{urlencode(link_params(istat, site, hours))}"
