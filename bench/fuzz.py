"""Fuzzing: read_roster() and Gazetteer.resolve() never crash, whatever they are given.

Run: .venv/bin/python bench/fuzz.py [--scale 1.0] [--seed 0]

Hypothesis generates rosters (CSV in seven encodings and five separators, with known
and random headers, plausible and random cells, byte damage; Excel workbooks, whole
and damaged; raw bytes behind BOMs and file signatures) and town queries (random
unicode, CAP-like digits, real names cut and misspelt). Every input must either give a
result or a domain error (an `impact.errors.ImpactError` subclass: RosterError,
UnknownPlace, AmbiguousPlace), and every rejected roster row must carry a reason in
Italian and English. The valid rows found are then costed by evaluate() in one go.

Any other exception is a crash: it is recorded (type, where in impact/, the smallest
input seen) and the run goes on, so one run counts them all. The script prints counts
and times and exits 1 if anything crashed. Crashes listed in `KNOWN_BUGS` are bugs
already reported with their fix; they still count, and are marked as known.
tests/test_fuzz_small.py runs the same checks on a few hundred examples in the suite.

Issue 14 added: XLSX structure attacks (wide rows, declared dimensions, shared-strings bombs,
many sheets, empty cells, entity bombs: bench/hostile.py), second-name collisions and province
hints, share-link query parameters (the parser, and both pages through AppTest), scenario
files, and evaluate() on odd worker columns. Each target reports the largest rise of the
process's peak memory (ru_maxrss) over one case and that case: the worst case.
"""

from __future__ import annotations

import argparse
import codecs
import collections
import csv
import datetime as dt
import io
import json
import math
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import hostile  # noqa: E402
from impact.errors import AmbiguousPlace, ImpactError, InputError, UnknownPlace  # noqa: E402
from impact.places import Place, default_gazetteer, load_sites, normalise  # noqa: E402
from impact.roster import HEADER_SYNONYMS, WORKER_COLUMNS, RosterError, read_roster  # noqa: E402
from impact.validation import SCENARIO_RANGES, link_value  # noqa: E402

GAZETTEER = default_gazetteer()
SITES = load_sites()
CLOSING = {s.id for s in SITES.values() if not s.is_destination}
ISTAT_CODES = {p.istat for p in GAZETTEER.places}

# Crashes already reported and not yet fixed: (exception type, function in impact/): why.
KNOWN_BUGS: dict[tuple[str, str], str] = {}  # none open: the decode and CSV errors became RosterErrors

# --------------------------------------------------------------------------- strategies

HEADERS = sorted({s for synonyms in HEADER_SYNONYMS.values() for s in synonyms})
TOWNS = ([p.name for p in GAZETTEER.places[::7]] + [p.label for p in GAZETTEER.places[3::11]]
         + [c for p in GAZETTEER.places[::17] for c in p.caps[:1]] + [p.istat for p in GAZETTEER.places[::23]]
         + ["S. Damiano", "Aoste", "Turin", "Ivera", "Castelnuovo", "10015", "1001", "001125", "San"])
SITE_TEXTS = ["Ivrea", "Asti", "Torino", "IV", "AT", "sede di Ivrea", "Asti (AT)", "ivrea ", "Konecta Asti", "Milano"]
WORDS = ["sì", "si", "no", "x", "X", "1", "0", "true", "FALSO", "-", "yes", "n", "ok", "nan", "NaN", "inf", "None",
         "=1+1", "+39 011", "-5", "@SUM(A1)", "€ 820", "1.100,50", "1,100.50", "6,5", "6.5", "1.100", "24:00",
         "9:00", "09.00", "9h30", "25:00", "0,25", "1e9", "-0", "½", "٣", "６"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "mac_roman", "latin-1", "utf-32"]
