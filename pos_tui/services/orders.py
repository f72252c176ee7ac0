"""Delivery and pickup orders: taking one, and every status change after.

Each change is one write_transaction holding the order's new status, an
OrderEvent (who, when, why, from where), an audit row and the customer's
outbox message, so the timeline, the audit and the messages never disagree.
The status rules live in order_status, the review rules in order_review,
reserved stock in order_stock; reading orders back in order_info.

Decisions a caller should know:
- A customer is optional. A delivery needs a recipient, a phone and an
  address; each not given is taken from the customer's default address
  (then the customer's own name and phone), and a missing one is refused.
- Money taken (in full, a deposit, or the balance on delivery) is an
  OrderPayment in the lane's open shift, so order cash counts in the
  shift's expected cash. Cancelling gives back what was paid, in the same
  tenders, in the open shift. A return puts the stock back but refunds
  nothing by itself (the shop may replace the goods instead).
- Approving more than is available (on hand - reserved) is refused, and an
  order the shop cannot fill is never auto-approved: it waits for review.
- Stock leaves when a delivery ships (or a pickup is collected), as stock
  moves with reason "order"; a return brings it back with reason "return".
- Permissions: anyone logged in takes, packs and delivers orders and
  cancels ones not yet approved; approving, rejecting, shipping, returning
  and cancelling an approved order need `order.approve`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Iterable

from peewee import fn

from pos_tui.config import Settings
from pos_tui.db.bulk import bulk_insert
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Customer, CustomerAddress, DeliveryOrder, OrderEvent, OrderLine
from pos_tui.domain.cart import Cart
from pos_tui.domain.money import format_money
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit, order_review, order_status as st, outbox
from pos_tui.services.context import Actor
from pos_tui.services.order_info import OrderInfo, get_order, list_orders, order_row  # noqa: F401  (re-exported)
from pos_tui.services.order_money import refund, take, tender_kinds, who as _who
from pos_tui.services.order_stock import available, check_available, reserved  # noqa: F401  (re-exported)
from pos_tui.services.permissions import require
from pos_tui.services.stock_moves import move

FULFILMENTS = ("delivery", "pickup")
PAYMENTS = ("paid", "deposit", "on_delivery")


@dataclass(frozen=True)
class Delivery:
    """Where a delivery goes; empty fields come from the customer's default address."""

    recipient: str = ""
    phone: str = ""
    address: str = ""


def _lane(settings: Settings, lane: str | None) -> str:
    return lane or str(settings.get("lane"))


def _no_training(actor: Actor) -> None:
    if actor.training:
        raise ValidationError(_("orders are not taken in training mode; leave training mode first"))


def cart_from_lines(settings: Settings, lines: Iterable[tuple[str, Decimal]]) -> Cart:
    """A cart from (barcode, qty) pairs, priced and taxed as the till would ring them up."""
    from pos_tui.domain.barcodes import parse_templates
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services.catalog import scan

    rates = settings.tax_rates()
    templates = tuple(parse_templates(str(settings.get("barcode.templates"))))
    cart = Cart(prices_include_tax=bool(settings.get("tax.included")))
    for barcode, qty in lines:
        qty = Decimal(qty)
        if qty <= 0:
            raise ValidationError(_("{barcode}: quantity must be more than zero").format(barcode=barcode))
        cart.add(scan(f"{format_qty(qty)}*{barcode.strip()}", rates, templates=templates))
    return cart


def resolve_customer(text: str) -> int:
    """A customer by loyalty code, phone or name; refuses none or several, naming them."""
    from pos_tui.services.customers import find_customers

    found = find_customers(text, limit=6)
    exact = [c for c in found if c.loyalty_code and c.loyalty_code == text.strip().upper()]
    if exact:
        return exact[0].id
    if not found:
        raise NotFound(_("no customer matches {text!r}; search by loyalty code, phone or name").format(text=text.strip()))
    if len(found) > 1:
        names = ", ".join(f"{c.name} ({c.phone or c.loyalty_code or c.id})" for c in found[:5])
        raise ValidationError(_("{text!r} matches several customers: {names}; use a loyalty code or phone").format(text=text.strip(), names=names))
    return found[0].id


