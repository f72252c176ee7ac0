"""Money for orders: taken (in full, a deposit, the balance on delivery) and given back on a cancel.

Every amount is an OrderPayment in the lane's open shift, so cash taken for
an order counts in that shift's expected cash (shift_reports.order_cash) and
a refund takes it back out; card and other tenders are recorded the same way.
"""

from __future__ import annotations

from datetime import datetime

from peewee import fn

from pos_tui.config import Settings
from pos_tui.db.models import DeliveryOrder, OrderPayment
from pos_tui.domain.tender import Tender, settle
from pos_tui.i18n import _
from pos_tui.services.context import Actor
from pos_tui.services.shift_guard import require_open_shift


def who(actor: Actor) -> str:
    return actor.username or actor.os_user


def take(row: DeliveryOrder, actor: Actor, lane: str, kind: str, amount: int, tendered: int | None,
         kinds: tuple[str, ...], at: datetime) -> None:
    """Record money taken for the order in the lane's open shift."""
    shift_id = require_open_shift(lane, _("taking money for an order"))
    applied = settle(amount, [Tender(kind, tendered if tendered is not None else amount)], kinds=kinds)
    for t in applied:
        OrderPayment.create(order=row.id, shift=shift_id, lane=lane, tender=t.kind, amount=t.amount,
                            tendered=t.tendered, change=t.change, reference=t.reference, username=who(actor),
                            created_at=at)
    row.paid += sum(t.amount for t in applied)


def refund(row: DeliveryOrder, actor: Actor, lane: str, at: datetime) -> int:
    """Give back what was paid, tender by tender, in the lane's open shift; returns the amount."""
    if row.paid == 0:
        return 0
    shift_id = require_open_shift(lane, _("refunding an order's payment"))
    by_tender = (OrderPayment.select(OrderPayment.tender, fn.SUM(OrderPayment.amount))
                 .where(OrderPayment.order == row.id).group_by(OrderPayment.tender).tuples())
    total = 0
    for tender, amount in by_tender:
        if amount:
            OrderPayment.create(order=row.id, shift=shift_id, lane=lane, tender=tender, amount=-amount,
                                tendered=-amount, change=0, reference="refund", username=who(actor), created_at=at)
            total += amount
    row.paid -= total
    return total


def tender_kinds(settings: Settings) -> tuple[str, ...]:
    from pos_tui.services.tenders import tender_choices

    return tuple(c.kind for c in tender_choices(settings))
