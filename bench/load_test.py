"""Load: N concurrent sessions of the worker page against one local Streamlit server.

    .venv/bin/python bench/load_test.py                      # N = 10, 25, 50 (about 4-6 minutes)
    .venv/bin/python bench/load_test.py --sessions 50 --think 1 3     # impatient users

Starts one `streamlit run app.py` on 127.0.0.1 (a free port, headless, output to
tests/artifacts/load-streamlit.log), warms it up with one session, then for each N opens N
sessions at once (their starts spread over --ramp seconds). Each session speaks Streamlit's
own websocket protocol, as the browser does: it loads the worker page, picks a town (a
different one in each session), then changes the hours and the office a few times, waiting a
random "think time" between actions (--think, 2-8 s by default: a person reads the new
figures, then changes one thing). A rerun is timed from sending the action to the server's
`script_finished` message, the moment the browser's `data-test-script-state` turns to
`notRunning`. Alongside them one real Chromium page (Playwright, 390 x 844) does the same
actions and is timed inside the page, from the pointer going down to `notRunning`.

Errors: an exception drawn on the page, a run that ends in a compile error, a rerun slower than
--timeout, a dropped connection. Memory: the server's RSS from /proc, after the warm-up and
previous rounds (before) and with the round's N sessions still connected (after);
per session = (after - before) / N. Server CPU: its user+system seconds over the round's wall
time (1.0 = one core busy; Streamlit runs every script in one Python process).

Traffic goes only to 127.0.0.1; rounds, actions and waits are bounded and the script stops
the server and exits by itself. A benchmark, not a test: it is not part of the pytest suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOG = ROOT / "tests" / "artifacts" / "load-streamlit.log"
CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"
# The worker page's widgets, by their keys in ui/worker_page.py, and the labels they show.
OFFICES = ["Asti", "Ivrea"]
HOURS = ["8 h", "4 h", "7 h", "5 h"]
SECONDS_PER_TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / SECONDS_PER_TICK  # utime + stime


def start_server(port: int) -> subprocess.Popen:
    LOG.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    with LOG.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", HOST, "--server.port", str(port), "--browser.gatherUsageStats", "false",
             # Serving, not reloading: an edit to the tree during a run would otherwise make the
             # watcher unload modules under the running scripts.
             "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 60
    while True:
        try:
            if opener.open(f"http://{HOST}:{port}/_stcore/health", timeout=2).read() == b"ok":
                return process
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise SystemExit(f"the Streamlit server did not start: see {LOG}")
        time.sleep(0.3)


@dataclass
class Result:
    loads: list[float] = field(default_factory=list)    # first run of the page [s]
    reruns: list[float] = field(default_factory=list)   # each action after it [s]
    errors: list[str] = field(default_factory=list)


class Session:
    """One browser tab's worth of Streamlit protocol: widget states up, deltas down."""

    def __init__(self, port: int, result: Result, timeout: float, name: str = ""):
        self.url = f"ws://{HOST}:{port}/_stcore/stream"
        self.name = name
        self.result, self.timeout = result, timeout
        self.widgets: dict[str, str] = {}          # key -> widget id, from the deltas
        self.states: dict[str, WidgetState] = {}   # what this tab has set
        self.finished: asyncio.Future | None = None
        self.ws = None
        self.reader: asyncio.Task | None = None

    async def open(self) -> None:
        self.ws = await connect(self.url, subprotocols=["streamlit"], max_size=None, proxy=None,
                                open_timeout=self.timeout, ping_interval=None)
        self.reader = asyncio.create_task(self._read())
        self.result.loads.append(await self._run())

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    name = element.WhichOneof("type")
                    if name == "exception":
                        self.result.errors.append(f"{self.name}: exception on the page: "
                                                  f"{element.exception.type}: {element.exception.message[:100]}")
                    widget = getattr(element, name)
                    if "id" in widget.DESCRIPTOR.fields_by_name and widget.id:
                        self.widgets[widget.id.rsplit("-", 1)[-1]] = widget.id
                elif kind == "script_finished" and self.finished and not self.finished.done():
                    status = msg.script_finished
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        self.result.errors.append(f"{self.name}: the script ended with a compile error")
                    if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        self.finished.set_result(time.perf_counter())
        except Exception as exc:  # a dropped connection counts as an error
            self.result.errors.append(f"{self.name}: connection: {exc!r}"[:160])
        finally:
            if self.finished and not self.finished.done():
                self.finished.set_exception(ConnectionError("connection closed"))

    async def _run(self) -> float:
        """Send a rerun with this tab's widget states; seconds until the run has finished."""
        self.finished = asyncio.get_running_loop().create_future()
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.widget_states.widgets.extend(self.states.values())
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        end = await asyncio.wait_for(self.finished, self.timeout)
        return end - start

    async def set(self, key: str, value: str | list[str]) -> None:
        state = WidgetState(id=self.widgets[key])
        if isinstance(value, list):
            state.string_array_value.data.extend(value)
        else:
            state.string_value = value
        self.states[key] = state
        self.result.reruns.append(await self._run())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader


