"""Rosters: read and check a union's anonymised roster (CSV or Excel), or model a workforce.

A union representative exports a roster from whatever they have: Excel in Italian
(``;``, decimal commas, Windows-1252), a CSV in UTF-8, an ``.xlsx``. `read_roster`
reads any of these and returns a `RosterReport`: the workers as `evaluate()` takes
them, and every row it could not use, with its line number and the reason in
Italian and English. Nothing is guessed: a town that matches several comuni, or a
time like "9.5", is a rejection that says what to write instead; an empty line is
counted, not rejected. Only the columns the model uses are kept, so names, staff
numbers and addresses never leave the uploaded bytes (they are listed, by header,
in `ignored_columns`).

Columns of `RosterReport.workers` (and of `modelled_workforce`), one row per worker:

    line               the file's line (header = 1) or the sheet's row; <NA> when modelled
    home_istat         ISTAT code of the home comune (6 digits)
    site               current office: "ivrea" or "asti"
    hours_per_day      contract hours a day [h]
    days_per_week      days worked a week [days]
    net_monthly_eur    take-home pay [EUR/month]; NaN: the model's union-quoted default
    gross_monthly_eur  gross pay [EUR/month] as typed (never converted here); NaN if not given
    has_car            can drive to work (column absent: True, the model's default)
    second_car         a car would have to be bought for this commute (absent: False)
    uses_motorway      takes the motorway when it is the way (absent: True)
    tolls_eur_per_day  tolls of the new round trip [EUR/day]; NaN: from the parameters
    shift_start_min    shift start [minutes after midnight]; NaN if not given
    shift_end_min      shift end [minutes after midnight; 24:00 is 0]; NaN if not given
    household_size     people in the household [persons] (absent: 2, the model's default)
    housing_now_eur_month  rent or mortgage now [EUR/month]; NaN: the model's estimate
    children_needing_care  children who would need paid care for the extra time (absent: 0)
    dependant_passes     dependants whose passes a package could pay (art. 51 c.2 d-bis TUIR; absent: 0)
    modelled           True for a modelled worker, False for a roster row

An empty cell in a yes/no column means "no"; a yes/no column that is absent
altogether takes the model's default, and `RosterReport.defaults_used` says so.

When there is no roster, `modelled_workforce` places each closing office's
headcount over the comuni around it with a gravity model (population times
exp(-decay x car minutes), within a radius), and gives the workers the part-time
mix the unions reported. Its parameters are in ``data/parameters/workforce/``;
the decay and the radius are labelled assumptions. Every modelled row carries
``modelled=True``: it is a model, never data.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from impact import i18n, limits
from impact.errors import AmbiguousPlace, InputError, ParameterError, UnknownPlace
from impact.model import DEFAULTS as MODEL_DEFAULTS
from impact.model import FULL_TIME_HOURS
from impact.params import Parameters
from impact.places import Gazetteer, Place, Site, default_gazetteer, load_sites, normalise
from impact.routing.estimate import estimate, load_model
from impact.validation import WORKER_RANGES
from impact.xlsx import OLE2_SIGNATURE, WorkbookError, is_encrypted_workbook, read_first_sheet

WORKER_COLUMNS = ("line", "home_istat", "site", "hours_per_day", "days_per_week", "net_monthly_eur",
                  "gross_monthly_eur", "has_car", "second_car", "uses_motorway", "tolls_eur_per_day",
                  "shift_start_min", "shift_end_min", "household_size", "housing_now_eur_month",
                  "children_needing_care", "dependant_passes", "modelled")
LANGUAGES = ("it", "en")

# Plausible ranges, the validation layer's (impact.validation.WORKER_RANGES). Outside them a
# figure is almost always a typing or export slip (1.100 read as 1.1, a yearly figure in a
# monthly column), so the row is rejected with the range rather than costed.
HOURS_RANGE = WORKER_RANGES["hours_per_day"][:2]           # [h/day] (lower bound excluded)
DAYS_RANGE = WORKER_RANGES["days_per_week"][:2]            # [days/week]
NET_RANGE = WORKER_RANGES["net_monthly_eur"][:2]           # [EUR/month] take-home
GROSS_RANGE = WORKER_RANGES["gross_monthly_eur"][:2]       # [EUR/month] one payslip
TOLLS_RANGE = WORKER_RANGES["tolls_eur_per_day"][:2]       # [EUR/day], round trip
HOUSING_RANGE = WORKER_RANGES["housing_now_eur_month"][:2]  # [EUR/month]; 0 for a home owned outright
HOUSEHOLD_RANGE = WORKER_RANGES["household_size"][:2]      # [persons]
CHILDREN_RANGE = WORKER_RANGES["children_needing_care"][:2]  # [children]
DECIMAL_EVIDENCE_VALUES = 500  # distinct cells per column looked at to tell ',' from '.'
HEADER_SEARCH_ROWS = 10         # a title above the header is skipped, within this many rows
MAX_CANDIDATES_SHOWN = 6
MAX_SUGGESTIONS_SHOWN = 3


# --------------------------------------------------------------------------- messages

MESSAGES: dict[str, dict[str, str]] = {
    "home_missing": {"it": "manca il comune di residenza (o il CAP)",
                     "en": "the home town (or CAP) is missing"},
    "town_unknown": {"it": "nessun comune del Piemonte o della Valle d'Aosta si chiama «{text}»{suggestions}",
                     "en": "no comune of Piedmont or Valle d'Aosta is called '{text}'{suggestions}"},
    "town_ambiguous": {"it": "«{text}» può essere {count} comuni ({candidates}): scrivi il nome intero "
                             "con la provincia, es. «{example}», o aggiungi il CAP",
                       "en": "'{text}' could be {count} comuni ({candidates}): write the full name "
                             "with the province, e.g. '{example}', or add the CAP"},
    "cap_invalid": {"it": "«{text}» non è un CAP (5 cifre)", "en": "'{text}' is not a CAP (5 digits)"},
    "cap_unknown": {"it": "nessun comune del Piemonte o della Valle d'Aosta ha il CAP {text}",
                    "en": "no comune of Piedmont or Valle d'Aosta has the CAP {text}"},
    "cap_ambiguous": {"it": "il CAP {text} è di {count} comuni ({candidates}): scrivi il comune",
                      "en": "the CAP {text} serves {count} comuni ({candidates}): give the comune"},
    "istat_unknown": {"it": "nessun comune ha il codice ISTAT «{text}»",
                      "en": "no comune has the ISTAT code '{text}'"},
    "home_conflict": {"it": "comune e CAP (o codice ISTAT) indicano comuni diversi: {given}",
                      "en": "the town and the CAP (or ISTAT code) point to different comuni: {given}"},
    "site_missing": {"it": "manca la sede", "en": "the office is missing"},
    "site_unknown": {"it": "sede «{text}» sconosciuta: scrivi {choices}",
                     "en": "unknown office '{text}': write {choices}"},
    "site_not_closing": {"it": "la sede «{text}» non chiude: chi vi lavora non si trasferisce",
                         "en": "the office '{text}' is not closing: its staff do not move"},
    "number_missing": {"it": "{column}: valore mancante", "en": "{column}: value missing"},
    "number_invalid": {"it": "{column}: «{text}» non è un numero", "en": "{column}: '{text}' is not a number"},
    "out_of_range": {"it": "{column}: {value} fuori dall'intervallo {low}–{high}{hint}",
                     "en": "{column}: {value} is outside {low}–{high}{hint}"},
    "time_invalid": {"it": "{column}: «{text}» non è un orario (scrivi per esempio 9:00 o 14:30)",
                     "en": "{column}: '{text}' is not a time (write e.g. 9:00 or 14:30)"},
    "shift_same": {"it": "inizio e fine turno sono uguali ({text})",
                   "en": "the shift starts and ends at the same time ({text})"},
    "not_whole": {"it": "{column}: {value} non è un numero intero", "en": "{column}: {value} is not a whole number"},
    "bool_invalid": {"it": "{column}: «{text}» non è sì o no", "en": "{column}: '{text}' is not yes or no"},
    "too_many_fields": {"it": "la riga ha {found} campi e l'intestazione {expected}: controlla i separatori "
                              "(un numero con la virgola in un file separato da virgole va tra virgolette)",
                        "en": "the row has {found} fields and the header {expected}: check the separators "
                              "(a decimal comma in a comma-separated file must be quoted)"},
    "shift_shorter_than_hours": {"it": "il turno {start}–{end} dura meno delle {hours} ore al giorno indicate",
                                 "en": "the shift {start}–{end} is shorter than the {hours} hours a day given"},
    # File-level errors (RosterError).
    "file_empty": {"it": "il file è vuoto", "en": "the file is empty"},
    "file_encoding": {"it": "il testo del file non è leggibile (né UTF-8 né Windows-1252): salvalo come "
                            "«CSV UTF-8»", "en": "the file's text cannot be read (neither UTF-8 nor "
                            "Windows-1252): save it as 'CSV UTF-8'"},
    "file_csv": {"it": "il file non si legge come CSV dalla riga {line} (di solito una virgoletta aperta e mai "
                       "chiusa): {detail}",
                 "en": "the file cannot be read as CSV from line {line} (usually a quote opened and never "
                       "closed): {detail}"},
    "file_xls": {"it": "il vecchio formato Excel .xls non è letto: salvalo come .xlsx o CSV",
                 "en": "the old Excel .xls format is not read: save it as .xlsx or CSV"},
    "file_not_xlsx": {"it": "il file non è una cartella di lavoro Excel (.xlsx): salvalo come .xlsx o CSV",
                      "en": "the file is not an Excel workbook (.xlsx): save it as .xlsx or CSV"},
    "file_xlsx_unreadable": {"it": "la cartella Excel non si apre ({detail})",
                             "en": "the Excel workbook cannot be opened ({detail})"},
    "xlsx_needs_openpyxl": {"it": "per leggere i file .xlsx serve il pacchetto openpyxl",
                            "en": "reading .xlsx files needs the openpyxl package"},
    "no_header": {"it": "non trovo la riga di intestazione: la prima riga deve dare i nomi delle colonne, "
                        "es. {example}", "en": "no header row found: the first row must name the columns, "
                        "e.g. {example}"},
    "missing_columns": {"it": "mancano le colonne: {fields}", "en": "columns missing: {fields}"},
    "duplicate_column": {"it": "le colonne «{first}» e «{second}» dicono la stessa cosa ({field}): tienine una",
                         "en": "the columns '{first}' and '{second}' mean the same ({field}): keep one"},
    "unknown_field": {"it": "campo sconosciuto «{field}» nella scelta delle colonne",
                      "en": "unknown field '{field}' in the column choice"},
}

# What each field is called in messages about missing columns.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "home": {"it": "comune di residenza (o CAP)", "en": "home town (or CAP)"},
    "home_text": {"it": "comune di residenza", "en": "home town"},
    "cap": {"it": "CAP", "en": "CAP (postcode)"},
    "istat": {"it": "codice ISTAT", "en": "ISTAT code"},
    "site": {"it": "sede", "en": "office"},
    "hours_per_day": {"it": "ore al giorno", "en": "hours per day"},
    "hours_per_week": {"it": "ore a settimana", "en": "hours per week"},
    "days_per_week": {"it": "giorni a settimana", "en": "days per week"},
    "shift_start": {"it": "inizio turno", "en": "shift start"},
    "shift_end": {"it": "fine turno", "en": "shift end"},
    "net_monthly_eur": {"it": "netto mensile", "en": "take-home pay"},
    "gross_monthly_eur": {"it": "lordo mensile", "en": "gross pay"},
    "has_car": {"it": "auto disponibile", "en": "car available"},
    "second_car": {"it": "seconda auto", "en": "second car"},
    "uses_motorway": {"it": "autostrada", "en": "motorway"},
    "tolls_eur_per_day": {"it": "pedaggi al giorno", "en": "tolls per day"},
    "household_size": {"it": "persone in famiglia", "en": "household size"},
    "housing_now_eur_month": {"it": "affitto o mutuo", "en": "rent or mortgage"},
    "children_needing_care": {"it": "figli da accudire", "en": "children needing care"},
    "dependant_passes": {"it": "abbonamenti familiari", "en": "dependant passes"},
}


def message(key: str, lang: str, **values: Any) -> str:
    """The message `key` in `lang` ("it" or "en") with its values filled in.

    Keys not in `MESSAGES` are the catalogue's ``input.<key>`` (impact/locales/<lang>/input.yaml).
    """
    lang = lang if lang in LANGUAGES else "en"
    if key not in MESSAGES:
        return i18n.t(f"input.{key}", lang, **values)
    return MESSAGES[key][lang].format(**values)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row: the column as headed in the file, a message key and its values."""

    column: str
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "it") -> str:
        """The problem in words, in `lang`."""
        values = {k: (v[lang] if isinstance(v, dict) and lang in v else v) for k, v in self.values.items()}
        return message(self.key, lang, column=self.column, **values)

    def as_dict(self) -> dict:
        """A JSON-ready record: column, key and values (language-neutral)."""
        return {"column": self.column, "key": self.key, "values": dict(self.values)}


