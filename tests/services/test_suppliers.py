"""Suppliers: added, edited, archived; writes need stock.adjust and leave an audit row."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Product, Supplier
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import purchase_orders, suppliers
from pos_tui.services.context import Actor
from pos_tui.services.permissions import PermissionDenied
from pos_tui.services.purchase_orders import LineSpec


def _last_audit() -> AuditLog:
    return AuditLog.select().order_by(AuditLog.id.desc()).first()


def test_add_then_show_with_products_and_open_orders(catalog, admin_actor):
    added = suppliers.add_supplier(admin_actor, " Acme Foods ", contact="Jo", phone="0123", email="jo@acme.test",
                                   lead_time_days=3, notes="calls on Mondays")
    assert (added.name, added.contact, added.lead_time_days, added.products, added.open_orders) == (
        "Acme Foods", "Jo", 3, 0, 0)
    Product.update(supplier=added.id).where(Product.barcode.in_([catalog.tea, catalog.milk])).execute()
    purchase_orders.create_order(admin_actor, "acme foods", [LineSpec(catalog.tea, Decimal(1))])
    shown = suppliers.get_supplier("ACME FOODS")
    assert (shown.products, shown.open_orders) == (2, 1)
    assert _last_audit().action == "po.create"


def test_bad_input_is_refused_and_changes_nothing(store, admin_actor):
    suppliers.add_supplier(admin_actor, "Acme")
    before = Supplier.select().count(), AuditLog.select().count()
    for kwargs, message in [
        (dict(name="acme"), "already exists"),
        (dict(name="  "), "needs a name"),
        (dict(name="B", lead_time_days=366), "0 to 365"),
        (dict(name="B", lead_time_days=-1), "0 to 365"),
        (dict(name="B", email="not an address"), "is not an address"),
        (dict(name="x" * 65), "at most 64"),
    ]:
        name = kwargs.pop("name")
        with pytest.raises(ValidationError, match=message):
            suppliers.add_supplier(admin_actor, name, **kwargs)
    assert (Supplier.select().count(), AuditLog.select().count()) == before


def test_edit_changes_only_what_was_given_and_audits_from_and_to(store, admin_actor):
    suppliers.add_supplier(admin_actor, "Acme", phone="1", lead_time_days=7)
    edited = suppliers.edit_supplier(admin_actor, "Acme", new_name="Acme Ltd", lead_time_days=2)
    assert (edited.name, edited.phone, edited.lead_time_days) == ("Acme Ltd", "1", 2)
    row = _last_audit()
    assert row.action == "supplier.edit" and '"lead_time_days": {"from": 7, "to": 2}' in row.details
    with pytest.raises(NotFound, match="no supplier named 'Acme'"):
        suppliers.get_supplier("Acme")
    suppliers.add_supplier(admin_actor, "Other")
    with pytest.raises(ValidationError, match="already exists"):
        suppliers.edit_supplier(admin_actor, "Other", new_name="acme ltd")


def test_archive_hides_from_the_list_and_blocks_new_orders(catalog, admin_actor):
    suppliers.add_supplier(admin_actor, "Acme")
    suppliers.set_archived(admin_actor, "Acme", True)
    assert [s.name for s in suppliers.list_suppliers()] == []
    assert [s.name for s in suppliers.list_suppliers(include_archived=True)] == ["Acme"]
    with pytest.raises(ValidationError, match="archived"):
        purchase_orders.create_order(admin_actor, "Acme", [LineSpec(catalog.tea, Decimal(1))])
    assert suppliers.set_archived(admin_actor, "Acme", False).archived is False
    assert [r.action for r in AuditLog.select().order_by(AuditLog.id.desc()).limit(2)] == [
        "supplier.unarchive", "supplier.archive"]


def test_a_cashier_may_not_and_training_may_not(store, admin_actor):
    cashier = Actor("cash", "cashier", None)
    with pytest.raises(PermissionDenied, match="stock.adjust"):
        suppliers.add_supplier(cashier, "Acme")
    with pytest.raises(ValidationError, match="training"):
        suppliers.add_supplier(replace(admin_actor, training=True), "Acme")
    assert Supplier.select().count() == 0
