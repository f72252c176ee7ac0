"""A full disk, a database held by another program, two tills on one file: nothing lost, nothing doubled."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from peewee import OperationalError

from pos_tui.db.models import AuditLog, HeldCart, Product, Sale, database
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import StoreError
from pos_tui.services import held_carts, sales
from pos_tui.services.auth import authenticate
from pos_tui.services.catalog import scan
from pos_tui.services.integrity import check_store

from tests.faults.conftest import CODES, start_seller

UNLIMITED_PAGES = 1_073_741_823


def _big_cart(settings, lines: int = 300) -> Cart:
    """Enough lines that saving the sale must grow the file by at least a page."""
    cart = Cart(merge_repeats=False)
    for n in range(lines):
        cart.add(scan(CODES[n % len(CODES)], settings.tax_rates()))
    return cart


def _fill_the_disk() -> None:
    """The database may not grow (SQLite's own page limit, on every new connection too), and
    a filler takes every free page left inside the file, as other files would on a full disk."""
    database.execute_sql("CREATE TABLE disk_filler (junk BLOB)")
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.obj.pragma("max_page_count", pages, permanent=True)
    with pytest.raises(OperationalError, match="full"):
        for _ in range(100_000):
            database.execute_sql("INSERT INTO disk_filler VALUES (zeroblob(512))")


def _counts() -> tuple[int, int, int]:
    return Sale.select().count(), AuditLog.select().count(), sum(p.stock for p in Product.select())


def test_a_full_disk_refuses_the_sale_whole_and_it_goes_through_once_space_is_freed(shop):
    casey = authenticate("casey", "1111")
    cart = _big_cart(shop)
    held_carts.save_open("1", casey, cart)  # the till keeps its cart as it changes
    before = _counts()
    _fill_the_disk()

    with pytest.raises(StoreError, match="disk holding the database is full, so nothing was saved"):
        sales.commit_sale(casey, cart, [Tender("cash", cart.totals().total)], lane="1", settings=shop)

    assert _counts() == before
    assert held_carts.load_open("1") is not None  # the cart is still there for the retry
    database.obj.pragma("max_page_count", UNLIMITED_PAGES, permanent=True)  # space freed
    sale = sales.commit_sale(casey, cart, [Tender("cash", cart.totals().total)], lane="1", settings=shop)
    assert sale.receipt_no == "1-000001" and len(sale.lines) == 300
    assert HeldCart.select().count() == 0
    assert check_store() == []


def _hold_the_write_lock(path: str, locked: threading.Event, release: threading.Event) -> None:
    """Another program (a backup tool, the sqlite3 shell) holding the database's write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    locked.set()
    release.wait(30)
    other.execute("ROLLBACK")
    other.close()


def test_a_lock_held_past_the_busy_timeout_gives_a_clear_message_and_a_retry_succeeds(shop):
    shop.set("database.busy_timeout_s", "1")
    from pos_tui.services.store import open_store

    open_store(shop)
    casey = authenticate("casey", "1111")
    cart = _big_cart(shop, lines=3)
    before = _counts()
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_the_write_lock, args=(str(shop.home / "pos.db"), locked, release))
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(StoreError, match="the database is busy: another program"):
            sales.commit_sale(casey, cart, [Tender("cash", cart.totals().total)], lane="1", settings=shop)
        assert _counts() == before
    finally:
        release.set()
        holder.join()
    sale = sales.commit_sale(casey, cart, [Tender("cash", cart.totals().total)], lane="1", settings=shop)
    assert sale.receipt_no == "1-000001"


def test_two_tills_selling_the_same_products_lose_no_stock_and_share_no_receipt_number(shop):
    per_till = 60
    tills = [start_seller(shop, "1", per_till), start_seller(shop, "1", per_till)]
    outputs = [till.communicate(timeout=120) for till in tills]
    for till, (out, err) in zip(tills, outputs):
        assert till.returncode == 0, err
    reported = [line.split()[1] for out, _ in outputs for line in out.splitlines() if line.startswith("sold ")]
    assert len(reported) == 2 * per_till
    assert len(set(reported)) == len(reported)  # no receipt number given twice
    assert sorted(reported) == [f"1-{n:06d}" for n in range(1, 2 * per_till + 1)]
    for code in CODES:
        assert Product.get(Product.barcode == code).stock == 1000 - 2 * per_till
    assert check_store() == []
