"""Adding, editing and archiving products, one at a time (the CSV import does many).

An edit writes only the columns it changes, with an UPDATE, never the whole
row and never the stock: a sale committed on another lane between loading
the form and saving it keeps its stock change. A form passes the
`updated_at` it loaded; a save over a row changed since is refused, so two
people editing one product never silently overwrite each other.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Sequence

from peewee import fn

from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import AuditLog, Category, Product, ProductTag, Supplier, Tag
from pos_tui.domain.barcodes import validate_gtin
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty, qty_to_milli
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.catalog import ProductInfo, _info, _query, _tags_of, get_product
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require
from pos_tui.services.stock_moves import move

UNITS = ("each", "kg")
NAME_MAX = 128
TAG_MAX = 64
EDITABLE = ("name", "price", "cost", "tax_class", "unit", "category", "tags", "reorder_level", "supplier", "barcode")
MONEY_MAX = 10**14  # parse_money's twelve whole digits, in minor units


class StaleEdit(ValidationError):
    """The product changed since the form was loaded; nothing was saved."""


# --- checks shared by add and edit ------------------------------------------------------------------


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError(_("the product name is empty; type a name"))
    if len(cleaned) > NAME_MAX:
        raise ValidationError(_("the product name is longer than {NAME_MAX} characters").format(NAME_MAX=NAME_MAX))
    return cleaned


def check_money(value: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(_("{what} must be whole minor units (cents), not {type}").format(what=what, type=type(value).__name__))
    if value < 0:
        raise ValidationError(_("{what} {value} must not be negative").format(what=what, value=format_money(value)))
    if value >= MONEY_MAX:
        raise ValidationError(_("{what} {value} is too large").format(what=what, value=format_money(value)))
    return value


def check_qty(value: Decimal, what: str) -> Decimal:
    value = Decimal(value)
    if not value.is_finite() or value < 0:
        raise ValidationError(_("{what} {value} must not be negative").format(what=what, value=value))
    qty_to_milli(value)  # more than three decimals is refused with its own message
    if value >= 10**9:
        raise ValidationError(_("{what} {value} is too large").format(what=what, value=value))
    return value


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValidationError(_("unit {unit!r} must be each or kg").format(unit=unit))
    return unit


def check_tax_class(tax_class: str, tax_classes: set[str] | None) -> str:
    cleaned = tax_class.strip()
    if not cleaned or len(cleaned) > 32:
        raise ValidationError(_("a tax class is 1 to 32 characters, like standard"))
    if tax_classes is not None and cleaned not in tax_classes:
        raise ValidationError(_("unknown tax class {cleaned!r}; use one of {tax_classes}").format(cleaned=cleaned, tax_classes=', '.join(sorted(tax_classes))))
    return cleaned


def check_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags as the import keeps them: trimmed, lower case, each once, sorted."""
    if isinstance(tags, str):
        tags = (tags,)
    found = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    for tag in found:
        if len(tag) > TAG_MAX:
            raise ValidationError(_("tag {tag!r}… is longer than {TAG_MAX} characters").format(tag=tag[:20], TAG_MAX=TAG_MAX))
        if ";" in tag:
            raise ValidationError(_("tag {tag!r} may not contain ';' (it separates tags in the CSV)").format(tag=tag))
    return tuple(found)


def _product_row(barcode: str) -> Product:
    row = Product.get_or_none(Product.barcode == barcode.strip())
    if row is None:
        raise NotFound(_("no product with barcode {barcode!r}; see `pos product list`").format(barcode=barcode.strip()))
    return row


def _barcode_free(code: str, own_id: int | None = None) -> None:
    other = Product.get_or_none(Product.barcode == code)
    if other is not None and other.id != own_id:
        if other.archived:
            raise ValidationError(_("barcode {code} is already used by {name!r} (archived); edit that product instead")
                                  .format(code=code, name=other.name))
        raise ValidationError(_("barcode {code} is already used by {name!r}; edit that product instead").format(
            code=code, name=other.name))


