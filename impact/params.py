"""Dated parameters with provenance, loaded from ``data/parameters/``.

The folder tree is the parameter tree (OpenFisca style): the file
``data/parameters/rights/inps_transfer.yaml`` with the key ``max_distance_km``
is the parameter ``rights.inps_transfer.max_distance_km``. A leaf looks like::

    max_distance_km:
      description: ...
      unit: km
      last_reviewed: 2026-11-25
      values:
        2018-01-26:
          value: 50
          source: {title: ..., url: https://...}

The loader is strict: a missing or unknown key, a bad date or a value that is
not a number fails with the file and the key named, so a broken file can never
silently change a result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from impact.errors import ParameterError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PARAMETERS_DIR = DATA_DIR / "parameters"

# Every unit a parameter may have. One list, so that the faces can word each unit in every
# language (``units.*`` in the locale files) and two spellings of one unit cannot appear.
UNITS = (
    "EUR", "EUR/hour", "EUR/week", "EUR/month", "EUR/year", "EUR/km", "EUR/l", "EUR/kW/year",
    "km", "km/h", "km/year", "m2", "kW", "l/100km",
    "minutes", "minutes after midnight", "1/minute", "hours/day", "hours/week", "days/week",
    "weeks", "weeks/month", "weeks/year", "month", "months", "years", "payments/year",
    "fraction", "ratio", "%", "flag", "months of rent", "share of yearly rent", "stations",
)
LEAF_REQUIRED = {"description", "unit", "last_reviewed", "values"}
LEAF_OPTIONAL = {"description_it", "review_months", "assumption", "note"}
VALUE_REQUIRED = {"value", "source"}
VALUE_OPTIONAL = {"note"}
SOURCE_REQUIRED = {"title", "url"}
SOURCE_OPTIONAL = {"published", "note"}
DEFAULT_REVIEW_MONTHS = 12


class _DatesAsText(yaml.SafeLoader):
    """YAML without implicit dates, so a bad date reaches our check and gets named."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: a document title and its address."""

    title: str
    url: str
    published: str = ""
    note: str = ""


@dataclass(frozen=True)
class DatedValue:
    """One value of a parameter, in force from `valid_from` until the next one."""

    valid_from: dt.date
    value: float | int | bool
    source: Source
    note: str = ""


@dataclass(frozen=True)
class Parameter:
    """A parameter: its dated values, unit and review status."""

    path: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]  # sorted by valid_from
    last_reviewed: dt.date
    review_months: int = DEFAULT_REVIEW_MONTHS
    assumption: bool = False
    note: str = ""
    file: str = ""
    description_it: str = ""

    def describe(self, lang: str) -> str:
        """The description in `lang` ("it" or "en"), English when no Italian one is given."""
        return self.description_it if lang == "it" and self.description_it else self.description

    def at(self, on: dt.date) -> DatedValue:
        """The value in force on date `on`."""
        in_force = [v for v in self.values if v.valid_from <= on]
        if not in_force:
            raise ParameterError(
                f"{self.path}: no value in force on {on.isoformat()} "
                f"(first value from {self.values[0].valid_from.isoformat()}; file {self.file})"
            )
        return in_force[-1]

    def review_due(self) -> dt.date:
        """The date after which the value should be checked again."""
        return _add_months(self.last_reviewed, self.review_months)

    def is_stale(self, today: dt.date) -> bool:
        """True when `today` is past the review date."""
        return today > self.review_due()


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _as_date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ParameterError(f"{where}: '{raw}' is not a date; write it as YYYY-MM-DD") from None


def _check_keys(node: dict, required: set, optional: set, where: str) -> None:
    missing = required - node.keys()
    if missing:
        raise ParameterError(f"{where}: missing {', '.join(sorted(missing))}")
    unknown = node.keys() - required - optional
    if unknown:
        allowed = ", ".join(sorted(required | optional))
        raise ParameterError(f"{where}: unknown key {', '.join(sorted(map(str, unknown)))} (allowed: {allowed})")


def _parse_source(raw: Any, where: str) -> Source:
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}.source: needs a mapping with title and url")
    _check_keys(raw, SOURCE_REQUIRED, SOURCE_OPTIONAL, f"{where}.source")
    url = str(raw["url"])
    if not url.startswith(("http://", "https://")):
        raise ParameterError(f"{where}.source.url: '{url}' is not a web address")
    return Source(str(raw["title"]), url, str(raw.get("published", "")), str(raw.get("note", "")))


