"""Attach a customer (F5) by phone, name or loyalty code; add one on the spot (F2), see one (F3)."""

from __future__ import annotations

import pytest

from pos_tui.db.models import Customer, Sale
from pos_tui.services.customer_history import customer_detail
from pos_tui.services.customers import find_customers
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.customer_detail import CustomerDetailModal
from pos_tui.tui.modals.customer_form import CustomerFormModal
from pos_tui.tui.modals.customer_search import CustomerSearchModal
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login, scan, settle_workers, shown, wait_until


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


async def _open_search(pilot, app, typed: str = "") -> None:
    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(app.screen, CustomerSearchModal), "the customer search")
    if typed:
        await pilot.press(*typed)
        await wait_until(pilot, lambda: "found" in shown(app, "#lookup-message"), "the search result")


async def test_f2_in_the_search_adds_a_new_customer_checks_each_field_and_attaches_them(demo_store):
    customers_before = Customer.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "4010079190010")
        await _open_search(pilot, app, "Zoe Quinn")
        assert app.screen.rows == []
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerFormModal), "the new-customer form")
        assert app.screen.query_one("#customer-name").value == "Zoe Quinn"  # what was searched for
        await pilot.press("enter", *"07700 900999", "enter", *"zoe@", "enter", *"3 Kiln Yard", "enter", "enter",
                          *"ls2 7ab", "enter")
        await wait_until(pilot, lambda: "name@example.com" in shown(app, "#customer-form-message"), "the email refused")
        assert app.screen.focused.id == "customer-email"
        assert Customer.select().count() == customers_before
        await pilot.press(*"example.com", "f10")
        await wait_until(pilot, lambda: getattr(app.screen, "cart", None) is not None
                         and app.screen.cart.customer_name == "Zoe Quinn", "the new customer attached")
        sales_before = Sale.select().count()
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
        await pilot.press("enter")
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale")
        await settle_workers(app)
    zoe = Customer.get(Customer.name == "Zoe Quinn")
    assert (zoe.phone, zoe.email) == ("07700 900999", "zoe@example.com")
    assert [(a.street, a.postcode, a.is_default) for a in zoe.addresses] == [("3 Kiln Yard", "LS2 7AB", True)]
    assert Sale.select().order_by(Sale.id.desc()).first().customer_id == zoe.id


async def test_escape_from_the_new_customer_form_adds_nobody(demo_store):
    customers_before = Customer.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await _open_search(pilot, app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerFormModal), "the new-customer form")
        await pilot.press(*"Nobody", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerSearchModal), "back in the search")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen.cart.customer_name == "" and not isinstance(
            app.screen, CustomerSearchModal), "back at the checkout")
        await settle_workers(app)
    assert Customer.select().count() == customers_before


async def test_f3_shows_the_highlighted_customers_totals_and_recent_purchases_and_enter_attaches(demo_store):
    regular = max(Customer.select(), key=lambda c: c.sales.count())
    detail = customer_detail(regular.id)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await _open_search(pilot, app, regular.loyalty_code)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerDetailModal), "the customer's details")
        await wait_until(pilot, lambda: app.screen.detail is not None, "the details loaded")
        summary = shown(app, "#customer-summary")
        assert regular.name in summary and f"{detail.visits} visits" in summary
        table = app.screen.query_one("#customer-purchases")
        assert table.row_count == min(12, len(detail.purchases)) > 0
        assert detail.purchases[0].receipt_no in str(table.get_row_at(0)[0])
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "cart", None) is not None
                         and app.screen.cart.customer_name == regular.name, "the customer attached")
        await settle_workers(app)


async def test_f3_without_a_match_says_what_to_do(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await _open_search(pilot, app, "zzzz-nobody")
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Find a customer first" in shown(app, "#lookup-message"), "the hint")
        assert isinstance(app.screen, CustomerSearchModal)
        await settle_workers(app)
