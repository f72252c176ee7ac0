"""Deterministic stores for the benchmarks, built once and cached in bench/.cache/ (or $POS_BENCH_CACHE).

The large store is the sample shop plus, at full scale, 100,000 products,
10,000 customers, 1,000,000 sale lines over two years (two lanes, a closed
shift per lane and day, returns, voids, training sales, split tenders) and
50,000 delivery orders. Rows are written with plain sqlite3 (the ORM would
take many minutes) but add up the way the till writes them, so `pos db check`
finds nothing: stock is the sum of its moves, a sale's totals are its lines',
its payments cover it. Its folder name carries a hash of the generator, so a
change to the generator builds a new store; migrations added since are
applied to a cached one.

    python bench/stores.py [full|smoke]   # builds (or finds) the store, prints its folder

A store takes minutes to build at full scale, so another checkout (a git
worktree) can share one cache: POS_BENCH_CACHE=/path/to/main/bench/.cache.
Mind that a cached store gets the migrations of the checkout that uses it:
a branch with a new migration wants a cache of its own (a copy).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("POS_BENCH_CACHE") or ROOT / ".cache")
END = date(2026, 11, 1)  # the last day of trading; the year reported on is the year before it

WORDS = ("Organic Whole Milk Sourdough Loaf Apple Juice Dark Chocolate Green Tea Basmati Rice Olive Oil "
         "Pasta Penne Tomato Sauce Cheddar Cheese Greek Yogurt Coffee Beans Oat Biscuits Sparkling Water "
         "Lemon Soap Paper Towels Dish Liquid Cat Food Dog Treats Honey Jam Peanut Butter Crisps "
         "苹果 牛奶 面包").split()


@dataclass(frozen=True)
class Scale:
    name: str
    products: int
    customers: int
    lines: int
    orders: int
    days: int = 730


FULL = Scale("full", 100_000, 10_000, 1_000_000, 50_000)
SMOKE = Scale("smoke", 2_000, 200, 10_000, 300)


def generator_version(scale: Scale) -> str:
    """A hash of the code that writes the rows and of the scale: a change to either builds a new store."""
    import inspect

    source = "".join(inspect.getsource(part) for part in (_Writer, _build, _orders)) + repr((scale, END, WORDS))
    return hashlib.sha256(source.encode()).hexdigest()[:10]


def large_store(scale: Scale = FULL) -> Path:
    """The store at `scale`, built on first use (minutes at full scale) and upgraded to today's migrations."""
    home = CACHE / f"store-{scale.name}-{generator_version(scale)}"
    if not (home / "pos.db").exists():
        for old in CACHE.glob(f"store-{scale.name}-*"):  # built by an older generator
            shutil.rmtree(old, ignore_errors=True)
        tmp = CACHE / f".building-{scale.name}"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([sys.executable, __file__, "--build", scale.name, str(tmp)], check=True)
        tmp.rename(home)
    upgrade(home)
    return home


def sample_store() -> Path:
    """The sample shop without history: till start-up with a small store."""
    home = CACHE / "sample-store"
    if not (home / "pos.db").exists():
        subprocess.run([sys.executable, "-c", (
            "import sys; from datetime import date; from pos_tui.config import load_settings;"
            "from pos_tui.services.demo import build_demo_store;"
            "build_demo_store(load_settings(sys.argv[1]), today=date.fromisoformat(sys.argv[2]), with_history=False)"),
            str(home), END.isoformat()],
            check=True, env=_env())
    upgrade(home)
    return home


def empty_store() -> Path:
    """A new store with its admin and no products: the import's starting point."""
    home = CACHE / "empty-store"
    if not (home / "pos.db").exists():
        subprocess.run([sys.executable, "-c", (
            "import sys; from pos_tui.config import load_settings; from pos_tui.services.store import init_store;"
            "init_store(load_settings(sys.argv[1]), 'admin', 'bench-password-1')"), str(home)], check=True, env=_env())
    upgrade(home)
    return home


def upgrade(home: Path) -> None:
    """A cached store built by an older version gets the migrations since (a no-op when current)."""
    pos = str(Path(sys.executable).parent / "pos")
    subprocess.run([pos, "--home", str(home), "db", "upgrade"], check=True, stdout=subprocess.DEVNULL, env=_env())


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("POS_DB", "POS_HOME")}


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


