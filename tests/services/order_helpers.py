"""Helpers for the order tests: a shop with a catalogue, an open shift, staff and customers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos_tui.config import Settings
from pos_tui.db.models import Customer, CustomerAddress
from pos_tui.services import auth, orders
from pos_tui.services.context import Actor
from tests.services.conftest import import_catalog


@dataclass
class Shop:
    settings: Settings
    owner: Actor
    cathy: Actor  # cashier: takes orders, may not approve
    sam: Actor  # supervisor: order.approve
    ann: int  # customer with email and a default address
    bob: int  # customer with a phone only and no address


def make_shop(settings: Settings, owner: Actor) -> Shop:
    from tests.conftest import open_test_shift

    import_catalog(settings)
    open_test_shift(settings, "1")
    auth.add_user(owner, "cathy", "pw-cathy-1", "cashier")
    auth.add_user(owner, "sam", "pw-sam-12", "supervisor")
    ann = Customer.create(name="Ann Archer", phone="+44 7700 900001", email="ann@example.com", loyalty_code="ANN1")
    CustomerAddress.create(customer=ann, label="home", recipient="Ann Archer", phone="+44 7700 900001",
                           street="1 High Street", city="Leeds", postcode="LS1 1AA", is_default=True)
    bob = Customer.create(name="Bob Baker", phone="+44 7700 900002", loyalty_code="BOB2")
    return Shop(settings, owner, auth.authenticate("cathy", "pw-cathy-1"), auth.authenticate("sam", "pw-sam-12"),
                ann.id, bob.id)


def order(shop: Shop, *lines: tuple[str, str], actor: Actor | None = None, **kwargs) -> orders.OrderInfo:
    """An order of (barcode, qty) lines for Ann, delivered to her default address, unless told otherwise."""
    cart = orders.cart_from_lines(shop.settings, [(code, Decimal(qty)) for code, qty in lines])
    kwargs.setdefault("customer_id", shop.ann)
    return orders.create_order(actor or shop.cathy, shop.settings, cart, **kwargs)
