import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The real server and the real browser, one of each for the whole session, shared by
# tests/test_browser.py and tests/test_accessibility.py.
@pytest.fixture(scope="session")
def server():
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # One server per pytest-xdist worker (scripts/test.sh runs two): each on its own port and log.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    log = (ARTIFACTS / f"streamlit{'-' + worker if worker else ''}.log").open("w")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 60
    while True:
        try:
            if opener.open(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"the Streamlit server did not start: see {log.name}")
        time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: run the README's test command, which installs it")
    # Expectations wait as long as actions do (30 s, tests/test_browser.py): with two workers on a busy
    # machine a rerun after an upload took longer than Playwright's default 5 s.
    playwright_api.expect.set_options(timeout=30_000)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()
