"""Several lanes selling the same products at once on one PostgreSQL store (a test and a bench share it).

Each lane is its own process (forked, so no connection is shared): it opens
the store, logs in and commits `sales` two-line sales as fast as it can. Odd
workers scan the products in the other order, so the rows are locked in both
orders unless the sale sorts them.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass

from pos_tui.domain.barcodes import with_check_digit

TEA = with_check_digit("500000000101")
MILK = with_check_digit("500000000102")
START_STOCK = 100_000
PASSWORD = "lane-pw-123"


@dataclass(frozen=True)
class LaneRun:
    receipts: list[str]
    sales: int
    seconds: float
    errors: list[str]


def prepare(url: str, lanes: list[str]) -> None:
    """Two products with plenty of stock, a cashier, and an open shift on every lane."""
    from pos_tui.config import load_settings
    from pos_tui.services import auth, product_import, shifts
    from pos_tui.services.context import Actor
    from pos_tui.services.store import open_store

    settings = load_settings(db=url)
    open_store(settings)
    csv = ("barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
           f"{TEA},Lane Tea,2.50,Drinks,1.40,{START_STOCK},standard,0,,each\n"
           f"{MILK},Lane Milk,1.00,Dairy,0.60,{START_STOCK},reduced,0,,each\n")
    product_import.import_products(Actor.cli(), product_import.parse_products(csv, set(settings.tax_rates())),
                                   source="lanes.csv")
    user = auth.add_user(Actor.cli(), "lanes", PASSWORD, "admin")
    actor = Actor(user.username, user.role, user.id)
    for lane in sorted(set(lanes)):
        shifts.open_shift(actor, settings, lane=lane, counts=shifts.break_down(settings, 10000))


def _lane(url: str, lane: str, sales: int, flip: bool, start, results) -> None:
    from pos_tui.config import load_settings
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.tender import Tender
    from pos_tui.services.auth import authenticate
    from pos_tui.services.catalog import scan
    from pos_tui.services.sales import commit_sale
    from pos_tui.services.store import open_store

    receipts: list[str] = []
    errors: list[str] = []
    try:
        settings = load_settings(db=url)
        open_store(settings)
        actor = authenticate("lanes", PASSWORD)
        rates = settings.tax_rates()
        codes = (MILK, TEA) if flip else (TEA, MILK)
        start.wait()
        for _ in range(sales):
            cart = Cart()
            for code in codes:
                cart.add(scan(code, rates))
            receipts.append(commit_sale(actor, cart, [Tender("cash", cart.totals().total)], lane=lane,
                                        settings=settings).receipt_no)
    except Exception as exc:  # reported to the parent, which fails the run
        errors.append(f"lane {lane}: {type(exc).__name__}: {exc}")
    results.put((receipts, errors))


def audit_lane(url: str, lane: str, rows: int, flip: bool, start, results) -> None:
    from pos_tui.config import load_settings
    from pos_tui.services import audit
    from pos_tui.services.context import Actor
    from pos_tui.services.store import open_store

    errors: list[str] = []
    try:
        open_store(load_settings(db=url))
        start.wait()
        for n in range(rows):
            audit.record_now("till.event", Actor.cli(), f"lane {lane}", n=n)
    except Exception as exc:
        errors.append(f"lane {lane}: {type(exc).__name__}: {exc}")
    results.put(([], errors))


def run_lanes(url: str, lanes: list[str], sales: int, work=_lane) -> LaneRun:
    """Each lane in `lanes` (a name may repeat: two tills on one lane) sells `sales` times, all at once."""
    from pos_tui.db.database import close_database

    close_database()  # a forked child must not share the parent's connection
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(len(lanes) + 1)
    results = ctx.Queue()
    workers = [ctx.Process(target=work, args=(url, lane, sales, i % 2 == 1, start, results))
               for i, lane in enumerate(lanes)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    receipts: list[str] = []
    errors: list[str] = []
    for _ in workers:
        got, failed = results.get(timeout=600)
        receipts += got
        errors += failed
    seconds = time.perf_counter() - began
    for worker in workers:
        worker.join(timeout=60)
    return LaneRun(receipts, len(receipts), seconds, errors)
