"""The timetable's page blocks (issue 13): shift runs, INPS journeys, assumed minutes, method page, moved office."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages import open_folds

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def worker():
    app = open_folds(AppTest.from_file(APP, default_timeout=60))   # what is folded away is checked too
    app.run()
    return app


def expanders(app) -> list[str]:
    return [e.label for e in app.expander]


def test_worker_page_shows_the_shift_runs_and_the_inps_journeys(worker):
    worker.selectbox(key="town").set_value("Strambino (TO)").run()
    assert not worker.exception
    labels = expanders(worker)
    assert "Le corse del turno: migliore, tipica, peggiore" in labels
    inps = [label for label in labels if label.startswith("I viaggi della media INPS")]
    assert inps and "21 viaggi" in inps[0]
    # The assumed minutes are named next to the journey, folded with their count.
    assumed = next(e for e in worker.expander if e.label.startswith("Minuti di partenza ipotizzati"))
    assert "RV Ivrea" in " ".join(m.value for m in assumed.markdown)
    assert any(b.label == "Scarica i viaggi (CSV)" for b in worker.get("download_button"))


def test_method_page_shows_the_timetable_validity(worker):
    app = worker
    app.switch_page("ui/method_page.py").run()
    assert not app.exception
    headers = [h.value for h in app.header]
    assert "Orario: validità e ipotesi" in headers
    text = " ".join(c.value for c in app.caption)
    assert "corse su" in text and "minuti ipotizzati" in text


def test_moving_an_office_on_the_union_page_rebuilds_the_tables():
    root = Path(APP).parent
    page = AppTest.from_file(APP, default_timeout=120)
    page.run()
    page.switch_page("ui/union_page.py").run()
    page.file_uploader(key="roster_file").set_value(
        ("roster.csv", (root / "tests" / "data" / "rosters" / "messy_it.csv").read_bytes(), "text/csv")).run()
    assert not page.exception
    before = page.table[0].value.loc["Costo in più al mese, mediana"].to_dict()
    page.selectbox(key="move_office").set_value("torino").run()
    page.text_input(key="move_lat_torino").input("45,0620").run()   # next to Porta Nuova (typed the Italian way)
    page.text_input(key="move_lon_torino").input("7,6780").run()
    assert not page.exception
    assert any("spostata" in i.value for i in page.info)
    after = page.table[0].value.loc["Costo in più al mese, mediana"].to_dict()
    assert after != before


def test_the_folds_build_nothing_until_opened_and_then_show_their_content():
    """The answer's folds draw their content only when open (a rerun does not build what nobody sees);
    opened, they show what they always showed."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    assert not app.exception, app.exception
    folded = {e.label: e for e in app.expander if e.label != "Più dettagli (giorni, stipendio, auto)"}
    assert "Come è calcolato" in folded and any(label.startswith("I viaggi della media INPS") for label in folded)
    assert all(not e.children for e in folded.values()), [label for label, e in folded.items() if e.children]
    assert not app.dataframe and "Scarica i viaggi (CSV)" not in [b.label for b in app.get("download_button")]
    open_folds(app).run()
    assert not app.exception, app.exception
    trace = next(e for e in app.expander if e.label == "Come è calcolato")
    assert "Abbonamento mensile GTT" in " ".join(m.value for m in trace.markdown)
    inps = next(e for e in app.expander if e.label.startswith("I viaggi della media INPS"))
    assert len(inps.dataframe[0].value) == 21 and "21 viaggi" in inps.label


def test_the_inps_fold_title_counts_and_averages_the_journeys_its_table_lists():
    """The INPS fold's title is the result's INPS figure (`inps_journeys`, `inps_minutes`, from the per-comune
    tables, drawn folded); its table the journeys searched one by one (built when opened): both say the
    same count and mean, comune by comune."""
    import datetime as dt
    import random

    import pandas as pd

    from impact import i18n
    from impact.model import Scenario, evaluate
    from impact.params import default_parameters
    from impact.places import default_gazetteer, destination, load_sites
    from impact.routing.evidence import inps_journey_table
    from impact.routing.transit import default_router

    on, sites, places = dt.date(2026, 12, 2), load_sites(), default_gazetteer()
    router, office = default_router(on), destination(sites).id
    sample = random.Random(15).sample(places.places, 40)
    workers = pd.DataFrame({"home_istat": [p.istat for p in sample], "site": "ivrea", "hours_per_day": 6,
                            "days_per_week": 5})
    result = evaluate(workers, Scenario(), default_parameters(), on, places, sites, pay=False)
    for place, (_, row) in zip(sample, result.iterrows()):
        table = inps_journey_table(router, place.lat, place.lon, office)
        assert int(row["inps_journeys"]) == len(table), place.label
        if len(table):
            assert (i18n.number(row["inps_minutes"], "it", 1)
                    == i18n.number(table["minutes"].mean(), "it", 1)), place.label


