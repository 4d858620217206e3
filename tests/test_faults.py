"""Faults: openrouteservice failing, broken data files, oversize uploads, formula cells, odd encodings.

Each fault must give a clear message, keep the app up and lose nothing.
"""

import codecs
import csv
import datetime as dt
import http.client
import io
import os
import shutil
import time
import tomllib
import urllib.request
import uuid
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from impact.errors import DataError, ImpactError, ParameterError
from impact.housing import RentTable
from impact.model import Scenario, evaluate
from impact.params import Parameters, default_parameters
from impact.places import Gazetteer, default_gazetteer, load_sites
from impact.report import workforce_xlsx
from impact.roster import RosterError, read_roster
from impact.roster_cli import main as roster_cli
from impact.routing.estimate import load_model
from impact.routing.ors import OrsRouter, RouteCache
from impact.routing.transit import default_router as default_transit_router
from impact.routing.transit import load_network
from tests.fake_ors import FakeOrs, short_timeout

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DATA = ROOT / "data"
MESSY = ROOT / "tests" / "data" / "rosters" / "messy_it.csv"
ON = dt.date(2026, 6, 1)
FORMULA_STARTS = ("=", "+", "-", "@")


def closed_url() -> str:
    """The address of a server that has just shut down: connection refused."""
    with FakeOrs() as server:
        return server.url


# --------------------------------------------------------------------------- openrouteservice

# mode of tests/fake_ors.py -> what the fallback note says
ORS_FAULTS = {"down": "unreachable", "slow": "did not answer in time", "429": "quota exceeded (429)",
              "401": "refused the key (401)", "403": "refused the key (403)", "500": "server error (500)"}
# The same faults as the Italian page words them (the model's notes are put into the page's language).
ORS_FAULTS_IT = {"down": "non raggiungibile", "slow": "non ha risposto in tempo", "429": "quota di openrouteservice esaurita",
                 "401": "ha rifiutato la chiave (401)"}


@pytest.fixture(scope="module")
def roster_workers() -> pd.DataFrame:
    return read_roster(MESSY.read_bytes(), MESSY.name).workers


@pytest.fixture(scope="module")
def transit():
    return default_transit_router(ON)


@pytest.fixture(scope="module")
def offline(roster_workers, transit) -> pd.DataFrame:
    return evaluate(roster_workers, Scenario(), default_parameters(), ON, default_gazetteer(), load_sites(),
                    None, transit=transit)


@pytest.mark.parametrize("mode", list(ORS_FAULTS))
def test_evaluate_falls_back_with_a_note_and_loses_nothing(mode, roster_workers, offline, transit, tmp_path,
                                                         monkeypatch):
    if mode == "slow":
        short_timeout(monkeypatch)   # a third of the production wait, the same fallback
    with FakeOrs() as server:
        server.mode = "ok" if mode == "down" else mode
        url = closed_url() if mode == "down" else server.url
        router = OrsRouter(key="k", base_url=url, cache=RouteCache(tmp_path))
        started = time.monotonic()
        results = evaluate(roster_workers, Scenario(), default_parameters(), ON, default_gazetteer(), load_sites(),
                           router, transit=transit)
    assert time.monotonic() - started < 10
    assert len(results) == len(roster_workers) == 5
    assert set(results["car_source_new"]) == {"estimate"}
    assert all(ORS_FAULTS[mode] in note for note in results["routing_note"])
    # Nothing lost: every figure is the offline estimate's, row for row.
    pd.testing.assert_frame_equal(results.drop(columns="routing_note"), offline.drop(columns="routing_note"))


