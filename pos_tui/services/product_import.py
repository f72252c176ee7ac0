"""Product CSV import and export: all or nothing, every bad row reported.

Columns: barcode,name,price required; category,cost,stock,tax_class,
reorder_level,tags (separated by ';'),unit (each|kg) optional. The export
writes the same columns, so a file round-trips.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Category, Product, ProductTag, StockMove, Tag
from pos_tui.domain.barcodes import validate_gtin
from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import ImportRejected, PosError, ValidationError
from pos_tui.services import audit
from pos_tui.services.catalog import list_products
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

REQUIRED = ("barcode", "name", "price")
OPTIONAL = ("category", "cost", "stock", "tax_class", "reorder_level", "tags", "unit")
COLUMNS = REQUIRED + OPTIONAL
UNITS = ("each", "kg")


@dataclass(frozen=True)
class ProductRow:
    line: int
    barcode: str
    name: str
    price: int
    present: frozenset[str]
    category: str = ""
    cost: int = 0
    stock: Decimal = Decimal(0)
    tax_class: str = "standard"
    reorder_level: Decimal = Decimal(0)
    tags: tuple[str, ...] = ()
    unit: str = "each"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    stock_moves: int
    dry_run: bool


def read_csv(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(f"no file {path}") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"{path} is not UTF-8 text (line {line}, byte {exc.start}); save it as UTF-8 CSV"
        ) from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}") from None


def _parse_row(line: int, raw: dict[str, str], tax_classes: set[str]) -> ProductRow:
    """One row, or a ValidationError listing everything wrong with it."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    # An empty cell keeps an existing product's value, except category and
    # tags, where an empty cell means none.
    present = frozenset(
        k for k, v in raw.items()
        if k in OPTIONAL and v is not None and (k in ("category", "tags") or v.strip())
    )

    def field(name: str, parse) -> None:
        text = (raw.get(name) or "").strip()
        if name not in REQUIRED and not text:
            return
        try:
            values[name] = parse(text)
        except PosError as exc:
            problems.append(str(exc))

    field("barcode", validate_gtin)
    field("name", lambda t: t if t else _fail("name is empty"))
    field("price", lambda t: parse_money(t, what="price"))
    field("cost", lambda t: parse_money(t, what="cost"))
    # Stock may be below zero when the till sold more than was counted; an
    # export of such a product must import back.
    field("stock", lambda t: parse_qty(t, what="stock", allow_negative=True))
    field("reorder_level", lambda t: parse_qty(t, what="reorder_level"))
    field("category", lambda t: t if len(t) <= 64 else _fail("category is longer than 64 characters"))
    field("tax_class", lambda t: t if t in tax_classes else _fail(
        f"unknown tax class {t!r}; use one of {', '.join(sorted(tax_classes))}"))
    field("unit", lambda t: t if t in UNITS else _fail(f"unit {t!r} must be each or kg"))
    field("tags", _parse_tags)
    if len(values.get("name", "")) > 128:
        problems.append("name is longer than 128 characters")
    if problems:
        raise ValidationError("; ".join(problems))
    return ProductRow(line=line, present=present, **values)


def _parse_tags(text: str) -> tuple[str, ...]:
    tags = tuple(sorted({tag.strip().lower() for tag in text.split(";") if tag.strip()}))
    for tag in tags:
        if len(tag) > 64:  # the tag table's column width
            raise ValidationError(f"tag {tag[:20]!r}… is longer than 64 characters")
    return tags


def _fail(message: str):
    raise ValidationError(message)


def parse_products(text: str, tax_classes: set[str]) -> list[ProductRow]:
    """Every row checked; ImportRejected lists each bad row with its line number."""
    # strict: an unclosed quote is an error, not a field that swallows the rows after it.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ValidationError("the CSV file is empty; it needs a header line: " + ",".join(REQUIRED))
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise ValidationError(f"line 1: {'; '.join(parts)}; columns are {','.join(COLUMNS)}")
    reader.fieldnames = header
    rows: list[ProductRow] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    line = 1
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                problems.append(f"line {line}: more fields than the header has")
                continue
            if all(not (v or "").strip() for v in raw.values()):
                continue
            try:
                row = _parse_row(line, raw, tax_classes)
            except ValidationError as exc:
                problems.append(f"line {line}: {exc}")
                continue
            if row.barcode in first_line:
                problems.append(f"line {line}: barcode {row.barcode} repeats line {first_line[row.barcode]}")
                continue
            first_line[row.barcode] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(f"line {line + 1}: broken CSV ({exc})")
    if problems:
        raise ImportRejected(problems)
    return rows


