"""For any history: the parts add up to the whole, and voided and training sales never count."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_tui.db.models import Category, Payment, Product, Sale, SaleLine, User
from pos_tui.services.reports import costs, sales
from pos_tui.services.reports.periods import Period

LONDON = ZoneInfo("Europe/London")
BASE = datetime(2026, 10, 22, tzinfo=timezone.utc)  # a week across the clocks going back (10-25)

line_st = st.tuples(st.integers(0, 2), st.integers(1, 3), st.integers(1, 900), st.integers(0, 50))
sale_st = st.fixed_dictionaries({
    "minutes": st.integers(0, 7 * 24 * 60 - 1),
    "status": st.sampled_from(["completed", "completed", "completed", "return", "voided"]),
    "training": st.booleans(),
    "lane": st.sampled_from(["1", "2"]),
    "included": st.booleans(),
    "lines": st.lists(line_st, min_size=1, max_size=4),
    "split": st.integers(0, 100),
    "rounding": st.integers(-2, 2),
})


@pytest.fixture
def catalogue(store, admin_actor):
    store.set("store.timezone", "Europe/London")
    top = Category.create(name="Food")
    cats = [top, Category.create(name="Sweets", parent=top), None]
    products = [Product.create(barcode=f"2100000{i}", name=f"p{i}", price=100, cost=40 + i, category=cats[i])
                for i in range(3)]
    return admin_actor, products, User.get_by_id(admin_actor.user_id)


def _write(history, products, cashier):
    Payment.delete().execute()
    SaleLine.delete().execute()
    Sale.delete().execute()
    for n, s in enumerate(history):
        sign = -1 if s["status"] == "return" else 1
        taxes = [(gross * qty) // 6 for _, qty, gross, _ in s["lines"]]
        totals = [gross * qty - min(discount, gross * qty) for _, qty, gross, discount in s["lines"]]
        total = sum(totals) + (0 if s["included"] else sum(taxes))
        row = Sale.create(receipt_no=f"R{n}", lane=s["lane"], cashier=cashier, created_at=BASE + timedelta(minutes=s["minutes"]),
                          subtotal=sign * total, discount_total=0, tax_total=sign * sum(taxes), total=sign * total,
                          status=s["status"], training=s["training"], prices_include_tax=s["included"],
                          rounding=s["rounding"])
        for position, ((pi, qty, gross, discount), tax, line_total) in enumerate(zip(s["lines"], taxes, totals), 1):
            SaleLine.create(sale=row, position=position, product=products[pi], barcode="x", name="x",
                            qty=Decimal(sign * qty), unit_price=gross, unit_cost=products[pi].cost,
                            discount=min(discount, gross * qty) if sign > 0 else 0, tax_class="standard",
                            tax_rate="0.20", tax=sign * tax, total=sign * line_total)
        paid = sign * total + s["rounding"]
        cash = paid * s["split"] // 100
        for tender, amount in (("cash", cash), ("card", paid - cash)):
            if amount:
                Payment.create(sale=row, tender=tender, amount=amount, tendered=amount, change=0)


def _expected_net(history, period):
    net = 0
    for s in history:
        day = (BASE + timedelta(minutes=s["minutes"])).astimezone(LONDON).date()
        if s["status"] == "voided" or s["training"] or not period.start <= day < period.end:
            continue
        sign = -1 if s["status"] == "return" else 1
        lines = sum(gross * qty - min(discount, gross * qty) for _, qty, gross, discount in s["lines"])
        taxes = sum((gross * qty) // 6 for _, qty, gross, _ in s["lines"])
        net += sign * (lines + (0 if s["included"] else taxes))
    return net


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(sale_st, max_size=12), first=st.integers(0, 5), length=st.integers(1, 4))
def test_parts_add_up_to_the_whole(catalogue, history, first, length):
    actor, products, cashier = catalogue
    _write(history, products, cashier)
    period = Period(date(2026, 10, 22) + timedelta(days=first), date(2026, 10, 22) + timedelta(days=first + length))
    expected = _expected_net(history, period)
    by_day = sales.sales_report(actor, period, "day")
    assert by_day.totals["net"] == expected
    for by in ("day", "week", "hour", "weekday", "category", "product", "lane", "cashier"):
        report = by_day if by == "day" else sales.sales_report(actor, period, by)
        assert sum(r["net"] for r in report.rows) == expected, by
        assert sum(r["sales"] for r in report.rows) == report.totals["sales"], by
        if by not in ("category", "product"):  # a basket may hold several products
            assert sum(r["baskets"] for r in report.rows) == report.totals["baskets"], by
        assert sum(r["items"] for r in report.rows) == report.totals["items"], by
    tenders = sales.sales_report(actor, period, "tender")
    assert sum(r["net"] for r in tenders.rows) == expected + tenders.totals["rounding"]
    cost = costs.costs_report(actor, period, "product")
    assert sum(r["margin"] for r in cost.rows) == cost.totals["margin"]
    # The first product and the rest summed: the same sums and totals as every product (ties cut by label).
    every, first = sales.sales_report(actor, period, "product", top=None), sales.sales_report(actor, period, "product", top=1)
    assert first.rows[:1] == every.rows[:1] and first.totals == every.totals
    assert sum(r["net"] for r in first.rows) == expected and len(first.rows) == min(len(every.rows), 2)
    every, first = costs.costs_report(actor, period, "product", top=None), costs.costs_report(actor, period, "product", top=1)
    assert first.rows[:1] == every.rows[:1] and first.totals == every.totals
    assert sum(r["margin"] for r in first.rows) == every.totals["margin"]
    drill = sum(sales.sales_report(actor, period, "product", category=name).totals["net"] for name in ("Food",))
    uncategorised = next((r["net"] for r in sales.sales_report(actor, period, "category").rows
                          if r["category"] == "(none)"), 0)
    assert drill + uncategorised == expected  # Food includes its subcategory Sweets


@given(st.integers(-10**12, 10**12), st.integers(-10**7, 10**7).filter(bool))
def test_an_average_of_whole_numbers_rounds_half_up_like_decimal(amount, count):
    """money_div takes an integer shortcut (a year by product has 77,000 averages): the same rounding."""
    from decimal import ROUND_HALF_UP

    from pos_tui.services.reports.common import money_div

    expected = int((Decimal(amount) / Decimal(count)).quantize(Decimal(1), ROUND_HALF_UP))
    assert money_div(amount, count) == expected
    assert money_div(amount, Decimal(count)) == expected  # the Decimal path


@given(st.integers(1, 10**12), st.integers(1, 10**12))
def test_slow_movers_sell_through_in_integers_rounds_as_percent(sold, on_hand):
    """Slow movers are picked in integers (a year has 75,000 to look at): the same as the shown percent."""
    from pos_tui.services.reports.common import percent
    from pos_tui.services.reports.turnover import SLOW_SELL_THROUGH, _slow_tenths

    assert Decimal(_slow_tenths(sold, on_hand)).scaleb(-1) == percent(sold, sold + on_hand)
    assert (_slow_tenths(sold, on_hand) < 100) == (percent(sold, sold + on_hand) < SLOW_SELL_THROUGH)
