"""Attach a customer (F5) by phone, name or loyalty code; the sale records it."""

from __future__ import annotations

import pytest

from pos_tui.db.models import Sale
from pos_tui.services.customers import find_customers
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.customer_search import CustomerSearchModal
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login, scan, wait_until, settle_workers


@pytest.mark.parametrize("typed", ["LC000102", "7700 900058", "raj pat"])
def test_find_a_customer_by_loyalty_code_phone_digits_or_part_of_the_name(demo_store, typed):
    assert [c.name for c in find_customers(typed)] == ["Raj Patel"]


async def test_f5_attaches_the_customer_and_the_sale_keeps_them(demo_store):
    sales_before = Sale.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "4010079190010")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerSearchModal), "the customer search")
        await pilot.press(*"LC000102")
        await wait_until(pilot, lambda: len(app.screen.rows) == 1, "one match")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.cart.customer_name == "Raj Patel", "the customer attached")
        assert "Raj Patel" in str(app.screen.query_one("#totals").render())
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
        await pilot.press("enter")
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale")
        await settle_workers(app)
    assert Sale.select().order_by(Sale.id.desc()).first().customer.name == "Raj Patel"
