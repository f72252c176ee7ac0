"""Every report against numbers worked out by hand for a small shop written down here.

The shop is in Europe/London; clocks went back at 01:00 UTC on 2026-10-25.
The period is 2026-10-24 to 2026-10-27 (end excluded). Times below are UTC,
with the shop's local time beside them. Prices include 20% tax.

products (price, cost, category, stock now)
  milk   150  90  Dairy            24   moves: +30 receive 10-20, -1 S7, -2 S1, -1 S3, -2 damage 10-25
  cheese 400 250  Dairy / Cheese    5   moves: -1 stocktake 10-25
  bread  250 100  Bakery           10   (no moves)
  jam    300 120  (none)            4   never sold: dead stock

sales
  S7 10-23 12:00 (13:00 BST, day 23)  lane 1  customer A  milk x1 150 (tax 25)            card 150   [previous period]
  S1 10-24 22:30 (23:30 BST, day 24)  lane 1  customer A  milk x2 300 (tax 50),
                                                           bread x1 250 (tax 42)           cash 550 (tendered 1000)
  S2 10-24 23:30 (00:30 BST, day 25!) lane 2  customer B  cheese x1 400 - 50 = 350 (tax 58),
                                                           bread x2 500 (tax 83)           cash 300 + card 550
  S3 10-25 01:30 (01:30 GMT, day 25)  lane 1  customer A  milk x1 150 (tax 25)            card 150
  S4 10-26 10:00 (10:00 GMT, day 26)  lane 1  return of 1 bread from S2: -250 (tax -42)   cash -250
  S5 10-25 12:00 voided: milk x5 750                                                     (left out)
  S6 10-25 13:00 training: bread x4 1000                                                 (left out)
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.db.models import Category, Customer, DeliveryOrder, Payment, Product, Sale, SaleLine, Shift, StockMove, User
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services.context import Actor
from pos_tui.services.permissions import PermissionDenied
from pos_tui.services.reports import costs, customers, sales, turnover
from pos_tui.services.reports.periods import make_period

LONDON = ZoneInfo("Europe/London")
PERIOD = make_period("2026-10-24", "2026-10-27")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text + "+00:00").astimezone(timezone.utc)


@pytest.fixture
def shop(store, admin_actor):
    store.set("store.timezone", "Europe/London")
    dairy = Category.create(name="Dairy")
    cheese_cat = Category.create(name="Cheese", parent=dairy)
    bakery = Category.create(name="Bakery")
    made = {}
    for name, price, cost, cat, stock in (("milk", 150, 90, dairy, 24), ("cheese", 400, 250, cheese_cat, 5),
                                          ("bread", 250, 100, bakery, 10), ("jam", 300, 120, None, 4)):
        made[name] = Product.create(barcode=f"20000000{len(made)}", name=name, price=price, cost=cost, category=cat,
                                    stock=Decimal(stock))
    ann = User.create(username="ann", role="cashier", password_hash="x")
    a, b = Customer.create(name="Alice"), Customer.create(name="Bob")
    sale_rows = {}

    def sale(key, at, lane, lines, tenders, *, customer=None, status="completed", training=False, original=None):
        sign = -1 if status == "return" else 1
        total = sum(l[2] - l[3] for l in lines)
        row = Sale.create(receipt_no=key, lane=lane, cashier=ann, customer=customer, created_at=utc(at),
                          subtotal=sign * sum(l[2] for l in lines), discount_total=sum(l[3] for l in lines),
                          tax_total=sign * sum(l[4] for l in lines), total=sign * total, status=status,
                          training=training, original=original)
        for position, (product, qty, gross, discount, tax) in enumerate(lines, start=1):
            p = made[product]
            SaleLine.create(sale=row, position=position, product=p, barcode=p.barcode, name=p.name,
                            qty=Decimal(sign * qty), unit_price=p.price, unit_cost=p.cost, discount=discount,
                            tax_class="standard", tax_rate="0.20", tax=sign * tax, total=sign * (gross - discount))
        for tender, amount, tendered in tenders:
            Payment.create(sale=row, tender=tender, amount=amount, tendered=tendered, change=tendered - amount)
        sale_rows[key] = row

    sale("S7", "2026-10-23T12:00:00", "1", [("milk", 1, 150, 0, 25)], [("card", 150, 150)], customer=a)
    sale("S1", "2026-10-24T22:30:00", "1", [("milk", 2, 300, 0, 50), ("bread", 1, 250, 0, 42)],
         [("cash", 550, 1000)], customer=a)
    sale("S2", "2026-10-24T23:30:00", "2", [("cheese", 1, 400, 50, 58), ("bread", 2, 500, 0, 83)],
         [("cash", 300, 300), ("card", 550, 550)], customer=b)
    sale("S3", "2026-10-25T01:30:00", "1", [("milk", 1, 150, 0, 25)], [("card", 150, 150)], customer=a)
    sale("S4", "2026-10-26T10:00:00", "1", [("bread", 1, 250, 0, 42)], [("cash", -250, -250)], customer=b,
         status="return", original=sale_rows["S2"])
    sale("S5", "2026-10-25T12:00:00", "1", [("milk", 5, 750, 0, 125)], [("cash", 750, 750)], status="voided")
    sale("S6", "2026-10-25T13:00:00", "1", [("bread", 4, 1000, 0, 167)], [("cash", 1000, 1000)], training=True)
    for product, delta, reason, at in (("milk", 30, "receive", "2026-10-20T09:00:00"),
                                       ("milk", -1, "sale", "2026-10-23T12:00:00"),
                                       ("milk", -2, "sale", "2026-10-24T22:30:00"),
                                       ("bread", -1, "sale", "2026-10-24T22:30:00"),
                                       ("cheese", -1, "sale", "2026-10-24T23:30:00"),
                                       ("bread", -2, "sale", "2026-10-24T23:30:00"),
                                       ("milk", -1, "sale", "2026-10-25T01:30:00"),
                                       ("milk", -2, "damage", "2026-10-25T12:00:00"),
                                       ("cheese", -1, "stocktake", "2026-10-25T15:00:00"),
                                       ("bread", 1, "stocktake", "2026-10-25T15:00:00"),
                                       ("bread", -3, "theft", "2026-10-20T15:00:00"),
                                       ("bread", 1, "return", "2026-10-26T10:00:00"),
                                       ("bread", 4, "receive", "2026-10-26T11:00:00")):
        StockMove.create(product=made[product], delta=Decimal(delta), reason=reason, created_at=utc(at))
    for number, closed, over_short in ((1, "2026-10-23T20:00:00", 500), (2, "2026-10-24T20:00:00", -120),
                                       (3, "2026-10-25T20:00:00", 20)):
        Shift.create(lane="1", number=number, opened_by="ann", opened_at=utc(closed.replace("T20", "T08")),
                     float_amount=10000, closed_by="ann", closed_at=utc(closed), counted=0, expected=0,
                     over_short=over_short)
    for number, shipped, cost in (("ORD-1", "2026-10-25T09:00:00", 499), ("ORD-2", "2026-10-22T09:00:00", 300)):
        DeliveryOrder.create(number=number, status="shipped", shipped_at=utc(shipped), shipping_cost=cost,
                             created_by="ann")
    return admin_actor


def rows_by(report, column):
    return {row[column]: row for row in report.rows}


def test_sales_by_day_puts_the_sale_after_local_midnight_on_the_next_day(shop):
    report = sales.sales_report(shop, PERIOD, "day")
    days = rows_by(report, "day")
    assert list(days) == ["2026-10-24", "2026-10-25", "2026-10-26"]
    assert (days["2026-10-24"]["net"], days["2026-10-24"]["baskets"], days["2026-10-24"]["items"]) == (550, 1, 3)
    # S2 (23:30 UTC on the 24th, 00:30 BST on the 25th) and S3 (after the clocks went back)
    assert (days["2026-10-25"]["sales"], days["2026-10-25"]["baskets"], days["2026-10-25"]["items"]) == (1000, 2, 4)
    assert days["2026-10-25"]["discounts"] == 50
    assert (days["2026-10-26"]["sales"], days["2026-10-26"]["refunds"], days["2026-10-26"]["net"]) == (0, -250, -250)
    assert days["2026-10-26"]["items"] == -1
    t = report.totals
    assert (t["sales"], t["refunds"], t["net"], t["baskets"], t["items"], t["discounts"]) == (1550, -250, 1300, 3, 6, 50)
    assert t["average_basket"] == 517  # 1550 / 3 = 516.67
    assert report.previous["net"] == 150  # S7 alone, 2026-10-21 to 2026-10-24
    assert t["net_change"] == Decimal("766.7")  # (1300 - 150) / 150


def test_sales_by_hour_is_local_hour(shop):
    hours = {row["key"]: row["net"] for row in sales.sales_report(shop, PERIOD, "hour").rows}
    assert len(hours) == 24
    assert (hours["23"], hours["00"], hours["01"], hours["10"]) == (550, 850, 150, -250)
    assert sum(hours.values()) == 1300


def test_sales_by_tender_lane_and_cashier(shop):
    tenders = rows_by(sales.sales_report(shop, PERIOD, "tender"), "tender")
    assert (tenders["cash"]["sales"], tenders["cash"]["refunds"], tenders["cash"]["net"]) == (850, -250, 600)
    assert (tenders["card"]["net"], tenders["card"]["baskets"], tenders["cash"]["baskets"]) == (700, 2, 2)
    lanes = rows_by(sales.sales_report(shop, PERIOD, "lane"), "lane")
    assert (lanes["1"]["sales"], lanes["1"]["net"], lanes["1"]["baskets"]) == (700, 450, 2)
    assert (lanes["2"]["net"], lanes["2"]["baskets"]) == (850, 1)
    cashiers = rows_by(sales.sales_report(shop, PERIOD, "cashier"), "cashier")
    assert list(cashiers) == ["ann"] and cashiers["ann"]["net"] == 1300


def test_sales_by_category_and_drill_down_to_products(shop):
    cats = rows_by(sales.sales_report(shop, PERIOD, "category"), "category")
    assert {k: v["net"] for k, v in cats.items()} == {"Dairy": 450, "Dairy / Cheese": 350, "Bakery": 500}
    assert cats["Bakery"]["refunds"] == -250
    assert (cats["Dairy"]["key"], cats["Dairy / Cheese"]["key"]) == ("Dairy", "Cheese")  # what a drill-down takes
    cheese = sales.sales_report(shop, PERIOD, "product", category=cats["Dairy / Cheese"]["key"])
    assert [(row["product"].split(" (")[0], row["net"]) for row in cheese.rows] == [("cheese", 350)]
    dairy = sales.sales_report(shop, PERIOD, "product", category=cats["Dairy"]["key"])
    assert {row["product"].split(" (")[0]: row["net"] for row in dairy.rows} == {"milk": 450, "cheese": 350}
    t = dairy.totals
    assert (t["sales"], t["net"], t["items"], t["discounts"]) == (800, 800, 4, 50)
    assert t["baskets"] is None  # a basket may hold several categories
    assert dairy.previous["net"] == 150


def test_series_for_the_screen(shop):
    report = sales.sales_report(shop, PERIOD, "day", with_series=True)
    assert report.series["by_day"] == (("2026-10-24", 550), ("2026-10-25", 1000), ("2026-10-26", -250))
    assert dict(report.series["by_hour"])["00"] == 850
    assert dict(report.series["category_shares"]) == {"Bakery": 500, "Dairy": 450, "Dairy / Cheese": 350}


def test_costs(shop):
    report = costs.costs_report(shop, PERIOD, "category")
    t = report.totals
    # revenue without tax: S1 250 + 208, S2 292 + 417, S3 125, S4 -208
    assert t["revenue"] == 1084
    # COGS: milk 2x90 + 1x90, bread 100 + 200 - 100, cheese 250
    assert t["cogs"] == 720
    assert (t["margin"], t["margin_pct"], t["discounts"]) == (364, Decimal("33.6"), 50)
    assert t["shrinkage"] == 2 * 90 + 1 * 250  # milk damaged, cheese short at the stocktake (bread found: not loss)
    assert t["shipping"] == 499
    assert t["over_short"] == -100  # shifts 2 and 3 closed in the period
    cats = rows_by(report, "label")
    assert (cats["Bakery"]["revenue"], cats["Bakery"]["cogs"], cats["Bakery"]["margin"]) == (417, 200, 217)
    assert {r["reason"]: r["value"] for r in report.sections["shrinkage"].rows} == {"damage": 180, "stocktake": 250}


def test_turnover(shop):
    report = turnover.turnover_report(shop, PERIOD, "product", dead_days=30)
    milk = next(r for r in report.rows if r["label"].startswith("milk"))
    # milk: 24 now; moves since the start (23:00 UTC 10-23): -2 -1 -2, so 29 then; none since the end: 24
    assert (milk["start_value"], milk["end_value"], milk["average_value"]) == (29 * 90, 24 * 90, 2385)
    assert milk["cogs"] == 270
    assert milk["turnover"] == Decimal("0.11")  # 270 / 2385
    assert milk["days_of_inventory"] == Decimal("26.5")  # 2385 x 3 / 270
    assert milk["sell_through"] == Decimal("11.1")  # 3 / (3 + 24)
    bread = next(r for r in report.rows if r["label"].startswith("bread"))
    # bread: 10 now; since the start: -1 -2 +1 +1 +4 = +3 -> 7 at the start; since the end: nothing -> 10
    assert (bread["start_value"], bread["end_value"], bread["units_sold"]) == (700, 1000, 2)
    assert report.totals["cogs"] == 720
    dead = report.sections["dead_stock"]
    assert [(r["label"].split(" (")[0], r["stock_value"], r["last_sale"]) for r in dead.rows] == [("jam", 480, "never")]



def test_turnover_per_product_stops_at_top_and_sums_the_rest(shop):
    every = turnover.turnover_report(shop, PERIOD, "product", dead_days=30, top=None)
    first = turnover.turnover_report(shop, PERIOD, "product", dead_days=30, top=1)
    assert len(every.rows) >= 3
    assert first.rows[0] == every.rows[0]  # the biggest COGS first, as in the full list
    other = first.rows[1]
    assert other["label"] == f"({len(every.rows) - 1} other products)" and len(first.rows) == 2
    for key in ("cogs", "start_value", "end_value", "units_sold", "on_hand_end"):
        assert other[key] == sum(r[key] for r in every.rows[1:])
    assert first.totals == every.totals  # totals count every product, shown or not
    with pytest.raises(ValidationError):
        turnover.turnover_report(shop, PERIOD, "product", top=0)


@pytest.mark.parametrize("first,last", [("2026-10-24", "2026-10-27"), ("2026-10-20", "2026-10-21"),
                                        ("2026-11-01", "2026-11-02")])
def test_turnover_sums_unsold_products_without_listing_them_and_ranks_them_by_label(shop, first, last):
    """A short top (what a day asks for) reads the sold products one by one and sums the rest: the figures
    are those of the full list, also when the period sold too few to fill the top (a quiet day: the unsold
    products then fill it in label order) and when it sold nothing."""
    period = make_period(first, last)
    for by in turnover.TURNOVER_BY:
        every = turnover.turnover_report(shop, period, by, dead_days=30, top=None)
        for top in range(1, len(every.rows) + 2):
            some = turnover.turnover_report(shop, period, by, dead_days=30, top=top)
            assert some.totals == every.totals
            if by == "category":
                assert some.rows == every.rows  # categories are never cut
                continue
            assert some.rows[:top] == every.rows[:top]
            if top < len(every.rows):
                assert some.rows[top]["cogs"] == sum(r["cogs"] for r in every.rows[top:])
                assert some.rows[top]["start_value"] == sum(r["start_value"] for r in every.rows[top:])
            assert some.sections["dead_stock"].totals == every.sections["dead_stock"].totals
            assert some.sections["dead_stock"].rows == every.sections["dead_stock"].rows[:top]


@pytest.mark.parametrize("first,last", [("2026-10-24", "2026-10-27"), ("2026-11-01", "2026-11-02")])
def test_sales_and_costs_per_product_stop_at_top_and_sum_the_rest(shop, first, last):
    """What a year of 77,000 products asks for: the first rows as in the full list, the rest in one row, the
    totals those of every product. The rest has no basket count: a basket may hold several of them."""
    period = make_period(first, last)
    for report, key in ((sales.sales_report, "net"), (costs.costs_report, "margin")):
        every = report(shop, period, "product", top=None)
        label = "product" if report is sales.sales_report else "label"
        for top in range(1, len(every.rows) + 2):
            some = report(shop, period, "product", top=top)
            assert some.totals == every.totals
            assert some.rows[:top] == every.rows[:top]
            if top >= len(every.rows):
                assert len(some.rows) == len(every.rows)
                continue
            other = some.rows[top]
            assert len(some.rows) == top + 1 and other["key"] == ""
            left = len(every.rows) - top
            assert other[label] == (f"({left} other products)" if left > 1 else "(1 other product)")
            for column in (("sales", "refunds", "net", "items", "discounts") if key == "net"
                           else ("revenue", "cogs", "discounts", "margin")):
                assert other[column] == sum(r[column] for r in every.rows[top:]), column
            if key == "net":
                assert other["baskets"] is None and other["average_basket"] is None
    bread_first = sales.sales_report(shop, PERIOD, "product", top=1).rows
    assert [r["product"].split(" (")[0] for r in bread_first[:1]] == ["bread"]
    assert (bread_first[1]["net"], bread_first[1]["share"]) == (800, Decimal("61.5"))  # milk and cheese: 800 of 1300
    with pytest.raises(ValidationError):
        sales.sales_report(shop, PERIOD, "product", top=0)
    with pytest.raises(ValidationError):
        costs.costs_report(shop, PERIOD, "product", top=0)


def test_customers(shop, monkeypatch):
    monkeypatch.setattr(customers, "MIN_PAIR_COUNT", 1)
    report = customers.customers_report(shop, PERIOD)
    t = report.totals
    assert (t["customers"], t["new"], t["returning"]) == (2, 1, 1)  # Alice bought before (S7), Bob did not
    assert (t["repeat_rate"], t["frequency"], t["average_basket"]) == (Decimal("50.0"), Decimal("1.50"), 517)
    top = [(r["customer"], r["purchases"], r["net"], r["rfm"], r["segment"]) for r in report.rows]
    # both last bought on the 25th: 2 days before the end -> R 5; Alice 2 purchases F 2, Bob 1; both M 1
    assert top == [("Alice", 2, 700, "521", "promising"), ("Bob", 1, 600, "511", "new")]
    pairs = {(r["product_a"], r["product_b"]): (r["count"], r["lift"]) for r in report.sections["pairs"].rows}
    # 3 baskets; milk in 2, bread in 2, cheese in 1
    assert pairs == {("milk", "bread"): (1, Decimal("0.75")), ("cheese", "bread"): (1, Decimal("1.50"))}


def test_reports_need_report_view(shop):
    cashier = Actor("ann", "cashier", User.get(User.username == "ann").id)
    for run in (lambda: sales.sales_report(cashier, PERIOD), lambda: costs.costs_report(cashier, PERIOD),
                lambda: turnover.turnover_report(cashier, PERIOD), lambda: customers.customers_report(cashier, PERIOD)):
        with pytest.raises(PermissionDenied):
            run()


def test_bad_input_is_refused(shop):
    with pytest.raises(ValidationError, match="--by"):
        sales.sales_report(shop, PERIOD, "year")
    with pytest.raises(NotFound, match="Toys"):
        sales.sales_report(shop, PERIOD, "product", category="Toys")
    with pytest.raises(ValidationError, match="after"):
        make_period("2026-10-27", "2026-10-24")