@dataclass(frozen=True)
class RowNote:
    """A rejected (or flagged) row: its line in the file and every problem found on it."""

    line: int
    problems: tuple[Problem, ...]

    def reason(self, lang: str = "it") -> str:
        """All the row's problems in `lang`, separated by semicolons."""
        return "; ".join(p.text(lang) for p in self.problems)

    def as_dict(self, lang: str = "en") -> dict:
        """A JSON-ready record with the reason in `lang` and in Italian."""
        return {"line": self.line, "reason": self.reason(lang), "reason_it": self.reason("it"),
                "problems": [p.as_dict() for p in self.problems]}


class RosterError(InputError):
    """The file as a whole cannot be read as a roster (format, encoding, size, header, columns)."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        Exception.__init__(self)
        self.code, self.field, self.values = key, None, values
        self.args = (self.text("en"),)

    def text(self, lang: str = "it") -> str:
        """The error in `lang`."""
        values = {k: (v[lang] if isinstance(v, dict) and lang in v else v) for k, v in self.values.items()}
        return message(self.key, lang, **values)


@dataclass
class RosterReport:
    """What came out of a roster: the usable workers and an account of every other row.

    rows_read = rows_valid + rows_rejected + rows_empty, counting the rows below the header.
    """

    workers: pd.DataFrame
    rejected: list[RowNote]
    warnings: list[RowNote]
    rows_read: int
    rows_empty: int
    columns: dict[str, str]            # model field -> the header it was read from
    ignored_columns: list[str]         # headers not read (names, staff numbers, notes...)
    defaults_used: list[str]           # optional fields absent from the file: the model's default applies
    detected: dict[str, Any]           # format, encoding, delimiter, decimal, header_line, sheet
    modelled: bool = False

    @property
    def rows_valid(self) -> int:
        return len(self.workers)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def counts(self) -> dict[str, int]:
        """rows_read, rows_valid, rows_rejected, rows_empty."""
        return {"rows_read": self.rows_read, "rows_valid": self.rows_valid,
                "rows_rejected": self.rows_rejected, "rows_empty": self.rows_empty}

    def summary(self, lang: str = "en") -> dict:
        """A JSON-ready account of the reading, without any worker's data."""
        return {**self.counts(),
                "rejected": [r.as_dict(lang) for r in self.rejected],
                "warnings": [w.as_dict(lang) for w in self.warnings],
                "columns": dict(self.columns), "ignored_columns": list(self.ignored_columns),
                "defaults_used": list(self.defaults_used), "detected": dict(self.detected),
                "modelled": self.modelled}

    def rejected_table(self, lang: str = "it") -> pd.DataFrame:
        """The rejected rows as a table (line, reason) for a page or a download."""
        return pd.DataFrame({"line": [r.line for r in self.rejected],
                             "reason": [r.reason(lang) for r in self.rejected]})


