"""Locales and Italian number formatting."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import i18n


def test_both_languages_have_the_same_strings():
    assert set(i18n.strings("it")) == set(i18n.strings("en"))


def test_placeholders_match_between_languages():
    import string
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}
    for key, italian in i18n.strings("it").items():
        assert fields(italian) == fields(i18n.strings("en")[key]), key


def test_money_the_italian_way():
    assert i18n.eur(1234.56, "it") == "1.234,56\u00a0€"
    assert i18n.eur(1234.56, "en") == "€1,234.56"
    assert i18n.eur(1234.4, "it", decimals=0) == "1.234\u00a0€"
    assert i18n.eur(-38, "it") == "-38,00\u00a0€"


def test_numbers_and_distances():
    assert i18n.number(1234.56, "it", 1) == "1.234,6"
    assert i18n.number(1234.56, "en", 1) == "1,234.6"
    assert i18n.km(45.93, "it") == "45,9\u00a0km"


def test_unknown_key_and_language():
    with pytest.raises(KeyError, match="no string 'nope'"):
        i18n.t("nope", "it")
    with pytest.raises(ValueError, match="unknown language"):
        i18n.t("app.title", "fr")


def test_every_parameter_unit_is_translated():
    from impact.params import default_parameters
    units = {p.unit for p in default_parameters()}
    assert i18n.unit("EUR/month", "it") == "€/mese" and i18n.unit("EUR/month", "en") == "€/month"
    for name in units:
        for lang in i18n.LANGUAGES:
            assert i18n.unit_key(name) in i18n.strings(lang), (name, lang)


def test_locale_fragments_join_the_catalogue_and_a_key_twice_is_refused(tmp_path, monkeypatch):
    (tmp_path / "it").mkdir()
    (tmp_path / "it.yaml").write_text("app:\n  title: Titolo\n", encoding="utf-8")
    (tmp_path / "it" / "extra.yaml").write_text("extra:\n  hello: Ciao\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.strings.cache_clear()
    try:
        assert i18n.strings("it") == {"app.title": "Titolo", "extra.hello": "Ciao"}
        (tmp_path / "it" / "twice.yaml").write_text("app:\n  title: Ancora\n", encoding="utf-8")
        i18n.strings.cache_clear()
        with pytest.raises(ValueError, match="'app.title' is already defined"):
            i18n.strings("it")
    finally:
        i18n.strings.cache_clear()


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3), st.sampled_from(["it", "en"]))
def test_numbers_are_written_as_babel_writes_them(value, decimals, lang):
    """The locale and the patterns are parsed once (i18n keeps them); the text is babel's own, to the digit."""
    from babel.numbers import format_currency, format_decimal

    name = {"it": "it_IT", "en": "en_GB"}[lang]
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert i18n.number(value, lang, decimals) == format_decimal(value, format=pattern, locale=name)
    money = None if decimals == 2 else ("#,##0\u00a0¤" if lang == "it" else "¤#,##0")
    assert i18n.eur(value, lang, decimals) == format_currency(value, "EUR", format=money, locale=name,
                                                              currency_digits=decimals == 2)