def _parse_value(date_key: Any, raw: Any, where: str) -> DatedValue:
    valid_from = _as_date(date_key, where)
    where = f"{where}.values.{valid_from.isoformat()}"
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: needs a mapping with value and source")
    _check_keys(raw, VALUE_REQUIRED, VALUE_OPTIONAL, where)
    value = raw["value"]
    if not isinstance(value, (int, float, bool)):
        raise ParameterError(f"{where}.value: '{value}' is not a number")
    return DatedValue(valid_from, value, _parse_source(raw["source"], where), str(raw.get("note", "")))


def _parse_leaf(path: str, node: dict, file: str) -> Parameter:
    where = f"{file}: {path}"
    _check_keys(node, LEAF_REQUIRED, LEAF_OPTIONAL, where)
    if not isinstance(node["values"], dict) or not node["values"]:
        raise ParameterError(f"{where}.values: needs at least one dated value")
    values = sorted(
        (_parse_value(k, v, where) for k, v in node["values"].items()), key=lambda v: v.valid_from
    )
    unit = str(node["unit"])
    if unit not in UNITS:
        raise ParameterError(f"{where}.unit: '{unit}' is not a known unit; write one of {', '.join(UNITS)} "
                             "(a new unit goes in impact.params.UNITS, with its words under units. in "
                             "impact/locales/it.yaml and en.yaml)")
    review_months = node.get("review_months", DEFAULT_REVIEW_MONTHS)
    if not isinstance(review_months, int) or review_months <= 0:
        raise ParameterError(f"{where}.review_months: '{review_months}' is not a positive whole number")
    return Parameter(
        path=path,
        description=str(node["description"]),
        unit=unit,
        values=tuple(values),
        last_reviewed=_as_date(node["last_reviewed"], f"{where}.last_reviewed"),
        review_months=review_months,
        assumption=bool(node.get("assumption", False)),
        note=str(node.get("note", "")),
        file=file,
        description_it=str(node.get("description_it", "")),
    )


def _walk(prefix: str, node: Any, file: str) -> Iterator[Parameter]:
    if not isinstance(node, dict) or not node:
        raise ParameterError(f"{file}: {prefix} is neither a parameter nor a group of parameters")
    if "values" in node:
        yield _parse_leaf(prefix, node, file)
        return
    for key, child in node.items():
        if key == "description" and isinstance(child, str):
            continue
        yield from _walk(f"{prefix}.{key}", child, file)


class Parameters:
    """Every parameter of the model, looked up by dotted path and date."""

    def __init__(self, parameters: dict[str, Parameter]) -> None:
        self._by_path = parameters

    @classmethod
    def load(cls, root: Path = PARAMETERS_DIR) -> "Parameters":
        """Read and check every ``*.yaml`` below `root`."""
        files = sorted(root.rglob("*.yaml"))
        if not files:
            raise ParameterError(f"no parameter files found in {root}")
        found: dict[str, Parameter] = {}
        for file in files:
            relative = file.relative_to(root)
            prefix = ".".join(relative.with_suffix("").parts)
            try:
                tree = yaml.load(file.read_text(encoding="utf-8"), Loader=_DatesAsText)
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise ParameterError(f"{relative}: not valid YAML ({exc})") from None
            for parameter in _walk(prefix, tree, str(relative)):
                found[parameter.path] = parameter
        return cls(found)

    def __iter__(self) -> Iterator[Parameter]:
        return iter(sorted(self._by_path.values(), key=lambda p: p.path))

    def __len__(self) -> int:
        return len(self._by_path)

    def __contains__(self, path: str) -> bool:
        return path in self._by_path

    def get(self, path: str) -> Parameter:
        """The parameter at `path`; a ParameterError names the closest paths."""
        try:
            return self._by_path[path]
        except KeyError:
            branch = path.rsplit(".", 1)[0]
            near = [p for p in self._by_path if p.startswith(branch)][:5]
            raise ParameterError(f"unknown parameter '{path}'; near it: {', '.join(near) or 'none'}") from None

    def value(self, path: str, on: dt.date) -> float | int | bool:
        """The value of `path` in force on `on`."""
        return self.get(path).at(on).value

    def stale(self, today: dt.date) -> list[Parameter]:
        """Parameters whose review date has passed."""
        return [p for p in self if p.is_stale(today)]


@lru_cache(maxsize=1)
def default_parameters() -> Parameters:
    """The embedded parameters, read once per process."""
    return Parameters.load()