def test_the_worker_pages_timetable_blocks_are_written_in_the_views_language():
    """The blocks are written once per answer and language: an English view written during an Italian
    session (the session's language is Italian outside a page) has English fold titles and notes."""
    import datetime as dt

    import pandas as pd

    from impact.model import Scenario, evaluate
    from impact.params import default_parameters
    from impact.places import default_gazetteer, load_sites
    from ui.blocks import Blocks, _Fold
    from ui.common import lang
    from ui.transit_detail import worker_blocks

    places, sites = default_gazetteer(), load_sites()
    home = places.resolve("Strambino")
    details = {"shift_start_min": 9 * 60, "shift_end_min": 15 * 60}
    worker = pd.DataFrame([{"home_istat": home.istat, "site": "ivrea", "hours_per_day": 6, "days_per_week": 5}])
    row = evaluate(worker, Scenario(), default_parameters(), dt.date.today(), places, sites, pay=False).iloc[0]
    assert lang() == "it"
    out = Blocks()
    worker_blocks(out, home, details, "ivrea", row, "en")
    drawn = [args[0] for _, args, _ in out._calls if args]   # a fold is kept as a live call: (the fold, ())
    titles = [fold.label for fold in drawn if isinstance(fold, _Fold)]
    assert "The shift's runs: best, typical, worst" in titles
    assert any(t.startswith("The journeys of the INPS average (21 journeys") for t in titles), titles
    assert not any("viaggi" in t or "corse" in t for t in titles), titles


def _kept(blocks) -> list:
    """What a `Blocks` draws, as comparable values: each element's name and texts, tables as rows, charts
    as their spec, folds by title, downloads by label (their files are made on click)."""
    import pyarrow as pa

    from ui.blocks import _COLUMNS, _LIVE, _Fold

    kept = []
    for element, args, kwargs in blocks._calls:
        if element is _COLUMNS:
            kept.append(("columns", [_kept(child) for child in args[1]]))
        elif element is _LIVE:
            function, function_args = args
            kept.append(("fold", function.label) if isinstance(function, _Fold)
                        else ("live", function.__name__, [vars(a) for a in function_args]))
        elif element == "download_button":
            kept.append((element, args[0]))
        else:
            values = [a.to_pylist() if isinstance(a, pa.Table) else a.to_json() if hasattr(a, "to_json") else a
                      for a in args]
            kept.append((element, values, {k: v for k, v in kwargs.items() if not callable(v)}))
    return kept


def test_the_worker_view_depends_on_its_language_only(monkeypatch):
    """The answer is written once per language and shared by every session that reads it: an English view
    written while the session reads Italian is the same, element for element, as one written in an English
    session (a section reading the session's language would put Italian words in it)."""
    import datetime as dt

    import pandas as pd

    import ui.common
    import ui.maps
    import ui.package_blocks
    import ui.transit_detail
    from impact.model import Scenario, evaluate
    from impact.params import default_parameters
    from impact.places import default_gazetteer, load_sites
    from ui.worker_sections import _write_view

    places, sites = default_gazetteer(), load_sites()
    home, office = places.resolve("Strambino"), sites["ivrea"]
    details = {"shift_start_min": 9 * 60, "shift_end_min": 15 * 60, "days_per_week": 5, "has_car": True,
               "second_car": False, "fuel": 1.802, "consumption": 7.5}
    worker = pd.DataFrame([{"home_istat": home.istat, "site": "ivrea", "hours_per_day": 6, "days_per_week": 5}])
    row = evaluate(worker, Scenario(), default_parameters(), dt.date.today(), places, sites).iloc[0]
    views = {}
    for session in ("it", "en"):
        for module in (ui.common, ui.maps, ui.package_blocks, ui.transit_detail):
            monkeypatch.setattr(module, "lang", lambda session=session: session)
        views[session] = {part: _kept(blocks) for part, blocks in _write_view(row, home, office, 6, details,
                                                                               "en").items()}
    assert views["it"] == views["en"]
    assert views["it"]["body"][0] == ("subheader", ["Your day, today and after the move"], {})
