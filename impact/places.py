"""Comuni of Piedmont and Valle d'Aosta, the company's offices, and town lookup.

A worker types a town the way they say it: "s. damiano", "AGLIE", "Aoste",
"10015" or "Ivera". `Gazetteer.resolve` turns that into one comune or raises
`UnknownPlace` / `AmbiguousPlace` with ranked candidates to choose from.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from rapidfuzz import fuzz, process

from impact.errors import AmbiguousPlace, DataError, UnknownPlace
from impact.params import DATA_DIR, Source

COMUNI_CSV = DATA_DIR / "places" / "comuni.csv"
SITES_YAML = DATA_DIR / "sites.yaml"
REGION_VALLE_D_AOSTA = "Valle d'Aosta"   # as the gazetteer's region column writes it

# Abbreviations people write for saints' names, Italian and French.
_TOKEN_ALIASES = {"s": "san", "sa": "santa", "sant": "san", "santo": "san", "santa": "san",
                  "st": "saint", "ste": "sainte"}
_LABEL_PROVINCE = re.compile(r"^(?P<name>.+?)\s*\((?P<province>[A-Za-z]{2})\)\s*$")
_CAP = re.compile(r"^\d{5}$")
_ISTAT = re.compile(r"^\d{6}$")
SUGGESTION_MIN_SCORE = 60.0


def normalise(text: str) -> str:
    """Fold case, accents, apostrophes, hyphens and saints' abbreviations.

    >>> normalise("Sant'Ambrogio di Torino") == normalise("S. Ambrogio di torino")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(_TOKEN_ALIASES.get(w, w) for w in words)


