"""One customer in full: details, addresses, totals and what they bought.

Visits count completed sales; spent is what they paid net of returns;
training sales are left out (they never happened). Orders are read straight
from their table, so this works whatever the orders service does with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from peewee import fn

from pos_tui.db.models import DeliveryOrder, Sale, SaleLine
from pos_tui.services.customers import AddressInfo, CustomerInfo, addresses, resolve

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Purchase:
    receipt_no: str
    time: datetime
    total: int
    items: Decimal  # units (kilos count as one line each)
    summary: str  # the first few product names
    is_return: bool
    original: str  # a return's receipt number


@dataclass(frozen=True)
class OrderSummary:
    number: str
    time: datetime
    status: str
    fulfilment: str
    total: int


@dataclass(frozen=True)
class CustomerDetail:
    customer: CustomerInfo
    addresses: tuple[AddressInfo, ...]
    visits: int
    spent: int
    first_visit: datetime | None
    last_visit: datetime | None
    returns: int
    purchases: tuple[Purchase, ...]  # newest first, up to the limit asked
    orders: tuple[OrderSummary, ...]


def _summary(names: list[str], width: int = 40) -> str:
    text = ", ".join(names[:3])
    if len(names) > 3:
        text += f" +{len(names) - 3}"
    return text if len(text) <= width else text[: width - 1] + "…"


def customer_detail(ref: str | int, *, limit: int = HISTORY_LIMIT) -> CustomerDetail:
    """The customer an id or loyalty code names, with their history newest first."""
    customer = resolve(ref)
    real = (Sale.customer == customer.id) & (Sale.training == False)  # noqa: E712
    totals = (Sale.select(fn.COUNT(Sale.id), fn.MIN(Sale.created_at), fn.MAX(Sale.created_at))
              .where(real & (Sale.status == "completed")).tuples().first())
    visits, first_raw, last_raw = totals or (0, None, None)
    spent = Sale.select(fn.SUM(Sale.total)).where(real & Sale.status.in_(("completed", "return"))).scalar() or 0
    returns = Sale.select().where(real & (Sale.status == "return")).count()
    sales = list(Sale.select().where(real).order_by(Sale.created_at.desc(), Sale.id.desc()).limit(limit))
    lines: dict[int, list[SaleLine]] = {}
    if sales:
        for line in (SaleLine.select().where(SaleLine.sale.in_([s.id for s in sales]))
                     .order_by(SaleLine.sale, SaleLine.position)):
            lines.setdefault(line.sale_id, []).append(line)
    originals = {s.id: s.receipt_no for s in Sale.select(Sale.id, Sale.receipt_no).where(
        Sale.id.in_([s.original_id for s in sales if s.original_id]))} if sales else {}
    purchases = tuple(
        Purchase(
            s.receipt_no, s.created_at, s.total,
            sum((abs(line.qty) if line.qty == line.qty.to_integral_value() else Decimal(1)
                 for line in lines.get(s.id, [])), Decimal(0)),
            _summary([line.name for line in lines.get(s.id, [])]), s.status == "return",
            originals.get(s.original_id, ""),
        )
        for s in sales
    )
    orders = tuple(
        OrderSummary(o.number, o.created_at, o.status, o.fulfilment, o.total)
        for o in DeliveryOrder.select().where(DeliveryOrder.customer == customer.id)
        .order_by(DeliveryOrder.created_at.desc(), DeliveryOrder.id.desc()).limit(limit)
    )
    return CustomerDetail(customer, tuple(addresses(customer.id)), visits, spent, _moment(first_raw),
                          _moment(last_raw), returns, purchases, orders)


def _moment(value: datetime | str | None) -> datetime | None:
    """MIN/MAX come back converted by the column on some back ends and as text on others."""
    return Sale.created_at.python_value(value) if isinstance(value, str) else value
