"""After the idle minutes the till locks; the same user's PIN unlocks it with the cart kept."""

from __future__ import annotations

from pos_tui.tui.app import PosApp
from pos_tui.tui.screens.checkout import CheckoutScreen
from pos_tui.tui.screens.lock import LockScreen

from tests.tui.pilot_helpers import login, scan, wait_until


async def test_idle_till_locks_and_the_same_pin_unlocks_with_the_cart(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "4010079190010")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "one line")
        app.lock_if_idle()
        assert isinstance(app.screen, CheckoutScreen), "locked too early"
        app.last_activity -= 5 * 60 + 1  # the default is 5 idle minutes
        app.lock_if_idle()
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), "the lock")
        await pilot.press(*"4010079190010", "enter")  # typing at a locked till changes nothing
        await wait_until(pilot, lambda: "wrong user name or password" in str(
            app.screen.query_one("#login-message").render()), "the refusal")
        await pilot.press(*"1111", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CheckoutScreen), "the till back")
        assert [(line.barcode, line.qty) for line in app.screen.cart.lines] == [("4010079190010", 1)]
