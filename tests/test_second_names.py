"""No silent guess (issue 14, findings 2 and 13): second names, province hints, CAP columns.

A second name (a short form, an old or foreign name) wins only when no other comune's name
is the same or starts with it; otherwise the query is ambiguous and every candidate is offered,
the same on the page, in the CLI and in rosters.
"""

import json

import pytest

from impact.__main__ import main
from impact.errors import AmbiguousPlace, UnknownPlace
from impact.places import default_gazetteer
from impact.roster import read_roster

# The 21 second names that collided with another comune's name (found by scanning the gazetteer).
COLLIDING = {"Settimo": ["Settimo Torinese", "Settimo Rottaro", "Settimo Vittone"],
             "Sala": ["La Salle", "Sala Biellese", "Sala Monferrato"],
             "San Giorgio": ["San Giorgio Canavese", "San Giorgio Monferrato", "San Giorgio Scarampi"],
             "Casale": ["Casale Monferrato", "Casale Corte Cerro"],
             "Castelletto": ["Castelletto sopra Ticino", "Castelletto Cervo", "Castelletto Molina"],
             "Ceresole": ["Ceresole Reale", "Ceresole Alba"],
             "Costigliole": ["Costigliole d'Asti", "Costigliole Saluzzo"],
             "Ronco": ["Ronco Canavese", "Ronco Biellese"],
             "San Damiano": ["San Damiano d'Asti", "San Damiano Macra"]}


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


@pytest.mark.parametrize("query", sorted(COLLIDING))
def test_a_second_name_shared_with_other_comuni_is_ambiguous(gaz, query):
    with pytest.raises(AmbiguousPlace) as info:
        gaz.resolve(query)
    names = [p.name for p in info.value.candidates]
    assert set(COLLIDING[query]) <= set(names)
    assert names[0] == COLLIDING[query][0]       # the comune whose second name it is comes first


def test_every_second_name_is_either_unique_or_ambiguous(gaz):
    """Scan: no second name resolves while another comune's name starts with it."""
    silent = []
    for key, owners in gaz._by_other_name.items():
        try:
            place = gaz.resolve(key)
        except AmbiguousPlace:
            continue
        rivals = [p for p in gaz._starting_with(key) if p != place]
        if rivals:
            silent.append((key, place.label, rivals[0].label))
    assert silent == []


def test_a_second_name_of_one_comune_only_still_resolves(gaz):
    assert gaz.resolve("Turin").name == "Torino"
    assert gaz.resolve("Aoste").name == "Aosta"
    assert gaz.resolve("Seto").name == "Settimo Torinese"


def test_a_province_hint_restricts_the_candidates(gaz):
    with pytest.raises(AmbiguousPlace) as info:
        gaz.resolve("Castelnuovo (AT)")
    assert {p.province for p in info.value.candidates} == {"AT"}
    assert {p.name for p in info.value.candidates} >= {"Castelnuovo Don Bosco", "Castelnuovo Belbo"}
    with pytest.raises(AmbiguousPlace) as info:
        gaz.resolve("Settimo (TO)")
    assert {p.province for p in info.value.candidates} == {"TO"}
    assert gaz.resolve("Sala (AO)").name == "La Salle"      # one candidate left in that province
    with pytest.raises(UnknownPlace) as info:
        gaz.resolve("Castelletto (AT)")
    assert info.value.candidates[0].label == "Castelletto Molina (AT)"


def test_the_cli_lists_the_candidates_and_exits_2(capsys):
    assert main(["places", "Settimo", "--json"]) == 2
    answer = json.loads(capsys.readouterr().out)
    assert answer["error"] == "ambiguous" and len(answer["candidates"]) == 3


def test_a_roster_rejects_a_second_name_with_its_candidates():
    data = "Comune;Sede;Ore al giorno;Giorni a settimana\nSettimo;Ivrea;6;5\nSettimo Vittone;Ivrea;6;5\n".encode()
    report = read_roster(data, "r.csv")
    assert report.workers["home_istat"].tolist() == ["001266"]   # Settimo Vittone, written in full
    reason = report.rejected[0].reason("it")
    assert "Settimo Torinese (TO)" in reason and "Settimo Vittone (TO)" in reason and "Settimo Rottaro (TO)" in reason


def test_six_digits_in_a_cap_column_are_a_bad_cap_not_an_istat_code():
    data = "Comune;CAP;Sede;Ore al giorno;Giorni a settimana\n;010010;Ivrea;6;5\n".encode()
    report = read_roster(data, "r.csv")
    assert report.rejected[0].problems[0].key == "cap_invalid"
    assert "non è un CAP (5 cifre)" in report.rejected[0].reason("it")