# --------------------------------------------------------------------------- header synonyms

_STOPWORDS = {"a", "al", "alla", "di", "del", "della", "per", "in", "la", "il", "lo", "le", "e", "the", "of",
              "at", "la", "da", "x"}

# Synonyms per field, Italian then English; compared after `_header_key` (case, accents,
# punctuation, units in brackets and small words folded away).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "home_text": ("comune", "comune di residenza", "comune residenza", "residenza", "comune domicilio",
                  "domicilio", "comune di domicilio", "citta", "città di residenza", "paese", "località",
                  "localita di residenza", "luogo di residenza", "abitazione", "comune abitazione",
                  "town", "home", "home town", "hometown", "home comune", "city", "municipality",
                  "residence", "place of residence", "comune name"),
    "cap": ("cap", "c.a.p.", "cap residenza", "cap di residenza", "codice postale", "postcode", "post code",
            "postal code", "zip", "zip code", "home cap"),
    "istat": ("codice istat", "istat", "codice comune", "codice istat comune", "istat code", "home istat",
              "home_istat"),
    "site": ("sede", "sede di lavoro", "sede lavoro", "sede attuale", "sede di appartenenza", "ufficio",
             "filiale", "unità locale", "unità produttiva", "office", "site", "current office", "workplace",
             "work site"),
    "hours_per_day": ("ore al giorno", "ore giornaliere", "ore/giorno", "ore per giorno", "ore lavorate al giorno",
                      "orario giornaliero", "ore di lavoro al giorno", "ore", "hours per day", "hours a day",
                      "hours/day", "daily hours", "hours", "hours_per_day"),
    "hours_per_week": ("ore settimanali", "ore a settimana", "ore/settimana", "ore per settimana",
                       "orario settimanale", "hours per week", "hours a week", "weekly hours", "hours_per_week"),
    "days_per_week": ("giorni a settimana", "giorni settimanali", "giorni/settimana", "giorni per settimana",
                      "giorni lavorativi", "giorni lavorativi a settimana", "gg settimana", "giorni",
                      "days per week", "days a week", "days/week", "days", "working days", "days_per_week"),
    "shift_start": ("inizio turno", "ora inizio", "orario inizio", "orario di inizio", "inizio", "entrata",
                    "ora di entrata", "ingresso", "shift start", "start", "start time", "shift_start",
                    "shift_start_min"),
    "shift_end": ("fine turno", "ora fine", "orario fine", "orario di fine", "fine", "uscita", "ora di uscita",
                  "shift end", "end", "end time", "shift_end", "shift_end_min"),
    "net_monthly_eur": ("netto mensile", "stipendio netto", "netto", "retribuzione netta", "paga netta",
                        "netto in busta", "stipendio netto mensile", "netto mensile euro", "take-home",
                        "take home", "take-home pay", "net pay", "net monthly", "net monthly pay", "net salary",
                        "net_monthly_eur"),
    "gross_monthly_eur": ("lordo mensile", "stipendio lordo", "lordo", "retribuzione lorda",
                          "retribuzione lorda mensile", "paga lorda", "stipendio lordo mensile", "gross",
                          "gross pay", "gross monthly", "gross monthly pay", "gross salary", "gross_monthly_eur"),
    "has_car": ("auto", "auto disponibile", "automobile", "macchina", "ha l'auto", "ha auto", "auto propria",
                "car", "car available", "has car", "has a car", "own car", "has_car"),
    "second_car": ("seconda auto", "auto da comprare", "second car", "needs a car", "second_car"),
    "uses_motorway": ("autostrada", "usa l'autostrada", "usa autostrada", "motorway", "uses motorway",
                      "uses_motorway"),
    "tolls_eur_per_day": ("pedaggi", "pedaggio", "pedaggi al giorno", "pedaggio giornaliero", "tolls",
                          "tolls per day", "toll", "tolls_eur_per_day"),
    "household_size": ("persone in famiglia", "componenti nucleo familiare", "componenti del nucleo",
                       "nucleo familiare", "numero componenti famiglia", "household size", "household",
                       "people in household", "household_size"),
    "housing_now_eur_month": ("affitto o mutuo", "affitto/mutuo", "affitto", "mutuo", "affitto attuale",
                              "spesa casa", "rent or mortgage", "rent", "mortgage", "housing cost",
                              "housing_now_eur_month"),
    # Not bare "figli": grown-up children need no care, and counting them would inflate the cost.
    "children_needing_care": ("figli da accudire", "figli piccoli", "figli minori da accudire",
                              "bambini da accudire", "children needing care", "children to look after",
                              "children_needing_care"),
    "dependant_passes": ("abbonamenti familiari", "abbonamenti familiari a carico", "familiari a carico con abbonamento",
                         "dependant passes", "dependants passes", "dependant_passes"),
}
REQUIRED_FIELDS = ("home", "site", "hours", "days_per_week")
HOME_FIELDS = ("home_text", "cap", "istat")
BOOL_FIELDS = ("has_car", "second_car", "uses_motorway")
MONEY_FIELDS = {"net_monthly_eur": NET_RANGE, "gross_monthly_eur": GROSS_RANGE, "tolls_eur_per_day": TOLLS_RANGE,
                "housing_now_eur_month": HOUSING_RANGE}
COUNT_FIELDS = {"household_size": HOUSEHOLD_RANGE, "children_needing_care": CHILDREN_RANGE,
                "dependant_passes": CHILDREN_RANGE}
OPTIONAL_FIELDS = ("net_monthly_eur", "gross_monthly_eur", "has_car", "second_car", "uses_motorway",
                   "tolls_eur_per_day", "shift_start", "shift_end", "household_size", "housing_now_eur_month",
                   "children_needing_care")


def _header_key(text: str) -> str:
    """A header folded for matching: 'Netto mensile (€)' -> 'netto mensile'."""
    text = re.sub(r"[(\[].*?[)\]]", " ", str(text))
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = [w for w in re.sub(r"[^a-z0-9]+", " ", plain).split() if w not in _STOPWORDS]
    while words and words[-1] in ("eur", "euro", "h", "min"):   # units written without brackets
        words.pop()
    return " ".join(words)


_SYNONYM_INDEX = {_header_key(s): f for f, synonyms in HEADER_SYNONYMS.items() for s in synonyms}


