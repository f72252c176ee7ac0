"""Product categories, two levels deep: "Drinks" and under it "Hot drinks", no further.

Two levels keep the till's filter and the reports readable. A category is
deleted only when nothing uses it (no products, archived ones included, and no
subcategories), so no product ever loses its place silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Category, Product
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

NAME_MAX = 64


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    parent: str  # "" for a top-level category
    products: int  # products filed directly under it, archived ones included
    children: tuple[str, ...] = ()


def list_categories() -> list[CategoryInfo]:
    """Every category, each top-level one followed by its subcategories, by name."""
    counts = dict(Product.select(Product.category, fn.COUNT(Product.id)).where(Product.category.is_null(False))
                  .group_by(Product.category).tuples())
    parent = Category.alias()
    rows = list(Category.select(Category.id, Category.name, Category.parent, parent.name.alias("parent_name"))
                .join(parent, JOIN.LEFT_OUTER, on=(Category.parent == parent.id)).objects())
    children: dict[int, list[str]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row.name)
    infos = {row.id: CategoryInfo(row.id, row.name, row.parent_name or "", counts.get(row.id, 0),
                                  tuple(sorted(children.get(row.id, []), key=str.casefold))) for row in rows}
    ordered: list[CategoryInfo] = []
    for top in sorted((i for i in infos.values() if not i.parent), key=lambda i: i.name.casefold()):
        ordered.append(top)
        ordered += sorted((i for i in infos.values() if i.parent == top.name), key=lambda i: i.name.casefold())
    return ordered


def get_category(name: str) -> CategoryInfo:
    row = _row(name)
    return next(info for info in list_categories() if info.id == row.id)


def _row(name: str) -> Category:
    cleaned = name.strip()
    row = Category.get_or_none(Category.name == cleaned)
    if row is None:
        raise NotFound(_("no category {cleaned!r}; see `pos category list`").format(cleaned=cleaned))
    return row


def _check_name(name: str, own_id: int | None = None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError(_("a category name is empty; type a name"))
    if len(cleaned) > NAME_MAX:
        raise ValidationError(_("category name {cleaned!r}… is longer than {NAME_MAX} characters").format(cleaned=cleaned[:20], NAME_MAX=NAME_MAX))
    clash = Category.get_or_none(fn.LOWER(Category.name) == cleaned.lower())
    if clash is not None and clash.id != own_id:
        raise ValidationError(_("there is already a category {name!r}; pick another name").format(name=clash.name))
    return cleaned


def _parent_for(parent: str, child: Category | None = None) -> Category:
    """The parent a category may go under: a top-level one, and not the category itself."""
    row = _row(parent)
    if child is not None and row.id == child.id:
        raise ValidationError(_("{name!r} cannot be its own parent").format(name=child.name))
    if row.parent_id is not None:
        raise ValidationError(
            _("{name!r} is itself under {name2!r}; categories go two levels deep, so pick a top-level parent").format(name=row.name, name2=row.parent.name))
    return row


def add_category(actor: Actor, name: str, parent: str = "") -> CategoryInfo:
    require(actor, "product.edit")
    with write_transaction():
        cleaned = _check_name(name)
        parent_row = _parent_for(parent) if parent.strip() else None
        row = Category.create(name=cleaned, parent=parent_row)
        audit.record("category.add", actor, cleaned, parent=parent_row.name if parent_row else "")
    return get_category(row.name)


def rename_category(actor: Actor, old: str, new: str) -> CategoryInfo:
    require(actor, "product.edit")
    with write_transaction():
        row = _row(old)
        cleaned = _check_name(new, row.id)
        if cleaned == row.name:
            raise ValidationError(_("the category is already called {cleaned!r}; nothing changed").format(cleaned=cleaned))
        Category.update(name=cleaned).where(Category.id == row.id).execute()
        audit.record("category.rename", actor, cleaned, old=row.name)
    return get_category(cleaned)


def move_category(actor: Actor, name: str, parent: str | None) -> CategoryInfo:
    """Put a category under `parent`, or at the top with None."""
    require(actor, "product.edit")
    with write_transaction():
        row = _row(name)
        parent_row = _parent_for(parent, row) if parent and parent.strip() else None
        if parent_row is not None and Category.select().where(Category.parent == row.id).exists():
            raise ValidationError(
                _("{name!r} has subcategories; categories go two levels deep, so move or delete those first").format(name=row.name))
        if (parent_row.id if parent_row else None) == row.parent_id:
            if parent_row:
                raise ValidationError(_("{name!r} is already under {parent!r}; nothing changed").format(
                    name=row.name, parent=parent_row.name))
            raise ValidationError(_("{name!r} is already at the top; nothing changed").format(name=row.name))
        old = row.parent.name if row.parent_id else ""
        Category.update(parent=parent_row).where(Category.id == row.id).execute()
        audit.record("category.move", actor, row.name, old_parent=old, parent=parent_row.name if parent_row else "")
    return get_category(row.name)


def delete_category(actor: Actor, name: str) -> None:
    """Only an unused category: no products (archived ones count) and no subcategories."""
    require(actor, "product.edit")
    with write_transaction():
        row = _row(name)
        products = Product.select().where(Product.category == row.id).count()
        if products:
            raise ValidationError(
                _("category {name!r} has {products} product(s), archived ones included; move them to another "
                  "category first").format(name=row.name, products=products))
        children = [c.name for c in Category.select(Category.name).where(Category.parent == row.id)]
        if children:
            raise ValidationError(
                _("category {name!r} has subcategories ({children}); move or delete them first").format(name=row.name, children=', '.join(sorted(children))))
        Category.delete().where(Category.id == row.id).execute()
        audit.record("category.delete", actor, row.name)
