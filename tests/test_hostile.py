"""Hostile files (issue 14): limits checked before the work, bounded memory, a clear refusal.

Each attack is a workbook built byte by byte in bench/hostile.py. The reading runs in a
child process so that its own peak memory (VmHWM) can be measured; before the limits, the
20,000-row wide-rows file took 5.3 GB and the 500 MB shared-strings bomb 611 MB.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import hostile
from impact import limits
from impact.roster import RosterError, read_roster

ROOT = Path(__file__).resolve().parent.parent
PEAK_LIMIT_MB = 500

CHILD = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from bench import hostile
from impact.roster import RosterError, read_roster
from impact.places import default_gazetteer, load_sites
def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss would start from the parent's size at fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
gazetteer, sites = default_gazetteer(), load_sites()
out = {}
for name, args in json.loads(sys.argv[2]):
    data = getattr(hostile, name)(*args)
    try:
        report = read_roster(data, "roster.xlsx", gazetteer=gazetteer, sites=sites)
        out[name] = ["read", report.rows_valid]
    except RosterError as exc:
        out[name] = [exc.key, exc.text("it")]
    del data
out["peak_mb"] = peak_mb()
print(json.dumps(out))
"""

ATTACKS = [("wide_rows", [20_000]), ("huge_dimension", []), ("shared_strings_bomb", [500]),
           ("shared_strings_bomb", [120]), ("many_sheets", [60]), ("entity_bomb", []), ("empty_cells", [5_000_000])]


def read_in_child(attacks) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), json.dumps(attacks)], capture_output=True,
                          text=True, timeout=240, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_hostile_workbooks_are_refused_before_they_fill_the_memory():
    out = read_in_child(ATTACKS)
    assert out["wide_rows"][0] == "table_range" and "XFD" in out["wide_rows"][1]
    assert out["huge_dimension"][0] == "table_range" and "A1:XFD1048576" in out["huge_dimension"][1]
    assert out["shared_strings_bomb"][0] in ("xlsx_unzipped", "xlsx_shared_strings")
    assert out["many_sheets"][0] == "xlsx_sheets"
    assert out["entity_bomb"][0] == "file_xlsx_unreadable"
    assert out["empty_cells"][0] == "xlsx_cells" and "5.000.004 celle" in out["empty_cells"][1]   # and the 4 header cells
    assert out["peak_mb"] < PEAK_LIMIT_MB, out


def test_each_limit_has_its_code_and_says_the_limit_in_both_languages():
    with pytest.raises(RosterError) as caught:
        read_roster(hostile.wide_rows(3), "r.xlsx")
    assert caught.value.key == "table_range"
    assert "100 colonne" in caught.value.text("it") and "100 columns" in caught.value.text("en")
    with pytest.raises(RosterError) as caught:
        read_roster(hostile.shared_strings_bomb(45), "r.xlsx")
    assert caught.value.key == "xlsx_shared_strings" and "40 MB" in caught.value.text("it")
    with pytest.raises(RosterError) as caught:
        read_roster(hostile.many_sheets(limits.MAX_SHEETS + 1), "r.xlsx")
    assert caught.value.key == "xlsx_sheets" and f"{limits.MAX_SHEETS + 1} fogli" in caught.value.text("it")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    data = b"Comune;Sede;Ore;Giorni\n" + b"Ivrea;Ivrea;6;5\n" * (limits.MAX_FILE_BYTES // 16 + 1)
    with pytest.raises(RosterError) as caught:
        read_roster(data, "r.csv")
    assert caught.value.key == "file_too_large" and "il limite è 10 MB" in caught.value.text("it")


def test_a_csv_over_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 50)
    data = ("Comune;Sede;Ore;Giorni\n" + "Ivrea;Ivrea;6;5\n" * 80).encode()
    with pytest.raises(RosterError) as caught:
        read_roster(data, "r.csv")
    assert caught.value.key == "table_range"
    assert len(read_roster(("Comune;Sede;Ore;Giorni\n" + "Ivrea;Ivrea;6;5\n" * 40).encode(), "r.csv").workers) == 40


def test_an_honest_workbook_still_reads_with_its_row_numbers():
    report = read_roster(hostile.many_rows(30), "r.xlsx")
    assert report.rows_valid == 30 and list(report.workers["line"][:2]) == [2, 3]


@pytest.fixture
def no_cell_parsing(monkeypatch):
    """Any cell parsed from here on fails the test: a refusal must come before the parsing."""
    import openpyxl.worksheet._reader as sheet_reader

    def never(*args, **kwargs):
        raise AssertionError("a cell was parsed")
    return lambda: monkeypatch.setattr(sheet_reader, "WorkSheetParser", never)


def test_a_sheet_of_millions_of_empty_cells_is_refused_before_a_cell_is_parsed(no_cell_parsing):
    # 5 million <c/> in one row: parsing them one by one took 86 s on this machine before it was refused.
    no_cell_parsing()
    with pytest.raises(RosterError) as caught:
        read_roster(hostile.empty_cells(limits.MAX_CELL_ELEMENTS + 1), "r.xlsx")
    assert caught.value.key == "xlsx_cells"
    # the 4 header cells and one over the cap
    assert "4.000.005 celle" in caught.value.text("it") and "il limite è 4.000.000" in caught.value.text("it")
    assert "4,000,005 cells" in caught.value.text("en")