@dataclass(frozen=True)
class Place:
    """A comune: ISTAT code, names, province, postcodes and its main settlement's point."""

    istat: str
    name: str
    name_alt: str
    province: str
    region: str
    caps: tuple[str, ...]
    lat: float
    lon: float
    population: int
    geo_method: str
    other_names: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name with the province, as shown in lists: 'Strambino (TO)'."""
        return f"{self.name} ({self.province})"

    def as_dict(self) -> dict:
        """A JSON-ready record, as printed by ``python -m impact places --json``."""
        return {"istat": self.istat, "name": self.name, "name_alt": self.name_alt or None,
                "province": self.province, "region": self.region, "caps": list(self.caps),
                "lat": self.lat, "lon": self.lon, "population": self.population,
                "other_names": list(self.other_names)}


class Gazetteer:
    """Every comune, with lookup by name, label, CAP or ISTAT code.

    Official names win; other names (Turin, Aoste, Ivrèja, a merged comune's
    former comuni such as Vico Canavese for Valchiusa) are tried after them.
    """

    def __init__(self, places: list[Place]) -> None:
        self.places = sorted(places, key=lambda p: p.name)
        self._by_istat = {p.istat: p for p in self.places}
        self._by_name: dict[str, list[Place]] = {}
        self._by_other_name: dict[str, list[Place]] = {}
        self._by_cap: dict[str, list[Place]] = {}
        for place in self.places:
            for name in {place.name, place.name_alt} - {""}:
                self._by_name.setdefault(normalise(name), []).append(place)
            for name in place.other_names:
                owners = self._by_other_name.setdefault(normalise(name), [])
                if place not in owners:
                    owners.append(place)
            for cap in place.caps:
                self._by_cap.setdefault(cap, []).append(place)
        self._names = list(self._by_name)
        self._row_of = {p.istat: row for row, p in enumerate(self.places)}
        self._points = np.array([(p.lat, p.lon) for p in self.places])

    @classmethod
    def from_csv(cls, path: Path = COMUNI_CSV) -> "Gazetteer":
        """Read the compact comuni file written by ``scripts/build_places.py``."""
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except FileNotFoundError:
            raise DataError(f"the list of comuni is missing: {path}") from None
        except UnicodeDecodeError:
            raise DataError(f"{path}: not UTF-8 text; rebuild it with scripts/build_places.py") from None
        if not rows:
            raise DataError(f"{path}: no comuni in the file; rebuild it with scripts/build_places.py")
        try:
            return cls([_place_from_row(row) for row in rows])
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            # A short row gives None cells: the file was cut or edited by hand.
            raise DataError(f"{path}: malformed row ({exc}); rebuild it with scripts/build_places.py") from None

    def __len__(self) -> int:
        return len(self.places)

    @property
    def labels(self) -> list[str]:
        """'Name (PR)' of every comune, sorted by name."""
        return [p.label for p in self.places]

    def by_istat(self, code: str) -> Place:
        """The comune with ISTAT code `code` (six digits)."""
        try:
            return self._by_istat[code]
        except KeyError:
            raise UnknownPlace(code, [], f"no comune has ISTAT code {code}") from None

    def points(self, codes) -> np.ndarray:
        """(lat, lon) [degrees] of each ISTAT code, shape (n, 2); vectorized for rosters."""
        return self._points[self.rows(codes)]

    def rows(self, codes, which: np.ndarray | None = None) -> np.ndarray:
        """Position in `places` of each ISTAT code; UnknownPlace names the first code not found.

        With `which`, `codes` are a roster's distinct codes and `which` each row's position among
        them (`impact.validation.TextCodes`): the rows of the roster are returned.
        """
        if which is None:
            # A roster repeats a few hundred comuni: each distinct code is looked up once.
            # (As Python strings: pandas hashes them faster than NumPy's fixed-width text.)
            which, codes = pd.factorize(np.atleast_1d(np.asarray(codes, dtype=str)).astype(object))
        distinct = np.asarray(codes, dtype=object)
        rows = np.array([self._row_of.get(code, -1) for code in distinct.tolist()], dtype=np.int64)[which]
        missing = rows < 0
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            code = distinct[which[row]]
            raise UnknownPlace(str(code), [], f"row {row + 1}: no comune has ISTAT code {code}")
        return rows

    def row(self, code: str) -> int:
        """Position in `places` of the comune with ISTAT code `code`."""
        try:
            return self._row_of[code]
        except KeyError:
            raise UnknownPlace(code, [], f"no comune has ISTAT code {code}") from None

    def by_cap(self, cap: str) -> list[Place]:
        """Every comune that uses postcode `cap` (one CAP can serve several small comuni)."""
        return list(self._by_cap.get(cap, []))

    def resolve(self, query: str) -> Place:
        """The one comune meant by `query`, or UnknownPlace / AmbiguousPlace with candidates."""
        text = query.strip()
        if not text:
            raise UnknownPlace(query, [], "type the name of a comune or its CAP")
        if _ISTAT.match(text) and text in self._by_istat:
            return self._by_istat[text]
        if _CAP.match(text):
            return self._resolve_cap(text)
        province = None
        labelled = _LABEL_PROVINCE.match(text)
        if labelled:
            text, province = labelled["name"], labelled["province"].upper()
        key = normalise(text)
        matches = self._by_name.get(key, [])
        in_province = (lambda places: [p for p in places if p.province == province]) if province else list
        if not matches and key in self._by_other_name:
            return self._resolve_other_name(query, key, in_province)
        matches = in_province(matches)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise AmbiguousPlace(query, matches, f"'{query}' is the name of {len(matches)} comuni")
        starting = in_province(self._starting_with(key))
        if len(starting) > 1:
            raise AmbiguousPlace(query, starting, f"several comuni start with '{query}'")
        # A province given narrows the suggestions to it, when it has any.
        suggestions = self.suggest(text, limit=15 if province else 5)
        if province:
            suggestions = (starting + [p for p in in_province(suggestions) if p not in starting])[:5] or suggestions[:5]
        raise UnknownPlace(query, suggestions, f"no comune is called '{query}'")

    def _resolve_other_name(self, query: str, key: str, in_province) -> Place:
        """A second name (Turin, Aoste, Settimo): it wins only when no other comune shares it or starts with it.

        "Settimo" is Settimo Torinese's short name but also how Settimo Vittone and Settimo
        Rottaro start: that is ambiguous, and all three are offered (the short name's comune first).
        """
        owners = in_province(self._by_other_name[key])
        rivals = [p for p in in_province(self._starting_with(key)) if p not in owners]
        candidates = owners + rivals
        if len(owners) == 1 and not rivals:
            return owners[0]
        if len(candidates) > 1:
            raise AmbiguousPlace(query, candidates, f"'{query}' can mean {len(candidates)} comuni")
        # Left with one comune that only starts so (within the province given): offered, not chosen.
        raise UnknownPlace(query, candidates or self.suggest(key), f"no comune is called '{query}'")

    def suggest(self, query: str, limit: int = 5) -> list[Place]:
        """Comuni whose names are closest to `query`, best first (for typos)."""
        key = normalise(query)
        if not key:
            return []
        ranked = process.extract(key, self._names, scorer=fuzz.WRatio, limit=limit * 3,
                                 score_cutoff=SUGGESTION_MIN_SCORE)
        # Equal scores are common for short names: the plain ratio then the
        # population order the ties so the likelier town comes first.
        ranked.sort(key=lambda m: (-round(m[1]), -fuzz.ratio(key, m[0]),
                                   -max(p.population for p in self._by_name[m[0]])))
        found: list[Place] = []
        for name, _score, _index in ranked:
            for place in self._by_name[name]:
                if place not in found:
                    found.append(place)
        return found[:limit]

    def _starting_with(self, key: str) -> list[Place]:
        """Comuni whose official name starts with the words of `key`, most populous first."""
        if len(key) < 3:
            return []
        hits = {p for name, places in self._by_name.items()
                if name.startswith(key + " ") for p in places}
        return sorted(hits, key=lambda p: -p.population)

    def _resolve_cap(self, cap: str) -> Place:
        places = self.by_cap(cap)
        if len(places) == 1:
            return places[0]
        if places:
            ranked = sorted(places, key=lambda p: -p.population)
            raise AmbiguousPlace(cap, ranked, f"the CAP {cap} serves {len(places)} comuni")
        near = sorted({p for c, ps in self._by_cap.items() if c[:4] == cap[:4] for p in ps},
                      key=lambda p: -p.population)
        raise UnknownPlace(cap, near[:5], f"no comune of Piedmont or Valle d'Aosta has the CAP {cap}")


def _place_from_row(row: dict) -> Place:
    return Place(
        istat=row["istat"], name=row["name"], name_alt=row["name_alt"], province=row["province"],
        region=row["region"], caps=tuple(row["caps"].split()), lat=float(row["lat"]),
        lon=float(row["lon"]), population=int(row["population"] or 0), geo_method=row["geo_method"],
        other_names=tuple(n for n in row.get("other_names", "").split("|") if n),
    )


@dataclass(frozen=True)
class Site:
    """An office of the company: where it is, how many work there, and what happens to it."""

    id: str
    name: str
    address: str
    istat: str
    lat: float
    lon: float
    position_accuracy_m: int
    position_method: str
    headcount: int
    headcount_source: Source
    role: str  # "closing" or "destination"
    motorway_toll: str = ""  # parameter of the one-way toll between the office's town and Torino ("": none)

    @property
    def is_destination(self) -> bool:
        return self.role == "destination"


def load_sites(path: Path = SITES_YAML) -> dict[str, Site]:
    """The offices in ``data/sites.yaml``, keyed by id (ivrea, asti, torino): a new dict on each call.

    The file is parsed once per version of it (its modification time and size): the report, the
    roster reader and a moved office's tables ask for it on every use, and parsing took 15 ms.
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DataError(f"the list of offices is missing: {path}") from None
    return dict(_parsed_sites(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parsed_sites(path: Path, _mtime_ns: int, _size: int) -> tuple[tuple[str, Site], ...]:
    """(id, office) of each entry of the offices file `path`; the other arguments say which version."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["sites"]
        return tuple((site_id, Site(
            id=site_id, name=s["name"], address=s["address"], istat=str(s["istat"]),
            lat=float(s["lat"]), lon=float(s["lon"]),
            position_accuracy_m=int(s["position"]["accuracy_m"]), position_method=s["position"]["method"],
            headcount=int(s["headcount"]["value"]),
            headcount_source=Source(s["headcount"]["source"]["title"], s["headcount"]["source"]["url"],
                                    str(s["headcount"]["source"].get("published", ""))),
            role=s["role"], motorway_toll=str(s.get("motorway_toll") or ""),
        )) for site_id, s in raw.items())
    except FileNotFoundError:
        raise DataError(f"the list of offices is missing: {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not readable YAML ({type(exc).__name__})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: malformed office entry ({exc})") from None


def in_valle_d_aosta(istat: str, gazetteer: "Gazetteer | None" = None) -> bool:
    """True when the comune `istat` is in Valle d'Aosta by the gazetteer's region (False for an unknown code)."""
    try:
        place = (gazetteer or default_gazetteer()).by_istat(istat)
    except UnknownPlace:
        return False
    return place.region == REGION_VALLE_D_AOSTA


def closing_site_ids(path: Path = SITES_YAML) -> list[str] | None:
    """Ids of the closing offices in ``data/sites.yaml``, in its order (the CLI's --site choices).

    None when the file cannot be read: the command then runs and reports the DataError itself.
    """
    try:
        return [site.id for site in load_sites(path).values() if not site.is_destination]
    except DataError:
        return None


def destination(sites: dict[str, Site]) -> Site:
    """The office everyone moves to."""
    return next(s for s in sites.values() if s.is_destination)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The embedded gazetteer, read once per process."""
    return Gazetteer.from_csv()
