"""Car routes from openrouteservice, through its Python client.

The public API needs a key (``ORS_API_KEY``); a self-hosted server is reached at
``ORS_BASE_URL``. Every call is bounded: a few seconds of timeout, no minute-long
retry loop (the client's own retry on 429 is switched off and replaced by one
short back-off), so a failure reaches the caller, which falls back to the
offline estimate, within `ORS_DEADLINE_S` seconds.

Answers are cached on disk by rounded coordinates and profile: the same roster
routed twice costs no request the second time. Coordinates are those of comune
centres and offices, never a person's address.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openrouteservice
from openrouteservice import exceptions as ors_errors

from impact.errors import ImpactError

PROFILE = "driving-car"
PUBLIC_BASE_URL = "https://api.openrouteservice.org"
ORS_DEADLINE_S = 5.0
REQUEST_TIMEOUT_S = 3
BACKOFF_S = 0.6
MAX_MATRIX_ROUTES = 3500  # public API: sources x destinations per request
COORDINATE_DECIMALS = 4   # about 10 m: enough to tell comuni apart, nothing personal


class RoutingUnavailable(ImpactError):
    """openrouteservice did not answer usefully: the caller falls back to the estimate."""


@dataclass
class RouteCache:
    """Routes on disk, keyed by profile and coordinates rounded to `COORDINATE_DECIMALS`."""

    folder: Path
    _entries: dict = field(default_factory=dict, init=False)
    _loaded: bool = field(default=False, init=False)

    @classmethod
    def default(cls) -> "RouteCache":
        root = os.environ.get("IMPACT_CACHE_DIR") or Path.home() / ".cache" / "konecta-impact"
        return cls(Path(root))

    @property
    def file(self) -> Path:
        return self.folder / f"ors-{PROFILE}.json"

    @staticmethod
    def key(origin: tuple[float, float], destination: tuple[float, float]) -> str:
        """'lat,lon>lat,lon' with rounded coordinates."""
        fmt = f"{{:.{COORDINATE_DECIMALS}f}},{{:.{COORDINATE_DECIMALS}f}}"
        return f"{fmt.format(*origin)}>{fmt.format(*destination)}"

    def _load(self) -> None:
        if not self._loaded:
            try:
                self._entries = json.loads(self.file.read_text(encoding="utf-8"))
            except (FileNotFoundError, json.JSONDecodeError):
                self._entries = {}
            self._loaded = True

    def get(self, origin: tuple[float, float], destination: tuple[float, float]) -> tuple[float, float] | None:
        """(km, minutes) if this trip was routed before."""
        self._load()
        hit = self._entries.get(self.key(origin, destination))
        return (hit[0], hit[1]) if hit else None

    def put_many(self, trips: dict[str, tuple[float, float]]) -> None:
        """Store routed trips and write the file once (atomically)."""
        self._load()
        self._entries.update(trips)
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = self.file.with_suffix(".tmp")
        scratch.write_text(json.dumps(self._entries, sort_keys=True), encoding="utf-8")
        scratch.replace(self.file)


def configured() -> bool:
    """True when a key or a self-hosted server is set in the environment."""
    return bool(os.environ.get("ORS_API_KEY") or os.environ.get("ORS_BASE_URL"))


class OrsRouter:
    """Car routing through openrouteservice with bounded time and an on-disk cache."""

    def __init__(self, key: str | None = None, base_url: str | None = None,
                 cache: RouteCache | None = None, deadline_s: float = ORS_DEADLINE_S) -> None:
        key = key if key is not None else os.environ.get("ORS_API_KEY") or None
        base_url = base_url or os.environ.get("ORS_BASE_URL") or PUBLIC_BASE_URL
        if base_url == PUBLIC_BASE_URL and not key:
            raise RoutingUnavailable("no openrouteservice key (ORS_API_KEY) and no server (ORS_BASE_URL)")
        self.client = openrouteservice.Client(
            key=key, base_url=base_url.rstrip("/"), timeout=REQUEST_TIMEOUT_S,
            retry_timeout=1, retry_over_query_limit=False,
            requests_kwargs={"proxies": {"http": None, "https": None}} if _is_local(base_url) else None,
        )
        self.cache = cache or RouteCache.default()
        self.deadline_s = deadline_s

    def matrix(self, origins: np.ndarray, destinations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Road km and minutes from every origin to every destination.

        `origins` is (n, 2) and `destinations` (m, 2) of (lat, lon) [degrees];
        returns two (n, m) arrays. Cached pairs cost nothing; the rest are asked
        in as few requests as the API's 3,500-route limit allows.
        """
        origins, destinations = np.asarray(origins, float), np.asarray(destinations, float)
        km = np.full((len(origins), len(destinations)), np.nan)
        minutes = km.copy()
        missing = []
        for i, origin in enumerate(map(tuple, origins)):
            for j, destination in enumerate(map(tuple, destinations)):
                hit = self.cache.get(origin, destination)
                if hit:
                    km[i, j], minutes[i, j] = hit
            if np.isnan(km[i]).any():
                missing.append(i)
        deadline = time.monotonic() + self.deadline_s
        per_request = max(1, MAX_MATRIX_ROUTES // max(len(destinations), 1) - 1)
        for start in range(0, len(missing), per_request):
            rows = missing[start:start + per_request]
            self._route_rows(origins, destinations, rows, km, minutes, deadline)
        return km, minutes

    def _route_rows(self, origins, destinations, rows, km, minutes, deadline) -> None:
        locations = [(lon, lat) for lat, lon in origins[rows]] + [(lon, lat) for lat, lon in destinations]
        sources = list(range(len(rows)))
        targets = list(range(len(rows), len(locations)))
        body = self._call(lambda: openrouteservice.distance_matrix.distance_matrix(
            self.client, locations=locations, sources=sources, destinations=targets,
            profile=PROFILE, metrics=["distance", "duration"], units="km"), deadline)
        try:
            block_km = np.array(body["distances"], dtype=float)
            block_min = np.array(body["durations"], dtype=float) / 60
        except (KeyError, TypeError, ValueError):
            raise RoutingUnavailable("openrouteservice answered without a matrix") from None
        if block_km.shape != (len(rows), len(destinations)):
            raise RoutingUnavailable("openrouteservice answered a matrix of the wrong size")
        km[rows], minutes[rows] = block_km, block_min
        self.cache.put_many({
            RouteCache.key(tuple(origins[r]), tuple(destinations[j])): (block_km[i, j], block_min[i, j])
            for i, r in enumerate(rows) for j in range(len(destinations))
            if np.isfinite(block_km[i, j]) and np.isfinite(block_min[i, j])
        })

    def _call(self, request, deadline: float) -> dict:
        """One request, with one short back-off on 429, never past `deadline`."""
        for attempt in range(2):
            if time.monotonic() >= deadline:
                raise RoutingUnavailable("openrouteservice took too long")
            try:
                return request()
            except ors_errors._OverQueryLimit:
                if attempt == 0 and time.monotonic() + BACKOFF_S < deadline:
                    time.sleep(BACKOFF_S)
                    continue
                raise RoutingUnavailable("openrouteservice quota exceeded (429)") from None
            except ors_errors.ApiError as exc:
                raise RoutingUnavailable(_api_error_text(exc)) from None
            except (ors_errors.Timeout, ors_errors.HTTPError) as exc:
                raise RoutingUnavailable(f"openrouteservice did not answer in time ({type(exc).__name__})") from None
            except OSError as exc:  # connection refused, DNS failure, reset
                raise RoutingUnavailable(f"openrouteservice unreachable ({type(exc).__name__})") from None
        raise RoutingUnavailable("openrouteservice quota exceeded (429)")


def _api_error_text(exc: ors_errors.ApiError) -> str:
    status = exc.status
    if status in (401, 403):
        return f"openrouteservice refused the key ({status})"
    if status is not None and status >= 500:
        return f"openrouteservice server error ({status})"
    return f"openrouteservice error ({status})"


def _is_local(base_url: str) -> bool:
    return "://127." in base_url or "://localhost" in base_url
