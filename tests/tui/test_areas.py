"""The till's areas are Textual modes; the menu (F12) lists those the role may use."""

from __future__ import annotations

from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.screens.checkout import CheckoutScreen

from tests.tui.pilot_helpers import login, wait_until


async def test_login_opens_the_checkout_mode_and_the_menu_lists_the_areas(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        assert app.current_mode == "checkout"
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the menu")
        assert app.screen.choices == {"C": "Checkout (here)", "O": "Orders"}
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CheckoutScreen), "back at checkout")
