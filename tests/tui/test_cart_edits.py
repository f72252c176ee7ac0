"""Quantity (F3), discounts and price (F4), voids (F8), and a supervisor's override."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.services import audit
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.override import OverrideModal

from tests.tui.pilot_helpers import login, scan, settle_workers, wait_until

BREAD = "4010079190010"  # 3.20
HALLOUMI = "9313246790415"  # 2.75


def _notice(app) -> str:
    return str(app.screen.query_one("#notice").render())


async def _basket(pilot, app, *codes: str) -> None:
    await login(pilot, "cashier", "1111")
    for code in codes:
        await scan(pilot, code)
    await wait_until(pilot, lambda: len(app.screen.cart.lines) == len(codes), "the basket")


async def _answer(pilot, app, modal, *keys: str) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, modal), modal.__name__)
    await pilot.press(*keys)


async def _audit_flushed(app) -> None:
    await settle_workers(app)


async def test_f3_sets_the_quantity_and_refuses_zero(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _basket(pilot, app, BREAD)
        await pilot.press("f3")
        await _answer(pilot, app, AskModal, *"3", "enter")
        await wait_until(pilot, lambda: app.screen.cart.lines[0].qty == 3, "quantity 3")
        assert app.screen.cart.totals().total == 960
        await pilot.press("f3")
        await _answer(pilot, app, AskModal, *"0", "enter")
        await wait_until(pilot, lambda: "more than zero" in _notice(app), "the refusal")
        assert app.screen.cart.lines[0].qty == 3


async def test_f8_voids_the_highlighted_line_or_the_whole_sale_and_audits_it(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _basket(pilot, app, BREAD, HALLOUMI)
        await pilot.press("up", "f8")  # the bread, one line up from the newest
        await _answer(pilot, app, ChooseModal, "l")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "one line left")
        assert app.screen.cart.lines[0].barcode == HALLOUMI
        await pilot.press("f8")
        await _answer(pilot, app, ChooseModal, "s")
        await wait_until(pilot, lambda: app.screen.cart.is_empty, "an empty cart")
        await _audit_flushed(app)
    (line_void,) = audit.entries("sale.void_line")
    assert line_void.details["barcode"] == BREAD and line_void.username == "cashier"
    (cart_void,) = audit.entries("sale.void_cart")
    assert cart_void.details == {"lines": 1, "total": 275}


async def test_a_discount_within_the_cashiers_limit_needs_no_supervisor(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _basket(pilot, app, BREAD)
        await pilot.press("f4")
        await _answer(pilot, app, ChooseModal, "l")
        await _answer(pilot, app, AskModal, *"10%", "enter")
        await wait_until(pilot, lambda: app.screen.cart.totals().discount == 32, "10% off")
        assert app.screen.cart.totals().total == 288
        await _audit_flushed(app)
    (row,) = audit.entries("sale.discount")
    assert row.details["approver"] is None and row.details["percent"] == "10.00"


async def test_a_discount_over_the_limit_needs_a_supervisor_and_names_both(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _basket(pilot, app, BREAD, HALLOUMI)
        await pilot.press("f4")
        await _answer(pilot, app, ChooseModal, "s")
        await _answer(pilot, app, AskModal, *"20%", "enter")
        await _answer(pilot, app, OverrideModal, *"supervisor", "enter", *"9999", "enter")
        await wait_until(pilot, lambda: "wrong user name or password" in str(
            app.screen.query_one("#override-message").render()), "the refused PIN")
        await pilot.press(*"2222", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, OverrideModal), "the approval")
        await wait_until(pilot, lambda: app.screen.cart.totals().discount == 119, "20% of 5.95 off")
        assert "approved by supervisor" in _notice(app)
        await _audit_flushed(app)
    approved = audit.entries("override.approved")
    assert approved[0].username == "cashier" and approved[0].details["approver"] == "supervisor"
    assert audit.entries("sale.discount")[0].details["approver"] == "supervisor"


async def test_a_cancelled_override_changes_nothing(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _basket(pilot, app, BREAD)
        await pilot.press("f4")
        await _answer(pilot, app, ChooseModal, "l")
        await _answer(pilot, app, AskModal, *"50%", "enter")
        await _answer(pilot, app, OverrideModal, "escape")
        await wait_until(pilot, lambda: "not approved" in _notice(app), "the notice")
        assert app.screen.cart.totals().discount == 0


async def test_a_cashier_price_override_needs_a_supervisor(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _basket(pilot, app, BREAD)
        await pilot.press("f4")
        await _answer(pilot, app, ChooseModal, "p")
        await _answer(pilot, app, AskModal, *"2.50", "enter")
        await _answer(pilot, app, OverrideModal, *"supervisor", "enter", *"2222", "enter")
        await wait_until(pilot, lambda: app.screen.cart.lines[0].unit_price == 250, "the new price")
        await _audit_flushed(app)
    row = audit.entries("sale.price_override")[0]
    assert (row.details["old_price"], row.details["amount"], row.details["approver"]) == (320, 250, "supervisor")


async def test_a_discount_over_100_percent_is_refused(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _basket(pilot, app, BREAD)
        await pilot.press("f4")
        await _answer(pilot, app, ChooseModal, "l")
        await _answer(pilot, app, AskModal, *"120%", "enter")
        await wait_until(pilot, lambda: "more than 100%" in _notice(app), "the refusal")
        assert app.screen.cart.totals().discount == 0
        assert app.screen.cart.lines[0].qty == Decimal(1)
