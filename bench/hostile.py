"""Hostile workbooks and odd inputs, built byte by byte: the attacks of issue 14 as files.

Used by tests/test_hostile.py (each attack, with the peak memory of a child process that reads
it) and by bench/fuzz.py. The workbooks are minimal but valid .xlsx packages (the parts
openpyxl needs), written here so that their structure is exactly the attack's.
"""

from __future__ import annotations

import io
import zipfile

HEADER = ("Comune", "Sede", "Ore al giorno", "Giorni a settimana")
ROW = ("Strambino", "Ivrea", 6, 5)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '{sheets}'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _column(index: int) -> str:
    """1 -> A, 16384 -> XFD."""
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, values, far_column: int | None = None) -> str:
    cells = "".join(_cell(f"{_column(i + 1)}{number}", v) for i, v in enumerate(values))
    if far_column:
        cells += _cell(f"{_column(far_column)}{number}", "x")
    return f'<row r="{number}">{cells}</row>'


def workbook(sheets: list[str], shared_strings: str = "", *, level: int = 9, repeat: int = 1) -> bytes:
    """An .xlsx package of worksheet XML bodies (the <sheetData> content) and shared strings."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n + 1) for n in range(len(sheets)))))
        package.writestr("_rels/.rels", _ROOT_RELS)
        entries = "".join(f'<sheet name="S{n + 1}" sheetId="{n + 1}" r:id="rId{n + 1}"/>' for n in range(len(sheets)))
        package.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_R}>'
                                            f'<sheets>{entries}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
                       f'2006/relationships/worksheet" Target="worksheets/sheet{n + 1}.xml"/>'
                       for n in range(len(sheets)))
        rels += (f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
                 f'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
        package.writestr("xl/_rels/workbook.xml.rels",
                         '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                         f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for n, body in enumerate(sheets):
            package.writestr(f"xl/worksheets/sheet{n + 1}.xml",
                             f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>{body}</worksheet>')
        with package.open("xl/sharedStrings.xml", "w") as part:   # streamed: a bomb never sits in memory
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}>'.encode())
            chunk = shared_strings.encode()
            for _ in range(repeat):
                part.write(chunk)
            part.write(b"</sst>")
    return buffer.getvalue()


def wide_rows(rows: int = 20_000) -> bytes:
    """Every row holds one cell in the last column (XFD): a reader that pads rows makes 16,384 cells each."""
    body = "".join([_row(1, HEADER)] + [_row(i, ROW, far_column=16_384) for i in range(2, rows + 2)])
    return workbook([f"<sheetData>{body}</sheetData>"])


def huge_dimension(rows: int = 50) -> bytes:
    """A small sheet whose <dimension> claims the whole grid, A1:XFD1048576."""
    body = "".join([_row(1, HEADER)] + [_row(i, ROW) for i in range(2, rows + 2)])
    return workbook([f'<dimension ref="A1:XFD1048576"/><sheetData>{body}</sheetData>'])


def shared_strings_bomb(megabytes: int = 500) -> bytes:
    """A few rows, and a shared-strings part that inflates to `megabytes` MB (one long string, many times)."""
    chunk = "<si><t>" + "A" * 1_000_000 + "</t></si>"
    body = "".join([_row(1, HEADER)] + [_row(2, ROW)])
    return workbook([f"<sheetData>{body}</sheetData>"], chunk, repeat=megabytes)


def many_sheets(count: int = 2_000) -> bytes:
    """A workbook of `count` small sheets."""
    body = f"<sheetData>{_row(1, HEADER)}{_row(2, ROW)}</sheetData>"
    return workbook([body] * count, level=1)


def many_rows(rows: int) -> bytes:
    """A plain, honest workbook of `rows` valid rows (for the row limit)."""
    body = "".join([_row(1, HEADER)] + [_row(i, ROW) for i in range(2, rows + 2)])
    return workbook([f"<sheetData>{body}</sheetData>"])


ATTACKS = {"wide_rows": wide_rows, "huge_dimension": huge_dimension, "shared_strings_bomb": shared_strings_bomb,
           "many_sheets": many_sheets}


def empty_cells(count: int = 20_000_000) -> bytes:
    """One row of `count` empty <c/> elements: nothing to read, everything to parse."""
    return workbook([f"<sheetData>{_row(1, HEADER)}<row r=\"2\">{'<c/>' * count}</row></sheetData>"], level=1)


def entity_bomb() -> bytes:
    """Billion laughs in the shared strings: ten levels of ten entity references."""
    levels = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE sst [{''.join(levels)}]>"
    data = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(many_rows(1)))
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as package:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                body = (f'<?xml version="1.0"?>{doctype}<sst {_NS}><si><t>&l9;</t></si></sst>').encode()
            package.writestr(item.filename, body)
    return data.getvalue()


ATTACKS.update(empty_cells=empty_cells, entity_bomb=entity_bomb)
