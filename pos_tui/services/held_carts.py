"""Carts not yet paid: the lane's open cart (saved as it changes, so a crash
loses nothing) and parked carts (F6), which any lane may resume."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal

from peewee import JOIN

from pos_tui.db import statements
from pos_tui.db.bulk import dialect_sql
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import HeldCart, User
from pos_tui.domain.cart import Cart, CartLine
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor

OPEN, PARKED = "open", "parked"
_DECIMALS = ("qty", "tax_rate")


def dumps(cart: Cart, encoded: dict[int, tuple[CartLine, str]] | None = None) -> str:
    """The cart as JSON. `encoded` (id(line) -> (line, its JSON)) lets a caller that saves the same cart over
    and over encode each line once: lines are immutable, a change is a new line. Only this cart's lines are
    kept in it."""
    if encoded is None:
        lines = [_encoded(line) for line in cart.lines]
    else:
        known, encoded_now = encoded.copy(), {}
        for line in cart.lines:
            seen = known.get(id(line))
            encoded_now[id(line)] = seen if seen is not None and seen[0] is line else (line, _encoded(line))
        encoded.clear()
        encoded.update(encoded_now)
        lines = [encoded_now[id(line)][1] for line in cart.lines]
    head = json.dumps({"prices_include_tax": cart.prices_include_tax, "merge_repeats": cart.merge_repeats,
                       "customer_id": cart.customer_id, "customer_name": cart.customer_name})
    return f'{head[:-1]}, "lines": [{", ".join(lines)}]}}'


def _encoded(line: CartLine) -> str:
    data = asdict(line)
    for name in _DECIMALS:
        data[name] = str(data[name])
    return json.dumps(data)


def loads(text: str) -> Cart:
    data = json.loads(text)
    lines = [CartLine(**{**raw, **{name: Decimal(raw[name]) for name in _DECIMALS}}) for raw in data["lines"]]
    return Cart(prices_include_tax=data["prices_include_tax"], lines=lines, merge_repeats=data["merge_repeats"],
                customer_id=data.get("customer_id"), customer_name=data.get("customer_name", ""))


def save_open(lane: str, actor: Actor, cart: Cart, encoded: dict[int, tuple[CartLine, str]] | None = None) -> None:
    """The lane's cart as it stands; an empty cart clears it. `encoded`: see dumps."""
    payload = dumps(cart, encoded)
    with write_transaction():
        clear_open(lane)
        if not cart.is_empty:
            HeldCart.create(lane=lane, kind=OPEN, cashier=actor.user_id, payload=payload)


def clear_open(lane: str) -> None:
    """Call inside the transaction that makes the cart a sale (a fixed statement: every sale runs it)."""
    HeldCart._meta.database.execute_sql(dialect_sql(statements.CLEAR_HELD), (lane, OPEN))


@dataclass(frozen=True)
class HeldInfo:
    id: int
    lane: str
    label: str
    cashier: str
    lines: int
    total: int
    updated_at: datetime


def _info(row: HeldCart) -> HeldInfo:
    cart = loads(row.payload)
    cashier = row.cashier.username if row.cashier_id else ""
    return HeldInfo(row.id, row.lane, row.label, cashier, len(cart.lines), cart.totals().total, row.updated_at)


def load_open(lane: str) -> tuple[HeldInfo, Cart] | None:
    row = HeldCart.select().where((HeldCart.lane == lane) & (HeldCart.kind == OPEN)).order_by(HeldCart.id.desc()).first()
    return None if row is None else (_info(row), loads(row.payload))


def park(actor: Actor, lane: str, label: str, cart: Cart) -> HeldInfo:
    """Park the cart under a label (audited); the lane's open cart is cleared."""
    label = label.strip()
    if cart.is_empty:
        raise ValidationError(_("the cart is empty; there is nothing to park"))
    if not label or len(label) > 64:
        raise ValidationError(_("a parked cart needs a label of 1-64 characters, like a name or a table number"))
    with write_transaction():
        clear_open(lane)
        row = HeldCart.create(lane=lane, kind=PARKED, label=label, cashier=actor.user_id, payload=dumps(cart),
                              created_at=utc_now(), updated_at=utc_now())
        audit.record("sale.park", actor, label, lane=lane, lines=len(cart.lines), total=cart.totals().total)
    return _info(row)


def parked() -> list[HeldInfo]:
    """Parked carts of every lane, oldest first."""
    query = HeldCart.select(HeldCart, User).join(User, JOIN.LEFT_OUTER, on=(HeldCart.cashier == User.id))
    return [_info(row) for row in query.where(HeldCart.kind == PARKED).order_by(HeldCart.id)]


def resume(actor: Actor, held_id: int, lane: str) -> Cart:
    """Take a parked cart back onto `lane` (audited); it is no longer parked."""
    with write_transaction():
        row = HeldCart.get_or_none((HeldCart.id == held_id) & (HeldCart.kind == PARKED))
        if row is None:
            raise NotFound(_("that parked cart was already resumed"))
        cart = loads(row.payload)
        row.delete_instance()
        HeldCart.create(lane=lane, kind=OPEN, cashier=actor.user_id, payload=row.payload)
        audit.record("sale.resume", actor, row.label, from_lane=row.lane, lane=lane, lines=len(cart.lines))
    return cart
