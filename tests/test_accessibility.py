"""Accessibility: axe-core on every page, at phone and desktop width, in Italian and English.

axe-core comes from the npm registry, pinned in package.json and package-lock.json;
scripts/test.sh runs `npm ci` when node_modules/axe-core is missing.
"""

import json

import pytest

from tests.conftest import ARTIFACTS, ROOT
from tests.test_browser import idle, open_page, pick_town

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WAIT = 30_000  # ms: the first render of a page can take seconds on a busy machine
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
TEXT = {
    "it": {"language": "Italiano", "town": "Il tuo comune (nome o CAP)", "model": "Forza lavoro modellata",
           "model_banner": "MODELLO, non dati", "extra_money": "In più al mese"},
    "en": {"language": "English", "town": "Your town (name or postcode)", "model": "Modelled workforce",
           "model_banner": "MODEL, not data", "extra_money": "More a month"},
}
# Colour-contrast failures that come from Streamlit's default light theme, not from this app's
# code, by axe's foreground colour: every st.caption is drawn at 60 % opacity (#828180 on white,
# 3.9:1), so are links inside a caption (#7c95d2, 3.0:1), and a segmented control's selected
# option is the primary colour on its own 10 % tint (#c53948 on #f9ebed, 4.47:1). They make the
# test xfail (shown in every run's summary) until the theme in .streamlit/config.toml is changed;
# any other serious or critical violation fails it.
THEME_CONTRAST = {"#828180", "#7c95d2", "#c53948"}
# Form controls that must carry an accessible name (from the browser's own accessibility tree).
FORM_ROLES = {"textbox", "searchbox", "combobox", "spinbutton", "checkbox", "radio", "switch", "slider",
              "listbox"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (scripts/test.sh does it)")
    return AXE.read_text(encoding="utf-8")


def choose_language(page, language: str) -> None:
    if language != "it":
        page.get_by_text(TEXT[language]["language"], exact=True).click()
        idle(page)


def choose_town(page, language: str, town: str = "Strambino") -> None:
    pick_town(page, town, f"{town} (TO)", label=TEXT[language]["town"])


def open_worker(browser, server, language, size):
    page = open_page(browser, server, *SIZES[size])
    idle(page)
    choose_language(page, language)
    choose_town(page, language)
    expect(page.locator("[data-testid=stMetric]").first).to_contain_text(TEXT[language]["extra_money"], timeout=WAIT)
    page.locator("[data-testid=stDeckGlJsonChart] canvas").first.wait_for()
    return page


def open_union(browser, server, language, size):
    page = open_page(browser, f"{server}/scenari", *SIZES[size])
    idle(page)
    choose_language(page, language)
    page.get_by_test_id("stRadioGroup").get_by_text(TEXT[language]["model"]).click()
    idle(page)
    expect(page.get_by_text(TEXT[language]["model_banner"]).first).to_be_visible(timeout=WAIT)
    page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first.wait_for()
    page.locator("[data-testid=stDeckGlJsonChart] canvas").first.wait_for()
    return page


def open_method(browser, server, language, size):
    page = open_page(browser, f"{server}/metodo", *SIZES[size])
    idle(page)
    choose_language(page, language)
    page.locator("[data-testid=stDataFrame]").first.wait_for()
    return page


PAGES = {"worker": open_worker, "union": open_union, "method": open_method}


def open_expanders(page) -> None:
    """Unfold every expander, so the inputs and text folded away are checked too. The worker
    page's folds are stateful: a click reruns the script, and a click that lands while an
    earlier rerun is still drawing can be overwritten by it (seen once in CI on a busy machine),
    so one fold is opened at a time, and the page is read again until none is left closed."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) > summary")
    for _ in range(3 * closed.count() + 3):
        if closed.count() == 0:
            break
        closed.first.click()   # Playwright first waits for it to be visible, stable and unobscured
        idle(page)
    assert closed.count() == 0, "some expanders stayed closed after being clicked"


def axe_violations(page, axe_source: str, screenshot: str) -> list[dict]:
    """axe-core's violations for the whole page. Streamlit scrolls inside its own container and
    axe checks colours only of what is on screen, so the viewport is made as tall as the page
    (same width, so the same layout) while axe runs; the whole page is photographed then."""
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 20_000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{screenshot}.png"))
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    page.set_viewport_size(size)
    return violations


def split_theme_contrast(violations: list[dict]) -> tuple[list[dict], list[dict]]:
    """Serious and critical violations, less the colour-contrast findings that come from Streamlit's
    default light theme (THEME_CONTRAST): (the app's own, the theme's)."""
    own, theme = [], []
    for v in violations:
        if v["impact"] not in ("serious", "critical"):
            continue
        if v["id"] != "color-contrast":
            own.append(v)
            continue
        colour = lambda n: next((c["data"].get("fgColor") for c in n["any"] if c.get("data")), None)  # noqa: E731
        mine = [n for n in v["nodes"] if colour(n) not in THEME_CONTRAST]
        known = [n for n in v["nodes"] if colour(n) in THEME_CONTRAST]
        if mine:
            own.append({**v, "nodes": mine})
        if known:
            theme.append({**v, "nodes": known})
    return own, theme


def form_controls(page) -> list[dict]:
    """The form controls in the browser's accessibility tree, with their accessible names."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    return [{"role": node["role"]["value"], "name": str(node.get("name", {}).get("value", "")).strip()}
            for node in nodes
            if not node.get("ignored") and node.get("role", {}).get("value") in FORM_ROLES]


def summary(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        for n in v["nodes"][:6]:
            lines.append(f"{v['impact']} {v['id']}: {n['html'][:90]} | {(n.get('failureSummary') or '')[:200]}")
    return "\n".join(lines).replace("\n  ", " ")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", TEXT)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(server, browser, axe_source, name, language, size):
    page = PAGES[name](browser, server, language, size)
    open_expanders(page)
    page.mouse.click(1, 1)  # no focus ring left on the last control clicked
    controls = form_controls(page)
    assert controls, "no form control found: the page did not render"
    assert all(c["name"] for c in controls), [c for c in controls if not c["name"]]
    violations = axe_violations(page, axe_source, f"a11y-{name}-{language}-{size}")
    page.close()
    (ARTIFACTS / f"axe-{name}-{language}-{size}.json").write_text(
        json.dumps(violations, indent=1, ensure_ascii=False), encoding="utf-8")
    own, theme = split_theme_contrast(violations)
    assert not own, summary(own)
    if theme:
        found = {}
        for n in (n for v in theme for n in v["nodes"]):
            data = next(c["data"] for c in n["any"] if c.get("data"))
            found.setdefault((data["fgColor"], data["bgColor"], data["contrastRatio"]), []).append(n)
        pytest.xfail("Streamlit's default light theme, colour contrast: " + "; ".join(
            f"{len(nodes)} × {fg} on {bg} ({ratio}:1)" for (fg, bg, ratio), nodes in found.items()))


@pytest.mark.parametrize("language", TEXT)
def test_the_worker_headline_is_on_a_phone_first_screen(server, browser, language):
    """After choosing a town, the three headline figures are seen without scrolling."""
    page = open_worker(browser, server, language, "phone")
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"a11y-worker-{language}-phone-first-screen.png"))
    headline = page.locator("[data-testid=stMetric]")  # the first three on the page are the headline
    expect(headline.first).to_contain_text(TEXT[language]["extra_money"], timeout=WAIT)
    for i in range(3):
        expect(headline.nth(i)).to_be_in_viewport(ratio=1)
        box = headline.nth(i).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= SIZES["phone"][1], (i, box)
    page.close()
