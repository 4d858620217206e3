"""Domain exceptions: every failure the user can cause or meet has its own type."""

from __future__ import annotations


class ImpactError(Exception):
    """Base class of every error raised by the impact model."""


class ParameterError(ImpactError):
    """A parameter file is missing, malformed or has no value for the asked date."""


class DataError(ImpactError):
    """An embedded data file is missing or malformed."""


class PlaceError(ImpactError):
    """A town or postcode could not be turned into exactly one comune."""

    def __init__(self, query: str, candidates: list, message: str) -> None:
        super().__init__(message)
        self.query = query
        self.candidates = candidates


class UnknownPlace(PlaceError):
    """No comune matches the query; `candidates` holds ranked suggestions."""


class AmbiguousPlace(PlaceError):
    """Several comuni match the query (a shared CAP, a common prefix)."""
