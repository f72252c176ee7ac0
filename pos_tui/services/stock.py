"""Stock moves a person makes: receiving a delivery, adjusting, and reading a product's history.

Every change goes through stock_moves.move inside one write_transaction with
its audit row, so `stock on hand = sum of its moves` holds and a delivery is
received whole or not at all. Reads (history, low stock) are ungated like the
catalogue; the till's Stock area and the CLI's writes need `stock.adjust`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Iterable, Sequence

from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Product, StockMove, Supplier, User
from pos_tui.domain.barcodes import lookup_forms
from pos_tui.domain.money import parse_money, round_minor
from pos_tui.domain.quantity import parse_qty
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit, csv_rows
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require
from pos_tui.services.stock_moves import ADJUST_REASONS, move

HISTORY_LIMIT = 50
RECEIVE_REQUIRED = ("barcode", "qty")
RECEIVE_OPTIONAL = ("unit_cost",)
_LOOKUP_CHUNK = 500  # barcodes per IN (...) query, well under SQLite's variable limit


@dataclass(frozen=True)
class ReceiveLine:
    barcode: str
    qty: Decimal
    unit_cost: int | None = None  # None: keep the product's cost
    line: int = 0  # the CSV line it came from (0: typed at the till)


@dataclass(frozen=True)
class ReceivedLine:
    barcode: str
    name: str
    qty: Decimal
    unit_cost: int | None
    stock_after: Decimal
    cost_before: int


@dataclass(frozen=True)
class ReceiveResult:
    reference: str
    supplier: str
    lines: tuple[ReceivedLine, ...]
    dry_run: bool

    @property
    def units(self) -> Decimal:
        return sum((line.qty for line in self.lines), Decimal(0))

    @property
    def value(self) -> int:
        """The delivery at its unit costs (lines without a cost count at none)."""
        return sum(round_minor(Decimal(line.qty) * (line.unit_cost or 0)) for line in self.lines)


@dataclass(frozen=True)
class MoveInfo:
    id: int
    time: datetime
    delta: Decimal
    reason: str
    reference: str
    user: str  # till user, else the OS user who ran the command
    stock_after: Decimal


@dataclass(frozen=True)
class LowStockItem:
    barcode: str
    name: str
    category: str
    stock: Decimal
    reorder_level: Decimal
    unit: str


# -- finding products --------------------------------------------------------
def find_product(code: str, *, include_archived: bool = True) -> Product:
    """The product a scanned or typed code names: its exact barcode, else another form of the same GTIN."""
    cleaned = code.strip()
    if not cleaned:
        raise ValidationError(_("scan or type a barcode"))
    row = Product.get_or_none(Product.barcode == cleaned)
    if row is None:
        try:
            forms = lookup_forms(cleaned)
        except ValidationError:
            forms = ()
        rows = {r.barcode: r for r in Product.select().where(Product.barcode.in_(list(forms)))} if forms else {}
        row = next((rows[f] for f in forms if f in rows), None)
    if row is None or (row.archived and not include_archived):
        raise NotFound(_("no product with barcode {cleaned!r}; add it first (`pos product import`)").format(cleaned=cleaned))
    return row


def products_by_barcode(barcodes: Iterable[str]) -> dict[str, Product]:
    """The products under these exact barcodes, in few queries."""
    codes = list(dict.fromkeys(barcodes))
    found: dict[str, Product] = {}
    for start in range(0, len(codes), _LOOKUP_CHUNK):
        chunk = codes[start:start + _LOOKUP_CHUNK]
        found.update((p.barcode, p) for p in Product.select().where(Product.barcode.in_(chunk)))
    return found


def unknown_barcodes(rows: Sequence[object]) -> dict[int, str]:
    """{line: problem} for rows (with .barcode and .line) naming no product: a csv_rows check."""
    known = products_by_barcode(r.barcode for r in rows)  # type: ignore[attr-defined]
    return {r.line: _("no product with barcode {barcode}; add it first (`pos product import`)").format(barcode=r.barcode)  # type: ignore[attr-defined]
            for r in rows if r.barcode not in known}  # type: ignore[attr-defined]


def check_qty(qty: Decimal, unit: str, name: str, what: str | None = None) -> Decimal:
    """Products sold by the piece move in whole pieces; weighed ones to the gram."""
    what = what or _("quantity")
    if unit != "kg" and qty != qty.to_integral_value():
        raise ValidationError(_("{what} {qty} of {name} must be a whole number: it is sold by the piece").format(what=what, qty=qty, name=name))
    return qty


# -- receiving ---------------------------------------------------------------
def _receive_row(line: int, cells: dict[str, str]) -> ReceiveLine:
    barcode, qty, cost = csv_rows.collect(
        lambda: cells["barcode"] or _fail(_("barcode is empty")),
        lambda: _positive(parse_qty(cells["qty"], what="qty")),
        lambda: parse_money(cells["unit_cost"], what="unit_cost") if cells.get("unit_cost") else None,
    )
    return ReceiveLine(str(barcode), qty, cost, line)  # type: ignore[arg-type]


def _positive(qty: Decimal) -> Decimal:
    if qty <= 0:
        raise ValidationError(_("qty {qty} must be more than 0").format(qty=qty))
    return qty


def _fail(message: str):
    raise ValidationError(message)


def parse_receipt(text: str) -> list[ReceiveLine]:
    """A delivery note as CSV (barcode,qty[,unit_cost]); every bad row reported, unknown barcodes too."""
    return csv_rows.parse_rows(text, RECEIVE_REQUIRED, RECEIVE_OPTIONAL, _receive_row,
                               key=lambda r: r.barcode, check=unknown_barcodes)


def supplier_name(name: str) -> str:
    """The supplier table's spelling of `name`, or a refusal saying how to add it."""
    cleaned = name.strip()
    if not cleaned:
        return ""
    row = Supplier.get_or_none(Supplier.name == cleaned)
    if row is None:
        row = next((s for s in Supplier.select() if s.name.casefold() == cleaned.casefold()), None)
    if row is None:
        raise NotFound(_("no supplier named {cleaned!r}; add it with `pos supplier add {cleaned!r}` or leave "
                         "--supplier out").format(cleaned=cleaned))
    if row.archived:
        raise ValidationError(_("supplier {name!r} is archived; unarchive it or name another").format(name=row.name))
    return row.name


