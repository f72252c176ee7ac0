"""Returns against a receipt: never more than was sold minus what came back already.

A return is a sale row of its own (status "return", negative amounts) linked
to the original sale and lines, with its refund tender, stock moves when
the goods go back on the shelf, and an audit row naming any approver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from peewee import fn

from pos_tui.config import Settings
from pos_tui.db.database import retrying_write
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Payment, Product, Sale, SaleLine, StockMove, User
from pos_tui.domain.cart import CartLine
from pos_tui.domain.money import round_minor
from pos_tui.domain.quantity import format_qty
from pos_tui.domain.tax import line_tax
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.limits import check_no_receipt_by, check_refund_by
from pos_tui.services.shift_guard import require_open_shift
from pos_tui.services.store import current_settings
from pos_tui.services.sales import SaleInfo, get_sale, next_receipt_no


@dataclass(frozen=True)
class ReturnableLine:
    line_id: int
    barcode: str
    name: str
    sold: Decimal
    returned: Decimal
    total: int
    tax: int
    tax_included: bool = True

    @property
    def available(self) -> Decimal:
        return self.sold - self.returned

    def refund_for(self, qty: Decimal) -> tuple[int, int]:
        """The refund and its tax for `qty` of this line, in proportion to what was paid
        (tax added at the till was paid too, so it comes back too)."""
        share = qty / self.sold
        paid = self.total if self.tax_included else self.total + self.tax
        return round_minor(Decimal(paid) * share), round_minor(Decimal(self.tax) * share)


@dataclass(frozen=True)
class ReturnableSale:
    receipt_no: str
    time: datetime
    cashier: str
    total: int
    tenders: tuple[str, ...]
    lines: tuple[ReturnableLine, ...]


def returnable(receipt_no: str) -> ReturnableSale:
    """The sale as it can still be returned; refuses returns of returns."""
    code = receipt_no.strip()
    sale = Sale.select(Sale, User.username).join(User).where(Sale.receipt_no == code).objects().first()
    if sale is None:
        raise NotFound(_("no sale with receipt number {code!r}").format(code=code))
    if sale.status != "completed":
        raise ValidationError(_("receipt {code} is a {status}, not a sale; it cannot be returned").format(code=code, status=sale.status))
    if sale.training:
        raise ValidationError(_("receipt {code} is a training sale; nothing can be refunded against it").format(code=code))
    returned = dict(
        SaleLine.select(SaleLine.original_line, fn.SUM(SaleLine.qty))
        .where(SaleLine.original_line.in_(SaleLine.select(SaleLine.id).where(SaleLine.sale == sale)))
        .group_by(SaleLine.original_line).tuples()
    )
    lines = tuple(
        ReturnableLine(line.id, line.barcode, line.name, line.qty,
                       -SaleLine.qty.python_value(returned.get(line.id, 0) or 0), line.total, line.tax,
                       sale.prices_include_tax)
        for line in SaleLine.select().where(SaleLine.sale == sale).order_by(SaleLine.position)
    )
    tenders = tuple(p.tender for p in Payment.select().where(Payment.sale == sale).order_by(Payment.id))
    return ReturnableSale(sale.receipt_no, sale.created_at, sale.username, sale.total, tenders, lines)


def refund_total(sale: ReturnableSale, items: dict[int, Decimal]) -> int:
    by_id = {line.line_id: line for line in sale.lines}
    return sum(by_id[line_id].refund_for(qty)[0] for line_id, qty in items.items() if qty)


def commit_return(
    actor: Actor, receipt_no: str, items: dict[int, Decimal], *, tender: str, restock: bool, lane: str,
    approver: Actor | None = None, settings: Settings | None = None,
) -> SaleInfo:
    """Refund `items` (original line id -> qty) of the sale; all of it lands or none.

    Needs sale.refund and a refund limit covering the total, the actor's or
    the approver's (re-checked here, whatever the till asked before).
    """
    if actor.user_id is None:
        raise ValidationError(_("a return needs a logged-in cashier"))
    at = utc_now()

    def write() -> str:
        shift_id = require_open_shift(lane, _("refunding"))
        sale = returnable(receipt_no)  # read again inside the transaction: no double returns
        by_id = {line.line_id: line for line in sale.lines}
        chosen = {line_id: qty for line_id, qty in items.items() if qty}
        if not chosen:
            raise ValidationError(_("choose at least one item and quantity to return"))
        for line_id, qty in chosen.items():
            line = by_id.get(line_id)
            if line is None:
                raise ValidationError(_("that line is not on this receipt"))
            if qty < 0 or qty > line.available:
                raise ValidationError(
                    _("{name}: {format_qty} is more than the {format_qty2} that can come back").format(name=line.name, format_qty=format_qty(qty), format_qty2=format_qty(line.available)))
        original = Sale.get(Sale.receipt_no == sale.receipt_no)
        refunds = {line_id: by_id[line_id].refund_for(qty) for line_id, qty in chosen.items()}
        total = sum(amount for amount, _ in refunds.values())
        check_refund_by(settings or current_settings(), actor, approver, total)
        tax = sum(line_tax for _, line_tax in refunds.values())
        return_no = next_receipt_no(lane)
        net = total if original.prices_include_tax else total - tax
        row = Sale.create(
            receipt_no=return_no, lane=lane, cashier=actor.user_id, customer=original.customer_id, created_at=at,
            subtotal=-net, discount_total=0, tax_total=-tax, total=-total, status="return",
            training=actor.training, prices_include_tax=original.prices_include_tax, original=original,
            shift=shift_id,
        )
        restocked: list[tuple[int, Decimal]] = []
        for position, (line_id, qty) in enumerate(chosen.items(), start=1):
            source = SaleLine.get_by_id(line_id)
            amount, line_tax = refunds[line_id]
            SaleLine.create(
                sale=row, position=position, product=source.product_id, barcode=source.barcode, name=source.name,
                qty=-qty, unit_price=source.unit_price, unit_cost=source.unit_cost, discount=0,
                tax_class=source.tax_class, tax_rate=source.tax_rate, tax=-line_tax,
                total=-(amount if original.prices_include_tax else amount - line_tax),
                original_line=source,
            )
            if restock and not actor.training:
                restocked.append((source.product_id, qty))
        # In product id order, as a sale takes them, so a return and a sale on two tills never deadlock.
        for product_id, qty in sorted(restocked, key=lambda item: item[0] or 0):
            Product.update(stock=Product.stock + qty).where(Product.id == product_id).execute()
            StockMove.create(product=product_id, delta=qty, reason="return", reference=return_no,
                             user=actor.user_id, os_user=actor.os_user, created_at=at)
        Payment.create(sale=row, tender=tender, amount=-total, tendered=-total, change=0)
        audit.record("sale.refund", actor, return_no, original=sale.receipt_no, total=total, tender=tender,
                     restock=restock, approver=approver.username if approver else None,
                     lines=len(chosen))
        return return_no

    # Like a sale: PostgreSQL may abort a return that deadlocked with another till's; it runs again from the start.
    return get_sale(retrying_write(write))



def no_receipt_refund(line: CartLine, *, prices_include_tax: bool) -> tuple[int, int]:
    """What a return without a receipt pays back for `line` at today's price, and its tax."""
    tax = line_tax(line.total, line.tax_rate, included=prices_include_tax)
    return (line.total if prices_include_tax else line.total + tax), tax


