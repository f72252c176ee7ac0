"""Customers at the service: checked input, who may change them, addresses, search and history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Customer, CustomerAddress, DeliveryOrder
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import auth, customers, returns, sales
from pos_tui.services.catalog import scan
from pos_tui.services.customer_history import customer_detail
from pos_tui.services.customers import AddressFields, add_address, add_customer, edit_customer, find_customers
from pos_tui.services.permissions import PermissionDenied

HOME = AddressFields(label="home", street="12 Mill Lane", city="Leeds", postcode="ls6 2ab")


@pytest.fixture
def cashier(store, admin_actor):
    auth.add_user(admin_actor, "cas", "1234", "cashier")
    return auth.authenticate("cas", "1234")


def _state() -> tuple:
    return (list(Customer.select().tuples()), list(CustomerAddress.select().tuples()), AuditLog.select().count())


def test_a_cashier_adds_a_customer_with_an_address_and_the_audit_names_them(store, cashier):
    info = add_customer(cashier, "  Ann Lee ", phone="+44 7700 900123", email="ann@example.com",
                        loyalty_code="lc-9", notes="likes rye", address=HOME)
    assert (info.name, info.phone, info.email, info.loyalty_code, info.notes) == (
        "Ann Lee", "+44 7700 900123", "ann@example.com", "LC-9", "likes rye")
    [address] = customers.addresses(info.id)
    assert (address.street, address.city, address.postcode, address.is_default) == ("12 Mill Lane", "Leeds",
                                                                                     "LS6 2AB", True)
    row = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (row.action, row.username, row.target) == ("customer.add", "cas", str(info.id))


@pytest.mark.parametrize("kwargs, message", [
    (dict(name=""), "name is empty"),
    (dict(name="x" * 129), "longer than 128"),
    (dict(name="Bo", email="bo@@example"), "not an address like name@example.com"),
    (dict(name="Bo", email="bo at example.com"), "not an address like name@example.com"),
    (dict(name="Bo", phone="call me"), "not a phone number"),
    (dict(name="Bo", loyalty_code="LC 1"), "letters, digits or '-'"),
    (dict(name="Bo", address=AddressFields(city="Leeds")), "needs a street"),
    (dict(name="Bo\x07"), "control character"),
])
def test_bad_input_is_refused_with_its_reason_and_nothing_is_written(store, cashier, kwargs, message):
    before = _state()
    with pytest.raises(ValidationError, match=message):
        add_customer(cashier, **kwargs)
    assert _state() == before


def test_a_loyalty_code_is_unique_whatever_case_it_is_typed_in(store, cashier, admin_actor):
    first = add_customer(cashier, "Ann", loyalty_code="LC1")
    other = add_customer(cashier, "Bob")
    before = _state()
    with pytest.raises(ValidationError, match=r"LC1 already belongs to Ann"):
        add_customer(cashier, "Cy", loyalty_code="lc1")
    with pytest.raises(ValidationError, match=r"LC1 already belongs to Ann"):
        edit_customer(admin_actor, other.id, loyalty_code="lc1")
    assert _state() == before
    assert edit_customer(admin_actor, first.id, loyalty_code="lc1").loyalty_code == "LC1"  # its own code: fine


def test_editing_needs_product_edit_changes_only_what_is_given_and_is_audited(store, cashier, admin_actor):
    info = add_customer(cashier, "Ann", phone="0113 496 0000", email="ann@example.com")
    with pytest.raises(PermissionDenied):
        edit_customer(cashier, info.id, name="Anne")
    changed = edit_customer(admin_actor, str(info.id), name="Anne", email="")
    assert (changed.name, changed.phone, changed.email) == ("Anne", "0113 496 0000", "")
    row = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert row.action == "customer.edit" and '"name": ["Ann", "Anne"]' in row.details
    with pytest.raises(ValidationError, match="name is empty"):
        edit_customer(admin_actor, info.id, name=" ")


def test_a_customer_is_named_by_loyalty_code_first_then_by_id(store, cashier):
    ann = add_customer(cashier, "Ann")
    add_customer(cashier, "Bob", loyalty_code=str(ann.id))  # a numeric code equal to Ann's id
    assert customers.resolve(str(ann.id)).name == "Bob"
    assert customers.resolve(f"#{ann.id}").name == "Ann"  # '#N' is always the id
    with pytest.raises(NotFound, match="no customer"):
        customers.resolve("NOPE")


def test_addresses_first_is_default_a_new_default_moves_it_and_removing_it_promotes_the_next(
        store, cashier, admin_actor):
    ann = add_customer(cashier, "Ann")
    home = add_address(cashier, ann.id, HOME)
    work = add_address(cashier, ann.id, AddressFields(label="work", street="1 Park Row", postcode="LS1 5AB"))
    assert [(a.id, a.is_default) for a in customers.addresses(ann.id)] == [(home.id, True), (work.id, False)]
    with pytest.raises(PermissionDenied):
        customers.set_default_address(cashier, work.id)
    customers.set_default_address(admin_actor, work.id)
    assert [a.id for a in customers.addresses(ann.id) if a.is_default] == [work.id]
    customers.remove_address(admin_actor, work.id)
    assert [(a.id, a.is_default) for a in customers.addresses(ann.id)] == [(home.id, True)]
    edited = customers.edit_address(admin_actor, home.id, city="Bradford")
    assert (edited.street, edited.city) == ("12 Mill Lane", "Bradford")
    with pytest.raises(NotFound):
        customers.remove_address(admin_actor, 9999)


@pytest.mark.parametrize("typed", ["ann lee", "LC-9", "900 123", "ANN@EXAMPLE", "mill lane", "ls62ab", "LS6 2AB",
                                   "leeds"])
def test_search_finds_by_name_code_phone_email_street_city_or_postcode(store, cashier, typed):
    add_customer(cashier, "Ann Lee", phone="+44 7700 900123", email="ann@example.com", loyalty_code="LC-9",
                 address=HOME)
    add_customer(cashier, "Bob Hay", phone="0113 496 0000", email="bob@example.org")
    assert [c.name for c in find_customers(typed)] == ["Ann Lee"]


def _sell(actor, settings, barcode, customer_id, *, at=None, times=1) -> str:
    cart = Cart(prices_include_tax=True)
    for _ in range(times):
        cart.add(scan(barcode, settings.tax_rates()))
    cart.customer_id = customer_id
    return sales.commit_sale(actor, cart, [Tender("card", cart.totals().total)], lane="1", at=at).receipt_no


def test_the_history_shows_visits_spend_returns_and_orders(catalog, store, admin_actor):
    ann = add_customer(admin_actor, "Ann", loyalty_code="ANN")
    bob = add_customer(admin_actor, "Bob")
    t0 = datetime(2026, 5, 1, 10, tzinfo=timezone.utc)
    first = _sell(admin_actor, store, catalog.tea, ann.id, at=t0, times=2)  # 5.00
    _sell(admin_actor, store, catalog.milk, bob.id, at=t0)
    last = _sell(admin_actor, store, catalog.milk, ann.id, at=t0 + timedelta(days=3))  # 1.00
    line = returns.returnable(first).lines[0]
    back = returns.commit_return(admin_actor, first, {line.line_id: Decimal(1)}, tender="cash", restock=True,
                                 lane="1")
    DeliveryOrder.create(number="ORD-000001", customer=ann.id, status="shipped", total=1234, created_by="owner")

    detail = customer_detail("ann")
    assert (detail.visits, detail.spent, detail.returns) == (2, 500 + 100 - 250, 1)
    assert (detail.first_visit, detail.last_visit) == (t0, t0 + timedelta(days=3))
    receipts = [(p.receipt_no, p.total, p.items, p.is_return, p.original) for p in detail.purchases]
    assert receipts[0] == (back.receipt_no, -250, Decimal(1), True, first)
    assert receipts[1:] == [(last, 100, Decimal(1), False, ""), (first, 500, Decimal(2), False, "")]
    assert "Breakfast Tea" in detail.purchases[-1].summary
    assert [(o.number, o.status, o.total) for o in detail.orders] == [("ORD-000001", "shipped", 1234)]
    assert customer_detail(bob.id).visits == 1


def test_a_customer_with_history_is_never_deleted_but_a_mistake_just_made_is(catalog, store, admin_actor):
    ann = add_customer(admin_actor, "Ann")
    typo = add_customer(admin_actor, "Anm", address=HOME)
    _sell(admin_actor, store, catalog.milk, ann.id)
    before = _state()
    with pytest.raises(ValidationError, match="with history is kept"):
        customers.delete_customer(admin_actor, ann.id)
    assert _state() == before
    customers.delete_customer(admin_actor, typo.id)
    assert [c.name for c in customers.list_customers()] == ["Ann"]


def test_training_mode_saves_no_customer(store, cashier, admin_actor):
    from dataclasses import replace

    ann = add_customer(cashier, "Ann")
    before = _state()
    trainee = replace(cashier, training=True)
    for attempt in (lambda: add_customer(trainee, "Practice"), lambda: add_address(trainee, ann.id, HOME),
                    lambda: edit_customer(replace(admin_actor, training=True), ann.id, name="X")):
        with pytest.raises(ValidationError, match="training mode"):
            attempt()
    assert _state() == before
