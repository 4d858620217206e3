"""Per-worker tables to files, streamed: bounded memory for a roster of any allowed size.

openpyxl's write-only mode writes each row as it comes instead of holding a cell object per
value (a 200,000-row workbook built the ordinary way took 5.7 GB); CSV is for Italian Excel
(';', decimal comma, UTF-8 with a BOM). Text a spreadsheet would run as a formula is made
inert in both (`impact.report.safe_cell`).
"""

from __future__ import annotations

import io
from typing import IO, Callable

import pandas as pd

from impact.report import _plain, safe_cell


def inert(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell a spreadsheet would run as a formula made inert (`safe_cell`)."""
    table = table.copy()
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(safe_cell)
    return table


def append_rows(sheet, table: pd.DataFrame) -> None:
    """The header and every row of `table` onto a (write-only) sheet, values as plain Python."""
    sheet.append([str(c) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        sheet.append([safe_cell(_plain(v)) for v in row])


def stream_xlsx(target: str | IO[bytes], sheets: dict[str, pd.DataFrame],
                finish: Callable[[object], None] | None = None) -> None:
    """Write `sheets` (name -> table) as a workbook to a path or a binary file, row by row;
    `finish(book)` may append more (write-only) sheets before it is saved."""
    from openpyxl import Workbook  # only exports need it

    book = Workbook(write_only=True)
    for name, table in sheets.items():
        append_rows(book.create_sheet(name), table)
    if finish is not None:
        finish(book)
    book.save(target)


CSV_CHUNK_ROWS = 20_000   # rows converted to text at a time: the text of the whole table never sits in memory twice


def write_csv(target: IO[bytes], table: pd.DataFrame) -> None:
    """The table as CSV for Italian Excel (';', decimal comma, UTF-8 with a BOM, formulas inert), in chunks."""
    target.write("\ufeff".encode("utf-8"))
    for start in range(0, max(len(table), 1), CSV_CHUNK_ROWS):
        chunk = inert(table.iloc[start:start + CSV_CHUNK_ROWS])
        target.write(chunk.to_csv(sep=";", decimal=",", index=False, header=start == 0).encode("utf-8"))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """`write_csv` into bytes, for a download button."""
    buffer = io.BytesIO()
    write_csv(buffer, table)
    return buffer.getvalue()
