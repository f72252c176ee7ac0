"""Purchasing at the till: the reorder list, drafting and receiving orders, suppliers,
and the supervisor's low-stock warning (which a cashier never sees)."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.db.models import Product, PurchaseOrder, StockMove, Supplier
from pos_tui.services import reorder, suppliers
from pos_tui.services.context import Actor
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.receive_order import ReceiveOrderModal
from pos_tui.tui.modals.supplier_form import SupplierFormModal
from pos_tui.tui.screens.purchasing import PurchasingScreen

from tests.tui.pilot_helpers import login, scan, settle_workers, shown, wait_until

CARROTS = "Carrots 1kg"  # demo: 13 on the shelf, reorder level 10


def _lamp(app) -> str:
    return str(app.screen.query_one("#low-stock").render())


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one("#po-table")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _notice(app) -> str:
    return shown(app, "#po-notice")


async def _open(pilot) -> PurchasingScreen:
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChooseModal), "the menu")
    assert pilot.app.screen.choices["U"] == "Purchasing"
    await pilot.press("u")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PurchasingScreen), "the purchasing screen")
    await _loaded(pilot)
    return pilot.app.screen


async def _loaded(pilot) -> None:
    await wait_until(pilot, lambda: not pilot.app.screen.loading, "the purchasing table")


async def test_a_supervisor_is_warned_at_login_and_after_a_sale_that_leaves_an_item_low(demo_store):
    low = reorder.low_stock_count()
    assert low > 0
    carrots = Product.get(Product.name == CARROTS)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await wait_until(pilot, lambda: _lamp(app) == f"{low} low on stock (F12)", "the low-stock lamp")
        assert shown(app, "#notice") == f"{low} products low on stock (F12 > Purchasing)"
        await scan(pilot, f"3*{carrots.barcode}")  # 13 -> 10: at its reorder level
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the carrots in the cart")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _lamp(app) == f"{low + 1} low on stock (F12)", "the lamp counting one more")
        assert "saved" in shown(app, "#notice")  # the change due is not hidden by the warning


async def test_a_cashier_sees_no_warning_and_no_purchasing(demo_store):
    assert reorder.low_stock_count() > 0
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await settle_workers(app)
        assert _lamp(app) == ""
        assert "low on stock" not in shown(app, "#notice")
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the menu")
        assert "U" not in app.screen.choices


async def test_draft_from_the_reorder_list_then_order_and_receive(demo_store):
    acme = suppliers.add_supplier(Actor.cli(), "Acme Wholesale", lead_time_days=5)
    candidates = [s.product_id for s in reorder.suggestions() if s.suggested > 0]
    Product.update(supplier=acme.id).where(Product.id.in_(candidates)).execute()
    wanted = [s for s in reorder.suggestions() if s.suggested > 0]  # with Acme's 5 days, not the default 7
    assert {s.supplier for s in wanted} == {"Acme Wholesale"}
    first = wanted[0]
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        screen = await _open(pilot)
        rows = _rows(app)
        assert len(rows) == len(reorder.suggestions())
        assert sum(r[0].startswith("! ") for r in rows) == reorder.low_stock_count()
        await pilot.press("d")
        await wait_until(pilot, lambda: _notice(app).startswith("Drafted PO-"), "the drafted notice")
        assert screen.view == "orders"
        assert _rows(app)[0][:4] == ["PO-000001", _rows(app)[0][1], "draft", "Acme Wholesale"]
        await pilot.press("enter")  # the order's lines
        await _loaded(pilot)
        assert [r[0] for r in _rows(app)] == [s.barcode for s in sorted(wanted, key=lambda s: s.name)]
        await pilot.press("o")
        await wait_until(pilot, lambda: "marked ordered" in _notice(app), "ordered")
        before = Product.get_by_id(first.product_id).stock
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceiveOrderModal) and app.screen.lines,
                         "the receive dialog")
        await pilot.press("f10")  # everything outstanding, as filled in
        await wait_until(pilot, lambda: isinstance(app.screen, PurchasingScreen) and "received" in _notice(app),
                         "received")
    assert PurchaseOrder.get(PurchaseOrder.number == "PO-000001").status == "received"
    assert Product.get_by_id(first.product_id).stock == before + first.suggested
    assert StockMove.select().where((StockMove.reference == "PO-000001") & (StockMove.reason == "receive")).count() \
        == len(wanted)


async def test_receiving_more_than_ordered_is_refused_in_the_dialog(demo_store):
    from pos_tui.services import purchase_orders
    from pos_tui.services.purchase_orders import LineSpec

    suppliers.add_supplier(Actor.cli(), "Acme")
    carrots = Product.get(Product.name == CARROTS)
    order = purchase_orders.create_order(Actor.cli(), "Acme", [LineSpec(carrots.barcode, Decimal(4))])
    purchase_orders.mark_ordered(Actor.cli(), order.number)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open(pilot)
        await pilot.press("f3")
        await _loaded(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceiveOrderModal) and app.screen.lines,
                         "the receive dialog")
        await pilot.press("backspace", "9", "f10")
        await wait_until(pilot, lambda: "more than the 4" in shown(app, "#receive-message"), "the refusal")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PurchasingScreen), "back")
    assert Product.get_by_id(carrots.id).stock == carrots.stock
    assert PurchaseOrder.get(PurchaseOrder.number == order.number).status == "ordered"


async def test_add_and_edit_a_supplier_in_the_form(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        screen = await _open(pilot)
        await pilot.press("f4")
        await _loaded(pilot)
        assert _notice(app) == "No suppliers yet; A adds one"
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, SupplierFormModal), "the supplier form")
        await pilot.press(*"Fresh Farms", "enter", *"Jo", "enter", "enter", "enter", "backspace", *"400", "f10")
        await wait_until(pilot, lambda: "0 to 365" in shown(app, "#supplier-message"), "the lead-time refusal")
        await pilot.press("backspace", "backspace", "backspace", "2", "f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PurchasingScreen) and _rows(app), "the list")
        assert _rows(app)[0][:2] == ["Fresh Farms", "2d"]
        assert screen.view == "suppliers"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, SupplierFormModal), "the edit form")
        await pilot.press("tab", "tab", *"0123 456", "f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PurchasingScreen) and "Saved" in _notice(app), "saved")
    row = Supplier.get(Supplier.name == "Fresh Farms")
    assert (row.contact, row.phone, row.lead_time_days) == ("Jo", "0123 456", 2)
