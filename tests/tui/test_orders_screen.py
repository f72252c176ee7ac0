"""The Orders area at the till: counts by status, late orders first, the timeline, actions as each role."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pos_tui.db.models import DeliveryOrder
from pos_tui.services import orders
from pos_tui.services.auth import authenticate
from pos_tui.services.order_info import get_order
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.order_detail import OrderDetailModal
from pos_tui.tui.modals.ship_form import ShipFormModal
from pos_tui.tui.screens.orders import OrdersScreen

from tests.tui.pilot_helpers import login, settle_workers, shown, wait_until

BREAD, HALLOUMI = "4010079190010", "9313246790415"


def _take(settings, *lines, **kwargs) -> str:
    """An order for Margaret (LC000101), to an address given here."""
    admin = authenticate("admin", "admin")
    cart = orders.cart_from_lines(settings, [(code, Decimal(qty)) for code, qty in lines])
    kwargs.setdefault("delivery", orders.Delivery(address="5 Mill Lane, York YO1 7AA"))
    made = orders.create_order(admin, settings, cart, customer_id=orders.resolve_customer("LC000101"), **kwargs)
    return made.number


def _clear_demo_orders() -> None:
    from pos_tui.db.models import OrderEvent, OrderLine, OrderPayment, OutboxMessage

    for model in (OutboxMessage, OrderEvent, OrderPayment, OrderLine, DeliveryOrder):
        model.delete().execute()


async def _to_orders(pilot, app) -> OrdersScreen:
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the menu")
    await pilot.press("o")
    await wait_until(pilot, lambda: isinstance(app.screen, OrdersScreen), "the orders screen")
    await wait_until(pilot, lambda: app.screen.listing is not None, "the orders read")
    return app.screen


def _rows(screen: OrdersScreen) -> list[tuple[str, str]]:
    table = screen.query_one("#orders-table")
    return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]


async def test_the_list_counts_each_status_and_puts_late_orders_first_marked_late(demo_store):
    _clear_demo_orders()
    on_time = _take(demo_store, (BREAD, "1"))
    late = _take(demo_store, (HALLOUMI, "1"))
    pending = _take(demo_store, (BREAD, "1"), payment="on_delivery", deposit=None)  # newest
    DeliveryOrder.update(expected_date=(date.today() - timedelta(days=3)).isoformat()).where(
        DeliveryOrder.number == late).execute()
    DeliveryOrder.update(status="pending_review").where(DeliveryOrder.number == pending).execute()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        screen = await _to_orders(pilot, app)
        tabs = shown(app, "#orders-tabs")
        assert "All 3" in tabs and "Late 1" in tabs and "Review 1" in tabs and "Approved 2" in tabs
        rows = _rows(screen)
        assert rows[0] == (late, "LATE approved")
        assert [number for number, _ in rows] == [late, pending, on_time]
        await pilot.press("f2", "f2")  # all -> late -> draft
        await wait_until(pilot, lambda: screen.filter == "draft" and not _rows(screen), "the draft tab, empty")
        assert "No draft orders" in shown(app, "#orders-notice")
        await settle_workers(app)


async def test_the_detail_shows_lines_delivery_payments_and_the_timeline(demo_store):
    _clear_demo_orders()
    number = _take(demo_store, (BREAD, "2"), note="Ring twice")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await _to_orders(pilot, app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, OrderDetailModal) and app.screen.order is not None,
                         "the order's details")
        text = shown(app, "#order-detail")
        assert number in text and "Margaret Thompson" in text and "5 Mill Lane, York YO1 7AA" in text
        assert "Ring twice" in text and "cash" in text
        timeline = text.split("Timeline")[1].splitlines()[1:]
        assert [line.split()[2:5] for line in timeline] == [["draft", "admin", "Ring"],
                                                           ["draft", "->", "approved"]]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, OrdersScreen), "back at the list")
        await settle_workers(app)


async def test_a_supervisor_approves_with_a_note_and_a_cashier_is_refused_plainly(demo_store):
    _clear_demo_orders()
    number = _take(demo_store, (BREAD, "1"), submit=False)
    orders.submit_order(authenticate("admin", "admin"), demo_store, number)
    DeliveryOrder.update(status="pending_review").where(DeliveryOrder.number == number).execute()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        screen = await _to_orders(pilot, app)
        await wait_until(pilot, lambda: screen.current is not None, "the order highlighted")
        await pilot.press("f5")  # refused at once, before a note is asked
        await wait_until(pilot, lambda: "may not" in shown(app, "#orders-notice"), "the refusal")
        assert isinstance(app.screen, OrdersScreen)
        assert "cashier (cashier) may not" in shown(app, "#orders-notice")
        assert "[order.approve]" in shown(app, "#orders-notice")
        assert get_order(number).status == "pending_review"
        await settle_workers(app)

    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        screen = await _to_orders(pilot, app)
        await wait_until(pilot, lambda: screen.current is not None, "the order highlighted")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the note")
        await pilot.press(*"called the customer", "enter")
        await wait_until(pilot, lambda: f"{number} is approved" in shown(app, "#orders-notice"), "the approval")
        await settle_workers(app)
    done = get_order(number)
    assert (done.status, done.reviewed_by, done.review_note) == ("approved", "supervisor", "called the customer")
    assert (done.events[-1].status_to, done.events[-1].username, done.events[-1].source) == (
        "approved", "supervisor", "till")


async def test_only_the_actions_the_status_allows_are_offered(demo_store):
    _clear_demo_orders()
    _take(demo_store, (BREAD, "1"))  # approved: pack or cancel
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        screen = await _to_orders(pilot, app)
        await wait_until(pilot, lambda: screen.current is not None, "the order highlighted")
        offered = {b.binding.id for b in screen.active_bindings.values()
                   if b.binding.id and b.binding.id.startswith("orders.") and b.enabled}
        assert offered >= {"orders.pack", "orders.cancel", "orders.detail", "orders.slip"}
        assert not offered & {"orders.ship", "orders.deliver", "orders.approve", "orders.return", "orders.submit"}
        await pilot.press("f8")  # not offered: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        await settle_workers(app)


async def test_ship_picks_the_carrier_from_the_list_so_an_unknown_one_cannot_be_given(demo_store):
    _clear_demo_orders()
    number = _take(demo_store, (BREAD, "1"))
    orders.pack(authenticate("admin", "admin"), demo_store, number)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        screen = await _to_orders(pilot, app)
        await wait_until(pilot, lambda: screen.current is not None, "the order highlighted")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the carriers")
        assert list(app.screen.choices.values()) == list(orders.carriers(demo_store))
        await pilot.press("x")  # not a carrier's key: still choosing
        await pilot.pause()
        assert isinstance(app.screen, ChooseModal)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, ShipFormModal), "the ship form")
        assert app.screen.carrier == orders.carriers(demo_store)[1]
        await pilot.press(*"TRK-1", "enter", *"next-day", "enter", *"2026-13-01", "enter", "enter")
        await wait_until(pilot, lambda: "must be YYYY-MM-DD" in shown(app, "#ship-message"), "the bad date")
        assert get_order(number).status == "packed"
        field = app.screen.query_one("#ship-expected")
        field.value = ""
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, OrdersScreen)
                         and f"{number} is shipped" in shown(app, "#orders-notice"), "shipped")
        await settle_workers(app)
    done = get_order(number)
    assert (done.carrier, done.tracking_number, done.service) == (orders.carriers(demo_store)[1], "TRK-1", "next-day")


async def test_a_cashier_turns_the_cart_into_a_paid_delivery_order(demo_store):
    from pos_tui.tui.modals.customer_search import CustomerSearchModal
    from pos_tui.tui.modals.order_form import OrderFormModal
    from pos_tui.tui.modals.payment import PaymentModal
    from pos_tui.tui.screens.checkout import CheckoutScreen
    from tests.tui.pilot_helpers import scan

    _clear_demo_orders()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await scan(pilot, HALLOUMI)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 2, "the basket")
        total = app.screen.cart.totals().total
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerSearchModal), "who the order is for")
        await pilot.press(*"LC000101")
        await wait_until(pilot, lambda: len(app.screen.rows) == 1, "the customer found")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, OrderFormModal), "the order form")
        await wait_until(pilot, lambda: app.screen.query_one("#order-recipient").value == "Margaret Thompson",
                         "the recipient from the customer")
        await pilot.press("f10")  # no address yet: refused in the form
        await wait_until(pilot, lambda: "needs an address" in shown(app, "#order-form-message"), "the refusal")
        app.screen.query_one("#order-address").value = "5 Mill Lane, York YO1 7AA"
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment")
        assert app.screen.total_due == total
        await pilot.press("enter")  # the amount shown, in cash
        await wait_until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                         and "Order ORD-" in shown(app, "#notice"), "the order number")
        number = shown(app, "#notice").split()[1]
        assert app.screen.cart.is_empty
        await settle_workers(app)
    made = get_order(number)
    assert (made.customer, made.fulfilment, made.payment, made.status) == (
        "Margaret Thompson", "delivery", "paid", "approved")
    assert (made.total, made.paid, made.address) == (total, total, "5 Mill Lane, York YO1 7AA")
    assert [(p.tender, p.amount, p.username) for p in made.payments] == [("cash", total, "cashier")]
    assert [line.barcode for line in made.lines] == [BREAD, HALLOUMI]


async def test_the_search_shows_what_is_available_when_orders_hold_stock(demo_store):
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services.catalog import get_product
    from pos_tui.tui.modals.product_search import ProductSearchModal

    _clear_demo_orders()
    _take(demo_store, (HALLOUMI, "2"))  # approved: 2 held
    on_hand = get_product(HALLOUMI).stock
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductSearchModal), "the search")
        await pilot.press(*"halloumi")
        await wait_until(pilot, lambda: app.screen.barcodes == [HALLOUMI], "one match")
        cell = str(app.screen.query_one("#results").get_row_at(0)[2])
        assert cell == f"{format_qty(on_hand)} ({format_qty(on_hand - 2)} av)"
        await pilot.press("escape")
        await pilot.press(*"bread")  # nothing held: the plain figure
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductSearchModal) and app.screen.rows, "bread")
        assert "av" not in str(app.screen.query_one("#results").get_row_at(0)[2])
        await settle_workers(app)


async def test_a_pickup_paid_later_needs_no_customer_and_no_payment(demo_store):
    from pos_tui.tui.modals.customer_search import CustomerSearchModal
    from pos_tui.tui.modals.order_form import OrderFormModal
    from pos_tui.tui.screens.checkout import CheckoutScreen
    from tests.tui.pilot_helpers import scan

    _clear_demo_orders()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the basket")
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerSearchModal), "who the order is for")
        await pilot.press("escape")  # no customer
        await wait_until(pilot, lambda: isinstance(app.screen, OrderFormModal), "the order form")
        await pilot.press("backspace", "p", "enter", "backspace", "x", "f10")
        await wait_until(pilot, lambda: "type F (paid in full)" in shown(app, "#order-form-message"),
                         "the bad payment letter refused")
        app.screen.query_one("#order-payment").value = "L"
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                         and "taken: approved, 3.20 owed" in shown(app, "#notice"), "the order taken")
        number = shown(app, "#notice").split()[1]
        await settle_workers(app)
    made = get_order(number)
    assert (made.customer_id, made.fulfilment, made.payment, made.paid, made.payments) == (
        None, "pickup", "on_delivery", 0, ())


async def test_a_list_read_for_an_earlier_tab_that_ends_last_does_not_cover_the_tab_chosen(demo_store, monkeypatch):
    """F2 pressed quickly: the read for the tab passed through may finish after the read for the tab
    chosen; the screen keeps the chosen tab's list."""
    import threading

    from pos_tui.services import order_info

    _clear_demo_orders()
    late = _take(demo_store, (BREAD, "1"))  # one approved order, late: in the "late" list, not under Review
    DeliveryOrder.update(expected_date=(date.today() - timedelta(days=3)).isoformat()).where(
        DeliveryOrder.number == late).execute()
    hold_late, real_list_orders, asked = threading.Event(), order_info.list_orders, []

    def list_orders(status=None, late=False):
        asked.append("late" if late else status or "all")
        if late:  # the "late" tab's read, passed through on the way to Review, finishes last
            hold_late.wait(10)
        return real_list_orders(status, late=late)

    monkeypatch.setattr(order_info, "list_orders", list_orders)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        screen = await _to_orders(pilot, app)
        await pilot.press("f2", "f2", "f2")  # all -> late -> draft -> pending_review
        await wait_until(pilot, lambda: asked[-1] == "pending_review" and screen.filter == "pending_review"
                         and "No review orders" in shown(app, "#orders-notice"), "the review tab, empty")
        hold_late.set()
        await settle_workers(app)
        await pilot.pause()
        assert not _rows(screen) and "No review orders" in shown(app, "#orders-notice")
        assert "[Review 0]" in shown(app, "#orders-tabs")
