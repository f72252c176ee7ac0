"""Low stock and reorder suggestions, from what actually sold.

For each product with a reorder level (and not archived):

    suggested = average daily sales over the last 28 days x lead-time days
                + reorder level - on hand - already on order

rounded up to a whole unit for products sold by the piece (to the gram for
weighed ones), never below 0. Sales are completed, non-training sale lines
net of returns (a return is a sale row of status "return" with negative
line quantities) rung up in the window; a product whose returns outweigh its
sales counts as selling nothing. The lead time is the product's supplier's,
or `stock.default_lead_time_days` when it has none. "On order" is what open
purchase orders (draft, ordered or part-received) still wait for,
qty_ordered - qty_received per line: a draft counts too, so drafting from
the suggestions twice does not order the same goods twice.

A product is "low" when its stock is at or below its reorder level (the
level is the point to reorder at). Everything is a few grouped queries,
filtered in SQL with integer arithmetic, so 100,000 products cost one scan
of the product table, not a query each.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from peewee import JOIN, Case, Value, fn

from pos_tui.db.fields import utc_now
from pos_tui.db.models import Product, PurchaseOrder, PurchaseOrderLine, Sale, SaleLine, Supplier, database
from pos_tui.services.suppliers import OPEN_STATUSES

VELOCITY_DAYS = 28
SOLD_STATUSES = ("completed", "return")  # a return's lines are negative: the sum is net of returns


class Suggestion(NamedTuple):
    """One product's line of the reorder list (a tuple: 100,000 of them are made quickly)."""

    product_id: int
    barcode: str
    name: str
    unit: str
    cost: int
    stock: Decimal
    reorder_level: Decimal
    sold: Decimal  # net units sold in the window
    lead_time_days: int
    on_order: Decimal
    suggested: Decimal
    supplier_id: int | None
    supplier: str  # "" when the product has none
    supplier_archived: bool = False

    @property
    def daily(self) -> Decimal:
        return self.sold / VELOCITY_DAYS

    @property
    def low(self) -> bool:
        return self.stock <= self.reorder_level


def _n(value: int) -> Value:
    """A plain number in SQL: not run through a quantity column's thousandths converter."""
    return Value(value, converter=False)


def is_low():
    """The SQL condition "low on stock", one definition for the list, the count and the till."""
    return (Product.reorder_level > _n(0)) & (Product.archived == False) & (  # noqa: E712
        Product.stock <= Product.reorder_level)


def _sold_since(since: datetime, now: datetime):
    """Net thousandths sold per product in (since, now]: one grouped query over the window's sales."""
    return (SaleLine.select(SaleLine.product.alias("pid"), fn.SUM(SaleLine.qty).coerce(False).alias("sold"))
            .join(Sale, on=(SaleLine.sale == Sale.id))
            .where((Sale.created_at > since) & (Sale.created_at <= now) & Sale.status.in_(SOLD_STATUSES)
                   & (Sale.training == False))  # noqa: E712
            .group_by(SaleLine.product))


def _on_order():
    """Thousandths still expected per product from open purchase orders."""
    return (PurchaseOrderLine
            .select(PurchaseOrderLine.product.alias("pid"),
                    fn.SUM(PurchaseOrderLine.qty_ordered - PurchaseOrderLine.qty_received).coerce(False)
                    .alias("waiting"))
            .join(PurchaseOrder, on=(PurchaseOrderLine.order == PurchaseOrder.id))
            .where(PurchaseOrder.status.in_(OPEN_STATUSES))
            .group_by(PurchaseOrderLine.product))


def _query(default_lead_days: int, now: datetime, include_low: bool, product_ids: list[int] | None):
    sold_q = _sold_since(now - timedelta(days=VELOCITY_DAYS), now).alias("sold_q")
    order_q = _on_order().alias("order_q")
    sold = Case(None, [(sold_q.c.sold > _n(0), sold_q.c.sold)], _n(0))
    waiting = fn.COALESCE(order_q.c.waiting, _n(0))
    lead = fn.COALESCE(Supplier.lead_time_days, _n(default_lead_days))
    # need > 0  <=>  sold * lead / DAYS + level - stock - waiting > 0, in integers (thousandths x DAYS).
    need = sold * lead + (Product.reorder_level - Product.stock - waiting) * _n(VELOCITY_DAYS)
    wanted = need > _n(0)
    if include_low:
        wanted = wanted | (Product.stock <= Product.reorder_level)
    query = (Product
             .select(Product.id, Product.barcode, Product.name, Product.unit, Product.cost, Product.stock,
                     Product.reorder_level, sold.alias("sold"), lead.alias("lead"), waiting.alias("waiting"),
                     Supplier.id, Supplier.name, Supplier.archived)
             .join(Supplier, JOIN.LEFT_OUTER, on=(Product.supplier == Supplier.id))
             .join(sold_q, JOIN.LEFT_OUTER, on=(Product.id == sold_q.c.pid))
             .join(order_q, JOIN.LEFT_OUTER, on=(Product.id == order_q.c.pid))
             .where((Product.reorder_level > _n(0)) & (Product.archived == False) & wanted)  # noqa: E712
             .order_by(fn.COALESCE(Supplier.name, ""), Product.name, Product.id))
    if product_ids is not None:
        query = query.where(Product.id.in_(product_ids))
    return query


def suggestions(*, default_lead_days: int = 7, now: datetime | None = None,
                include_low: bool = True, product_ids: list[int] | None = None) -> list[Suggestion]:
    """Products that need ordering (suggested > 0), and with `include_low` those low on stock
    even if enough is on order; by supplier then name."""
    query = _query(default_lead_days, now or utc_now(), include_low, product_ids)
    found = []
    # Raw rows (no per-column conversion) and integer arithmetic in thousandths: exact, and quick
    # when a new shop's whole catalogue of 100,000 products is below its levels.
    for (pid, barcode, name, unit, cost, stock, level, sold_milli, lead_days, waiting_milli,
         supplier_id, supplier, supplier_archived) in database.execute(query).fetchall():
        need = sold_milli * lead_days + (level - stock - waiting_milli) * VELOCITY_DAYS  # thousandths x DAYS
        step = VELOCITY_DAYS * (1000 if unit == "each" else 1)
        suggested = -(-need // step) * (1000 if unit == "each" else 1) if need > 0 else 0
        found.append(Suggestion(pid, barcode, name, unit, cost, _qty(stock), _qty(level), _qty(sold_milli),
                                lead_days, _qty(waiting_milli), _qty(suggested), supplier_id, supplier or "",
                                bool(supplier_archived)))
    return found


def _qty(milli: int) -> Decimal:
    """Thousandths as a Decimal: whole numbers the quick way (most rows are)."""
    return Decimal(milli // 1000) if milli % 1000 == 0 else Decimal(milli).scaleb(-3)


def low_stock_count() -> int:
    """How many products are low: the supervisor's warning at login (one COUNT)."""
    return Product.select().where(is_low()).count()


def low_ids() -> set[int]:
    """The ids of every product low on stock (one scan, at a supervisor's login)."""
    return {pid for (pid,) in Product.select(Product.id).where(is_low()).tuples()}


def low_among_ids(product_ids: list[int]) -> set[int]:
    """Which of these products are low now: a primary-key read of a sale's few products."""
    if not product_ids:
        return set()
    return {pid for (pid,) in Product.select(Product.id).where(is_low() & Product.id.in_(product_ids)).tuples()}
