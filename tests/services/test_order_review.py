"""Review rules: which orders wait for a person, the rule recorded, and who may decide."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pos_tui.config import Settings
from pos_tui.db.models import Sale
from pos_tui.domain.discount import parse_discount
from pos_tui.domain.tender import Tender
from pos_tui.errors import AuthError, ConfigError, ValidationError
from pos_tui.services import orders, sales, shifts
from pos_tui.services.order_status import IllegalTransition
from tests.services.conftest import MILK, TEA
from tests.services.order_helpers import make_shop, order


@pytest.fixture
def shop(store, admin_actor):
    return make_shop(store, admin_actor)


def test_an_order_no_rule_matches_is_approved_by_the_machine(shop):
    made = order(shop, (TEA, "1"))
    assert (made.status, made.review_rule, made.reviewed_by) == ("approved", "auto: no rule matched", "")


def test_a_total_above_the_limit_waits_for_review(shop):
    shop.settings.set("orders.review.total_above", "4.00")
    made = order(shop, (TEA, "2"))
    assert (made.status, made.review_rule) == ("pending_review", "total_above: 5.00 > 4.00")
    assert made.events[-1].note == "total_above: 5.00 > 4.00"
    assert order(shop, (TEA, "1")).status == "approved"  # 2.50: under the limit


def test_a_deep_discount_waits_for_review(shop):
    shop.settings.set("orders.review.discount_percent_above", "15")
    cart = orders.cart_from_lines(shop.settings, [(TEA, 2)])
    cart.discount_line(0, parse_discount("20%"))
    made = orders.create_order(shop.owner, shop.settings, cart, customer_id=shop.ann)
    assert (made.status, made.review_rule) == ("pending_review", "discount_percent_above: 20.0% > 15%")


def test_a_new_customer_waits_only_when_the_shop_says_so(shop):
    assert order(shop, (TEA, "1"), customer_id=shop.bob,
                 delivery=orders.Delivery(address="9 Mill Lane")).status == "approved"
    shop.settings.set("orders.review.new_customer", "true")
    made = order(shop, (TEA, "1"))  # Ann: never bought or ordered
    assert (made.status, made.review_rule) == ("pending_review", "new_customer: Ann Archer has no earlier sale or order")
    assert order(shop, (TEA, "1"), customer_id=shop.bob, delivery=orders.Delivery(address="9 Mill Lane")).status \
        == "approved"  # Bob ordered before


def test_a_customer_with_a_sale_is_not_new(shop):
    shop.settings.set("orders.review.new_customer", "true")
    cart = orders.cart_from_lines(shop.settings, [(MILK, 1)])
    sales.commit_sale(shop.cathy, cart, [Tender("cash", 100)], lane="1", customer_id=shop.ann, settings=shop.settings)
    assert Sale.select().count() == 1
    assert order(shop, (TEA, "1")).status == "approved"


def test_a_customer_with_only_a_training_sale_is_still_new(shop):
    shop.settings.set("orders.review.new_customer", "true")
    cart = orders.cart_from_lines(shop.settings, [(MILK, 1)])
    trainee = replace(shop.cathy, training=True)
    sales.commit_sale(trainee, cart, [Tender("cash", 100)], lane="1", customer_id=shop.ann, settings=shop.settings)
    assert Sale.get().training
    assert order(shop, (TEA, "1")).review_rule == "new_customer: Ann Archer has no earlier sale or order"


def test_pay_on_delivery_above_the_limit_waits_but_paid_orders_do_not(shop):
    shop.settings.set("orders.review.on_delivery_above", "3.00")
    waiting = order(shop, (TEA, "2"), payment="on_delivery")
    assert (waiting.status, waiting.review_rule) == ("pending_review", "on_delivery_above: 5.00 > 3.00")
    assert order(shop, (TEA, "2")).status == "approved"


def test_an_empty_threshold_switches_its_rule_off(shop):
    shop.settings.set("orders.review.total_above", "")
    shop.settings.set("orders.review.on_delivery_above", "")
    assert order(shop, (TEA, "4"), payment="on_delivery").status == "approved"


def test_the_first_matching_rule_is_the_one_recorded(shop):
    shop.settings.set("orders.review.total_above", "1.00")
    shop.settings.set("orders.review.on_delivery_above", "1.00")
    assert order(shop, (TEA, "1"), payment="on_delivery").review_rule.startswith("total_above:")


@pytest.mark.parametrize("key, value, message", [
    ("orders.review.total_above", "lots", "orders.review.total_above: amount 'lots' is not a money amount"),
    ("orders.review.discount_percent_above", "150", "a percent from 0 to 100"),
    ("orders.carriers", " , ", "list at least one carrier"),
    ("notify.template.shipped", "Order {order} shipped", "unknown placeholder {order}; use {number}"),
    ("notify.template.late", "{name:>20}", "placeholder {name} takes no format"),
])
def test_bad_order_settings_are_refused_when_set(tmp_path, key, value, message):
    settings = Settings(home=tmp_path)
    with pytest.raises(ConfigError) as caught:
        settings.set(key, value)
    assert message in str(caught.value)
    assert key not in settings.values


def test_approving_needs_the_permission_and_a_note(shop):
    shop.settings.set("orders.review.total_above", "1.00")
    made = order(shop, (TEA, "1"))
    with pytest.raises(AuthError, match=r"cathy \(cashier\) may not approve and ship delivery orders"):
        orders.approve(shop.cathy, shop.settings, made.number, "looks fine")
    with pytest.raises(ValidationError, match="approving an order needs a note"):
        orders.approve(shop.sam, shop.settings, made.number, "  ")
    assert orders.get_order(made.number).status == "pending_review"
    approved = orders.approve(shop.sam, shop.settings, made.number, "regular customer")
    assert (approved.status, approved.reviewed_by, approved.review_note) == ("approved", "sam", "regular customer")
    assert approved.review_rule == "total_above: 2.50 > 1.00"  # what sent it to review stays on record
    assert (approved.events[-1].username, approved.events[-1].note) == ("sam", "regular customer")


def test_rejecting_cancels_and_gives_the_money_back(shop):
    shop.settings.set("orders.review.total_above", "1.00")
    cash = shifts.expected_cash("1")
    made = order(shop, (TEA, "2"))
    assert shifts.expected_cash("1") == cash + 500
    with pytest.raises(ValidationError, match="rejecting an order needs a note"):
        orders.reject(shop.sam, shop.settings, made.number, "")
    rejected = orders.reject(shop.sam, shop.settings, made.number, "address looks fake")
    assert (rejected.status, rejected.paid, rejected.review_note) == ("cancelled", 0, "address looks fake")
    assert shifts.expected_cash("1") == cash


def test_only_an_order_pending_review_is_rejected(shop):
    made = order(shop, (TEA, "1"))
    with pytest.raises(ValidationError, match="it is approved; only an order pending review is rejected"):
        orders.reject(shop.sam, shop.settings, made.number, "no")
    assert orders.get_order(made.number).status == "approved"
    orders.pack(shop.cathy, shop.settings, made.number)
    with pytest.raises(IllegalTransition, match="cannot approve order ORD-000001: it is packed"):
        orders.approve(shop.sam, shop.settings, made.number, "again")
