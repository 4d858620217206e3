"""The offline maps in a real browser with every non-local request blocked: the comune areas are
drawn (no base map needed) and the map does not trap the page's scrolling."""

import io

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import idle, open_page, pick_town

playwright_api = pytest.importorskip("playwright.sync_api")
Image = pytest.importorskip("PIL.Image")
AREA_FILL = (245, 245, 240)     # ui.maps: the comune areas' fill on the worker map


def map_pixels(page) -> "Image.Image":
    deck = page.locator("[data-testid=stDeckGlJsonChart]").last
    deck.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    return Image.open(io.BytesIO(deck.screenshot())).convert("RGB")


def share(image, test) -> float:
    pixels = list(image.get_flattened_data())
    return sum(1 for p in pixels if test(p)) / len(pixels)


def near(colour, tolerance=4):
    return lambda p: all(abs(a - b) <= tolerance for a, b in zip(p, colour))


def external_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None)
    return seen


@pytest.mark.parametrize("width, height, name", [(390, 844, "phone"), (1280, 800, "desktop")])
def test_the_worker_map_draws_comune_areas_offline(server, browser, width, height, name):
    page = open_page(browser, server, width, height)
    seen = external_requests(page)
    idle(page)
    pick_town(page, "Strambino", "Strambino (TO)")
    page.locator("[data-testid=stDeckGlJsonChart] canvas").first.wait_for()
    image = map_pixels(page)
    image.save(ARTIFACTS / f"map-worker-{name}.png")
    # Areas cover most of the map; her comune is tinted red; borders are drawn between areas.
    assert share(image, near(AREA_FILL)) > 0.3
    assert share(image, lambda p: p[0] > 200 and p[1] < 190 and p[2] < 190) > 0.0003
    assert share(image, lambda p: 150 < p[0] < 235 and abs(p[0] - p[1]) < 8 and abs(p[1] - p[2]) < 12) > 0.01
    assert not [u for u in seen if "carto" in u or "mapbox" in u or "tile" in u]
    # The day chart's text alternative reaches assistive technology.
    named = page.locator("[data-testid=stVegaLiteChart][aria-label*='giornata']")
    assert named.count() >= 1
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "pan-y pinch-zoom"
    if name == "desktop":
        main = page.locator("[data-testid=stMain]")
        before = main.evaluate("m => m.scrollTop")
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(500)
        assert main.evaluate("m => m.scrollTop") < before, "the wheel over the map must scroll the page"
    page.close()


def test_the_union_map_colours_comuni_offline(server, browser):
    page = open_page(browser, f"{server}/scenari", 390, 844)
    idle(page)
    page.get_by_test_id("stRadioGroup").get_by_text("Forza lavoro modellata").click()
    idle(page)
    page.locator("[data-testid=stDeckGlJsonChart] canvas").first.wait_for()
    image = map_pixels(page)
    image.save(ARTIFACTS / "map-union-phone.png")
    grey = share(image, lambda p: 236 <= min(p) and max(p) <= 250 and max(p) - min(p) < 4)  # no workers, on white
    coloured = share(image, lambda p: max(p) - min(p) > 60)
    assert grey > 0.1 and coloured > 0.005
    page.close()
