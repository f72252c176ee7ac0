"""The roll-ups (migration 0010) give the same reports as the raw rows, and the till keeps them current."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.db.models import database
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.services import returns, sales as till
from pos_tui.services.auth import authenticate
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor
from pos_tui.services.reports import costs, customers, rollups, sales, turnover
from pos_tui.services.reports.periods import make_period

# The roll-up tables and their triggers exist on SQLite only; PostgreSQL's reports sum the raw rows
# (tests/services/reports/test_reports_by_hand.py runs those on both).
pytestmark = pytest.mark.sqlite_only("report roll-ups are SQLite's")

BREAD = "4010079190010"
TABLES = rollups.TABLES


def _all_reports(actor, period):
    found = [sales.sales_report(actor, period, by, with_series=True) for by in sales.SALES_BY]
    found += [sales.sales_report(actor, period, by, category="Bakery") for by in ("day", "hour", "week", "product", "category")]
    found.append(sales.sales_report(actor, period, "day", category="Dairy", with_series=True))
    found += [turnover.turnover_report(actor, period, by, dead_days=30) for by in turnover.TURNOVER_BY]
    found += [costs.costs_report(actor, period, by) for by in costs.COSTS_BY]
    found += [costs.costs_report(actor, period, "product", category="Bakery"), customers.customers_report(actor, period)]
    for top in (None, 3):  # every product, and a top that cuts (the default of 100 may list them all)
        found += [sales.sales_report(actor, period, "product", top=top), costs.costs_report(actor, period, "product", top=top)]
    return [asdict(r) for r in found]


def _snapshot():
    return {table: sorted(database.execute_sql(f"SELECT * FROM {table}").fetchall()) for table in TABLES}


@pytest.mark.parametrize("start,end", [("2026-08-28", "2026-11-26"), ("2026-10-24", "2026-10-27"),
                                       ("2026-11-25", "2026-11-26")])
def test_every_report_from_the_rollups_equals_the_raw_sums(demo_store, monkeypatch, start, end):
    actor = Actor.cli()
    period = make_period(start, end)
    assert rollups.ready(ZoneInfo("Europe/London"))
    fast = _all_reports(actor, period)
    monkeypatch.setattr(rollups, "USE_ROLLUPS", False)
    raw = _all_reports(actor, period)
    assert fast == raw
    assert any(r["totals"].get("net") for r in fast)  # the period has sales: the comparison means something


def test_sales_and_returns_at_the_till_update_the_rollups_as_a_rebuild_would(demo_store):
    zone = ZoneInfo("Europe/London")
    rollups.ready(zone)
    cashier = authenticate("cashier", "1111")
    cart = Cart(prices_include_tax=False)
    cart.add(scan(BREAD, demo_store.tax_rates()))
    cart.add(scan(BREAD, demo_store.tax_rates()))
    total = cart.totals().total
    receipt = till.commit_sale(cashier, cart, [Tender("cash", 500), Tender("card", total - 500)], lane="1").receipt_no
    line = returns.returnable(receipt).lines[0]
    returns.commit_return(cashier, receipt, {line.line_id: Decimal(1)}, tender="cash", restock=True, lane="1")
    trainee = Actor(cashier.username, cashier.role, cashier.user_id, cashier.os_user, training=True)
    till.commit_sale(trainee, cart, [Tender("card", total)], lane="1")
    kept = _snapshot()
    state = dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())
    assert state["stale"] == "0"  # kept current by the triggers, no rebuild needed
    rollups.rebuild(zone)
    assert _snapshot() == kept
    day = datetime.now(zone).date()
    today = sales.sales_report(Actor.cli(), make_period(day, day + timedelta(days=1)), "tender")
    assert {r["tender"]: r["net"] for r in today.rows} == {"cash": 500 - line.refund_for(Decimal(1))[0],
                                                           "card": total - 500}


def test_an_edited_sale_marks_the_rollups_stale_and_the_next_report_rebuilds(demo_store):
    zone = ZoneInfo("Europe/London")
    rollups.ready(zone)
    period = make_period("2026-11-01", "2026-11-26")
    before = sales.sales_report(Actor.cli(), period, "day").totals["net"]
    database.execute_sql("UPDATE sale SET status = 'voided' WHERE id = (SELECT MAX(id) FROM sale WHERE status = 'completed')")
    assert dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())["stale"] == "1"
    after = sales.sales_report(Actor.cli(), period, "day").totals["net"]
    assert after < before


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])  # another zone; a half-hour one
def test_a_change_of_time_zone_rebuilds_the_rollups_for_it(demo_store, monkeypatch, zone):
    rollups.ready(ZoneInfo("Europe/London"))
    demo_store.set("store.timezone", zone)
    period = make_period("2026-10-20", "2026-11-03")
    fast = _all_reports(Actor.cli(), period)
    assert dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())["zone"] == zone
    monkeypatch.setattr(rollups, "USE_ROLLUPS", False)
    assert _all_reports(Actor.cli(), period) == fast


def test_a_product_import_keeps_the_stock_move_rollups_as_a_rebuild_would(demo_store, tmp_path):
    from pos_tui.services import product_import

    zone = ZoneInfo("Europe/London")
    rollups.ready(zone)
    rows = product_import.parse_products(
        "barcode,name,price,stock\n4006381333931,Pencil,1.20,40\n"
        f"{BREAD},Bread,2.00,7\n",  # an existing product: its stock set to 7 is a move too
        set(demo_store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="t.csv")
    assert database.execute_sql(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'report_move_in'").fetchone() == (1,)
    kept = _snapshot()
    assert dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())["stale"] == "0"
    rollups.rebuild(zone)
    assert _snapshot() == kept


def test_moving_a_product_to_another_category_moves_its_sales_without_a_rebuild(demo_store, monkeypatch):
    from pos_tui.db.models import Category, Product

    zone = ZoneInfo("Europe/London")
    rollups.ready(zone)
    bread = Product.get(Product.barcode == BREAD)
    dairy, was = Category.get(Category.name == "Dairy"), bread.category_id
    period = make_period("2026-08-28", "2026-11-26")
    by_category = {r["category"]: r["net"] for r in sales.sales_report(Actor.cli(), period, "category").rows}
    Product.update(category=dairy).where(Product.id == bread.id).execute()
    Product.update(category=None).where(Product.barcode == "7610158380027").execute()  # to no category
    assert dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())["stale"] == "0"
    kept = _snapshot()
    moved = {r["category"]: r["net"] for r in sales.sales_report(Actor.cli(), period, "category").rows}
    assert moved["Dairy"] > by_category["Dairy"] and moved != by_category  # the bread's sales went with it
    fast = _all_reports(Actor.cli(), period)
    rollups.rebuild(zone)
    assert _snapshot() == kept  # as a rebuild sums them
    monkeypatch.setattr(rollups, "USE_ROLLUPS", False)
    assert _all_reports(Actor.cli(), period) == fast
    assert was != dairy.id


def test_stock_cost_and_catalogue_edits_keep_the_stock_rollups_as_a_rebuild_would(demo_store, monkeypatch):
    """Migration 0016's roll-ups (stock per category, each product's last sale and stock value) follow every
    edit of a product, and the turnover report read from them equals the raw rows' (dead stock included)."""
    from pos_tui.db.models import Category, Product, StockMove

    zone = ZoneInfo("Europe/London")
    rollups.ready(zone)
    bread = Product.get(Product.barcode == BREAD)
    Product.update(cost=bread.cost + 7).where(Product.id == bread.id).execute()  # revalued
    Product.update(stock=0).where(Product.barcode == "7610158380027").execute()  # out of stock: not dead stock
    Product.update(stock=Decimal("-2.5")).where(Product.barcode == "8710316760049").execute()  # below zero
    lonely = Category.create(name="Lonely")
    new = Product.create(barcode="4006381333931", name="Pencil", price=120, cost=45, stock=Decimal(40), category=lonely)
    gone = Product.create(barcode="4006381333948", name="Eraser", price=90, cost=30, stock=Decimal(3), category=lonely)
    gone.delete_instance()
    Product.update(category=None).where(Product.id == new.id).execute()  # the last product leaves "Lonely"
    for day in ("2026-10-20", "2026-10-25", "2026-10-22", "2026-10-18", "2026-10-25"):  # as an offline lane's arrive
        StockMove.create(product=new, delta=Decimal(-1), reason="sale", created_at=datetime.fromisoformat(f"{day}T12:00:00+00:00"))
    assert dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())["stale"] == "0"
    kept = _snapshot()
    assert kept["report_product_state"] and kept["report_category_stock"]
    period = make_period("2026-10-24", "2026-10-27")  # sales after its end: dead stock reads them one by one
    fast = [asdict(turnover.turnover_report(Actor.cli(), period, by, dead_days=days, top=top))
            for by in turnover.TURNOVER_BY for days in (1, 30) for top in (1, None)]
    assert any(r["sections"]["dead_stock"]["totals"]["products"] for r in fast)  # something to compare
    rollups.rebuild(zone)
    assert _snapshot() == kept
    monkeypatch.setattr(rollups, "USE_ROLLUPS", False)
    assert [asdict(turnover.turnover_report(Actor.cli(), period, by, dead_days=days, top=top))
            for by in turnover.TURNOVER_BY for days in (1, 30) for top in (1, None)] == fast


