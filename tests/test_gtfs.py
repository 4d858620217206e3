"""Connection scan and GTFS feeds: a tiny feed written by the tests, random timetables
checked against the classic scan, and a feed replacing lines of the embedded model."""

import datetime as dt
import http.server
import threading
import zipfile
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from impact.errors import DataError
from impact.routing import SOURCE_GTFS, SOURCE_TIMETABLE_MODEL
from impact.routing.gtfs import (INF, MODE_BUS, MODE_RAIL, MODE_URBAN, RoutingError, active_services,
                                 available_feeds, build_timetable, download_feed, earliest_arrival, feed_licence,
                                 earliest_arrival_scan, feed_stop_times, gtfs_minutes, latest_departure,
                                 load_feed, profiles_from, profiles_to, reversed_timetable, route_mask_of)
from impact.routing.transit import TransitRouter


def journeys(router: TransitRouter, *where) -> pd.DataFrame:
    """The router's journeys (`journey_arrays`) as a frame, to compare whole answers."""
    return pd.DataFrame(router.journey_arrays(*where))


WEDNESDAY = dt.date(2026, 11, 25)
HOLIDAY = dt.date(2026, 6, 2)   # a Tuesday, Festa della Repubblica

FEED = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                  "T,Treni Test,https://example.org,Europe/Rome\n"
                  "U,GTT Servizio Urbano,https://example.org,Europe/Rome\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                 "A,Alfa,45.50,7.50\nB,Beta,45.51,7.50\nC,Gamma,45.52,7.50\nD,Delta,45.53,7.50\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,T,R1,2\nR2,U,42,3\n",
    "trips.txt": "route_id,service_id,trip_id\nR1,WK,T1\nR1,WK,T2\nR2,WK,T3\nR2,WK,T4\nR1,SAT,T5\nR1,WK,T6\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      "T1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\nT1,08:20:00,08:20:00,C,3\n"
                      "T2,09:00:00,09:00:00,A,1\nT2,09:10:00,09:10:00,B,2\nT2,09:20:00,09:20:00,C,3\n"
                      "T3,08:15:00,08:15:00,B,1\nT3,08:30:00,08:30:00,D,2\n"
                      "T4,08:12:00,08:12:00,B,1\nT4,08:20:00,08:20:00,D,2\n"
                      "T5,10:00:00,10:00:00,A,1\nT5,10:30:00,10:30:00,C,2\n"
                      "T6,24:10:00,24:10:00,A,1\nT6,24:40:00,24:40:00,C,2\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "WK,1,1,1,1,1,0,0,20260101,20261231\nSAT,0,0,0,0,0,1,0,20260101,20261231\n",
    "calendar_dates.txt": "service_id,date,exception_type\nWK,20260602,2\nSAT,20260602,1\n",
}


def write_feed(directory: Path, files: dict[str, str] = FEED, name: str = "test.zip") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    with zipfile.ZipFile(path, "w") as archive:
        for file, text in files.items():
            archive.writestr(file, text)
    return path


def feed_timetable(feed, on):
    st_ = feed_stop_times(feed, on)
    stops = pd.DataFrame({"stop_id": feed.stops["stop_id"], "name": feed.stops["stop_name"],
                          "lat": feed.stops["stop_lat"].astype(float), "lon": feed.stops["stop_lon"].astype(float),
                          "change_min": 3})
    index = {s: i for i, s in enumerate(stops["stop_id"])}
    routes = pd.DataFrame({"name": feed.routes["route_short_name"], "mask": route_mask_of(feed)})
    route_index = {r: i for i, r in enumerate(feed.routes["route_id"])}
    codes, first = np.unique(st_["trip_id"], return_index=True)
    return build_timetable(stops, routes, [route_index[r] for r in st_["route_id"].to_numpy()[first]],
                           np.searchsorted(codes, st_["trip_id"]), st_["stop_id"].map(index), st_["arr"],
                           st_["dep"], np.zeros(len(st_))), index


