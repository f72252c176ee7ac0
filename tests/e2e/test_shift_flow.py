"""End to end in tmux: a whole shift in the real `pos demo` till, as a cashier works it."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest

from tests.e2e.terminal import POS, Terminal

pytestmark = pytest.mark.e2e

BREAD = "4010079190010"


def _demo_without_an_open_shift(folder) -> None:
    """The demo store built here, its lane's shift closed if the demo opened one: the till asks for a float."""
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.services.context import Actor
    from pos_tui.services.demo import build_demo_store
    from pos_tui.services.shifts import break_down, close_shift, current_shift, expected_cash

    settings = load_settings(folder)
    build_demo_store(settings, today=date.today())
    lane = settings.get("lane")
    if current_shift(lane) is not None:
        close_shift(Actor.cli(), settings, counts=break_down(settings, expected_cash(lane)))
    close_database()


def _closed_shifts(folder) -> list:
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.services.shifts import list_shifts
    from pos_tui.services.store import open_store

    settings = load_settings(folder)
    open_store(settings)
    try:
        return [s for s in list_shifts(settings.get("lane")) if s.opened_by == "cashier"]
    finally:
        close_database()


def _wait_gone(term: Terminal, text: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while text in term.screen():
        assert time.monotonic() < deadline, f"{text!r} stayed on screen:\n{term.screen()}"
        time.sleep(0.05)  # polling interval of a wait, not a fixed delay


def test_open_sell_x_report_and_close_with_a_blind_count(demo_home):
    store = demo_home
    _demo_without_an_open_shift(store)
    term = Terminal([POS, "demo", "--keep", str(store)])
    try:
        term.wait_for("Password or PIN", timeout=60)
        term.send("cashier", "Enter")
        term.send("1111", "Enter")
        term.wait_for("count the float")
        term.send("Enter", "5", "Enter")  # 50.00: none; 20.00: five
        term.wait_for("Total 100.00")
        term.send("F10")
        term.wait_for("Open the shift with this float")
        term.send("Enter")
        term.wait_for("open with a float of 100.00")

        term.send(BREAD, "Enter")  # a cash sale (sell_for_cash logs in first: here the float came between)
        term.wait_for("3.20")
        term.send("F10")
        term.wait_for("Amount due")
        term.send("10", "Enter")
        term.wait_for("Change due: 6.80")

        term.send("F11")
        term.wait_for("X report")
        term.send("x")
        term.wait_for("X REPORT")
        term.send("PageDown")  # the report is longer than the screen: it scrolls
        term.wait_for("Expected in drawer")
        term.send("Enter")
        _wait_gone(term, "X REPORT")

        term.send("F11")
        term.wait_for("close the shift")
        term.send("c")
        term.wait_for("count the cash in the drawer")
        # 103.20: five 20.00, three 1.00, one 0.20
        term.send("Enter", "5", "Enter", "Enter", "Enter", "Enter", "3", "Enter", "Enter", "1", "Enter", "F10")
        screen = term.wait_for("Total 103.20")
        assert "Record this count" in screen
        assert "xpected" not in screen, "the blind count shows what the drawer should hold"
        term.send("Enter")
        term.wait_for("batch totals")
        term.send("F10")
        term.wait_for("Close the shift")
        term.send("Enter")
        screen = term.wait_for("Z report: shift")
        summary = re.search(r"Counted 103\.20, expected (\d+\.\d\d): (over|exact)", screen)
        assert summary, screen
        term.send("Enter")
        term.wait_for("open the next shift")
        term.send("q")
        term.wait_exit()
    finally:
        term.close()
    shift = _closed_shifts(store)[0]
    assert (shift.float_amount, shift.counted, shift.is_open) == (10000, 10320, False)
    assert shift.over_short == 10320 - shift.expected
    assert summary.group(1) == f"{shift.expected // 100}.{shift.expected % 100:02d}"