DELIMITERS = [";", ",", "\t", "|", " "]
FILENAMES = ["roster.csv", "roster.txt", "ROSTER.CSV", "roster", "roster.xlsx", "roster.xls", "r.xlsm"]
GOOD_TOWNS = [p.label for p in GAZETTEER.places] + ["Ivrea", "Strambino", "10019", "001125", "Aoste", "Turin"]
GOOD_HEADER = ["Comune", "Sede", "Ore al giorno", "Giorni a settimana"]
OPTIONAL_HEADERS = ["CAP", "Codice ISTAT", "Netto mensile", "Lordo mensile", "Auto", "Seconda auto", "Autostrada",
                    "Pedaggi", "Inizio turno", "Fine turno", "Persone in famiglia", "Affitto o mutuo",
                    "Figli da accudire", "Nome", "Matricola", "Ore settimanali"]

numbers = st.one_of(
    st.integers(-50, 100_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(0, 10_000, allow_nan=False).map(lambda x: f"{x:.2f}".replace(".", ",")),
    st.floats(0, 10_000, allow_nan=False).map(lambda x: f"{x:,.2f}"),
    st.decimals(0, 100_000, places=3).map(str),
)
times = st.builds(lambda h, m, sep: f"{h}{sep}{m:02d}", st.integers(0, 30), st.integers(0, 75),
                  st.sampled_from([":", ".", ",", "h", "", " "]))
cells = st.one_of(
    st.sampled_from(TOWNS), st.sampled_from(SITE_TEXTS), st.sampled_from(WORDS), numbers, times,
    st.from_regex(r"\d{1,7}", fullmatch=True), st.just(""),
    st.text(max_size=16),                                         # any unicode: controls, surrogate-free
    st.text(alphabet=st.characters(codec="latin-1"), max_size=16),
)


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Byte damage: (position, kind, byte) replaces, inserts or deletes one byte each."""
    out = bytearray(data)
    for position, kind, value in edits:
        if not out:
            break
        i = position % len(out)
        if kind == 0:
            out[i] = value
        elif kind == 1:
            out.insert(i, value)
        else:
            del out[i]
    return bytes(out)


edits = st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 2), st.integers(0, 255)), max_size=4)


def one_in(draw, n: int) -> bool:
    """True about once in `n` draws (a middle value: hypothesis favours the ends of a range)."""
    return draw(st.integers(1, n)) == (n + 1) // 2


@st.composite
def mostly(draw, good, bad):
    """A value of `good`, or about one time in six a value of `bad`."""
    return draw(bad) if one_in(draw, 6) else draw(good)


@st.composite
def table(draw, plausible: bool) -> tuple[list, list[list]]:
    """A header and rows: a well-formed roster with odd cells, or anything at all."""
    if plausible:
        extra = draw(st.lists(st.sampled_from(OPTIONAL_HEADERS), max_size=4, unique=True))
        header = list(draw(st.permutations(GOOD_HEADER + extra)))
        good = {"Comune": st.sampled_from(GOOD_TOWNS), "Sede": st.sampled_from(["Ivrea", "Asti", "IV", "AT"]),
                "Ore al giorno": st.sampled_from(["4", "5", "6", "6,5", "7", "8", "7:30"]),
                "Giorni a settimana": st.sampled_from(["3", "4", "5", "6"])}
        row = st.tuples(*[mostly(good[h], cells) if h in good else cells for h in header]).map(list)
        rows = draw(st.lists(mostly(row, st.lists(cells, max_size=len(header) + 2)), max_size=15))
    else:
        header = draw(st.lists(st.sampled_from(HEADERS) | st.text(max_size=12), min_size=1, max_size=9))
        rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=12))
    if one_in(draw, 10):                                          # a title line above the header
        rows = [header] + rows
        header = [draw(st.text(max_size=30))]
    return header, rows


@st.composite
def csv_roster(draw) -> tuple[bytes, str]:
    header, rows = draw(table(draw(st.booleans())))
    delimiter = draw(st.sampled_from(DELIMITERS))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
        csv.writer(buffer, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerows([header] + rows)
        text = buffer.getvalue()
    else:                                                         # joined by hand: quotes left unbalanced
        text = ending.join(delimiter.join(map(str, r)) for r in [header] + rows)
    if one_in(draw, 50):                                          # one cell larger than csv's field limit
        text += ending + '"' + "x" * 140_000
    encoding = draw(st.sampled_from(ENCODINGS))
    data = _mutate(text.encode(encoding, errors="replace"), draw(edits))
    return data, draw(st.sampled_from(FILENAMES[:4]))


def _xlsx_value(text: str):
    """A cell as Excel may hold it: text, a number, a date or a time."""
    for convert in (int, float):
        try:
            return convert(text.replace(",", "."))
        except (ValueError, OverflowError):
            pass
    return text


@st.composite
def xlsx_roster(draw) -> tuple[bytes, str]:
    from openpyxl import Workbook

    header, rows = draw(table(draw(st.booleans())))
    book = Workbook()
    sheet = book.active
    odd = st.sampled_from([None, True, 0.25, dt.time(9, 30), dt.datetime(2026, 1, 5, 14, 0), dt.date(2026, 1, 5), -1])
    for line, row in enumerate([header] + rows):
        values = [draw(odd) if line and one_in(draw, 12) else _xlsx_value(str(v)) for v in row]
        # openpyxl refuses control characters in text; Excel cannot hold them either.
        sheet.append([v if not isinstance(v, str) else "".join(c for c in v if c >= " " or c == "\t")
                      for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if one_in(draw, 4):                                           # a damaged workbook
        data = _mutate(data, draw(edits.filter(bool)))
    return data, draw(st.sampled_from(["roster.xlsx", "roster.csv", "roster"]))


raw_roster = st.tuples(
    st.builds(lambda prefix, body: prefix + body,
              st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04",
                               b"\xd0\xcf\x11\xe0", b"Comune;Sede;Ore;Giorni\n", b"comune,sede,ore,giorni\r\n"]),
              st.binary(max_size=600)),
    st.sampled_from(FILENAMES))

queries = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\s*\d{1,8}\s*", fullmatch=True),
    st.from_regex(r"[0-9A-Za-z ]{0,6}\([A-Za-z]{0,3}\)", fullmatch=True),
    st.sampled_from([p.label for p in GAZETTEER.places]).flatmap(
        lambda label: st.tuples(st.integers(0, len(label)), st.text(max_size=3)).map(
            lambda cut: label[:cut[0]] + cut[1])),
    st.sampled_from([p.name for p in GAZETTEER.places]).map(lambda name: name.upper().replace("'", " ")),
)

# --------------------------------------------------------------------------- issue 14: structure attacks and odd input

FAR = st.sampled_from([1, 4, 5, 26, 100, 101, 1000, 16_384])


@st.composite
def xlsx_attack(draw) -> tuple[bytes, str]:
    """A workbook whose structure is the attack: width, declared range, strings, sheets, entities."""
    kind = draw(st.sampled_from(["wide", "dimension", "strings", "sheets", "empty", "entity", "rows"]))
    if kind == "wide":
        rows = [hostile._row(1, hostile.HEADER)] + [hostile._row(i, hostile.ROW, far_column=draw(FAR))
                                                   for i in range(2, draw(st.integers(2, 40)))]
        data = hostile.workbook([f"<sheetData>{''.join(rows)}</sheetData>"])
    elif kind == "dimension":
        ref = draw(st.sampled_from(["A1:XFD1048576", "A1:D5", "A1:CV200001", "A1", "B2:A1", "A0:ZZ9", "XFE1:A1", ""]))
        body = "".join([hostile._row(1, hostile.HEADER)] + [hostile._row(i, hostile.ROW) for i in range(2, 6)])
        data = hostile.workbook([f'<dimension ref="{ref}"/><sheetData>{body}</sheetData>'])
    elif kind == "strings":
        size, repeat = draw(st.sampled_from([(1_000, 1), (100_000, 10), (1_000_000, 41), (1_000_000, 300)]))
        chunk = "<si><t>" + "A" * size + "</t></si>"
        data = hostile.workbook([f"<sheetData>{hostile._row(1, hostile.HEADER)}{hostile._row(2, hostile.ROW)}"
                                 "</sheetData>"], chunk, repeat=repeat)
    elif kind == "sheets":
        data = hostile.many_sheets(draw(st.sampled_from([1, 2, 49, 50, 51, 200])))
    elif kind == "empty":
        data = hostile.empty_cells(draw(st.sampled_from([0, 10, 100_000])))
    elif kind == "entity":
        data = hostile.entity_bomb()
    else:
        data = hostile.many_rows(draw(st.sampled_from([0, 1, 500])))
    if one_in(draw, 8):
        data = _mutate(data, draw(edits.filter(bool)))
    return data, "roster.xlsx"


OTHER_NAMES = sorted(GAZETTEER._by_other_name)
second_names = st.one_of(
    st.sampled_from(OTHER_NAMES),
    st.sampled_from(OTHER_NAMES).map(str.upper),
    st.tuples(st.sampled_from(OTHER_NAMES), st.sampled_from(sorted({p.province for p in GAZETTEER.places}))).map(
        lambda pair: f"{pair[0]} ({pair[1]})"),
    st.sampled_from([p.name.split()[0] for p in GAZETTEER.places if " " in p.name]),
    st.tuples(st.sampled_from([p.name.split()[0] for p in GAZETTEER.places if " " in p.name]),
              st.sampled_from(["TO", "AT", "AL", "CN", "AO", "XX", "to"])).map(lambda pair: f"{pair[0]} ({pair[1]})"),
)

link_texts = st.one_of(st.sampled_from(["abc", "0x10", "nan", "NaN", "inf", "-inf", "1e400", "99", "-1", "", " ", "1,5",
                                        "1.5", "0", "3", "0.25", "½", "٣", "1_0", "+1", "0b1", "None", "%00"]),
                       st.text(max_size=12), st.floats().map(repr), st.integers(-10, 10_000).map(str))
link_values = st.tuples(link_texts, st.sampled_from(sorted(SCENARIO_RANGES.items())))

scenario_values = st.one_of(st.floats(), st.integers(-100_000, 100_000), st.booleans(), st.none(), st.text(max_size=6),
                            st.sampled_from([".nan", ".inf", "-.inf", "99999", "5", "-300", "-2", "0.5", "[1, 2]", "{a: 1}"]))
scenario_files = st.one_of(
    st.dictionaries(st.sampled_from(sorted(SCENARIO_RANGES) + ["bogus", "1"]), scenario_values, max_size=4).map(
        lambda d: "\n".join(f"{k}: {v}" if isinstance(v, str) else f"{k}: {json.dumps(v)}" for k, v in d.items())),
    st.text(max_size=60), st.sampled_from(["", "---", "- 1\n- 2", "a: [", "smart_working_days_per_week: !!python/none x"]))

odd_cell = st.one_of(st.sampled_from(["no", "False", "sì", "maybe", "", "abc", "9:00", 10_000, -1, 0, 1, 2, 0.5,
                                      math.nan, math.inf, None, pd.NA, True, False]),
                     st.floats(), st.integers(-10, 20_000), st.text(max_size=5))
WORKER_FIELDS = ["hours_per_day", "days_per_week", "net_monthly_eur", "has_car", "second_car", "uses_motorway",
                 "tolls_eur_per_day", "household_size", "housing_now_eur_month", "children_needing_care",
                 "shift_start_min", "shift_end_min", "preferred_mode"]
odd_workers = st.tuples(st.integers(0, 4), st.dictionaries(st.sampled_from(WORKER_FIELDS), odd_cell, max_size=4))


def check_xlsx_attack(data: bytes, filename: str) -> tuple[str, pd.DataFrame | None]:
    """As check_roster, for a structure attack."""
    return check_roster(data, filename)


def check_second_name(query: str) -> str:
    """resolve() keeps its promise and the rule: a second name never wins over a comune starting with it."""
    outcome = check_resolve(query)
    if outcome == "found":
        place = GAZETTEER.resolve(query)
        key = normalise(query.split("(")[0])
        if key in GAZETTEER._by_other_name and key not in GAZETTEER._by_name:
            rivals = [p for p in GAZETTEER._starting_with(key) if p != place]
            if "(" in query:
                rivals = [p for p in rivals if p.province == place.province]
            assert not rivals, (query, place.label, rivals[0].label)
    return outcome


def check_link(text: str, lever) -> str:
    """A share-link value: a finite number in range, or None; never an exception."""
    name, (low, high) = lever
    value = link_value(text, low, high)
    assert value is None or (math.isfinite(value) and low <= value <= high), (text, value)
    return "used" if value is not None else "left out"


_SCENARIO_DIR = Path(tempfile.mkdtemp(prefix="fuzz-scenario-"))


def check_scenario_file(text: str) -> str:
    """load_scenario(): a Scenario within the ranges, or an InputError with a message."""
    from impact.roster_cli import load_scenario

    path = _SCENARIO_DIR / "s.yaml"
    path.write_text(text, encoding="utf-8", errors="replace")
    try:
        scenario = load_scenario(path)
    except InputError as exc:
        assert str(exc).strip()
        return "InputError"
    for name, (low, high) in SCENARIO_RANGES.items():
        value = getattr(scenario, name)
        assert value is None or low <= value <= high, (name, value)
    return "Scenario"


def check_odd_workers(rows: int, cells: dict) -> str:
    """evaluate() on odd worker columns: results, or a WorkerInputError naming a field."""
    from impact.model import Scenario, evaluate
    from impact.params import default_parameters

    base = {"home_istat": "001269", "site": "ivrea", "hours_per_day": 6, "days_per_week": 5}
    frame = pd.DataFrame([{**base, **cells} for _ in range(rows)] if rows else [], columns=list({**base, **cells}))
    try:
        result = evaluate(frame, Scenario(), default_parameters(), dt.date(2026, 3, 2), GAZETTEER, SITES)
    except InputError as exc:
        assert exc.code and str(exc).strip()
        return f"InputError:{exc.code}"
    assert len(result) == rows and result["extra_best_eur_month"].map(math.isfinite).all()
    return "costed"


def check_page_link(page: str, params: dict) -> str:
    """A page opened with these query parameters: no exception shown."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")   # AppTest's "no ScriptRunContext" notices are not findings
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=90)
    if page == "union":
        at.run()
        at.switch_page("ui/union_page.py")
    at.query_params.update(params)
    at.run()
    if page == "union":
        at.radio(key="union_source").set_value("model").run()
    assert not at.exception, [e.value for e in at.exception]
    return "shown"


