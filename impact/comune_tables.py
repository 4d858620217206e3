"""Per-comune tables: what a worker's figures take from her home comune, worked once for every comune.

Every home in the product is one of the gazetteer's comuni, and every worker goes from one of
a few offices to another. So what depends only on the comune (and an office) is worked once,
for all comuni at once, when the data load, and `evaluate()` looks it up by comune row:

    lat, lon            the comune's point [degrees] (gazetteer row order)
    access              its candidate stations and the minutes to each (`TransitRouter.access`)
    local               its regional and municipal surcharge schedule (`LocalTaxes`, with `schedule_id`)
    rent_eur_per_m2     asking rent near home [EUR/m²/month] and `rent_basis` (a code)
    offices[id].car     the car estimate from the comune to the office: road km, minutes,
                        their ranges and the straight line (`EstimatedTrips`, one value per comune)
    offices[id].inps    the INPS 80-minute figure's columns to the office (`INPS_COLUMNS`); the
                        rule asks about the new office, so only the destination's is worked

The router's profiles of every office (its day of Pareto journeys) are scanned with the tables too,
so that the first evaluation after the load only looks journeys up.

Journeys also depend on the shift: for each (office, shift start, shift end) asked for they are
kept, with the headline's typical minutes (`impact.routing.typical`), filled for the comuni asked
the first time each is asked for (a roster of typed shifts asks for many shifts, each from a few comuni).

An office not where ``data/sites.yaml`` puts it (moved by the user) gets its own tables, worked
afresh; `OfficeTable.moved` says so and `evaluate()` returns it as the code ``moved``.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impact.groups import distinct_rows
from impact.housing import default_rent_table
from impact.params import Parameters
from impact.pay import LocalTaxes, local_taxes
from impact.places import Gazetteer, Site, load_sites
from impact.routing.estimate import EstimatedTrips, estimate, load_model
from impact.routing.inps import inps_arrays
from impact.routing.transit import TransitRouter
from impact.routing.typical import typical_minutes

# What the model takes from each public-transport journey.
JOURNEY_COLUMNS = ("out_feasible", "back_feasible", "minutes", "out_minutes", "back_minutes", "out_changes",
                   "last_leave_site", "source", "fare_rail_km", "fare_bus_km", "uses_gtt", "out_access", "back_access")
SOURCED, MOVED = "sourced", "moved"   # where an office is: as its sources put it, or moved by the user
MAX_SHIFTS = 256   # (office, start, end) whose journeys a set of tables keeps before it starts afresh
_KEEP = 4   # sets of tables kept: the data of the day, and a few offices moved on the union page


@dataclass(frozen=True, eq=False)
class OfficeTable:
    """What depends on the comune and one office, one value per comune row."""

    site: Site
    moved: bool                    # not where data/sites.yaml puts it
    car: EstimatedTrips            # from each comune's point to the office
    inps: dict[str, np.ndarray]    # the INPS figure's columns (impact.routing.inps.inps_arrays)

    @property
    def position(self) -> str:
        """``moved`` or ``sourced``: a code the faces word."""
        return MOVED if self.moved else SOURCED


class _ShiftJourneys:
    """The journeys of every (office, start, end) asked for, one row per shift and one column per comune.

    `known` marks the comuni worked so far; a new shift takes the next row, a new comune fills its
    cell. Rows are added in blocks; past `MAX_SHIFTS` shifts (about 30 MB) the store starts afresh.
    """

    def __init__(self, n_comuni: int) -> None:
        self.n_comuni = n_comuni
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.index: dict[tuple[str, int, int], int] = {}
        self.columns: dict[str, np.ndarray] = {}
        self.known = np.zeros((0, self.n_comuni), dtype=bool)

    def rows(self, shifts: list[tuple[str, int, int]]) -> np.ndarray:
        """The row of each shift, new ones added empty."""
        new = [shift for shift in dict.fromkeys(shifts) if shift not in self.index]
        if len(self.index) + len(new) > MAX_SHIFTS:
            self.clear()
            new = list(dict.fromkeys(shifts))
        for shift in new:
            self.index[shift] = len(self.index)
        if len(self.index) > len(self.known):
            grow = max(len(self.index), 2 * len(self.known), 8) - len(self.known)
            self.known = np.vstack([self.known, np.zeros((grow, self.n_comuni), dtype=bool)])
            self.columns = {name: np.vstack([values, np.zeros((grow, self.n_comuni), dtype=values.dtype)])
                            for name, values in self.columns.items()}
        return np.array([self.index[shift] for shift in shifts], dtype=np.int64)

    def fill(self, row: int, comuni: np.ndarray, part: dict[str, np.ndarray]) -> None:
        """Store a shift's journeys from the rows `comuni` of the tables."""
        for name, values in part.items():
            if name not in self.columns:
                self.columns[name] = np.zeros(self.known.shape, dtype=values.dtype)
            self.columns[name][row, comuni] = values
        self.known[row, comuni] = True


