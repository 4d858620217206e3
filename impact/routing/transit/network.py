"""The embedded public-transport model as read from ``data/transit/``, and what runs on a date.

Stations, lines as ordered stops, services by time of day, the walks from stations to
the offices, and the dated changes (``changes.csv``: a closure, a cut-back line) with
the services that run only while a change is, or is not, in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from impact.errors import DataError
from impact.params import DATA_DIR

TRANSIT_DIR = DATA_DIR / "transit"


@dataclass(frozen=True)
class Network:
    """The embedded model as read from ``data/transit``; see its README."""

    stations: pd.DataFrame
    lines: pd.DataFrame
    line_stops: pd.DataFrame
    services: pd.DataFrame
    site_links: pd.DataFrame
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))


CHANGE_COLUMNS = ["change_id", "name", "valid_from", "valid_to", "source_title", "source_url", "note"]


def _date(text: str, what: str) -> dt.date | None:
    if not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise DataError(f"{what}: '{text}' is not a date like 2026-02-23") from None


def changes_in_force(network: Network, on: dt.date, switched_off: frozenset[str] = frozenset()) -> frozenset[str]:
    """The dated changes (``changes.csv``) in force on `on`, less those the user switched off.

    A change runs from ``valid_from`` to ``valid_to`` included; a blank ``valid_to`` is
    "until further notice" (the change stays until the data or the user end it).
    """
    active = set()
    for row in network.changes.itertuples():
        start, end = _date(row.valid_from, f"changes.csv {row.change_id}"), _date(row.valid_to, f"changes.csv {row.change_id}")
        if (start is None or start <= on) and (end is None or on <= end) and row.change_id not in switched_off:
            active.add(row.change_id)
    return frozenset(active)


def service_runs_on(services: pd.DataFrame, on: dt.date, active: frozenset[str]) -> np.ndarray:
    """Which services run on `on`: inside their validity and on the right side of any change.

    ``change`` = "C": the service runs only while change C is in force (a replacement bus);
    "!C": only while it is not (the normal service that C suspends); blank: always.
    """
    ok = np.ones(len(services), dtype=bool)
    for i, row in enumerate(services.itertuples()):
        start = _date(row.valid_from, f"services.csv {row.service_id}")
        end = _date(row.valid_to, f"services.csv {row.service_id}")
        change = row.change.strip()
        if change.startswith("!"):
            in_change = change[1:] not in active
        else:
            in_change = not change or change in active
        ok[i] = (start is None or start <= on) and (end is None or on <= end) and in_change
    return ok


def _read(path: Path, required: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"a file of the public transport model is missing: {path}") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable CSV ({type(exc).__name__})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame


def load_network(directory: Path = TRANSIT_DIR) -> Network:
    """Read and check the model's CSV files; a DataError names the file, row and problem."""
    directory = Path(directory)
    stations = _read(directory / "stations.csv",
                     ["station_id", "name", "kind", "lat", "lon", "change_min", "source_title", "source_url"])
    lines = _read(directory / "lines.csv", ["line_id", "name", "mode", "fare", "feed", "length_km",
                                            "source_title", "source_url"])
    line_stops = _read(directory / "line_stops.csv", ["line_id", "seq", "station_id", "km_from_prev",
                                                      "minutes", "source_title", "source_url"])
    services = _read(directory / "services.csv", [
        "service_id", "line_id", "direction", "runtime_minutes", "first", "last", "peak_interval",
        "offpeak_interval", "peak_windows", "departures", "assumption", "source_title", "source_url"])
    site_links = _read(directory / "site_links.csv", ["site_id", "station_id", "minutes", "source_url"])
    for column in ("valid_from", "valid_to", "change"):   # optional: a service with none always runs
        if column not in services.columns:
            services[column] = ""
    changes = (_read(directory / "changes.csv", CHANGE_COLUMNS) if (directory / "changes.csv").exists()
               else pd.DataFrame(columns=CHANGE_COLUMNS))
    named = set(changes["change_id"])
    used = {c.lstrip("!") for c in services["change"] if c.strip()}
    if used - named:
        raise DataError(f"{directory / 'services.csv'}: unknown change(s) {', '.join(sorted(used - named))} "
                        f"(list them in changes.csv)")
    for row in services.itertuples():
        _date(row.valid_from, f"{directory / 'services.csv'} {row.service_id}")
        _date(row.valid_to, f"{directory / 'services.csv'} {row.service_id}")
    try:
        stations["lat"] = stations["lat"].astype(float)
        stations["lon"] = stations["lon"].astype(float)
        stations["change_min"] = stations["change_min"].astype(int)
    except ValueError as exc:
        raise DataError(f"{directory / 'stations.csv'}: {exc}") from None
    known = set(stations["station_id"])
    if len(known) != len(stations):
        raise DataError(f"{directory / 'stations.csv'}: duplicate station_id")
    for frame, name in ((stations, "stations.csv"), (lines, "lines.csv"), (line_stops, "line_stops.csv"),
                        (services, "services.csv")):
        bad = frame.index[~frame["source_url"].str.startswith(("http://", "https://"))]
        if len(bad):
            raise DataError(f"{directory / name}: row {int(bad[0]) + 2} has no source address")
    unknown = sorted(set(line_stops["station_id"]) - known)
    if unknown:
        raise DataError(f"{directory / 'line_stops.csv'}: unknown station(s) {', '.join(unknown)}")
    for frame, name in ((line_stops, "line_stops.csv"), (services, "services.csv")):
        lost = sorted(set(frame["line_id"]) - set(lines["line_id"]))
        if lost:
            raise DataError(f"{directory / name}: unknown line(s) {', '.join(lost)}")
    bad_dir = services.index[~services["direction"].isin(["forward", "backward"])]
    if len(bad_dir):
        raise DataError(f"{directory / 'services.csv'}: row {int(bad_dir[0]) + 2}: direction must be forward or backward")
    line_stops["seq"] = line_stops["seq"].astype(int)
    line_stops = line_stops.sort_values(["line_id", "seq"], kind="stable").reset_index(drop=True)
    return Network(stations.reset_index(drop=True), lines, line_stops, services, site_links, changes)
