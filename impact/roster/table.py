"""Reading a roster's bytes: CSV (any separator, UTF-8 or Windows-1252) or XLSX, down to a header and rows."""

from __future__ import annotations

import codecs
import csv
import io
import math
from dataclasses import dataclass
from typing import Any

from impact import limits
from impact.errors import RosterError, WorkbookError
from impact.roster.columns import HEADER_SEARCH_ROWS, _header_key, _SYNONYM_INDEX
from impact.xlsx import OLE2_SIGNATURE, is_encrypted_workbook, read_first_sheet


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