@dataclass(frozen=True, eq=False)
class ComuneTables:
    """Every comune's figures that do not depend on the worker, in the gazetteer's row order."""

    gazetteer: Gazetteer
    params: Parameters
    on: dt.date
    transit: TransitRouter
    lat: np.ndarray
    lon: np.ndarray
    local: LocalTaxes
    rent_eur_per_m2: np.ndarray
    rent_basis: np.ndarray
    offices: dict[str, OfficeTable]
    access: tuple[np.ndarray, ...]   # the router's station access from each comune (`TransitRouter.access`)
    _journeys: _ShiftJourneys = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_journeys", _ShiftJourneys(len(self.lat)))

    @property
    def sites(self) -> dict[str, Site]:
        return {office: table.site for office, table in self.offices.items()}

    def rows(self, codes, which: np.ndarray | None = None) -> np.ndarray:
        """The comune row of each ISTAT code (`Gazetteer.rows`); UnknownPlace names the first code not found."""
        return self.gazetteer.rows(codes, which)

    def journeys(self, rows: np.ndarray, offices: np.ndarray, start: np.ndarray, end: np.ndarray,
                 names: list[str] | None = None, columns: tuple[str, ...] = JOURNEY_COLUMNS) -> dict[str, np.ndarray]:
        """`columns` (of `JOURNEY_COLUMNS`) for each worker: comune row, office id (with `names`: a position
        in `names`), shift start and end [minutes after midnight].

        A shift's journeys are worked the first time a comune asks for them, all such comuni at once.
        """
        if names is None:
            office_code, office_names = pd.factorize(np.asarray(offices, dtype=object))
        else:
            office_code, office_names = offices, names
        group, firsts = distinct_rows(office_code, start, end)
        store = self._journeys
        with store.lock:
            keys = [(str(office_names[office_code[i]]), int(start[i]), int(end[i])) for i in firsts]
            shift = store.rows(keys)[group]
            unknown = ~store.known[shift, rows]
            if unknown.any():
                # Every missing (shift, comune) in one call of the router, then stored shift by shift.
                asked = [(g, np.unique(rows[unknown & (group == g)])) for g in np.unique(group[unknown]).tolist()]
                worked = self._worked_journeys(asked, keys)
                at = 0
                for g, comuni in asked:
                    store.fill(shift[firsts[g]], comuni, {name: values[at:at + len(comuni)]
                                                          for name, values in worked.items()})
                    at += len(comuni)
            cell = shift * len(self.lat) + rows   # (shift, comune) in the flattened table
            return {name: store.columns[name].ravel()[cell] for name in columns}


    def _worked_journeys(self, asked: list[tuple[int, np.ndarray]], keys: list[tuple[str, int, int]]
                         ) -> dict[str, np.ndarray]:
        """The router's journeys from the comuni's points for each (shift, comuni) asked, one after
        the other, with the headline's typical minutes."""
        comuni = np.concatenate([c for _, c in asked])
        offices, starts, ends = (np.concatenate([np.full(len(c), keys[g][k]) for g, c in asked]) for k in range(3))
        where = (self.lat[comuni], self.lon[comuni], offices.astype(object), starts, ends)
        access = tuple(a[comuni] for a in self.access)
        journeys = self.transit.journey_arrays(*where, JOURNEY_COLUMNS, access=access)
        journeys.update(typical_minutes(self.transit, *where, journeys, access=access))   # the typical run
        return journeys


def build_tables(gazetteer: Gazetteer, sites: dict[str, Site], params: Parameters, on: dt.date,
                 transit: TransitRouter, reuse: ComuneTables | None = None) -> ComuneTables:
    """The tables for every comune of `gazetteer` and every office of `sites`.

    Offices whose site equals one of `reuse` (tables of the same data, gazetteer and router)
    keep that office's tables; the others, a moved office among them, are worked afresh.
    """
    if reuse is not None:   # what depends on the comune only is the same for any offices
        lat, lon, local, rent, basis = reuse.lat, reuse.lon, reuse.local, reuse.rent_eur_per_m2, reuse.rent_basis
    else:
        codes = [p.istat for p in gazetteer.places]
        points = gazetteer.points(codes)
        lat, lon = points[:, 0], points[:, 1]
        rent, basis = default_rent_table().per_m2(codes, gazetteer)
        local = local_taxes(codes, params, on)
    sourced = load_sites()
    model = load_model(params, on)
    offices = {}
    for office, site in sites.items():
        kept = reuse.offices.get(office) if reuse is not None else None
        if kept is not None and kept.site == site:
            offices[office] = kept
            continue
        origin = sourced.get(office)
        moved = origin is not None and (origin.lat, origin.lon) != (site.lat, site.lon)
        car = estimate(model, lat, lon, np.full(len(lat), site.lat), np.full(len(lat), site.lon))
        if office in transit.sites:
            transit.profiles(office)   # the office's day of journeys, scanned with the data rather than on a first call
        inps = inps_arrays(transit, lat, lon, office) if site.is_destination else {}
        offices[office] = OfficeTable(site, moved, car, inps)
    access = reuse.access if reuse is not None else transit.access(lat, lon)
    return ComuneTables(gazetteer, params, on, transit, lat, lon, local, rent, basis, offices, access)


_BUILT: list[ComuneTables] = []   # the most recently used first
_BUILT_LOCK = threading.Lock()


def comune_tables(gazetteer: Gazetteer, sites: dict[str, Site], params: Parameters, on: dt.date,
                  transit: TransitRouter) -> ComuneTables:
    """The tables of this data, built the first time it is asked for and then kept.

    Tables hold their gazetteer, parameters and router, so finding them by identity is safe
    (none of these can be replaced by another object at the same address while kept).
    A set of offices not seen before with the same data (an office moved) reuses the
    unmoved offices' tables and works the moved one afresh.
    """
    same_data = lambda t: (t.gazetteer is gazetteer and t.params is params and t.on == on  # noqa: E731
                           and t.transit is transit)
    with _BUILT_LOCK:
        found = next((t for t in _BUILT if same_data(t) and t.sites == sites), None)
        if found is None:
            found = build_tables(gazetteer, sites, params, on, transit,
                                 reuse=next((t for t in _BUILT if same_data(t)), None))
        _BUILT[:] = [found, *(t for t in _BUILT if t is not found)][:_KEEP]
    return found
