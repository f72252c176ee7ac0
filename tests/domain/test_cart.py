"""The cart: repeat scans, weighed lines and the totals the customer pays."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.cart import Cart, CartLine
from pos_tui.errors import ValidationError


def line(
    product_id: int = 1,
    price: int = 1200,
    qty: str = "1",
    rate: str = "20",
    *,
    weighed: bool = False,
    discount: int = 0,
) -> CartLine:
    return CartLine(
        product_id=product_id,
        barcode=f"{product_id:013d}",
        name=f"Item {product_id}",
        unit_price=price,
        qty=Decimal(qty),
        tax_class="standard",
        tax_rate=Decimal(rate),
        weighed=weighed,
        discount=discount,
    )


def test_repeat_scans_of_a_counted_item_become_one_line() -> None:
    """Scanning the same tin twice shows one line with qty 2, not two lines."""
    cart = Cart()
    assert cart.add(line(1)) == 0
    assert cart.add(line(2, price=300)) == 1
    assert cart.add(line(1)) == 0
    assert len(cart.lines) == 2
    assert cart.lines[0].qty == 2
    assert cart.totals().total == 2 * 1200 + 300


def test_weighed_items_are_never_merged() -> None:
    """Each scale label is its own line so the customer sees each weight."""
    cart = Cart()
    cart.add(line(5, price=1299, qty="0.500", weighed=True))
    cart.add(line(5, price=1299, qty="0.500", weighed=True))
    assert len(cart.lines) == 2
    assert [l.qty for l in cart.lines] == [Decimal("0.5"), Decimal("0.5")]


def test_same_product_at_a_different_price_gets_its_own_line() -> None:
    """A price-label item (22… code) at another price must not change the first line's price."""
    cart = Cart()
    cart.add(line(7, price=499))
    cart.add(line(7, price=650))
    assert [(l.unit_price, l.qty) for l in cart.lines] == [(499, 1), (650, 1)]
    assert cart.totals().total == 499 + 650


def test_adding_a_discounted_line_keeps_its_discount() -> None:
    """A discounted second scan of an item already on the cart must still be discounted."""
    cart = Cart()
    cart.add(line(1, price=1000))
    cart.add(line(1, price=1000, discount=200))
    assert cart.totals().discount == 200
    assert cart.totals().total == 1800


@pytest.mark.parametrize("qty", ["0", "-1", "-0.5"])
def test_zero_or_negative_quantity_is_refused_and_changes_nothing(qty: str) -> None:
    """A zero or negative scan must not add a line or alter the totals."""
    cart = Cart()
    cart.add(line(1))
    with pytest.raises(ValidationError, match="more than zero"):
        cart.add(line(1, qty=qty))
    with pytest.raises(ValidationError):
        cart.add(line(9, qty=qty, weighed=True))
    assert len(cart.lines) == 1 and cart.lines[0].qty == 1


def test_items_count_weighed_lines_as_one_each() -> None:
    """'Items: 4' means 3 tins and 1 bag of apples, not 3 + 1.25 kg."""
    cart = Cart()
    cart.add(line(1, qty="3"))
    cart.add(line(2, price=299, qty="1.250", weighed=True))
    assert cart.totals().items == 4


def test_weighed_line_price_rounds_half_up_to_the_cent() -> None:
    """12.99/kg x 1.234 kg = 16.02966 -> 16.03; 0.01/kg x 0.5 kg = 0.005 -> 0.01."""
    assert line(price=1299, qty="1.234", weighed=True).gross == 1603
    assert line(price=1, qty="0.5", weighed=True).gross == 1


def test_totals_with_tax_included_in_prices() -> None:
    """Shelf prices are what the customer pays; tax is shown as the part of it."""
    cart = Cart(prices_include_tax=True)
    cart.add(line(1, price=1200, rate="20"))
    cart.add(line(2, price=1000, rate="5"))
    totals = cart.totals()
    assert (totals.subtotal, totals.discount, totals.tax, totals.total) == (2200, 0, 200 + 48, 2200)


