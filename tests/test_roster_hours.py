"""Hours in rosters (issue 14, finding 9): a fraction of a day, and the '7.30' against '4:30' rule.

Before: an XLSX hours cell 0.25 (6:00 stored as a fraction of a day) was kept as 0.25 h a day
(value of time 6,435 € a month), and "7.30" was read as 7.3 h while "4:30" was 4.5.
"""

import datetime as dt
import io

from openpyxl import Workbook

from impact.roster import read_roster

HEADER = ["Comune", "Sede", "Ore al giorno", "Giorni a settimana"]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_hours_cell_under_one_is_a_fraction_of_a_day():
    report = read_roster(xlsx([["Ivrea", "Ivrea", 0.25, 5], ["Ivrea", "Ivrea", dt.time(4, 30), 5]]), "r.xlsx")
    assert report.workers["hours_per_day"].tolist() == [6.0, 4.5]


def test_two_digits_after_the_separator_are_refused_with_both_readings():
    data = "Comune;Sede;Ore al giorno;Giorni a settimana\nIvrea;Ivrea;7.30;5\nIvrea;Ivrea;4:30;5\nIvrea;Ivrea;7,5;5\n" \
           "Ivrea;Ivrea;6,00;5\n"
    report = read_roster(data.encode(), "r.csv")
    assert report.workers["hours_per_day"].tolist() == [4.5, 7.5, 6.0]
    assert [r.line for r in report.rejected] == [2]
    reason = report.rejected[0].reason("it")
    assert "«7.30» può voler dire 7:30 (ore e minuti) o 7,30 ore" in reason