def _delivery_fields(customer: Customer | None, given: Delivery) -> Delivery:
    default = None
    if customer is not None:
        default = (CustomerAddress.select().where(CustomerAddress.customer == customer.id)
                   .order_by(CustomerAddress.is_default.desc(), CustomerAddress.id).first())
    address = given.address.strip()
    if not address and default is not None:
        address = "\n".join(part for part in (default.street.strip(),
                                              " ".join(p for p in (default.city, default.postcode) if p)) if part)
    recipient = given.recipient.strip() or (default.recipient if default else "") or (customer.name if customer else "")
    phone = given.phone.strip() or (default.phone if default else "") or (customer.phone if customer else "")
    who = _("customer {name} has no default address").format(name=customer.name) if customer else _("there is no customer")
    if not address:
        raise ValidationError(_("a delivery needs an address and {who}; give one (--address) or make it a pickup").format(who=who))
    if not recipient:
        raise ValidationError(_("a delivery needs a recipient name; give one (--recipient)"))
    if not phone:
        raise ValidationError(_("a delivery needs a phone number for the courier; give one (--phone)"))
    return Delivery(recipient[:128], phone[:32], address)


def next_order_no() -> str:
    """The next ORD-000001 number; call inside the order's transaction (the write lock is held)."""
    last = DeliveryOrder.select(fn.MAX(DeliveryOrder.number)).where(DeliveryOrder.number.startswith("ORD-")).scalar()
    seq = int(last[4:]) if last and last[4:].isdigit() else 0
    return f"ORD-{seq + 1:06d}"


def _event(row: DeliveryOrder, actor: Actor, settings: Settings, status_from: str, note: str, source: str,
           at: datetime) -> None:
    """The timeline row, the audit row and the customer's message of one change (row.status is the new one)."""
    OrderEvent.create(order=row.id, status_from=status_from, status_to=row.status, username=_who(actor),
                      os_user=actor.os_user, note=note, source=source, created_at=at)
    audit.record(f"order.{row.status}" if status_from else "order.create", actor, row.number,
                 status_from=status_from or None, note=note or None, source=source)
    if status_from:
        outbox.queue(settings, row, row.status, at)


def create_order(
    actor: Actor, settings: Settings, cart: Cart, *, customer_id: int | None = None, fulfilment: str = "delivery",
    payment: str = "paid", deposit: int | None = None, tender: str = "cash", tendered: int | None = None,
    delivery: Delivery = Delivery(), expected_date: date | None = None, note: str = "", source: str = "cli",
    submit: bool = True, lane: str | None = None, at: datetime | None = None,
) -> OrderInfo:
    """Turn a cart into an order, take the money due now, and (with `submit`) put it through review.

    payment "paid" takes the total now, "deposit" takes `deposit` (more than
    zero, less than the total), "on_delivery" takes nothing yet. With
    `submit=False` the order stays a draft for submit_order later.
    """
    from pos_tui.services.limits import check_cart

    _no_training(actor)
    if cart.is_empty:
        raise ValidationError(_("an order needs at least one line; scan or list an item first"))
    if fulfilment not in FULFILMENTS:
        raise ValidationError(_("fulfilment must be delivery or pickup, not {fulfilment!r}").format(fulfilment=fulfilment))
    if payment not in PAYMENTS:
        raise ValidationError(_("payment must be one of {PAYMENTS}, not {payment!r}").format(PAYMENTS=', '.join(PAYMENTS), payment=payment))
    if deposit is not None and payment != "deposit":
        raise ValidationError(_("a deposit amount goes with --payment deposit"))
    customer_id = customer_id if customer_id is not None else cart.customer_id
    customer = Customer.get_or_none(Customer.id == customer_id) if customer_id is not None else None
    if customer_id is not None and customer is None:
        raise NotFound(_("no customer with id {customer_id}").format(customer_id=customer_id))
    where = _delivery_fields(customer, delivery) if fulfilment == "delivery" else Delivery()
    check_cart(settings, actor, cart)
    totals = cart.totals()
    if payment == "paid":
        due_now = totals.total
    elif payment == "deposit":
        if deposit is None or not 0 < deposit < totals.total:
            if deposit is None:
                raise ValidationError(_("a deposit must be more than 0.00 and less than the total {total}").format(
                    total=format_money(totals.total)))
            raise ValidationError(_("a deposit must be more than 0.00 and less than the total {total}, not {deposit}")
                                  .format(total=format_money(totals.total), deposit=format_money(deposit)))
        due_now = deposit
    else:
        due_now = 0
    lane = _lane(settings, lane)
    at = at or utc_now()
    with write_transaction():
        row = DeliveryOrder.create(
            number=next_order_no(), lane=lane, customer=customer_id, status=st.DRAFT, fulfilment=fulfilment,
            payment=payment, subtotal=totals.subtotal, discount_total=totals.discount, tax_total=totals.tax,
            total=totals.total, paid=0, prices_include_tax=cart.prices_include_tax, recipient=where.recipient,
            recipient_phone=where.phone, address=where.address,
            expected_date=expected_date.isoformat() if expected_date else None, note=note.strip(),
            created_by=_who(actor), created_at=at, updated_at=at,
        )
        bulk_insert(OrderLine, [
            dict(order=row.id, position=position, product=line.product_id, barcode=line.barcode, name=line.name,
                 qty=line.qty, unit_price=line.unit_price, unit_cost=line.unit_cost, discount=line.discount,
                 tax_class=line.tax_class, tax_rate=str(line.tax_rate), tax=cart.line_tax(line), total=line.total)
            for position, line in enumerate(cart.lines, start=1)
        ])
        if due_now:
            take(row, actor, lane, tender, due_now, tendered, tender_kinds(settings), at)
            row.save()
        _event(row, actor, settings, "", note.strip() or f"{fulfilment}, {payment}", source, at)
        if submit:
            _submit(row, actor, settings, source, at)
    return get_order(row.number)


