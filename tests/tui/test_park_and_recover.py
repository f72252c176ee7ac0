"""Park/resume (F6), the cart saved as it changes (back after a restart), and Ctrl+Q asking first."""

from __future__ import annotations

from pos_tui.services import audit, held_carts
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal

from tests.tui.pilot_helpers import login, scan, wait_until, settle_workers

BREAD = "4010079190010"
HALLOUMI = "9313246790415"


def _notice(app) -> str:
    return str(app.screen.query_one("#notice").render())


async def test_park_then_resume_on_an_empty_cart(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await scan(pilot, HALLOUMI)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 2, "two lines")
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the label prompt")
        await pilot.press(*"Table 4", "enter")
        await wait_until(pilot, lambda: "Parked as 'Table 4'" in _notice(app), "parked")
        assert app.screen.cart.is_empty
        assert [(h.label, h.lines, h.total) for h in held_carts.parked()] == [("Table 4", 2, 595)]
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the parked list")
        assert "Table 4" in str(app.screen.query_one(".dialog").query("Label")[1].render())
        await pilot.press("a")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 2, "the cart back")
        await settle_workers(app)
    assert held_carts.parked() == []
    assert audit.entries("sale.park")[0].target == "Table 4"
    assert audit.entries("sale.resume")[0].details["lines"] == 2


async def test_parking_needs_a_label_and_an_empty_list_says_so(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f6")
        await wait_until(pilot, lambda: "No parked carts" in _notice(app), "the empty list")


async def test_the_cart_is_saved_as_it_changes_and_back_after_a_restart(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await scan(pilot, HALLOUMI)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 2, "two lines")
        assert app.screen.autosave.flush()
    saved = held_carts.load_open(demo_store.get("lane"))
    assert saved is not None and [line.barcode for line in saved[1].lines] == [BREAD, HALLOUMI]

    again = PosApp(demo_store)
    async with again.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        assert [line.barcode for line in again.screen.cart.lines] == [BREAD, HALLOUMI]
        assert "Restored the unfinished cart (2 lines) left by cashier" in _notice(again)


async def test_ctrl_q_asks_first_when_a_cart_is_open(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "one line")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the question")
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, ChooseModal), "back at the till")
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the question again")
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running, "the till to quit")
