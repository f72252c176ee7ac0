"""`3*` before a code sets the quantity; bad multipliers change nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.scan_input import split_multiplier
from pos_tui.errors import ValidationError


def test_a_plain_code_has_no_multiplier():
    assert split_multiplier(" 4010079190010 ") == (None, "4010079190010")


@given(st.integers(min_value=1, max_value=9999))
def test_any_whole_multiplier_is_split_from_the_code(n):
    assert split_multiplier(f"{n}*4010079190010") == (n, "4010079190010")


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