def check_reference(reference: str, what: str | None = None) -> str:
    cleaned = reference.strip()
    what = what or _("delivery reference")
    if not cleaned:
        raise ValidationError(_("a {what} is required (the delivery note or invoice number)").format(what=what))
    if len(cleaned) > 64:
        raise ValidationError(_("the {what} is at most 64 characters").format(what=what))
    return cleaned


def receive(actor: Actor, lines: Sequence[ReceiveLine], *, supplier: str = "", reference: str,
            update_cost: bool = True, dry_run: bool = False) -> ReceiveResult:
    """Receive a delivery in one transaction: a `receive` move per line, unit costs onto the products."""
    require(actor, "stock.adjust")
    reference = check_reference(reference)
    if not lines:
        raise ValidationError(_("a delivery needs at least one line"))
    with write_transaction():
        supplier = supplier_name(supplier)
        products = products_by_barcode(line.barcode for line in lines)
        problems = []
        for line in lines:
            where = _("line {line}: ").format(line=line.line) if line.line else ""
            product = products.get(line.barcode)
            if product is None:
                problems.append(_("{where}no product with barcode {barcode}").format(where=where, barcode=line.barcode))
                continue
            try:
                _positive(line.qty)
                check_qty(line.qty, product.unit, product.name, _("quantity"))
                if line.unit_cost is not None and line.unit_cost < 0:
                    raise ValidationError(_("unit cost of {name} must not be negative").format(name=product.name))
            except ValidationError as exc:
                problems.append(f"{where}{exc}")
        if problems:
            raise ValidationError("; ".join(problems))
        received = []
        now = utc_now()
        for line in lines:
            product = products[line.barcode]
            cost_before = product.cost
            if not dry_run:
                move(product.id, line.qty, "receive", reference, actor, at=now)
                if update_cost and line.unit_cost is not None and line.unit_cost != product.cost:
                    Product.update(cost=line.unit_cost, updated_at=now).where(Product.id == product.id).execute()
                    product.cost = line.unit_cost
            after = Product.get_by_id(product.id).stock if not dry_run else product.stock + line.qty
            product.stock = after
            received.append(ReceivedLine(product.barcode, product.name, line.qty, line.unit_cost, after, cost_before))
        result = ReceiveResult(reference, supplier, tuple(received), dry_run)
        if not dry_run:
            audit.record("stock.receive", actor, reference, supplier=supplier, lines=len(received),
                         units=str(result.units), value=result.value, update_cost=update_cost)
    return result


