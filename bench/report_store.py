"""A store with a year and more of trading at 1,000,000 sale lines, for the report budgets.

Built once into bench/.cache/report-store-<lines>/ with plain sqlite3
executemany (the ORM would take minutes); the rows have the shapes the till
writes: sales and returns, a few voided and training sales, two lanes, cash,
card and split tenders, customers on a third of the baskets, one stock move
per line, a closed shift per lane and day.

    python bench/report_store.py [LINES]   # builds (or finds) the store, prints its folder
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
DAYS = 420  # a year to report on plus the year before it, partly
END = date(2026, 11, 1)


def report_store(lines: int = 1_000_000) -> Path:
    home = CACHE / f"report-store-{lines}"
    if not (home / "pos.db").exists():
        subprocess.run([sys.executable, __file__, "--build", str(home), str(lines)], check=True)
    from stores import upgrade

    upgrade(home)
    return home


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _build(home: Path, lines: int) -> None:
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.services.demo import build_demo_store

    build_demo_store(load_settings(home), today=END, with_history=False)
    close_database()
    db = sqlite3.connect(home / "pos.db")
    db.execute("PRAGMA synchronous=OFF")
    rng = random.Random(7)
    cats = [r[0] for r in db.execute("SELECT id FROM category")]
    now = _iso(datetime.now(timezone.utc))
    db.executemany(
        "INSERT INTO product (barcode, name, price, cost, tax_class, unit, category_id, stock, reorder_level,"
        " archived, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(f"88{i:011d}", f"Bench item {i}", p, p * rng.randrange(40, 80) // 100, "standard", "each",
          rng.choice(cats), rng.randrange(0, 200) * 1000, 0, 0, now, now)
         for i in range(3000) for p in [rng.randrange(50, 3000)]])
    products = db.execute("SELECT id, price, cost FROM product").fetchall()
    popular = products[:600]
    users = [r[0] for r in db.execute("SELECT id FROM user")]
    db.executemany("INSERT INTO customer (name, phone, email, notes, created_at) VALUES (?,?,?,?,?)",
                   [(f"Bench customer {i}", "", "", "", now) for i in range(5000)])
    customers = [r[0] for r in db.execute("SELECT id FROM customer")]
    per_day = lines // DAYS
    sale_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM sale").fetchone()[0]
    shift_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM shift").fetchone()[0]
    line_total = 0
    first = END - timedelta(days=DAYS)
    sales, sale_lines, payments, moves, shifts = [], [], [], [], []
    for offset in range(DAYS):
        day = first + timedelta(days=offset)
        opened = datetime(day.year, day.month, day.day, 7, 0, tzinfo=timezone.utc)
        day_shift = {}
        for lane in ("1", "2"):
            shift_id += 1
            day_shift[lane] = shift_id
            shifts.append((shift_id, lane, offset + 1000, "owner", _iso(opened), 15000, "{}", "owner",
                           _iso(opened + timedelta(hours=14)), rng.choice((0, 0, 0, -50, 20))))
        made = 0
        while made < per_day:
            sale_id += 1
            lane = rng.choice(("1", "2"))
            at = _iso(opened + timedelta(seconds=rng.randrange(0, 13 * 3600)))
            receipt = f"{lane}-B{sale_id:08d}"
            count = rng.choice((1, 2, 3, 4, 4, 5, 6, 7))
            status = "completed"
            roll = rng.random()
            training = 1 if roll < 0.01 else 0
            if 0.01 <= roll < 0.015:
                status = "voided"
            sign = 1
            if 0.015 <= roll < 0.03:
                status, sign, count = "return", -1, 1
            total = 0
            for position in range(1, count + 1):
                pid, price, cost = rng.choice(popular if rng.random() < 0.7 else products)
                qty = rng.choice((1, 1, 1, 2, 3))
                discount = price * qty // 10 if rng.random() < 0.05 else 0
                amount = sign * (price * qty - discount)
                total += amount
                sale_lines.append((sale_id, position, pid, "0", "item", sign * qty * 1000, price, cost,
                                   sign * discount, "standard", "0.20", amount // 6, amount))
                if not training and status != "voided":
                    moves.append((pid, -sign * qty * 1000, "sale" if sign > 0 else "return", receipt, at))
            made += count
            customer = rng.choice(customers) if rng.random() < 0.33 else None
            sales.append((sale_id, receipt, lane, rng.choice(users), customer, at, total, 0, total // 6, total,
                          status, training, 1, 0, day_shift[lane]))
            if sign < 0 or rng.random() < 0.5:
                payments.append((sale_id, "cash" if sign < 0 or rng.random() < 0.8 else "card", total, total, 0))
            else:
                cash = total // 3
                payments.append((sale_id, "cash", cash, cash, 0))
                payments.append((sale_id, "card", total - cash, total - cash, 0))
        line_total += made
        if len(sale_lines) > 200_000 or offset == DAYS - 1:
            db.executemany("INSERT INTO sale (id, receipt_no, lane, cashier_id, customer_id, created_at, subtotal,"
                           " discount_total, tax_total, total, status, training, prices_include_tax, rounding,"
                           " shift_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", sales)
            db.executemany("INSERT INTO sale_line (sale_id, position, product_id, barcode, name, qty, unit_price,"
                           " unit_cost, discount, tax_class, tax_rate, tax, total) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           sale_lines)
            db.executemany("INSERT INTO payment (sale_id, tender, amount, tendered, change, reference)"
                           " VALUES (?,?,?,?,?,'')", payments)
            db.executemany("INSERT INTO stock_move (product_id, delta, reason, reference, os_user, created_at)"
                           " VALUES (?,?,?,?,'',?)", moves)
            # Shifts last: a closed shift refuses new sales (a trigger); foreign keys are off here.
            db.executemany("INSERT INTO shift (id, lane, number, opened_by, opened_at, float_amount, float_counts,"
                           " closed_by, closed_at, over_short, counts, approver, note, batch_totals)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,'{}','','','{}')", shifts)
            sales, sale_lines, payments, moves, shifts = [], [], [], [], []
    db.commit()
    db.execute("ANALYZE")
    db.close()
    print(f"{line_total} sale lines over {DAYS} days", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        _build(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.path.insert(0, str(ROOT))
        print(report_store(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
