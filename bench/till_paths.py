"""Till hot paths on the large store: sale commit and product search.

Each against its floor in the same run: raw sqlite3 doing the sale's inserts
and updates in one transaction with the same pragmas (the store's report
roll-up triggers fire for the real commit and for the floor alike), and a raw
LIKE query with the same LIMIT. (The scan is timed through the pty, in scan_screen.py.)
The store is opened as the till opens it, WAL checkpoints in a thread of their own
(pos_tui/db/checkpoint.py), and the floor gets the same: both time the commit alone.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path


def _timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def measure(home: Path, runs: int = 300) -> dict[str, tuple[list[float], list[float]]]:
    import shutil
    import tempfile

    from pos_tui.config import load_settings
    from pos_tui.db.checkpoint import BACKSTOP_PAGES, WalCheckpointer, stop_background
    from pos_tui.db.models import Product
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.tender import CARD, CASH, Tender
    from pos_tui.services import catalog, sales
    from pos_tui.services.auth import authenticate
    from pos_tui.services.store import open_store, upgrade_store

    work = Path(tempfile.mkdtemp(prefix="pos-bench-"))
    shutil.copytree(home, work / "store")
    os.sync()  # else the first checkpoint's fsync writes the whole copied store out (a 1 s "commit")
    settings = load_settings(work / "store")
    upgrade_store(settings)  # the cached store may predate newer migrations; upgrade the copy, untimed
    open_store(settings, background_checkpoints=True)  # as the till opens it
    rates = settings.tax_rates()
    rng = random.Random(5)
    codes = [p.barcode for p in Product.select(Product.barcode).where(Product.unit == "each").order_by(Product.id)]
    db_file = str(work / "store" / "pos.db")
    raw = sqlite3.connect(db_file)
    # The till's pragmas and checkpointing: its autocheckpoint backstop, and checkpoints
    # from a thread of their own (started below, once the till's has stopped).
    for pragma in ("journal_mode=wal", "foreign_keys=1", "synchronous=2", "busy_timeout=10000",
                   f"wal_autocheckpoint={BACKSTOP_PAGES}"):
        raw.execute(f"pragma {pragma}")

    terms = ["milk", "tea", "sour", "苹果", "juice 12", "olive"]
    search = _timed(lambda: catalog.list_products(rng.choice(terms), limit=50), runs // 3)
    search_floor = _timed(lambda: raw.execute(
        "select * from product where name like ? order by name limit 50", (f"%{rng.choice(terms)}%",)).fetchall(),
        runs // 3)

    actor = authenticate("cashier", "1111")
    from pos_tui.services import shifts

    if shifts.current_shift("1") is None:  # a sale needs the lane's open shift (a demo store has one)
        shifts.open_shift(actor, settings, lane="1", counts=shifts.break_down(settings, 15000))

    def a_cart() -> Cart:
        cart = Cart()
        for code in rng.sample(codes, 5):
            cart.add(catalog.scan(code, rates))
        return cart

    carts = iter([a_cart() for _ in range(runs // 3)])

    def one_sale() -> None:
        cart = next(carts)
        total = cart.totals().total
        sales.commit_sale(actor, cart, [Tender(CARD, total // 2), Tender(CASH, total)], lane="1")

    def raw_sale() -> None:
        with raw:
            raw.execute("update setting set value = cast(value as integer) + 1 where key = 'receipt_seq.9'")
            cur = raw.execute("insert into sale (receipt_no, lane, cashier_id, created_at, subtotal, discount_total,"
                              " tax_total, total, status, training, prices_include_tax, rounding)"
                              " values (?, '9', 1, '2026-01-01T00:00:00+00:00', 1, 0, 0, 1, 'completed', 0, 1, 0)",
                              (f"raw-{time.perf_counter_ns()}",))
            sale_id = cur.lastrowid
            for pos, code in enumerate(rng.sample(codes, 5)):
                pid = raw.execute("select id from product where barcode = ?", (code,)).fetchone()[0]
                raw.execute("insert into sale_line (sale_id, position, product_id, barcode, name, qty, unit_price,"
                            " unit_cost, discount, tax_class, tax_rate, tax, total) values"
                            " (?, ?, ?, ?, 'x', 1000, 1, 0, 0, 'standard', '20', 0, 1)", (sale_id, pos, pid, code))
                raw.execute("update product set stock = stock - 1000 where id = ?", (pid,))
                raw.execute("insert into stock_move (product_id, delta, reason, reference, os_user, created_at)"
                            " values (?, -1000, 'sale', 'raw', '', '2026-01-01T00:00:00+00:00')", (pid,))
            for tender in ("card", "cash"):
                raw.execute("insert into payment (sale_id, tender, amount, tendered, change, reference)"
                            " values (?, ?, 1, 1, 0, '')", (sale_id, tender))
            raw.execute("insert into audit_log (created_at, action, username, os_user, target, details, prev_hash,"
                        " hash) values ('2026-01-01T00:00:00+00:00', 'x', '', '', '', '{}', '', '')")

    raw.execute("insert or ignore into setting (key, value) values ('receipt_seq.9', '0')")
    raw.commit()
    # Both start from an empty WAL (each run grows it by ~6,000 pages: the sales come back to back,
    # so no checkpoint is due in either); the till's checkpointer stops before the floor's starts.
    raw.execute("pragma wal_checkpoint(TRUNCATE)")
    commit = _timed(one_sale, runs // 3)
    stop_background()
    raw.execute("pragma wal_checkpoint(TRUNCATE)")
    floor_checkpoints = WalCheckpointer(Path(db_file))
    floor_checkpoints.start()
    commit_floor = _timed(raw_sale, runs // 3)
    floor_checkpoints.stop()
    raw.close()
    shutil.rmtree(work, ignore_errors=True)
    return {"search": (search, search_floor), "commit": (commit, commit_floor)}

