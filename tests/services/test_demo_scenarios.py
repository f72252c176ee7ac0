"""`pos demo --scenario`: each prepared situation is real state made by the services, as its brief says."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError
from pos_tui.services import audit, demo_scenarios, held_carts
from pos_tui.services.auth import authenticate
from pos_tui.services.shifts import close_shift, current_shift
from pos_tui.services.limits import NeedsApproval


def counts_in(text: str) -> dict[int, int]:
    """The notes and coins a brief tells the trainee to count ("4 x 50.00, 1 x 0.05")."""
    return {parse_money(amount): int(n) for n, amount in re.findall(r"(\d+) x (\d+\.\d\d)", text)}


def test_every_scenario_the_issue_names_is_listed_with_a_one_line_summary():
    assert demo_scenarios.names() == ["basic-sale", "split-payment", "return-with-receipt", "no-sale",
                                      "shift-shortage", "large-order-review"]
    assert all(s.summary and "\n" not in s.summary for s in demo_scenarios.SCENARIOS.values())


def test_an_unknown_scenario_is_refused_naming_the_real_ones_and_nothing_is_prepared(demo_store):
    with pytest.raises(ValidationError, match="no demo scenario 'basic'; pick one of: basic-sale, split-payment"):
        demo_scenarios.prepare(demo_store, "basic")
    assert demo_scenarios.recorded() is None
    assert audit.entries("demo.scenario") == []


def test_basic_sale_leaves_an_open_shift_and_an_empty_cart_and_names_real_products(demo_store):
    from pos_tui.services.catalog import scan

    brief = demo_scenarios.prepare(demo_store, "basic-sale")
    assert current_shift(demo_store.get("lane")) is not None
    assert held_carts.load_open(demo_store.get("lane")) is None and held_carts.parked() == []
    codes = re.findall(r"\b\d{13}\b", brief.text)
    assert len(codes) == 2
    for code in codes:
        assert scan(code, demo_store.tax_rates()).name in brief.text
    assert demo_scenarios.recorded() == brief and brief.login == "cashier / 1111"


def test_split_payment_parks_the_cart_the_brief_names_by_the_cashier(demo_store):
    brief = demo_scenarios.prepare(demo_store, "split-payment")
    [held] = held_carts.parked()
    assert (held.label, held.lines, held.cashier) == ("Mrs Khan", 4, "cashier")
    assert f"{held.lines} items ({format_money(held.total)})" in brief.text
    assert held.total > 1000, "the cash part (10.00) must leave something for the card"
    assert audit.entries("sale.park")[0].username == "cashier"


def test_return_with_receipt_is_a_real_sale_whose_receipt_the_brief_names(demo_store):
    from pos_tui.services.returns import commit_return, returnable

    brief = demo_scenarios.prepare(demo_store, "return-with-receipt")
    receipt = re.search(r"receipt (\d+-\d{6})", brief.text).group(1)
    sale = returnable(receipt)
    [sponge] = [line for line in sale.lines if line.name in brief.text]
    assert all(line.returned == 0 for line in sale.lines) and len(sale.lines) == 3
    done = commit_return(authenticate("cashier", "1111"), receipt, {sponge.line_id: Decimal(1)}, tender="cash",
                         restock=False, lane=demo_store.get("lane"), settings=demo_store)  # no supervisor needed
    assert f"refunds {format_money(-done.total)} in cash" in brief.text


def test_no_sale_names_a_reason_from_the_shops_list_at_its_letter(demo_store):
    from pos_tui.services.drawer import no_sale_count, no_sale_reasons

    brief = demo_scenarios.prepare(demo_store, "no-sale")
    letter, reason = re.search(r"F9, then ([A-Z]) \(([^)]+)\)", brief.text).groups()
    reasons = no_sale_reasons(demo_store)
    assert reasons["ABCDEFGHIJ".index(letter)] == reason
    assert no_sale_count(demo_store, demo_store.get("lane")) < demo_store.get("drawer.rules.no_sale_max")


def test_shift_shortage_count_from_the_brief_closes_short_past_the_limit(demo_store):
    demo_store.set("backup.on_shift_close", False)  # a copy of the 90-day store is slow and beside the point
    brief = demo_scenarios.prepare(demo_store, "shift-shortage")
    counts = counts_in(brief.text)
    total = parse_money(re.search(r"\(= (\d+\.\d\d)\)", brief.text).group(1))
    assert sum(d * n for d, n in counts.items()) == total
    cashier = authenticate("cashier", "1111")
    with pytest.raises(NeedsApproval):
        close_shift(cashier, demo_store, counts=counts, note="till was short")
    closed = close_shift(cashier, demo_store, counts=counts, note="till was short",
                         approver=authenticate("supervisor", "2222"))
    assert closed.over_short == -1200


def test_large_order_review_waits_in_pending_review_over_the_threshold(demo_store):
    from pos_tui.services import orders
    from pos_tui.services.order_info import get_order

    brief = demo_scenarios.prepare(demo_store, "large-order-review")
    number = re.search(r"Order (ORD-\d+)", brief.text).group(1)
    order = get_order(number)
    assert order.status == "pending_review"
    assert order.total > parse_money(str(demo_store.get("orders.review.total_above")))
    assert order.customer in brief.text and brief.login == "supervisor / 2222"
    approved = orders.approve(authenticate("supervisor", "2222"), demo_store, number, "checked with the customer")
    assert approved.status == "approved", "the stock is there for it"