page_links = st.one_of(
    st.tuples(st.just("union"), st.dictionaries(st.sampled_from(["a_smart", "a_allowance", "a_mileage", "a_pass",
                                                                 "b_smart", "b_pass"]), link_texts, min_size=1, max_size=3)),
    st.tuples(st.just("worker"), st.fixed_dictionaries({"comune": st.sampled_from(["001269", "abc", "", "999999", "1269"]),
                                                        "sede": st.sampled_from(["ivrea", "asti", "torino", "x", ""]),
                                                        "ore": link_texts})))


# --------------------------------------------------------------------------- checks


def check_roster(data: bytes, filename: str) -> tuple[str, pd.DataFrame | None]:
    """(outcome, valid workers); raises on a crash or a broken promise of read_roster()."""
    try:
        report = read_roster(data, filename, gazetteer=GAZETTEER, sites=SITES)
    except RosterError as exc:
        assert exc.text("it").strip() and exc.text("en").strip(), exc.key
        return f"RosterError:{exc.key}", None
    except ImpactError as exc:
        assert str(exc).strip()
        return type(exc).__name__, None
    assert report.rows_read == report.rows_valid + report.rows_rejected + report.rows_empty, report.counts()
    assert tuple(report.workers.columns) == WORKER_COLUMNS
    for note in report.rejected + report.warnings:
        assert note.line >= 1 and note.problems, note
        assert note.reason("it").strip() and note.reason("en").strip(), note
    json.dumps(report.summary("it"), ensure_ascii=False, default=str)
    report.rejected_table("en")
    workers = report.workers
    if len(workers):
        assert set(workers["home_istat"]) <= ISTAT_CODES
        assert set(workers["site"]) <= CLOSING
        assert ((workers["hours_per_day"] > 0) & (workers["hours_per_day"] <= 12)).all()
        assert workers["days_per_week"].between(1, 6).all()
    return ("valid rows" if len(workers) else "no valid row"), workers


