"""The demo shop's 90 days of history: repeatable, balanced and consistent with stock."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from pos_tui.config import load_settings
from pos_tui.db.database import close_database
from pos_tui.db.models import Payment, Product, Sale, SaleLine, StockMove, database
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.resources import data_dir
from pos_tui.services import audit, auth, sales
from pos_tui.services.catalog import scan
from pos_tui.services.demo import build_demo_store

DEMO_TODAY = date(2026, 11, 26)
LONDON = ZoneInfo("Europe/London")


def _snapshot() -> dict[str, list[tuple]]:
    """Every history row in raw column form, in id order."""
    return {
        "sales": database.execute_sql(
            "SELECT receipt_no, lane, cashier_id, created_at, subtotal, tax_total, total, status, customer_id "
            "FROM sale ORDER BY id"
        ).fetchall(),
        "lines": database.execute_sql(
            "SELECT s.receipt_no, l.position, l.barcode, l.qty, l.unit_price, l.tax, l.total "
            "FROM sale_line l JOIN sale s ON s.id = l.sale_id ORDER BY l.id"
        ).fetchall(),
        "payments": database.execute_sql(
            "SELECT s.receipt_no, p.tender, p.amount, p.tendered, p.change "
            "FROM payment p JOIN sale s ON s.id = p.sale_id ORDER BY p.id"
        ).fetchall(),
        "moves": database.execute_sql(
            # The opening import is stamped with the wall clock; the history itself must repeat exactly.
            "SELECT product_id, delta, reason, reference, created_at FROM stock_move "
            "WHERE reason != 'import' ORDER BY id"
        ).fetchall(),
    }


def test_history_is_the_same_when_built_again_with_the_same_day(demo_store, tmp_path):
    first = _snapshot()
    assert len(first["sales"]) > 1000
    close_database()
    build_demo_store(load_settings(tmp_path / "again"), today=DEMO_TODAY)
    assert _snapshot() == first


def test_history_covers_the_90_days_before_today(demo_store):
    days = {Sale.created_at.python_value(raw).astimezone(LONDON).date()
            for (raw,) in database.execute_sql("SELECT created_at FROM sale")}
    first_day = DEMO_TODAY - timedelta(days=90)
    assert days == {first_day + timedelta(days=n) for n in range(90)}
    assert max(days) == DEMO_TODAY - timedelta(days=1)
    per_day = defaultdict(int)
    for s in sales.list_sales():
        per_day[s.time.astimezone(LONDON).date()] += 1
    assert min(per_day.values()) >= 10  # a trading day, not a token sale


def test_history_has_cash_card_and_split_tenders_that_balance(demo_store):
    tenders: dict[int, list[Payment]] = defaultdict(list)
    for payment in Payment.select():
        tenders[payment.sale_id].append(payment)
    kinds = defaultdict(int)
    for sale in Sale.select().where(Sale.status == "completed"):
        paid = tenders[sale.id]
        kinds[tuple(sorted({p.tender for p in paid}))] += 1
        assert sum(p.amount for p in paid) == sale.total, sale.receipt_no
        for p in paid:
            assert p.tendered - p.change == p.amount
            assert p.change == 0 or p.tender == "cash"
    assert kinds[("cash",)] > 100 and kinds[("card",)] > 100 and kinds[("card", "cash")] > 10
    assert set(kinds) == {("cash",), ("card",), ("card", "cash")}
    assert Payment.select().where((Payment.tender == "cash") & (Payment.change > 0)).exists()


def test_history_has_some_returns_with_negative_totals(demo_store):
    returns = list(Sale.select().where(Sale.status == "return"))
    completed = Sale.select().where(Sale.status == "completed").count()
    assert 0 < len(returns) < completed / 20
    for sale in returns:
        assert sale.total < 0 and sale.subtotal < 0 and sale.tax_total <= 0
        lines = list(SaleLine.select().where(SaleLine.sale == sale))
        assert lines and all(line.qty < 0 and line.total < 0 for line in lines)
        assert sum(p.amount for p in Payment.select().where(Payment.sale == sale)) == sale.total
        moves = StockMove.select().where(StockMove.reference == sale.receipt_no)
        assert [m.reason for m in moves] == ["return"] * len(lines)
        assert all(m.delta > 0 for m in moves)


def test_history_sale_totals_add_up_from_their_lines(demo_store):
    rows = database.execute_sql(
        "SELECT s.receipt_no, s.subtotal, s.tax_total, SUM(l.total), SUM(l.tax) FROM sale s "
        "JOIN sale_line l ON l.sale_id = s.id GROUP BY s.id"
    ).fetchall()
    assert len(rows) == Sale.select().count()
    assert [r for r in rows if (r[1], r[2]) != (r[3], r[4])] == []


def test_every_products_stock_is_its_moves_and_the_catalogue_stock(demo_store, assert_stock_matches_moves):
    assert_stock_matches_moves()
    with open(data_dir("sample_data") / "products.csv", encoding="utf-8", newline="") as handle:
        expected = {row["barcode"]: Decimal(row["stock"]) for row in csv.DictReader(handle)}
    actual = {p.barcode: p.stock for p in Product.select()}
    assert actual == expected
    sold = StockMove.select().where(StockMove.reason == "sale").count()
    assert sold == SaleLine.select().join(Sale).where(Sale.status == "completed").count()


def test_receipts_are_numbered_without_gaps(demo_store):
    numbers = [r for (r,) in database.execute_sql("SELECT receipt_no FROM sale ORDER BY id")]
    assert numbers == [f"1-{n:06d}" for n in range(1, len(numbers) + 1)]


def test_receipt_numbers_follow_the_sale_times(demo_store):
    """One lane numbers its receipts as it rings them up: a later receipt is never earlier in time."""
    rows = database.execute_sql("SELECT receipt_no, created_at FROM sale ORDER BY receipt_no").fetchall()
    backwards = [(a, b) for (a, at), (b, bt) in zip(rows, rows[1:]) if bt < at]
    assert backwards == [], f"{len(backwards)} receipts are timed before the previous one, e.g. {backwards[:3]}"


def test_a_new_sale_continues_the_receipt_numbers(demo_store, assert_stock_matches_moves):
    count = Sale.select().where(Sale.lane == "1").count()
    cashier = auth.authenticate("cashier", "1111")
    cart = Cart(prices_include_tax=demo_store.get("tax.included"))
    cart.add(scan("4010079190010", demo_store.tax_rates()))  # Sourdough Loaf 800g, 3.20
    info = sales.commit_sale(cashier, cart, [Tender("cash", 500)], lane=demo_store.get("lane"))
    assert info.receipt_no == f"1-{count + 1:06d}"
    assert (info.total, info.change, info.cashier) == (320, 180, "cashier")
    assert_stock_matches_moves()


def test_demo_audit_chain_is_intact_and_records_the_history(demo_store):
    assert audit.verify_chain() is None
    (entry,) = audit.entries("demo.history")
    assert entry.details["sales"] == Sale.select().count()
    assert entry.details["days"] == 90


def test_every_past_day_is_a_closed_shift_with_its_z_report_and_today_is_open(demo_store):
    from pos_tui.db.models import Sale, Shift
    from pos_tui.services import shifts

    closed = list(Shift.select().where(Shift.closed_at.is_null(False)).order_by(Shift.number))
    (today,) = Shift.select().where(Shift.closed_at.is_null())
    assert [s.number for s in closed] == list(range(1, len(closed) + 1)) and today.number == len(closed) + 1
    assert Sale.select().where(Sale.shift.is_null()).count() == 0  # every sale belongs to a shift
    off = [s for s in closed if s.over_short != 0]
    assert 0 < len(off) < len(closed) // 5  # a few small over/shorts, most days exact
    assert all(abs(s.over_short) <= 200 and s.counted - s.expected == s.over_short for s in off)
    last = closed[-1]
    assert last.z_report == shifts.report_text(demo_store, last.id)  # stored as printed
    assert f"Z REPORT {last.number:04d}" in last.z_report and "Expected in drawer" in last.z_report