def test_a_long_periods_turnover_summed_in_sql_equals_the_raw_rows(demo_store, monkeypatch):
    """Past a month the turnover is summed in one statement (turnover_sums.py), the shown products cut at
    `top` by COGS and the slow movers by value: the same report as the raw rows' objects, at every cut."""
    from pos_tui.services.reports import turnover_sums

    from pos_tui.db.models import Product

    rollups.ready(ZoneInfo("Europe/London"))
    period = make_period("2026-08-28", "2026-11-26")
    assert period.days > turnover.LONG_PERIOD_DAYS
    for n, product in enumerate(Product.select().order_by(Product.id).limit(4)):  # overstocked: slow movers
        Product.update(stock=Decimal(5000 + n)).where(Product.id == product.id).execute()
    summed, answered = turnover_sums.summed, []
    monkeypatch.setattr(turnover_sums, "summed", lambda *a: answered.append(summed(*a)) or answered[-1])
    reports = [(by, top, category) for by in turnover.TURNOVER_BY for top in (1, 2, 5, 100)
               for category in (None, "Bakery")]
    fast = [asdict(turnover.turnover_report(Actor.cli(), period, by, top=top, category=category, dead_days=30))
            for by, top, category in reports]
    assert sum(a is not None for a in answered) >= len(reports) // 2  # most answered in SQL (a tie falls back)
    assert any(r["rows"][-1]["label"].endswith(" other products)") for r in fast)  # a cut product list among them
    assert any(r["sections"]["slow_movers"]["totals"]["products"] > len(r["sections"]["slow_movers"]["rows"]) > 0
               for r in fast)  # and a cut slow-mover list
    monkeypatch.setattr(rollups, "USE_ROLLUPS", False)
    assert [asdict(turnover.turnover_report(Actor.cli(), period, by, top=top, category=category, dead_days=30))
            for by, top, category in reports] == fast


