"""The data catalogue: the table of `data/SOURCES.md` as rows, for the method page and checks."""

from __future__ import annotations

from pathlib import Path

from impact.errors import DataError
from impact.params import DATA_DIR

SOURCES_MD = DATA_DIR / "SOURCES.md"
# The table's columns, in order, as the page names them.
COLUMNS = ("file", "holds", "origin", "licence", "date", "made", "rebuild")


def data_files(path: Path = SOURCES_MD) -> list[dict[str, str]]:
    """One dict per data file listed in `path` (keys: `COLUMNS`), text as written (Markdown)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("|") or line.startswith("| ---") or line.startswith("| file "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) != len(COLUMNS):
            raise DataError(f"{path.name} line {number}: {len(cells)} cells, expected {len(COLUMNS)}")
        rows.append(dict(zip(COLUMNS, cells)))
    if not rows:
        raise DataError(f"{path.name}: no data files listed")
    return rows
