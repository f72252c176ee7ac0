"""Review rules: which submitted orders a person must look at before they are approved.

The rules are settings (orders.review.*); the first one that matches sends
the order to pending_review and is written to the order's `review_rule` with
the values that decided, e.g. "total_above: 612.00 > 500.00". An order no rule
matches is approved by the machine, recorded as "auto: no rule matched".
Stock is checked last: an order the shop cannot fill waits for a person too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos_tui.config import Settings
from pos_tui.db.models import Customer, DeliveryOrder, OrderLine, Sale
from pos_tui.domain.discount import percent_of
from pos_tui.domain.money import format_money, parse_money
from pos_tui.services.order_stock import shortages

AUTO = "auto: no rule matched"


@dataclass(frozen=True)
class Rules:
    """The shop's thresholds; None switches a rule off."""

    total_above: int | None = None
    discount_percent_above: Decimal | None = None
    new_customer: bool = False
    on_delivery_above: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Rules":
        def money(name: str) -> int | None:
            text = str(settings.get(name) or "")
            return parse_money(text) if text else None

        percent = str(settings.get("orders.review.discount_percent_above") or "")
        return cls(
            total_above=money("orders.review.total_above"),
            discount_percent_above=Decimal(percent) if percent else None,
            new_customer=bool(settings.get("orders.review.new_customer")),
            on_delivery_above=money("orders.review.on_delivery_above"),
        )


@dataclass(frozen=True)
class Decision:
    approve: bool
    rule: str


def is_new_customer(customer_id: int, order_id: int) -> bool:
    """No earlier sale and no other order: the shop has never dealt with them (a training sale is no dealing)."""
    if Sale.select().where((Sale.customer == customer_id) & (Sale.training == False)).exists():  # noqa: E712
        return False
    return not DeliveryOrder.select().where((DeliveryOrder.customer == customer_id)
                                            & (DeliveryOrder.id != order_id)).exists()


def deepest_discount(order_id: int) -> Decimal:
    """The largest share of any line's price taken off, in percent."""
    return max((percent_of(line.discount, line.total + line.discount)
                for line in OrderLine.select().where(OrderLine.order == order_id)
                if line.total + line.discount > 0), default=Decimal(0))


def decide(rules: Rules, order: DeliveryOrder) -> Decision:
    """The first matching rule, in the order the settings list them; else approval."""
    if rules.total_above is not None and order.total > rules.total_above:
        return Decision(False, f"total_above: {format_money(order.total)} > {format_money(rules.total_above)}")
    if rules.discount_percent_above is not None:
        deepest = deepest_discount(order.id)
        if deepest > rules.discount_percent_above:
            return Decision(False, f"discount_percent_above: {deepest:.1f}% > {rules.discount_percent_above}%")
    if rules.new_customer and order.customer_id is not None and is_new_customer(order.customer_id, order.id):
        name = Customer.get_by_id(order.customer_id).name
        return Decision(False, f"new_customer: {name} has no earlier sale or order")
    if (rules.on_delivery_above is not None and order.payment == "on_delivery"
            and order.total > rules.on_delivery_above):
        return Decision(False, f"on_delivery_above: {format_money(order.total)} > "
                               f"{format_money(rules.on_delivery_above)}")
    short = shortages(order.id)
    if short:
        return Decision(False, ("stock: " + "; ".join(short))[:128])
    return Decision(True, AUTO)
