"""`3*` before a code sets the quantity; bad multipliers change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.cart import CartLine
from pos_tui.domain.scan_input import split_multiplier, with_multiplier
from pos_tui.errors import ValidationError

LINE = CartLine(1, "4010079190010", "Bread", 320, Decimal(1), "reduced", Decimal(5))
WEIGHED = CartLine(2, "2100001012342", "Bananas", 110, Decimal("1.234"), "zero", Decimal(0), weighed=True)


def test_a_plain_code_has_no_multiplier():
    assert split_multiplier(" 4010079190010 ") == (None, "4010079190010")


@given(st.integers(min_value=1, max_value=9999))
def test_any_whole_multiplier_sets_the_quantity(n):
    qty, code = split_multiplier(f"{n}*4010079190010")
    assert with_multiplier(LINE, qty).qty == n and code == "4010079190010"


@pytest.mark.parametrize("typed, message", [
    ("0*4010079190010", "more than zero"),
    ("-2*4010079190010", "must not be negative"),
    ("x*4010079190010", "not a number"),
    ("10000*4010079190010", "more than 9999"),
    ("3*", "code after 3*"),
])
def test_bad_multipliers_are_refused(typed, message):
    with pytest.raises(ValidationError, match=message):
        split_multiplier(typed)


def test_a_multiplier_on_a_weighed_label_or_a_fraction_of_a_piece_is_refused():
    with pytest.raises(ValidationError, match="weighed"):
        with_multiplier(WEIGHED, Decimal(2))
    with pytest.raises(ValidationError, match="by the piece"):
        with_multiplier(LINE, Decimal("1.5"))
