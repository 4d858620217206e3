"""Security: XSRF, the upload limit, no roster on disk, no API key shown or logged, no personal data in links."""

import datetime as dt
import logging
import os
import re
import tempfile
import tomllib
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.roster import read_roster
from impact.routing.ors import OrsRouter, RouteCache
from tests.fake_ors import FakeOrs
from tests.test_faults import browser_session, put_upload, xsrf_token

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
SANE_UPLOAD_MB = 25   # a roster of 100,000 rows is under 10 MB


def new_marker(kind: str) -> str:
    """A string found nowhere else: made at run time, so not even this file's bytecode holds it."""
    return f"{kind}{uuid.uuid4().hex.upper()}"


def page_text(at: AppTest) -> str:
    """Everything the page holds: every element's and block's protobuf, as text."""
    parts = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def roster_with(marker: str) -> bytes:
    """A roster whose name column, a note and an unknown town carry `marker`."""
    return (f"Matricola;Nome;Comune;Sede;Ore al giorno;Giorni a settimana;Note\n"
            f"M1;Anna {marker};Strambino;Ivrea;6;5;{marker} nota\n"
            f"M2;Bruno {marker};Asti;Asti;4;5;\n"
            f"M3;Carla {marker};{marker}ville;Ivrea;6;5;\n").encode("cp1252")


@pytest.fixture
def page_with_ors(monkeypatch, tmp_path):
    """AppTest pages with openrouteservice at a fake server on 127.0.0.1 and the route cache in tmp_path."""
    from ui import common

    with FakeOrs() as server:
        monkeypatch.setenv("ORS_BASE_URL", server.url)
        monkeypatch.setenv("IMPACT_CACHE_DIR", str(tmp_path / "route-cache"))
        common.router.clear()
        yield server
        common.router.clear()


# --------------------------------------------------------------------------- XSRF and the upload limit


def test_xsrf_protection_is_on():
    assert CONFIG["server"]["enableXsrfProtection"] is True


def test_no_full_garbage_collection_after_every_run():
    # Streamlit's default collects every generation after each run, holding the interpreter for
    # about 67 ms: under 50 sessions the p95 rerun went from 0.36 s to 5.9 s (bench/load_test.py).
    assert CONFIG["runner"]["postScriptGC"] is False


def test_the_running_server_refuses_an_upload_without_the_xsrf_token(server):
    token = xsrf_token(server)
    for session in browser_session(server, token):
        assert put_upload(server, session, 1000, token=None) == 403
        assert put_upload(server, session, 1000, token=token) == 204


def test_the_upload_limit_is_sane_and_as_documented():
    limit = CONFIG["server"]["maxUploadSize"]
    assert isinstance(limit, int) and 1 <= limit <= SANE_UPLOAD_MB
    # A per-widget limit on the roster uploader may only be lower.
    source = (ROOT / "ui" / "union_page.py").read_text(encoding="utf-8")
    for value in re.findall(r"max_upload_size\s*=\s*(\d+)", source):
        assert int(value) <= limit
    # Where the README gives the limit, it gives this one.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = [int(m) for line in readme.splitlines() if re.search(r"upload|caric", line, re.I)
              for m in re.findall(r"(\d+)\s*MB", line)]
    assert all(value == limit for value in stated), stated


# --------------------------------------------------------------------------- no roster bytes on disk


def snapshot(folders: list[Path]) -> dict[str, int]:
    files = {}
    for folder in folders:
        for directory, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(directory, name)
                try:
                    files[path] = os.stat(path).st_mtime_ns
                except OSError:
                    pass
    return files


def written_since(before: dict[str, int], folders: list[Path]) -> list[str]:
    return [path for path, mtime in snapshot(folders).items() if before.get(path) != mtime]


def holding(paths: list[str], marker: str) -> list[str]:
    needles = (marker.encode(), marker.encode("utf-16-le"), marker.lower().encode())
    found = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read(64 * 1024 * 1024)
        except OSError:
            continue
        if any(needle in data for needle in needles):
            found.append(path)
    return found


