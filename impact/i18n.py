"""Strings in Italian and English, and numbers formatted the local way (Babel)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml
from babel.dates import format_date
from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("it", "en")
DEFAULT_LANGUAGE = "it"
# Parsed once: babel parses a locale name and a number pattern again on every call otherwise, which was
# most of a formatted number's time (the union page writes about a thousand on every rerun).
_BABEL_LOCALE = {"it": Locale.parse("it_IT"), "en": Locale.parse("en_GB")}


@lru_cache(maxsize=None)
def strings(lang: str) -> dict[str, str]:
    """Every string of language `lang`, keyed by dotted name.

    The catalogue is ``locales/<lang>.yaml`` plus every ``locales/<lang>/*.yaml`` (one file
    per part of the product, so that parts can grow apart); a key defined twice is an error.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'; choose one of {', '.join(LANGUAGES)}")
    catalogue: dict[str, str] = {}
    for path in [LOCALES_DIR / f"{lang}.yaml", *sorted((LOCALES_DIR / lang).glob("*.yaml"))]:
        tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, text in _flatten("", tree):
            if key in catalogue:
                raise ValueError(f"{path.name}: the string '{key}' is already defined in another "
                                 f"{lang} locale file; keep one of them")
            catalogue[key] = text
    return catalogue


def _flatten(prefix: str, node) -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [pair for key, child in node.items() for pair in _flatten(f"{prefix}{key}.", child)]
    return [(prefix[:-1], str(node))]


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The string `key` in `lang`, with ``{placeholders}`` filled from `values`."""
    text = strings(lang).get(key)
    if text is None:
        raise KeyError(f"no string '{key}' in the {lang} locale")
    return text.format(**values) if values else text


def in_language(lang: str) -> Callable[..., str]:
    """`t` bound to `lang`: ``in_language("en")("worker.title")`` is ``t("worker.title", "en")``. For a
    view written once in a language, whichever language the session that first asks for it reads."""
    return lambda key, **values: t(key, lang, **values)


def babel_locale(lang: str) -> Locale:
    """The babel locale of a language of this product ("it", "en")."""
    return _BABEL_LOCALE[lang]


@lru_cache(maxsize=None)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def eur(amount: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 2) -> str:
    """Money the local way: 1.234,56 € in Italian, €1,234.56 in English (babel's `format_currency`)."""
    locale = _BABEL_LOCALE[lang]
    pattern = (locale.currency_formats["standard"] if decimals == 2
               else _pattern("#,##0\u00a0¤" if lang == "it" else "¤#,##0"))
    return pattern.apply(amount, locale, currency="EUR", currency_digits=decimals == 2)


def number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A number with the local separators and a fixed count of decimals: 1.234,5 (babel's `format_decimal`)."""
    return _pattern("#,##0" + ("." + "0" * decimals if decimals else "")).apply(value, _BABEL_LOCALE[lang])


def km(value: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A distance with one decimal and its unit: 45,9 km."""
    return f"{number(value, lang, 1)}\u00a0km"


def date(day: dt.date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date the local way: 15 mar 2026, 15 Mar 2026."""
    return format_date(day, format="medium", locale=_BABEL_LOCALE[lang])


def unit_key(name: str) -> str:
    """The locale key of a parameter unit: 'EUR/month' -> 'units.EUR_per_month'."""
    return ("units." + name.replace("/", "_per_").replace(" ", "_").replace("%", "percent")
            .replace("1_per_minute", "per_minute"))


def unit(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A parameter's unit in `lang`: 'EUR/month' is '€/mese' in Italian; unknown units stay as written."""
    return strings(lang).get(unit_key(name), name)
