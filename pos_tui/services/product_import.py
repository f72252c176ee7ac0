"""Product CSV import and export: all or nothing, every bad row reported.

Columns: barcode,name,price required; category,cost,stock,tax_class,
reorder_level,tags (separated by ';'),unit (each|kg) optional. The export
writes the same columns, so a file round-trips.
"""

from __future__ import annotations

import csv
import io
from dataclasses import MISSING, dataclass, fields
from decimal import Decimal
from operator import itemgetter
from typing import Any

from pos_tui.db.database import write_transaction
from pos_tui.db.models import database
from pos_tui.domain.barcodes import GTIN_LENGTHS, validate_gtin
from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.quantity import format_qty, milli_to_qty, parse_qty
from pos_tui.errors import ImportRejected, PosError, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit, product_import_plan
from pos_tui.services.context import Actor
from pos_tui.services.csv_rows import check_header, read_csv  # noqa: F401  (read_csv: callers use it from here too)
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
    field("name", lambda t: t if t else _fail(_("name is empty")))
    field("price", lambda t: parse_money(t, what="price"))
    field("cost", lambda t: parse_money(t, what="cost"))
    # Stock may be below zero when the till sold more than was counted; an
    # export of such a product must import back.
    field("stock", lambda t: parse_qty(t, what="stock", allow_negative=True))
    field("reorder_level", lambda t: parse_qty(t, what="reorder_level"))
    field("category", lambda t: t if len(t) <= 64 else _fail(_("category is longer than 64 characters")))
    field("tax_class", lambda t: t if t in tax_classes else _fail(
        _("unknown tax class {t!r}; use one of {tax_classes}").format(t=t, tax_classes=', '.join(sorted(tax_classes)))))
    field("unit", lambda t: t if t in UNITS else _fail(_("unit {t!r} must be each or kg").format(t=t)))
    field("tags", _parse_tags)
    if len(values.get("name", "")) > 128:
        problems.append(_("name is longer than 128 characters"))
    if problems:
        raise ValidationError("; ".join(problems))
    return ProductRow(line=line, present=present, **values)


# What the ASCII codes of a GTIN of each length add up to beyond its digits' weighted sum: the check digit
# at weight 1, the digits before it at 3, 1, 3... from the right (see _good_gtin).
_GTIN_OFFSET = {n: ord("0") * (3 * len(range(n - 2, -1, -2)) + len(range(n - 3, -1, -2)) + 1) for n in GTIN_LENGTHS}


def _good_gtin(code: str) -> bool:
    """validate_gtin's verdict for a stripped code without building a message (the hot path of a big file).

    The digits' weighted sum is taken over the code's bytes (ASCII codes, the offset of their zeros taken
    off once): no int() per digit, a third of the time.
    """
    offset = _GTIN_OFFSET.get(len(code))
    if offset is None or not (code.isascii() and code.isdigit()):
        return False
    digits = code.encode()
    return (sum(digits[-2::-2]) * 3 + sum(digits[-3::-2]) + digits[-1] - offset) % 10 == 0


_BAD, _BLANK = object(), object()
_new_row = object.__new__
# Every field's default, for rows made without ProductRow's __init__ (see _QuickRows.row): the optional
# columns' fields, in OPTIONAL's order.
_DEFAULTS = {f.name: f.default for f in fields(ProductRow) if f.default is not MISSING}