def import_products(actor: Actor, rows: list[ProductRow], *, dry_run: bool = False, source: str = "") -> ImportResult:
    require(actor, "product.edit")
    """Create or update every row in one transaction; changed stock writes a move."""
    created = updated = unchanged = moves = 0
    with write_transaction():
        existing = {
            p.barcode: p for p in Product.select().where(Product.barcode.in_([r.barcode for r in rows]))
        } if rows else {}
        categories = {c.name: c for c in Category.select()}
        tags = {t.name: t for t in Tag.select()}
        now = utc_now()
        for row in rows:
            product = existing.get(row.barcode)
            if product is None:
                created += 1
                moves += row.stock != 0
            else:
                changed = _changes(product, row, categories)
                stock_changed = "stock" in row.present and product.stock != row.stock
                moves += stock_changed
                if changed or stock_changed or "tags" in row.present:
                    updated += 1
                else:
                    unchanged += 1
        if dry_run:
            return ImportResult(created, updated, unchanged, moves, True)
        for row in rows:
            category = None
            if row.category:
                category = categories.get(row.category) or Category.create(name=row.category)
                categories[row.category] = category
            product = existing.get(row.barcode)
            if product is None:
                product = Product.create(
                    barcode=row.barcode, name=row.name, price=row.price, cost=row.cost, tax_class=row.tax_class,
                    unit=row.unit, category=category, stock=row.stock, reorder_level=row.reorder_level,
                    created_at=now, updated_at=now,
                )
                if row.stock != 0:
                    StockMove.create(product=product, delta=row.stock, reason="import", reference=source[:64],
                                     user=actor.user_id, os_user=actor.os_user, created_at=now)
            else:
                delta = row.stock - product.stock if "stock" in row.present else Decimal(0)
                product.name, product.price = row.name, row.price
                for name in ("cost", "tax_class", "reorder_level", "unit"):
                    if name in row.present:
                        setattr(product, name, getattr(row, name))
                if "category" in row.present:
                    product.category = category
                if delta:
                    product.stock = row.stock
                    StockMove.create(product=product, delta=delta, reason="import", reference=source[:64],
                                     user=actor.user_id, os_user=actor.os_user, created_at=now)
                product.updated_at = now
                product.save()
            if "tags" in row.present:
                ProductTag.delete().where(ProductTag.product == product).execute()
                for name in row.tags:
                    tag = tags.get(name) or Tag.create(name=name)
                    tags[name] = tag
                    ProductTag.create(product=product, tag=tag)
        audit.record("product.import", actor, source, created=created, updated=updated, stock_moves=moves)
    return ImportResult(created, updated, unchanged, moves, False)


def _changes(product: Product, row: ProductRow, categories: dict[str, Category]) -> bool:
    if product.name != row.name or product.price != row.price:
        return True
    for name in ("cost", "tax_class", "reorder_level", "unit"):
        if name in row.present and getattr(product, name) != getattr(row, name):
            return True
    if "category" in row.present:
        if row.category and row.category not in categories:
            return True
        current = categories.get(row.category)
        if (current.id if current else None) != product.category_id:
            return True
    return False


def export_rows() -> list[dict[str, str]]:
    """Every product (archived too) as CSV-ready strings in the import's columns."""
    return [
        {
            "barcode": p.barcode,
            "name": p.name,
            "price": format_money(p.price),
            "category": p.category,
            "cost": format_money(p.cost),
            "stock": format_qty(p.stock),
            "tax_class": p.tax_class,
            "reorder_level": format_qty(p.reorder_level),
            "tags": ";".join(p.tags),
            "unit": p.unit,
        }
        for p in list_products(include_archived=True)
    ]


def to_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