def _map_columns(header: list[str], column_map: Mapping[str, str] | None) -> tuple[dict[str, int], list[str]]:
    """Which column holds each field, and the headers that are not read."""
    chosen = {_header_key(k): v for k, v in (column_map or {}).items()}
    for target in chosen.values():
        if target not in HEADER_SYNONYMS:
            raise RosterError("unknown_field", field=target)
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = _header_key(name)
        target = chosen.get(key) or _SYNONYM_INDEX.get(key)
        if target is None:
            ignored.append(name if str(name).strip() else f"({index + 1})")
            continue
        if target in found:
            raise RosterError("duplicate_column", first=header[found[target]], second=name,
                              field=FIELD_LABELS[target])
        found[target] = index
    # Daily hours win; weekly hours are only read (and divided by the days) without them.
    if "hours_per_day" in found and "hours_per_week" in found:
        ignored.append(header[found.pop("hours_per_week")])
    return found, ignored


def _check_required(found: dict[str, int], default_site: str | None) -> None:
    missing = []
    if not any(f in found for f in HOME_FIELDS):
        missing.append(FIELD_LABELS["home"])
    if "site" not in found and default_site is None:
        missing.append(FIELD_LABELS["site"])
    if "hours_per_day" not in found and "hours_per_week" not in found:
        missing.append(FIELD_LABELS["hours_per_day"])
    if "days_per_week" not in found:
        missing.append(FIELD_LABELS["days_per_week"])
    if missing:
        raise RosterError("missing_columns", fields={lang: ", ".join(m[lang] for m in missing) for lang in LANGUAGES})


# --------------------------------------------------------------------------- reading the bytes


@dataclass
class _Table:
    """Cells below the header, one list per row, with the row's line in the file."""

    header: list[str]
    rows: list[list[Any]]
    lines: list[int]
    widths: list[int]        # non-empty cells found on the row (to catch rows wider than the header)
    empty: int
    detected: dict[str, Any]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), "utf-16"   # Excel's "Unicode text" export
    except UnicodeDecodeError:
        # A byte-order mark promises an encoding the rest of the file does not keep.
        raise RosterError("file_encoding") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise RosterError("file_encoding") from None


_DELIMITERS = (";", "\t", ",", "|")   # order breaks ties: Italian Excel first


def _sniff_delimiter(text: str) -> str:
    """The separator used most consistently on the first lines (quotes respected)."""
    lines = [line for line in text[:20_000].splitlines()[:50] if line.strip()][:HEADER_SEARCH_ROWS]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        counts = [len(row) - 1 for row in csv.reader(lines, delimiter=delimiter)]
        counts = [c for c in counts if c > 0]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        if mode > best_score:
            best, best_score = delimiter, mode
    return best


def _read_csv(data: bytes) -> tuple[list[list[Any]], list[int], dict[str, Any]]:
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines, previous, cells = [], [], 0, 0
    try:
        for row in reader:
            cells += len(row)
            if len(rows) > limits.MAX_ROWS + HEADER_SEARCH_ROWS or cells > limits.MAX_CELLS:
                raise RosterError("table_range", where=reader.line_num, rows=limits.count(len(rows)),
                                  columns=limits.count(len(row)), max_rows=limits.count(limits.MAX_ROWS),
                                  max_columns=limits.MAX_COLUMNS)
            rows.append([cell.strip() for cell in row])
            lines.append(previous + 1)    # a quoted cell can span lines: the row starts after the last one
            previous = reader.line_num
    except csv.Error as exc:
        # Usually a quote opened and never closed, which swallows the rest of the file.
        raise RosterError("file_csv", line=previous + 1, detail=str(exc)) from None
    return rows, lines, {"format": "csv", "encoding": encoding, "delimiter": delimiter}


def _read_xlsx(data: bytes) -> tuple[list[list[Any]], list[int], dict[str, Any]]:
    try:
        rows, lines, title = read_first_sheet(data)
    except WorkbookError as exc:
        raise RosterError(exc.code, **exc.values) from None
    rows = [[c.strip() if isinstance(c, str) else c for c in row] for row in rows]   # (openpyxl gives no NaN)
    return rows, lines, {"format": "xlsx", "sheet": title}


def _width(row: list[Any]) -> int:
    """Cells up to the last non-blank one."""
    width = len(row)
    while width and (row[width - 1] is None or row[width - 1] == ""):
        width -= 1
    return width


def _header_score(row: list[Any]) -> int:
    return sum(1 for cell in row if isinstance(cell, str) and _header_key(cell) in _SYNONYM_INDEX)


def _read_table(data: bytes, filename: str) -> _Table:
    """The header and the rows below it, from CSV or XLSX bytes."""
    if not data or not data.strip():
        raise RosterError("file_empty")
    if len(data) > limits.MAX_FILE_BYTES:
        raise RosterError("file_too_large", size=limits.megabytes(len(data)),
                          limit=limits.megabytes(limits.MAX_FILE_BYTES))
    name = filename.lower()
    if is_encrypted_workbook(data):
        raise RosterError("file_encrypted")
    if data.startswith(OLE2_SIGNATURE) or name.endswith(".xls"):
        raise RosterError("file_xls")
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        rows, lines, detected = _read_xlsx(data)
    else:
        rows, lines, detected = _read_csv(data)
    # Cells are stripped text, numbers, times or None: a blank cell is "" or None.
    blank = [row.count("") + row.count(None) == len(row) for row in rows]
    filled = [i for i, b in enumerate(blank) if not b]
    if not filled:
        raise RosterError("file_empty")
    # The header is the first row naming at least two known columns (a title above it is skipped).
    header_at = next((i for i in filled[:HEADER_SEARCH_ROWS] if _header_score(rows[i]) >= 2), None)
    if header_at is None:
        raise RosterError("no_header", example="Comune;Sede;Ore al giorno;Giorni a settimana")
    header = ["" if c is None else str(c).strip() for c in rows[header_at]]
    while header and not header[-1]:
        header.pop()
    detected["header_line"] = lines[header_at]
    body = range(header_at + 1, len(rows))
    kept = [i for i in body if not blank[i]]
    widths = [_width(rows[i]) for i in kept]
    if detected["format"] == "xlsx":
        # A sheet's cells cannot be split by a separator: a column without a header is just not read.
        header += [""] * (max(widths, default=0) - len(header))
        widths = [min(w, len(header)) for w in widths]
    width = len(header)
    table_rows = [(rows[i] + [None] * width)[:width] for i in kept]
    return _Table(header, table_rows, [lines[i] for i in kept], widths,
                  sum(1 for i in body if blank[i]), detected)


# --------------------------------------------------------------------------- values, one distinct value at a time

Parsed = tuple[Any, "tuple[str, dict] | None"]   # (value, (message key, values) or None)
_MISSING = ("number_missing", {})


