"""After the commit: the receipt prints through the print queue (simulated: a text file), the
drawer opens for cash and the opening is audited; Ctrl+P reprints the last receipt marked COPY."""

from __future__ import annotations

from pos_tui.db.models import Sale
from pos_tui.services import audit
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.receipt_view import ReceiptModal

from tests.tui.pilot_helpers import login, scan, wait_until, settle_workers


async def _sell(pilot, app, *keys: str) -> str:
    sales_before = Sale.select().count()
    await login(pilot, "cashier", "1111")
    await scan(pilot, "4010079190010")
    await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "a line")
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
    await pilot.press(*keys)
    await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale")
    await settle_workers(app)
    return Sale.select().order_by(Sale.id.desc()).first().receipt_no


async def test_a_cash_sale_prints_its_receipt_and_opens_the_drawer(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        receipt = await _sell(pilot, app, *"5", "enter")
        printed = demo_store.home / "receipts" / f"{receipt}.txt"
        await wait_until(pilot, printed.exists, "the receipt printed")
        await settle_workers(app)
    text = (demo_store.home / "receipts" / f"{receipt}.txt").read_text(encoding="utf-8")
    assert "Corner Shop (demo)" in text and receipt in text and "Sourdough Loaf 800g" in text
    assert "TOTAL" in text and "3.20" in text and "1.80" in text  # the change from 5.00
    assert f"open sale {receipt}" in (demo_store.home / "receipts" / "drawer.log").read_text()
    opening = audit.entries("drawer.open")[0]
    assert opening.details["receipt"] == receipt and opening.details["outcome"] == "opened"


async def test_a_card_sale_leaves_the_drawer_shut(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        receipt = await _sell(pilot, app, "k", "enter")
        await wait_until(pilot, (demo_store.home / "receipts" / f"{receipt}.txt").exists, "the receipt printed")
        await settle_workers(app)
    assert not (demo_store.home / "receipts" / "drawer.log").exists()
    assert audit.entries("drawer.open") == []


async def test_ctrl_p_reprints_the_last_receipt_marked_copy(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        receipt = await _sell(pilot, app, "enter")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceiptModal), "the copy on screen")
        assert "COPY" in str(app.screen.query_one("#receipt-text").render())
        copy = demo_store.home / "receipts" / f"{receipt}-copy.txt"
        await wait_until(pilot, copy.exists, "the copy printed")
        await settle_workers(app)
    assert "COPY" in (demo_store.home / "receipts" / f"{receipt}-copy.txt").read_text(encoding="utf-8")
    assert audit.entries("receipt.reprint")[0].target == receipt


async def test_nothing_to_reprint_on_a_fresh_till(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: "No receipt to reprint" in str(app.screen.query_one("#notice").render()),
                         "the notice")