# -- adjusting ---------------------------------------------------------------
def check_reason(reason: str) -> str:
    cleaned = reason.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in ADJUST_REASONS:
        raise ValidationError(_("unknown adjustment reason {reason!r}; use one of {ADJUST_REASONS}").format(reason=reason.strip(), ADJUST_REASONS=', '.join(ADJUST_REASONS)))
    return cleaned


def adjust(actor: Actor, barcode: str, delta: Decimal, reason: str, note: str = "") -> MoveInfo:
    """One adjustment (damage, theft, expiry, own use…): stock changes by `delta`, with why and who."""
    require(actor, "stock.adjust")
    reason = check_reason(reason)
    note = note.strip()
    if len(note) > 64:
        raise ValidationError(_("the note is at most 64 characters (it is the move's reference)"))
    if delta == 0:
        raise ValidationError(_("an adjustment of 0 changes nothing; give a count like -2 or 3"))
    with write_transaction():
        product = find_product(barcode)
        check_qty(delta, product.unit, product.name, _("adjustment"))
        row = move(product.id, delta, reason, note, actor)
        stock = Product.get_by_id(product.id).stock
        audit.record("stock.adjust", actor, product.barcode, delta=str(delta), reason=reason, note=note,
                     stock=str(stock))
    return MoveInfo(row.id if row else 0, row.created_at if row else utc_now(), delta, reason, note,
                    actor.username or actor.os_user, stock)


# -- reading -----------------------------------------------------------------
def history(barcode: str, *, limit: int = HISTORY_LIMIT, before: int | None = None) -> list[MoveInfo]:
    """A product's moves newest first, each with the stock just after it; `before` (a move id) pages back.

    The stock after a move is the stock now less every later move, exact
    because stock is the sum of its moves.
    """
    if limit < 1:
        raise ValidationError(_("limit must be at least 1"))
    product = find_product(barcode)
    later = Decimal(0)
    if before is not None:
        later = sum((m.delta for m in StockMove.select(StockMove.delta).where(
            (StockMove.product == product.id) & (StockMove.id >= before))), Decimal(0))
    query = (StockMove.select(StockMove, User.username).left_outer_join(User, on=(StockMove.user == User.id))
             .where(StockMove.product == product.id).order_by(StockMove.id.desc()).limit(limit))
    if before is not None:
        query = query.where(StockMove.id < before)
    stock = product.stock - later
    moves = []
    for row in query.objects():
        user = getattr(row, "username", None) or row.os_user or "-"
        moves.append(MoveInfo(row.id, row.created_at, row.delta, row.reason, row.reference, user, stock))
        stock -= row.delta
    return moves


def low_stock(limit: int | None = None) -> list[LowStockItem]:
    """Listed products at or below their reorder level (a level of 0 means: do not watch)."""
    from pos_tui.db.models import Category

    query = (Product.select(Product, Category.name.alias("category_name"))
             .left_outer_join(Category, on=(Product.category == Category.id))
             .where((Product.archived == False) & (Product.reorder_level > 0)  # noqa: E712
                    & (Product.stock <= Product.reorder_level))
             .order_by(Product.name, Product.id))
    if limit is not None:
        query = query.limit(limit)
    return [LowStockItem(p.barcode, p.name, getattr(p, "category_name", None) or "", p.stock, p.reorder_level, p.unit)
            for p in query.objects()]
