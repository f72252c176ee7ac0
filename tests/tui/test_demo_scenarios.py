"""`pos demo --scenario`: what the trainee sees at the login and can do straight after it, per scenario."""

from __future__ import annotations

import re

from pos_tui.db.models import Payment, Sale
from pos_tui.domain.money import format_money
from pos_tui.services import demo_scenarios
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.count_form import CountFormModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.return_lines import ReturnLinesModal
from pos_tui.tui.modals.shift_report import ShiftReportModal

from tests.tui.pilot_helpers import login, scan, settle_workers, shown, wait_until


def _app(settings, name: str) -> PosApp:
    app = PosApp(settings)
    app.demo_brief = demo_scenarios.prepare(settings, name)
    return app


def _notice(app) -> str:
    return shown(app, "#notice")


async def _supervisor_approves(pilot, app) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "a supervisor's approval")
    await pilot.press(*"supervisor", "enter", *"2222", "enter")


async def test_basic_sale_brief_beside_the_login_then_ready_to_scan(demo_store):
    app = _app(demo_store, "basic-sale")
    brief = app.demo_brief
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        text = shown(app, "#scenario-brief")
        assert "Scenario basic-sale" in text and "Log in as cashier / 1111" in text
        assert "cashier / 1111" in shown(app, "#demo-users")
        await login(pilot, "cashier", "1111")
        await wait_until(pilot, lambda: any("Scenario basic-sale" in str(toast.render())
                                            for toast in app.screen.query("Toast")), "the brief past the login")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the open shift")
        first = re.search(r"\b(\d{13})\b", brief.text).group(1)
        await scan(pilot, first)
        await wait_until(pilot, lambda: len(checkout.cart.lines) == 1, "the first item")
        assert checkout.cart.lines[0].name in brief.text
        await settle_workers(app)


async def test_split_payment_resumes_the_parked_cart_and_takes_cash_then_card(demo_store):
    app = _app(demo_store, "split-payment")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the open shift")
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the parked carts")
        assert "Mrs Khan" in app.screen.choices["A"]
        await pilot.press("a")
        await wait_until(pilot, lambda: len(checkout.cart.lines) == 4, "the parked cart back")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
        await pilot.press(*"10.00", "enter")
        await wait_until(pilot, lambda: "still due" in shown(app, "#payment-message"), "the cash part taken")
        await pilot.press("k")
        await wait_until(pilot, lambda: "reference" in shown(app, "#payment-prompt"), "the card reference")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "saved" in _notice(app), "the sale saved")
        await settle_workers(app)
    sale = Sale.select().order_by(Sale.id.desc()).first()
    paid = sorted((p.tender, p.amount) for p in Payment.select().where(Payment.sale == sale.id))
    assert paid == [("card", sale.total - 1000), ("cash", 1000)]


async def test_return_with_receipt_finds_the_receipt_the_brief_names(demo_store):
    app = _app(demo_store, "return-with-receipt")
    receipt = re.search(r"receipt (\d+-\d{6})", app.demo_brief.text).group(1)
    async with app.run_test(size=(80, 24)) as pilot:
        assert receipt in shown(app, "#scenario-brief")
        await login(pilot, "cashier", "1111")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the open shift")
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the receipt prompt")
        await pilot.press(*receipt, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnLinesModal), "the receipt's lines")
        assert any(line.name == "Victoria Sponge Cake 400g" for line in app.screen.sale.lines)
        await pilot.press("escape")
        await settle_workers(app)


async def test_no_sale_offers_the_reason_the_brief_names(demo_store):
    app = _app(demo_store, "no-sale")
    letter, reason = re.search(r"F9, then ([A-Z]) \(([^)]+)\)", app.demo_brief.text).groups()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the open shift")
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the no-sale reasons")
        assert app.screen.choices[letter] == reason
        await pilot.press(letter.lower())
        await _supervisor_approves(pilot, app)
        await wait_until(pilot, lambda: "Drawer opened: no sale" in _notice(app), "the drawer opened")
        await settle_workers(app)


async def test_shift_shortage_the_briefs_count_closes_short(demo_store):
    demo_store.set("backup.on_shift_close", False)  # a copy of the 90-day store is slow and beside the point
    app = _app(demo_store, "shift-shortage")
    text = app.demo_brief.text
    counts = {amount: n for n, amount in re.findall(r"(\d+) x (\d+\.\d\d)", text)}
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the open shift")
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "C" in app.screen.choices,
                         "the shift menu")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal), "the blind count")
        for row in app.screen.rows:  # a row per note and coin, as the trainee types them
            await pilot.press(*counts.get(str(row.key and format_money(row.key)), ""), "enter")
        await pilot.press("f10")
        await wait_until(pilot, lambda: "Record this count" in shown(app, "#count-total"), "the confirm step")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal) and app.screen.rows[0].optional,
                         "the card terminal's total")
        await pilot.press("f10", "enter")
        await _supervisor_approves(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the note")
        await pilot.press(*"training shortage", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftReportModal), "the Z report")
        assert ": short 12.00 (approved by supervisor)" in shown(app, "#shift-report-summary")
        await pilot.press("enter")
        await settle_workers(app)


async def test_large_order_review_is_listed_under_review_for_the_supervisor(demo_store):
    from pos_tui.tui.screens.orders import OrdersScreen

    app = _app(demo_store, "large-order-review")
    number = re.search(r"Order (ORD-\d+)", app.demo_brief.text).group(1)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the menu")
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OrdersScreen) and app.screen.listing is not None,
                         "the orders")
        orders = app.screen
        while orders.filter != "pending_review":
            await pilot.press("f2")
            await wait_until(pilot, lambda: orders.listing is not None, "the next filter")
        table = orders.query_one("#orders-table")
        await wait_until(pilot, lambda: any(str(table.get_row_at(i)[0]) == number for i in range(table.row_count)),
                         f"{number} under review")
        await settle_workers(app)