def test_no_roster_bytes_are_written_to_disk(page_with_ors, tmp_path):
    marker = new_marker("ROSTER")
    folders = sorted({Path(tempfile.gettempdir()).resolve(), Path.cwd().resolve(), ROOT,
                      (Path.home() / ".cache").resolve(), tmp_path.resolve()})
    before = snapshot(folders)
    # The watch sees a file that does hold the marker (then removed): it is not blind.
    probe = Path(tempfile.gettempdir()) / f"watch-{uuid.uuid4().hex}"
    probe.write_text("probe " + marker[::-1])
    assert holding(written_since(before, folders), marker[::-1]) == [str(probe)]
    probe.unlink()

    data = roster_with(marker)
    report = read_roster(data, "roster.csv")
    assert report.rows_valid == 2 and marker in report.rejected[0].reason("it")
    router = OrsRouter(base_url=page_with_ors.url, cache=RouteCache(tmp_path / "route-cache"))
    evaluate(report.workers, Scenario(), default_parameters(), dt.date.today(), default_gazetteer(), load_sites(), router)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("ui/union_page.py").run()
    at.file_uploader(key="roster_file").set_value(("roster.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert marker in page_text(at)          # the page did read it: the rejected town is shown
    assert page_with_ors.requests           # and routed through the cache on disk

    written = written_since(before, folders)
    assert any("route-cache" in path for path in written)
    assert holding(written, marker) == []


# --------------------------------------------------------------------------- the openrouteservice key


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def every_log():
    """Every log record of the process at DEBUG, Streamlit's own included (they do not propagate)."""
    handler = Records()
    loggers = [logging.getLogger(name) for name in ("", "streamlit", "urllib3", "openrouteservice", "impact")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in zip(loggers, levels):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.parametrize("mode", ["ok", "401"])
def test_the_api_key_is_never_shown_logged_or_cached(mode, page_with_ors, monkeypatch, every_log, capfd, tmp_path):
    key = new_marker("KEY")
    monkeypatch.setenv("ORS_API_KEY", key)
    seen = []
    answer = page_with_ors.answer
    page_with_ors.answer = lambda path, body, authorization: (seen.append(authorization), answer(path, body, authorization))[1]
    page_with_ors.mode = mode

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.selectbox(key="town").set_value("Strambino (TO)").run()
    assert not at.exception, at.exception
    worker = page_text(at)
    fallback = [w.value for w in at.warning if "openrouteservice" in w.value]
    assert bool(fallback) == (mode == "401")
    at.switch_page("ui/method_page.py").run()
    method = page_text(at)
    at.switch_page("ui/union_page.py").run()
    at.radio(key="union_source").set_value("model").run()
    assert not at.exception, at.exception
    union = page_text(at)

    assert seen and set(seen) == {key}      # the key did reach openrouteservice...
    assert any(line.startswith("urllib3") for line in every_log.lines)   # (and the requests were logged)
    out, err = capfd.readouterr()
    cached = "".join(p.read_text() for p in (tmp_path / "route-cache").glob("*")) if mode == "ok" else ""
    assert mode != "ok" or "45." in cached  # (the cache was written)
    for where, text in {"worker page": worker, "method page": method, "union page": union,
                        "logs": "\n".join(every_log.lines), "stdout": out, "stderr": err,
                        "route cache": cached}.items():
        assert key not in text, where       # ...and nowhere else


# --------------------------------------------------------------------------- links


def test_the_share_link_carries_only_the_scenario_levers():
    marker = new_marker("SHARE")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("ui/union_page.py").run()
    at.file_uploader(key="roster_file").set_value(("roster.csv", roster_with(marker), "text/csv")).run()
    share = [b for b in at.button if b.label == "Crea il link di questo scenario"]
    assert len(share) == 1
    share[0].click().run()
    assert not at.exception, at.exception
    params = dict(at.query_params)
    levers = {n.key for n in at.number_input} | {n.key for n in at.text_input}
    assert params and set(params) <= levers, (params, levers)
    for name, values in params.items():
        for value in values if isinstance(values, list) else [values]:
            float(value)                    # numbers only
            assert marker not in value and "Strambino" not in value


def test_the_worker_page_puts_nothing_in_the_address():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.selectbox(key="town").set_value("Strambino (TO)").run()
    at.text_input(key="net_pay").input("1234").run()
    at.number_input(key="children").set_value(1).run()
    assert not at.exception, at.exception
    assert dict(at.query_params) == {}
