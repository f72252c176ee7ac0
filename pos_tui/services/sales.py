"""Committing a sale (lines, payments, stock moves, audit: one transaction) and reading sales back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_tui.config import Settings
from pos_tui.db import statements
from pos_tui.db.bulk import dialect_sql, has_returning, insert_row, insert_stored, update_stored
from pos_tui.db.database import retrying_write
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Customer, Payment, Product, Sale, SaleLine, StockMove, User, database
from pos_tui.domain.cart import Cart
from pos_tui.domain.quantity import qty_to_milli
from pos_tui.domain.tender import TENDERS, Tender, settle
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit, held_carts
from pos_tui.services.context import Actor
from pos_tui.services.limits import check_cart
from pos_tui.services.shift_guard import require_open_shift
from pos_tui.services.store import current_settings


@dataclass(frozen=True)
class SaleLineInfo:
    barcode: str
    name: str
    qty: Decimal
    unit_price: int
    discount: int
    tax_rate: str
    tax: int
    total: int


@dataclass(frozen=True)
class PaymentInfo:
    tender: str
    amount: int
    tendered: int
    change: int
    reference: str


@dataclass(frozen=True)
class SaleInfo:
    receipt_no: str
    time: datetime
    lane: str
    cashier: str
    status: str
    training: bool
    subtotal: int
    discount: int
    tax: int
    total: int
    lines: tuple[SaleLineInfo, ...] = ()
    rounding: int = 0
    original: str = ""  # for a return: the receipt it refunds
    customer: str = ""
    prices_include_tax: bool = True
    payments: tuple[PaymentInfo, ...] = ()

    @property
    def change(self) -> int:
        return sum(p.change for p in self.payments)


def next_receipt_no(lane: str) -> str:
    """The lane's next receipt number; call inside the sale's transaction.

    One upsert: the counter row stays locked until the sale commits, so two tills on
    one lane (on PostgreSQL) take turns and never share a number.
    """
    key = f"receipt_seq.{lane}"
    db = database.obj
    if has_returning(db):
        bump = dialect_sql(statements.BUMP_COUNTER + statements.RETURNING_VALUE)
        seq = int(db.execute_sql(bump, (key,)).fetchone()[0])
    else:  # SQLite before 3.35: the same upsert, then the value read back
        db.execute_sql(dialect_sql(statements.BUMP_COUNTER), (key,))
        seq = int(db.execute_sql(dialect_sql(statements.READ_SETTING), (key,)).fetchone()[0])
    return f"{lane}-{seq:06d}"


# The columns the commit writes, in the order its rows give them (in stored form).
_LINE_FIELDS = ("sale", "position", "product", "barcode", "name", "qty", "unit_price", "unit_cost", "discount",
                "tax_class", "tax_rate", "tax", "total")
_MOVE_FIELDS = ("product", "delta", "reason", "reference", "user", "os_user", "created_at")
_PAYMENT_FIELDS = ("sale", "tender", "amount", "tendered", "change", "reference")


def commit_sale(
    actor: Actor, cart: Cart, tenders: list[Tender], *, lane: str, customer_id: int | None = None,
    at: datetime | None = None, cash_step: int = 1, tender_kinds: tuple[str, ...] = TENDERS,
    settings: Settings | None = None,
) -> SaleInfo:
    """Record a paid cart. All of it lands or none of it does.

    Discounts and price changes are re-checked against the limits and
    permissions of whoever each line says authorised them.
    """
    customer_id = customer_id if customer_id is not None else cart.customer_id
    if cart.is_empty:
        raise ValidationError(_("the cart is empty; scan an item first"))
    if actor.user_id is None:
        raise ValidationError(_("a sale needs a logged-in cashier"))
    check_cart(settings or current_settings(), actor, cart)
    totals = cart.totals()
    applied = settle(totals.total, tenders, cash_step=cash_step, kinds=tender_kinds)
    rounding = sum(t.amount for t in applied) - totals.total
    at = at or utc_now()
    line_tax = [cart.line_tax(line) for line in cart.lines]

    def write() -> str:
        shift_id = require_open_shift(lane)  # training too: the till works the same, the reports skip it
        receipt_no = next_receipt_no(lane)
        # Fixed statements and one executemany per table, no Peewee rows built: the
        # commit is the till's hot path (the floor is the same writes in raw sqlite3).
        sale_id = insert_row(Sale, dict(
            receipt_no=receipt_no, lane=lane, cashier=actor.user_id, customer=customer_id, created_at=at,
            shift=shift_id,
            subtotal=totals.subtotal, discount_total=totals.discount, tax_total=totals.tax, total=totals.total,
            status="completed", training=actor.training, prices_include_tax=cart.prices_include_tax,
            rounding=rounding,
        ))
        stored_at, qty = Sale.created_at.db_value(at), SaleLine.qty.db_value  # stored forms: UTC text, milli
        insert_stored(SaleLine, _LINE_FIELDS, [
            (sale_id, position, line.product_id, line.barcode, line.name, qty(line.qty), line.unit_price,
             line.unit_cost, line.discount, line.tax_class, str(line.tax_rate), tax, line.total)
            for position, (line, tax) in enumerate(zip(cart.lines, line_tax), start=1)
        ])
        if not actor.training:
            insert_stored(StockMove, _MOVE_FIELDS, [
                (line.product_id, -qty(line.qty), "sale", receipt_no, actor.user_id, actor.os_user, stored_at)
                for line in cart.lines
            ])
        insert_stored(Payment, _PAYMENT_FIELDS, [
            (sale_id, t.kind, t.amount, t.tendered, t.change, t.reference) for t in applied
        ])
        held_carts.clear_open(lane)  # the cart is a sale now, in the same transaction
        if not actor.training:
            # Last but the audit row: on PostgreSQL each updated product stays locked until the
            # commit, and tills selling the same products wait for each other only that long.
            # One UPDATE per product (a product on two lines is taken once), in product id
            # order, so two tills lock them in the same order and never deadlock.
            sold: dict[int, Decimal] = {}
            for line in cart.lines:
                sold[line.product_id] = sold.get(line.product_id, Decimal(0)) + line.qty
            update_stored(Product, (), [(-qty_to_milli(qty), pid) for pid, qty in sorted(sold.items())],
                          add=("stock",))
        audit.record("sale.commit", actor, receipt_no, total=totals.total, lines=len(cart.lines),
                     tenders=[t.kind for t in applied], training=actor.training)
        return receipt_no

    # PostgreSQL may abort a sale that deadlocked with another till's: it runs again from the start.
    receipt_no = retrying_write(write)
    # What was written, without reading it back (the commit is the till's hot path).
    return SaleInfo(
        receipt_no=receipt_no, time=at, lane=lane, cashier=actor.username, status="completed",
        training=actor.training, subtotal=totals.subtotal, discount=totals.discount, tax=totals.tax,
        total=totals.total, rounding=rounding, customer=_customer_name(customer_id, cart),
        prices_include_tax=cart.prices_include_tax,
        lines=tuple(SaleLineInfo(l.barcode, l.name, l.qty, l.unit_price, l.discount, str(l.tax_rate), tax, l.total)
                    for l, tax in zip(cart.lines, line_tax)),
        payments=tuple(PaymentInfo(t.kind, t.amount, t.tendered, t.change, t.reference) for t in applied),
    )


def _customer_name(customer_id: int | None, cart: Cart) -> str:
    if customer_id is None:
        return ""
    if customer_id == cart.customer_id and cart.customer_name:
        return cart.customer_name
    return Customer.get_by_id(customer_id).name


def _info(sale: Sale, cashier: str, with_details: bool) -> SaleInfo:
    lines: tuple[SaleLineInfo, ...] = ()
    payments: tuple[PaymentInfo, ...] = ()
    if with_details:
        lines = tuple(
            SaleLineInfo(l.barcode, l.name, l.qty, l.unit_price, l.discount, l.tax_rate, l.tax, l.total)
            for l in SaleLine.select().where(SaleLine.sale == sale).order_by(SaleLine.position)
        )
        payments = tuple(
            PaymentInfo(p.tender, p.amount, p.tendered, p.change, p.reference)
            for p in Payment.select().where(Payment.sale == sale).order_by(Payment.id)
        )
    return SaleInfo(
        receipt_no=sale.receipt_no, time=sale.created_at, lane=sale.lane, cashier=cashier, status=sale.status,
        training=sale.training, subtotal=sale.subtotal, discount=sale.discount_total, tax=sale.tax_total,
        total=sale.total, lines=lines, payments=payments, rounding=sale.rounding,
        original=sale.original.receipt_no if sale.original_id else "",
        prices_include_tax=sale.prices_include_tax,
        customer=sale.customer.name if sale.customer_id else "",
    )


def get_sale(receipt_no: str) -> SaleInfo:
    row = (
        Sale.select(Sale, User.username).join(User).where(Sale.receipt_no == receipt_no.strip()).objects().first()
    )
    if row is None:
        raise NotFound(_("no sale with receipt number {receipt_no!r}; see `pos sale list`").format(receipt_no=receipt_no.strip()))
    return _info(row, row.username, with_details=True)


def list_sales(since: datetime | None = None, *, limit: int | None = None, with_details: bool = False) -> list[SaleInfo]:
    """Sales oldest first, from `since` (an aware datetime) on; `limit` keeps the newest."""
    query = Sale.select(Sale, User.username).join(User).order_by(Sale.created_at, Sale.id)
    if since is not None:
        query = query.where(Sale.created_at >= Sale.created_at.db_value(since))
    if limit is not None:
        query = query.order_by(Sale.created_at.desc(), Sale.id.desc()).limit(limit)
    rows = list(query.objects())
    if limit is not None:
        rows.reverse()
    return [_info(row, row.username, with_details) for row in rows]