def test_feed_reads_from_zip_and_folder(tmp_path):
    zipped = load_feed(write_feed(tmp_path))
    folder = tmp_path / "folder"
    folder.mkdir()
    for file, text in FEED.items():
        (folder / file).write_text(text)
    unzipped = load_feed(folder)
    assert len(zipped.stop_times) == len(unzipped.stop_times) == 14
    with pytest.raises(DataError, match="no stop_times.txt"):
        load_feed(write_feed(tmp_path, {k: v for k, v in FEED.items() if k != "stop_times.txt"}, "bad.zip"))


def test_services_follow_calendar_and_exceptions(tmp_path):
    feed = load_feed(write_feed(tmp_path))
    assert active_services(feed, WEDNESDAY) == {"WK"}
    assert active_services(feed, HOLIDAY) == {"SAT"}         # weekday service removed, Saturday's added
    assert active_services(feed, dt.date(2027, 1, 6)) == set()  # after the calendar's end
    times = feed_stop_times(feed, WEDNESDAY)
    assert set(times["trip_id"]) == {"T1", "T2", "T3", "T4", "T6"}
    assert times.loc[times["trip_id"] == "T6", "dep"].min() == 24 * 60 + 10  # after midnight, same service day


def test_gtfs_minutes():
    values = pd.Series(["08:05:59", "25:00:00", ""])
    assert gtfs_minutes(values).tolist() == [485, 1500, -1]


def test_route_modes(tmp_path):
    feed = load_feed(write_feed(tmp_path))
    assert route_mask_of(feed).tolist() == [MODE_RAIL, MODE_URBAN]  # a GTT urban bus counts as urban


def test_earliest_arrival_with_a_change(tmp_path):
    tt, index = feed_timetable(load_feed(write_feed(tmp_path)), WEDNESDAY)
    arrival, legs = earliest_arrival(tt, [index["A"]], [7 * 60 + 55])
    # T1 reaches B at 08:10; with 3 minutes to change the 08:12 (T4) is missed, the 08:15 (T3) is not.
    assert arrival[index["C"]] == 8 * 60 + 20 and legs[index["C"]] == 1
    assert arrival[index["D"]] == 8 * 60 + 30 and legs[index["D"]] == 2
    assert (arrival == earliest_arrival_scan(tt, [index["A"]], [7 * 60 + 55])).all()
    late, _ = earliest_arrival(tt, [index["A"]], [23 * 60 + 50])
    assert late[index["C"]] == 24 * 60 + 40


def test_latest_departure_and_profiles(tmp_path):
    tt, index = feed_timetable(load_feed(write_feed(tmp_path)), WEDNESDAY)
    leave, legs = latest_departure(tt, [index["D"]], [8 * 60 + 45])
    assert leave[index["A"]] == 8 * 60 and legs[index["A"]] == 2
    to_d = profiles_to(tt, {index["D"]: 0})
    p = to_d.latest_by([index["A"]], [8 * 60 + 45])[0]
    assert to_d.dep[p] == 8 * 60 and to_d.arr[p] == 8 * 60 + 30 and to_d.legs[p] == 2
    assert to_d.latest_by([index["A"]], [8 * 60 + 29])[0] == -1   # nothing arrives that early
    from_a, _ = profiles_from(reversed_timetable(tt), {index["A"]: 0})
    q = from_a.earliest_after([index["C"]], [8 * 60 + 30])[0]
    assert from_a.dep[q] == 9 * 60 and from_a.arr[q] == 9 * 60 + 20


def random_timetable(seed: int, n_stops: int = 25, n_trips: int = 120):
    rng = np.random.default_rng(seed)
    stops = pd.DataFrame({"stop_id": [f"s{i}" for i in range(n_stops)], "name": "s", "lat": 0.0, "lon": 0.0,
                          "change_min": rng.integers(1, 5, n_stops)})
    routes = pd.DataFrame({"name": ["rail", "tram", "bus"], "mask": [MODE_RAIL, MODE_URBAN, MODE_BUS]})
    trip, stop, time = [], [], []
    for t in range(n_trips):
        length = int(rng.integers(2, 8))
        seq = rng.choice(n_stops, length, replace=False)
        times = int(rng.integers(300, 1200)) + np.cumsum(rng.integers(0, 15, length))
        trip += [t] * length
        stop += seq.tolist()
        time += times.tolist()
    return build_timetable(stops, routes, rng.integers(0, 3, n_trips), trip, stop, time, time,
                           np.arange(len(time), dtype=float))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), origin=st.integers(0, 24), start=st.integers(300, 1100))
