"""One real browser (Debian's Chromium through Playwright) against the real server."""

import re
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS

playwright_api = pytest.importorskip("playwright.sync_api")
LOCAL_ONLY = r"^https?://(?!127\.0\.0\.1[:/])"
# The `server` and `browser` session fixtures are in tests/conftest.py.
SCRIPT_RUNS = (Path(__file__).parent / "script_runs.js").read_text(encoding="utf-8")
# Streamlit opens and closes an expander with a 500 ms height animation (the Web Animations API,
# which neither CSS nor reduced motion turns off). While it plays, everything below the expander
# moves, and Playwright waits for a target to stop moving before it clicks: about a second for each
# fold opened before another click. In the tests every such animation ends as it starts.
INSTANT_ANIMATIONS = """
const animate = Element.prototype.animate;
Element.prototype.animate = function (keyframes, options) {
  return animate.call(this, keyframes, typeof options === "object" ? { ...options, duration: 0 } : 0);
};
"""
SETTLED = """() => {
  const runs = window.__scriptRuns, app = document.querySelector("[data-testid=stApp]");
  if (!runs || !app || app.dataset.testScriptState !== "notRunning" || runs.finished <= runs.asked) {
    if (runs) runs.seen = -1;
    return false;
  }
  if (runs.seen === runs.sequence) return true;
  runs.seen = runs.sequence;
  return false;
}"""


def open_page(browser, url: str, width: int, height: int, socket_route=None):
    """A page at `url` that reaches only this machine, counts its script runs and plays no animation;
    `socket_route`, when given, handles Streamlit's websocket (Playwright's route_web_socket)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(30_000)
    page.route(LOCAL_ONLY, lambda route: route.abort())
    if socket_route is not None:
        page.route_web_socket(re.compile(r"/_stcore/stream"), socket_route)
    page.add_init_script(script=SCRIPT_RUNS)
    page.add_init_script(script=INSTANT_ANIMATIONS)
    page.goto(url)
    return page


def shoot(page, name: str) -> None:
    """A screenshot tall enough to show the whole page (Streamlit scrolls inside
    its own container, so Playwright's full_page option sees only the viewport)."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 2200})
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(size)


def idle(page) -> None:
    """Wait until the server has finished every script run the page asked for (tests/script_runs.js),
    the page says it is not running, and both still hold one frame later.

    Waiting for the page's `notRunning` alone returned too early: after a click, the page says
    `notRunning` until the server's answer to the rerun request arrives (a fold stayed closed in CI).
    The frame between the two checks lets a request the click sends a moment late be counted.

    Call it on a settled page before each action too (as every test here does): a run's finish is
    not paired with the request it answers, so one already on its way when a click asks for another
    run would count for the click. A fragment's rerun that the server drops (its fragment gone with
    a full run) never finishes, and `idle` then times out; no page here does that.
    """
    if not page.evaluate("() => { const runs = window.__scriptRuns; if (runs) runs.seen = -1; return Boolean(runs); }"):
        raise AssertionError("this page counts no script runs: open it with open_page (tests/script_runs.js)")
    page.wait_for_function(SETTLED, polling="raf")


TOWN_BOX = "Il tuo comune (nome o CAP)"


def type_town(page, typed: str, label: str = TOWN_BOX) -> None:
    """Type `typed` in the town box labelled `label` and press Enter (a free text or a CAP).

    Enter takes the highlighted option: the typed text's own ("Add: ...") is put first only once the
    list has been filtered, and an Enter before that took the first comune of the list (CI, once:
    "Ivera" became Chiaverano). So Enter waits for it."""
    box = page.get_by_label(label)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=f"Add: {typed}", exact=True).wait_for()
    box.press("Enter")
    idle(page)


def pick_town(page, typed: str, option: str, label: str = TOWN_BOX) -> None:
    """Type `typed` in the town box labelled `label` and pick `option` from the list."""
    box = page.get_by_label(label)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=option, exact=True).click()
    idle(page)


@pytest.mark.parametrize("width, height, name", [(1280, 800, "desktop"), (390, 844, "phone")])
def test_pick_a_town_and_read_the_distance(server, browser, width, height, name):
    expect = playwright_api.expect
    page = open_page(browser, server, width, height)
    idle(page)
    expect(page.get_by_text("Quanto ti costa il trasferimento a Torino").first).to_be_visible()
    pick_town(page, "Strambino", "Strambino (TO)")
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Da Strada del Drosso")
    expect(metric).to_be_visible()
    value = metric.locator("[data-testid=stMetricValue]").inner_text()
    km = float(value.split()[0].replace(",", "."))
    assert 38 < km < 47   # the Torino office at the corso Unione Sovietica roundabout (issue 13): 46 km
    page.locator("canvas").first.wait_for()
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"worker-it-{name}-first-screen.png"))
    shoot(page, f"worker-it-{name}")
    page.close()