def check_resolve(query: str) -> str:
    """The outcome of resolving `query`; raises on a crash or a malformed answer."""
    try:
        place = GAZETTEER.resolve(query)
    except AmbiguousPlace as exc:
        assert len(exc.candidates) >= 2 and all(isinstance(p, Place) for p in exc.candidates), exc
        return "AmbiguousPlace"
    except UnknownPlace as exc:
        assert all(isinstance(p, Place) for p in exc.candidates) and str(exc), exc
        return "UnknownPlace"
    assert isinstance(place, Place)
    return "found"


def signature(exc: BaseException) -> tuple[str, str]:
    """(exception type, innermost function of impact/ in the traceback) to group crashes by."""
    where = "?"
    for frame in traceback.extract_tb(exc.__traceback__):
        if "/impact/" in frame.filename.replace("\\", "/"):
            where = frame.name
    return type(exc).__name__, where


def is_known(exc: BaseException) -> bool:
    return signature(exc) in KNOWN_BUGS


# --------------------------------------------------------------------------- the run


class Tally:
    """Outcomes and crashes of one target."""

    def __init__(self, name: str) -> None:
        self.name, self.cases, self.seconds = name, 0, 0.0
        self.outcomes: collections.Counter = collections.Counter()
        self.crashes: dict[tuple[str, str], dict] = {}
        self.worst_rise_kib, self.worst = 0, ""   # the case that raised the peak memory most

    def crash(self, exc: BaseException, example) -> None:
        key = signature(exc)
        text = repr(example)
        entry = self.crashes.setdefault(key, {"count": 0, "example": text, "message": str(exc)[:200]})
        entry["count"] += 1
        if len(text) < len(entry["example"]):
            entry["example"], entry["message"] = text, str(exc)[:200]


