"""The till through a full disk and a database held by another program: the cart stays, the
message says what happened, and the sale goes through once the fault is gone."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from peewee import OperationalError

from pos_tui.db.models import Sale, database
from pos_tui.services.catalog import scan as lookup
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login, scan, settle_workers, wait_until

BREAD, HALLOUMI = "4010079190010", "9313246790415"


def _notice(app) -> str:
    return str(app.screen.query_one("#notice").render())


async def _pay_cash(pilot, app) -> None:
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")
    await pilot.press("enter")


def _fill_the_disk() -> None:
    database.execute_sql("CREATE TABLE disk_filler (junk BLOB)")
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.obj.pragma("max_page_count", pages, permanent=True)
    with pytest.raises(OperationalError, match="full"):
        for _ in range(100_000):
            database.execute_sql("INSERT INTO disk_filler VALUES (zeroblob(512))")


async def test_a_full_disk_keeps_the_cart_says_so_and_the_sale_goes_through_once_space_is_freed(demo_store):
    sales_before = Sale.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the first line")
        # A big basket: saving it must grow the file.
        screen = app.screen
        screen.cart.merge_repeats = False
        for n in range(300):
            screen.cart.add(lookup((BREAD, HALLOUMI)[n % 2], demo_store.tax_rates()))
        screen.show_cart()
        screen.draw_pending()
        await settle_workers(app)
        screen.autosave.flush()
        _fill_the_disk()

        await _pay_cash(pilot, app)
        await wait_until(pilot, lambda: "disk holding the database is full" in _notice(app), "the disk-full message")
        assert "the cart is kept" in _notice(app)
        assert len(app.screen.cart.lines) == 301
        assert Sale.select().count() == sales_before

        database.obj.pragma("max_page_count", 1_073_741_823, permanent=True)  # space freed
        database.execute_sql("DROP TABLE disk_filler")
        await _pay_cash(pilot, app)
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale saved")
        await wait_until(pilot, lambda: app.screen.cart.is_empty, "an empty cart")
        await settle_workers(app)
    sale = Sale.select().order_by(Sale.id.desc()).first()
    assert sale.lines.count() == 301


async def test_a_database_held_too_long_gives_a_clear_message_and_f10_again_saves(demo_store):
    demo_store.set("database.busy_timeout_s", "1")
    sales_before = Sale.select().count()
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        other = sqlite3.connect(demo_store.home / "pos.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(30)
        other.execute("ROLLBACK")
        other.close()

    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the basket")
        await settle_workers(app)
        app.screen.autosave.flush()
        holder = threading.Thread(target=hold)
        holder.start()
        try:
            assert locked.wait(10)
            await _pay_cash(pilot, app)
            await wait_until(pilot, lambda: "the database is busy" in _notice(app), "the busy message")
            assert len(app.screen.cart.lines) == 1 and Sale.select().count() == sales_before
        finally:
            release.set()
            holder.join()
        await _pay_cash(pilot, app)
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale saved")
        await settle_workers(app)
