"""Reading orders back: one order with its lines, payments and timeline, or a page of them with counts.

Plain frozen values for the CLI and the Orders screen. `late` is computed
here, not stored: an approved, packed or shipped order whose expected date is
before today in the shop's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from peewee import JOIN, fn

from pos_tui.config import Settings
from pos_tui.db.models import Customer, DeliveryOrder, OrderEvent, OrderLine, OrderPayment
from pos_tui.errors import NotFound
from pos_tui.i18n import _
from pos_tui.services.order_status import OPEN_FOR_LATE, STATUSES


@dataclass(frozen=True)
class OrderLineInfo:
    product_id: int
    barcode: str
    name: str
    qty: Decimal
    unit_price: int
    discount: int
    tax_rate: str
    tax: int
    total: int


@dataclass(frozen=True)
class OrderEventInfo:
    time: datetime
    status_from: str
    status_to: str
    username: str
    os_user: str
    note: str
    source: str


@dataclass(frozen=True)
class OrderPaymentInfo:
    time: datetime
    tender: str
    amount: int  # negative for a refund
    tendered: int
    change: int
    shift_id: int | None
    lane: str
    username: str


@dataclass(frozen=True)
class OrderInfo:
    id: int
    number: str
    status: str
    customer_id: int | None
    customer: str
    fulfilment: str
    payment: str
    subtotal: int
    discount: int
    tax: int
    total: int
    paid: int
    review_rule: str
    reviewed_by: str
    review_note: str
    recipient: str
    recipient_phone: str
    address: str
    carrier: str
    service: str
    tracking_number: str
    expected_date: date | None
    shipping_cost: int
    note: str
    lane: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    late: bool
    prices_include_tax: bool = True
    lines: tuple[OrderLineInfo, ...] = ()
    payments: tuple[OrderPaymentInfo, ...] = ()
    events: tuple[OrderEventInfo, ...] = ()

    @property
    def balance(self) -> int:
        """What the customer still owes (0 once cancelled: nothing more is due)."""
        return 0 if self.status in ("cancelled", "returned") else self.total - self.paid


@dataclass(frozen=True)
class OrderList:
    orders: list[OrderInfo]
    counts: dict[str, int] = field(default_factory=dict)  # every status, 0 included
    late: int = 0


def shop_today(settings: Settings, now: datetime | None = None) -> date:
    """Today's date where the shop is (what "late" is measured against)."""
    zone = ZoneInfo(str(settings.get("store.timezone")))
    return (now or datetime.now(zone)).astimezone(zone).date()


def _late_condition(today: date):
    return DeliveryOrder.status.in_(OPEN_FOR_LATE) & (DeliveryOrder.expected_date < today.isoformat())


def is_late(status: str, expected_date: str | None, today: date) -> bool:
    return status in OPEN_FOR_LATE and bool(expected_date) and expected_date < today.isoformat()


def _info(row: DeliveryOrder, today: date, customer: str = "", details: bool = False) -> OrderInfo:
    lines: tuple[OrderLineInfo, ...] = ()
    payments: tuple[OrderPaymentInfo, ...] = ()
    events: tuple[OrderEventInfo, ...] = ()
    if details:
        lines = tuple(OrderLineInfo(l.product_id, l.barcode, l.name, l.qty, l.unit_price, l.discount, l.tax_rate,
                                    l.tax, l.total)
                      for l in OrderLine.select().where(OrderLine.order == row.id).order_by(OrderLine.position))
        payments = tuple(OrderPaymentInfo(p.created_at, p.tender, p.amount, p.tendered, p.change, p.shift_id, p.lane,
                                          p.username)
                         for p in OrderPayment.select().where(OrderPayment.order == row.id).order_by(OrderPayment.id))
        events = tuple(OrderEventInfo(e.created_at, e.status_from, e.status_to, e.username, e.os_user, e.note, e.source)
                       for e in OrderEvent.select().where(OrderEvent.order == row.id)
                       .order_by(OrderEvent.id))
    return OrderInfo(
        id=row.id, number=row.number, status=row.status, customer_id=row.customer_id, customer=customer,
        fulfilment=row.fulfilment, payment=row.payment, subtotal=row.subtotal, discount=row.discount_total,
        tax=row.tax_total, total=row.total, paid=row.paid, review_rule=row.review_rule, reviewed_by=row.reviewed_by,
        review_note=row.review_note, recipient=row.recipient, recipient_phone=row.recipient_phone,
        address=row.address, carrier=row.carrier, service=row.service, tracking_number=row.tracking_number,
        expected_date=date.fromisoformat(row.expected_date) if row.expected_date else None,
        shipping_cost=row.shipping_cost, note=row.note, lane=row.lane, created_by=row.created_by,
        created_at=row.created_at, updated_at=row.updated_at, shipped_at=row.shipped_at,
        delivered_at=row.delivered_at, late=is_late(row.status, row.expected_date, today),
        prices_include_tax=row.prices_include_tax, lines=lines, payments=payments, events=events,
    )


