"""data/SOURCES.md lists every data file, and the method page reads it."""

from __future__ import annotations

import fnmatch
import re

import pytest

from impact.catalog import SOURCES_MD, data_files
from impact.errors import DataError
from impact.params import DATA_DIR


def listed_patterns() -> list[str]:
    return [p for row in data_files() for p in re.findall(r"`([^`]+)`", row["file"])]


def test_every_data_file_is_listed_with_origin_licence_and_rebuild():
    patterns = listed_patterns()
    # READMEs describe their folder; the catalogue describes itself.
    files = [p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.is_file()
             and p.name not in ("README.md", "SOURCES.md")]
    unlisted = [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert unlisted == []
    for row in data_files():
        assert all(row[key] for key in ("origin", "licence", "rebuild")), row["file"]


def test_a_malformed_row_is_named(tmp_path):
    broken = tmp_path / "SOURCES.md"
    broken.write_text(SOURCES_MD.read_text(encoding="utf-8") + "| `x.csv` | two cells |\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"SOURCES.md line \d+: 2 cells, expected 7"):
        data_files(broken)