def test_vectorized_scan_matches_the_classic_scan(seed, origin, start):
    tt = random_timetable(seed)
    fast, _ = earliest_arrival(tt, [origin], [start], horizon=2000)
    slow = earliest_arrival_scan(tt, [origin], [start], horizon=2000)
    assert np.array_equal(fast, slow)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), target=st.integers(0, 24), when=st.integers(400, 1300))
def test_profiles_match_single_queries(seed, target, when):
    tt = random_timetable(seed)
    reverse = reversed_timetable(tt)
    others = np.array([s for s in range(tt.n_stops) if s != target])
    to_target = profiles_to(tt, {target: 0})
    leave, _ = latest_departure(tt, [target], [when], horizon=2000, reverse=reverse)
    p = to_target.latest_by(others, np.full(len(others), when))
    assert np.array_equal(np.where(p >= 0, to_target.dep[p], -INF), leave[others])
    from_target, _ = profiles_from(reverse, {target: 0})
    arrive, _ = earliest_arrival(tt, [target], [when], horizon=2000)
    q = from_target.earliest_after(others, np.full(len(others), when))
    assert np.array_equal(np.where(q >= 0, from_target.arr[q], INF), arrive[others])


def test_download_feed_over_http(tmp_path):
    served = tmp_path / "served"
    write_feed(served, name="feed.zip")
    (served / "page.html").write_text("<html>not a feed</html>")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        target = download_feed("local", url=f"{base}/feed.zip", directory=tmp_path / "feeds")
        assert target.name == "local.zip" and len(load_feed(target).trips) == 6
        assert available_feeds(tmp_path / "feeds") == {"local": target}
        licence = feed_licence(target)            # the origin is recorded next to the feed
        assert licence["url"] == f"{base}/feed.zip" and licence["downloaded_on"]
        with pytest.raises(RoutingError, match="did not return a zip"):
            download_feed("broken", url=f"{base}/page.html", directory=tmp_path / "feeds")
        with pytest.raises(RoutingError, match="could not download"):
            download_feed("missing", url=f"{base}/nothing.zip", directory=tmp_path / "feeds")
        assert sorted(p.name for p in (tmp_path / "feeds").iterdir()) == ["local.licence.json", "local.zip"]  # no partial files
    finally:
        server.shutdown()
    with pytest.raises(RoutingError, match="no known address"):
        download_feed("piemonte", directory=tmp_path / "feeds")


GTT_LIKE = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nU,GTT Servizio Urbano,https://example.org,Europe/Rome\n",
    # Stops within a few metres of the model's Porta Nuova and Drosso: they become those stations.
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nPN,Porta Nuova,45.0611,7.6776\nDR,Drosso,45.0119,7.6213\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_type\nT4,U,4,0\n",
    "trips.txt": "route_id,service_id,trip_id\n" + "".join(f"T4,WK,n{i}\nT4,WK,s{i}\n" for i in range(120)),
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "".join(
        f"n{i},{(300 + 10 * i) // 60:02d}:{(300 + 10 * i) % 60:02d}:00,{(300 + 10 * i) // 60:02d}:{(300 + 10 * i) % 60:02d}:00,PN,1\n"
        f"n{i},{(320 + 10 * i) // 60:02d}:{(320 + 10 * i) % 60:02d}:00,{(320 + 10 * i) // 60:02d}:{(320 + 10 * i) % 60:02d}:00,DR,2\n"
        f"s{i},{(300 + 10 * i) // 60:02d}:{(300 + 10 * i) % 60:02d}:00,{(300 + 10 * i) // 60:02d}:{(300 + 10 * i) % 60:02d}:00,DR,1\n"
        f"s{i},{(320 + 10 * i) // 60:02d}:{(320 + 10 * i) % 60:02d}:00,{(320 + 10 * i) // 60:02d}:{(320 + 10 * i) % 60:02d}:00,PN,2\n"
        for i in range(120)),
    "calendar.txt": FEED["calendar.txt"],
}