@pytest.fixture
def ors_page(monkeypatch, tmp_path):
    """The app with ORS_BASE_URL at a fake openrouteservice; yields (server, set_url)."""
    from ui import common

    with FakeOrs() as server:
        monkeypatch.setenv("ORS_BASE_URL", server.url)
        monkeypatch.setenv("IMPACT_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.delenv("ORS_API_KEY", raising=False)
        common.router.clear()   # the router is built once per server from the environment
        yield server
        common.router.clear()


def worker_result(town: str = "Strambino (TO)") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.selectbox(key="town").set_value(town).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("mode", ["ok", "down", "slow", "429", "401"])
def test_the_worker_page_still_answers_with_a_visible_note(mode, ors_page, monkeypatch):
    if mode == "slow":
        from ui import common

        short_timeout(monkeypatch)
        common.router.clear()   # rebuilt with the short timeout
    ors_page.mode = mode
    if mode == "down":
        monkeypatch.setenv("ORS_BASE_URL", closed_url())
    at = worker_result()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["In più al mese"].endswith("€") and metrics["Del tuo stipendio netto"].endswith("%")
    captions = "\n".join(c.value for c in at.caption)
    warnings = [w.value for w in at.warning if "openrouteservice" in w.value]
    if mode == "ok":
        assert ors_page.requests and not warnings
        assert "percorso calcolato con openrouteservice" in captions
    else:
        assert len(warnings) == 1 and ORS_FAULTS_IT[mode] in warnings[0], warnings
        assert warnings[0].startswith("openrouteservice non ha risposto")
        assert "stima offline" in captions


# --------------------------------------------------------------------------- broken data files


def truncate(data: bytes) -> bytes:
    """Cut in the middle of a row half-way down, two characters after its first separator."""
    lines = data.split(b"\n")
    middle = lines[len(lines) // 2]
    return b"\n".join(lines[: len(lines) // 2]) + b"\n" + middle[: middle.index(b",") + 3]


def garble(data: bytes) -> bytes:
    """Bytes that are not UTF-8 in the middle, as a bad copy or a wrong 'save as' leaves."""
    return data[: len(data) // 2] + b"\xff\xfe\x9d\x81" + data[len(data) // 2:]


def break_yaml(data: bytes) -> bytes:
    """Valid UTF-8 that is not YAML: an unclosed bracket on the first mapping."""
    return data.replace(b": ", b": [", 1)


DAMAGE = {"missing": None, "truncated": truncate, "garbled": garble, "yaml": break_yaml, "empty": lambda d: b""}
LOADERS = {
    "places/comuni.csv": lambda d: Gazetteer.from_csv(d / "places" / "comuni.csv"),
    "sites.yaml": lambda d: load_sites(d / "sites.yaml"),
    "parameters/car/fuel.yaml": lambda d: Parameters.load(d / "parameters"),
    "routing/car_estimate.yaml": lambda d: load_model(default_parameters(), ON, d / "routing" / "car_estimate.yaml"),
    "housing/rent_per_m2.csv": lambda d: RentTable.load(d / "housing" / "rent_per_m2.csv",
                                                        d / "housing" / "piedmont_rent_index.csv"),
    "transit/stations.csv": lambda d: load_network(d / "transit"),
}
RAW = (AttributeError, TypeError, KeyError, ValueError, UnicodeDecodeError, yaml.YAMLError, csv.Error,
       pd.errors.ParserError, pd.errors.EmptyDataError, pytest.fail.Exception)


CASES = [
    ("places/comuni.csv", "missing", DataError),
    ("places/comuni.csv", "truncated", DataError),
    ("places/comuni.csv", "garbled", DataError),
    ("places/comuni.csv", "empty", DataError),
    ("sites.yaml", "missing", DataError),
    ("sites.yaml", "garbled", DataError),
    ("sites.yaml", "yaml", DataError),
    ("parameters/car/fuel.yaml", "yaml", ParameterError),
    ("parameters/car/fuel.yaml", "empty", ParameterError),
    ("parameters/car/fuel.yaml", "garbled", ParameterError),
    ("routing/car_estimate.yaml", "missing", DataError),
    ("routing/car_estimate.yaml", "garbled", DataError),
    ("routing/car_estimate.yaml", "yaml", DataError),
    ("housing/rent_per_m2.csv", "missing", DataError),
    ("housing/rent_per_m2.csv", "truncated", DataError),
    ("housing/rent_per_m2.csv", "garbled", DataError),
    ("transit/stations.csv", "missing", DataError),
    ("transit/stations.csv", "garbled", DataError),
    ("transit/stations.csv", "empty", DataError),
]


@pytest.mark.parametrize("relative, damage, error", [pytest.param(r, d, e, id=f"{r}-{d}") for r, d, e in CASES])
def test_a_broken_data_file_is_a_domain_error_naming_it(relative, damage, error, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    target = data / relative
    if DAMAGE[damage] is None:
        target.unlink()
    else:
        target.write_bytes(DAMAGE[damage](target.read_bytes()))
    with pytest.raises(ImpactError) as caught:
        LOADERS[relative](data)
    assert isinstance(caught.value, error)
    assert Path(relative).name in str(caught.value)


def test_a_missing_parameter_file_fails_at_the_first_use_naming_the_parameter(tmp_path, roster_workers):
    shutil.copytree(DATA / "parameters", tmp_path / "parameters")
    (tmp_path / "parameters" / "car" / "fuel.yaml").unlink()
    params = Parameters.load(tmp_path / "parameters")   # the tree cannot know a file is missing...
    with pytest.raises(ParameterError, match=r"car\.fuel\.petrol_eur_per_l"):
        evaluate(roster_workers, Scenario(), params, ON, default_gazetteer(), load_sites())  # ...its first use does


@pytest.fixture
def broken_sites(monkeypatch, tmp_path):
    """The app with data/sites.yaml missing (the loader the pages use, pointed at an empty folder)."""
    from ui import common

    monkeypatch.setattr(common, "load_sites", lambda: load_sites(tmp_path / "sites.yaml"))
    common.sites.clear()
    yield
    common.sites.clear()


def test_a_missing_data_file_stops_the_page_naming_the_file(broken_sites):
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    errors = [e.message for e in at.exception] + [e.value for e in at.error]
    assert any("sites.yaml" in text and "missing" in text for text in errors), errors


def test_a_missing_data_file_is_a_message_not_a_traceback(broken_sites):
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert any("sites.yaml" in e.value for e in at.error)


# --------------------------------------------------------------------------- a 50 MB upload


def configured_upload_limit_mb() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return int(config["server"]["maxUploadSize"])


def test_the_configured_upload_limit_is_below_50_mb():
    assert configured_upload_limit_mb() < 50


def xsrf_token(server: str) -> str:
    """The XSRF cookie the server hands out (on its health endpoint, as on its pages)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    response = opener.open(f"{server}/_stcore/health", timeout=10)
    cookie = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("_streamlit_xsrf="))
    return cookie.split(";")[0].split("=", 1)[1]


def browser_session(server: str, token: str):
    """A session as a browser opens one (websocket, first run); yields its id while it is open.

    The messages of the session's runs are never read: with a bounded queue the socket stopped reading
    once it was full, missed the server's closing frame and waited its 10 s close timeout at the end."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with connect(server.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit", token],
                 additional_headers={"Cookie": f"_streamlit_xsrf={token}", "Origin": server},
                 max_size=None, max_queue=None, proxy=None) as socket:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        socket.send(rerun.SerializeToString())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=30))
            if message.WhichOneof("type") == "new_session":
                yield message.new_session.initialize.session_id
                return
        raise AssertionError("no session from the server")


def put_upload(server: str, session: str, size: int, token: str | None) -> int:
    """PUT a file of `size` bytes to the uploader endpoint as the browser does; the HTTP status."""
    port = int(server.rsplit(":", 1)[1])
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="roster.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("PUT", f"/_stcore/upload_file/{session}/{uuid.uuid4()}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    if token:
        connection.putheader("X-Xsrftoken", token)
        connection.putheader("Cookie", f"_streamlit_xsrf={token}")
    connection.endheaders()
    chunk = b"Comune;Sede;Ore al giorno;Giorni a settimana\n" + b"Ivrea;Ivrea;6;5\n" * 65_000   # ~1 MB
    try:
        connection.send(head)
        for start in range(0, size, len(chunk)):
            connection.send(chunk[: min(len(chunk), size - start)])
        connection.send(tail)
    except (BrokenPipeError, ConnectionResetError):
        pass   # the server answered before reading it all
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture(scope="module")
def live(server):
    """(server URL, XSRF token, session id) on the real server of tests/conftest.py."""
    token = xsrf_token(server)
    for session in browser_session(server, token):
        yield server, token, session


def test_a_session_whose_messages_go_unread_still_closes_at_once(server):
    for _ in browser_session(server, xsrf_token(server)):
        time.sleep(1)   # the first run's messages arrive and wait, unread
        left = time.monotonic()
    assert time.monotonic() - left < 2


def test_a_50_mb_upload_is_refused_by_the_running_server(live):
    server, token, session = live
    started = time.monotonic()
    assert put_upload(server, session, 50 * 1024 * 1024, token) == 413   # Payload Too Large
    assert time.monotonic() - started < 10
    limit = configured_upload_limit_mb() * 1024 * 1024
    assert put_upload(server, session, limit + 1024 * 1024, token) == 413
    assert put_upload(server, session, 100_000, token) == 204           # the same request, small: taken


# --------------------------------------------------------------------------- formula cells in exports


def formula_cells(book_bytes_or_path) -> list[str]:
    """Cells of every sheet that a spreadsheet would run: formulas, or text starting with = + - @."""
    source = io.BytesIO(book_bytes_or_path) if isinstance(book_bytes_or_path, bytes) else book_bytes_or_path
    book = openpyxl.load_workbook(source)
    found = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)):
                    found.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return found


# A header that folds to a known column ("=Ore" is read as "Ore"), so rejections start with it.
INJECTION = ("Comune;Sede;=Ore;Giorni a settimana;@Nome\n"
             "Strambino;Ivrea;abc;5;=HYPERLINK(\"http://example.org\")\n"
             "Ivrea;Ivrea;6;5;-2+3\n"
             "+39 011;Asti;6;5;@SUM(A1)\n")


def test_a_roster_header_can_start_a_rejection_reason_with_a_formula_character():
    report = read_roster(INJECTION.encode(), "roster.csv")
    reasons = list(report.rejected_table("en")["reason"])
    assert any(reason.startswith("=Ore") for reason in reasons), reasons


def test_the_union_workbook_escapes_every_formula_cell(roster_workers, offline):
    report = read_roster(INJECTION.encode(), "roster.csv")
    results = pd.concat([roster_workers.reset_index(drop=True), offline.reset_index(drop=True)], axis=1)
    results["note"] = ["=1+1", "+1", "-1", "@A1", "plain"]
    # Scenario names and figure keys are the page's own words; the values could be text.
    summaries = {"Scenario A": {"workers": "=2+2", "median": 10.0}, "Scenario B": {"workers": "@x", "median": -3.0}}
    book = workforce_xlsx(results, summaries, default_parameters(), ON, report.rejected_table("it"))
    assert formula_cells(book) == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_roster_command_escapes_every_formula_cell(suffix, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ORS_API_KEY", raising=False)
    monkeypatch.delenv("ORS_BASE_URL", raising=False)
    roster = tmp_path / "roster.csv"
    roster.write_text(INJECTION, encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    assert roster_cli([str(roster), "--out", str(out), "--lang", "it"]) == 0
    if suffix == ".xlsx":
        assert formula_cells(out) == []
        assert "Righe scartate" in openpyxl.load_workbook(out).sheetnames
        return
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 2   # the header and the one valid worker (Ivrea)
    rejected = list(csv.reader(io.StringIO((tmp_path / "out.rejected.csv").read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert len(rejected) == 3   # the header and the two rejected rows
    for cell in (c for row in rows + rejected for c in row):
        if cell.startswith(FORMULA_STARTS):   # only numbers may start so: -12,5 is a number to Excel
            float(cell.replace(",", "."))


# --------------------------------------------------------------------------- unknown text encodings

TEXT = "Comune;Sede;Ore al giorno;Giorni a settimana\nAgliè;Ivrea;6;5\nCuorgnè;Ivrea;4;5\n"


@pytest.mark.parametrize("data, valid", [
    pytest.param(TEXT.encode("utf-16"), 2, id="utf-16 with BOM: read"),
    pytest.param(codecs.BOM_UTF8 + TEXT.encode(), 2, id="utf-8 with BOM: read"),
    pytest.param(TEXT.encode("cp1252"), 2, id="windows-1252: read"),
    pytest.param(TEXT.encode("utf-16-le"), None, id="utf-16 without BOM"),
    pytest.param(TEXT.encode("utf-32"), None, id="utf-32"),
    pytest.param(TEXT.encode("mac_roman"), None, id="mac roman"),
    pytest.param(bytes(range(256)) * 40, None, id="binary"),
    pytest.param(os.urandom(4096), None, id="random bytes"),
    pytest.param(b"\x00" * 1000, None, id="zeros"),
])
def test_an_unknown_encoding_is_read_or_refused_clearly(data, valid):
    started = time.monotonic()
    try:
        report = read_roster(data, "roster.csv")
    except RosterError as exc:
        assert valid is None
        assert exc.key in ("file_encoding", "no_header", "file_empty") and exc.text("it") and exc.text("en")
    else:
        assert report.rows_valid == valid if valid is not None else True
        assert all(note.reason("it") for note in report.rejected)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("data", [
    pytest.param(codecs.BOM_UTF8 + b"Comune;Sede\n\xff\xfe;x\n", id="utf-8 BOM then bad bytes"),
    pytest.param(codecs.BOM_UTF16_LE + "Comune;Sede".encode("utf-16-le") + b"x", id="utf-16 BOM, odd length"),
])
def test_a_bom_followed_by_bad_bytes_is_a_roster_error(data):
    with pytest.raises(RosterError):
        read_roster(data, "roster.csv")


def test_an_unclosed_quote_over_a_long_file_is_a_roster_error():
    with pytest.raises(RosterError):
        read_roster(b'Comune;Sede;Ore;Giorni\n"' + b"Ivrea;Ivrea;6;5\n" * 10_000, "roster.csv")


def test_the_union_page_shows_a_message_for_binary_bytes():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("ui/union_page.py").run()
    at.file_uploader(key="roster_file").set_value(("roster.csv", bytes(range(256)) * 40, "text/csv")).run()
    assert not at.exception, at.exception
    assert any("UTF-8" in e.value for e in at.error)