def _per_distinct(cells: np.ndarray, parse: Callable[[Any], Parsed], dtype: type = object
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Parse each distinct cell once and spread the results over the rows (values, problems).

    A roster of 10,000 rows holds a few hundred towns and a handful of hours: parsing
    and resolving the distinct texts only is what keeps a big file under a second.
    """
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=False)
    parsed = [parse(u) for u in uniques]
    missing = {float: math.nan, bool: False}.get(dtype)
    values = np.empty(len(parsed), dtype=dtype)
    problems = np.empty(len(parsed), dtype=object)
    for i, (value, problem) in enumerate(parsed):   # element by element: a problem is a tuple, not a row
        values[i] = missing if value is None and dtype is not object else value
        problems[i] = problem
    return values[codes], problems[codes]


def _text(value: Any) -> str:
    """A cell as text: Excel's 10015.0 becomes '10015'."""
    if _is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


_UNITS = re.compile(r"^(?:€|eur|euro)\s*|\s*(?:€|eur|euro|h|ore|hours?|gg|giorni|days?|/\s*\w+)$")
_PLAIN = re.compile(r"^\d+$")
_ONE_SEPARATOR = re.compile(r"^(\d+)([.,])(\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,' ])\d{3})+(?:([.,])(\d+))?$")


def _separator_evidence(text: str) -> str | None:
    """',' or '.' when the text can only be read with that decimal separator, else None."""
    text = _UNITS.sub("", text.strip().lower())
    one = _ONE_SEPARATOR.match(text)
    if one:
        return one[2] if len(one[3]) != 3 else None   # "1.100" could be either
    grouped = _GROUPED.match(text)
    if grouped and grouped[2]:
        return grouped[2]
    return None


def _number(value: Any, decimal: str) -> Parsed:
    """A non-negative number from a cell: '6', '6,5', '1.100,50', '€ 820', 820.5."""
    if isinstance(value, bool):
        return None, ("number_invalid", {"text": str(value)})
    if isinstance(value, (int, float)) and not _is_blank(value):
        return (float(value), None) if value >= 0 else (None, ("number_invalid", {"text": _text(value)}))
    text = _text(value)
    if not text:
        return None, _MISSING
    plain = _UNITS.sub("", text.lower()).replace("\u00a0", " ").strip()
    if _PLAIN.match(plain):
        return float(plain), None
    one = _ONE_SEPARATOR.match(plain)
    if one:
        integer, separator, fraction = one.groups()
        # A single separator before exactly three digits is a thousands mark unless the file writes decimals that way.
        if len(fraction) == 3 and separator != decimal:
            return float(integer + fraction), None
        return float(f"{integer}.{fraction}"), None
    grouped = _GROUPED.match(plain)
    if grouped and grouped[1] != grouped[2]:
        digits = re.sub(r"[.,' ]", "", plain.split(grouped[2])[0] if grouped[2] else plain)
        return float(digits + (f".{grouped[3]}" if grouped[3] else "")), None
    return None, ("number_invalid", {"text": text})


_HOURS_TWO_DIGITS = re.compile(r"^(\d{1,2})[.,](\d{2})$")


def _hours(value: Any, decimal: str) -> Parsed:
    """Hours of work: a number, a duration written '6:30', or a time or duration cell.

    The rule (README, "Roster format"): '6:30' is six hours and a half; '6,5' and '6.5' are
    decimal hours; '7.30' or '6,45' (two digits after the separator) could be either and is
    refused with both readings, unless the digits are '00'. A number cell under 1 is Excel's
    fraction of a day whose time format was lost (0.25 is 6:00): no contract is under an hour.
    """
    if isinstance(value, dt.time):
        return value.hour + value.minute / 60, None
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600, None
    if isinstance(value, float) and 0 < value < 1:
        return value * 24, None
    text = _text(value)
    match = re.match(r"^(\d{1,2}):([0-5]\d)$", text)
    if match:
        return int(match[1]) + int(match[2]) / 60, None
    two = _HOURS_TWO_DIGITS.match(text) if isinstance(value, str) else None
    if two and two[2] != "00":
        return None, ("hours_ambiguous", {"text": text, "clock": f"{two[1]}:{two[2]}",
                                          "decimal": {"it": f"{two[1]},{two[2]}", "en": f"{two[1]}.{two[2]}"}})
    return _number(value, decimal)


_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.,h]\s*([0-5]\d))?(?::[0-5]\d)?\s*h?$")


def _clock(value: Any) -> Parsed:
    """Minutes after midnight from '9', '9:00', '09.00', '9h', '9h30', a time cell; 24:00 is 0."""
    if _is_blank(value):
        return math.nan, None
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return float(value.hour * 60 + value.minute), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 < value < 1:   # Excel's fraction of a day, when the time format was lost
            return float(round(value * 24 * 60) % (24 * 60)), None
        if float(value).is_integer() and 0 <= value <= 24:
            return float(int(value) % 24 * 60), None
        return None, ("time_invalid", {"text": _text(value)})
    text = _text(value).lower()
    match = _TIME.match(text)
    if not match:
        return None, ("time_invalid", {"text": text})
    hours, minutes = int(match[1]), int(match[2] or 0)
    if hours > 24 or (hours == 24 and minutes):
        return None, ("time_invalid", {"text": text})
    return float(hours % 24 * 60 + minutes), None


_YES = {"si", "s", "yes", "y", "1", "x", "true", "vero", "ok"}
_NO = {"no", "n", "0", "false", "falso", "", "-"}