def fuzz(tally: Tally, strategy, check, examples: int, seed: int, collect: list | None = None) -> None:
    @hypothesis_seed(seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def body(example) -> None:
        tally.cases += 1
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            outcome = check(*example) if isinstance(example, tuple) else check(example)
        except Exception as exc:   # noqa: BLE001 - every crash is counted, not raised
            tally.crash(exc, example)
            return
        finally:
            rise = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
            if rise > tally.worst_rise_kib:
                tally.worst_rise_kib, tally.worst = rise, repr(example)[:160]
        if isinstance(outcome, tuple):
            outcome, workers = outcome
            if collect is not None and workers is not None and len(workers):
                collect.append(workers)
        tally.outcomes[outcome] += 1

    started = time.perf_counter()
    body()
    tally.seconds = time.perf_counter() - started


def evaluate_all(frames: list[pd.DataFrame], limit: int = 5_000) -> tuple[int, float, str]:
    """Cost every valid fuzzed row in one evaluate() call: (rows, seconds, error or '')."""
    from impact.model import Scenario, evaluate
    from impact.params import default_parameters

    if not frames:
        return 0, 0.0, ""
    workers = pd.concat(frames, ignore_index=True).head(limit)
    started = time.perf_counter()
    try:
        results = evaluate(workers, Scenario(), default_parameters(), dt.date.today(), GAZETTEER, SITES)
        assert len(results) == len(workers)
        assert results["extra_best_eur_month"].notna().all()
    except Exception as exc:   # noqa: BLE001
        return len(workers), time.perf_counter() - started, f"{type(exc).__name__}: {exc}"
    return len(workers), time.perf_counter() - started, ""


BIG_ATTACKS = [("wide_rows", (20_000,)), ("shared_strings_bomb", (500,)), ("empty_cells", (20_000_000,)),
               ("huge_dimension", ()), ("many_rows", (680_000,)), ("entity_bomb", ())]
_CHILD = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from impact.roster import RosterError, read_roster
def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss would start from the parent's size at fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from impact.places import default_gazetteer
default_gazetteer()
data = open(sys.argv[2], "rb").read()
started = time.perf_counter()
try:
    outcome = f"read, {read_roster(data, 'roster.xlsx').rows_valid} valid rows"
except RosterError as exc:
    outcome = f"refused: {exc.key}"
print(f"{len(data) / 1e6:.2f} MB file, {outcome}, {time.perf_counter() - started:.1f} s, "
      f"peak {peak_mb():.0f} MB")
"""


def big_attacks() -> float:
    """The issue's attack files at full size, each read by a fresh process: its peak memory [MB]."""
    import subprocess

    worst = 0.0
    folder = Path(tempfile.mkdtemp(prefix="fuzz-big-"))
    for name, args in BIG_ATTACKS:
        path = folder / f"{name}.xlsx"
        path.write_bytes(getattr(hostile, name)(*args))
        done = subprocess.run([sys.executable, "-c", _CHILD, str(Path(__file__).resolve().parent.parent), str(path)],
                              capture_output=True, text=True, timeout=600)
        line = (done.stdout.strip().splitlines() or [done.stderr.strip()[-200:]])[-1]
        print(f"{'big attack: ' + name:24} {line}")
        if "peak" in line:
            worst = max(worst, float(line.rsplit("peak ", 1)[1].split()[0]))
        path.unlink()
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every example count (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-big", action="store_true", help="leave out the full-size attack files")
    args = parser.parse_args(argv)
    plan = [("read_roster: CSV", csv_roster(), check_roster, 4_000),
            ("read_roster: XLSX", xlsx_roster(), check_roster, 800),
            ("read_roster: raw bytes", raw_roster, check_roster, 2_000),
            ("Gazetteer.resolve", queries, check_resolve, 4_000),
            ("read_roster: XLSX attacks", xlsx_attack(), check_xlsx_attack, 300),
            ("resolve: second names", second_names, check_second_name, 2_000),
            ("share-link values", link_values, check_link, 3_000),
            ("scenario files", scenario_files, check_scenario_file, 1_500),
            ("evaluate: odd columns", odd_workers, check_odd_workers, 600),
            ("pages: query parameters", page_links, check_page_link, 40)]
    valid: list[pd.DataFrame] = []
    tallies = []
    started = time.perf_counter()
    for name, strategy, check, examples in plan:
        tally = Tally(name)
        fuzz(tally, strategy, check, max(1, round(examples * args.scale)), args.seed,
             valid if check in (check_roster, check_xlsx_attack) else None)
        tallies.append(tally)
        print(f"{name:24} {tally.cases:6} cases {tally.seconds:6.1f} s  "
              f"{sum(c['count'] for c in tally.crashes.values())} crashes  "
              + ", ".join(f"{k} {v}" for k, v in tally.outcomes.most_common(6)))
        print(f"{'':24} worst case: peak memory +{tally.worst_rise_kib / 1024:.0f} MB"
              + (f" on {tally.worst}" if tally.worst_rise_kib else ""))
    worst_big = big_attacks() if not args.no_big else 0.0
    rows, seconds, error = evaluate_all(valid)
    print(f"{'evaluate(valid rows)':24} {rows:6} rows  {seconds:6.1f} s  {'ERROR ' + error if error else 'ok'}")
    total = sum(t.cases for t in tallies)
    crashes = {(t.name, k): v for t in tallies for k, v in t.crashes.items()}
    print(f"total: {total} cases in {time.perf_counter() - started:.1f} s; "
          f"{sum(v['count'] for v in crashes.values())} crashes of {len(crashes)} kinds; "
          f"peak memory of the process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"worst full-size attack {worst_big:.0f} MB")
    for (target, key), entry in sorted(crashes.items()):
        known = KNOWN_BUGS.get(key)
        print(f"\nCRASH {target}: {key[0]} in {key[1]} x{entry['count']}" + (" (known: " + known + ")" if known else ""))
        print(f"  message: {entry['message']}")
        print(f"  smallest input: {entry['example'][:400]}")
    return 1 if crashes or error else 0


if __name__ == "__main__":
    sys.exit(main())