class _Writer:
    """Inserts by column name; a NOT NULL column left out gets '' or 0, so new columns never break the build."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def insert(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        info = self.db.execute(f"PRAGMA table_info({table})").fetchall()
        filler = {name: ("" if "CHAR" in kind.upper() or "TEXT" in kind.upper() else 0)
                  for _, name, kind, notnull, default, pk in info if notnull and default is None and not pk}
        columns = list(dict.fromkeys([*rows[0], *filler]))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        self.db.executemany(sql, ([row.get(c, filler.get(c)) for c in columns] for row in rows))


def _build(scale: Scale, home: Path) -> None:
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.domain.barcodes import with_check_digit
    from pos_tui.services.demo import build_demo_store

    build_demo_store(load_settings(home), today=END, with_history=False)
    close_database()
    db = sqlite3.connect(home / "pos.db", isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    # The report roll-up and closed-shift triggers are set aside while loading and put back after;
    # the roll-ups are rebuilt from the rows once at the end.
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    out = _Writer(db)
    rng = random.Random(12)
    now = _iso(datetime.combine(END, datetime.min.time(), timezone.utc))
    cats = [r[0] for r in db.execute("SELECT id FROM category")]
    first_new = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM product").fetchone()[0]
    out.insert("product", [
        dict(barcode=with_check_digit(f"77{i:010d}"), name=" ".join(rng.sample(WORDS, 3)) + f" {i}", price=price,
             cost=price * rng.randrange(40, 80) // 100, tax_class="standard", unit="each", category_id=rng.choice(cats),
             stock=0, reorder_level=rng.randrange(0, 10) * 1000, archived=0, created_at=now, updated_at=now)
        for i in range(scale.products) for price in [rng.randrange(50, 5000)]])
    products = db.execute("SELECT id, price, cost FROM product WHERE id >= ? AND unit = 'each'",
                          (first_new,)).fetchall()
    popular = products[: max(1, len(products) // 50)]
    start = datetime.combine(END - timedelta(days=scale.days), datetime.min.time(), timezone.utc)
    moves = [dict(product_id=pid, delta=rng.randrange(0, 200) * 1000 + 50_000, reason="receive",
                  reference="opening", os_user="bench", created_at=_iso(start)) for pid, _, _ in products]
    out.insert("customer", [dict(name=f"Bench customer {i}", phone=f"07{i:09d}", email=f"c{i}@example.com",
                                 notes="", created_at=now) for i in range(scale.customers)])
    customers = [r[0] for r in db.execute("SELECT id FROM customer")]
    users = [r[0] for r in db.execute("SELECT id FROM user")]
    sale_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM sale").fetchone()[0]
    shift_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM shift").fetchone()[0]
    per_day = scale.lines // scale.days
    sales, lines, payments, shifts = [], [], [], []
    for offset in range(scale.days):
        opened = start + timedelta(days=offset, hours=7)
        lane_shift = {}
        for lane in ("1", "2"):
            shift_id += 1
            lane_shift[lane] = shift_id
            shifts.append(dict(id=shift_id, lane=lane, number=offset + 1000, opened_by="owner", opened_at=_iso(opened),
                               float_amount=15000, float_counts="{}", closed_by="owner",
                               closed_at=_iso(opened + timedelta(hours=14)), over_short=0))
        made = 0
        while made < per_day:
            sale_id += 1
            lane = rng.choice(("1", "2"))
            at = _iso(opened + timedelta(seconds=rng.randrange(0, 13 * 3600)))
            receipt = f"{lane}-B{sale_id:08d}"
            roll = rng.random()
            status, sign, count = "completed", 1, rng.choice((1, 2, 3, 4, 4, 5, 6, 7))
            training = int(roll < 0.01)
            if 0.01 <= roll < 0.015:
                status = "voided"
            elif 0.015 <= roll < 0.03:
                status, sign, count = "return", -1, 1
            gross = discounts = taxes = 0
            for position in range(1, count + 1):
                pid, price, cost = rng.choice(popular if rng.random() < 0.7 else products)
                qty = rng.choice((1, 1, 1, 2, 3))
                discount = price * qty // 10 if sign > 0 and rng.random() < 0.05 else 0
                total = sign * price * qty - discount
                tax = total // 6 if total >= 0 else -(-total // 6)
                gross, discounts, taxes = gross + total + discount, discounts + discount, taxes + tax
                lines.append(dict(sale_id=sale_id, position=position, product_id=pid, barcode="", name="Bench item",
                                  qty=sign * qty * 1000, unit_price=price, unit_cost=cost, discount=discount,
                                  tax_class="standard", tax_rate="0.20", tax=tax, total=total))
                if not training and status != "voided":
                    moves.append(dict(product_id=pid, delta=-sign * qty * 1000,
                                      reason="sale" if sign > 0 else "return", reference=receipt, os_user="",
                                      created_at=at))
            made += count
            total = gross - discounts
            sales.append(dict(id=sale_id, receipt_no=receipt, lane=lane, cashier_id=rng.choice(users),
                              customer_id=rng.choice(customers) if rng.random() < 0.33 else None, created_at=at,
                              subtotal=gross, discount_total=discounts, tax_total=taxes, total=total, status=status,
                              training=training, prices_include_tax=1, rounding=0, shift_id=lane_shift[lane]))
            if sign < 0 or rng.random() < 0.5:
                tender = "cash" if sign < 0 or rng.random() < 0.8 else "card"
                payments.append(dict(sale_id=sale_id, tender=tender, amount=total, tendered=total, change=0))
            else:
                cash = total // 3
                payments.append(dict(sale_id=sale_id, tender="cash", amount=cash, tendered=cash, change=0))
                payments.append(dict(sale_id=sale_id, tender="card", amount=total - cash, tendered=total - cash,
                                     change=0))
        if len(lines) > 200_000 or offset == scale.days - 1:
            for table, rows in (("shift", shifts), ("sale", sales), ("sale_line", lines), ("payment", payments),
                                ("stock_move", moves)):
                out.insert(table, rows)
                rows.clear()
    _orders(out, scale, rng, start, products, customers)
    db.execute("UPDATE product SET stock = (SELECT COALESCE(SUM(delta), 0) FROM stock_move m"
               " WHERE m.product_id = product.id) WHERE id >= ?", (first_new,))
    for _, sql in triggers:
        db.execute(sql)
    db.execute("UPDATE report_rollup SET value = '1' WHERE key = 'stale'")
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    _ready_rollups(home)
    print(f"built {scale}", file=sys.stderr)


def _orders(out: _Writer, scale: Scale, rng: random.Random, start: datetime, products: list, customers: list) -> None:
    """Delivery orders spread over the two years, most delivered, each with its lines and a timeline step."""
    db = out.db
    order_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM delivery_order").fetchone()[0]
    orders, lines, events = [], [], []
    for n in range(scale.orders):
        order_id += 1
        at = _iso(start + timedelta(seconds=rng.randrange(0, scale.days * 86400)))
        status = rng.choice(("delivered",) * 6 + ("shipped", "approved", "pending_review", "cancelled"))
        subtotal = 0
        for position in range(1, rng.randrange(2, 5)):
            pid, price, cost = rng.choice(products)
            qty = rng.randrange(1, 4)
            subtotal += price * qty
            lines.append(dict(order_id=order_id, position=position, product_id=pid, barcode="", name="Bench item",
                              qty=qty * 1000, unit_price=price, unit_cost=cost, discount=0, tax_class="standard",
                              tax_rate="0.20", tax=price * qty // 6, total=price * qty))
        orders.append(dict(id=order_id, number=f"ORD-B{n:06d}", lane="1", customer_id=rng.choice(customers),
                           status=status, fulfilment="delivery", payment="paid", subtotal=subtotal, total=subtotal,
                           tax_total=subtotal // 6, paid=subtotal, recipient="Bench customer", address="1 High Street",
                           created_by="bench", created_at=at, updated_at=at))
        events.append(dict(order_id=order_id, status_from="", status_to=status, username="bench", source="bench",
                           created_at=at))
    out.insert("delivery_order", orders)
    out.insert("order_line", lines)
    out.insert("order_event", events)


def _ready_rollups(home: Path) -> None:
    """Build the report roll-ups once here, so no timed run pays for it."""
    from zoneinfo import ZoneInfo

    from pos_tui.config import load_settings
    from pos_tui.services.reports import rollups
    from pos_tui.services.store import open_store

    settings = load_settings(home)
    open_store(settings)
    rollups.ready(ZoneInfo(settings.get("store.timezone")))


if __name__ == "__main__":
    scales = {s.name: s for s in (FULL, SMOKE)}
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        _build(scales[sys.argv[2]], Path(sys.argv[3]))
    else:
        sys.path.insert(0, str(ROOT))
        print(large_store(scales[sys.argv[1] if len(sys.argv) > 1 else "full"]))
