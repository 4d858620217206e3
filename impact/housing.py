"""Moving to Torino against commuting: rent, the one-off costs of moving, break-even.

A worker whose office moves to Strada del Drosso can commute or move closer. This
module prices the move: the rent of a flat in the new comune (from sourced asking
rents per m²), the cash a new lease takes up front (deposit, agency fee, the tenant's
half of the registration tax, the removal), those one-off costs spread over the first
lease term, and the month in which moving starts to pay compared with the extra cost
of commuting.

Rents per m² come from ``data/housing/rent_per_m2.csv``: a comune's own figure where
one was published, otherwise its province's average, otherwise its region's, and the
basis travels with every number so the page can say which one it used. Figures older
than the latest are brought forward with the Piedmont-wide asking-rent index of the
same observatory (``data/housing/piedmont_rent_index.csv``).

Every function works on numpy arrays, one element per worker.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, fields
from functools import lru_cache, partial
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from impact.checks import number_array
from impact.errors import DataError, HousingInputError
from impact.params import DATA_DIR, Parameters, Source
from impact.places import REGION_VALLE_D_AOSTA, Gazetteer, Place, default_gazetteer, in_valle_d_aosta

RENT_CSV = DATA_DIR / "housing" / "rent_per_m2.csv"
INDEX_CSV = DATA_DIR / "housing" / "piedmont_rent_index.csv"

BASIS_COMUNE = "comune"
BASIS_PROVINCE = "province_average"
BASIS_REGION = "region_average"
_BASIS = {"comune": BASIS_COMUNE, "province": BASIS_PROVINCE, "region": BASIS_REGION}
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The Piedmont index only describes Piedmont: a Valle d'Aosta figure is never indexed with it.
INDEX_REGION = "Piemonte"
_VALLE_D_AOSTA = {("region", REGION_VALLE_D_AOSTA), ("province", "AO")}
# Below a cent a month a saving is rounding noise: it would "pay back" after centuries.
MIN_SAVING_EUR_MONTH = 0.01


_as_array = partial(number_array, error=HousingInputError, one_per_worker=False, allow_inf=True)


@dataclass(frozen=True)
class RentFigure:
    """An asking rent per m² for one area, as published and as brought forward.

    eur_per_m2             the figure used [EUR/m²/month]
    published_eur_per_m2   the figure as published [EUR/m²/month]
    period                 the month the published figure describes ("2024-09")
    index_factor           eur_per_m2 / published_eur_per_m2 (1.0 when not indexed)
    indexed_to             the index month the figure was brought to ("" when not indexed)
    """

    area_type: str
    code: str
    name: str
    published_eur_per_m2: float
    period: str
    eur_per_m2: float
    index_factor: float
    indexed_to: str
    source: Source
    note: str = ""

    @property
    def basis(self) -> str:
        """How the figure relates to the comune asked for, a code: 'comune', 'province_average', 'region_average'."""
        return _BASIS[self.area_type]


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        raise DataError(f"{path.name}: file missing (expected at {path})")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except UnicodeDecodeError:
        raise DataError(f"{path.name}: not UTF-8 text") from None
    # A short row (a file cut or edited by hand) leaves None cells: name the line, not a crash later.
    for line, row in enumerate(rows, start=2):
        if None in row.values() or None in row:
            raise DataError(f"{path.name}: line {line} has missing or extra cells")
    return rows


def _number(raw: str, where: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise DataError(f"{where}: '{raw}' is not a number") from None
    if not value > 0:
        raise DataError(f"{where}: {value} must be above zero")
    return value


def _period(raw: str, where: str) -> str:
    if not _PERIOD.match(raw):
        raise DataError(f"{where}: period '{raw}' is not a month written YYYY-MM")
    return raw


def load_rent_index(path: Path = INDEX_CSV) -> dict[str, float]:
    """The Piedmont average asking rent by month {"2024-09": 9.4} [EUR/m²/month]."""
    index: dict[str, float] = {}
    for line, row in enumerate(_read_csv(path), start=2):
        where = f"{path.name} line {line}"
        if not row.get("source_url", "").startswith("http"):
            raise DataError(f"{where}: source_url must be a web address")
        index[_period(row["period"], where)] = _number(row["eur_per_m2"], where)
    if not index:
        raise DataError(f"{path.name}: no index values")
    return dict(sorted(index.items()))


def _index_at_or_before(index: dict[str, float], period: str, where: str) -> tuple[str, float]:
    # The latest index point not after the figure: a later one would count growth twice.
    earlier = [p for p in index if p <= period]
    if not earlier:
        raise DataError(f"{where}: no index value on or before {period} (first is {next(iter(index))})")
    return earlier[-1], index[earlier[-1]]


class RentTable:
    """Asking rents per m² by comune, province and region, with the lookup fallback."""

    def __init__(self, figures: Iterable[RentFigure]) -> None:
        # Per gazetteer: every comune's rent per m² and basis, in the gazetteer's order, found once.
        self._by_key: dict[tuple[str, str], RentFigure] = {}
        for figure in figures:
            key = (figure.area_type, figure.code)
            if key in self._by_key:
                raise DataError(f"rent table: two rows for {figure.area_type} {figure.code}")
            self._by_key[key] = figure

    @classmethod
    def load(cls, rent_csv: Path = RENT_CSV, index_csv: Path = INDEX_CSV) -> "RentTable":
        """Read and check the rent table, bringing old figures forward with the index."""
        index = load_rent_index(index_csv)
        latest_period, latest = list(index.items())[-1]
        figures = []
        for line, row in enumerate(_read_csv(rent_csv), start=2):
            where = f"{rent_csv.name} line {line}"
            area_type = row.get("area_type", "")
            if area_type not in _BASIS:
                raise DataError(f"{where}: area_type '{area_type}' is not one of {', '.join(_BASIS)}")
            if not row.get("source_url", "").startswith("http"):
                raise DataError(f"{where}: source_url must be a web address")
            published = _number(row["published_eur_per_m2"], where)
            period = _period(row["period"], where)
            factor, indexed_to = 1.0, ""
            if row.get("indexed") == "yes":
                if (area_type, row["code"]) in _VALLE_D_AOSTA or (
                        area_type == "comune" and in_valle_d_aosta(row["code"])):
                    raise DataError(f"{where}: a Valle d'Aosta figure cannot be indexed with the "
                                    f"{INDEX_REGION} series")
                _, then = _index_at_or_before(index, period, where)
                factor, indexed_to = latest / then, latest_period
            elif row.get("indexed") != "no":
                raise DataError(f"{where}: indexed must be 'yes' or 'no'")
            figures.append(RentFigure(
                area_type=area_type, code=row["code"], name=row["name"],
                published_eur_per_m2=published, period=period,
                eur_per_m2=round(published * factor, 2), index_factor=factor, indexed_to=indexed_to,
                source=Source(row["source_title"], row["source_url"], row.get("published", "")),
                note=row.get("note", ""),
            ))
        return cls(figures)

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self):
        return iter(self._by_key.values())

    def lookup(self, istat: str, province: str, region: str) -> RentFigure:
        """The comune's own figure, else its province's, else its region's."""
        for key in (("comune", istat), ("province", province), ("region", region)):
            if key in self._by_key:
                return self._by_key[key]
        raise DataError(f"no rent figure for comune {istat}, province {province} or region {region}")

    def for_place(self, place: Place) -> RentFigure:
        """The rent figure that applies to `place`."""
        return self.lookup(place.istat, place.province, place.region)

    def per_m2(self, istats, gazetteer: Gazetteer | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rent [EUR/m²/month] and its basis label for each ISTAT code.

        Each distinct comune is looked up once; `impact.comune_tables` keeps every comune's.
        """
        gazetteer = gazetteer or default_gazetteer()
        rows = gazetteer.rows(istats)  # names an unknown code
        distinct, which = np.unique(rows, return_inverse=True)
        figures = [self.for_place(gazetteer.places[row]) for row in distinct.tolist()]
        values = np.array([f.eur_per_m2 for f in figures], dtype=float)
        bases = np.array([f.basis for f in figures], dtype=object)
        return values[which.ravel()], bases[which.ravel()]


@lru_cache(maxsize=1)
def default_rent_table() -> RentTable:
    """The embedded rent table, read once per process."""
    return RentTable.load()


def rent_per_m2_for_comune(istat: str, table: RentTable | None = None,
                           gazetteer: Gazetteer | None = None) -> RentFigure:
    """Asking rent for a comune [EUR/m²/month] with its basis (a code): 'comune', 'province_average'
    or 'region_average'.

    >>> rent_per_m2_for_comune("001272").eur_per_m2
    11.6
    """
    table = table or default_rent_table()
    gazetteer = gazetteer or default_gazetteer()
    return table.for_place(gazetteer.by_istat(istat))


def flat_size_m2(household_size, params: Parameters, on: dt.date) -> np.ndarray:
    """Flat size assumed for a household of `household_size` people [m²].

    The sizes by household are labelled assumptions (``housing.flat_size.*``); the
    result is never below the legal minimum habitable area for that many people.
    """
    people = _as_array(household_size, "household_size")
    if (people < 1).any():
        raise HousingInputError("household_size: at least one person")
    people = np.floor(people)
    p = "housing.flat_size."
    by_size = np.array([params.value(p + k, on) for k in
                        ("one_person_m2", "two_people_m2", "three_people_m2", "four_people_m2")], dtype=float)
    extra = params.value(p + "each_extra_person_m2", on)
    size = np.where(people <= 4, by_size[np.clip(people, 1, 4).astype(int) - 1],
                    by_size[3] + (people - 4) * extra)
    return np.maximum(size, legal_minimum_area_m2(people, params, on))


def legal_minimum_area_m2(household_size, params: Parameters, on: dt.date) -> np.ndarray:
    """Legal minimum habitable area for `household_size` people, D.M. 5 July 1975 art. 2 [m²]."""
    people = np.floor(_as_array(household_size, "household_size"))
    first = params.value("housing.flat_size.minimum_per_person_m2", on)
    extra = params.value("housing.flat_size.minimum_per_extra_person_m2", on)
    return np.minimum(people, 4) * first + np.maximum(people - 4, 0) * extra


def monthly_rent_eur(eur_per_m2, flat_m2) -> np.ndarray:
    """Rent of a flat of `flat_m2` [m²] at `eur_per_m2` [EUR/m²/month] → [EUR/month]."""
    return _as_array(eur_per_m2, "eur_per_m2") * _as_array(flat_m2, "flat_m2")


@dataclass(frozen=True)
class LeaseTerms:
    """The parameters of a new lease and a move, read from ``housing.*`` for a date."""

    deposit_months: float
    agency_fee_months: float
    agency_fee_vat_rate: float
    registration_tax_rate: float
    registration_tax_tenant_share: float
    moving_eur: float
    spread_months: float
    other_costs_difference_eur_month: float

    @classmethod
    def from_params(cls, params: Parameters, on: dt.date) -> "LeaseTerms":
        """The terms in force on `on`."""
        lease = "housing.lease."
        return cls(
            deposit_months=params.value(lease + "deposit_max_months", on),
            agency_fee_months=params.value(lease + "agency_fee_tenant_months", on),
            agency_fee_vat_rate=params.value(lease + "agency_fee_vat_rate", on),
            registration_tax_rate=params.value(lease + "registration_tax_rate", on),
            registration_tax_tenant_share=params.value(lease + "registration_tax_tenant_share", on),
            moving_eur=params.value("housing.moving.intercity_move_eur", on),
            spread_months=params.value(lease + "lease_term_months", on),
            other_costs_difference_eur_month=params.value(
                "housing.living_costs.other_costs_difference_eur_month", on),
        )


@dataclass(frozen=True)
class Relocation:
    """Moving against commuting, one value per worker.

    new_rent_eur_month            rent of the flat near the new office [EUR/month]
    current_housing_eur_month     what the worker pays for housing now [EUR/month]
    rent_difference_eur_month     new rent − current housing [EUR/month]
    other_costs_difference_eur_month  other living costs in the new place − now [EUR/month]
    deposit_eur                   security deposit: cash up front, returned at the end [EUR]
    agency_fee_eur                agency fee with VAT, 0 without an agency [EUR]
    registration_tax_eur          tenant's half of the registration tax, first year [EUR]
    moving_eur                    the removal [EUR]
    one_off_eur                   agency fee + registration tax + removal (+ deposit if counted) [EUR]
    upfront_cash_eur              one_off_eur plus the deposit when it is not counted as a cost [EUR]
    spread_months                 months the one-off costs are spread over [months]
    one_off_spread_eur_month      one_off_eur / spread_months [EUR/month]
    moving_extra_eur_month        rent and other differences + spread one-off costs [EUR/month]
    commute_extra_eur_month       extra cost of commuting to the new office (input) [EUR/month]
    advantage_eur_month           commute_extra − moving_extra: > 0 when moving is cheaper
                                  over the spread period [EUR/month]
    saving_after_one_off_eur_month  commute_extra − rent and other differences: what moving
                                  saves each month once the one-off costs are paid [EUR/month]
    break_even_month              first month whose cumulative saving covers the one-off
                                  costs; inf when moving never pays [months]
    moving_cheaper                advantage_eur_month > 0
    """

    new_rent_eur_month: np.ndarray
    current_housing_eur_month: np.ndarray
    rent_difference_eur_month: np.ndarray
    other_costs_difference_eur_month: np.ndarray
    deposit_eur: np.ndarray
    agency_fee_eur: np.ndarray
    registration_tax_eur: np.ndarray
    moving_eur: np.ndarray
    one_off_eur: np.ndarray
    upfront_cash_eur: np.ndarray
    spread_months: np.ndarray
    one_off_spread_eur_month: np.ndarray
    moving_extra_eur_month: np.ndarray
    commute_extra_eur_month: np.ndarray
    advantage_eur_month: np.ndarray
    saving_after_one_off_eur_month: np.ndarray
    break_even_month: np.ndarray
    moving_cheaper: np.ndarray

    def as_frame(self) -> pd.DataFrame:
        """The result as a table, one row per worker, columns as documented above."""
        return pd.DataFrame({f.name: np.atleast_1d(getattr(self, f.name)) for f in fields(self)})


def break_even_month(one_off_eur, monthly_saving_eur) -> np.ndarray:
    """First whole month m ≥ 1 with m × saving ≥ one-off costs [months]; inf when moving
    never pays (a saving under one cent a month counts as none).

    >>> break_even_month([1200.0, 1200.0, 500.0], [100.0, 0.0, -20.0]).tolist()
    [12.0, inf, inf]
    """
    one_off = _as_array(one_off_eur, "one_off_eur")
    saving = _as_array(monthly_saving_eur, "monthly_saving_eur", allow_negative=True)
    one_off, saving = np.broadcast_arrays(one_off, saving)
    months = np.full(one_off.shape, np.inf)
    pays = saving >= MIN_SAVING_EUR_MONTH
    # The small tolerance keeps 1200/100 at 12, not 13, despite floating-point division.
    months[pays] = np.maximum(1.0, np.ceil(one_off[pays] / saving[pays] - 1e-9))
    return months


def relocation_costs(new_rent_eur_month, current_housing_eur_month, commute_extra_eur_month,
                     terms: LeaseTerms, *, via_agency=True, registration_tax=True,
                     deposit_months=None, moving_eur=None, spread_months=None,
                     other_costs_difference_eur_month=None,
                     count_deposit_as_cost: bool = False) -> Relocation:
    """Price a move to the new office's area against the extra cost of commuting.

    new_rent_eur_month         rent of the flat the worker would take [EUR/month]
    current_housing_eur_month  rent (or housing cost) now; 0 for an owner with no mortgage [EUR/month]
    commute_extra_eur_month    extra cost of commuting to the new office rather than the old [EUR/month]
    terms                      lease and moving parameters (LeaseTerms.from_params)
    via_agency                 the flat is found through an agency (fee due) — bool or array
    registration_tax           the tenant pays half the registration tax (False under cedolare secca)
    deposit_months, moving_eur, spread_months, other_costs_difference_eur_month
                               override the terms (scalars or arrays)
    count_deposit_as_cost      count the deposit among the one-off costs; off by default
                               because the landlord returns it at the end of the lease

    The flat for a single worker is a roster of one: pass arrays of length one or scalars.
    """
    new_rent = _as_array(new_rent_eur_month, "new_rent_eur_month")
    current = _as_array(current_housing_eur_month, "current_housing_eur_month")
    commute = _as_array(commute_extra_eur_month, "commute_extra_eur_month", allow_negative=True)
    deposit_m = _as_array(terms.deposit_months if deposit_months is None else deposit_months,
                          "deposit_months")
    moving = _as_array(terms.moving_eur if moving_eur is None else moving_eur, "moving_eur")
    spread = _as_array(terms.spread_months if spread_months is None else spread_months, "spread_months")
    if (spread <= 0).any():
        raise HousingInputError("spread_months: at least one month")
    other = _as_array(terms.other_costs_difference_eur_month if other_costs_difference_eur_month is None
                      else other_costs_difference_eur_month, "other_costs_difference_eur_month",
                      allow_negative=True)
    agency = np.asarray(via_agency, dtype=bool)
    registration = np.asarray(registration_tax, dtype=bool)
    (new_rent, current, commute, deposit_m, moving, spread, other, agency,
     registration) = np.broadcast_arrays(new_rent, current, commute, deposit_m, moving, spread,
                                         other, agency, registration)

    deposit = deposit_m * new_rent
    agency_fee = np.where(agency, terms.agency_fee_months * new_rent * (1 + terms.agency_fee_vat_rate), 0.0)
    tax = np.where(registration, 12 * new_rent * terms.registration_tax_rate
                   * terms.registration_tax_tenant_share, 0.0)
    one_off = agency_fee + tax + moving + (deposit if count_deposit_as_cost else 0.0)
    upfront = one_off + (0.0 if count_deposit_as_cost else deposit)
    rent_difference = new_rent - current
    saving = commute - rent_difference - other
    one_off_spread = one_off / spread
    moving_extra = rent_difference + other + one_off_spread
    advantage = commute - moving_extra
    return Relocation(
        new_rent_eur_month=new_rent, current_housing_eur_month=current,
        rent_difference_eur_month=rent_difference, other_costs_difference_eur_month=other,
        deposit_eur=deposit, agency_fee_eur=agency_fee, registration_tax_eur=tax, moving_eur=moving,
        one_off_eur=one_off, upfront_cash_eur=upfront, spread_months=spread,
        one_off_spread_eur_month=one_off_spread, moving_extra_eur_month=moving_extra,
        commute_extra_eur_month=commute, advantage_eur_month=advantage,
        saving_after_one_off_eur_month=saving, break_even_month=break_even_month(one_off, saving),
        moving_cheaper=advantage > 0,
    )
