"""F1 lists the till's keys as mapped; a shop remaps a key with keys.<binding id>."""

from __future__ import annotations

from pos_tui.config import save_settings
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.help import HelpModal
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login, scan, wait_until


async def test_f1_lists_the_checkout_keys(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal), "help")
        keys = str(app.screen.query_one("#help-keys").render())
        for what in ("Search", "Qty", "Discount", "Customer", "Park", "Return", "Void", "Pay"):
            assert what in keys
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpModal), "help closed")


async def test_a_remapped_pay_key_works_and_help_shows_it(demo_store):
    demo_store.set("keys.checkout.pay", "f11")
    save_settings(demo_store)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "4010079190010")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "a line")
        await pilot.press("f10")
        await pilot.pause()
        assert not isinstance(app.screen, PaymentModal)
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment on F11")
