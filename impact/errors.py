"""Domain exceptions: one hierarchy, every failure the user can cause or meet has its own type.

    ImpactError                       base of everything the model raises on purpose
    ├── DataError                     an embedded data file is missing or malformed (names the file)
    │   └── ParameterError            a parameter file is missing, malformed or has no value (names the file)
    ├── RoutingError                  a timetable or a feed cannot be built, fetched or queried
    │                                 (routing.journey: NoJourney, UnknownEndpoint)
    └── InputError (also ValueError)  something a user gave cannot be used
        ├── WorkerInputError          a worker's columns (evaluate(), the pages, the CLI)
        ├── PayInputError             a pay amount, date or attribute the pay model cannot use
        ├── RightsInputError          a distance, time, pay or age the rights model cannot use
        ├── HousingInputError         a rent, size or month count the housing or care model cannot use
        ├── ScenarioError             a Scenario or a scenario file
        │   └── PackageError          a package (scenario file with timing)
        ├── CaseError                 a saved case file
        ├── PlaceError                a town or postcode that is not exactly one comune
        │   ├── UnknownPlace
        │   └── AmbiguousPlace
        ├── WorkbookError             an .xlsx file outside the limits, or unreadable
        └── RosterError               a roster file as a whole (worded from ``roster.message.<code>``)
            └── CommandError          a command-line input: --scenario, --out, the file's path

No module defines an error class of its own: they all live here, so ``except InputError``
(or ``except ValueError``) catches every input problem and ``except DataError`` every broken file.

Every error has a stable `code`: the faces word it from the locale catalogue
(``input.<code>`` in ``impact/locales/<lang>/input.yaml``) with `values`, so the model never
writes the sentence the user reads; ``str(error)`` stays an English message for logs and tests.
"""

from __future__ import annotations

from typing import Any


class ImpactError(Exception):
    """Base class of every error raised by the impact model; `code` names the kind."""

    code = "impact_error"


class DataError(ImpactError):
    """An embedded data file is missing or malformed; `path` names it when known."""

    code = "data_error"

    def __init__(self, message: str, path: Any = None) -> None:
        super().__init__(message)
        self.path = path


class ParameterError(DataError):
    """A parameter file is missing, malformed or has no value for the asked date (the message names it)."""

    code = "parameter_error"


class RoutingError(ImpactError):
    """A timetable or a feed cannot be built, fetched or queried."""

    code = "routing_error"


class InputError(ImpactError, ValueError):
    """An input that cannot be used: `code` says why, `field` which input, `values` fill the sentence.

    ``InputError("text")`` keeps a plain English message (older callers); with `code` the
    English message comes from the catalogue and `text(lang)` words it in the user's language.
    """

    code = "input_invalid"

    def __init__(self, message: str = "", *, code: str | None = None, field: str | None = None,
                 **values: Any) -> None:
        if code is not None:
            self.code = code
        self.field, self.values = field, values
        super().__init__(message or self._catalogue("en") or self.code)

    def _catalogue(self, lang: str) -> str | None:
        from impact import i18n   # errors.py stays importable without the catalogue loaded

        key = f"input.{self.code}"
        if key not in i18n.strings(lang):
            return None
        field = i18n.strings(lang).get(f"input.field.{self.field}", self.field or "")
        return i18n.t(key, lang, field=field, **{k: _shown(v, lang) for k, v in self.values.items()})

    def text(self, lang: str = "it") -> str:
        """The error in `lang`, from the catalogue when its code has a sentence there."""
        return self._catalogue(lang) or str(self)

    def as_dict(self, lang: str = "en") -> dict:
        """A JSON-ready record: code, field, message in `lang` (values as given)."""
        return {"error": self.code, "field": self.field, "message": self.text(lang),
                "values": {k: _json_value(v) for k, v in self.values.items()}}


def _shown(value: Any, lang: str) -> Any:
    """A value as written in `lang`: a {"it": ..., "en": ...} pair gives its language's text."""
    if isinstance(value, dict) and lang in value:
        return value[lang]
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    return value if isinstance(value, (str, int, float, bool, type(None), dict, list)) else str(value)


class WorkerInputError(InputError):
    """A worker's inputs cannot be used; the message names the row and the field."""

    code = "worker_invalid"


class ScenarioError(InputError):
    """A scenario's levers cannot be used (a value out of range, not a number, an unknown field)."""

    code = "scenario_invalid"


class PlaceError(InputError):
    """A town or postcode could not be turned into exactly one comune."""

    code = "place_error"

    def __init__(self, query: str, candidates: list, message: str) -> None:
        super().__init__(message, field="home")
        self.query = query
        self.candidates = candidates


class UnknownPlace(PlaceError):
    """No comune matches the query; `candidates` holds ranked suggestions."""

    code = "place_unknown"


class AmbiguousPlace(PlaceError):
    """Several comuni match the query (a shared CAP, a common prefix, a second name)."""

    code = "place_ambiguous"


class PayInputError(InputError):
    """A pay amount, date or worker attribute that the pay model cannot use."""

    code = "pay_invalid"


class RightsInputError(InputError):
    """A distance, time, pay or age that the rights model cannot use."""

    code = "rights_invalid"


class HousingInputError(InputError):
    """An input to the housing or care model is out of its domain (a negative rent, no months)."""

    code = "housing_invalid"


class PackageError(ScenarioError):
    """A package (scenario file) that cannot be used; the message names the field."""

    code = "package_invalid"


class CaseError(InputError):
    """A file that is not a usable case; the message names the field."""

    code = "case_invalid"


class WorkbookError(InputError):
    """An .xlsx file that cannot be read within the limits, or at all."""

    code = "file_xlsx_unreadable"


class RosterError(InputError):
    """The file as a whole cannot be read as a roster (format, encoding, size, header, columns).

    `key` (= `code`) names the kind; the sentence is ``roster.message.<key>`` (or ``input.<key>``)
    in the catalogue, filled from `values` by `impact.roster.messages.message`.
    """

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        Exception.__init__(self)
        self.code, self.field, self.values = key, None, values
        self.args = (self.text("en"),)

    def text(self, lang: str = "it") -> str:
        """The error in `lang`."""
        from impact.roster.messages import message   # the wording needs the catalogue, loaded late

        return message(self.key, lang, **self.values)


class CommandError(RosterError):
    """A command-line input that cannot be used: --scenario, --out, the file's path."""

    def __init__(self, text: str) -> None:
        Exception.__init__(self, text)
        self.code = self.key = "command"
        self.field, self.values, self._text = None, {}, text

    def text(self, lang: str = "it") -> str:
        return self._text
