"""Money typed by people and shown back to them, as integer minor units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.money import format_money, parse_money, round_minor, to_decimal
from pos_tui.errors import ValidationError

# parse_money takes up to 12 whole digits, so format/parse round-trips below that.
MINOR = st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1)


@given(MINOR)
def test_format_then_parse_gives_back_the_same_minor_units(minor: int) -> None:
    """What the till shows can be typed back in and means the same amount."""
    assert parse_money(format_money(minor), allow_negative=True) == minor


@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_formatted_money_always_has_exactly_two_decimals(minor: int) -> None:
    """Receipts line up: every amount shows whole.cc."""
    whole, _, cents = format_money(minor).partition(".")
    assert len(cents) == 2 and whole.isdigit()
    assert int(whole) * 100 + int(cents) == minor


@pytest.mark.parametrize(
    ("text", "minor"),
    [("12.50", 1250), ("12.5", 1250), ("3", 300), ("0.01", 1), ("0", 0), (" 7.05 ", 705), ("007", 700)],
)
def test_parse_money_accepts_plain_amounts(text: str, minor: int) -> None:
    """Cashiers type amounts with up to two decimals, with or without cents."""
    assert parse_money(text) == minor


@pytest.mark.parametrize(
    ("minor", "text"),
    [(1250, "12.50"), (5, "0.05"), (0, "0.00"), (-1, "-0.01"), (-1250, "-12.50"), (100000, "1000.00")],
)
def test_format_money_shows_sign_and_cents(minor: int, text: str) -> None:
    """Small and negative amounts keep their leading zero and sign."""
    assert format_money(minor) == text


@pytest.mark.parametrize("text", ["1.234", "1,50", "1,000.00", "1e3", "", "   ", "abc", " - 5", "12.", "1 000", "$5", "12.5.0"])
def test_parse_money_refuses_anything_that_is_not_a_plain_amount(text: str) -> None:
    """A typo must never become a price: the bad text is named on one line."""
    with pytest.raises(ValidationError) as info:
        parse_money(text)
    message = str(info.value)
    assert "\n" not in message
    assert repr(text.strip()) in message


def test_parse_money_refuses_negative_unless_allowed() -> None:
    """Prices are never negative; refunds opt in to negative amounts."""
    with pytest.raises(ValidationError, match=r"'-5' must not be negative"):
        parse_money("-5")
    assert parse_money("-5", allow_negative=True) == -500
    assert parse_money("-0.25", allow_negative=True) == -25


def test_parse_money_message_names_what_was_being_typed() -> None:
    """The message says which field was wrong (e.g. the price), not just 'amount'."""
    with pytest.raises(ValidationError, match=r"^price 'x' is not a money amount"):
        parse_money("x", what="price")


@pytest.mark.parametrize("value", [12.5, 1.0, True, False, Decimal("12.50"), "1250", None])
def test_format_money_refuses_anything_but_int(value: object) -> None:
    """Floats (and bools posing as ints) must never reach a receipt."""
    with pytest.raises(TypeError):
        format_money(value)  # type: ignore[arg-type]


@given(MINOR)
def test_to_decimal_is_exact_major_units(minor: int) -> None:
    """Reports in major units agree to the cent with the stored minor units."""
    value = to_decimal(minor)
    assert value * 100 == minor
    assert str(value) == format_money(minor)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.5", 1), ("1.5", 2), ("2.5", 3), ("2.4999", 2), ("2.5001", 3), ("-0.5", -1), ("-2.5", -3), ("-2.4", -2), ("7", 7)],
)
def test_round_minor_rounds_half_up_away_from_zero(value: str, expected: int) -> None:
    """Half a cent rounds up (not to even), as shop tax tables do; refunds mirror sales."""
    assert round_minor(Decimal(value)) == expected


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=99))
def test_round_minor_never_moves_more_than_half_a_cent(whole: int, hundredths: int) -> None:
    """Rounding changes an amount by at most half a minor unit."""
    value = Decimal(whole) + Decimal(hundredths) / 100
    assert abs(Decimal(round_minor(value)) - value) <= Decimal("0.5")
