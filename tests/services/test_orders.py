"""Orders: taking one (customer, address, payment), the status changes, stock and money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, DeliveryOrder, OrderEvent, OrderPayment, OutboxMessage, Product, StockMove
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.services import integrity, orders, shifts
from pos_tui.services.order_status import IllegalTransition
from pos_tui.services.shift_reports import x_report
from tests.services.conftest import MILK, TEA
from tests.services.order_helpers import make_shop, order


@pytest.fixture
def shop(store, admin_actor):
    return make_shop(store, admin_actor)


def _pid(barcode: str) -> int:
    return Product.get(Product.barcode == barcode).id


def _written() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (DeliveryOrder, OrderEvent, OrderPayment, OutboxMessage, StockMove,
                                               AuditLog))


def test_a_paid_delivery_order_is_numbered_addressed_paid_and_approved(shop):
    cash_before = shifts.expected_cash("1")
    made = order(shop, (TEA, "2"), (MILK, "1"))
    assert made.number == "ORD-000001"
    assert (made.status, made.review_rule) == ("approved", "auto: no rule matched")
    assert (made.recipient, made.recipient_phone) == ("Ann Archer", "+44 7700 900001")
    assert made.address == "1 High Street\nLeeds LS1 1AA"
    assert made.total == 600 and made.paid == 600 and made.balance == 0
    assert [(p.tender, p.amount) for p in made.payments] == [("cash", 600)]
    assert shifts.expected_cash("1") == cash_before + 600
    assert [(e.status_from, e.status_to, e.username) for e in made.events] == [
        ("", "draft", "cathy"), ("draft", "approved", "cathy")]
    assert [line.name for line in made.lines] == ["Breakfast Tea 80 bags", "Whole Milk 1L"]
    message = OutboxMessage.get()
    assert (message.channel, message.recipient, message.event) == ("email", "ann@example.com", "approved")
    assert "ORD-000001" in message.text and "Ann Archer" in message.text
    assert order(shop, (TEA, "1")).number == "ORD-000002"


def test_a_delivery_with_no_address_is_refused_and_writes_nothing(shop):
    before = _written()
    with pytest.raises(ValidationError, match="Bob Baker has no default address.*--address"):
        order(shop, (TEA, "1"), customer_id=shop.bob)
    assert _written() == before


def test_a_given_address_is_used_and_the_phone_comes_from_the_customer(shop):
    made = order(shop, (TEA, "1"), customer_id=shop.bob, delivery=orders.Delivery(address="9 Mill Lane, York"))
    assert (made.recipient, made.recipient_phone, made.address) == ("Bob Baker", "+44 7700 900002", "9 Mill Lane, York")


def test_a_pickup_needs_no_customer_and_pay_on_delivery_takes_nothing_yet(shop):
    cash_before = shifts.expected_cash("1")
    made = order(shop, (TEA, "1"), customer_id=None, fulfilment="pickup", payment="on_delivery")
    assert (made.customer, made.address, made.paid, made.balance) == ("", "", 0, 250)
    assert made.payments == () and shifts.expected_cash("1") == cash_before
    assert OutboxMessage.select().count() == 0  # nobody to write to


@pytest.mark.parametrize("deposit", [0, 500, 700])
def test_a_deposit_must_be_more_than_zero_and_less_than_the_total(shop, deposit):
    before = _written()
    with pytest.raises(ValidationError, match="a deposit must be more than 0.00 and less than the total 5.00"):
        order(shop, (TEA, "2"), payment="deposit", deposit=deposit)
    assert _written() == before


def test_a_card_deposit_is_recorded_but_leaves_the_drawer_alone(shop):
    cash_before = shifts.expected_cash("1")
    made = order(shop, (TEA, "2"), payment="deposit", deposit=100, tender="card")
    assert (made.paid, made.balance) == (100, 400)
    assert [(p.tender, p.amount, p.shift_id) for p in made.payments] == [("card", 100, shifts.current_shift("1").id)]
    assert shifts.expected_cash("1") == cash_before


def test_order_cash_counts_in_the_shifts_expected_cash_and_its_report(shop):
    shift = shifts.current_shift("1")
    before = x_report(shift.id)
    order(shop, (TEA, "2"), payment="deposit", deposit=150, tendered=200)  # change 0.50 given
    made = order(shop, (MILK, "1"), customer_id=None, fulfilment="pickup", payment="on_delivery")
    orders.pack(shop.cathy, shop.settings, made.number)
    orders.deliver(shop.cathy, shop.settings, made.number, tender="cash")  # balance 1.00 in cash
    after = x_report(shift.id)
    assert after.order_cash == 250
    assert after.expected_cash == before.expected_cash + 250 == shifts.expected_cash("1")
    assert after.cash_sales == before.cash_sales  # an order is not a sale


def test_closing_the_shift_expects_the_order_cash_then_money_needs_an_open_shift(shop, store):
    store.set("backup.on_shift_close", "false")
    store.set("shift.count_by_denomination", "false")
    order(shop, (TEA, "1"))  # 2.50 cash on top of the 100.00 float
    closed = shifts.close_shift(shop.owner, store, lane="1", amount=10250)
    assert closed.shift.over_short == 0
    before = _written()
    with pytest.raises(ValidationError, match="no open shift"):
        order(shop, (TEA, "1"))
    assert _written() == before
    assert order(shop, (TEA, "1"), payment="on_delivery").status == "approved"  # nothing taken: no shift needed


def test_approval_reserves_stock_and_shipping_takes_it(shop):
    tea, milk = _pid(TEA), _pid(MILK)
    made = order(shop, (TEA, "3"), (MILK, "2"))
    assert orders.reserved([tea, milk]) == {tea: 3, milk: 2}
    assert orders.available([tea, milk]) == {tea: 7, milk: 3}
    assert Product.get_by_id(tea).stock == 10  # nothing moved yet
    orders.pack(shop.cathy, shop.settings, made.number)
    assert orders.reserved([tea]) == {tea: 3}
    shipped = orders.ship(shop.sam, shop.settings, made.number, carrier="dpd", tracking="1Z999",
                          expected=date(2026, 12, 1), cost=495)
    assert (shipped.carrier, shipped.tracking_number, shipped.expected_date) == ("DPD", "1Z999", date(2026, 12, 1))
    assert shipped.shipping_cost == 495 and shipped.shipped_at is not None
    assert orders.reserved([tea, milk]) == {tea: 0, milk: 0}
    assert orders.available([tea, milk]) == {tea: 7, milk: 3}
    moves = [(m.delta, m.reason, m.reference) for m in StockMove.select().where(StockMove.reason == "order")]
    assert sorted(moves) == [(Decimal(-3), "order", made.number), (Decimal(-2), "order", made.number)]
    assert integrity.check_store() == []


def test_an_order_the_shop_cannot_fill_waits_and_cannot_be_approved(shop):
    made = order(shop, (MILK, "6"))
    assert made.status == "pending_review"
    assert made.review_rule == "stock: Whole Milk 1L needs 6, available 5"
    before = _written()
    with pytest.raises(ValidationError, match="not enough stock for Whole Milk 1L needs 6, available 5"):
        orders.approve(shop.sam, shop.settings, made.number, "customer is a regular")
    assert _written() == before and orders.get_order(made.number).status == "pending_review"


def test_a_second_order_sees_the_first_ones_reservation(shop):
    order(shop, (MILK, "4"))
    second = order(shop, (MILK, "2"))
    assert second.status == "pending_review" and "available 1" in second.review_rule


def test_cancelling_releases_stock_and_gives_the_cash_back(shop):
    milk = _pid(MILK)
    cash_before = shifts.expected_cash("1")
    made = order(shop, (MILK, "2"))
    with pytest.raises(AuthError, match="order.approve"):
        orders.cancel(shop.cathy, shop.settings, made.number)
    cancelled = orders.cancel(shop.sam, shop.settings, made.number, note="changed her mind")
    assert cancelled.status == "cancelled" and cancelled.paid == 0
    assert [p.amount for p in cancelled.payments] == [200, -200]
    assert shifts.expected_cash("1") == cash_before
    assert orders.reserved([milk]) == {milk: 0}
    assert cancelled.events[-1].note == "changed her mind"


def test_a_cashier_may_cancel_an_order_nobody_approved_yet(shop):
    made = order(shop, (MILK, "9"), payment="on_delivery")
    assert made.status == "pending_review"
    assert orders.cancel(shop.cathy, shop.settings, made.number).status == "cancelled"


@pytest.mark.parametrize("action, message", [
    ("deliver", "cannot deliver order ORD-000001: it is approved; allowed now: pack, cancel"),
    ("ship_cancelled", "cannot ship order ORD-000001: it is cancelled; allowed now: nothing (it is final)"),
    ("return", "cannot return order ORD-000001: it is approved"),
])
def test_an_illegal_change_names_the_status_and_what_is_allowed_and_changes_nothing(shop, action, message):
    made = order(shop, (TEA, "1"))
    if action == "ship_cancelled":
        orders.cancel(shop.sam, shop.settings, made.number)
    before = _written()
    with pytest.raises(IllegalTransition) as caught:
        if action == "deliver":
            orders.deliver(shop.sam, shop.settings, made.number)
        elif action == "return":
            orders.return_order(shop.sam, shop.settings, made.number)
        else:
            orders.ship(shop.sam, shop.settings, made.number, carrier="DPD", tracking="X1")
    assert message in str(caught.value)
    assert _written() == before


def test_a_pickup_is_collected_from_packed_and_never_shipped(shop):
    tea = _pid(TEA)
    made = order(shop, (TEA, "2"), customer_id=shop.bob, fulfilment="pickup", payment="on_delivery")
    orders.pack(shop.cathy, shop.settings, made.number)
    with pytest.raises(IllegalTransition, match="a pickup order is not shipped"):
        orders.ship(shop.sam, shop.settings, made.number, carrier="DPD", tracking="X2")
    collected = orders.deliver(shop.cathy, shop.settings, made.number, tender="card")
    assert (collected.status, collected.paid, collected.balance) == ("delivered", 500, 0)
    assert collected.delivered_at is not None
    assert Product.get_by_id(tea).stock == 8 and orders.reserved([tea]) == {tea: 0}
    assert integrity.check_store() == []


def test_a_returned_delivery_is_restocked(shop):
    tea = _pid(TEA)
    made = order(shop, (TEA, "2"))
    orders.pack(shop.cathy, shop.settings, made.number)
    orders.ship(shop.sam, shop.settings, made.number, carrier="Post", tracking="RR1")
    orders.deliver(shop.cathy, shop.settings, made.number)
    with pytest.raises(AuthError):
        orders.return_order(shop.cathy, shop.settings, made.number)
    back = orders.return_order(shop.sam, shop.settings, made.number, note="wrong size")
    assert back.status == "returned"
    assert Product.get_by_id(tea).stock == 10
    assert StockMove.select().where((StockMove.reason == "return") & (StockMove.reference == made.number)).count() == 1
    assert [e.status_to for e in back.events] == ["draft", "approved", "packed", "shipped", "delivered", "returned"]
    assert integrity.check_store() == []


def test_an_unknown_carrier_is_refused_naming_the_carriers(shop):
    made = order(shop, (TEA, "1"))
    orders.pack(shop.cathy, shop.settings, made.number)
    before = _written()
    with pytest.raises(ValidationError, match="unknown carrier 'Pigeon'; use one of Post, DPD, UPS, Courier"):
        orders.ship(shop.sam, shop.settings, made.number, carrier="Pigeon", tracking="P1")
    assert _written() == before
    shop.settings.set("orders.carriers", "Pigeon Post")
    assert orders.ship(shop.sam, shop.settings, made.number, carrier="pigeon post", tracking="P1").carrier == "Pigeon Post"


def test_a_tracking_number_belongs_to_one_order(shop):
    first, second = order(shop, (TEA, "1")), order(shop, (TEA, "1"))
    for made in (first, second):
        orders.pack(shop.cathy, shop.settings, made.number)
    orders.ship(shop.sam, shop.settings, first.number, carrier="UPS", tracking="1Z1")
    with pytest.raises(ValidationError, match="tracking number 1Z1 is already on order ORD-000001"):
        orders.ship(shop.sam, shop.settings, second.number, carrier="UPS", tracking="1Z1")


def test_late_orders_come_first_with_counts_per_status(shop):
    late = order(shop, (TEA, "1"), expected_date=date(2026, 11, 20))
    on_time = order(shop, (TEA, "1"), expected_date=date(2026, 12, 20))
    done = order(shop, (MILK, "1"), expected_date=date(2026, 11, 1))
    orders.cancel(shop.sam, shop.settings, done.number)
    listing = orders.list_orders(today=date(2026, 11, 26))
    assert [o.number for o in listing.orders] == [late.number, done.number, on_time.number]  # then newest first
    assert {o.number: o.late for o in listing.orders} == {late.number: True, on_time.number: False,
                                                          done.number: False}
    assert listing.late == 1
    assert listing.counts["approved"] == 2 and listing.counts["cancelled"] == 1 and listing.counts["shipped"] == 0
    assert [o.number for o in orders.list_orders(late=True, today=date(2026, 11, 26)).orders] == [late.number]
    assert [o.number for o in orders.list_orders("cancelled", today=date(2026, 11, 26)).orders] == [done.number]
    with pytest.raises(ValidationError, match="unknown order status 'lost'"):
        orders.list_orders("lost")


def test_an_unknown_order_number_points_at_the_list(shop):
    with pytest.raises(NotFound, match="no order 'ORD-000404'; see `pos order list`"):
        orders.get_order("ORD-000404")
    made = order(shop, (TEA, "1"))
    assert orders.get_order("1").number == made.number == orders.get_order("ord-000001").number


def test_a_draft_is_submitted_later(shop):
    made = order(shop, (TEA, "1"), submit=False)
    assert made.status == "draft" and OutboxMessage.select().count() == 0
    submitted = orders.submit_order(shop.cathy, shop.settings, made.number)
    assert submitted.status == "approved"
    with pytest.raises(IllegalTransition):
        orders.submit_order(shop.cathy, shop.settings, made.number)


def test_training_mode_takes_no_orders(shop):
    from dataclasses import replace

    with pytest.raises(ValidationError, match="training mode"):
        order(shop, (TEA, "1"), actor=replace(shop.cathy, training=True))
