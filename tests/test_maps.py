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


def test_the_union_deck_carries_only_the_comuni_with_workers():
    """The union map is sent again for every measure and scenario chosen: it carries the areas of the
    comuni with workers, coloured, and points at the served file for the grey rest (1.48 MB before)."""
    import pandas as pd

    from ui.maps import AREAS_URL, _union_deck

    table = pd.DataFrame({"istat": ["001125", "005005"], "workers": [3, 1],
                          "median_extra_eur_month": [120.0, -10.0], "share_inps": [1 / 3, 0.0]})
    written = _union_deck(table, "median_extra_eur_month", "it").to_json()
    deck = json.loads(written)
    grey, coloured = deck["layers"]
    assert grey["data"] == AREAS_URL and "pickable" not in grey
    features = coloured["data"]["features"]
    assert [f["properties"]["istat"] for f in features] == ["001125", "005005"]
    # 120 EUR is in the 50-150 band (yellow), a saving of 10 EUR in the gain band (green): areas.MEDIAN_BANDS.
    assert [f["properties"]["fill"] for f in features] == [[254, 224, 139, 200], [26, 152, 80, 200]]
    assert features[0]["properties"]["tip"].startswith(features[0]["properties"]["name"])
    assert "120\u00a0€" in features[0]["properties"]["tip"] and "33\u00a0%" in features[0]["properties"]["tip"]
    assert len(written) < 5_000 and "\n" not in written   # written compactly: pydeck's indentation was 4/5 of it
