"""Which parameters and data a figure was computed with: a short hash, the app version and the date.

`parameters_version()` hashes every parameter file and data file in force (the YAML and
CSV files below ``data/``, READMEs left out) into 12 hex digits. Every export carries it
(`stamp()`), and so does a share link; `changed_files(old)` says which files differ from a
version recorded in ``data/versions.yaml``, the committed history of file hashes by version.

After changing a parameter or a data file, record the new version::

    python -m impact.version --record

(a test fails while the version in force is not recorded, so a link made today can be
explained tomorrow).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import tomllib
from functools import lru_cache
from pathlib import Path

import yaml

from impact.params import DATA_DIR, Parameters

HISTORY = DATA_DIR / "versions.yaml"
PYPROJECT = DATA_DIR.parent / "pyproject.toml"
HASHED_SUFFIXES = (".yaml", ".yml", ".csv")
SHORT = 12  # hex digits of the version hash
FILE_SHORT = 10


def data_files(root: Path = DATA_DIR) -> list[Path]:
    """Parameter and data files whose content changes a figure, sorted; the history file left out."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in HASHED_SUFFIXES and p != HISTORY
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def file_hashes(root: Path = DATA_DIR) -> dict[str, str]:
    """{path below data/: short SHA-256 of its bytes}."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:FILE_SHORT]
            for p in data_files(root)}


def version_of(hashes: dict[str, str]) -> str:
    """The short hash of a set of file hashes (names and contents)."""
    digest = hashlib.sha256("\n".join(f"{name} {h}" for name, h in sorted(hashes.items())).encode())
    return digest.hexdigest()[:SHORT]


@lru_cache(maxsize=1)
def _current() -> tuple[str, tuple[tuple[str, str], ...]]:
    hashes = file_hashes()
    return version_of(hashes), tuple(sorted(hashes.items()))


def parameters_version() -> str:
    """The version of the parameters and data in force: 12 hex digits (read once per process)."""
    return _current()[0]


@lru_cache(maxsize=1)
def app_version() -> str:
    """The app's version from pyproject.toml ("unknown" when not shipped with it)."""
    try:
        return str(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def stamp(on: dt.date) -> dict[str, str]:
    """What every export carries: {"parameters_version", "app_version", "date"} (ISO date)."""
    return {"parameters_version": parameters_version(), "app_version": app_version(), "date": on.isoformat()}


def add_stamp_sheet(book, on: dt.date, lang: str = "it") -> None:
    """Append a small sheet with the date, app version and parameters version to an openpyxl workbook."""
    from impact import i18n

    sheet = book.create_sheet(i18n.t("package.version_sheet", lang))
    for key, value in stamp(on).items():
        sheet.append([i18n.t(f"package.stamp_{key}", lang), value])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 16


def history(path: Path = HISTORY) -> list[dict]:
    """The recorded versions, oldest first: [{"version", "recorded", "app_version", "files"}]."""
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(raw.get("versions", []))


def changed_files(old_version: str, path: Path = HISTORY, now: dict[str, str] | None = None) -> list[str] | None:
    """Files added, removed or changed since `old_version` (against `now`, default the files in force);
    None when that version is not recorded."""
    recorded = {entry["version"]: entry for entry in history(path)}
    if old_version not in recorded:
        return None
    old, now = recorded[old_version]["files"], now if now is not None else dict(_current()[1])
    return sorted(name for name in set(old) | set(now) if old.get(name) != now.get(name))


def record(on: dt.date, path: Path = HISTORY) -> bool:
    """Add the version in force to the history; False when it is there already."""
    entries = history(path)
    version, files = _current()
    if any(entry["version"] == version for entry in entries):
        return False
    entries.append({"version": version, "recorded": on.isoformat(), "app_version": app_version(),
                    "files": dict(files)})
    text = ("# Parameter and data file hashes by version (impact/version.py); add one with\n"
            "# `python -m impact.version --record` after changing a file below data/.\n")
    path.write_text(text + yaml.safe_dump({"versions": entries}, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return True


class TracingParameters(Parameters):
    """The same parameters, remembering every path a computation looked up (for ``--trace``)."""

    def __init__(self, parameters: Parameters) -> None:
        super().__init__({p.path: p for p in parameters})
        self.used: list[str] = []

    def get(self, path: str):
        parameter = super().get(path)
        if path not in self.used:
            self.used.append(path)
        return parameter

    def trace(self, on: dt.date) -> list[dict]:
        """Each parameter used: path, value, unit, valid_from, source title and url, file, assumption."""
        rows = []
        for path in sorted(self.used):
            parameter = Parameters.get(self, path)
            value = parameter.at(on)
            rows.append({"path": path, "value": value.value, "unit": parameter.unit,
                         "valid_from": value.valid_from.isoformat(), "source": value.source.title,
                         "url": value.source.url, "file": f"data/parameters/{parameter.file}",
                         "assumption": parameter.assumption})
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m impact.version", description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="add the version in force to data/versions.yaml")
    args = parser.parse_args(argv)
    if args.record:
        added = record(dt.date.today())
        print(f"{parameters_version()} {'recorded' if added else 'already recorded'}")
    else:
        print(parameters_version())
    return 0


if __name__ == "__main__":
    sys.exit(main())
