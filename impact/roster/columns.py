"""The roster's columns: the worker table it gives, the headers it knows, the ranges it accepts."""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping

from impact.errors import RosterError
from impact.validation import WORKER_RANGES

WORKER_COLUMNS = ("line", "home_istat", "site", "hours_per_day", "days_per_week", "net_monthly_eur",
                  "gross_monthly_eur", "has_car", "second_car", "uses_motorway", "tolls_eur_per_day",
                  "shift_start_min", "shift_end_min", "household_size", "housing_now_eur_month",
                  "children_needing_care", "dependant_passes", "modelled")

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
                              field=target)
        found[target] = index
    # Daily hours win; weekly hours are only read (and divided by the days) without them.
    if "hours_per_day" in found and "hours_per_week" in found:
        ignored.append(header[found.pop("hours_per_week")])
    return found, ignored


def _check_required(found: dict[str, int], default_site: str | None) -> None:
    missing = []
    if not any(f in found for f in HOME_FIELDS):
        missing.append("home")
    if "site" not in found and default_site is None:
        missing.append("site")
    if "hours_per_day" not in found and "hours_per_week" not in found:
        missing.append("hours_per_day")
    if "days_per_week" not in found:
        missing.append("days_per_week")
    if missing:
        raise RosterError("missing_columns", fields=missing)
