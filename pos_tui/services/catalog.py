"""Products: looking them up at the till, listing, showing and exporting."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from peewee import JOIN, fn

from pos_tui.db.models import Category, Product, ProductTag, Tag
from pos_tui.domain.barcodes import is_valid_gtin, parse_embedded
from pos_tui.domain.cart import CartLine
from pos_tui.errors import NotFound, ValidationError


@dataclass(frozen=True)
class ProductInfo:
    id: int
    barcode: str
    name: str
    price: int
    cost: int
    tax_class: str
    unit: str
    category: str
    stock: Decimal
    reorder_level: Decimal
    archived: bool
    tags: tuple[str, ...] = ()

    @property
    def weighed(self) -> bool:
        return self.unit == "kg"


def _tags_of(product_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    ids = list(product_ids)
    found: dict[int, list[str]] = {}
    if not ids:
        return {}
    query = (
        ProductTag.select(ProductTag.product, Tag.name)
        .join(Tag)
        .where(ProductTag.product.in_(ids))
        .order_by(Tag.name)
        .tuples()
    )
    for product_id, name in query:
        found.setdefault(product_id, []).append(name)
    return {pid: tuple(names) for pid, names in found.items()}


def _query():
    return Product.select(Product, Category.name.alias("category_name")).join(
        Category, JOIN.LEFT_OUTER, on=(Product.category == Category.id)
    )


def _info(row: Product, tags: tuple[str, ...] = ()) -> ProductInfo:
    return ProductInfo(
        id=row.id,
        barcode=row.barcode,
        name=row.name,
        price=row.price,
        cost=row.cost,
        tax_class=row.tax_class,
        unit=row.unit,
        category=getattr(row, "category_name", None) or "",
        stock=row.stock,
        reorder_level=row.reorder_level,
        archived=row.archived,
        tags=tags,
    )


def get_product(barcode: str) -> ProductInfo:
    row = _query().where(Product.barcode == barcode.strip()).objects().first()
    if row is None:
        raise NotFound(f"no product with barcode {barcode.strip()!r}")
    return _info(row, _tags_of([row.id]).get(row.id, ()))


def list_products(search: str = "", *, include_archived: bool = False, limit: int | None = None, offset: int = 0) -> list[ProductInfo]:
    """Products by name; `search` matches part of a name, category or tag (any case), or a barcode's start."""
    query = _query()
    if not include_archived:
        query = query.where(Product.archived == False)  # noqa: E712
    text = search.strip()
    if text:
        pattern = f"%{text}%"
        # Categories and tags are few: match them first, then test each product once.
        tagged = ProductTag.select(ProductTag.product).join(Tag).where(Tag.name ** pattern)
        in_category = Category.select(Category.id).where(Category.name ** pattern)
        query = query.where(
            (Product.name ** pattern)
            | (Product.barcode.startswith(text))
            | (Product.category.in_(in_category))
            | (Product.id.in_(tagged))
        )
        # Sort the matches rather than walk the name index: a rare term would
        # otherwise visit every row in name order before LIMIT is met.
        query = query.order_by(fn.LOWER(Product.name), Product.id)
    else:
        query = query.order_by(Product.name, Product.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = list(query.objects())
    tags = _tags_of(r.id for r in rows)
    return [_info(r, tags.get(r.id, ())) for r in rows]


def scan(code: str, tax_rates: dict[str, Decimal]) -> CartLine:
    """What a scanned or typed code adds to the cart.

    Exact barcodes first; then in-store weight/price codes (21…/22…) by their
    base code. Unknown or malformed codes raise NotFound and add nothing.
    """
    cleaned = code.strip()
    if not cleaned:
        raise ValidationError("scan or type a barcode")
    row = Product.get_or_none((Product.barcode == cleaned) & (Product.archived == False))  # noqa: E712
    qty = Decimal(1)
    price = None
    if row is None:
        embedded = parse_embedded(cleaned)
        if embedded is not None:
            row = Product.get_or_none((Product.barcode == embedded.base_code) & (Product.archived == False))  # noqa: E712
            if row is not None and embedded.grams is not None:
                if embedded.grams <= 0:
                    raise ValidationError(f"barcode {cleaned} carries no weight; weigh the item again")
                qty = embedded.weight_kg
            elif row is not None:
                price = embedded.price_minor
    if row is None:
        hint = "" if cleaned.isdigit() and is_valid_gtin(cleaned) else " (not a valid barcode)"
        raise NotFound(f"not found: {cleaned}{hint}")
    if row.unit == "kg" and qty == 1 and price is None and cleaned == row.barcode:
        raise ValidationError(f"{row.name} is sold by weight; scan the label from the scale")
    if row.tax_class not in tax_rates:
        raise ValidationError(f"{row.name} has tax class {row.tax_class!r}, which has no rate; set tax.rate.{row.tax_class}")
    return CartLine(
        product_id=row.id,
        barcode=cleaned,
        name=row.name,
        unit_price=price if price is not None else row.price,
        qty=qty,
        tax_class=row.tax_class,
        tax_rate=tax_rates[row.tax_class],
        unit_cost=row.cost,
        weighed=row.unit == "kg",
    )