async def one_user(port: int, town: str, rng: random.Random, result: Result, args, sessions: list) -> None:
    session = Session(port, result, args.timeout, town)
    sessions.append(session)
    try:
        await session.open()
        actions = [("town", town)]
        for i in range(args.actions):
            actions.append(("hours", [HOURS[i % len(HOURS)]]) if i % 2 == 0 else ("site", OFFICES[(i // 2) % 2]))
        for key, value in actions:
            await asyncio.sleep(rng.uniform(*args.think))
            await session.set(key, value)
    except Exception as exc:
        result.errors.append(f"{town}: {type(exc).__name__}: {exc}"[:160])


async def browser_user(url: str, town: str, rng: random.Random, result: Result, args, hold: asyncio.Event) -> None:
    """The same actions in a real Chromium page, timed to `data-test-script-state=notRunning`."""
    from playwright.async_api import async_playwright

    idle = "[data-testid=stApp][data-test-script-state=notRunning]"
    # Timed inside the page: from the pointer going down on the control to the app's script
    # state leaving "running" for "notRunning" (a MutationObserver sees every change).
    arm = """() => { const app = document.querySelector('[data-testid=stApp]');
        window.__rerun = new Promise(resolve => { let start = null;
          const down = () => { if (start === null) start = performance.now(); };
          document.addEventListener('pointerdown', down, {capture: true, once: true});
          const watch = new MutationObserver(records => {
            if (records.some(r => r.oldValue === 'running') &&
                app.getAttribute('data-test-script-state') === 'notRunning') {
              watch.disconnect(); resolve((performance.now() - start) / 1000); } });
          watch.observe(app, {attributes: true, attributeOldValue: true,
                              attributeFilter: ['data-test-script-state']}); }); }"""
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu", "--disable-dev-shm-usage"])
            page = await browser.new_page(viewport={"width": 390, "height": 844})
            page.set_default_timeout(args.timeout * 1000)
            await page.route(r"^https?://(?!127\.0\.0\.1[:/])", lambda route: route.abort())

            async def timed(target, what: str) -> None:
                await page.evaluate(arm)
                await target.click()
                try:
                    result.reruns.append(await asyncio.wait_for(page.evaluate("window.__rerun"), args.timeout))
                except asyncio.TimeoutError:
                    result.errors.append(f"browser, {town}: no finished run within {args.timeout:g} s after {what}")
                    await page.wait_for_selector(idle)

            start = time.perf_counter()
            await page.goto(url)
            await page.wait_for_selector(idle)
            result.loads.append(time.perf_counter() - start)
            box = page.get_by_label("Il tuo comune (nome o CAP)")
            await box.click()
            await box.fill(town.split(" (")[0])
            await asyncio.sleep(rng.uniform(*args.think))
            await timed(page.get_by_role("option", name=town, exact=True), "choosing the town")
            for i in range(args.actions):
                await asyncio.sleep(rng.uniform(*args.think))
                if i % 2 == 0:
                    what = HOURS[i % len(HOURS)]
                    target = page.get_by_test_id("stButtonGroup").get_by_text(what, exact=True)
                else:
                    what = OFFICES[(i // 2) % 2]
                    target = page.get_by_test_id("stRadioGroup").get_by_text(what, exact=True)
                await timed(target, f"clicking {what!r}")
            await hold.wait()  # stay connected while the memory is read
            await browser.close()
    except Exception as exc:
        result.errors.append(f"browser, {town}: {type(exc).__name__}: {exc}"[:160])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def round_of(n: int, port: int, towns: list[str], args, pid: int, probe: bool) -> dict:
    rng = random.Random(n)
    result, probe_result, sessions = Result(), Result(), []
    hold = asyncio.Event()
    before, cpu0, start = rss_mb(pid), cpu_seconds(pid), time.perf_counter()

    async def later(delay, coroutine):
        await asyncio.sleep(delay)
        await coroutine

    users = [later(rng.uniform(0, args.ramp), one_user(port, towns[i], random.Random(f"{n}-{i}"), result, args, sessions))
             for i in range(n)]
    probe_task = None
    if probe:
        probe_task = asyncio.create_task(later(args.ramp / 2, browser_user(
            f"http://{HOST}:{port}", towns[n], random.Random(f"probe-{n}"), probe_result, args, hold)))
    try:
        await asyncio.wait_for(asyncio.gather(*users), args.round_limit)
    except asyncio.TimeoutError:
        result.errors.append(f"round cut at {args.round_limit:.0f} s")
    if probe_task:
        for _ in range(int(args.round_limit)):
            if probe_task.done() or len(probe_result.reruns) + len(probe_result.errors) >= args.actions + 1:
                break
            await asyncio.sleep(1)
    wall, cpu = time.perf_counter() - start, cpu_seconds(pid) - cpu0
    await asyncio.sleep(1)  # let the last messages settle before reading the memory
    after = rss_mb(pid)
    hold.set()
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    if probe_task:
        await asyncio.wait_for(probe_task, 60)
    return {"n": n, "result": result, "probe": probe_result, "before": before, "after": after,
            "wall": wall, "cpu": cpu / wall}


def report(rounds: list[dict], args, idle_mb: float, warm_mb: float, command: str) -> None:
    print()
    print(f"Worker page under load: {os.cpu_count()} cores; server RSS {idle_mb:.0f} MB idle, "
          f"{warm_mb:.0f} MB after the warm-up session; think time {args.think[0]:g}-{args.think[1]:g} s, "
          f"ramp {args.ramp:g} s, 1 town pick + {args.actions} changes (hours, office) per session.")
    print()
    header = ("| N | reruns | rerun p50 s | rerun p95 s | rerun max s | page load p50 s | errors | "
              "RSS before -> with N MB | MB per session | server CPU | browser probe p50 / p95 s |")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in rounds:
        res, probe = r["result"], r["probe"]
        per = (r["after"] - r["before"]) / r["n"]
        probe_text = (f"{statistics.median(probe.reruns):.2f} / {percentile(probe.reruns, 0.95):.2f}"
                      if probe.reruns else "—") + (f" ({len(probe.errors)} err)" if probe.errors else "")
        print(f"| {r['n']} | {len(res.reruns)} | {statistics.median(res.reruns):.2f} | "
              f"{percentile(res.reruns, 0.95):.2f} | {max(res.reruns):.2f} | {statistics.median(res.loads):.2f} | "
              f"{len(res.errors)} | {r['before']:.0f} -> {r['after']:.0f} | {per:.1f} | {r['cpu']:.2f} | {probe_text} |")
    for r in rounds:
        for error in sorted(set(r["result"].errors + r["probe"].errors))[:5]:
            print(f"  N={r['n']}: {error}")
    target = [r for r in rounds if r["n"] == 50]
    if target:
        r = target[0]
        p95 = percentile(r["result"].reruns, 0.95)
        ok = p95 <= 1.0 and not r["result"].errors
        print(f"\nTarget (50 sessions, p95 rerun <= 1 s, no errors): {'met' if ok else 'NOT met'} "
              f"(p95 {p95:.2f} s, {len(r['result'].errors)} errors).")
    print(f"\nCommand: {command}")


async def main_async(args, command: str) -> None:
    from impact.places import default_gazetteer

    labels = default_gazetteer().labels
    towns = random.Random(0).sample(labels, max(args.sessions) + 2)
    port = free_port()
    server = start_server(port)
    try:
        idle_mb = rss_mb(server.pid)
        warm = Result()
        await one_user(port, towns[-1], random.Random(1), warm, argparse.Namespace(**{**vars(args), "think": (0, 0)}), [])
        if warm.errors:
            raise SystemExit(f"warm-up failed: {warm.errors}")
        await asyncio.sleep(2)
        warm_mb = rss_mb(server.pid)
        print(f"warm-up: page load {warm.loads[0]:.2f} s, reruns {', '.join(f'{t:.2f}' for t in warm.reruns)} s "
              f"(one session alone)", flush=True)
        rounds = []
        for n in args.sessions:
            print(f"round N={n} ...", flush=True)
            rounds.append(await round_of(n, port, towns, args, server.pid, args.browser_probe))
            await asyncio.sleep(3)
        report(rounds, args, idle_mb, warm_mb, command)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 25, 50], help="N for each round (max 100)")
    parser.add_argument("--actions", type=int, default=4, help="hours/office changes per session after the town")
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 8.0], metavar=("MIN", "MAX"),
                        help="seconds a user waits between actions (uniform)")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which a round's sessions start")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a rerun counts as an error")
    parser.add_argument("--round-limit", type=float, default=240.0, help="seconds before a round is cut")
    parser.add_argument("--no-browser-probe", dest="browser_probe", action="store_false",
                        help="skip the one real Chromium page run alongside each round")
    args = parser.parse_args()
    if max(args.sessions) > 100 or args.actions > 20:
        parser.error("bounded: at most 100 sessions and 20 actions per session")
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/load_test.py", *sys.argv[1:]])
    asyncio.run(main_async(args, command))


if __name__ == "__main__":
    main()
