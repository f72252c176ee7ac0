"""Tenders at the till: split payments, card references, shop tenders, cash rounding."""

from __future__ import annotations

from pos_tui.config import save_settings
from pos_tui.db.models import Payment, Sale
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login, scan, wait_until, settle_workers

BREAD = "4010079190010"  # 3.20
HALLOUMI = "9313246790415"  # 2.75


async def _to_payment(pilot, app, *codes: str) -> None:
    await login(pilot, "cashier", "1111")
    for code in codes:
        await scan(pilot, code)
    await wait_until(pilot, lambda: len(app.screen.cart.lines) == len(set(codes)), "the cart lines")
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")


def _last_payments() -> list[tuple[str, int, int, int, str]]:
    sale = Sale.select().order_by(Sale.id.desc()).first()
    return [(p.tender, p.amount, p.tendered, p.change, p.reference)
            for p in Payment.select().where(Payment.sale == sale).order_by(Payment.id)]


async def test_split_card_then_cash_with_change_from_cash_only(demo_store):
    sales_before = Sale.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_payment(pilot, app, BREAD, HALLOUMI)  # 5.95
        await pilot.press(*"4", "k")  # 4.00 by card
        assert "reference" in str(app.screen.query_one("#payment-prompt").render())
        await pilot.press(*"A1B2", "enter")
        await wait_until(pilot, lambda: "1.95 still due" in str(app.screen.query_one("#payment-message").render()),
                         "the rest still due")
        await pilot.press(*"5", "enter")  # 5.00 cash for the 1.95 left
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale")
        await settle_workers(app)
    assert _last_payments() == [("card", 400, 400, 0, "A1B2"), ("cash", 195, 500, 305, "")]


async def test_a_card_may_not_be_overpaid(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_payment(pilot, app, BREAD)  # 3.20
        await pilot.press(*"10", "k")
        assert isinstance(app.screen, PaymentModal)
        message = str(app.screen.query_one("#payment-message").render())
        assert "card cannot pay more than the 3.20 still due" in message
        assert app.screen.tenders == []


async def test_the_shops_own_tender_by_its_letter_pays_the_remaining(demo_store):
    sales_before = Sale.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_payment(pilot, app, BREAD)
        keys = str(app.screen.query_one("#payment-keys").render())
        assert "V Voucher" in keys and "M Mobile" in keys and "K Card" in keys
        await pilot.press("v", "enter")  # voucher for all 3.20, no reference
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale")
        await settle_workers(app)
    assert _last_payments() == [("voucher", 320, 320, 0, "")]


async def test_an_unknown_tender_letter_is_refused(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_payment(pilot, app, BREAD)
        await pilot.press("z")
        assert "No tender on Z" in str(app.screen.query_one("#payment-message").render())
        assert isinstance(app.screen, PaymentModal) and app.screen.tenders == []


async def test_cash_rounds_to_the_coin_step_but_a_card_pays_to_the_cent(demo_store):
    demo_store.set("cash.rounding", "0.05")
    save_settings(demo_store)
    sales_before = Sale.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_payment(pilot, app, BREAD, HALLOUMI, "2100001012342")  # 5.95 + 1.36 = 7.31
        assert "(cash 7.30)" in str(app.screen.query_one("#payment-prompt").render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale")
        await settle_workers(app)
    sale = Sale.select().order_by(Sale.id.desc()).first()
    assert (sale.total, sale.rounding) == (731, -1)
    assert _last_payments() == [("cash", 730, 730, 0, "")]
