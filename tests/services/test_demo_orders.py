"""The demo's orders: every status, some late, consistent with stock, money and their timelines."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from pos_tui.config import load_settings
from pos_tui.db.database import close_database
from pos_tui.db.models import DeliveryOrder, OrderEvent, OrderLine, OrderPayment, Shift, StockMove
from pos_tui.services.demo import build_demo_store
from pos_tui.services.order_info import list_orders
from pos_tui.services.order_status import STATUSES
from pos_tui.services.order_stock import reserved
from tests.conftest import DEMO_TODAY


def test_the_demo_has_orders_in_every_status_and_some_late(demo_store):
    listing = list_orders(today=DEMO_TODAY)
    assert all(listing.counts[status] >= 1 for status in STATUSES), listing.counts
    late = [o for o in listing.orders if o.late]
    assert len(late) >= 2 and {o.status for o in late} <= {"approved", "packed", "shipped"}
    assert listing.orders[:len(late)] == late  # late first
    assert all(o.customer for o in listing.orders)  # each for a demo customer
    assert {o.payment for o in listing.orders} == {"paid", "deposit", "on_delivery"}


def test_every_timeline_ends_at_the_orders_status_in_time_order(demo_store):
    for order in DeliveryOrder.select():
        events = list(OrderEvent.select().where(OrderEvent.order == order.id).order_by(OrderEvent.id))
        assert events[0].status_to == "draft" and events[-1].status_to == order.status, order.number
        times = [e.created_at for e in events]
        assert times == sorted(times), order.number
        assert all(e.username for e in events)


def test_stock_left_with_shipped_orders_came_back_with_returns_and_is_held_for_open_ones(demo_store):
    for order in DeliveryOrder.select():
        lines = Counter()
        for line in OrderLine.select().where(OrderLine.order == order.id):
            lines[line.product_id] += line.qty
        taken = Counter()
        for m in StockMove.select().where((StockMove.reference == order.number) & (StockMove.reason == "order")):
            taken[m.product_id] -= m.delta
        back = Counter()
        for m in StockMove.select().where((StockMove.reference == order.number) & (StockMove.reason == "return")):
            back[m.product_id] += m.delta
        left = order.status in ("shipped", "delivered", "returned")
        assert taken == (lines if left else Counter()), order.number
        assert back == (lines if order.status == "returned" else Counter()), order.number
    held = Counter()
    for line in OrderLine.select().join(DeliveryOrder).where(DeliveryOrder.status.in_(("approved", "packed"))):
        held[line.product_id] += line.qty
    assert {pid: qty for pid, qty in reserved(list(held)).items()} == dict(held)
    assert all(qty > 0 for qty in held.values()) and held


def test_order_money_is_in_the_open_shift_and_adds_up(demo_store):
    (open_shift,) = Shift.select().where(Shift.closed_at.is_null())
    payments = list(OrderPayment.select())
    assert payments and {p.shift_id for p in payments} == {open_shift.id}
    for order in DeliveryOrder.select():
        paid = sum(p.amount for p in payments if p.order_id == order.id)
        assert order.paid == paid, order.number
        if order.payment == "paid":
            assert paid == order.total
        if order.payment == "deposit":
            assert 0 < paid < order.total


def test_the_demo_orders_are_the_same_when_built_again(demo_store, tmp_path):
    def snapshot():
        return [(o.number, o.status, o.customer_id, o.total, o.expected_date, o.tracking_number,
                 [(l.barcode, l.qty) for l in OrderLine.select().where(OrderLine.order == o.id).order_by(OrderLine.id)])
                for o in DeliveryOrder.select().order_by(DeliveryOrder.id)]

    first = snapshot()
    close_database()
    build_demo_store(load_settings(tmp_path / "again"), today=DEMO_TODAY)
    assert snapshot() == first
    assert sum((qty for *_, lines in first for _, qty in lines), Decimal(0)) > 0
