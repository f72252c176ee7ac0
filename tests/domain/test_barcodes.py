"""GTIN check digits and in-store weight/price labels, as scanners read them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.barcodes import (
    EmbeddedBarcode,
    check_digit,
    is_valid_gtin,
    parse_embedded,
    validate_gtin,
    with_check_digit,
)
from pos_tui.errors import ValidationError

# Real printed codes, one per GTIN length.
REAL_CODES = [
    "96385074",  # EAN-8
    "036000291452",  # UPC-A
    "4006381333931",  # EAN-13
    "5901234123457",  # EAN-13
    "9780306406157",  # ISBN-13 / EAN-13
    "10012345678902",  # GTIN-14
]

BODIES = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


@pytest.mark.parametrize("code", REAL_CODES)
def test_check_digit_matches_real_codes(code: str) -> None:
    """Codes printed on real products must scan as valid."""
    assert check_digit(code[:-1]) == int(code[-1])
    assert is_valid_gtin(code)
    assert validate_gtin(code) == code


def test_validate_gtin_strips_scanner_whitespace() -> None:
    """Scanners and pasted text add spaces or a newline; the code still counts."""
    assert validate_gtin(" 4006381333931\n") == "4006381333931"


@pytest.mark.parametrize("code", REAL_CODES)
def test_wrong_check_digit_is_refused_naming_the_expected_digit(code: str) -> None:
    """The admin typing a code sees which check digit it should have."""
    right = int(code[-1])
    wrong = code[:-1] + str((right + 1) % 10)
    assert not is_valid_gtin(wrong)
    with pytest.raises(ValidationError, match=rf"wrong check digit \(expected {right}\)"):
        validate_gtin(wrong)


@pytest.mark.parametrize("code", ["4006381333931x", "40063813 3931", "ABCDEFGH", "４００６３８１３３３９３１", "400638133393½", "-4006381333931"])
def test_non_digits_are_refused(code: str) -> None:
    """Only ASCII digits are barcodes; look-alike digits are not."""
    assert not is_valid_gtin(code)
    with pytest.raises(ValidationError, match="digits only"):
        validate_gtin(code)


@pytest.mark.parametrize("code", ["", "1234567", "123456789", "12345678901", "123456789012345", "4006381333931" + "0"])
def test_wrong_lengths_are_refused(code: str) -> None:
    """Only 8, 12, 13 and 14 digit codes exist; others are typos."""
    assert not is_valid_gtin(code)
    with pytest.raises(ValidationError):
        validate_gtin(code)


def test_wrong_length_message_says_how_many_digits() -> None:
    """The admin learns what was typed and what lengths are expected."""
    with pytest.raises(ValidationError, match=r"has 9 digits; expected 8, 12, 13 or 14"):
        validate_gtin("123456789")


def test_check_digit_refuses_non_digit_body() -> None:
    """A body with letters has no check digit; say so instead of guessing."""
    with pytest.raises(ValidationError):
        check_digit("12A4567")


@given(BODIES)
def test_with_check_digit_is_always_valid(body: str) -> None:
    """Codes we generate for in-store items always scan."""
    code = with_check_digit(body)
    assert len(code) == len(body) + 1
    assert is_valid_gtin(code)
    assert validate_gtin(code) == code


@given(BODIES, st.data())
def test_any_single_digit_typo_is_caught(body: str, data: st.DataObject) -> None:
    """The GS1 check digit catches every one-digit mistake, wherever it is."""
    code = with_check_digit(body)
    position = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    new_digit = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    typo = code[:position] + new_digit + code[position + 1 :]
    assert not is_valid_gtin(typo)
    with pytest.raises(ValidationError):
        validate_gtin(typo)


def test_weight_label_splits_into_base_code_and_grams() -> None:
    """A scale label for 1.234 kg finds the item by its zero-weight catalogue code."""
    parsed = parse_embedded("2100001012342")
    assert parsed == EmbeddedBarcode("2100001000004", grams=1234)
    assert parsed.weight_kg == Decimal("1.234")
    assert parsed.price_minor is None
    assert is_valid_gtin(parsed.base_code)


def test_price_label_splits_into_base_code_and_price() -> None:
    """A price label for 4.99 finds the item and carries the price in minor units."""
    code = with_check_digit("220000200499")
    parsed = parse_embedded(code)
    assert parsed == EmbeddedBarcode(with_check_digit("220000200000"), price_minor=499)
    assert parsed.grams is None and parsed.weight_kg is None


@given(st.sampled_from(["21", "22"]), st.integers(0, 99999), st.integers(0, 99999))
def test_every_embedded_label_maps_back_to_its_base_code(prefix: str, item: int, value: int) -> None:
    """Any label printed by the scale resolves to the same catalogue code and value."""
    code = with_check_digit(f"{prefix}{item:05d}{value:05d}")
    parsed = parse_embedded(code)
    assert parsed is not None
    assert parsed.base_code == with_check_digit(f"{prefix}{item:05d}00000")
    if prefix == "21":
        assert parsed.grams == value and parsed.weight_kg == Decimal(value) / 1000
    else:
        assert parsed.price_minor == value


@pytest.mark.parametrize(
    "code",
    [
        "4006381333931",  # ordinary EAN-13
        "036000291452",  # UPC-A
        "96385074",  # EAN-8
        "2100001012343",  # weight label with a bad check digit
        "2000001012345",  # prefix 20 (valid EAN-13): not a weight or price code
        "210000101234",  # too short
        "abc",
    ],
)
def test_ordinary_or_broken_codes_are_not_embedded(code: str) -> None:
    """Only valid 21/22 EAN-13 labels carry a value; nothing else is mistaken for one."""
    assert parse_embedded(code) is None
