"""Reading a roster's first sheet from .xlsx bytes with bounded memory and time.

A workbook is a zip of XML parts, and its bytes say little about what it holds: 354 KB can
describe 20,000 rows each padded to 16,384 cells, 1 MB of shared strings can unzip to 500 MB.
So, before anything is parsed, the package is checked against `impact.limits` (parts, the
decompressed size of every part and of the shared strings, sheets, the declared used range).
Then the sheet's row and cell elements are counted in its bytes as they unzip (plain byte
counts), and a sheet over the row limit or the cell cap is refused before a cell is parsed:
parsing costs some 20 microseconds a cell, so 5 million empty cells took 86 s to refuse, and
680,000 honest rows 25 s. Then the sheet is streamed one cell at a time (openpyxl's cell parser
over a defused ``iterparse``, each element dropped once read; an empty cell only moves the column
on), and reading stops at the first cell beyond the column limit, the first row beyond the row
limit or the cell cap, since a sheet can number its rows beyond its count of them. XML entity
tricks (billion laughs, external entities) are refused by defusedxml, which openpyxl uses when
it is installed (pinned in requirements.txt; tests/test_hostile.py checks it is in use).

Errors are `WorkbookError`s with a code and values; `impact.roster` turns them into its
`RosterError` so every face words them from the catalogue.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from impact import limits
from impact.errors import WorkbookError

_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
# The sheet's root element, with the namespace prefix its cells carry (most writers use none).
_SHEET_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_UNZIP_CHUNK_BYTES = 1 << 20
_ROOT_WITHIN_BYTES = 1 << 16   # the root element is within a sheet's first bytes, after its XML declaration
# A password-protected workbook is an OLE2 compound file holding this stream (name in UTF-16).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"


def is_encrypted_workbook(data: bytes) -> bool:
    """True for an OLE2 file holding an encrypted Office package (a password-protected .xlsx)."""
    return data.startswith(OLE2_SIGNATURE) and _ENCRYPTED_STREAM in data[:1_000_000]


def check_package(package: zipfile.ZipFile) -> None:
    """Refuse a package whose parts, decompressed sizes or sheet count exceed `impact.limits`.

    The sizes are those the zip's directory declares; Python's zipfile never inflates a part
    beyond its declared size (it stops there and fails the checksum), so they bound the work.
    """
    parts = package.infolist()
    if len(parts) > limits.MAX_ZIP_PARTS:
        raise WorkbookError(code="xlsx_parts", found=len(parts), limit=limits.MAX_ZIP_PARTS)
    unzipped = sum(p.file_size for p in parts)
    if unzipped > limits.MAX_UNZIPPED_BYTES:
        raise WorkbookError(code="xlsx_unzipped", size=limits.megabytes(unzipped),
                            limit=limits.megabytes(limits.MAX_UNZIPPED_BYTES))
    strings = sum(p.file_size for p in parts if p.filename.lower().endswith("sharedstrings.xml"))
    if strings > limits.MAX_SHARED_STRINGS_BYTES:
        raise WorkbookError(code="xlsx_shared_strings", size=limits.megabytes(strings),
                            limit=limits.megabytes(limits.MAX_SHARED_STRINGS_BYTES))
    sheets = sum(1 for p in parts if _SHEET_PART.match(p.filename))
    if sheets > limits.MAX_SHEETS:
        raise WorkbookError(code="xlsx_sheets", found=sheets, limit=limits.MAX_SHEETS)


def _refuse_range(rows: int, columns: int, where: str) -> None:
    if rows > limits.MAX_ROWS + 1 or columns > limits.MAX_COLUMNS or rows * columns > limits.MAX_CELLS:
        raise WorkbookError(code="table_range", where=where, rows=limits.count(rows), columns=limits.count(columns),
                            max_rows=limits.count(limits.MAX_ROWS), max_columns=limits.MAX_COLUMNS)


def count_elements(source) -> dict[str, int]:
    """How many row and cell elements (``<row>``, ``<c>``, empty ones included) the sheet part `source`
    (a binary file, read to its end in 1 MB pieces) holds: its bytes counted, not parsed.

    A ``<`` in XML text is always escaped, so each ``<c`` followed by a space, ``>``, ``/>`` or a line
    break opens a cell (and ``<row`` a row); one in a comment or CDATA section is counted too, which can
    only refuse sooner.
    """
    chunk = b""
    while (root := _SHEET_ROOT.search(chunk)) is None and len(chunk) < _ROOT_WITHIN_BYTES:
        piece = source.read(_UNZIP_CHUNK_BYTES)
        if not piece:
            break
        chunk += piece
    prefix = (root.group(1) or b"") if root else b""
    tags = {"rows": b"<" + prefix + b"row", "cells": b"<" + prefix + b"c"}
    openings = {kind: [tag + end for end in (b" ", b">", b"/>", b"\n", b"\r", b"\t")] for kind, tag in tags.items()}
    in_bytes = lambda part, kind: sum(part.count(opening) for opening in openings[kind])  # noqa: E731
    keep = max(len(tag) for tag in tags.values()) + 1   # one byte short of the longest opening
    totals, carry = dict.fromkeys(tags, 0), b""
    while chunk:
        both = carry + chunk
        for kind in tags:   # an opening wholly in `carry` was counted last time
            totals[kind] += in_bytes(both, kind) - in_bytes(carry, kind)
        carry = both[-keep:]
        chunk = source.read(_UNZIP_CHUNK_BYTES)
    return totals


def read_first_sheet(data: bytes) -> tuple[list[list[Any]], list[int], str]:
    """(rows of cell values, each row's number in the sheet, the sheet's title) of the active sheet.

    Values are as openpyxl gives them with ``data_only``: text, numbers, booleans, dates and
    times; rows missing from the XML are empty rows; a row ends at its last cell with a value.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise WorkbookError(code="file_not_xlsx") from None
    with package:
        if "xl/workbook.xml" not in package.namelist():
            raise WorkbookError(code="file_not_xlsx")
        check_package(package)
    try:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
    except ImportError:
        raise WorkbookError(code="xlsx_needs_openpyxl") from None
    # openpyxl's load_workbook, less its worksheet step: that step parses every sheet without a
    # <dimension> to its end, keeping each element, before a single row can be looked at.
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        reader.read_theme()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [(sheet, rel) for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    except Exception as exc:   # openpyxl raises many kinds for a damaged file; all mean "cannot open"
        reader.archive.close()
        raise WorkbookError(code="file_xlsx_unreadable", detail=type(exc).__name__) from None
    try:
        if not sheets:
            raise WorkbookError(code="file_xlsx_unreadable", detail="no sheet")
        active = getattr(reader.wb, "_active_sheet_index", 0) or 0
        sheet, rel = sheets[active] if 0 <= active < len(sheets) else sheets[0]
        with reader.archive.open(rel.target) as source:
            found = count_elements(source)
        # Row numbers only grow, so more row elements than the limit means a row beyond it.
        if found["rows"] > limits.MAX_ROWS + 1:
            raise WorkbookError(code="xlsx_rows", sheet=sheet.name, found=limits.count(found["rows"] - 1),
                                limit=limits.count(limits.MAX_ROWS))
        if found["cells"] > limits.MAX_CELL_ELEMENTS:
            raise WorkbookError(code="xlsx_cells", sheet=sheet.name, found=limits.count(found["cells"]),
                                limit=limits.count(limits.MAX_CELL_ELEMENTS))
        with reader.archive.open(rel.target) as source:
            rows = _stream_cells(source, reader.shared_strings, reader.wb, sheet.name)
        return rows, list(range(1, len(rows) + 1)), sheet.name
    except WorkbookError:
        raise
    except Exception as exc:   # a part that fails half-way (damaged XML, a bomb refused by defusedxml)
        raise WorkbookError(code="file_xlsx_unreadable", detail=type(exc).__name__) from None
    finally:
        reader.archive.close()


def _stream_cells(source, shared_strings: list, book, title: str) -> list[list[Any]]:
    """The sheet's cell values row by row, one XML element at a time, within the limits.

    The sheet's declared used range (<dimension>) is refused first when it is over the limits;
    the cells are then counted as they come, since a declared range can be wrong.
    """
    from openpyxl.utils import coordinate_to_tuple, get_column_letter, range_boundaries
    from openpyxl.worksheet._reader import CELL_TAG, DIMENSION_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    rows: list[list[Any]] = []
    widest = 0
    parser = WorkSheetParser(source, shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    parents: list = []
    row: list[Any] = []
    number = parsed = 0
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            parents.append(element)
            if element.tag == ROW_TAG:
                number = int(element.get("r") or number + 1)
                parser.row_counter, parser.col_counter = number, 0
                if number > limits.MAX_ROWS + 1:
                    _refuse_range(number, widest, f"{title}!A{number}")
                row = []
            continue
        parents.pop()
        if element.tag == DIMENSION_TAG and not rows:
            low_column, low_row, high_column, high_row = range_boundaries(element.get("ref", "A1"))
            _refuse_range((high_row or 1) - (low_row or 1) + 1, (high_column or 1) - (low_column or 1) + 1,
                          element.get("ref", ""))
        if element.tag == CELL_TAG:
            parsed += 1
            if parsed > limits.MAX_CELL_ELEMENTS:
                _refuse_range(max(number, 1), max(parser.col_counter, limits.MAX_COLUMNS + 1), f"{title}!A{number}")
            if not len(element):   # no value, formula or text inside: a style only, the next cell's place
                where = element.get("r")   # read as parse_cell reads it
                parser.col_counter = coordinate_to_tuple(where)[1] if where else parser.col_counter + 1
                cell = {"value": None}
            else:
                cell = parser.parse_cell(element)
            if cell["value"] is not None and cell["value"] != "":
                column = cell["column"]
                if column > limits.MAX_COLUMNS:
                    _refuse_range(number, column, f"{get_column_letter(min(column, 16_384))}{number}")
                row.extend([None] * (column - len(row)))
                row[column - 1] = cell["value"]
        elif element.tag == ROW_TAG:
            while len(rows) < number - 1:      # rows left out of the XML are empty rows
                rows.append([])
            rows.append(row)
            widest = max(widest, len(row))
            if len(rows) * widest > limits.MAX_CELLS:
                _refuse_range(len(rows), widest, f"{title}!A{number}")
        if element.tag in (CELL_TAG, ROW_TAG) or len(parents) == 1:
            parents[-1].remove(element)   # drop what was read: memory stays one cell deep
    return rows