def test_the_page_reads_streamlits_messages_as_its_protobuf_library_does(browser):
    """tests/script_runs.js reads Streamlit's messages by hand: on messages written by Streamlit's own
    protobuf classes it must find the same `script_finished` status (lengths of one and two bytes) and
    the same asks."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    def forward(**fields) -> ForwardMsg:
        message = ForwardMsg(hash="a" * 32)
        message.metadata.delta_path.extend([0, 7, 5])
        for name, value in fields.items():
            if name == "script_finished":
                message.script_finished = value
            elif name == "markdown":
                message.delta.new_element.markdown.body = value
            elif name == "running":
                message.session_status_changed.script_is_running = value
        return message

    messages = [(forward(script_finished=status), status) for status in range(4)]
    messages += [(forward(markdown="x" * 5), None), (forward(markdown="x" * 300), None),
                 (forward(running=True), None), (ForwardMsg(script_finished=0), 0)]
    asks = [(BackMsg(rerun_script={"query_string": "a=1"}), True), (BackMsg(rerun_script={}), True),
            (BackMsg(file_urls_request={"request_id": "r", "file_names": ["caso.json"]}), True),
            (BackMsg(stop_script=True), False), (BackMsg(app_heartbeat=True), False),
            (BackMsg(clear_cache=True), False)]
    page = browser.new_page()
    page.evaluate(SCRIPT_RUNS)
    read = page.evaluate("(bytes) => bytes.map(b => window.__scriptRuns.finishedStatus(new Uint8Array(b)))",
                         [list(m.SerializeToString()) for m, _ in messages])
    assert read == [status for _, status in messages]
    asked = page.evaluate("(bytes) => bytes.map(b => window.__scriptRuns.isAsk(new Uint8Array(b)))",
                          [list(m.SerializeToString()) for m, _ in asks])
    assert asked == [ask for _, ask in asks]
    page.close()


def test_a_fold_opens_with_no_animation_left_playing(server, browser):
    """INSTANT_ANIMATIONS: once a fold is open, no height animation is still moving what is below it
    (Streamlit's plays for 500 ms; a click meant for a later fold would wait for it)."""
    page = open_page(browser, server, 390, 844)
    idle(page)
    page.get_by_text("Più dettagli (giorni, stipendio, auto)").click()
    page.wait_for_function("() => document.querySelector('[data-testid=stExpander] details').open")
    # Script-made animations only (the page's CSS transitions and fades move nothing below).
    playing = page.evaluate("""() => document.getAnimations()
        .filter(a => a.constructor.name === 'Animation' && a.playState === 'running').length""")
    assert playing == 0
    page.close()


def test_idle_waits_for_the_run_a_click_asked_for(server, browser):
    """The server's answer to a fold's click is held back: the page says `notRunning` all the while
    (the old `idle` returned there, before the fold's content came), `idle` must not; let go, `idle`
    returns with the fold drawn."""
    sockets, held, holding = [], [], [False]

    def route(socket) -> None:
        sockets.append(socket)
        to_server = socket.connect_to_server()
        to_server.on_message(lambda message: held.append(message) if holding[0] else socket.send(message))

    page = open_page(browser, server, 1280, 800, socket_route=route)
    idle(page)
    pick_town(page, "Strambino", "Strambino (TO)")
    fold = page.locator("[data-testid=stExpander]").filter(has_text="Come è calcolato")
    content = fold.locator("[data-testid=stExpanderDetails] [data-testid=stMarkdown]")
    assert content.count() == 0
    holding[0] = True
    fold.locator("summary").click()
    for _ in range(600):   # until the server's answer to the click has come (and been held back), at most 30 s
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the click asked the server for no run"
    assert page.locator("[data-testid=stApp][data-test-script-state=notRunning]").count() == 1
    assert page.evaluate("() => window.__scriptRuns.asked > window.__scriptRuns.finished")   # a run is owed
    holding[0] = False
    for message in held:
        sockets[-1].send(message)
    idle(page)
    assert content.count() > 0
    page.close()


def test_english_page(server, browser):
    page = open_page(browser, server, 1280, 800)
    idle(page)
    page.get_by_text("English", exact=True).click()
    idle(page)
    playwright_api.expect(page.get_by_text("What the move to Torino costs you").first).to_be_visible()
    pick_town(page, "Asti", "Asti (AT)", label="Your town (name or postcode)")
    page.get_by_text("Asti", exact=True).last.click()
    idle(page)
    playwright_api.expect(page.get_by_text("From the Asti office")).to_be_visible()
    playwright_api.expect(page.get_by_text(re.compile("the move costs you$"))).to_be_visible()
    shoot(page, "worker-en-desktop")
    page.close()


def test_a_typo_gets_suggestions_that_can_be_clicked(server, browser):
    page = open_page(browser, server, 390, 844)
    idle(page)
    type_town(page, "Ivera")
    playwright_api.expect(page.get_by_text("Non trovo «Ivera»")).to_be_visible()
    page.get_by_role("button", name="Ivrea (TO)").click()
    idle(page)
    playwright_api.expect(page.get_by_text("Dalla sede di Ivrea")).to_be_visible()
    shoot(page, "worker-it-phone-typo")
    page.close()


def test_a_cap_typed_in_the_box_resolves(server, browser):
    page = open_page(browser, server, 1280, 800)
    idle(page)
    type_town(page, "10019")
    playwright_api.expect(page.get_by_text("Distanze in linea d'aria da Strambino (TO)")).to_be_visible()
    # Finding 10: the comune a CAP stands for is confirmed right under the box, not only far down.
    playwright_api.expect(page.get_by_text("Comune trovato: Strambino (TO) (ISTAT 001269).")).to_be_visible()
    page.close()


def test_method_page(server, browser):
    page = open_page(browser, f"{server}/metodo", 1280, 800)
    idle(page)
    playwright_api.expect(page.get_by_text("Da ricontrollare").first).to_be_visible()
    shoot(page, "method-it-desktop")
    page.close()


@pytest.mark.parametrize("width, height, name", [(1280, 800, "desktop"), (390, 844, "phone")])
def test_union_page_draws_its_chart_and_map(server, browser, width, height, name):
    page = open_page(browser, f"{server}/scenari", width, height)
    idle(page)
    page.get_by_test_id("stRadioGroup").get_by_text("Forza lavoro modellata").click()
    idle(page)
    playwright_api.expect(page.get_by_text("MODELLO, non dati").first).to_be_visible()
    page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first.wait_for()
    page.locator("[data-testid=stDeckGlJsonChart] canvas").first.wait_for()
    shoot(page, f"union-it-{name}")
    page.close()