def _category_id(name: str, hint: str = "") -> int | None:
    """The category called `name` (exact, else the one matching in any case); "" is none."""
    cleaned = name.strip()
    if not cleaned:
        return None
    row = Category.get_or_none(Category.name == cleaned)
    if row is None:
        matches = list(Category.select().where(fn.LOWER(Category.name) == cleaned.lower()).limit(2))
        row = matches[0] if len(matches) == 1 else None
    if row is None:
        hint = hint or _("create it first with `pos category add {name!r}`").format(name=cleaned)
        raise ValidationError(_("no category {cleaned!r}; {hint}").format(cleaned=cleaned, hint=hint))
    return row.id


def _supplier_id(name: str) -> int | None:
    cleaned = name.strip()
    if not cleaned:
        return None
    row = Supplier.get_or_none(Supplier.name == cleaned)
    if row is None:
        matches = list(Supplier.select().where(fn.LOWER(Supplier.name) == cleaned.lower()).limit(2))
        row = matches[0] if len(matches) == 1 else None
    if row is None:
        raise ValidationError(_("no supplier {cleaned!r}; add it first with `pos supplier add {cleaned!r}`").format(cleaned=cleaned))
    if row.archived:
        raise ValidationError(_("supplier {name!r} is archived; unarchive it or pick another supplier").format(name=row.name))
    return row.id


def _set_tags(product_id: int, tags: tuple[str, ...]) -> None:
    """Make the product's tags exactly `tags`, creating tags not yet known."""
    ProductTag.delete().where(ProductTag.product == product_id).execute()
    for name in tags:
        tag, _ = Tag.get_or_create(name=name)
        ProductTag.create(product=product_id, tag=tag)


def _next_stamp(previous: datetime | None) -> datetime:
    """Now, but always later than the row's last stamp, so every change gives the form a new token."""
    now = utc_now()
    if previous is not None and now <= previous:
        return previous + timedelta(microseconds=1)
    return now


# --- commands ----------------------------------------------------------------------------------------


def add_product(
    actor: Actor, *, barcode: str, name: str, price: int, cost: int = 0, tax_class: str = "standard",
    unit: str = "each", category: str = "", tags: Sequence[str] = (), reorder_level: Decimal = Decimal(0),
    supplier: str = "", stock: Decimal = Decimal(0), tax_classes: set[str] | None = None,
) -> ProductInfo:
    """A new product; its opening stock is a `receive` move, so stock = sum of moves from the start."""
    require(actor, "product.edit")
    code = validate_gtin(barcode)
    name = check_name(name)
    price, cost = check_money(price, _("price")), check_money(cost, _("cost"))
    tax_class, unit = check_tax_class(tax_class, tax_classes), check_unit(unit)
    reorder_level, stock = check_qty(reorder_level, _("reorder level")), check_qty(stock, _("opening stock"))
    if unit == "each" and stock != stock.to_integral_value():
        raise ValidationError(_("opening stock {stock} of a product sold by the piece must be a whole number").format(stock=stock))
    tags = check_tags(tags)
    with write_transaction():
        _barcode_free(code)
        category_id, supplier_id = _category_id(category), _supplier_id(supplier)
        now = utc_now()
        row = Product.create(
            barcode=code, name=name, price=price, cost=cost, tax_class=tax_class, unit=unit, category=category_id,
            supplier=supplier_id, stock=0, reorder_level=reorder_level, created_at=now, updated_at=now,
        )
        _set_tags(row.id, tags)
        move(row.id, stock, "receive", "opening stock", actor)
        audit.record("product.add", actor, code, name=name, price=format_money(price), cost=format_money(cost),
                     stock=format_qty(stock))
    return get_product(code)