class _QuickRows:
    """The usual good row of one file, read without building messages.

    Prices, stock levels, tax classes and tag lists repeat across a catalogue,
    so each distinct cell is parsed once, by the same parsers _parse_row uses.
    Anything unusual (a bad cell, a short row) gives None, and _parse_row reads
    the row the slow way, naming every problem.
    """

    def __init__(self, header: list[str], tax_classes: set[str]) -> None:
        index = {name: i for i, name in enumerate(header)}  # a repeated column: the last wins, as in DictReader
        self.width = len(header)
        self.barcode, self.name, self.price = index["barcode"], index["name"], index["price"]
        checks = {
            "category": lambda t: t if len(t) <= 64 else _fail("long"),
            "tags": _parse_tags,
            "cost": lambda t: parse_money(t, what="cost"),
            "stock": lambda t: parse_qty(t, what="stock", allow_negative=True),
            "reorder_level": lambda t: parse_qty(t, what="reorder_level"),
            "tax_class": lambda t: t if t in tax_classes else _fail("unknown"),
            "unit": lambda t: t if t in UNITS else _fail("unknown"),
        }
        # (name, cell index, parsed cells, parser, an empty cell counts), in OPTIONAL's order (the fields');
        # an empty category or tags cell means none, elsewhere it keeps the product's value.
        self.optional = [(name, index[name], {}, checks[name], name in ("category", "tags"))
                         for name in OPTIONAL if name in index]
        # The usual row's optional cells have each been seen before, and were good and not blank: looked
        # up in `good`, one dict per column, by one map() over the row, with no Python loop.
        self.keys = tuple(name for name, *_ in self.optional)
        self.good: tuple[dict[str, Any], ...] = tuple({} for _ in self.optional)
        spots = [i for _, i, *_ in self.optional]
        self.pick = itemgetter(*spots) if len(spots) > 1 else lambda cells: tuple(cells[i] for i in spots)
        self.all_present = frozenset(self.keys)
        self.complete = len(self.keys) == len(OPTIONAL)
        self.prices: dict[str, Any] = {}
        self.parse_price = lambda t: parse_money(t, what="price")
        self.present: dict[tuple[str, ...], frozenset[str]] = {}

    @staticmethod
    def _parse(cache: dict[str, Any], text: str, parse, blank_too: bool) -> Any:
        stripped = text.strip()
        try:
            value = parse(stripped) if stripped or blank_too else _BLANK
        except ValidationError:
            value = _BAD
        cache[text] = value
        return value

    def _optional(self, cells: list[str]) -> tuple[dict[str, Any], frozenset[str]] | None:
        """The row's optional fields that are present, and their names; None when one is bad."""
        values: dict[str, Any] = {}
        for (key, i, cache, parse, always), good in zip(self.optional, self.good):
            text = cells[i]
            value = cache.get(text)
            if value is None:
                value = self._parse(cache, text, parse, always)
                if value is not _BAD and value is not _BLANK:
                    good[text] = value
            if value is _BAD:
                return None
            if value is not _BLANK:
                values[key] = value
        shape = tuple(values)
        present = self.present.get(shape)
        if present is None:
            present = self.present[shape] = frozenset(shape)
        return values, present

    def row(self, line: int, cells: list[str]) -> ProductRow | None:
        if len(cells) != self.width:
            return None
        barcode, name = cells[self.barcode].strip(), cells[self.name].strip()
        if not name or len(name) > 128 or not _good_gtin(barcode):
            return None
        text = cells[self.price]
        price = self.prices.get(text)
        if price is None:
            price = self._parse(self.prices, text, self.parse_price, True)
        if price is _BAD:
            return None
        try:
            known = zip(self.keys, map(dict.__getitem__, self.good, self.pick(cells)))
            if self.complete:  # every optional column in the file: the usual row's cells go straight in
                row, fields_of = _bare_row(line, barcode, name, price, self.all_present)
                fields_of.update(known)
                return row
            values, present = dict(known), self.all_present
        except KeyError:  # a cell not seen before, blank or bad: column by column (a half-made row is dropped)
            found = self._optional(cells)
            if found is None:
                return None
            values, present = found
        row, fields_of = _bare_row(line, barcode, name, price, present)
        fields_of.update(values if len(values) == len(_DEFAULTS) else {**_DEFAULTS, **values})  # OPTIONAL's order
        return row


def _bare_row(line: int, barcode: str, name: str, price: int, present: frozenset[str]) -> tuple[ProductRow, dict]:
    """A ProductRow with its first fields, and its __dict__ for the optional ones (in OPTIONAL's order).

    Set straight into the __dict__: the frozen dataclass's __init__ sets each field through
    object.__setattr__, 4.6 us a row, more than the rest of the quick reader. The same fields and values, so
    the row equals, hashes and prints as one made by ProductRow(...); set in the fields' order, as __init__
    sets them, so the __dict__ keeps the class's shared keys (out of order it took twice the memory).
    """
    row = _new_row(ProductRow)
    fields_of = row.__dict__
    fields_of["line"], fields_of["barcode"], fields_of["name"], fields_of["price"], fields_of["present"] = (
        line, barcode, name, price, present)
    return row, fields_of


def _parse_tags(text: str) -> tuple[str, ...]:
    tags = tuple(sorted({tag.strip().lower() for tag in text.split(";") if tag.strip()}))
    for tag in tags:
        if len(tag) > 64:  # the tag table's column width
            raise ValidationError(_("tag {tag!r}… is longer than 64 characters").format(tag=tag[:20]))
    return tags