@pytest.mark.parametrize("split", [False, True])
def test_a_long_periods_turnover_counts_late_and_later_moves_as_the_raw_rows_do(demo_store, monkeypatch, split):
    """The long period's sums read each product's days from report_product_flow (migration 0017): a sale
    that reaches the store late (an offline lane's, dated inside the period), moves after the period's end
    and a product with no move at all give the raw rows' figures, kept by the triggers without a rebuild.
    `split`: summed in two halves of the catalogue at once, as a large one is, and added up."""
    from pos_tui.db.models import Product, StockMove
    from pos_tui.services.reports import turnover_sums

    if split:
        monkeypatch.setattr(turnover_sums, "SPLIT_AT", 2)
        halves = turnover_sums._halves
        monkeypatch.setattr(turnover_sums, "_halves", lambda cats: used.append(halves(cats)) or used[-1])
    used: list = []
    zone = ZoneInfo("Europe/London")
    rollups.ready(zone)
    period = make_period("2026-08-28", "2026-10-27")  # a month of moves after its end
    assert period.days > turnover.LONG_PERIOD_DAYS
    bread = Product.get(Product.barcode == BREAD)
    for day, delta in (("2026-09-15", -3), ("2026-10-26", -2), ("2026-11-20", 40), ("2026-09-15", Decimal("-0.5"))):
        StockMove.create(product=bread, delta=Decimal(delta), reason="sale" if delta < 0 else "receive",
                         created_at=datetime.fromisoformat(f"{day}T23:30:00+00:00"))  # 00:30 the next day in London
    Product.create(barcode="4006381333931", name="Pencil", price=120, cost=45, stock=Decimal(40))  # no move: its value
    cashier = authenticate("cashier", "1111")
    cart = Cart(prices_include_tax=False)
    cart.add(scan(BREAD, demo_store.tax_rates()))
    till.commit_sale(cashier, cart, [Tender("cash", cart.totals().total)], lane="1")  # today: after the end
    assert dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())["stale"] == "0"
    summed, answered = turnover_sums.summed, []
    monkeypatch.setattr(turnover_sums, "summed", lambda *a: answered.append(summed(*a)) or answered[-1])
    reports = [(by, top, category) for by in turnover.TURNOVER_BY for top in (3, 100) for category in (None, "Bakery")]
    fast = [asdict(turnover.turnover_report(Actor.cli(), period, by, top=top, category=category, dead_days=30))
            for by, top, category in reports]
    assert all(a is not None for a in answered) and len(answered) == len(reports)  # all summed in SQL
    assert all(h is not None and len(h) == 2 for h in used) and len(used) == len(reports) * split
    kept = _snapshot()
    rollups.rebuild(zone)
    assert _snapshot() == kept  # the triggers kept report_product_flow as a rebuild sums it
    monkeypatch.setattr(rollups, "USE_ROLLUPS", False)
    assert [asdict(turnover.turnover_report(Actor.cli(), period, by, top=top, category=category, dead_days=30))
            for by, top, category in reports] == fast


