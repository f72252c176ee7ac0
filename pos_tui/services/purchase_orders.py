"""Purchase orders: drafted (by hand or from the reorder suggestions), sent, received against.

status: draft -> ordered -> partial -> received; draft, ordered or partial
-> cancelled (what came in stays in). Numbers are PO-000001, PO-000002 …
from a counter bumped inside the order's own transaction, so a failed
draft leaves no gap. Receiving more than was ordered is refused: a
delivery with extra goods is a new order (or `pos stock receive`), so
qty_received never passes qty_ordered and "on order" never goes negative.
Every action is one write_transaction with its audit row; receiving moves
stock through stock_moves.move (reason "receive", reference the PO number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from peewee import fn

from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Product, PurchaseOrder, PurchaseOrderLine, Setting, Supplier
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit, stock_moves
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require
from pos_tui.services.suppliers import find as find_supplier

STATUSES = ("draft", "ordered", "partial", "received", "cancelled")
_SEQ_KEY = "po_seq"


@dataclass(frozen=True)
class LineSpec:
    """A line as typed: barcode, quantity, and a unit cost (None: the product's cost)."""

    barcode: str
    qty: Decimal
    unit_cost: int | None = None


@dataclass(frozen=True)
class OrderLine:
    barcode: str
    name: str
    unit: str
    qty_ordered: Decimal
    qty_received: Decimal
    unit_cost: int

    @property
    def outstanding(self) -> Decimal:
        return self.qty_ordered - self.qty_received

    @property
    def total(self) -> int:
        return round(self.qty_ordered * self.unit_cost)


@dataclass(frozen=True)
class OrderInfo:
    number: str
    supplier: str
    status: str
    reference: str
    note: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    lines: tuple[OrderLine, ...] = ()
    line_count: int = 0
    total: int = 0  # sum of qty_ordered x unit_cost, minor units


@dataclass(frozen=True)
class Drafted:
    """What drafting from the suggestions made, and what it could not place."""

    orders: tuple[OrderInfo, ...]
    unplaced: tuple[tuple[str, str, Decimal], ...]  # (barcode, name, suggested) without an active supplier


# -- reading --------------------------------------------------------------------
def _order(number: str) -> PurchaseOrder:
    text = number.strip().upper()
    if text.isdigit():
        text = f"PO-{int(text):06d}"
    row = PurchaseOrder.get_or_none(PurchaseOrder.number == text)
    if row is None:
        raise NotFound(_("no purchase order {number!r}; see `pos po list`").format(number=number.strip()))
    return row


def _lines(order_id: int) -> tuple[OrderLine, ...]:
    rows = (PurchaseOrderLine.select(PurchaseOrderLine, Product.barcode, Product.name, Product.unit)
            .join(Product).where(PurchaseOrderLine.order == order_id).order_by(PurchaseOrderLine.id).objects())
    return tuple(OrderLine(r.barcode, r.name, r.unit, r.qty_ordered, r.qty_received, r.unit_cost) for r in rows)


def get_order(number: str) -> OrderInfo:
    row = _order(number)
    lines = _lines(row.id)
    return OrderInfo(row.number, Supplier.get_by_id(row.supplier_id).name, row.status, row.reference, row.note,
                     row.created_by, row.created_at, row.updated_at, lines, len(lines), sum(l.total for l in lines))


def list_orders(*, status: str | None = None, supplier: str | None = None, limit: int = 500) -> list[OrderInfo]:
    """Newest first, with each order's line count and total (one grouped query)."""
    query = (PurchaseOrder.select(PurchaseOrder, Supplier.name.alias("supplier_name"))
             .join(Supplier).order_by(PurchaseOrder.id.desc()).limit(limit))
    if status:
        if status not in STATUSES:
            raise ValidationError(_("status {status!r} must be one of {STATUSES}").format(status=status, STATUSES=', '.join(STATUSES)))
        query = query.where(PurchaseOrder.status == status)
    if supplier:
        query = query.where(PurchaseOrder.supplier == find_supplier(supplier).id)
    rows = list(query.objects())
    sums: dict[int, tuple[int, int]] = {}
    if rows:
        # Thousandths x minor units: divided back (and rounded per order) below.
        for order_id, count, milli_total in (
                PurchaseOrderLine.select(PurchaseOrderLine.order, fn.COUNT(PurchaseOrderLine.id),
                                         fn.SUM(PurchaseOrderLine.qty_ordered.cast("BIGINT") * PurchaseOrderLine.unit_cost)
                                         .coerce(False))
                .where(PurchaseOrderLine.order.in_([r.id for r in rows]))
                .group_by(PurchaseOrderLine.order).tuples()):
            sums[order_id] = (count, round(Decimal(int(milli_total or 0)) / 1000))
    return [OrderInfo(r.number, r.supplier_name, r.status, r.reference, r.note, r.created_by, r.created_at,
                      r.updated_at, (), *sums.get(r.id, (0, 0))) for r in rows]


# -- drafting -------------------------------------------------------------------
def _next_number() -> str:
    """The next PO number; call inside the order's transaction (a rollback takes the number back)."""
    bumped = (Setting.value.cast("INTEGER") + 1).cast("TEXT")
    if not Setting.update(value=bumped).where(Setting.key == _SEQ_KEY).execute():
        Setting.create(key=_SEQ_KEY, value="1")
    return f"PO-{int(Setting.get_by_id(_SEQ_KEY).value):06d}"


def _product(barcode: str) -> Product:
    row = Product.get_or_none(Product.barcode == barcode.strip())
    if row is None:
        raise NotFound(_("no product with barcode {barcode!r}").format(barcode=barcode.strip()))
    return row


def _check_line(spec: LineSpec, product: Product) -> tuple[Decimal, int]:
    if spec.qty <= 0:
        raise ValidationError(_("{barcode}: quantity {format_qty} must be more than 0").format(barcode=product.barcode, format_qty=format_qty(spec.qty)))
    if product.unit == "each" and spec.qty != spec.qty.to_integral_value():
        raise ValidationError(_("{barcode}: {name} is ordered by the piece; use a whole number").format(barcode=product.barcode, name=product.name))
    cost = product.cost if spec.unit_cost is None else spec.unit_cost
    if cost < 0:
        raise ValidationError(_("{barcode}: unit cost must not be negative").format(barcode=product.barcode))
    return spec.qty, cost


def _usable_supplier(name: str) -> Supplier:
    supplier = find_supplier(name)
    if supplier.archived:
        raise ValidationError(_("supplier {name} is archived; unarchive it first").format(name=supplier.name))
    return supplier


def _write_lines(order_id: int, specs: list[LineSpec]) -> list[dict]:
    """Add or replace lines of an order (a barcode twice: the last one wins)."""
    written = {}
    for spec in specs:
        product = _product(spec.barcode)
        if product.archived:
            raise ValidationError(_("{barcode}: {name} is archived; unarchive it to order it").format(barcode=product.barcode, name=product.name))
        qty, cost = _check_line(spec, product)
        written[product.id] = dict(barcode=product.barcode, qty=str(qty), unit_cost=cost)
        changed = (PurchaseOrderLine.update(qty_ordered=qty, unit_cost=cost)
                   .where((PurchaseOrderLine.order == order_id) & (PurchaseOrderLine.product == product.id)).execute())
        if not changed:
            PurchaseOrderLine.create(order=order_id, product=product.id, qty_ordered=qty, unit_cost=cost)
    return list(written.values())


def create_order(actor: Actor, supplier: str, lines: list[LineSpec], *, reference: str = "", note: str = "",
                 at: datetime | None = None) -> OrderInfo:
    """A draft order to `supplier` (lines may come later, while it is a draft)."""
    require(actor, "stock.adjust")
    if len(reference.strip()) > 64:
        raise ValidationError(_("a PO reference is at most 64 characters"))
    at = at or utc_now()
    with write_transaction():
        row = _usable_supplier(supplier)
        order = PurchaseOrder.create(number=_next_number(), supplier=row.id, status="draft",
                                     reference=reference.strip(), note=note.strip(), created_by=_who(actor),
                                     created_at=at, updated_at=at)
        written = _write_lines(order.id, lines)
        audit.record("po.create", actor, order.number, supplier=row.name, lines=written)
    return get_order(order.number)


def draft_from_suggestions(actor: Actor, *, default_lead_days: int = 7, now: datetime | None = None) -> Drafted:
    """One draft per supplier for every product the reorder suggestion says to order; all in one transaction."""
    from pos_tui.services.reorder import suggestions

    require(actor, "stock.adjust")
    at = now or utc_now()
    made: list[str] = []
    unplaced = []
    with write_transaction():
        by_supplier: dict[int, list] = {}
        for s in suggestions(default_lead_days=default_lead_days, now=at, include_low=False):
            if s.suggested <= 0:
                continue
            if s.supplier_id is None or s.supplier_archived:
                unplaced.append((s.barcode, s.name, s.suggested))
            else:
                by_supplier.setdefault(s.supplier_id, []).append(s)
        for supplier_id, items in by_supplier.items():
            order = PurchaseOrder.create(number=_next_number(), supplier=supplier_id, status="draft",
                                         note="drafted from the reorder suggestions", created_by=_who(actor),
                                         created_at=at, updated_at=at)
            for s in items:
                PurchaseOrderLine.create(order=order.id, product=s.product_id, qty_ordered=s.suggested,
                                         unit_cost=s.cost)
            audit.record("po.create", actor, order.number, supplier=items[0].supplier, from_suggestions=True,
                         lines=[dict(barcode=s.barcode, qty=str(s.suggested), unit_cost=s.cost) for s in items])
            made.append(order.number)
    return Drafted(tuple(get_order(n) for n in made), tuple(unplaced))


def edit_lines(actor: Actor, number: str, lines: list[LineSpec], *, remove: list[str] = ()) -> OrderInfo:
    """Set or add lines of a draft and remove others by barcode; sent orders are not edited."""
    require(actor, "stock.adjust")
    if not lines and not remove:
        raise ValidationError(_("nothing to change: give lines to set or barcodes to remove"))
    with write_transaction():
        order = _order(number)
        if order.status != "draft":
            raise ValidationError(_("{number} is {status}; only a draft's lines can change").format(number=order.number, status=order.status))
        written = _write_lines(order.id, lines)
        removed = []
        for barcode in remove:
            product = _product(barcode)
            gone = PurchaseOrderLine.delete().where(
                (PurchaseOrderLine.order == order.id) & (PurchaseOrderLine.product == product.id)).execute()
            if not gone:
                raise ValidationError(_("{barcode} is not on {number}").format(barcode=product.barcode, number=order.number))
            removed.append(product.barcode)
        _touch(order)
        audit.record("po.edit", actor, order.number, lines=written, removed=removed)
    return get_order(order.number)


# -- status changes ---------------------------------------------------------------
def mark_ordered(actor: Actor, number: str, *, reference: str | None = None) -> OrderInfo:
    """The draft was sent to the supplier; its lines are fixed from now on."""
    require(actor, "stock.adjust")
    with write_transaction():
        order = _order(number)
        if order.status != "draft":
            raise ValidationError(_("{number} is {status}; only a draft can be marked ordered").format(number=order.number, status=order.status))
        if not PurchaseOrderLine.select().where(PurchaseOrderLine.order == order.id).exists():
            raise ValidationError(_("{number} has no lines; add some before ordering").format(number=order.number))
        if reference is not None:
            if len(reference.strip()) > 64:
                raise ValidationError(_("a PO reference is at most 64 characters"))
            order.reference = reference.strip()
        _touch(order, status="ordered")
        audit.record("po.order", actor, order.number, reference=order.reference)
    return get_order(order.number)


def cancel(actor: Actor, number: str) -> OrderInfo:
    """Nothing more is expected; a fully received order stays as it is."""
    require(actor, "stock.adjust")
    with write_transaction():
        order = _order(number)
        if order.status in ("received", "cancelled"):
            raise ValidationError(_("{number} is already {status}; it cannot be cancelled").format(number=order.number, status=order.status))
        was = order.status
        _touch(order, status="cancelled")
        audit.record("po.cancel", actor, order.number, was=was)
    return get_order(order.number)


def receive(actor: Actor, number: str, quantities: dict[str, Decimal] | None = None, *,
            receive_all: bool = False, at: datetime | None = None) -> OrderInfo:
    """Goods in against an ordered order: barcode -> qty arrived (or everything outstanding).

    More than is outstanding on a line is refused, as is a barcode not on the
    order; nothing is received unless all of it can be.
    """
    require(actor, "stock.adjust")
    if not receive_all and not quantities:
        raise ValidationError(_("say what arrived: a quantity per barcode, or all of it"))
    with write_transaction():
        order = _order(number)
        if order.status not in ("ordered", "partial"):
            hint = _("; mark it ordered first") if order.status == "draft" else ""
            raise ValidationError(_("{number} is {status}; goods cannot be received against it{hint}").format(number=order.number, status=order.status, hint=hint))
        # In the order's line order: PostgreSQL returns rows in no order unless asked, and the moves follow it.
        rows = {r.product_id: r for r in PurchaseOrderLine.select().where(PurchaseOrderLine.order == order.id)
                .order_by(PurchaseOrderLine.id)}
        by_barcode = {p.barcode: p for p in Product.select().where(Product.id.in_(list(rows)))}
        barcodes = {p.id: code for code, p in by_barcode.items()}
        if receive_all:
            wanted = {row: row.qty_ordered - row.qty_received for row in rows.values()}
        else:
            wanted = {}
            for barcode, qty in quantities.items():
                product = by_barcode.get(barcode.strip())
                if product is None:
                    raise ValidationError(_("{barcode} is not on {number}").format(barcode=barcode.strip(), number=order.number))
                line = rows[product.id]
                outstanding = line.qty_ordered - line.qty_received
                if qty <= 0:
                    raise ValidationError(_("{barcode}: quantity {format_qty} must be more than 0").format(barcode=product.barcode, format_qty=format_qty(qty)))
                if qty > outstanding:
                    raise ValidationError(
                        _("{barcode}: {format_qty} is more than the {format_qty2} still expected on {number}; "
                          "receive extra goods separately").format(barcode=product.barcode, format_qty=format_qty(qty), format_qty2=format_qty(outstanding), number=order.number))
                wanted[line] = qty
        received = []
        for line, qty in wanted.items():
            if qty <= 0:
                continue
            # Relative and conditional: a receipt racing this one on another lane cannot push it past ordered.
            fits = PurchaseOrderLine.update(qty_received=PurchaseOrderLine.qty_received + qty).where(
                (PurchaseOrderLine.id == line.id)
                & (PurchaseOrderLine.qty_received + qty <= PurchaseOrderLine.qty_ordered)).execute()
            if fits != 1:
                raise ValidationError(_("{barcodes}: more than is still expected on {number} (received on another "
                                        "till meanwhile?); nothing was received").format(barcodes=barcodes[line.product_id], number=order.number))
            stock_moves.move(line.product_id, qty, "receive", order.number, actor, at=at)
            received.append(dict(barcode=barcodes[line.product_id], qty=str(qty)))
        if not received:
            raise ValidationError(_("nothing is outstanding on {number}").format(number=order.number))
        done = not PurchaseOrderLine.select().where(
            (PurchaseOrderLine.order == order.id)
            & (PurchaseOrderLine.qty_received < PurchaseOrderLine.qty_ordered)).exists()
        _touch(order, status="received" if done else "partial")
        audit.record("po.receive", actor, order.number, lines=received, status=order.status)
    return get_order(order.number)


def _touch(order: PurchaseOrder, *, status: str | None = None) -> None:
    """Save the order's new status only if nobody changed it since it was read (another lane,
    another server connection): a cancel racing a receipt loses cleanly instead of overwriting."""
    now = utc_now()
    changed = (PurchaseOrder.update(status=status or order.status, reference=order.reference, updated_at=now)
               .where((PurchaseOrder.id == order.id) & (PurchaseOrder.status == order.status)).execute())
    if changed != 1:
        raise ValidationError(_("{number} was changed on another till meanwhile; look at it again and retry").format(number=order.number))
    order.status, order.updated_at = status or order.status, now


def _who(actor: Actor) -> str:
    return actor.username or actor.os_user
