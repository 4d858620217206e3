"""Limits on what a roster file may hold, checked before any work starts (README, "Limits").

One table for the server, the browser's uploader and the command line. They bound the
memory a file can make the server use: a cell costs about 60 bytes once read, so the cell cap
keeps a roster's reading under about 250 MB whatever its bytes say.
"""

from __future__ import annotations

MAX_FILE_BYTES = 10_000_000          # [bytes] 10 MB as the browser counts it (decimal), checked again on the server
MAX_ROWS = 200_000                   # [rows] below the header
MAX_COLUMNS = 100                    # [columns] used by the data (a cell beyond them refuses the file)
MAX_CELLS = 4_000_000                # [cells] rows x columns actually used
MAX_CELL_ELEMENTS = 4_000_000        # [cells] of an .xlsx parsed, empty ones included (bounds the time)
MAX_SHEETS = 50                      # [sheets] in one workbook
MAX_UNZIPPED_BYTES = 250_000_000     # [bytes] every part of an .xlsx once decompressed
MAX_SHARED_STRINGS_BYTES = 40_000_000  # [bytes] the shared-strings part decompressed (read whole by openpyxl)
MAX_ZIP_PARTS = 1_000                # [parts] files inside an .xlsx package
MAX_EXPORT_ROWS = 20_000             # [rows] above this the page offers CSV instead of the workbook (45 s to build)


def megabytes(size: int) -> str:
    """Bytes as decimal megabytes for messages: 10000000 -> '10'."""
    return f"{size / 1_000_000:g}"


def count(value: int) -> dict[str, str]:
    """A count as each language writes it, for messages: {'it': '200.000', 'en': '200,000'}."""
    english = f"{value:,}"
    return {"it": english.replace(",", "."), "en": english}
