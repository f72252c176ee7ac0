"""Products: looking them up at the till, listing, showing and exporting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Iterable, Sequence

from peewee import JOIN

from pos_tui.config import KEYS
from pos_tui.db.fixed_select import FixedSelect, template_of
from pos_tui.db.models import Category, Product, ProductTag, Supplier, Tag
from pos_tui.domain.barcodes import EmbeddedBarcode, Template, decode, lookup_forms, parse_templates
from pos_tui.domain.cart import CartLine
from pos_tui.domain.scan_input import split_multiplier
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import catalog_search

# The till parses the shop's `barcode.templates` once and passes them in.
DEFAULT_TEMPLATES = tuple(parse_templates(KEYS["barcode.templates"].default))


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
    supplier: str = ""
    updated_at: datetime | None = None  # an edit form's token: a save refuses a row changed since

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
    return (
        Product.select(Product, Category.name.alias("category_name"), Supplier.name.alias("supplier_name"))
        .join(Category, JOIN.LEFT_OUTER, on=(Product.category == Category.id))
        .join_from(Product, Supplier, JOIN.LEFT_OUTER, on=(Product.supplier == Supplier.id))
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
        supplier=getattr(row, "supplier_name", None) or "",
        updated_at=row.updated_at,
    )


def get_product(barcode: str) -> ProductInfo:
    row = _query().where(Product.barcode == barcode.strip()).objects().first()
    if row is None:
        raise NotFound(_("no product with barcode {barcode!r}").format(barcode=barcode.strip()))
    return _info(row, _tags_of([row.id]).get(row.id, ()))


def list_products(search: str = "", *, include_archived: bool = False, limit: int | None = None, offset: int = 0) -> list[ProductInfo]:
    """Products by name; `search` matches part of a name, category or tag (any case), or a barcode's start.

    Search results put names starting with the term first (see catalog_search).
    """
    text = search.strip()
    if text:
        ids = catalog_search.page_ids(text, include_archived=include_archived, limit=limit, offset=offset)
        found = {r.id: r for r in _query().where(Product.id.in_(ids)).objects()} if ids else {}
        rows = [found[i] for i in ids]
    else:
        query = _query()
        if not include_archived:
            query = query.where(Product.archived == False)  # noqa: E712
        query = query.order_by(Product.name, Product.id)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        rows = list(query.objects())
    tags = _tags_of(r.id for r in rows)
    return [_info(r, tags.get(r.id, ())) for r in rows]


def scan(
    code: str, tax_rates: dict[str, Decimal], *, templates: Sequence[Template] = DEFAULT_TEMPLATES
) -> CartLine:
    """What a scanned or typed code adds to the cart.

    `3*CODE` rings up three. The exact catalogue code wins, so PLUs and
    internal codes work; then the forms a GTIN may be filed under, and in-store
    labels by their base code. A malformed code raises ValidationError and a
    valid unknown one NotFound, so the till offers search only where it helps.
    """
    typed, cleaned = split_multiplier(code)
    if not cleaned:
        raise ValidationError(_("scan or type a barcode"))
    row = _active(cleaned)
    embedded = None
    if row is None:
        forms = lookup_forms(cleaned)
        embedded = decode(cleaned, templates)
        row = _first_active((embedded.base_code,) if embedded else forms)
    if row is None:
        raise NotFound(_("not found: {cleaned}").format(cleaned=cleaned))
    qty, price = _qty_and_price(row, embedded, typed, cleaned)
    if row.tax_class not in tax_rates:
        raise ValidationError(_("{name} has tax class {tax_class!r}, which has no rate; set tax.rate.{tax_class}").format(name=row.name, tax_class=row.tax_class))
    return CartLine(
        product_id=row.id,
        barcode=cleaned,
        name=row.name,
        unit_price=price,
        qty=qty,
        tax_class=row.tax_class,
        tax_rate=tax_rates[row.tax_class],
        unit_cost=row.cost,
        weighed=row.unit == "kg",
    )


_CODE = "\x00code"  # where the scanned code goes in the prepared lookup


def _active(barcode: str) -> Product | None:
    """The product filed under exactly `barcode`, from SQL built once (see FixedSelect)."""
    template, params = _active_sql()
    return next(iter(FixedSelect(Product, template, [barcode if p == _CODE else p for p in params])), None)


@cache
def _active_sql() -> tuple[str, list]:
    """The exact-code lookup's template and parameters, `_CODE` where the code goes."""
    return template_of(Product.select().where((Product.barcode == _CODE) & (Product.archived == False)).limit(1))  # noqa: E712


def _first_active(barcodes: Sequence[str]) -> Product | None:
    """The product under the first of `barcodes` the catalogue holds (one query)."""
    if not barcodes:
        return None
    rows = {r.barcode: r for r in Product.select().where(Product.barcode.in_(list(barcodes)) & (Product.archived == False))}  # noqa: E712
    return next((rows[b] for b in barcodes if b in rows), None)


def _qty_and_price(row: Product, embedded: EmbeddedBarcode | None, typed: Decimal | None, code: str) -> tuple[Decimal, int]:
    """Quantity and unit price: a label's weight or price, else the typed `n*`, else one."""
    whole = typed is None or typed == typed.to_integral_value()
    if embedded is not None and embedded.grams is not None:
        if typed is not None:
            raise ValidationError(_("{name} is weighed; its label sets the quantity, not {typed}*").format(name=row.name, typed=typed))
        if embedded.grams <= 0:
            raise ValidationError(_("barcode {code} carries no weight; weigh the item again").format(code=code))
        return embedded.weight_kg, row.price
    if embedded is not None:
        if not whole:
            raise ValidationError(_("a price label is one pack of {name}; use a whole number before *").format(name=row.name))
        return typed or Decimal(1), embedded.price_minor
    if row.unit == "kg":
        if typed is None:
            raise ValidationError(
                _("{name} is sold by weight; scan the label from the scale, or type the kilos before *, like 0.5*").format(name=row.name)
            )
        return typed, row.price
    if not whole:
        raise ValidationError(_("{name} is sold by the piece; use a whole number before *").format(name=row.name))
    return typed or Decimal(1), row.price