def _submit(row: DeliveryOrder, actor: Actor, settings: Settings, source: str, at: datetime) -> None:
    st.check(row.number, row.status, st.APPROVED, row.fulfilment)
    decision = order_review.decide(order_review.Rules.from_settings(settings), row)
    before, row.status = row.status, (st.APPROVED if decision.approve else st.PENDING)
    row.review_rule, row.updated_at = decision.rule[:128], at
    row.save()
    _event(row, actor, settings, before, decision.rule, source, at)


def submit_order(actor: Actor, settings: Settings, number: str, *, source: str = "cli") -> OrderInfo:
    """Put a draft through review: approved at once, or pending_review with the rule that caught it."""
    _no_training(actor)
    at = utc_now()
    with write_transaction():
        row = order_row(number)
        if row.status != st.DRAFT:
            raise st.IllegalTransition(row.number, row.status, st.PENDING, row.fulfilment)
        _submit(row, actor, settings, source, at)
    return get_order(row.number)


def _change(actor: Actor, settings: Settings, number: str, target: str, *, note: str = "", source: str = "cli",
            at: datetime | None = None, before: Callable[[DeliveryOrder], None] | None = None) -> OrderInfo:
    """One status change in one transaction; `before` does the change's own work (stock, money, fields)."""
    _no_training(actor)
    at = at or utc_now()
    with write_transaction():
        row = apply_change(actor, settings, order_row(number), target, note=note, source=source, at=at, before=before)
    return get_order(row.number)


def apply_change(actor: Actor, settings: Settings, row: DeliveryOrder, target: str, *, note: str = "",
                 source: str = "cli", at: datetime, before: Callable[[DeliveryOrder], None] | None = None,
                 ) -> DeliveryOrder:
    """The change itself, inside the caller's transaction (the tracking import runs many in one)."""
    st.check(row.number, row.status, target, row.fulfilment)
    if target == st.CANCELLED and row.status in st.RESERVING:
        require(actor, "order.approve")
    if target == st.SHIPPED or (target == st.DELIVERED and row.status == st.PACKED):
        for line in OrderLine.select().where(OrderLine.order == row.id):
            move(line.product_id, -line.qty, "order", row.number, actor, at=at)
    if target == st.RETURNED:
        for line in OrderLine.select().where(OrderLine.order == row.id):
            move(line.product_id, line.qty, "return", row.number, actor, at=at)
    if before is not None:
        before(row)
    status_from, row.status, row.updated_at = row.status, target, at
    if target == st.SHIPPED:
        row.shipped_at = at
    if target == st.DELIVERED:
        row.delivered_at = at
        if row.shipped_at is None:
            row.shipped_at = at
    row.save()
    _event(row, actor, settings, status_from, note.strip(), source, at)
    return row


def _need_note(note: str, what: str) -> str:
    if not note.strip():
        raise ValidationError(_("{what} an order needs a note saying why (--note)").format(what=what))
    return note.strip()


def approve(actor: Actor, settings: Settings, number: str, note: str, *, source: str = "cli") -> OrderInfo:
    """A person approves an order waiting for review (or a draft); its stock is then reserved."""
    require(actor, "order.approve")
    note = _need_note(note, _("approving"))

    def review(row: DeliveryOrder) -> None:
        check_available(row.id, row.number)
        if row.status == st.DRAFT:
            row.review_rule = f"manual: approved by {_who(actor)}"
        row.reviewed_by, row.review_note = _who(actor), note

    return _change(actor, settings, number, st.APPROVED, note=note, source=source, before=review)


