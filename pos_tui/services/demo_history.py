"""A seeded, repeatable history of sales for demo stores and report tests.

About 90 days of trading on lane 1: baskets of 1-6 items, cash, card and
split tenders, a few returns. The same seed and end day give the same rows.
Stock ends where the catalogue says: the goods sold were received before the
first day, each with its stock move.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from peewee import fn

from pos_tui.db.bulk import bulk_insert
from pos_tui.db.database import write_transaction
from pos_tui.db.models import Payment, Product, Sale, SaleLine, Setting, Shift, StockMove, User
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.domain.cart import Cart, CartLine
from pos_tui.domain.tender import CARD, CASH, Tender, settle
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.shift_reports import ShiftReport, build_report, cash_expected, counts_to_json

@dataclass(frozen=True)
class HistoryResult:
    sales: int
    returns: int
    lines: int
    first_day: date
    last_day: date


ZLayout = Callable[[ShiftReport], list[str]]
DEMO_FLOAT = 15000  # 150.00
# Most days count out exactly; a few are a little over or short (in cents).
_DRIFTS = (0,) * 40 + (-200, -50, -10, 5, 20, 100)


def _trade_one_shift(day: date, zone: ZoneInfo, lane: str, number: int, rng: random.Random, people: list[str],
                     sales: list, lines: list, payments: list, moves: list, z_layout: ZLayout | None) -> None:
    """One past day as a shift: open, the day's sales, the count and the Z report, closed."""
    opened_at = datetime.combine(day, time(7, 45), tzinfo=zone)
    shift = Shift.create(lane=lane, number=number, opened_by=rng.choice(people), opened_at=opened_at,
                         float_amount=DEMO_FLOAT, float_counts=counts_to_json({5000: 1, 2000: 4, 1000: 2}))
    for row in sales:
        row["shift"] = shift.id
    for model, rows in ((Sale, sales), (SaleLine, lines), (Payment, payments), (StockMove, moves)):
        bulk_insert(model, rows)
    expected = cash_expected(shift.id)
    counted = max(0, expected + rng.choice(_DRIFTS))
    shift.closed_by, shift.closed_at = rng.choice(people), datetime.combine(day, time(20, 30), tzinfo=zone)
    shift.counted, shift.expected, shift.over_short = counted, expected, counted - expected
    report = build_report(shift)
    shift.z_report = "\n".join(z_layout(report)) if z_layout else ""
    shift.save()


