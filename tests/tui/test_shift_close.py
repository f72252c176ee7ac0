"""A whole shift at the till: open, sell, pay out (a supervisor approves), X report, then a blind close
whose shortfall past the limit needs a supervisor and a note; the Z report shows and is queued."""

from __future__ import annotations

import json

from pos_tui.db.models import CashMovement, PrintJob, Shift
from pos_tui.domain.money import format_money
from pos_tui.services.shifts import current_shift, expected_cash
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.cash_movement import CashMovementModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.count_form import CountFormModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.shift_report import ShiftReportModal

from tests.tui.pilot_helpers import login_to_the_float, scan, settle_workers, shown, wait_until

BREAD = "4010079190010"  # 3.20


async def _shift_menu(pilot, app, letter: str) -> None:
    await pilot.press("f11")
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "C" in app.screen.choices,
                     "the shift menu")
    await pilot.press(letter)


async def _approve(pilot, app) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "a supervisor's approval")
    await pilot.press(*"supervisor", "enter", *"2222", "enter")


async def test_open_sell_pay_out_x_report_and_a_short_close_needing_approval(no_shift):
    lane = no_shift.get("lane")
    app = PosApp(no_shift)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_to_the_float(pilot)
        await pilot.press("enter", "5", "f10", "enter")  # five 20.00 notes: 100.00
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CheckoutScreen", "the checkout")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the shift open")

        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(checkout.cart.lines) == 1, "the bread")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
        await pilot.press(*"10", "enter")
        await wait_until(pilot, lambda: "Change due: 6.80" in shown(app, "#notice"), "the sale")

        await _shift_menu(pilot, app, "o")
        await wait_until(pilot, lambda: isinstance(app.screen, CashMovementModal), "the paid-out form")
        await pilot.press(*"20", "enter", "b", *"milk delivery", "enter")  # b: supplier paid
        await _approve(pilot, app)
        await wait_until(pilot, lambda: "Paid out 20.00 (supplier paid, approved by supervisor)"
                         in shown(app, "#notice"), "the paid out")

        await _shift_menu(pilot, app, "x")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftReportModal), "the X report")
        # 100.00 + 3.20 - 20.00 once sales record their shift; the services' figure either way
        expected = expected_cash(lane)
        x_text = shown(app, "#shift-report-text")
        assert "Expected in drawer" in x_text and format_money(expected) in x_text
        assert "Paid out supplier paid" in x_text and "milk delivery" in x_text
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is checkout, "back to the checkout")

        await _shift_menu(pilot, app, "c")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal), "the blind count")
        await pilot.press("enter", "3", "enter", "1", "enter")  # 3 x 20.00 + 1 x 10.00 = 70.00
        await pilot.press("f10")
        await wait_until(pilot, lambda: "Record this count" in shown(app, "#count-total"), "the confirm step")
        assert format_money(expected) not in app.export_screenshot(), "the blind count shows the expected cash"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal) and app.screen.rows[0].optional,
                         "the card terminal's total")
        await pilot.press(*"12.50", "f10", "enter")
        await _approve(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the note")
        await pilot.press(*"miscounted change", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftReportModal), "the Z report")
        summary = shown(app, "#shift-report-summary")
        assert (f"Counted 70.00, expected {format_money(expected)}: short {format_money(expected - 7000)} "
                "(approved by supervisor)") in summary
        assert "Z" in shown(app, "#shift-report-title")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "O" in app.screen.choices,
                         "the offer of the next shift")
        await pilot.press("escape")
        await settle_workers(app)
        assert checkout.shift is None
    assert current_shift(lane) is None
    shift = Shift.select().where(Shift.lane == lane).order_by(Shift.id.desc()).first()
    assert (shift.counted, shift.expected, shift.over_short) == (7000, expected, 7000 - expected)
    assert (shift.approver, shift.note, json.loads(shift.batch_totals)) == (
        "supervisor", "miscounted change", {"card": 1250})
    move = CashMovement.get(CashMovement.shift == shift.id)
    assert (move.kind, move.amount, move.reason, move.note, move.approver) == (
        "paid_out", 2000, "supplier paid", "milk delivery", "supervisor")
    kinds = [job.name for job in PrintJob.select().where(PrintJob.kind == "report")]
    assert any(name.startswith("X-") for name in kinds) and any(name.startswith("Z-") for name in kinds)


async def test_cancelling_the_approval_leaves_the_shift_open(no_shift):
    lane = no_shift.get("lane")
    app = PosApp(no_shift)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_to_the_float(pilot)
        await pilot.press("enter", "5", "f10", "enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CheckoutScreen", "the checkout")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the shift open")
        await _shift_menu(pilot, app, "c")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal), "the blind count")
        await pilot.press("f10", "enter")  # nothing counted: 100.00 short
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal) and app.screen.rows[0].optional,
                         "the card terminal's total")
        await pilot.press("f10", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "a supervisor's approval")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "stays open" in shown(app, "#notice"), "the refusal")
        await settle_workers(app)
    assert current_shift(lane) is not None
