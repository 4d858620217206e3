"""Number boxes that read and show numbers the user's way: 1,802 and 1.100 in Italian, 1.802 and 1,100 in English.

Streamlit's number box writes numbers the American way whatever the language; these are text
boxes parsed with Babel. A number that cannot be read, or is out of range, gets a message in
the user's language and the previous value stands; a number read is written back in the
user's style (``1802`` becomes ``1.802``), so what she sees is what is used.
"""

from __future__ import annotations

import streamlit as st
from babel.numbers import NumberFormatError, parse_decimal

from impact import i18n
from ui.common import lang, t

_KEPT = "kept_numbers"   # the last good value of every box, kept when a box is not drawn for a while


def parse_number(text: str, language: str) -> float | None:
    """`text` as a number in `language`'s style (a euro sign and spaces allowed); None when empty.

    Raises ValueError when the text is not a number.
    """
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not cleaned:
        return None
    try:
        return float(parse_decimal(cleaned, locale=i18n.babel_locale(language), strict=True))
    except NumberFormatError:
        raise ValueError(text) from None


def set_number(key: str, value: float, decimals: int) -> None:
    """Put `value` into the number box `key` before it is drawn (a saved case opened again)."""
    st.session_state[key] = i18n.number(value, lang(), decimals)
    st.session_state.setdefault(_KEPT, {})[key] = float(value)


def _rewrite(key: str, decimals: int) -> None:
    """After a change: the box's text written back in the user's style, when it is a number."""
    language = lang()
    try:
        value = parse_number(st.session_state[key], language)
    except ValueError:
        return
    if value is not None:
        st.session_state[key] = i18n.number(value, language, decimals)


def number_box(label: str, key: str, value: float | None, low: float, high: float, decimals: int,
               placeholder: str | None = None, help: str | None = None, container=st) -> float | None:
    """A number typed the user's way, within [low, high]; None when left empty (the default applies).

    `value` is the first value shown; afterwards the box keeps what the user typed, also across
    reruns in which it is not drawn (a lever while the workforce is being chosen again).
    """
    language = lang()
    kept = st.session_state.setdefault(_KEPT, {})
    start = kept.get(key, value)
    options = {} if key in st.session_state else {
        "value": "" if start is None else i18n.number(start, language, decimals)}
    text = container.text_input(label, key=key, placeholder=placeholder, help=help, on_change=_rewrite,
                                args=(key, decimals), **options)
    try:
        number = parse_number(text, language)
    except ValueError:
        container.error(t("numbers.not_a_number", example=i18n.number(1234.5, language, 1)))
        return kept.get(key, value)
    if number is not None and not low <= number <= high:
        container.error(t("numbers.out_of_range", low=i18n.number(low, language, decimals),
                          high=i18n.number(high, language, decimals)))
        return kept.get(key, value)
    kept[key] = number
    return number


def chart_locale(language: str) -> dict:
    """Vega-Lite number and currency style for `language`: axes and legends read 1.926 and 1,9 in Italian."""
    if language == "it":
        return {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]}}
    return {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}}


def formatted(table, formats: dict, language: str):
    """A copy of `table` with the columns of `formats` written as text the user's way.

    `formats` maps a column to "money" (1.234 €), "count" (1.234), "hours" (41) or "km" (60,2 km).
    """
    shown = table.copy()
    writers = {"money": lambda v: i18n.eur(v, language, 0), "count": lambda v: i18n.number(v, language, 0),
               "hours": lambda v: i18n.number(v, language, 0), "km": lambda v: i18n.km(v, language)}
    for column, kind in formats.items():
        shown[column] = shown[column].map(writers[kind])
    return shown