def test_a_sheet_over_the_row_limit_is_refused_before_a_cell_is_parsed(monkeypatch, no_cell_parsing):
    monkeypatch.setattr(limits, "MAX_ROWS", 50)
    assert read_roster(hostile.many_rows(50), "r.xlsx").rows_valid == 50
    no_cell_parsing()
    with pytest.raises(RosterError) as caught:
        read_roster(hostile.many_rows(51), "r.xlsx")
    assert caught.value.key == "xlsx_rows"
    assert "ha 51 righe sotto l'intestazione" in caught.value.text("it") and "il limite è 50" in caught.value.text("it")


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 5, 8, 13, 1 << 20])
def test_cells_are_counted_in_the_bytes_whatever_the_prefix_and_the_pieces(monkeypatch, chunk_bytes):
    import io

    from impact import xlsx

    monkeypatch.setattr(xlsx, "_UNZIP_CHUNK_BYTES", chunk_bytes)
    plain = (b'<?xml version="1.0"?><worksheet xmlns="main"><cols><col min="1"/></cols><sheetData>'
             b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/><c\nr="C1"/><c>'
             b'<v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>')
    assert xlsx.count_elements(io.BytesIO(plain)) == {"rows": 2, "cells": 5}
    prefixed = (b'<x:worksheet xmlns:x="main"><x:sheetData><x:row r="1"><x:c r="A1"/><x:c><x:v>1</x:v></x:c>'
                b'<x:col/></x:row></x:sheetData></x:worksheet>')
    assert xlsx.count_elements(io.BytesIO(prefixed)) == {"rows": 1, "cells": 2}


def test_empty_styled_cells_keep_the_next_cells_in_their_columns():
    # A cell with no value only says where the next one is: with `r` it jumps there, without it moves on one.
    row = ('<row r="2"><c r="A2" s="1"/><c s="1"/><c t="inlineStr"><is><t>Ivrea</t></is></c>'
           '<c r="E2" s="1"/><c><v>6</v></c><c><v>5</v></c><c r="H2" s="1"/></row>')
    data = hostile.workbook([f"<sheetData>{hostile._row(1, ('a', 'b', 'c', 'd', 'e', 'f', 'g'))}{row}</sheetData>"])
    from impact.xlsx import read_first_sheet

    rows, _, _ = read_first_sheet(data)
    assert rows[1] == [None, None, "Ivrea", None, None, 6, 5]


def test_a_declared_range_that_is_wrong_but_small_does_not_hide_rows():
    # Some writers store A1:A1: the rows are counted as they come, not from the declaration.
    body = "".join([hostile._row(1, hostile.HEADER)] + [hostile._row(i, hostile.ROW) for i in range(2, 12)])
    data = hostile.workbook([f'<dimension ref="A1:A1"/><sheetData>{body}</sheetData>'])
    assert read_roster(data, "r.xlsx").rows_valid == 10


def test_defusedxml_guards_the_xlsx_reader():
    """openpyxl parses with defusedxml when it is installed; it is pinned in requirements.txt."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
    pins = (ROOT / "requirements.txt").read_text()
    assert "defusedxml==" in pins
    with pytest.raises(RosterError) as caught:
        read_roster(hostile.entity_bomb(), "r.xlsx")
    assert caught.value.key == "file_xlsx_unreadable" and "EntitiesForbidden" in caught.value.text("en")


def test_a_password_protected_workbook_is_named_as_such():
    # An encrypted .xlsx is an OLE2 compound file with an "EncryptedPackage" stream.
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500
    with pytest.raises(RosterError) as caught:
        read_roster(encrypted, "protetto.xlsx")
    assert caught.value.key == "file_encrypted" and "password" in caught.value.text("it")
    with pytest.raises(RosterError) as caught:
        read_roster(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "vecchio.xls")
    assert caught.value.key == "file_xls"


def test_the_server_lets_through_what_our_own_check_refuses_in_words():
    """Streamlit's uploader counts maxUploadSize in MiB on the server (its refusal is in English);
    our limit is 10 MB as the browser shows it, so a file between the two gets our bilingual message."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 >= limits.MAX_FILE_BYTES
    assert limits.megabytes(limits.MAX_FILE_BYTES) == str(config["server"]["maxUploadSize"])


def test_a_duplicate_header_in_the_error_is_shown_as_text():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("ui/union_page.py").run()
    data = "Comune;Sede;Ore al giorno;ore ![p](http://h/p.gif);Giorni a settimana\nIvrea;Ivrea;6;6;5\n".encode()
    at.file_uploader(key="roster_file").set_value(("r.csv", data, "text/csv")).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Ore al giorno" in shown and "http" in shown and "](http" not in shown
