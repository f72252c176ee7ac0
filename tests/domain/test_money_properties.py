"""Money parsing under any text a person, a paste or a CSV cell can produce.

test_money.py holds the worked examples and the in-range round trip; this file
asks that nothing but a plain amount is ever accepted, that what is accepted
means exactly its decimal value, and that nothing turns into a float.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError

# Tokens that look like numbers to float(), int() or Decimal() but are no amount a till takes.
LOOKALIKES = [
    "1e3", "1E3", "1e-2", "nan", "NaN", "inf", "-inf", "Infinity", "0x10", "0b1", "0o7", "1_000",
    "１２", "١٢", "1,000.00", "1.000,00", "12.", ".5", "+5", "--5", "5-", "1.2.3", "0.001",
    "12.50\x00", "12\n50", "$1", "1 000", "½", "Ⅻ", "1.5e0", "0.1234567890",
]
NOISE = st.text(alphabet="0123456789.-+,eExX _\n\t\u00a0\u3000１٣", max_size=24)
ANY_TEXT = st.one_of(st.text(), NOISE, st.sampled_from(LOOKALIKES), st.text(alphabet="0123456789.", min_size=12, max_size=400))


@given(ANY_TEXT, st.booleans())
@example("-0", False)
@example("-0", True)
@example(" 12.50 ", False)
@example("9" * 13, False)
def test_any_text_is_an_exact_amount_or_a_one_line_refusal(text, allow_negative):
    """Whatever is typed, the answer is the int minor units of exactly that decimal, or a message."""
    try:
        minor = parse_money(text, allow_negative=allow_negative)
    except ValidationError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message, repr(message)
        assert message.startswith("amount ")
        return
    assert type(minor) is int  # not bool, not float, not Decimal
    cleaned = text.strip()
    assert cleaned.isascii(), f"{text!r} has non-ASCII digits yet became {minor}"
    assert Decimal(cleaned) * 100 == minor, "the amount must be exactly what was typed"
    assert allow_negative or minor >= 0


@pytest.mark.parametrize("text", LOOKALIKES)
def test_number_lookalikes_are_refused_naming_the_text(text):
    """Exponents, hex, grouping and foreign digits never become a price."""
    with pytest.raises(ValidationError) as info:
        parse_money(text, allow_negative=True, what="price")
    assert str(info.value).startswith(f"price {text.strip()!r} ")


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(0, 99), st.sampled_from(["", " ", "\t", "\n", "\u00a0", "\u3000"]))
def test_every_plain_amount_with_surrounding_whitespace_is_read_exactly(whole, cents, pad):
    """"12.5", "12.50" and padded forms all mean the same minor units."""
    assert parse_money(f"{pad}{whole}.{cents:02d}{pad}") == whole * 100 + cents
    if cents % 10 == 0:
        assert parse_money(f"{whole}.{cents // 10}") == whole * 100 + cents
    if cents == 0:
        assert parse_money(str(whole)) == whole * 100


@given(st.one_of(st.integers(min_value=10**14), st.integers(max_value=-(10**14))))
def test_amounts_too_large_to_type_back_are_refused_not_cut(minor):
    """format_money shows any int; parse refuses the ones past 12 whole digits instead of misreading them."""
    text = format_money(minor)
    with pytest.raises(ValidationError):
        parse_money(text, allow_negative=True)


@given(st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1))
def test_formatted_amounts_are_plain_ascii_without_float_artefacts(minor):
    """No exponent, no grouping, no "-0.00": a receipt shows what the till holds."""
    text = format_money(minor)
    assert text.isascii() and "e" not in text.lower() and "," not in text
    assert text != "-0.00"
    assert Decimal(text) * 100 == minor
