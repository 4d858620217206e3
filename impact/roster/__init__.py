"""Rosters: read and check a union's anonymised roster (CSV or Excel).

A union representative exports a roster from whatever they have: Excel in Italian
(``;``, decimal commas, Windows-1252), a CSV in UTF-8, an ``.xlsx``. `read_roster`
reads any of these and returns a `RosterReport`: the workers as `evaluate()` takes
them, and every row it could not use, with its line number and a coded reason that the
catalogue words in Italian and English (``impact/locales/<lang>/roster.yaml``). Nothing is
guessed: a town that matches several comuni, or a time like "7.30", is a rejection that says
what to write instead; an empty line is counted, not rejected. Only the columns the model
uses are kept, so names, staff numbers and addresses never leave the uploaded bytes (they
are listed, by header, in `ignored_columns`).

The package, one job a module:

    columns    the worker table's columns, the header synonyms, the accepted ranges
    table      bytes -> header and rows (CSV sniffing, encodings, XLSX within the limits)
    cells      one cell -> a value or a coded problem (numbers, hours, times, yes/no, office, comune)
    reader     `read_roster`, `RosterReport`, `Problem`, `RowNote`
    messages   codes -> sentences, from the locale catalogue
    template   the downloadable template

The modelled workforce (a gravity model, used when there is no roster) is `impact.workforce`;
its names are also importable from here.

Columns of `RosterReport.workers` (and of `impact.workforce.modelled_workforce`), one row per worker:

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
"""

from __future__ import annotations

from impact.errors import RosterError
from impact.roster.cells import (SITE_ALIASES, _candidates_for, _clock, _hours, _number, _resolve_home, _site_parser,
                                 _yes_no)
from impact.roster.columns import (BOOL_FIELDS, CHILDREN_RANGE, COUNT_FIELDS, DAYS_RANGE, GROSS_RANGE,
                                   HEADER_SYNONYMS, HOURS_RANGE, HOUSEHOLD_RANGE, HOUSING_RANGE, MONEY_FIELDS,
                                   NET_RANGE, OPTIONAL_FIELDS, REQUIRED_FIELDS, TOLLS_RANGE,
                                   WORKER_COLUMNS)
from impact.roster.messages import LANGUAGES, message
from impact.roster.reader import Problem, RosterReport, RowNote, read_roster
from impact.roster.template import template_csv

# The workforce model imports this package's columns, so its names are found on first use.
_WORKFORCE = ("ISTAT_BANDS", "commute_time_shares", "gravity_weights", "hours_mix", "modelled_workforce")


def __getattr__(name: str):
    if name in _WORKFORCE:
        from impact import workforce

        return getattr(workforce, name)
    raise AttributeError(f"module 'impact.roster' has no attribute '{name}'")


__all__ = ["BOOL_FIELDS", "CHILDREN_RANGE", "COUNT_FIELDS", "DAYS_RANGE", "GROSS_RANGE", "HEADER_SYNONYMS",
           "HOURS_RANGE", "HOUSEHOLD_RANGE", "HOUSING_RANGE", "LANGUAGES", "MONEY_FIELDS", "NET_RANGE",
           "OPTIONAL_FIELDS", "REQUIRED_FIELDS", "SITE_ALIASES", "TOLLS_RANGE", "WORKER_COLUMNS", "Problem",
           "RosterError", "RosterReport", "RowNote", "message", "read_roster", "template_csv",
           "_candidates_for", "_clock", "_hours", "_number", "_resolve_home", "_site_parser", "_yes_no",
           *_WORKFORCE]