def normalise_number(number: str) -> str:
    """"ORD-000012", "ord-12" and "12" all name the same order."""
    text = number.strip().upper()
    digits = text.removeprefix("ORD-")
    return f"ORD-{int(digits):06d}" if digits.isdigit() and len(digits) <= 6 else text


def order_row(number: str) -> DeliveryOrder:
    """The order, or NotFound pointing at `pos order list`."""
    row = DeliveryOrder.get_or_none(DeliveryOrder.number == normalise_number(number))
    if row is None:
        raise NotFound(_("no order {number!r}; see `pos order list`").format(number=number.strip()))
    return row


def get_order(number: str, *, today: date | None = None) -> OrderInfo:
    """One order with its lines, payments and timeline, in the order the changes were made.

    (A carrier file may carry times earlier than the shop recorded shipping; the
    sequence of changes, not the clock, is what the timeline shows.)
    """
    from pos_tui.services.store import current_settings

    row = order_row(number)
    name = Customer.get_by_id(row.customer_id).name if row.customer_id else ""
    return _info(row, today or shop_today(current_settings()), name, details=True)


def list_orders(status: str | None = None, *, late: bool = False, customer_id: int | None = None,
                limit: int | None = 500, today: date | None = None) -> OrderList:
    """Orders late first, then newest first; with the count of every status and of late orders.

    `status` narrows to one status; `late=True` to the late ones. The counts
    are over all orders (what the screen's tabs show), not just this page.
    """
    from pos_tui.errors import ValidationError
    from pos_tui.services.store import current_settings

    if status is not None and status not in STATUSES:
        raise ValidationError(_("unknown order status {status!r}; use one of {STATUSES}").format(status=status, STATUSES=', '.join(STATUSES)))
    today = today or shop_today(current_settings())
    late_now = _late_condition(today)
    query = (DeliveryOrder.select(DeliveryOrder, Customer.name.alias("customer_name"))
             .join(Customer, JOIN.LEFT_OUTER, on=(DeliveryOrder.customer == Customer.id)))
    if status is not None:
        query = query.where(DeliveryOrder.status == status)
    if late:
        query = query.where(late_now)
    if customer_id is not None:
        query = query.where(DeliveryOrder.customer == customer_id)
    query = query.order_by(fn.COALESCE(late_now, False).desc(), DeliveryOrder.created_at.desc(),
                           DeliveryOrder.id.desc())
    if limit is not None:
        query = query.limit(limit)
    orders = [_info(row, today, getattr(row, "customer_name", None) or "") for row in query.objects()]
    counts = {s: 0 for s in STATUSES}
    for name, n in DeliveryOrder.select(DeliveryOrder.status, fn.COUNT(DeliveryOrder.id)).group_by(
            DeliveryOrder.status).tuples():
        counts[name] = n
    late_count = DeliveryOrder.select().where(late_now).count()
    return OrderList(orders, counts, late_count)