def edit_product(actor: Actor, barcode: str, /, *, expected_updated_at: datetime | None = None,
                 tax_classes: set[str] | None = None, **changes: Any) -> ProductInfo:
    """Change some of a product's fields (see EDITABLE); `barcode=` gives it a new code
    (the product's current code is positional only, so the two never clash).

    Only fields that differ are written. With `expected_updated_at` (the
    value the form loaded) a product changed since is refused: StaleEdit.
    """
    require(actor, "product.edit")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(_("cannot edit {unknown}; a product's fields are {EDITABLE}").format(unknown=', '.join(unknown), EDITABLE=', '.join(EDITABLE)))
    wanted = _checked(changes, tax_classes)
    with write_transaction():
        row = _product_row(barcode)
        # The stamp exactly as stored (no round trip through datetime), for the guarded UPDATE below.
        stored_stamp = Product.select(fn.TRIM(Product.updated_at).coerce(False)).where(
            Product.id == row.id).scalar()
        if expected_updated_at is not None and row.updated_at != expected_updated_at:
            raise _stale(row, expected_updated_at)
        columns, diff = _differences(row, wanted)
        tags_now = _tags_of([row.id]).get(row.id, ())
        new_tags = wanted.get("tags")
        if new_tags is not None and new_tags != tags_now:
            diff["tags"] = [", ".join(tags_now), ", ".join(new_tags)]
        if not diff:
            return get_product(row.barcode)
        stamp = _next_stamp(row.updated_at)
        query = Product.update(**columns, updated_at=stamp).where(
            (Product.id == row.id) & (Product.updated_at == stored_stamp))
        if query.execute() != 1:  # another lane changed it between our read and write (PostgreSQL)
            raise _stale(row, expected_updated_at)
        if "tags" in diff:
            _set_tags(row.id, new_tags)
        code = columns.get("barcode", row.barcode)
        audit.record("product.edit", actor, code, changes=diff)
    return get_product(code)


def _checked(changes: dict[str, Any], tax_classes: set[str] | None) -> dict[str, Any]:
    """Every changed value checked (before the transaction), as the column will hold it."""
    checks = {
        "name": check_name,
        "price": lambda v: check_money(v, _("price")),
        "cost": lambda v: check_money(v, _("cost")),
        "tax_class": lambda v: check_tax_class(v, tax_classes),
        "unit": check_unit,
        "reorder_level": lambda v: check_qty(v, _("reorder level")),
        "tags": check_tags,
        "barcode": validate_gtin,
        "category": lambda v: (v or "").strip(),
        "supplier": lambda v: (v or "").strip(),
    }
    return {key: checks[key](value) for key, value in changes.items()}


