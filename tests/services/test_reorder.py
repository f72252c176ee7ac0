"""Reorder suggestions: 28 days of real sales x lead time + level - on hand - on order."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Product
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.services import purchase_orders, reorder, returns, sales, suppliers
from pos_tui.services.catalog import scan
from pos_tui.services.purchase_orders import LineSpec

NOW = datetime.now(timezone.utc)


def _sell(store, actor, code: str, qty: int | str, days_ago: float) -> str:
    cart = Cart()
    line = scan(code, store.tax_rates())
    index = cart.add(line)
    cart.set_qty(index, Decimal(qty))
    info = sales.commit_sale(actor, cart, [Tender("card", cart.totals().total)], lane="1",
                             at=NOW - timedelta(days=days_ago))
    return info.receipt_no


def _set(barcode: str, **values) -> None:
    Product.update(**values).where(Product.barcode == barcode).execute()


def _by_code(**kwargs) -> dict[str, reorder.Suggestion]:
    now = datetime.now(timezone.utc)  # after the sales and returns just made
    return {s.barcode: s for s in reorder.suggestions(now=now, **kwargs)}


def test_velocity_times_lead_time_plus_level_minus_stock(catalog, store, admin_actor):
    # Tea: stock 10, level 2. 14 sold in the window (10 days ago and 3 days ago), 5 more before it.
    _sell(store, admin_actor, catalog.tea, 4, 10)
    _sell(store, admin_actor, catalog.tea, 10, 3)
    _sell(store, admin_actor, catalog.tea, 5, 29)  # outside the 28 days: not counted
    _set(catalog.tea, stock=Decimal(1))  # what is left after a bad week
    got = _by_code(default_lead_days=10)[catalog.tea]
    # 14 / 28 = 0.5 a day x 10 days = 5, + level 2 - on hand 1 = 6
    assert (got.sold, got.daily, got.lead_time_days, got.on_order, got.suggested) == (
        Decimal(14), Decimal("0.5"), 10, Decimal(0), Decimal(6))
    assert got.low


def test_the_suppliers_lead_time_wins_over_the_default(catalog, store, admin_actor):
    _sell(store, admin_actor, catalog.tea, 28, 1)  # one a day
    slow = suppliers.add_supplier(admin_actor, "Slow Teas", lead_time_days=21)
    _set(catalog.tea, supplier=slow.id, stock=Decimal(0))
    assert _by_code(default_lead_days=7)[catalog.tea].suggested == 21 + 2  # 1/day x 21 + level 2 - 0


def test_returns_are_netted_and_training_sales_ignored(catalog, store, admin_actor):
    receipt = _sell(store, admin_actor, catalog.tea, 10, 2)
    sold = returns.returnable(receipt)
    returns.commit_return(admin_actor, receipt, {sold.lines[0].line_id: Decimal(3)}, tender="card",
                          restock=False, lane="1")
    _sell(store, replace(admin_actor, training=True), catalog.tea, 50, 1)
    _set(catalog.tea, stock=Decimal(0))
    got = _by_code(default_lead_days=28)[catalog.tea]
    assert got.sold == 7  # 10 sold, 3 came back, the training 50 never happened
    assert got.suggested == 7 + 2


def test_open_orders_count_as_on_order_but_received_and_cancelled_do_not(catalog, store, admin_actor):
    _set(catalog.tea, stock=Decimal(0), reorder_level=Decimal(10))
    fresh = suppliers.add_supplier(admin_actor, "Fresh Co")
    draft = purchase_orders.create_order(admin_actor, "Fresh Co", [LineSpec(catalog.tea, Decimal(4))])
    sent = purchase_orders.create_order(admin_actor, "Fresh Co", [LineSpec(catalog.tea, Decimal(5))])
    purchase_orders.mark_ordered(admin_actor, sent.number)
    purchase_orders.receive(admin_actor, sent.number, {catalog.tea: Decimal(2)})  # stock 2, 3 still to come
    dropped = purchase_orders.create_order(admin_actor, "Fresh Co", [LineSpec(catalog.tea, Decimal(50))])
    purchase_orders.cancel(admin_actor, dropped.number)
    got = _by_code()[catalog.tea]
    assert (got.stock, got.on_order) == (Decimal(2), Decimal(4 + 3))
    assert got.suggested == 10 - 2 - 7
    assert fresh.name == "Fresh Co" and draft.status == "draft"


def test_each_rounds_up_to_a_whole_unit_and_kg_to_the_gram(catalog, store, admin_actor):
    _sell(store, admin_actor, catalog.milk, 1, 1)  # 1/28 a day
    _set(catalog.milk, stock=Decimal(1), reorder_level=Decimal(1))
    assert _by_code(default_lead_days=1)[catalog.milk].suggested == 1  # 0.0357… rounds up to 1
    _sell(store, admin_actor, f"0.7*{catalog.apples}", "0.7", 1)  # weighed: 0.7 kg in 28 days
    _set(catalog.apples, stock=Decimal("0.5"), reorder_level=Decimal("0.5"))
    # 0.7 / 28 x 1 = 0.025 kg exactly; 0.7/28 x 3 = 0.075
    assert _by_code(default_lead_days=3)[catalog.apples].suggested == Decimal("0.075")
    assert _by_code(default_lead_days=2)[catalog.apples].suggested == Decimal("0.05")


def test_never_below_zero_and_well_stocked_products_are_left_out(catalog, store, admin_actor):
    # Tea: stock 10, level 2, nothing sold: nothing to order, not low.
    assert catalog.tea not in _by_code()
    _set(catalog.tea, stock=Decimal(2))  # at the level: low, but nothing selling, so 0 to order
    got = _by_code()[catalog.tea]
    assert got.low and got.suggested == 0
    assert catalog.tea not in _by_code(include_low=False)


def test_archived_products_and_products_without_a_level_are_skipped(catalog, store, admin_actor):
    _sell(store, admin_actor, catalog.tea, 9, 1)
    _sell(store, admin_actor, catalog.milk, 5, 1)
    _set(catalog.tea, archived=True, stock=Decimal(0))
    _set(catalog.milk, reorder_level=Decimal(0), stock=Decimal(0))
    assert _by_code() == {}
    assert reorder.low_stock_count() == 0


def test_low_stock_count_and_the_after_sale_check_agree_with_the_list(catalog, store, admin_actor):
    assert reorder.low_stock_count() == 0
    _sell(store, admin_actor, catalog.tea, 8, 0)  # 10 -> 2: at its level of 2
    tea, milk = (Product.get(Product.barcode == code).id for code in (catalog.tea, catalog.milk))
    assert reorder.low_among_ids([tea, milk]) == {tea}
    assert reorder.low_ids() == {tea}
    assert reorder.low_stock_count() == 1 == sum(s.low for s in reorder.suggestions())


def test_a_sale_after_now_is_not_counted(catalog, store, admin_actor):
    _sell(store, admin_actor, catalog.tea, 9, -1)  # tomorrow, as far as `now` knows
    _set(catalog.tea, stock=Decimal(2))
    assert _by_code()[catalog.tea].sold == 0


def test_many_products_are_one_pass(store, admin_actor):
    """At scale the answer comes from grouped queries: spot-check a few of many products."""
    with write_transaction():
        Product.insert_many([
            dict(barcode=f"9{n:07d}", name=f"Item {n}", price=100, stock=Decimal(n % 5), reorder_level=Decimal(3))
            for n in range(2000)
        ]).execute()
    low = reorder.suggestions(now=NOW)
    assert len(low) == 2000 * 4 // 5  # stock 0..3 of every 5 is at or below 3
    assert {s.suggested for s in low} == {Decimal(3), Decimal(2), Decimal(1), Decimal(0)}
    assert reorder.low_stock_count() == len(low)