def test_migration_0017_fills_the_product_flow_as_a_rebuild_would(demo_store):
    """A store upgraded to 0017 gets report_product_flow summed from its day roll-ups, and its triggers."""
    from pos_tui.db import migrate

    rollups.ready(ZoneInfo("Europe/London"))
    kept = _snapshot()["report_product_flow"]
    assert kept
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report_flow_%' ORDER BY 1"
    assert [name for name, in database.execute_sql(triggers).fetchall()] == ["report_flow_line", "report_flow_move"]
    for sql in ("DROP TRIGGER report_flow_line", "DROP TRIGGER report_flow_move", "DROP TABLE report_product_flow",
                f"DELETE FROM {migrate.HISTORY_TABLE} WHERE name = '0017_report_flow'"):
        database.execute_sql(sql)
    assert migrate.upgrade(database.obj) == ["0017_report_flow"]
    assert _snapshot()["report_product_flow"] == kept
    assert [name for name, in database.execute_sql(triggers).fetchall()] == ["report_flow_line", "report_flow_move"]


@pytest.mark.parametrize("cost", [0, 1, 45, 999, 1001, 123457, -1, -45, -1001])
def test_stock_value_in_sql_rounds_as_the_report_does_whatever_the_signs(cost):
    """rollups.value_sql (a short form when the cost is 0 or more, the full one otherwise) rounds each
    product's qty thousandths x cost half up, as turnover._value does in Python."""
    import sqlite3

    qtys = [0, 1, 499, 500, 501, 999, 1000, 1500, 2500, 123456, -1, -499, -500, -501, -1500, -2500, -123456]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE p (qty INTEGER, cost INTEGER)")
    db.executemany("INSERT INTO p VALUES (?, ?)", [(q, cost) for q in qtys])
    found = db.execute(f"SELECT qty, {rollups.value_sql('qty', 'cost')} FROM p ORDER BY rowid").fetchall()
    assert found == [(q, turnover._value(q, cost)) for q in qtys]
    if cost >= 0:  # a literal cost takes the short form alone
        literal = db.execute(f"SELECT {rollups.value_sql('qty', str(cost))} FROM p ORDER BY rowid").fetchall()
        assert literal == [(turnover._value(q, cost),) for q in qtys]


def test_a_short_periods_turnover_read_beside_is_the_same_as_read_in_line(demo_store, monkeypatch):
    """The dead stock and the moves since the start are read on connections of their own beside the rest
    (reports/beside.py); the report is the same as read on one."""
    from pos_tui.services.reports import beside

    period = make_period("2026-10-24", "2026-10-27")

    def reports():
        return [asdict(turnover.turnover_report(Actor.cli(), period, by, dead_days=30, top=top))
                for by in turnover.TURNOVER_BY for top in (3, 100)]

    monkeypatch.setattr(beside, "parallel_ok", lambda: False)
    in_line = reports()
    used = []
    monkeypatch.setattr(beside, "parallel_ok", lambda: used.append(True) or True)
    assert reports() == in_line
    assert used and any(r["sections"]["dead_stock"]["rows"] for r in in_line)  # read beside; something to compare
