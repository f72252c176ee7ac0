"""Quantities: counted items and weights up to the gram, stored as thousandths."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.quantity import format_qty, milli_to_qty, parse_qty, qty_to_milli
from pos_tui.errors import ValidationError

MILLI = st.integers(min_value=-(10**12), max_value=10**12)


@pytest.mark.parametrize(
    ("text", "qty"),
    [("3", Decimal(3)), ("1.250", Decimal("1.25")), ("0.005", Decimal("0.005")), (" 2 ", Decimal(2)), ("1.5", Decimal("1.5"))],
)
def test_parse_qty_accepts_counts_and_weights(text: str, qty: Decimal) -> None:
    """Counts and scale weights are both typed as plain numbers."""
    assert parse_qty(text) == qty


@pytest.mark.parametrize("text", ["1.2345", "0.0001", "abc", "", "1,5", "1e3", "1.", "NaN", "Infinity", "- 1"])
def test_parse_qty_refuses_what_is_not_a_quantity(text: str) -> None:
    """More than gram precision or stray text is refused, naming the text."""
    with pytest.raises(ValidationError) as info:
        parse_qty(text)
    assert repr(text.strip()) in str(info.value)
    assert "\n" not in str(info.value)


def test_parse_qty_refuses_negative_unless_allowed() -> None:
    """Only returns may carry a negative quantity."""
    with pytest.raises(ValidationError, match="must not be negative"):
        parse_qty("-2")
    assert parse_qty("-2", allow_negative=True) == Decimal(-2)


@given(MILLI)
def test_milli_round_trip(milli: int) -> None:
    """Stored thousandths come back as the same quantity and go back unchanged."""
    assert qty_to_milli(milli_to_qty(milli)) == milli
    assert milli_to_qty(milli) * 1000 == milli


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_qty_with_three_decimals_is_stored_exactly(qty: Decimal) -> None:
    """A weighed quantity survives the database unchanged."""
    assert milli_to_qty(qty_to_milli(qty)) == qty


@pytest.mark.parametrize("qty", [Decimal("1.2345"), Decimal("0.0001"), Decimal("2.0005")])
def test_qty_to_milli_refuses_more_than_three_decimals(qty: Decimal) -> None:
    """Sub-gram weights would be silently lost, so they are refused."""
    with pytest.raises(ValidationError, match="more than 3 decimals"):
        qty_to_milli(qty)


def test_milli_to_qty_normalises_whole_numbers() -> None:
    """2000 thousandths reads as 2, not 2.000, on screens built from stored rows."""
    assert str(milli_to_qty(2000)) == "2"
    assert str(milli_to_qty(1500)) == "1.5"
    assert str(milli_to_qty(10000)) == "10"


@pytest.mark.parametrize(
    ("qty", "text"),
    [(Decimal(2), "2"), (Decimal("2.000"), "2"), (Decimal("1.25"), "1.250"), (Decimal("0.005"), "0.005"), (Decimal(10), "10")],
)
def test_format_qty_shows_whole_counts_bare_and_weights_to_the_gram(qty: Decimal, text: str) -> None:
    """The cart shows '2' for two tins and '1.250' for a weighed item."""
    assert format_qty(qty) == text
