"""The pages, driven with Streamlit's own testing framework."""

import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.catalog import data_files
from tests.pages import open_folds

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app() -> AppTest:
    at = open_folds(AppTest.from_file(APP, default_timeout=30))   # what is folded away is checked too
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(map(str, parts))


def test_first_view_asks_for_the_town_in_italian(app):
    assert app.title[0].value == "Quanto ti costa il trasferimento a Torino"
    assert "Scegli il tuo comune" in texts(app)
    assert len(app.selectbox(key="town").options) == 1254


def test_picking_a_town_shows_both_distances(app):
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Dalla sede di Ivrea"].endswith("km")
    old_km = float(metrics["Dalla sede di Ivrea"].split()[0].replace(",", "."))
    new_km = float(metrics["Da Strada del Drosso (Torino)"].split()[0].replace(",", "."))
    # The Torino office sits at the corso Unione Sovietica roundabout since issue 13: 46 km.
    assert 7 < old_km < 13 and 38 < new_km < 47


def test_the_result_explains_itself(app):
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    headline = {m.label: m.value for m in app.metric}
    assert headline["In più al mese"].endswith("€") and headline["Del tuo stipendio netto"].endswith("%")
    assert "Come è calcolato" in [e.label for e in app.expander]
    shown = texts(app)
    # Finding 9: Strambino, 6 h goes cheaper by train and bus; the trace lists the fares it used, not the car's
    trace = shown[shown.index("Treno e bus: abbonamento"):]
    assert "Abbonamento mensile GTT" in trace and "Abbonamento mensile, 2a classe: 51-60 km" in trace
    assert "Benzina, prezzo medio nazionale self-service" not in trace and "A5, pedaggio classe A" not in trace
    assert "Distanza tra residenza e nuova sede" in trace    # the INPS rule's parameters
    assert "Trasferirsi costa una volta sola" in shown


def test_typed_pay_changes_the_share(app):
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    at_default = {m.label: m.value for m in app.metric}["Del tuo stipendio netto"]
    app.text_input(key="net_pay").input("1500").run()
    typed = {m.label: m.value for m in app.metric}["Del tuo stipendio netto"]
    share = lambda text: int(text.split()[0])  # noqa: E731
    assert share(typed) == pytest.approx(share(at_default) * 750 / 1500, abs=1)


def test_asti_worker(app):
    app.radio(key="site").set_value("asti")
    app.selectbox(key="town").set_value("Villanova d'Asti (AT)").run()
    metrics = {m.label: m.value for m in app.metric}
    assert "Dalla sede di Asti" in metrics


def test_english(app):
    app.segmented_control(key="lang").set_value("en").run()
    assert app.title[0].value == "What the move to Torino costs you"


def test_method_page_lists_parameters_and_warns_of_stale_ones(app):
    app.switch_page("ui/method_page.py").run()
    assert not app.exception
    assert app.title[0].value == "Metodo e fonti"
    table = app.dataframe[0].value
    assert "rights.inps_transfer.max_distance_km" in set(table["Parametro"])
    assert "Benzina, prezzo medio nazionale self-service" in texts(app)


def test_method_page_lists_every_data_file(app):
    app.switch_page("ui/method_page.py").run()
    shown = "\n".join(m.value for m in app.markdown)
    for row in data_files():
        assert row["file"] in shown
    assert "`places/comuni.csv`" in shown and "`parameters/transit/*.yaml`" in shown
    assert "*Per ricostruirlo*: `pip install -r requirements-build.txt && python scripts/build_places.py`" in shown


def test_choosing_the_car_shows_the_car_headline(app):
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    app.radio(key="mode").set_value("car").run()
    assert "In auto, il trasferimento ti costa" in [s.value for s in app.subheader]
    app.radio(key="mode").set_value("transit").run()
    assert "Con treno e bus, il trasferimento ti costa" in [s.value for s in app.subheader]


def test_a_late_shift_without_a_train_home_is_shown(app):
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    app.time_input(key="shift_start").set_value(datetime.time(16, 0)).run()
    app.time_input(key="shift_end_6").set_value(datetime.time(23, 30)).run()
    assert any("non c'è modo di tornare a casa" in w.value for w in app.warning)


def test_a_walk_to_the_office_has_no_last_train_and_no_crash(app):
    # Nichelino is a walk or a bike ride from Strada del Drosso: no last departure exists.
    app.selectbox(key="town").set_value("Nichelino (TO)").run()
    assert not app.exception, app.exception
    assert "Porta a porta, corsa tipica del turno, media andata e ritorno" in app.table[1].value.index


