"""Opening a shift at the till: the float counted note by note (or as one amount), bad counts refused,
and no payment taken until a shift is open."""

from __future__ import annotations

import json

from pos_tui.db.models import AuditLog
from pos_tui.services.shifts import current_shift
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.count_form import CountFormModal
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login_to_the_float, scan, settle_workers, shown, wait_until

BREAD = "4010079190010"


async def test_the_float_counted_note_by_note_opens_the_shift_and_the_drawer(no_shift):
    lane = no_shift.get("lane")
    app = PosApp(no_shift)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await login_to_the_float(pilot)
        assert [row.label for row in form.rows][:3] == ["50.00", "20.00", "10.00"]  # GBP, largest first
        await pilot.press("enter", "4", "enter", "enter", "3", "enter")  # 50: none, 20: 4, 10: none, 5: 3
        await wait_until(pilot, lambda: "Total 95.00" in shown(app, "#count-total"), "the running total")
        await pilot.press("f10")
        await wait_until(pilot, lambda: "Open the shift" in shown(app, "#count-total"), "the confirm step")
        assert current_shift(lane) is None  # nothing until confirmed
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Shift" in shown(app, "#notice") and "95.00" in shown(app, "#notice"),
                         "the shift opened")
        await settle_workers(app)
    shift = current_shift(lane)
    assert (shift.float_amount, shift.float_counts, shift.opened_by) == (9500, ((2000, 4), (500, 3)), "cashier")
    openings = [json.loads(row.details) for row in AuditLog.select().where(AuditLog.action == "drawer.open")]
    assert any(d["why"] == "shift_open" for d in openings), "the drawer opened for the count"


async def test_a_bad_count_is_refused_and_the_row_can_be_corrected(no_shift):
    lane = no_shift.get("lane")
    app = PosApp(no_shift)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await login_to_the_float(pilot)
        await pilot.press("-", "2", "enter")
        await wait_until(pilot, lambda: "whole number" in shown(app, "#count-total"), "the refusal")
        assert form.index == 0 and form.values[5000] is None
        await pilot.press("backspace", "backspace", *"2.5", "enter")
        await wait_until(pilot, lambda: "'2.5'" in shown(app, "#count-total"), "a fraction refused")
        await pilot.press(*"999999", "enter")
        await wait_until(pilot, lambda: "recount" in shown(app, "#count-total"), "a typo-sized count refused")
        assert form.index == 0
        await pilot.press(*"1", "enter")
        await wait_until(pilot, lambda: form.index == 1, "the next row")
        await pilot.press("up")
        await wait_until(pilot, lambda: form.index == 0, "back up a row")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "No shift open" in shown(app, "#notice"), "the cancel notice")
        await settle_workers(app)
    assert current_shift(lane) is None


async def test_the_float_as_one_amount_when_the_shop_does_not_count_notes(no_shift):
    no_shift.set("shift.count_by_denomination", False)
    lane = no_shift.get("lane")
    app = PosApp(no_shift)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await login_to_the_float(pilot)
        assert len(form.rows) == 1
        await pilot.press(*"-5", "enter")
        await wait_until(pilot, lambda: "must not be negative" in shown(app, "#count-total"), "a negative float refused")
        await pilot.press(*"150", "enter")
        await wait_until(pilot, lambda: "Total 150.00" in shown(app, "#count-total"), "the total to confirm")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "150.00" in shown(app, "#notice"), "the shift opened")
        await settle_workers(app)
    shift = current_shift(lane)
    assert (shift.float_amount, shift.float_counts) == (15000, ())


async def test_no_payment_without_a_shift_and_the_till_offers_to_open_one(no_shift):
    lane = no_shift.get("lane")
    app = PosApp(no_shift)
    async with app.run_test(size=(80, 24)) as pilot:
        await login_to_the_float(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CheckoutScreen", "the checkout")
        checkout = app.screen
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the bread in the cart")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the offer to open a shift")
        assert "No shift is open" in app.screen.title_text
        assert "no sales until one is" in str(checkout.query_one("#notice").render())
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal), "the float count")
        await pilot.press("enter", "5", "f10", "enter")  # five 20.00 notes
        await wait_until(pilot, lambda: checkout.shift is not None,
                         "the shift open")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment taken now")
        await pilot.press("escape")
        await settle_workers(app)
    assert current_shift(lane).float_amount == 10000