def _differences(row: Product, wanted: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The columns to write and, for the audit, each changed field's old and new value."""
    columns: dict[str, Any] = {}
    diff: dict[str, list[str]] = {}
    for key in ("name", "tax_class", "unit", "barcode"):
        if key in wanted and wanted[key] != getattr(row, key):
            columns[key] = wanted[key]
            diff[key] = [getattr(row, key), wanted[key]]
    if "barcode" in columns:
        _barcode_free(columns["barcode"], row.id)
    for key in ("price", "cost"):
        if key in wanted and wanted[key] != getattr(row, key):
            columns[key] = wanted[key]
            diff[key] = [format_money(getattr(row, key)), format_money(wanted[key])]
    if "reorder_level" in wanted and wanted["reorder_level"] != row.reorder_level:
        columns["reorder_level"] = wanted["reorder_level"]
        diff["reorder_level"] = [format_qty(row.reorder_level), format_qty(wanted["reorder_level"])]
    for key, model, lookup in (("category", Category, _category_id), ("supplier", Supplier, _supplier_id)):
        if key not in wanted:
            continue
        new_id, old_id = lookup(wanted[key]), getattr(row, f"{key}_id")
        if new_id != old_id:
            columns[key] = new_id
            names = dict(model.select(model.id, model.name).where(model.id.in_([i for i in (old_id, new_id) if i])).tuples())
            diff[key] = [names.get(old_id, ""), names.get(new_id, "")]
    return columns, diff


def _stale(row: Product, since: datetime | None) -> StaleEdit:
    """Who changed the product since the form loaded it, as far as the audit tells."""
    query = AuditLog.select(AuditLog.username, AuditLog.os_user).where(
        (AuditLog.target == row.barcode) & (AuditLog.action.startswith("product.")))
    if since is not None:
        query = query.where(AuditLog.created_at > AuditLog.created_at.db_value(since))
    last = query.order_by(AuditLog.id.desc()).first()
    who = (_("by {name}").format(name=last.username or last.os_user) if last is not None and (last.username or last.os_user)
           else _("elsewhere"))
    return StaleEdit(_("{name} ({barcode}) was changed {who} since you opened it; nothing was saved: reload it and "
                       "make your change again").format(name=row.name, barcode=row.barcode, who=who))


def archive_product(actor: Actor, barcode: str) -> ProductInfo:
    """Delist: the till no longer sells it; its history and stock stay."""
    return _set_archived(actor, barcode, True)


def unarchive_product(actor: Actor, barcode: str) -> ProductInfo:
    return _set_archived(actor, barcode, False)


def _set_archived(actor: Actor, barcode: str, archived: bool) -> ProductInfo:
    require(actor, "product.edit")
    with write_transaction():
        row = _product_row(barcode)
        if row.archived == archived:
            message = (_("{name} ({barcode}) is already archived; nothing changed") if archived else
                       _("{name} ({barcode}) is already not archived; nothing changed"))
            raise ValidationError(message.format(name=row.name, barcode=row.barcode))
        Product.update(archived=archived, updated_at=_next_stamp(row.updated_at)).where(Product.id == row.id).execute()
        audit.record("product.archive" if archived else "product.unarchive", actor, row.barcode, name=row.name)
    return get_product(row.barcode)


# --- reading, with the filters the CLI and the products screen offer ---------------------------------


def find_products(search: str = "", *, category: str = "", tag: str = "", low: bool = False,
                  include_archived: bool = False, limit: int | None = None, offset: int = 0) -> list[ProductInfo]:
    """Products by name, narrowed by text (as catalog.list_products), category (with its subcategories),
    tag and low stock (a reorder level set and stock at or below it)."""
    from pos_tui.services import catalog_search

    query = _query()
    if not include_archived:
        query = query.where(Product.archived == False)  # noqa: E712
    if category.strip():
        top = _category_id(category, _("see `pos category list`"))
        query = query.where(Product.category.in_(Category.select(Category.id).where(
            (Category.id == top) | (Category.parent == top))))
    if tag.strip():
        wanted = check_tags([tag])
        known = Tag.get_or_none(Tag.name == wanted[0]) if wanted else None
        if known is None:
            raise ValidationError(_("no tag {tag!r}; see `pos tag list`").format(tag=tag.strip()))
        query = query.where(Product.id.in_(ProductTag.select(ProductTag.product).where(ProductTag.tag == known.id)))
    if low:
        query = query.where((Product.reorder_level > 0) & (Product.stock <= Product.reorder_level))
    text = search.strip()
    if text:
        ids = catalog_search.page_ids(text, include_archived=include_archived)
        found = {r.id: r for r in _in_chunks(query, ids)}
        rows = [found[i] for i in ids if i in found]
        rows = rows[offset:] if limit is None else rows[offset:offset + limit]
    else:
        query = query.order_by(Product.name, Product.id)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        rows = list(query.objects())
    tags = _tags_of(r.id for r in rows)
    return [_info(r, tags.get(r.id, ())) for r in rows]


def _in_chunks(query, ids: list[int], size: int = 500) -> list[Product]:
    """The query's rows among `ids`, a chunk at a time (SQLite caps bound parameters)."""
    rows: list[Product] = []
    for start in range(0, len(ids), size):
        rows += list(query.where(Product.id.in_(ids[start:start + size])).objects())
    return rows
