"""Stock held for orders: reserved is derived, never stored.

reserved(product) = the sum of the lines of its approved and packed orders,
so approving, cancelling or shipping never has a counter to get wrong:
cancelling an approved order "releases" its stock by leaving the statuses
summed here. available = on hand - reserved. Two queries for any number of
products, so a page of 50 on the products screen stays cheap.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from peewee import fn

from pos_tui.db.models import DeliveryOrder, OrderLine, Product
from pos_tui.domain.quantity import format_qty, milli_to_qty
from pos_tui.errors import ValidationError
from pos_tui.i18n import _
from pos_tui.services.order_status import RESERVING


def _ids(product_ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(i) for i in product_ids))


def reserved(product_ids: Iterable[int], *, excluding_order: int | None = None) -> dict[int, Decimal]:
    """Quantity held by approved and packed orders, per product (0 for none)."""
    ids = _ids(product_ids)
    held = {pid: Decimal(0) for pid in ids}
    if not ids:
        return held
    condition = OrderLine.product.in_(ids) & DeliveryOrder.status.in_(RESERVING)
    if excluding_order is not None:
        condition &= DeliveryOrder.id != excluding_order
    # SUM over the raw thousandths the QtyField stores.
    rows = (OrderLine.select(OrderLine.product, fn.SUM(OrderLine.qty.cast("INTEGER")))
            .join(DeliveryOrder).where(condition).group_by(OrderLine.product).tuples())
    for pid, milli in rows:
        held[pid] = milli_to_qty(int(milli or 0))
    return held


def on_hand(product_ids: Iterable[int]) -> dict[int, Decimal]:
    ids = _ids(product_ids)
    return {pid: stock for pid, stock in Product.select(Product.id, Product.stock).where(Product.id.in_(ids)).tuples()
            } if ids else {}


def available(product_ids: Iterable[int]) -> dict[int, Decimal]:
    """On hand minus reserved, per product: what the till may still sell or an order approve."""
    ids = _ids(product_ids)
    stock = on_hand(ids)
    held = reserved(ids)
    return {pid: stock.get(pid, Decimal(0)) - held[pid] for pid in ids}


def check_available(order_id: int, number: str) -> None:
    """Refuse approving `order_id` when any of its products lacks the stock (on hand - other reservations)."""
    short = shortages(order_id)
    if short:
        raise ValidationError(_("cannot approve order {number}: not enough stock for {short}; receive stock or cancel "
                                "the order").format(number=number, short="; ".join(short)))


def shortages(order_id: int) -> list[str]:
    """"name needs Q, available A" for each product an order needs more of than is free."""
    need: dict[int, Decimal] = {}
    names: dict[int, str] = {}
    for line in OrderLine.select().where(OrderLine.order == order_id):
        need[line.product_id] = need.get(line.product_id, Decimal(0)) + line.qty
        names[line.product_id] = line.name
    if not need:
        return []
    stock = on_hand(need)
    held = reserved(need, excluding_order=order_id)
    out = []
    for pid, qty in need.items():
        free = stock.get(pid, Decimal(0)) - held[pid]
        if qty > free:
            out.append(_("{names} needs {format_qty}, available {format_qty2}").format(names=names[pid], format_qty=format_qty(qty), format_qty2=format_qty(free)))
    return out