def commit_return_without_receipt(
    actor: Actor, line: CartLine, *, tender: str, restock: bool, lane: str, approver: Actor | None = None,
    settings: Settings | None = None,
) -> SaleInfo:
    """Refund goods brought back without a receipt, at today's shelf price.

    Needs sale.refund_no_receipt (the cashier's or the approver's) and a
    refund limit covering it; audited with the approver, like every refund.
    """
    if actor.user_id is None:
        raise ValidationError(_("a return needs a logged-in cashier"))
    settings = settings or current_settings()
    if line.qty <= 0:
        raise ValidationError(_("the quantity coming back must be more than zero"))
    included = bool(settings.get("tax.included"))
    total, tax = no_receipt_refund(line, prices_include_tax=included)
    check_no_receipt_by(settings, actor, approver, total)
    at = utc_now()

    def write() -> str:
        shift_id = require_open_shift(lane, _("refunding"))
        return_no = next_receipt_no(lane)
        net = total if included else total - tax
        row = Sale.create(
            receipt_no=return_no, lane=lane, cashier=actor.user_id, created_at=at, subtotal=-net, discount_total=0,
            tax_total=-tax, total=-total, status="return", training=actor.training, prices_include_tax=included,
            shift=shift_id,
        )
        SaleLine.create(
            sale=row, position=1, product=line.product_id, barcode=line.barcode, name=line.name, qty=-line.qty,
            unit_price=line.unit_price, unit_cost=line.unit_cost, discount=0, tax_class=line.tax_class,
            tax_rate=str(line.tax_rate), tax=-tax, total=-net,
        )
        if restock and not actor.training:
            Product.update(stock=Product.stock + line.qty).where(Product.id == line.product_id).execute()
            StockMove.create(product=line.product_id, delta=line.qty, reason="return", reference=return_no,
                             user=actor.user_id, os_user=actor.os_user, created_at=at)
        Payment.create(sale=row, tender=tender, amount=-total, tendered=-total, change=0)
        audit.record("sale.refund_no_receipt", actor, return_no, barcode=line.barcode, qty=str(line.qty),
                     total=total, tender=tender, restock=restock, approver=approver.username if approver else None)
        return return_no

    return get_sale(retrying_write(write))
