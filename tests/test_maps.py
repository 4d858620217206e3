"""The worker map's deck as the browser receives it (its drawing is checked in test_browser_maps.py)."""

import json
import urllib.error
import urllib.request

from impact import areas
from impact.places import default_gazetteer, load_sites


def test_the_worker_deck_points_at_every_comune_area_and_carries_hers():
    """The 1,254 areas are fetched by the browser from the app (`AREAS_URL`), not carried by each deck:
    the written deck's first layer names the file, its second holds her comune's area."""
    from ui.maps import AREAS_URL, _build_deck

    sites = load_sites()
    written = _build_deck(default_gazetteer().resolve("Strambino"), sites["ivrea"], sites["torino"], "it").to_json()
    deck = json.loads(written)
    assert deck["layers"][0]["data"] == AREAS_URL == "app/static/comuni_cells.geojson"
    hers = deck["layers"][1]["data"]
    assert [f["properties"]["name"] for f in hers["features"]] == ["Strambino"]
    assert len(written) < 20_000   # was 270 KB with the areas inside


def test_the_running_server_serves_the_areas_file_and_nothing_beside_it(server):
    """What the worker deck's first layer fetches is the areas file itself, as GeoJSON; the other data
    files are not reachable through it."""
    from ui.maps import AREAS_URL

    with urllib.request.urlopen(f"{server}/{AREAS_URL}", timeout=10) as response:
        assert response.headers["Content-Type"] == "application/geo+json"
        served = json.loads(response.read())
    assert served == json.loads(areas.AREAS_FILE.read_text(encoding="utf-8"))
    assert len(served["features"]) == 1254
    for elsewhere in ("app/static/../places/comuni.csv", "app/static/%2e%2e/places/comuni.csv",
                      "app/static/comuni.csv"):
        try:
            with urllib.request.urlopen(f"{server}/{elsewhere}", timeout=10) as response:
                assert response.status != 200 or b"ISTAT" not in response.read(), elsewhere
        except urllib.error.HTTPError as refused:
            assert refused.code in (400, 404), elsewhere