def reject(actor: Actor, settings: Settings, number: str, note: str, *, source: str = "cli") -> OrderInfo:
    """A person turns down an order waiting for review: it is cancelled and any money given back."""
    require(actor, "order.approve")
    note = _need_note(note, _("rejecting"))
    lane = _lane(settings, None)

    def review(row: DeliveryOrder) -> None:
        if row.status != st.PENDING:
            raise ValidationError(_("cannot reject order {number}: it is {status}; only an order pending review is "
                                    "rejected (cancel it instead)").format(number=row.number, status=row.status))
        row.reviewed_by, row.review_note = _who(actor), note
        refund(row, actor, lane, utc_now())

    return _change(actor, settings, number, st.CANCELLED, note=note, source=source, before=review)


def pack(actor: Actor, settings: Settings, number: str, *, note: str = "", source: str = "cli") -> OrderInfo:
    return _change(actor, settings, number, st.PACKED, note=note, source=source)


def carriers(settings: Settings) -> tuple[str, ...]:
    return tuple(c for c in str(settings.get("orders.carriers")).split(",") if c)


def ship(actor: Actor, settings: Settings, number: str, *, carrier: str, tracking: str, service: str = "",
         expected: date | None = None, cost: int = 0, note: str = "", source: str = "cli") -> OrderInfo:
    """Hand a packed delivery to a carrier: its stock leaves the shop now."""
    require(actor, "order.approve")
    known = {c.lower(): c for c in carriers(settings)}
    name = known.get(" ".join(carrier.split()).lower())
    if name is None:
        raise ValidationError(_("unknown carrier {carrier!r}; use one of {values} (orders.carriers)").format(carrier=carrier.strip(), values=', '.join(known.values())))
    tracking = tracking.strip()
    if not tracking or len(tracking) > 64 or not tracking.isprintable():
        raise ValidationError(_("a tracking number is 1-64 printable characters"))
    if cost < 0:
        raise ValidationError(_("a shipping cost cannot be negative"))

    def fill(row: DeliveryOrder) -> None:
        other = (DeliveryOrder.select(DeliveryOrder.number)
                 .where((DeliveryOrder.tracking_number == tracking) & (DeliveryOrder.id != row.id)).scalar())
        if other:
            raise ValidationError(_("tracking number {tracking} is already on order {other}").format(tracking=tracking, other=other))
        row.carrier, row.tracking_number, row.service = name, tracking, service.strip()[:32]
        row.shipping_cost = cost
        if expected is not None:
            row.expected_date = expected.isoformat()

    detail = note.strip() or f"{name} {tracking}" + (f", expected {expected.isoformat()}" if expected else "")
    return _change(actor, settings, number, st.SHIPPED, note=detail, source=source, before=fill)


def deliver(actor: Actor, settings: Settings, number: str, *, tender: str | None = None, tendered: int | None = None,
            note: str = "", source: str = "cli", lane: str | None = None) -> OrderInfo:
    """A delivery arrived, or a pickup was collected (from packed; its stock leaves now).

    With `tender`, the balance still owed is taken in the lane's open shift;
    without, it stays owed (a carrier collecting cash on delivery pays the shop later).
    """
    lane = _lane(settings, lane)

    def settle_balance(row: DeliveryOrder) -> None:
        owed = row.total - row.paid
        if tender is not None and owed > 0:
            take(row, actor, lane, tender, owed, tendered, tender_kinds(settings), utc_now())

    return _change(actor, settings, number, st.DELIVERED, note=note, source=source, before=settle_balance)


def cancel(actor: Actor, settings: Settings, number: str, *, note: str = "", source: str = "cli",
           lane: str | None = None) -> OrderInfo:
    """Cancel before shipping: reserved stock is released and any money taken is given back."""
    lane = _lane(settings, lane)

    def give_back(row: DeliveryOrder) -> None:
        refund(row, actor, lane, utc_now())

    return _change(actor, settings, number, st.CANCELLED, note=note, source=source, before=give_back)


def return_order(actor: Actor, settings: Settings, number: str, *, note: str = "", source: str = "cli") -> OrderInfo:
    """The goods came back (refused, undeliverable, returned): restocked with reason "return"."""
    require(actor, "order.approve")
    return _change(actor, settings, number, st.RETURNED, note=note, source=source)
