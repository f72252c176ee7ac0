"""Committing a sale: one transaction of lines, payment, stock moves and audit."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.db.models import AuditLog, Payment, Product, Sale, SaleLine, Setting, StockMove
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import sales
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor
from tests.conftest import open_test_shift

APPLES_1234G = with_check_digit("2112345" + "01234")
T1 = datetime(2026, 5, 4, 9, 15, tzinfo=timezone.utc)


def _stock(barcode: str) -> Decimal:
    return Product.get(Product.barcode == barcode).stock


def _three_line_cart(catalog, rates) -> Cart:
    """2 x tea (2.50, 20%), 1 x milk (1.00, 5%), 1.234 kg apples (3.20/kg, 0%)."""
    cart = Cart(prices_include_tax=True)
    for code in (catalog.tea, catalog.milk, catalog.tea, APPLES_1234G):
        cart.add(scan(code, rates))
    return cart


def _one_line_cart(catalog, rates) -> Cart:
    cart = Cart()
    cart.add(scan(catalog.milk, rates))
    return cart


def _written() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Sale, SaleLine, Payment, StockMove, AuditLog, Setting))


def test_cash_sale_writes_sale_lines_payment_moves_and_audit(catalog, store, admin_actor, assert_stock_matches_moves):
    cart = _three_line_cart(catalog, store.tax_rates())
    info = sales.commit_sale(admin_actor, cart, [Tender("cash", 2000)], lane="1", at=T1)

    # 2 x 2.50 + 1.00 + round(3.20 x 1.234) = 5.00 + 1.00 + 3.95
    assert (info.receipt_no, info.lane, info.cashier, info.status, info.training) == ("1-000001", "1", "owner", "completed", False)
    assert (info.subtotal, info.discount, info.total) == (995, 0, 995)
    assert info.tax == 83 + 5 + 0  # 500 x 20/120 and 100 x 5/105, rounded half up
    assert info.time == T1
    assert [(l.barcode, l.qty, l.unit_price, l.tax_rate, l.tax, l.total) for l in info.lines] == [
        (catalog.tea, Decimal(2), 250, "20", 83, 500),
        (catalog.milk, Decimal(1), 100, "5", 5, 100),
        (APPLES_1234G, Decimal("1.234"), 320, "0", 0, 395),
    ]
    assert [(p.tender, p.amount, p.tendered, p.change) for p in info.payments] == [("cash", 995, 2000, 1005)]
    assert info.change == 1005

    sale = Sale.get(Sale.receipt_no == "1-000001")
    assert sale.cashier_id == admin_actor.user_id and sale.total == 995
    assert SaleLine.select().where(SaleLine.sale == sale).count() == 3
    assert [(p.amount, p.tendered, p.change) for p in Payment.select().where(Payment.sale == sale)] == [(995, 2000, 1005)]

    moves = StockMove.select().where(StockMove.reason == "sale").order_by(StockMove.id)
    assert [(m.product.barcode, m.delta, m.reference, m.user_id) for m in moves] == [
        (catalog.tea, Decimal(-2), "1-000001", admin_actor.user_id),
        (catalog.milk, Decimal(-1), "1-000001", admin_actor.user_id),
        (catalog.apples, Decimal("-1.234"), "1-000001", admin_actor.user_id),
    ]
    assert (_stock(catalog.tea), _stock(catalog.milk), _stock(catalog.apples)) == (
        Decimal(8), Decimal(4), Decimal("1.266"),
    )
    entry = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (entry.action, entry.target, entry.username) == ("sale.commit", "1-000001", "owner")
    assert json.loads(entry.details) == {"lines": 3, "tenders": ["cash"], "total": 995, "training": False}
    assert_stock_matches_moves()


def test_split_tender_records_each_payment_and_gives_change_from_cash(catalog, store, admin_actor):
    cart = _three_line_cart(catalog, store.tax_rates())
    info = sales.commit_sale(admin_actor, cart, [Tender("card", 500, "auth-77"), Tender("cash", 1000)], lane="1")
    assert [(p.tender, p.amount, p.tendered, p.change, p.reference) for p in info.payments] == [
        ("card", 500, 500, 0, "auth-77"), ("cash", 495, 1000, 505, ""),
    ]


def test_what_commit_returns_is_what_was_stored(catalog, store, admin_actor):
    """commit_sale answers without reading back; the answer must match the stored sale."""
    cart = _three_line_cart(catalog, store.tax_rates())
    info = sales.commit_sale(admin_actor, cart, [Tender("card", 500, "auth-77"), Tender("cash", 1000)],
                             lane="1", cash_step=5)
    assert info == sales.get_sale(info.receipt_no)


def test_tax_added_at_the_till_is_charged_on_top(catalog, store, admin_actor):
    cart = Cart(prices_include_tax=False)
    cart.add(scan(catalog.tea, store.tax_rates()))
    info = sales.commit_sale(admin_actor, cart, [Tender("card", 300)], lane="1")
    assert (info.subtotal, info.tax, info.total) == (250, 50, 300)
    assert Sale.get(Sale.receipt_no == info.receipt_no).prices_include_tax is False


def test_a_product_on_two_lines_leaves_stock_once_for_both(catalog, store, admin_actor, assert_stock_matches_moves):
    """Stock is updated once per product (the lines' quantities summed); each line keeps its own move."""
    rates = store.tax_rates()
    cart = Cart(merge_repeats=False)
    for code in (catalog.tea, catalog.milk, catalog.tea):
        cart.add(scan(code, rates))
    assert len(cart.lines) == 3
    info = sales.commit_sale(admin_actor, cart, [Tender("card", 600)], lane="1")
    assert (_stock(catalog.tea), _stock(catalog.milk)) == (Decimal(8), Decimal(4))
    moves = StockMove.select().where(StockMove.reference == info.receipt_no).order_by(StockMove.id)
    assert [(m.product.barcode, m.delta) for m in moves] == [
        (catalog.tea, Decimal(-1)), (catalog.milk, Decimal(-1)), (catalog.tea, Decimal(-1)),
    ]
    assert_stock_matches_moves()


def test_receipt_numbers_are_sequential_per_lane(catalog, store, admin_actor):
    rates = store.tax_rates()
    open_test_shift(store, "2")
    numbers = [
        sales.commit_sale(admin_actor, _one_line_cart(catalog, rates), [Tender("card", 100)], lane=lane).receipt_no
        for lane in ("1", "1", "2", "1", "2")
    ]
    assert numbers == ["1-000001", "1-000002", "2-000001", "1-000003", "2-000002"]
    assert [s.lane for s in sales.list_sales()] == ["1", "1", "2", "1", "2"]


def test_empty_cart_is_refused_and_writes_nothing(catalog, admin_actor):
    before = _written()
    with pytest.raises(ValidationError, match="the cart is empty"):
        sales.commit_sale(admin_actor, Cart(), [Tender("cash", 100)], lane="1")
    assert _written() == before


def test_under_payment_is_refused_and_writes_nothing(catalog, store, admin_actor):
    cart = _three_line_cart(catalog, store.tax_rates())
    before, stock = _written(), _stock(catalog.tea)
    with pytest.raises(ValidationError, match="0.05 is still due"):
        sales.commit_sale(admin_actor, cart, [Tender("cash", 500), Tender("card", 490)], lane="1")
    assert _written() == before and _stock(catalog.tea) == stock
    assert sales.commit_sale(admin_actor, cart, [Tender("card", 995)], lane="1").receipt_no == "1-000001"


def test_card_over_payment_is_refused(catalog, store, admin_actor):
    before = _written()
    with pytest.raises(ValidationError, match="only cash can be more than the amount due"):
        sales.commit_sale(admin_actor, _one_line_cart(catalog, store.tax_rates()), [Tender("card", 150)], lane="1")
    assert _written() == before


def test_a_sale_needs_a_logged_in_cashier(catalog, store):
    before = _written()
    with pytest.raises(ValidationError, match="logged-in cashier"):
        sales.commit_sale(Actor.cli(), _one_line_cart(catalog, store.tax_rates()), [Tender("cash", 100)], lane="1")
    assert _written() == before


def test_a_failure_mid_transaction_writes_nothing_at_all(catalog, store, admin_actor, monkeypatch, assert_stock_matches_moves):
    rates = store.tax_rates()
    sales.commit_sale(admin_actor, _one_line_cart(catalog, rates), [Tender("cash", 100)], lane="1")
    before = _written()
    stock = {code: _stock(code) for code in (catalog.tea, catalog.milk, catalog.apples)}
    counter = Setting.get_by_id("receipt_seq.1").value

    def broken(*args, **kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr("pos_tui.services.audit.record", broken)
    with pytest.raises(RuntimeError):
        sales.commit_sale(admin_actor, _three_line_cart(catalog, rates), [Tender("cash", 2000)], lane="1")
    assert _written() == before
    assert {code: _stock(code) for code in stock} == stock
    assert Setting.get_by_id("receipt_seq.1").value == counter
    assert not Sale.select().where(Sale.receipt_no == "1-000002").exists()
    assert_stock_matches_moves()

    monkeypatch.undo()
    info = sales.commit_sale(admin_actor, _three_line_cart(catalog, rates), [Tender("cash", 2000)], lane="1")
    assert info.receipt_no == "1-000002"


def test_a_failure_on_a_new_lane_does_not_start_its_counter(catalog, store, admin_actor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk I/O error")

    open_test_shift(store, "7")
    monkeypatch.setattr("pos_tui.services.audit.record", broken)
    with pytest.raises(RuntimeError):
        sales.commit_sale(admin_actor, _one_line_cart(catalog, store.tax_rates()), [Tender("cash", 100)], lane="7")
    assert Setting.get_or_none(Setting.key == "receipt_seq.7") is None
    monkeypatch.undo()
    info = sales.commit_sale(admin_actor, _one_line_cart(catalog, store.tax_rates()), [Tender("cash", 100)], lane="7")
    assert info.receipt_no == "7-000001"


def test_training_sale_is_marked_and_moves_no_stock(catalog, store, admin_actor, assert_stock_matches_moves):
    trainee = Actor(admin_actor.username, admin_actor.role, admin_actor.user_id, admin_actor.os_user, training=True)
    moves = StockMove.select().count()
    stock = {code: _stock(code) for code in (catalog.tea, catalog.milk, catalog.apples)}
    info = sales.commit_sale(trainee, _three_line_cart(catalog, store.tax_rates()), [Tender("cash", 1000)], lane="1")
    assert info.training is True
    assert Sale.get(Sale.receipt_no == info.receipt_no).training is True
    assert StockMove.select().count() == moves
    assert {code: _stock(code) for code in stock} == stock
    assert json.loads(AuditLog.select().order_by(AuditLog.id.desc()).first().details)["training"] is True
    assert_stock_matches_moves()


def test_get_sale_of_an_unknown_receipt(store):
    with pytest.raises(NotFound, match="no sale with receipt number '9-000009'"):
        sales.get_sale(" 9-000009 ")


def test_list_sales_since_and_limit(catalog, store, admin_actor):
    rates = store.tax_rates()
    london = ZoneInfo("Europe/London")
    times = [T1, T1 + timedelta(hours=1), T1 + timedelta(hours=2), T1 + timedelta(days=1)]
    for at in times:
        sales.commit_sale(admin_actor, _one_line_cart(catalog, rates), [Tender("cash", 500)], lane="1", at=at)

    everything = sales.list_sales()
    assert [s.receipt_no for s in everything] == ["1-000001", "1-000002", "1-000003", "1-000004"]
    assert [s.time for s in everything] == times
    assert all(s.time.utcoffset() == timedelta(0) for s in everything)
    assert everything[0].lines == () and everything[0].payments == ()
    assert (everything[0].cashier, everything[0].total, everything[0].tax) == ("owner", 100, 5)

    # `since` is inclusive and compares instants, whatever zone it is given in.
    since = (T1 + timedelta(hours=1)).astimezone(london)
    assert [s.receipt_no for s in sales.list_sales(since)] == ["1-000002", "1-000003", "1-000004"]
    assert [s.receipt_no for s in sales.list_sales(since + timedelta(microseconds=1))] == ["1-000003", "1-000004"]

    # `limit` keeps the newest, still oldest first.
    assert [s.receipt_no for s in sales.list_sales(limit=2)] == ["1-000003", "1-000004"]
    assert [s.receipt_no for s in sales.list_sales(since, limit=1)] == ["1-000004"]

    detailed = sales.list_sales(limit=1, with_details=True)[0]
    assert [(l.barcode, l.qty, l.total) for l in detailed.lines] == [(catalog.milk, Decimal(1), 100)]
    assert [(p.amount, p.change) for p in detailed.payments] == [(100, 400)]
    assert detailed == sales.get_sale("1-000004")


def test_sales_are_listed_in_time_order_across_zones(catalog, store, admin_actor):
    """A sale timed in a zone ahead of UTC is still ordered by its instant."""
    rates = store.tax_rates()
    tokyo = ZoneInfo("Asia/Tokyo")
    later_utc = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)
    earlier_tokyo = datetime(2026, 5, 4, 20, 0, tzinfo=tokyo)  # 11:00 UTC
    sales.commit_sale(admin_actor, _one_line_cart(catalog, rates), [Tender("cash", 100)], lane="1", at=later_utc)
    sales.commit_sale(admin_actor, _one_line_cart(catalog, rates), [Tender("cash", 100)], lane="1", at=earlier_tokyo)
    assert [s.receipt_no for s in sales.list_sales()] == ["1-000002", "1-000001"]
    assert sales.get_sale("1-000002").time == earlier_tokyo


def test_naive_sale_time_is_refused_and_writes_nothing(catalog, store, admin_actor):
    before = _written()
    with pytest.raises(ValueError, match="naive"):
        sales.commit_sale(admin_actor, _one_line_cart(catalog, store.tax_rates()), [Tender("cash", 100)], lane="1",
                          at=datetime(2026, 5, 4, 9, 0))
    assert _written() == before
