"""Tags: free labels on products ("organic", "local"), many per product.

Names are kept as the import keeps them: trimmed and lower case, so
"Organic" and "organic" are one tag. Changing a product's tags counts as
changing the product: its `updated_at` moves on, so an edit form opened
before is refused rather than putting the old tags back.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Product, ProductTag, Tag
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require
from pos_tui.services.products import _next_stamp, _product_row, check_tags


@dataclass(frozen=True)
class TagInfo:
    id: int
    name: str
    products: int  # products carrying it, archived ones included


def _name(text: str) -> str:
    names = check_tags([text])
    if not names:
        raise ValidationError(_("a tag name is empty; type a name"))
    return names[0]


def _row(text: str) -> Tag:
    row = Tag.get_or_none(Tag.name == text.strip().lower())
    if row is None:
        raise NotFound(_("no tag {text!r}; see `pos tag list`").format(text=text.strip()))
    return row


def _info(row: Tag) -> TagInfo:
    return TagInfo(row.id, row.name, ProductTag.select().where(ProductTag.tag == row.id).count())


def _touch(tag_id: int) -> None:
    """Products carrying the tag count as changed (see the module's note)."""
    tagged = ProductTag.select(ProductTag.product).where(ProductTag.tag == tag_id)
    Product.update(updated_at=utc_now()).where(Product.id.in_(tagged)).execute()


def list_tags() -> list[TagInfo]:
    """Every tag by name, with how many products carry it."""
    query = (Tag.select(Tag.id, Tag.name, fn.COUNT(ProductTag.id).alias("uses"))
             .join(ProductTag, JOIN.LEFT_OUTER).group_by(Tag.id, Tag.name).order_by(Tag.name))
    return [TagInfo(row.id, row.name, row.uses) for row in query.objects()]


def get_tag(name: str) -> TagInfo:
    return _info(_row(name))


def add_tag(actor: Actor, name: str) -> TagInfo:
    require(actor, "product.edit")
    cleaned = _name(name)
    with write_transaction():
        if Tag.get_or_none(Tag.name == cleaned) is not None:
            raise ValidationError(_("there is already a tag {cleaned!r}").format(cleaned=cleaned))
        row = Tag.create(name=cleaned)
        audit.record("tag.add", actor, cleaned)
    return _info(row)


def rename_tag(actor: Actor, old: str, new: str) -> TagInfo:
    require(actor, "product.edit")
    cleaned = _name(new)
    with write_transaction():
        row = _row(old)
        if cleaned == row.name:
            raise ValidationError(_("the tag is already called {cleaned!r}; nothing changed").format(cleaned=cleaned))
        if Tag.get_or_none(Tag.name == cleaned) is not None:
            raise ValidationError(_("there is already a tag {cleaned!r}; delete one of them first").format(cleaned=cleaned))
        Tag.update(name=cleaned).where(Tag.id == row.id).execute()
        _touch(row.id)
        audit.record("tag.rename", actor, cleaned, old=row.name)
    return get_tag(cleaned)


def delete_tag(actor: Actor, name: str) -> int:
    """Take the tag off every product and delete it; returns how many products carried it."""
    require(actor, "product.edit")
    with write_transaction():
        row = _row(name)
        _touch(row.id)
        removed = ProductTag.delete().where(ProductTag.tag == row.id).execute()
        Tag.delete().where(Tag.id == row.id).execute()
        audit.record("tag.delete", actor, row.name, products=removed)
    return removed


def assign_tag(actor: Actor, barcode: str, name: str) -> TagInfo:
    """Put a tag on a product; a tag not yet known is created, as the import does."""
    require(actor, "product.edit")
    cleaned = _name(name)
    with write_transaction():
        product = _product_row(barcode)
        tag, _created = Tag.get_or_create(name=cleaned)
        if ProductTag.select().where((ProductTag.product == product.id) & (ProductTag.tag == tag.id)).exists():
            raise ValidationError(_("{name} ({barcode}) already has tag {cleaned!r}; nothing changed").format(name=product.name, barcode=product.barcode, cleaned=cleaned))
        ProductTag.create(product=product.id, tag=tag.id)
        Product.update(updated_at=_next_stamp(product.updated_at)).where(Product.id == product.id).execute()
        audit.record("tag.assign", actor, product.barcode, tag=cleaned)
    return get_tag(cleaned)


def unassign_tag(actor: Actor, barcode: str, name: str) -> TagInfo:
    require(actor, "product.edit")
    with write_transaction():
        product = _product_row(barcode)
        tag = _row(name)
        removed = ProductTag.delete().where((ProductTag.product == product.id) & (ProductTag.tag == tag.id)).execute()
        if not removed:
            raise ValidationError(_("{name} ({barcode}) has no tag {name2!r}; nothing changed").format(name=product.name, barcode=product.barcode, name2=tag.name))
        Product.update(updated_at=_next_stamp(product.updated_at)).where(Product.id == product.id).execute()
        audit.record("tag.unassign", actor, product.barcode, tag=tag.name)
    return get_tag(tag.name)
