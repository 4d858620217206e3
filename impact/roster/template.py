"""The roster template a union representative downloads: the known headers and two example rows."""

from __future__ import annotations

import csv
import io

from impact.roster.messages import LANGUAGES

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