def test_a_shared_link_restores_town_office_and_hours_only():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["comune"] = "005118"
    at.query_params["sede"] = "asti"
    at.query_params["ore"] = "4"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="town").value == "Villanova d'Asti (AT)"
    assert at.radio(key="site").value == "asti" and at.segmented_control(key="hours").value == 4
    at.text_input(key="net_pay").input("900").run()
    share = next(b for b in at.button if b.label == "Crea il link di questa pagina")
    share.click().run()
    # The parameters version rides along (issue 16), nothing personal does.
    from impact.version import parameters_version
    assert dict(at.query_params) == {"comune": "005118", "sede": "asti", "ore": "4", "v": parameters_version()}


def test_the_trace_lists_her_own_pay_not_the_default_when_she_types_it(app):
    """Finding 9: the trace listed the 4-hour default pay for a worker who typed her own."""
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    assert "Stipendio netto di una lavoratrice part-time" in texts(app)
    app.text_input(key="net_pay").input("900").run()
    shown = texts(app)
    assert "quello che hai scritto, 900\u00a0€ netti al mese" in shown
    assert "Stipendio netto di una lavoratrice part-time" not in shown


def test_the_fuel_price_reads_and_shows_the_italian_way(app):
    """Finding 8: the fuel price showed 1.802 (one thousand eight hundred and two to an Italian)."""
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    shown = app.text_input(key="fuel").value
    assert "," in shown and "." not in shown and len(shown.split(",")[1]) == 3
    before = {m.label: m.value for m in app.metric}
    app.text_input(key="fuel").input("2,5").run()
    assert app.text_input(key="fuel").value == "2,500"
    assert app.text_input(key="fuel").value != shown and not app.exception
    app.text_input(key="net_pay").input("1100").run()
    assert app.text_input(key="net_pay").value == "1.100"
    assert {m.label: m.value for m in app.metric} != before


def test_a_shift_that_disagrees_with_the_hours_is_pointed_out(app):
    """Finding 10: 8 h with a 16:00-22:00 shift gave no warning."""
    import datetime as dt
    app.selectbox(key="town").set_value("Strambino (TO)").run()
    app.segmented_control(key="hours").set_value(8).run()
    app.time_input(key="shift_start").set_value(dt.time(16, 0)).run()
    app.time_input(key="shift_end_8").set_value(dt.time(22, 0)).run()
    assert any("Il turno 16:00–22:00 dura 6 ore, ma hai indicato 8 ore al giorno" in w.value for w in app.warning)


def test_the_contract_minimum_is_shown_beside_the_default_pay(app):
    """Item 8: the union's 750 € is the default; the TLC level-3 minimum for 4 h (835.25 € gross, about 850 € net)
    is shown beside it."""
    import re
    app.segmented_control(key="hours").set_value(4).run()
    note = next(c.value for c in app.caption if c.value.startswith("Per confronto"))
    minimum = int(re.search(r"circa ([\d.]+)\u00a0€", note).group(1).replace(".", ""))
    assert 820 <= minimum <= 880 and "750\u00a0€" in note


def test_the_asti_office_last_mile_is_shown_as_an_assumption():
    """Issue 13: no sourced town bus reaches via Guerra; the page names the stated last mile."""
    at = open_folds(AppTest.from_file(APP, default_timeout=60))
    at.query_params["comune"] = "005080"
    at.query_params["sede"] = "asti"
    at.query_params["ore"] = "4"
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "nessun autobus urbano" in shown and "transit.access.office_last_mile_minutes" in shown
    assert "20 min" in shown and "43 min" in shown


def test_method_page_states_the_measured_car_minutes_error(app):
    """Issue 13: the car minutes' leave-one-out error (data/routing/car_estimate.yaml) is on the method page."""
    import yaml
    error = yaml.safe_load((Path(APP).parent / "data/routing/car_estimate.yaml").read_text(encoding="utf-8"))
    minutes, ranges = error["measured_error"]["minutes"], error["range"]
    app.switch_page("ui/method_page.py").run()
    assert not app.exception, app.exception
    shown = texts(app)
    assert f"misurati su {minutes['routes']} tempi di guida" in shown
    assert f"{minutes['median_abs']:.1f}".replace(".", ",") + " min" in shown
    # the range shown beside the minutes is the measured one (10th-90th percentile), not a guess
    assert f"dal {100 * ranges['minutes_ratio_p10']:.0f} % al {100 * ranges['minutes_ratio_p90']:.0f} %" in shown
