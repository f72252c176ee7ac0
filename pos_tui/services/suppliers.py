"""Suppliers: who the shop buys from, and how long they take to deliver.

Writes need stock.adjust: buying stock in is stock control (the same people
receive the goods and count the shelves), while product.edit is about the
catalogue itself. A supplier is archived, never deleted: orders name it.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Product, PurchaseOrder, Supplier
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

MAX_LEAD_DAYS = 365
OPEN_STATUSES = ("draft", "ordered", "partial")  # orders still waiting for goods
_LIMITS = {"name": 64, "contact": 128, "phone": 32, "email": 128, "notes": 2000}


@dataclass(frozen=True)
class SupplierInfo:
    id: int
    name: str
    contact: str
    phone: str
    email: str
    lead_time_days: int
    notes: str
    archived: bool
    products: int = 0  # products naming this supplier (archived ones too)
    open_orders: int = 0  # purchase orders drafted, ordered or part-received


def _text(field: str, value: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > _LIMITS[field]:
        raise ValidationError(_("supplier {field} is at most {LIMITS} characters").format(field=field, LIMITS=_LIMITS[field]))
    if any(not c.isprintable() for c in cleaned) and field != "notes":
        raise ValidationError(_("supplier {field} must be one line of text").format(field=field))
    return cleaned


def _lead_time(days: int) -> int:
    if not 0 <= days <= MAX_LEAD_DAYS:
        raise ValidationError(_("lead time {days} must be 0 to {MAX_LEAD_DAYS} days").format(days=days, MAX_LEAD_DAYS=MAX_LEAD_DAYS))
    return days


def _email(text: str) -> str:
    cleaned = _text("email", text)
    if cleaned and ("@" not in cleaned or " " in cleaned):
        raise ValidationError(_("email {cleaned!r} is not an address like orders@example.com").format(cleaned=cleaned))
    return cleaned


def _name(text: str, *, except_id: int | None = None) -> str:
    name = _text("name", text)
    if not name:
        raise ValidationError(_("a supplier needs a name"))
    clash = Supplier.select().where(fn.LOWER(Supplier.name) == name.lower())
    if except_id is not None:
        clash = clash.where(Supplier.id != except_id)
    if clash.exists():
        raise ValidationError(_("a supplier named {name!r} already exists").format(name=name))
    return name


def find(name: str) -> Supplier:
    """The supplier row by name (exact, else any case); NotFound names the way out."""
    text = name.strip()
    row = Supplier.get_or_none(Supplier.name == text)
    if row is None:
        row = Supplier.select().where(fn.LOWER(Supplier.name) == text.lower()).first()
    if row is None:
        raise NotFound(_("no supplier named {text!r}; see `pos supplier list`").format(text=text))
    return row


def _counts(ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Products and open orders per supplier: two grouped queries, whatever the number of suppliers."""
    if not ids:
        return {}, {}
    products = dict(Product.select(Product.supplier, fn.COUNT(Product.id))
                    .where(Product.supplier.in_(ids)).group_by(Product.supplier).tuples())
    orders = dict(PurchaseOrder.select(PurchaseOrder.supplier, fn.COUNT(PurchaseOrder.id))
                  .where(PurchaseOrder.supplier.in_(ids) & PurchaseOrder.status.in_(OPEN_STATUSES))
                  .group_by(PurchaseOrder.supplier).tuples())
    return products, orders


def _info(row: Supplier, products: dict[int, int], orders: dict[int, int]) -> SupplierInfo:
    return SupplierInfo(row.id, row.name, row.contact, row.phone, row.email, row.lead_time_days, row.notes,
                        row.archived, products.get(row.id, 0), orders.get(row.id, 0))


def list_suppliers(*, include_archived: bool = False) -> list[SupplierInfo]:
    query = Supplier.select().order_by(fn.LOWER(Supplier.name))
    if not include_archived:
        query = query.where(Supplier.archived == False)  # noqa: E712
    rows = list(query)
    products, orders = _counts([r.id for r in rows])
    return [_info(r, products, orders) for r in rows]