def _yes_no(value: Any) -> Parsed:
    """True for sì/si/yes/y/1/x/true, False for no/n/0/false/empty."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value), None
    key = normalise(_text(value))
    if key in _YES:
        return True, None
    if key in _NO:
        return False, None
    return None, ("bool_invalid", {"text": _text(value)})


# Short forms seen in staff lists, besides each office's id and name.
SITE_ALIASES = {"iv": "ivrea", "at": "asti", "to": "torino", "turin": "torino"}


def _site_aliases(sites: Mapping[str, Site]) -> tuple[dict[str, str], set[str]]:
    """Texts naming each closing office (id, name, 'IV'/'AT'), and those naming the destination."""
    names = {normalise(s.id): s.id for s in sites.values()}
    names.update({normalise(s.name): s.id for s in sites.values()})
    names.update({alias: site_id for alias, site_id in SITE_ALIASES.items() if site_id in sites})
    closing = {text: site_id for text, site_id in names.items() if not sites[site_id].is_destination}
    return closing, {text for text, site_id in names.items() if sites[site_id].is_destination}


def _closing_names(sites: Mapping[str, Site]) -> str:
    return " / ".join(sorted(s.name for s in sites.values() if not s.is_destination))


def _site_parser(sites: Mapping[str, Site]) -> Callable[[Any], Parsed]:
    closing, destination = _site_aliases(sites)
    choices = _closing_names(sites)
    filler = {"sede", "di", "ufficio", "office", "site", "konecta"}

    def parse(value: Any) -> Parsed:
        text = _text(value)
        if not text:
            return None, ("site_missing", {})
        words = [w for w in normalise(re.sub(r"\([A-Za-z]{2}\)\s*$", "", text)).split() if w not in filler]
        key = " ".join(words)
        if key in closing:
            return closing[key], None
        if key in destination:
            return None, ("site_not_closing", {"text": text})
        return None, ("site_unknown", {"text": text, "choices": choices})
    return parse


# --------------------------------------------------------------------------- the home comune


def _labels(places: list[Place], limit: int) -> str:
    shown = ", ".join(p.label for p in places[:limit])
    return shown + (f", … (+{len(places) - limit})" if len(places) > limit else "")


def _suggestions(places: list[Place]) -> dict[str, str]:
    if not places:
        return {"it": "", "en": ""}
    shown = ", ".join(p.label for p in places[:MAX_SUGGESTIONS_SHOWN])
    return {"it": f" (forse: {shown})", "en": f" (did you mean: {shown})"}


def _candidates_for(kind: str, text: str, gazetteer: Gazetteer) -> tuple[list[Place] | None, tuple | None]:
    """The comuni one home cell can mean (a list) or the problem with it."""
    digits = text.isdigit()
    if kind == "istat" or (digits and len(text) == 6 and kind != "cap"):   # six digits in a CAP column: a bad CAP
        code = text.zfill(6) if digits and len(text) <= 6 else text   # Excel drops leading zeros
        try:
            return [gazetteer.by_istat(code)], None
        except UnknownPlace:
            return None, ("istat_unknown", {"text": text})
    if kind == "cap" or digits:
        if not re.fullmatch(r"\d{5}", text):
            return None, ("cap_invalid", {"text": text})
        places = sorted(gazetteer.by_cap(text), key=lambda p: -p.population)
        return (places, None) if places else (None, ("cap_unknown", {"text": text}))
    try:
        return [gazetteer.resolve(text)], None
    except AmbiguousPlace as exc:
        return list(exc.candidates), None
    except UnknownPlace as exc:
        return None, ("town_unknown", {"text": text, "suggestions": _suggestions(list(exc.candidates))})


_KEY_SEPARATOR = "\x1f"   # joins a row's town, CAP and ISTAT cells into one key (a control character no cell holds)


def _resolve_home(key: tuple[str, str, str], gazetteer: Gazetteer) -> Parsed:
    """The ISTAT code meant by a (town, CAP, ISTAT) triple, using every part given and guessing none."""
    given = [(kind, text) for kind, text in zip(HOME_FIELDS, key) if text]
    if not given:
        return None, ("home_missing", {})
    sets = []
    for kind, text in given:
        places, problem = _candidates_for(kind, text, gazetteer)
        if problem:
            return None, problem
        sets.append((kind, text, places))
    common = [p for p in sets[0][2] if all(p in s[2] for s in sets[1:])]
    if len(common) == 1:
        return common[0].istat, None
    if not common:
        return None, ("home_conflict", {"given": " ≠ ".join(f"{text} → {_labels(places, 3)}"
                                                          for _, text, places in sets)})
    kind, text, _ = sets[0]
    if kind == "cap" and len(sets) == 1:
        return None, ("cap_ambiguous", {"text": text, "count": len(common),
                                        "candidates": _labels(common, MAX_CANDIDATES_SHOWN)})
    return None, ("town_ambiguous", {"text": text, "count": len(common), "example": common[0].label,
                                     "candidates": _labels(common, MAX_CANDIDATES_SHOWN)})


# --------------------------------------------------------------------------- read_roster


def _detect_decimal(table: _Table, found: dict[str, int], default: str) -> str:
    """',' or '.' from the numbers that can only be read one way; `default` when none can."""
    votes = {",": 0, ".": 0}
    for name in ("hours_per_day", "hours_per_week", "days_per_week", *MONEY_FIELDS, *COUNT_FIELDS):
        if name not in found:
            continue
        cells = [row[found[name]] for row in table.rows]
        # The first distinct values settle it; a column of 10,000 different pays need not be read through.
        for cell in pd.unique(pd.Series(cells, dtype=object))[:DECIMAL_EVIDENCE_VALUES]:
            if isinstance(cell, str):
                evidence = _separator_evidence(cell)
                if evidence:
                    votes[evidence] += 1
    if votes[","] == votes["."]:
        return default
    return "," if votes[","] > votes["."] else "."


def _fmt(value: float) -> dict[str, str]:
    """A number as each language writes it: 6,5 and 6.5."""
    text = f"{value:g}"
    return {"it": text.replace(".", ","), "en": text}


_PAY_HINT = {"it": " (mensile, in euro: 1.100 e non 1,1; non annuale)",
             "en": " (monthly, in euros: 1,100 not 1.1; not yearly)"}


def read_roster(data: bytes, filename: str, *, gazetteer: Gazetteer | None = None,
                sites: Mapping[str, Site] | None = None, column_map: Mapping[str, str] | None = None,
                default_site: str | None = None) -> RosterReport:
    """Read and check a roster (CSV or XLSX bytes); see the module docstring for the columns.

    Parameters
    ----------
    data : the uploaded file's bytes (nothing is written to disk).
    filename : its name, only used to tell .xlsx from .csv when the bytes do not.
    column_map : optional header -> field choices for headers the synonyms do not know,
        e.g. {"Paese": "home_text"}; fields are the keys of `HEADER_SYNONYMS`.
    default_site : office id for a roster without an office column (all from one office).

    Raises
    ------
    RosterError when the file as a whole cannot be read (format, encoding, header, missing
    columns); problems with single rows never raise, they are reported in `rejected`.
    """
    gazetteer = gazetteer or default_gazetteer()
    sites = sites or load_sites()
    if default_site is not None and (default_site not in sites or sites[default_site].is_destination):
        raise RosterError("site_unknown", text=default_site, choices=_closing_names(sites))
    table = _read_table(data, filename)
    found, ignored = _map_columns(table.header, column_map)
    _check_required(found, default_site)
    # Only "1.100"-like cells need this: ';' (and an Excel sheet's text cells) come from an Italian
    # Excel, which writes decimal commas; a ','-separated file cannot hold an unquoted decimal comma.
    default_decimal = "," if table.detected.get("delimiter") in (";", "\t", None) else "."
    table.detected["decimal"] = _detect_decimal(table, found, default_decimal)
    columns = _Columns(table, found)
    columns.check_width()
    columns.home(gazetteer)
    columns.site(sites, default_site)
    columns.hours_and_days()
    columns.money()
    columns.counts()
    columns.yes_no()
    columns.shifts()
    rejected, bad = _collect(columns.problems, table.lines, len(table.rows), table.header)
    workers = pd.DataFrame({c: columns.out[c] for c in WORKER_COLUMNS})[~bad].reset_index(drop=True)
    workers["line"] = workers["line"].astype("Int64")
    optional_absent = [f for f in OPTIONAL_FIELDS if f not in found]
    return RosterReport(workers=workers, rejected=rejected, warnings=_shift_warnings(workers, columns.header),
                        rows_read=len(table.rows) + table.empty, rows_empty=table.empty, columns=columns.header,
                        ignored_columns=ignored, defaults_used=optional_absent, detected=table.detected)


class _Columns:
    """The model's columns built from the table, and per column the problem of each row (or None)."""

    def __init__(self, table: _Table, found: dict[str, int]) -> None:
        self.table, self.found, self.n = table, found, len(table.rows)
        self.decimal = table.detected["decimal"]
        self.header = {f: table.header[i] for f, i in found.items()}
        self.out: dict[str, np.ndarray] = {"line": np.array(table.lines, dtype=int),
                                           "modelled": np.zeros(self.n, dtype=bool)}
        self.problems: list[tuple[str, np.ndarray]] = []   # (column header, per-row problem or None)

    def cells(self, name: str) -> np.ndarray | None:
        if name not in self.found:
            return None
        index = self.found[name]
        return np.array([row[index] for row in self.table.rows], dtype=object)

    def flag(self, column: str, rows: np.ndarray, problem: Callable[[int], tuple]) -> None:
        """Record `problem(i)` for each row index i in `rows` (only the flagged rows are visited)."""
        per_row = np.full(self.n, None, dtype=object)
        for i in rows:
            per_row[i] = problem(i)
        self.problems.append((column, per_row))

    def check_width(self) -> None:
        """Rows wider than the header: usually a decimal comma that split a cell."""
        widths, expected = np.array(self.table.widths, dtype=int), len(self.table.header)
        self.flag("", np.flatnonzero(widths > expected),
                  lambda i: ("too_many_fields", {"found": int(widths[i]), "expected": expected}))

    def home(self, gazetteer: Gazetteer) -> None:
        parts = []
        for name in HOME_FIELDS:
            cells = self.cells(name)
            parts.append(np.full(self.n, "", dtype=object) if cells is None else
                         np.array([_text(c).replace(_KEY_SEPARATOR, " ") for c in cells], dtype=object))
        keys = parts[0] + _KEY_SEPARATOR + parts[1] + _KEY_SEPARATOR + parts[2]
        self.out["home_istat"], problem = _per_distinct(
            keys, lambda k: _resolve_home(tuple(k.split(_KEY_SEPARATOR)), gazetteer))
        self.problems.append((" / ".join(self.header[f] for f in HOME_FIELDS if f in self.header), problem))

    def site(self, sites: Mapping[str, Site], default_site: str | None) -> None:
        cells = self.cells("site")
        if cells is None:
            self.out["site"] = np.full(self.n, default_site, dtype=object)
            return
        self.out["site"], problem = _per_distinct(cells, _site_parser(sites))
        self.problems.append((self.header["site"], problem))

    def number(self, field_name: str, parse: Callable[[Any, str], Parsed], low: float, high: float,
               low_open: bool = False, hint: dict | None = None) -> np.ndarray:
        """A numeric column with its parse and range problems recorded."""
        values, problem = _per_distinct(self.cells(field_name), lambda v: parse(v, self.decimal), float)
        column = self.header[field_name]
        self.problems.append((column, problem))
        with np.errstate(invalid="ignore"):
            outside = ((values <= low) if low_open else (values < low)) | (values > high)
        self.flag(column, np.flatnonzero(outside), lambda i: (
            "out_of_range", {"value": _fmt(values[i]), "low": _fmt(low), "high": _fmt(high),
                             "hint": hint or {"it": "", "en": ""}}))
        return values

    def hours_and_days(self) -> None:
        self.out["days_per_week"] = days = self.number("days_per_week", _number, *DAYS_RANGE)
        if "hours_per_day" in self.found:
            self.out["hours_per_day"] = self.number("hours_per_day", _hours, *HOURS_RANGE, low_open=True)
            return
        # Weekly hours over the days: arithmetic on what was typed, not an estimate.
        weekly = self.number("hours_per_week", _hours, HOURS_RANGE[0], HOURS_RANGE[1] * DAYS_RANGE[1], True)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.out["hours_per_day"] = weekly / days

    def money(self) -> None:
        for name, (low, high) in MONEY_FIELDS.items():
            if name not in self.found:
                self.out[name] = np.full(self.n, np.nan)
                continue
            # An empty pay or toll cell is not a problem: the model's default applies.
            self.out[name] = self.number(name, lambda v, d: _optional(_number(v, d)), low, high,
                                         hint=_PAY_HINT if name in ("net_monthly_eur", "gross_monthly_eur") else None)

    def counts(self) -> None:
        """People: whole numbers; an empty cell takes the model's default."""
        for name, (low, high) in COUNT_FIELDS.items():
            default = float(MODEL_DEFAULTS.get(name, 0))
            if name not in self.found:
                self.out[name] = np.full(self.n, default)
                continue
            values = self.number(name, lambda v, d: _optional(_number(v, d)), low, high)
            fractional = np.isfinite(values) & (values != np.round(values))
            self.flag(self.header[name], np.flatnonzero(fractional),
                      lambda i: ("not_whole", {"value": _fmt(values[i])}))
            self.out[name] = np.where(np.isnan(values), default, values)

    def yes_no(self) -> None:
        for name in BOOL_FIELDS:
            cells = self.cells(name)
            if cells is None:
                self.out[name] = np.full(self.n, bool(MODEL_DEFAULTS[name]))
                continue
            self.out[name], problem = _per_distinct(cells, _yes_no, bool)
            self.problems.append((self.header[name], problem))

    def shifts(self) -> None:
        for name, column in (("shift_start", "shift_start_min"), ("shift_end", "shift_end_min")):
            cells = self.cells(name)
            if cells is None:
                self.out[column] = np.full(self.n, np.nan)
                continue
            self.out[column], problem = _per_distinct(cells, _clock, float)
            self.problems.append((self.header[name], problem))
        start = self.out["shift_start_min"]
        self.flag(self.header.get("shift_start", ""), np.flatnonzero(start == self.out["shift_end_min"]),
                  lambda i: ("shift_same", {"text": _hhmm(start[i])}))


