"""Reorder suggestions and the till's low-stock warning on the large store plus 28 days of sales.

A copy of the large store (bench/stores.py), cached beside it, gets a reorder level of 5 on
every product, 1 in 20 of them down to 2 on the shelf (the rest at 100), 28 days of sales up
to now (about 60,000 lines at full scale, every product sold counts) and 200 open order lines.
Timed: reorder.suggestions() (the Purchasing screen and `pos po suggest`), reorder.low_ids()
(once, at a supervisor's login) and reorder.low_among_ids() of a sale's 5 products (after
each sale, off the UI thread).
"""

from __future__ import annotations

import random
import shutil
import time
from datetime import timedelta
from pathlib import Path


def _prepare(home: Path, per_day: int) -> None:
    from pos_tui.config import load_settings
    from pos_tui.db.bulk import bulk_insert
    from pos_tui.db.database import write_transaction
    from pos_tui.db.fields import utc_now
    from pos_tui.db.models import Product, PurchaseOrder, PurchaseOrderLine, Sale, SaleLine, Supplier, User
    from pos_tui.services.store import open_store
    from peewee import SQL

    open_store(load_settings(home))
    rng = random.Random(28)
    now = utc_now()
    with write_transaction():
        # A bench copy, so stock is set without moves (QtyField takes whole units).
        Product.update(reorder_level=5, stock=100).execute()
        Product.update(stock=2).where(SQL("id % 20 = 0")).execute()
        ids = [pid for (pid,) in Product.select(Product.id).tuples()]
        cashier = User.select().first().id
        supplier = Supplier.create(name="Bench Supplier", lead_time_days=5)
        Product.update(supplier=supplier.id).where(SQL("id % 3 = 0")).execute()
        for day in range(28):
            for n in range(per_day):
                sale = Sale.create(receipt_no=f"B-{day}-{n}", lane="B", cashier=cashier,
                                   created_at=now - timedelta(days=day, minutes=n), subtotal=0, tax_total=0, total=0)
                bulk_insert(SaleLine, [dict(sale=sale.id, position=i, product=rng.choice(ids), barcode="", name="",
                                            qty=rng.randint(1, 3), unit_price=0, tax_class="standard",
                                            tax_rate="20", tax=0, total=0) for i in range(1, 12)])
        order = PurchaseOrder.create(number="PO-BENCH", supplier=supplier.id, status="ordered", created_by="bench",
                                     created_at=now, updated_at=now)
        bulk_insert(PurchaseOrderLine, [dict(order=order.id, product=pid, qty_ordered=2, qty_received=0,
                                             unit_cost=10) for pid in rng.sample(ids, 200)])


def _timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def measure(store: Path, runs: int = 7, per_day: int = 200) -> dict[str, list[float]]:
    """{"suggestions" | "low_ids" | "low_among": seconds of each run} on the prepared copy of `store`."""
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.services import reorder
    from pos_tui.services.store import open_store

    home = store.parent / f"{store.name}-reorder"
    if not (home / "pos.db").exists():
        tmp = store.parent / f".building-{home.name}"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(store, tmp)
        _prepare(tmp, per_day)
        close_database()
        tmp.rename(home)
    from stores import upgrade

    upgrade(home)  # a copy made by an older checkout gets today's migrations, like the store it copies
    open_store(load_settings(home))
    sample = list(reorder.low_ids())[:5]
    if not reorder.suggestions():
        raise RuntimeError("the reorder store has nothing to suggest")
    return {"suggestions": _timed(reorder.suggestions, runs), "low_ids": _timed(reorder.low_ids, runs),
            "low_among": _timed(lambda: reorder.low_among_ids(sample), runs * 5)}
