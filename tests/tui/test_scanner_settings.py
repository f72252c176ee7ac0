"""Scanner settings at the till: a serial scanner's codes ring up in order; noise shorter than
scanner.min_length is ignored."""

from __future__ import annotations

import os

from pos_tui.tui.app import PosApp

from tests.tui.pilot_helpers import login, scan, wait_until

BREAD, HALLOUMI = "4010079190010", "9313246790415"


def _notice(app) -> str:
    return str(app.screen.query_one("#notice").render())


async def test_a_serial_scanners_codes_ring_up_in_the_order_scanned(demo_store):
    master, slave = os.openpty()
    try:
        demo_store.set("scanner.type", "serial")
        demo_store.set("scanner.device", os.ttyname(slave))
        app = PosApp(demo_store)
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "cashier", "1111")
            os.write(master, f"{BREAD}\r\n{HALLOUMI}\r\n{BREAD}\r\n".encode())  # one burst, as a scanner sends
            await wait_until(pilot, lambda: sum(line.qty for line in app.screen.cart.lines) == 3, "three scans")
            assert [line.barcode for line in app.screen.cart.lines] == [BREAD, HALLOUMI]
            assert [int(line.qty) for line in app.screen.cart.lines] == [2, 1]
    finally:
        os.close(master)
        os.close(slave)


async def test_a_missing_serial_scanner_is_shown_in_the_status_line(demo_store):
    demo_store.set("scanner.type", "serial")
    demo_store.set("scanner.device", "/dev/ttyUSB-nowhere")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await wait_until(pilot, lambda: "scanner" in str(app.screen.query_one("DeviceWarnings").render()),
                         "the scanner warning")
        await scan(pilot, BREAD)  # the keyboard still works
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the typed code")


async def test_a_code_shorter_than_the_minimum_is_ignored(demo_store):
    demo_store.set("scanner.min_length", "8")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "123")
        await wait_until(pilot, lambda: "shorter than 8 characters" in _notice(app), "the notice")
        assert app.screen.cart.is_empty
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "a real code")