def _optional(parsed: Parsed) -> Parsed:
    return (math.nan, None) if parsed[1] is _MISSING else parsed


def _hhmm(minutes: float) -> str:
    return f"{int(minutes) // 60}:{int(minutes) % 60:02d}"


def _collect(problems: list[tuple[str, np.ndarray]], lines: list[int], n: int,
             header: list[str]) -> tuple[list[RowNote], np.ndarray]:
    """Rejected rows in file order, each with its problems in the file's column order."""
    position = {name: i for i, name in reversed(list(enumerate(header)))}
    problems = sorted(problems, key=lambda p: position.get(p[0].split(" / ")[0], -1))
    bad = np.zeros(n, dtype=bool)
    for _, per_row in problems:
        bad |= pd.notna(per_row)
    rejected = []
    for i in np.flatnonzero(bad):   # only the rejected rows are visited
        found = tuple(Problem(column, *per_row[i]) for column, per_row in problems if per_row[i] is not None)
        rejected.append(RowNote(int(lines[i]), found))
    return rejected, bad


def _shift_warnings(workers: pd.DataFrame, header: dict[str, str]) -> list[RowNote]:
    """Kept rows whose shift is shorter than their daily hours (a split shift, or a typing slip)."""
    start, end = workers["shift_start_min"].to_numpy(), workers["shift_end_min"].to_numpy()
    length = np.mod(end - start, 24 * 60)
    with np.errstate(invalid="ignore"):
        short = length < workers["hours_per_day"].to_numpy() * 60 - 1e-6
    notes = []
    for i in np.flatnonzero(short):
        values = {"start": _hhmm(start[i]), "end": _hhmm(end[i]), "hours": _fmt(workers["hours_per_day"].iloc[i])}
        notes.append(RowNote(int(workers["line"].iloc[i]),
                             (Problem(header.get("shift_start", ""), "shift_shorter_than_hours", values),)))
    return notes


# --------------------------------------------------------------------------- template


_TEMPLATE_HEADERS = {
    "it": ["Comune di residenza", "CAP", "Sede", "Ore al giorno", "Giorni a settimana", "Inizio turno",
           "Fine turno", "Netto mensile (€)", "Lordo mensile (€)", "Auto disponibile", "Seconda auto",
           "Autostrada", "Pedaggi al giorno (€)", "Persone in famiglia", "Affitto o mutuo (€)",
           "Figli da accudire"],
    "en": ["Home town", "CAP", "Office", "Hours per day", "Days per week", "Shift start", "Shift end",
           "Take-home pay (EUR)", "Gross pay (EUR)", "Car available", "Second car", "Motorway",
           "Tolls per day (EUR)", "Household size", "Rent or mortgage (EUR)", "Children needing care"],
}
_TEMPLATE_ROWS = {
    "it": [["Strambino", "10019", "Ivrea", "6", "5", "9:00", "15:00", "820,50", "", "sì", "no", "sì", "", "3", "450",
            "1"],
           ["San Damiano d'Asti", "14015", "Asti", "4", "5", "14:00", "18:00", "", "", "sì", "no", "no", "4,80", "",
            "", ""]],
    "en": [["Strambino", "10019", "Ivrea", "6", "5", "9:00", "15:00", "820.50", "", "yes", "no", "yes", "", "3", "450",
            "1"],
           ["San Damiano d'Asti", "14015", "Asti", "4", "5", "14:00", "18:00", "", "", "yes", "no", "no", "4.80", "",
            "", ""]],
}