def _tendered(total: int, rng: random.Random) -> list[Tender]:
    roll = rng.random()
    if roll < 0.45:
        step = rng.choice((1, 500, 1000, 2000))
        cash = -(-total // step) * step
        return [Tender(CASH, max(cash, total))]
    if roll < 0.9 or total < 200:
        return [Tender(CARD, total)]
    part = rng.randrange(100, total, 100) if total > 200 else total // 2
    return [Tender(CASH, part), Tender(CARD, total - part)]


def generate_history(
    tax_rates: dict[str, Decimal], *, days: int = 90, end: date, tz: str = "UTC", seed: int = 90,
    lane: str = "1", prices_include_tax: bool = True, z_layout: ZLayout | None = None,
) -> HistoryResult:
    """Write `days` days of trading ending the day before `end`, in one transaction.

    Each day is a shift, as the till runs: opened at 07:45 with a 150.00 float,
    closed at 20:30 with a count (a few days a little over or short) and its
    Z report laid out by `z_layout` (the shop's paper), stored as printed.
    """
    rng = random.Random(seed)
    zone = ZoneInfo(tz)
    products = list(Product.select().where(Product.archived == False).order_by(Product.id))  # noqa: E712
    cashiers = list(User.select().where(User.role.in_(("cashier", "supervisor"))).order_by(User.id)) or list(
        User.select().order_by(User.id)
    )
    if not products or not cashiers:
        raise ValueError("a history needs products and users")
    if Sale.select().where(Sale.lane == lane).exists():
        raise ValueError(f"lane {lane} already has sales; a history is written to a new store only")
    popular = products[: max(10, len(products) // 3)]
    sales_rows, line_rows, payment_rows, move_rows = [], [], [], []
    sold: dict[int, Decimal] = defaultdict(Decimal)
    seq = returns = 0
    first_day = end - timedelta(days=days)
    day_of_sale: dict[int, int] = {}
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        weekend = day.weekday() >= 5
        count = rng.randint(28, 45) if weekend else rng.randint(18, 34)
        moments = sorted(rng.uniform(8.0, 20.0) for _ in range(count))
        recent: list[tuple[int, list[CartLine], str]] = []
        for hour in moments:
            at = datetime.combine(day, time(), tzinfo=zone) + timedelta(seconds=int(hour * 3600))
            cart = Cart(prices_include_tax=prices_include_tax)
            for _ in range(rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))):
                product = rng.choice(popular if rng.random() < 0.7 else products)
                if product.tax_class not in tax_rates:
                    continue
                if product.unit == "kg":
                    grams = rng.randrange(150, 1500, 5)
                    code = with_check_digit(product.barcode[:7] + f"{grams:05d}")
                    qty, weighed = Decimal(grams).scaleb(-3), True
                else:
                    code, qty, weighed = product.barcode, Decimal(rng.choice((1, 1, 1, 2, 3))), False
                cart.add(CartLine(product.id, code, product.name, product.price, qty, product.tax_class,
                                  tax_rates[product.tax_class], product.cost, weighed))
            if cart.is_empty:
                continue
            cashier = rng.choice(cashiers)
            seq += 1
            day_of_sale[seq] = offset
            receipt_no = f"{lane}-{seq:06d}"
            is_return = bool(recent) and rng.random() < 0.015
            original = None
            if is_return:
                original, lines, _ = rng.choice(recent)
                cart = Cart(prices_include_tax=prices_include_tax, lines=[lines[0]])
            totals = cart.totals()
            sign = -1 if is_return else 1
            sales_rows.append(dict(
                id=seq, receipt_no=receipt_no, lane=lane, cashier=cashier.id, created_at=at,
                subtotal=sign * totals.subtotal, discount_total=0, tax_total=sign * totals.tax,
                total=sign * totals.total, status="return" if is_return else "completed",
                training=False, prices_include_tax=prices_include_tax, original=original,
            ))
            for position, line in enumerate(cart.lines, start=1):
                line_rows.append(dict(
                    sale=seq, position=position, product=line.product_id, barcode=line.barcode, name=line.name,
                    qty=sign * line.qty, unit_price=line.unit_price, unit_cost=line.unit_cost, discount=0,
                    tax_class=line.tax_class, tax_rate=str(line.tax_rate), tax=sign * cart.line_tax(line),
                    total=sign * line.total,
                ))
                move_rows.append(dict(
                    product=line.product_id, delta=-sign * line.qty, reason="return" if is_return else "sale",
                    reference=receipt_no, user=cashier.id, created_at=at,
                ))
                sold[line.product_id] += sign * line.qty
            if is_return:
                returns += 1
                payment_rows.append(dict(sale=seq, tender=CASH, amount=-totals.total, tendered=-totals.total, change=0))
            else:
                for applied in settle(totals.total, _tendered(totals.total, rng)):
                    payment_rows.append(dict(sale=seq, tender=applied.kind, amount=applied.amount,
                                             tendered=applied.tendered, change=applied.change))
                recent.append((seq, list(cart.lines), receipt_no))
    received_at = datetime.combine(first_day - timedelta(days=1), time(7, 30), tzinfo=zone)
    receipts = [
        dict(product=pid, delta=qty, reason="receive", reference="DEMO-OPENING", created_at=received_at)
        for pid, qty in sorted(sold.items()) if qty
    ]
    with write_transaction():
        base = (Sale.select(Sale.id).order_by(Sale.id.desc()).scalar() or 0)
        for row in sales_rows:
            row["id"] += base
            if row["original"] is not None:
                row["original"] += base
        for row in line_rows + payment_rows:
            row["sale"] += base
        bulk_insert(StockMove, receipts)
        by_day: dict[int, tuple[list, list, list, list]] = defaultdict(lambda: ([], [], [], []))
        for row in sales_rows:
            by_day[day_of_sale[row["id"] - base]][0].append(row)
        for index, rows in ((1, line_rows), (2, payment_rows)):
            for row in rows:
                by_day[day_of_sale[row["sale"] - base]][index].append(row)
        first_sale = {row["receipt_no"]: day_of_sale[row["id"] - base] for row in sales_rows}
        for row in move_rows:
            by_day[first_sale[row["reference"]]][3].append(row)
        shift_rng = random.Random(seed + 1)
        number = Shift.select(fn.MAX(Shift.number)).where(Shift.lane == lane).scalar() or 0
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            number += 1
            day_sales, day_lines, day_payments, day_moves = by_day[offset]
            _trade_one_shift(day, zone, lane, number, shift_rng, [c.username for c in cashiers],
                             day_sales, day_lines, day_payments, day_moves, z_layout)
        Setting.replace(key=f"receipt_seq.{lane}", value=str(seq)).execute()
        audit.record("demo.history", Actor.cli(), lane, sales=len(sales_rows), returns=returns, days=days, seed=seed)
    return HistoryResult(len(sales_rows), returns, len(line_rows), first_day, end - timedelta(days=1))