def _fail(message: str):
    raise ValidationError(message)


def _as_dict(header: list[str], cells: list[str]) -> dict[str | None, Any]:
    """A row as csv.DictReader gives it: missing cells None, extra cells under the key None."""
    raw: dict[str | None, Any] = dict(zip(header, cells))
    if len(cells) > len(header):
        raw[None] = cells[len(header):]
    for name in header[len(cells):]:
        raw[name] = None
    return raw


def parse_products(text: str, tax_classes: set[str]) -> list[ProductRow]:
    """Every row checked; ImportRejected lists each bad row with its line number."""
    # strict: an unclosed quote is an error, not a field that swallows the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise ImportRejected([_("line 1: broken CSV ({exc})").format(exc=exc)]) from None
    check_header(header, REQUIRED, OPTIONAL)
    quick = _QuickRows(header, tax_classes)
    rows: list[ProductRow] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            row = quick.row(line, cells)
            if row is None:
                if not cells:  # csv.DictReader skipped these; so do we
                    continue
                raw = _as_dict(header, cells)
                if None in raw:
                    problems.append(_("line {line}: more fields than the header has").format(line=line))
                    continue
                if all(not (v or "").strip() for v in raw.values()):
                    continue
                try:
                    row = _parse_row(line, raw, tax_classes)
                except ValidationError as exc:
                    problems.append(_("line {line}: {exc}").format(line=line, exc=exc))
                    continue
            if row.barcode in first_line:
                problems.append(_("line {line}: barcode {barcode} repeats line {first_line}").format(line=line, barcode=row.barcode, first_line=first_line[row.barcode]))
                continue
            first_line[row.barcode] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(_("line {line}: broken CSV ({exc})").format(line=line + 1, exc=exc))
    if problems:
        raise ImportRejected(problems)
    return rows


def import_products(actor: Actor, rows: list[ProductRow], *, dry_run: bool = False, source: str = "") -> ImportResult:
    """Create or update every row in one transaction; changed stock writes a move.

    Set-wise, so 100,000 rows take seconds: the plan reads what exists in a few
    queries and the writes go in a handful of statements, all inside one
    write_transaction, so a failure anywhere leaves nothing written.
    """
    require(actor, "product.edit")
    with product_import_plan.roomy_cache(), write_transaction():
        plan = product_import_plan.make_plan(rows)
        result = ImportResult(plan.created, plan.updated, plan.unchanged, plan.moves, dry_run)
        if dry_run:
            return result
        product_import_plan.apply(plan, actor, source[:64])
        audit.record("product.import", actor, source, created=plan.created, updated=plan.updated,
                     stock_moves=plan.moves)
    return result


def export_rows() -> list[dict[str, str]]:
    """Every product (archived too), by name, as CSV-ready strings in the import's columns.

    Read as stored rows in two queries, each distinct amount formatted once:
    through the catalogue's ProductInfo a 100,000-product export took seconds.
    """
    tags: dict[int, list[str]] = {}
    for product_id, name in database.execute_sql(
        "SELECT pt.product_id, t.name FROM product_tag pt JOIN tag t ON t.id = pt.tag_id ORDER BY t.name"
    ).fetchall():
        tags.setdefault(product_id, []).append(name)
    money: dict[int, str] = {}
    qty: dict[int, str] = {}

    def amount(minor: int) -> str:
        text = money.get(minor)
        if text is None:
            text = money[minor] = format_money(minor)
        return text

    def quantity(milli: int) -> str:
        text = qty.get(milli)
        if text is None:
            text = qty[milli] = format_qty(milli_to_qty(milli))
        return text

    rows = database.execute_sql(
        "SELECT p.id, p.barcode, p.name, p.price, c.name, p.cost, p.stock, p.tax_class, p.reorder_level, p.unit "
        "FROM product p LEFT JOIN category c ON c.id = p.category_id ORDER BY p.name, p.id"
    ).fetchall()
    return [
        {
            "barcode": barcode,
            "name": name,
            "price": amount(price),
            "category": category or "",
            "cost": amount(cost),
            "stock": quantity(stock),
            "tax_class": tax_class,
            "reorder_level": quantity(reorder),
            "tags": ";".join(tags.get(pid, ())),
            "unit": unit,
        }
        for pid, barcode, name, price, category, cost, stock, tax_class, reorder, unit in rows
    ]


def to_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(map(itemgetter(*COLUMNS), rows))
    return buffer.getvalue()