def get_supplier(name: str) -> SupplierInfo:
    row = find(name)
    products, orders = _counts([row.id])
    return _info(row, products, orders)


def add_supplier(actor: Actor, name: str, *, contact: str = "", phone: str = "", email: str = "",
                 lead_time_days: int = 7, notes: str = "") -> SupplierInfo:
    require(actor, "stock.adjust")
    values = dict(contact=_text("contact", contact), phone=_text("phone", phone), email=_email(email),
                  lead_time_days=_lead_time(lead_time_days), notes=_text("notes", notes))
    with write_transaction():
        row = Supplier.create(name=_name(name), **values)
        audit.record("supplier.add", actor, row.name, **values)
    return get_supplier(row.name)


def edit_supplier(actor: Actor, name: str, *, new_name: str | None = None, contact: str | None = None,
                  phone: str | None = None, email: str | None = None, lead_time_days: int | None = None,
                  notes: str | None = None) -> SupplierInfo:
    """Change the given fields (None: unchanged); the audit row holds what changed from what."""
    require(actor, "stock.adjust")
    wanted = {
        "contact": None if contact is None else _text("contact", contact),
        "phone": None if phone is None else _text("phone", phone),
        "email": None if email is None else _email(email),
        "lead_time_days": None if lead_time_days is None else _lead_time(lead_time_days),
        "notes": None if notes is None else _text("notes", notes),
    }
    with write_transaction():
        row = find(name)
        if new_name is not None:
            wanted["name"] = _name(new_name, except_id=row.id)
        changes = {k: (getattr(row, k), v) for k, v in wanted.items() if v is not None and getattr(row, k) != v}
        if changes:
            Supplier.update({getattr(Supplier, k): new for k, (_, new) in changes.items()}).where(
                Supplier.id == row.id).execute()
            audit.record("supplier.edit", actor, row.name, **{k: {"from": old, "to": new}
                                                               for k, (old, new) in changes.items()})
    return get_supplier(wanted.get("name") or row.name)


def set_archived(actor: Actor, name: str, archived: bool) -> SupplierInfo:
    """Archive (no new orders to it) or bring back; its orders and products keep naming it."""
    require(actor, "stock.adjust")
    with write_transaction():
        row = find(name)
        if row.archived != archived:
            Supplier.update(archived=archived).where(Supplier.id == row.id).execute()
            audit.record("supplier.archive" if archived else "supplier.unarchive", actor, row.name)
    return get_supplier(row.name)


def assign_products(actor: Actor, name: str, barcodes: list[str]) -> int:
    """Make `name` the usual supplier of these products (its lead time then drives their reorders).

    All or nothing: an unknown barcode assigns none.
    """
    require(actor, "stock.adjust")
    codes = list(dict.fromkeys(code.strip() for code in barcodes if code.strip()))
    if not codes:
        raise ValidationError(_("name at least one product barcode"))
    with write_transaction():
        row = find(name)
        if row.archived:
            raise ValidationError(_("supplier {name} is archived; unarchive it first").format(name=row.name))
        found = {code for (code,) in Product.select(Product.barcode).where(Product.barcode.in_(codes)).tuples()}
        missing = [code for code in codes if code not in found]
        if missing:
            if len(missing) > 1:
                raise NotFound(_("no product with barcode {barcode!r} (and {more} more); nothing was assigned").format(
                    barcode=missing[0], more=len(missing) - 1))
            raise NotFound(_("no product with barcode {barcode!r}; nothing was assigned").format(barcode=missing[0]))
        Product.update(supplier=row.id).where(Product.barcode.in_(codes)).execute()
        audit.record("supplier.assign", actor, row.name, barcodes=codes)
    return len(codes)