def test_a_feed_replaces_the_model_lines_it_covers(tmp_path):
    path = write_feed(tmp_path, GTT_LIKE, "gtt.zip")
    router = TransitRouter.from_feeds({"gtt": path}, WEDNESDAY)
    names = set(router.timetable.route_names)
    assert "4" in names and not any(n.startswith("GTT tram 4") for n in names)  # the model's tram 4 is gone
    assert not any(n.startswith("GTT bus 63") for n in names)                    # so is every GTT line
    assert any(n.startswith("RV Ivrea") for n in names)                           # trains stay in the model
    # A worker living at Porta Nuova: the feed's tram takes 20 minutes, every 10.
    home = (45.0612, 7.6774)
    j = journeys(router, [home[0]], [home[1]], ["torino"], "09:00", "15:00").iloc[0]
    assert j["source"] == SOURCE_GTFS and j["uses_gtt"]
    assert j["out_arrive_site"] - j["out_first_departure"] == 20 + 5  # ride + walk to the office
    # On a day the feed does not run, the model's lines are kept.
    sunday = TransitRouter.from_feeds({"gtt": path}, dt.date(2026, 11, 29))
    assert any(n.startswith("GTT tram 4") for n in sunday.timetable.route_names)
    assert sunday.timetable.source == SOURCE_TIMETABLE_MODEL


def test_a_feeds_ride_names_its_source_alike_in_the_legs_the_journey_and_the_evidence(tmp_path):
    """Review item (issue 15): the source of a ride was written in three places; the evidence table's
    copy wrote a feed's route, which has no address, as "GTFS feed 'gtt' ()". One function now."""
    from impact.routing.evidence import inps_journey_table
    from impact.places import default_gazetteer
    from impact.routing.journey import Endpoint, resolve_endpoint, transit_journey

    router = TransitRouter.from_feeds({"gtt": write_feed(tmp_path, GTT_LIKE, "gtt.zip")}, WEDNESDAY)
    home = (45.0612, 7.6774)   # at Porta Nuova: the feed's tram 4 to the office
    legs = router.journey_legs(*home, "torino", 540, 900)
    assert set(legs.loc[legs["line"] == "4", "source"]) == {"GTFS feed 'gtt'"}
    table = inps_journey_table(router, *home, "torino")
    assert len(table) and set(table["sources"]) == {"GTFS feed 'gtt'"}
    office = resolve_endpoint("torino", router, default_gazetteer())
    journey = transit_journey(router, Endpoint("comune", "", "Porta Nuova", *home), office, arrive_by=530)
    assert {leg.source for leg in journey.legs if leg.line == "4"} == {"GTFS feed 'gtt'"}


def test_the_official_feeds_record_their_licences():
    from impact.routing.gtfs import FEEDS
    assert FEEDS["gtt"].url == "https://www.gtt.to.it/open_data/gtt_gtfs.zip"
    assert "CC BY 4.0" in FEEDS["gtt"].licence and "GTT S.p.A." in FEEDS["gtt"].licence
    assert "muoversinpiemonte.it/page/dati" in FEEDS["piemonte"].note and "CC BY 4.0" in FEEDS["piemonte"].licence


def test_the_download_script_fetches_and_reports(tmp_path, capsys):
    from scripts.download_feeds import main as download_main
    served = tmp_path / "served"
    write_feed(served, name="feed.zip")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.zip"
        assert download_main(["piemonte", "--url", url, "--dir", str(tmp_path / "feeds")]) == 0
        assert "piemonte" in capsys.readouterr().out
        assert (tmp_path / "feeds" / "piemonte.zip").exists()
        assert download_main(["piemonte", "--dir", str(tmp_path / "other")]) == 1    # no known address
    finally:
        server.shutdown()
