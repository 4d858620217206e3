"""The roster reader's words: every message is a code whose sentence is in the locale catalogue.

A row's `Problem` and a `RosterError` carry a code (``town_unknown``, ``file_csv``, ...) and
values; `message` words them from ``roster.message.<code>`` (``impact/locales/<lang>/roster.yaml``),
or ``input.<code>`` for the codes the roster shares with the other inputs. A few values are
codes themselves and are worded here: `field` and `fields` (column names, ``roster.field.*``),
`suggestions` (comune labels, ``roster.suggestions``) and `hint` (``roster.hint.*``); a value
given as an ``{"it": ..., "en": ...}`` pair (a number as each language writes it) takes its
language's side.
"""

from __future__ import annotations

from typing import Any

from impact import i18n

LANGUAGES = i18n.LANGUAGES


def field_label(field: str, lang: str) -> str:
    """What the roster field `field` is called in `lang`: 'home_text' -> 'comune di residenza'."""
    return i18n.t(f"roster.field.{field}", lang)


def _worded(name: str, value: Any, lang: str) -> Any:
    if isinstance(value, dict) and lang in value:
        return value[lang]
    if name == "field":
        return field_label(value, lang)
    if name == "fields":
        return ", ".join(field_label(f, lang) for f in value)
    if name == "suggestions":
        return i18n.t("roster.suggestions", lang, shown=", ".join(value)) if value else ""
    if name == "hint":
        return i18n.t(f"roster.hint.{value}", lang) if value else ""
    return value


def message(key: str, lang: str, **values: Any) -> str:
    """The message `key` in `lang` ("it" or "en") with its values filled in and worded.

    Keys are ``roster.message.<key>``, else ``input.<key>`` (impact/locales/<lang>/input.yaml).
    """
    lang = lang if lang in LANGUAGES else "en"
    worded = {name: _worded(name, value, lang) for name, value in values.items()}
    catalogue_key = f"roster.message.{key}"
    if catalogue_key not in i18n.strings(lang):
        catalogue_key = f"input.{key}"
    return i18n.t(catalogue_key, lang, **worded)