def template_csv(lang: str = "it") -> bytes:
    """A roster template with two example rows.

    Italian: ';' and decimal commas in UTF-8 with a BOM, which Italian Excel opens as
    columns with accents intact; English: ',' and decimal points.
    """
    if lang not in _TEMPLATE_HEADERS:
        raise ValueError(f"unknown language '{lang}'; choose one of {', '.join(LANGUAGES)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "it" else ",", lineterminator="\r\n")
    writer.writerow(_TEMPLATE_HEADERS[lang])
    writer.writerows(_TEMPLATE_ROWS[lang])
    return buffer.getvalue().encode("utf-8-sig" if lang == "it" else "utf-8")


# --------------------------------------------------------------------------- modelled workforce

ISTAT_BANDS = (("up_to_15_min", 0, 15), ("from_16_to_30_min", 15, 30), ("from_31_to_45_min", 30, 45),
               ("over_45_min", 45, math.inf))   # (parameter, above [min], up to [min])


def _value(params: Parameters, path: str, on: dt.date) -> float:
    return float(params.value(f"workforce.{path}", on))


def gravity_weights(sites: Mapping[str, Site], gazetteer: Gazetteer, params: Parameters, on: dt.date, *,
                    decay_per_minute: float | None = None, max_minutes: float | None = None) -> pd.DataFrame:
    """Expected workers of each closing office by home comune: a gravity model, not data.

    weight = population x exp(-decay x minutes) for comuni within `max_minutes` by car
    (offline estimate, one way, at least `min_minutes`); each office's headcount is shared
    in proportion to the weights and rounded to whole workers by largest remainder.
    `decay_per_minute` [1/min] and `max_minutes` [min] replace the parameters when given.

    Columns: site, home_istat, population, minutes [min, one way], weight,
    expected_workers (fractional), workers (whole); only comuni with a weight are listed.
    """
    decay = _value(params, "gravity.decay_per_minute", on) if decay_per_minute is None else decay_per_minute
    radius = _value(params, "gravity.max_minutes", on) if max_minutes is None else max_minutes
    floor = _value(params, "gravity.min_minutes", on)
    if decay < 0 or radius <= floor:
        raise ParameterError(f"gravity model: decay {decay} must be >= 0 and max_minutes {radius} above {floor}")
    car = load_model(params, on)
    places = gazetteer.places
    lat = np.array([p.lat for p in places])
    lon = np.array([p.lon for p in places])
    population = np.array([p.population for p in places], dtype=float)
    frames = []
    for site in (s for s in sites.values() if not s.is_destination):
        minutes = np.maximum(estimate(car, lat, lon, site.lat, site.lon).minutes, floor)
        weight = np.where(minutes <= radius, population * np.exp(-decay * minutes), 0.0)
        keep = weight > 0
        expected = site.headcount * weight[keep] / weight[keep].sum()
        frame = pd.DataFrame({"site": site.id, "home_istat": [p.istat for p, k in zip(places, keep) if k],
                              "population": population[keep].astype(int), "minutes": minutes[keep],
                              "weight": weight[keep], "expected_workers": expected})
        frame["workers"] = _largest_remainder(expected, site.headcount, tiebreak=-frame["population"].to_numpy())
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _largest_remainder(expected: np.ndarray, total: int, tiebreak: np.ndarray) -> np.ndarray:
    """Whole numbers adding up to `total`, each the floor of `expected` or one more (Hamilton)."""
    whole = np.floor(expected).astype(int)
    left = int(total - whole.sum())
    order = np.lexsort((tiebreak, -(expected - whole)))   # biggest remainder first, then the tie-break
    whole[order[:left]] += 1
    return whole


def hours_mix(params: Parameters, on: dt.date) -> dict[float, float]:
    """Share of workers by hours a day: the part-timers over 4, 5, 6 h, the rest full-time."""
    part_time = _value(params, "profile.part_time_share", on)
    split = {h: _value(params, f"profile.part_time_{h}h_share", on) for h in (4, 5, 6)}
    if not 0 <= part_time <= 1 or abs(sum(split.values()) - 1) > 1e-3:
        raise ParameterError("workforce.profile: part_time_share must be within 0-1 and the 4/5/6 h shares add to 1")
    mix = {float(h): part_time * s / sum(split.values()) for h, s in split.items()}
    mix[float(FULL_TIME_HOURS)] = 1 - part_time
    return mix


def modelled_workforce(sites: Mapping[str, Site], gazetteer: Gazetteer, params: Parameters, on: dt.date,
                       seed: int = 0, *, decay_per_minute: float | None = None,
                       max_minutes: float | None = None) -> pd.DataFrame:
    """A workforce for when there is no roster: one row per modelled worker, `modelled=True`.

    Homes come from `gravity_weights`; hours a day follow `hours_mix` exactly per office
    (whole workers by largest remainder), and `seed` only decides which modelled worker
    gets which hours, so the same seed always gives the same table. Days a week are the
    profile's; pay, car, tolls, shifts, household and housing are left to the model's
    defaults (a shift from 09:00, a car, a household of two, no children to look after).
    """
    homes = gravity_weights(sites, gazetteer, params, on, decay_per_minute=decay_per_minute,
                            max_minutes=max_minutes)
    mix = hours_mix(params, on)
    classes = np.array(sorted(mix))
    rng = np.random.default_rng(seed)
    parts = []
    for site_id, group in homes.groupby("site", sort=False):
        n = int(group["workers"].sum())
        counts = _largest_remainder(n * np.array([mix[h] for h in classes]), n, tiebreak=-classes)
        parts.append(pd.DataFrame({"site": site_id,
                                   "home_istat": np.repeat(group["home_istat"].to_numpy(), group["workers"]),
                                   "hours_per_day": rng.permutation(np.repeat(classes, counts))}))
    workers = pd.concat(parts, ignore_index=True)
    n = len(workers)
    workers["days_per_week"] = _value(params, "profile.days_per_week", on)
    for name in ("net_monthly_eur", "gross_monthly_eur", "tolls_eur_per_day", "shift_start_min", "shift_end_min",
                 "housing_now_eur_month"):
        workers[name] = np.full(n, np.nan)
    for name in BOOL_FIELDS:
        workers[name] = np.full(n, bool(MODEL_DEFAULTS[name]))
    for name in COUNT_FIELDS:
        workers[name] = np.full(n, float(MODEL_DEFAULTS.get(name, 0)))
    workers["line"] = pd.array([pd.NA] * n, dtype="Int64")
    workers["modelled"] = True
    workers = workers[list(WORKER_COLUMNS)]
    workers.attrs["modelled"] = True
    return workers


def commute_time_shares(homes: pd.DataFrame) -> dict[str, float]:
    """Share of modelled workers in each of ISTAT's commuting-time bands, from `gravity_weights`."""
    expected = homes["expected_workers"].to_numpy()
    minutes = homes["minutes"].to_numpy()
    total = expected.sum()
    return {name: float(expected[(minutes > low) & (minutes <= high)].sum() / total)
            for name, low, high in ISTAT_BANDS}