def test_totals_with_tax_added_at_the_till() -> None:
    """Shelf prices are net; the till adds each line's tax."""
    cart = Cart(prices_include_tax=False)
    cart.add(line(1, price=1000, rate="20"))
    cart.add(line(2, price=1000, rate="5"))
    cart.add(line(3, price=500, rate="0"))
    totals = cart.totals()
    assert (totals.subtotal, totals.discount, totals.tax, totals.total) == (2500, 0, 250, 2750)


def test_discount_lowers_total_and_tax() -> None:
    """Tax is charged on what the customer actually pays after the discount."""
    cart = Cart(prices_include_tax=False)
    cart.add(line(1, price=1000, rate="20", discount=100))
    totals = cart.totals()
    assert (totals.subtotal, totals.discount, totals.tax, totals.total) == (1000, 100, 180, 1080)


def test_remove_and_clear() -> None:
    """Voiding a line or the whole cart updates what is owed."""
    cart = Cart()
    cart.add(line(1, price=100))
    cart.add(line(2, price=200))
    cart.add(line(3, price=400))
    removed = cart.remove(1)
    assert removed.product_id == 2
    assert [l.product_id for l in cart.lines] == [1, 3]
    assert cart.totals().total == 500
    assert not cart.is_empty
    cart.clear()
    assert cart.is_empty
    assert cart.totals().total == 0 and cart.totals().items == 0


def test_remove_out_of_range_changes_nothing() -> None:
    """A stale line number must not void some other line."""
    cart = Cart()
    cart.add(line(1))
    with pytest.raises(IndexError):
        cart.remove(5)
    assert len(cart.lines) == 1


@st.composite
def cart_lines(draw: st.DrawFn) -> CartLine:
    weighed = draw(st.booleans())
    qty = draw(
        st.decimals(min_value=Decimal("0.001"), max_value=50, places=3)
        if weighed
        else st.integers(min_value=1, max_value=50).map(Decimal)
    )
    price = draw(st.integers(min_value=0, max_value=100_000))
    rate = draw(st.sampled_from(["0", "5", "5.5", "10", "20", "21", "25"]))
    candidate = line(draw(st.integers(1, 6)), price=price, qty=str(qty), rate=rate, weighed=weighed)
    discount = draw(st.integers(min_value=0, max_value=candidate.gross))
    return line(candidate.product_id, price=price, qty=str(qty), rate=rate, weighed=weighed, discount=discount)


@given(st.lists(cart_lines(), max_size=8))
def test_included_total_is_the_sum_of_line_totals(lines: list[CartLine]) -> None:
    """With tax included, the receipt's lines add up to what the customer pays."""
    cart = Cart(prices_include_tax=True)
    for item in lines:
        cart.add(item)
    totals = cart.totals()
    assert totals.total == sum(l.total for l in cart.lines)
    assert totals.total == totals.subtotal - totals.discount
    assert 0 <= totals.tax <= totals.total
    assert totals.tax == sum(cart.line_tax(l) for l in cart.lines)


@given(st.lists(cart_lines(), max_size=8))
def test_added_total_is_net_plus_tax(lines: list[CartLine]) -> None:
    """With tax added, total = subtotal - discount + tax, and tax is never negative."""
    cart = Cart(prices_include_tax=False)
    for item in lines:
        cart.add(item)
    totals = cart.totals()
    assert totals.total == totals.subtotal - totals.discount + totals.tax
    assert totals.tax >= 0
    assert totals.tax == sum(cart.line_tax(l) for l in cart.lines)


@given(st.lists(cart_lines(), max_size=8))
def test_merging_never_changes_what_is_owed(lines: list[CartLine]) -> None:
    """Ringing items up in one cart costs the same as pricing each scan on its own."""
    cart = Cart(prices_include_tax=True)
    for item in lines:
        cart.add(item)
    assert cart.totals().total == sum(l.total for l in lines)
    counted = sum((l.qty for l in lines if not l.weighed), Decimal(0))
    assert cart.totals().items == counted + sum(1 for l in lines if l.weighed)
