"""Tax per line: included in shelf prices or added at the till, half up to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.tax import line_tax, parse_rate
from pos_tui.errors import ValidationError

RATES = st.decimals(min_value=0, max_value=Decimal("99.99"), places=2, allow_nan=False, allow_infinity=False)
AMOUNTS = st.integers(min_value=0, max_value=10**12)


@pytest.mark.parametrize(
    ("amount", "rate", "included", "tax"),
    [
        (1200, "20", True, 200),  # 12.00 shelf price holds 2.00 tax
        (1000, "20", False, 200),  # 10.00 plus 2.00 tax
        (1000, "5", True, 48),  # 47.619 -> 48
        (1000, "5.5", False, 55),
        (1055, "5.5", True, 55),
        (999, "0", True, 0),
        (999, "0", False, 0),
        (0, "20", True, 0),
    ],
)
def test_line_tax_included_and_added(amount: int, rate: str, included: bool, tax: int) -> None:
    """The tax on the receipt matches what a shop's accountant would compute."""
    assert line_tax(amount, Decimal(rate), included=included) == tax


@pytest.mark.parametrize(
    ("amount", "rate", "included", "tax"),
    [
        (5, "10", False, 1),  # 0.5 -> 1
        (25, "10", False, 3),  # 2.5 -> 3, not 2 (banker's rounding would say 2)
        (3, "20", True, 1),  # 3/6 = 0.5 -> 1
        (15, "20", True, 3),  # 15/6 = 2.5 -> 3
        (14, "10", False, 1),  # 1.4 -> 1
    ],
)
def test_line_tax_rounds_half_up(amount: int, rate: str, included: bool, tax: int) -> None:
    """Half a cent of tax rounds up, never to even."""
    assert line_tax(amount, Decimal(rate), included=included) == tax


def test_refund_tax_mirrors_sale_tax() -> None:
    """A refunded line gives back exactly the tax that was charged."""
    for amount in (5, 15, 25, 1234, 99999):
        for included in (True, False):
            assert line_tax(-amount, Decimal(20), included=included) == -line_tax(amount, Decimal(20), included=included)


@given(AMOUNTS, RATES)
def test_included_tax_is_part_of_the_price(amount: int, rate: Decimal) -> None:
    """Tax inside a shelf price is never negative and never more than the price."""
    tax = line_tax(amount, rate, included=True)
    assert 0 <= tax <= amount


@given(AMOUNTS, RATES)
def test_added_tax_is_the_rate_of_the_amount_to_the_cent(amount: int, rate: Decimal) -> None:
    """Added tax is within half a cent of amount x rate."""
    tax = line_tax(amount, rate, included=False)
    assert abs(Decimal(tax) - Decimal(amount) * rate / 100) <= Decimal("0.5")


@given(AMOUNTS, RATES)
def test_included_tax_leaves_a_net_that_taxes_back_to_the_price(amount: int, rate: Decimal) -> None:
    """Net plus tax on the net is the shelf price, give or take a cent of rounding."""
    tax = line_tax(amount, rate, included=True)
    net = amount - tax
    assert abs(Decimal(net) * (1 + rate / 100) - amount) <= Decimal("0.5") * (1 + rate / 100)


@pytest.mark.parametrize(("text", "rate"), [("20", Decimal(20)), ("5.5", Decimal("5.5")), (" 0 ", Decimal(0)), ("99.99", Decimal("99.99"))])
def test_parse_rate_accepts_percents(text: str, rate: Decimal) -> None:
    """Rates are typed as percents like 20 or 5.5."""
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["-1", "-0.01", "100", "150", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf"])
def test_parse_rate_refuses_out_of_range(text: str) -> None:
    """A negative, 100%+ or non-finite rate would make every total wrong."""
    with pytest.raises(ValidationError, match="must be a percent from 0 up to 100"):
        parse_rate(text)


@pytest.mark.parametrize("text", ["abc", "", "20%", "1,5", "twenty"])
def test_parse_rate_refuses_non_numbers(text: str) -> None:
    """Stray text is refused with a one-line message naming it."""
    with pytest.raises(ValidationError) as info:
        parse_rate(text)
    assert repr(text) in str(info.value)
    assert "\n" not in str(info.value)
