"""Money and dates the way a shop in each language writes them, read back exactly, never through a float."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui.domain.locale_format import (
    CURRENCY_SYMBOLS,
    format_date,
    format_datetime,
    format_money_text,
    format_time,
    parse_money_text,
)
from pos_tui.errors import ValidationError

LANGS = st.sampled_from(["en", "zh_CN"])
CURRENCIES = st.sampled_from(sorted(CURRENCY_SYMBOLS) + ["CHF", "SEK"])
MINOR = st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1)


@pytest.mark.parametrize(
    ("minor", "currency", "language", "text"),
    [
        (123450, "GBP", "en", "£1,234.50"),
        (123450, "CNY", "zh_CN", "¥1,234.50"),
        (-123450, "CNY", "zh_CN", "-¥1,234.50"),
        (5, "USD", "en", "$0.05"),
        (0, "EUR", "en", "€0.00"),
        (100000000, "HKD", "zh_CN", "HK$1,000,000.00"),
        (1999, "CHF", "en", "CHF 19.99"),
    ],
)
def test_money_has_its_symbol_and_thousands_separators(minor: int, currency: str, language: str, text: str) -> None:
    assert format_money_text(minor, currency, language) == text
    assert parse_money_text(text, currency, language) == minor


def test_money_without_a_symbol_for_columns_of_figures() -> None:
    assert format_money_text(123450, "GBP", "en", symbol=False) == "1,234.50"


@pytest.mark.parametrize("amount", [12.5, True, "12.50"])
def test_money_must_be_int_minor_units(amount: object) -> None:
    with pytest.raises(TypeError):
        format_money_text(amount, "GBP")  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["1,23", "12.345", "1.2e3", "£", "", "12,50", "1,2345.00", "$12.50", "£-1"])
def test_money_that_needs_a_guess_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="is not a money amount"):
        parse_money_text(typed, "GBP", "en")


@pytest.mark.parametrize(("typed", "minor"), [("1234.5", 123450), ("GBP 3", 300), (" -£0.07 ", -7), ("12", 1200)])
def test_plainly_typed_money_is_read_too(typed: str, minor: int) -> None:
    assert parse_money_text(typed, "GBP", "en") == minor


@settings(max_examples=300, deadline=None)
@given(MINOR, CURRENCIES, LANGS, st.booleans())
def test_format_then_parse_gives_the_same_minor_units(minor: int, currency: str, language: str, symbol: bool) -> None:
    text = format_money_text(minor, currency, language, symbol=symbol)
    back = parse_money_text(text, currency, language)
    assert back == minor and type(back) is int


@pytest.mark.parametrize(
    ("language", "long", "text"),
    [("en", False, "2026-11-27"), ("en", True, "27 Nov 2026"), ("zh_CN", False, "2026年11月27日"),
     ("zh_CN", True, "2026年11月27日")],
)
def test_dates(language: str, long: bool, text: str) -> None:
    assert format_date(date(2026, 11, 27), language, long=long) == text


def test_times_are_24_hour_in_both_languages() -> None:
    moment = datetime(2026, 11, 27, 9, 5, 7, tzinfo=timezone.utc)
    assert format_time(moment, "en") == format_time(moment, "zh_CN") == "09:05"
    assert format_time(time(23, 59, 1), "zh_CN", seconds=True) == "23:59:01"
    assert format_datetime(moment, "zh_CN") == "2026年11月27日 09:05"
    assert format_datetime(moment, "en") == "2026-11-27 09:05"


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_a_chinese_date_reads_back_and_an_english_one_is_iso(day: date) -> None:
    text = format_date(day, "zh_CN")
    year, rest = text.split("年")
    month, rest = rest.split("月")
    assert date(int(year), int(month), int(rest.removesuffix("日"))) == day
    assert date.fromisoformat(format_date(day, "en")) == day


def test_a_language_without_rules_is_refused() -> None:
    with pytest.raises(ValueError, match="no locale rules for 'fr'"):
        format_date(date(2026, 1, 1), "fr")
