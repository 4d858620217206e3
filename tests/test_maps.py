"""The worker map's deck as the browser receives it (its drawing is checked in test_browser_maps.py)."""

import json

from impact import areas
from impact.places import default_gazetteer, load_sites


def test_the_worker_deck_carries_every_comune_area_and_hers():
    """The areas go into the deck as the file holds them (not parsed and written again for each
    comune): the written deck's first layer is the file's 1,254 areas, its second her comune's."""
    from ui.maps import _build_deck

    sites = load_sites()
    deck = json.loads(_build_deck(default_gazetteer().resolve("Strambino"), sites["ivrea"], sites["torino"],
                                  "it").to_json())
    everywhere, hers = deck["layers"][0]["data"], deck["layers"][1]["data"]
    assert everywhere == json.loads(areas.AREAS_FILE.read_text(encoding="utf-8"))
    assert len(everywhere["features"]) == 1254
    assert [f["properties"]["name"] for f in hers["features"]] == ["Strambino"]
    assert "__comune_areas__" not in json.dumps(deck)
