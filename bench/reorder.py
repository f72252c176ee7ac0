"""Reorder suggestions and the till's low-stock warning on 100,000 products with 28 days of sales.

`python bench/reorder.py`: builds a copy of the 100k store (bench/stores.py) with a reorder
level of 5 on every product, 1 in 20 of them down to 2 on the shelf (the rest at 100), 28 days
of sales (about 60,000 lines, every product sold counts) and 200 open order lines, then
times, median of 7 runs:
  - reorder.suggestions(): budget 1.0 s (the Purchasing screen and `pos po suggest`)
  - reorder.low_ids(): budget 0.2 s (once, at a supervisor's login)
  - reorder.low_among_ids(a sale's 5 products): budget 5 ms (after each sale, off the UI thread)
Not part of the test suite.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stores import CACHE, big_store  # noqa: E402


def _prepare(home: Path) -> None:
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
            for n in range(200):
                sale = Sale.create(receipt_no=f"B-{day}-{n}", lane="B", cashier=cashier,
                                   created_at=now - timedelta(days=day, minutes=n), subtotal=0, tax_total=0, total=0)
                bulk_insert(SaleLine, [dict(sale=sale.id, position=i, product=rng.choice(ids), barcode="", name="",
                                            qty=rng.randint(1, 3), unit_price=0, tax_class="standard",
                                            tax_rate="20", tax=0, total=0) for i in range(1, 12)])
        order = PurchaseOrder.create(number="PO-BENCH", supplier=supplier.id, status="ordered", created_by="bench",
                                     created_at=now, updated_at=now)
        bulk_insert(PurchaseOrderLine, [dict(order=order.id, product=pid, qty_ordered=2, qty_received=0,
                                             unit_cost=10) for pid in rng.sample(ids, 200)])


def _median(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.services import reorder
    from pos_tui.services.store import open_store

    home = CACHE / "reorder-100k"
    if not (home / "pos.db").exists():
        source = big_store()
        shutil.copytree(source, home)
        _prepare(home)
        close_database()
    open_store(load_settings(home))
    sample = list(reorder.low_ids())[:5]
    rows = [
        ("reorder.suggestions()", _median(lambda: reorder.suggestions()), 1.0),
        ("reorder.low_ids()", _median(reorder.low_ids), 0.2),
        ("reorder.low_among_ids(5)", _median(lambda: reorder.low_among_ids(sample)), 0.005),
    ]
    print(f"{len(reorder.suggestions())} suggestions over {reorder.low_stock_count()} low products")
    failed = False
    for name, seconds, budget in rows:
        ok = seconds <= budget
        failed |= not ok
        print(f"{name:<28} {seconds * 1000:9.1f} ms  budget {budget * 1000:7.1f} ms  {'ok' if ok else 'OVER'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
