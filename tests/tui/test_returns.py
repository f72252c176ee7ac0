"""Returns (F7): by receipt number, never more than sold minus returned, a supervisor past the limit."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.config import save_settings
from pos_tui.db.models import Product, Sale
from pos_tui.services import audit
from pos_tui.services.returns import returnable
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.return_lines import ReturnLinesModal

from tests.tui.pilot_helpers import login, wait_until

RECEIPT = "1-000005"


def _notice(app) -> str:
    return str(app.screen.query_one("#notice").render())


async def _open_return(pilot, app, receipt: str = RECEIPT) -> None:
    await login(pilot, "cashier", "1111")
    await pilot.press("f7")
    await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the receipt prompt")
    await pilot.press(*receipt, "enter")


async def _return_one_for_cash(pilot, app, goods: str) -> None:
    """One of the first line, refunded in cash; `goods` is s (restock) or w (write off)."""
    await _open_return(pilot, app)
    await wait_until(pilot, lambda: isinstance(app.screen, ReturnLinesModal), "the lines")
    await pilot.press(*"1", "enter", "f10")
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the refund tender")
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "goods" in app.screen.title_text,
                     "restock or write off")
    await pilot.press(goods)


async def test_return_one_item_for_cash_and_restock(demo_store):
    first = returnable(RECEIPT).lines[0]
    stock_before = Product.get(Product.barcode == first.barcode).stock
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _return_one_for_cash(pilot, app, "s")
        await wait_until(pilot, lambda: "Return 1-" in _notice(app), "the refund")
    back = Sale.select().order_by(Sale.id.desc()).first()
    refund, _ = first.refund_for(Decimal(1))
    assert (back.status, back.total, back.original.receipt_no) == ("return", -refund, RECEIPT)
    assert Product.get(Product.barcode == first.barcode).stock == stock_before + 1
    assert returnable(RECEIPT).lines[0].returned == 1
    assert audit.entries("sale.refund")[0].details["original"] == RECEIPT


async def test_more_than_can_come_back_is_refused(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_return(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnLinesModal), "the lines")
        await pilot.press(*"99", "enter")
        assert "more than the" in str(app.screen.query_one("#return-message").render())
        await pilot.press("f10")
        assert "at least one line" in str(app.screen.query_one("#return-message").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Return cancelled" in _notice(app), "cancelled")
    assert all(line.returned == 0 for line in returnable(RECEIPT).lines)


async def test_a_refund_past_the_cashiers_limit_needs_a_supervisor(demo_store):
    demo_store.set("limits.cashier.refund_max", "0.50")
    save_settings(demo_store)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _return_one_for_cash(pilot, app, "w")
        await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "the supervisor")
        await pilot.press(*"supervisor", "enter", *"2222", "enter")
        await wait_until(pilot, lambda: "Return 1-" in _notice(app), "the refund")
    assert audit.entries("sale.refund")[0].details["approver"] == "supervisor"
    assert audit.entries("override.approved")[0].details["what"] == "refund"


async def test_unknown_receipts_and_returns_of_returns_are_refused(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_return(pilot, app, "9-999999")
        await wait_until(pilot, lambda: "no sale with receipt number" in _notice(app), "unknown receipt")
        a_return = Sale.select().where(Sale.status == "return").first().receipt_no
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the receipt prompt")
        await pilot.press(*a_return, "enter")
        await wait_until(pilot, lambda: "cannot be returned" in _notice(app), "a return refused")


async def test_a_return_without_a_receipt_needs_a_supervisor_then_refunds_cash(demo_store):
    from pos_tui.services import audit as audit_service

    bread = "4010079190010"
    stock_before = Product.get(Product.barcode == bread).stock
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the receipt prompt")
        await pilot.press("n", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal) and "without" in app.screen.title_text,
                         "the item prompt")
        await pilot.press(*bread, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "restock or write off")
        assert "Refund 3.20 in cash" in app.screen.title_text
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "the supervisor")
        await pilot.press(*"supervisor", "enter", *"2222", "enter")
        await wait_until(pilot, lambda: "(no receipt): refund 3.20 in cash" in _notice(app), "the refund")
    assert Product.get(Product.barcode == bread).stock == stock_before + 1
    assert audit_service.entries("sale.refund_no_receipt")[0].details["approver"] == "supervisor"
