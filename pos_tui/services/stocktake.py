"""Stocktakes: count the shelves (the whole shop or one category section), see the variances, apply them.

Counts live in the database, so a stocktake survives a closed till and is
resumed where it was left. A variance is counted minus on hand *now*: sales
keep happening while people count, and the variance is taken again when it is
applied, inside the write, so a sale in between is never lost.

Products of the section nobody counted are listed as not counted and left
alone when applying, unless the person asks to zero them (`zero_uncounted`):
a missed shelf must not silently wipe out real stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Sequence

from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Category, Product, Stocktake, StocktakeCount
from pos_tui.domain.money import round_minor
from pos_tui.domain.quantity import parse_qty
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit, csv_rows
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require
from pos_tui.services.stock import check_qty, find_product, products_by_barcode, unknown_barcodes
from pos_tui.services.stock_moves import ADJUST_REASONS, move

REASONS = ("stocktake",) + ADJUST_REASONS  # what the applied moves may say
MODES = ("add", "set")  # a scan adds to what was counted; "set" replaces it (a recount)
UNCOUNTED_SHOWN = 200  # products listed as not counted (the total is always given)


@dataclass(frozen=True)
class StocktakeInfo:
    id: int
    scope: str  # "" for the whole shop, else a category name
    status: str
    reason: str
    started_by: str
    started_at: datetime
    finished_by: str
    finished_at: datetime | None
    counted: int  # products counted so far

    @property
    def name(self) -> str:
        return f"ST-{self.id}"

    @property
    def scope_label(self) -> str:
        return _("section {scope}").format(scope=self.scope) if self.scope else _("whole shop")


@dataclass(frozen=True)
class CountInfo:
    barcode: str
    name: str
    counted: Decimal
    on_hand: Decimal


@dataclass(frozen=True)
class VarianceLine:
    barcode: str
    name: str
    unit: str
    on_hand: Decimal
    counted: Decimal
    cost: int

    @property
    def variance(self) -> Decimal:
        return self.counted - self.on_hand


@dataclass(frozen=True)
class Uncounted:
    barcode: str
    name: str
    on_hand: Decimal


@dataclass(frozen=True)
class Variances:
    stocktake: StocktakeInfo
    lines: tuple[VarianceLine, ...]  # every counted product, largest difference first
    uncounted: tuple[Uncounted, ...]  # the first UNCOUNTED_SHOWN in scope, not counted
    uncounted_total: int

    @property
    def changed(self) -> tuple[VarianceLine, ...]:
        return tuple(line for line in self.lines if line.variance != 0)

    @property
    def value(self) -> int:
        """The variances at cost, in minor units (negative: stock lost)."""
        return sum(round_minor(line.variance * line.cost) for line in self.lines)


@dataclass(frozen=True)
class CountLine:
    barcode: str
    counted: Decimal
    line: int = 0


# -- scope ---------------------------------------------------------------
def _category_ids(scope: str) -> list[int] | None:
    """The category and its sub-categories a section covers (None: the whole shop)."""
    if not scope:
        return None
    category = Category.get_or_none(Category.name == scope)
    if category is None:
        raise NotFound(_("no category named {scope!r}; a section is a category, or leave it empty for the whole shop").format(scope=scope))
    ids = [category.id]
    frontier = [category.id]
    while frontier:  # two levels in practice; a loop copes with more
        frontier = [c.id for c in Category.select(Category.id).where(Category.parent.in_(frontier))]
        ids += frontier
    return ids


def _in_scope(ids: list[int] | None):
    condition = Product.archived == False  # noqa: E712
    return condition if ids is None else condition & Product.category.in_(ids)


# -- the stocktake row -----------------------------------------------------
def _info(row: Stocktake) -> StocktakeInfo:
    counted = StocktakeCount.select().where(StocktakeCount.stocktake == row.id).count()
    return StocktakeInfo(row.id, row.scope, row.status, row.reason, row.started_by, row.started_at,
                         row.finished_by, row.finished_at, counted)


def _who(actor: Actor) -> str:
    return actor.username or actor.os_user or "unknown"


def _row(stocktake_id: int, *, open_only: bool = True) -> Stocktake:
    row = Stocktake.get_or_none(Stocktake.id == stocktake_id)
    if row is None:
        raise NotFound(_("no stocktake ST-{stocktake_id}").format(stocktake_id=stocktake_id))
    if open_only and row.status != "open":
        raise ValidationError(_("stocktake ST-{id} is {status}; open a new one").format(id=row.id, status=row.status))
    return row


def current() -> StocktakeInfo | None:
    """The open stocktake, to resume (there is at most one)."""
    row = Stocktake.select().where(Stocktake.status == "open").order_by(Stocktake.id).first()
    return _info(row) if row else None


def get(stocktake_id: int) -> StocktakeInfo:
    return _info(_row(stocktake_id, open_only=False))


def check_reason(reason: str) -> str:
    cleaned = reason.strip().lower().replace("-", "_")
    if cleaned not in REASONS:
        raise ValidationError(_("unknown stocktake reason {reason!r}; use one of {REASONS}").format(reason=reason.strip(), REASONS=', '.join(REASONS)))
    return cleaned


def open_stocktake(actor: Actor, scope: str = "", *, reason: str = "stocktake") -> StocktakeInfo:
    """Start counting; one stocktake is open at a time, so two never apply the same shelf twice."""
    require(actor, "stock.adjust")
    reason = check_reason(reason)
    scope = scope.strip()
    with write_transaction():
        _category_ids(scope)
        running = current()
        if running is not None:
            raise ValidationError(_("stocktake {name} ({scope_label}) is still open; resume it, apply it or cancel "
                                    "it first").format(name=running.name, scope_label=running.scope_label))
        row = Stocktake.create(scope=scope, status="open", started_by=_who(actor), started_at=utc_now(), reason=reason)
        audit.record("stocktake.open", actor, f"ST-{row.id}", scope=scope or "whole shop", reason=reason)
    return _info(row)


def record_count(actor: Actor, stocktake_id: int, barcode: str, qty: Decimal, *, mode: str = "add") -> CountInfo:
    """A shelf count: `add` (each scan of the product adds, as a counter walks the shelf) or `set` (a recount)."""
    require(actor, "stock.adjust")
    if mode not in MODES:
        raise ValidationError(_("count mode {mode!r} must be add or set").format(mode=mode))
    if qty < 0:
        raise ValidationError(_("a count of {qty} is negative; count what is on the shelf (0 or more)").format(qty=qty))
    with write_transaction():
        row = _row(stocktake_id)
        product = find_product(barcode)
        ids = _category_ids(row.scope)
        if ids is not None and product.category_id not in ids:
            raise ValidationError(_("{name} is not in section {scope}; put it back or count it in its own section").format(name=product.name, scope=row.scope))
        check_qty(qty, product.unit, product.name, _("count"))
        existing = StocktakeCount.get_or_none((StocktakeCount.stocktake == row.id) & (StocktakeCount.product == product.id))
        total = qty if existing is None or mode == "set" else existing.counted + qty
        if existing is None:
            StocktakeCount.create(stocktake=row.id, product=product.id, counted=total, counted_by=_who(actor),
                                  counted_at=utc_now())
        else:
            StocktakeCount.update(counted=total, counted_by=_who(actor), counted_at=utc_now()).where(
                StocktakeCount.id == existing.id).execute()
    return CountInfo(product.barcode, product.name, total, product.stock)


def variances(stocktake_id: int, *, uncounted_shown: int = UNCOUNTED_SHOWN) -> Variances:
    """Counted against on hand now, and what the section holds that nobody counted."""
    row = _row(stocktake_id, open_only=False)
    counts = list(StocktakeCount.select(StocktakeCount, Product).join(Product)
                  .where(StocktakeCount.stocktake == row.id))
    lines = [VarianceLine(c.product.barcode, c.product.name, c.product.unit, c.product.stock, c.counted, c.product.cost)
             for c in counts]
    lines.sort(key=lambda line: (-abs(line.variance), line.name))
    uncounted_query = _uncounted(row)
    total = uncounted_query.count()
    shown = tuple(Uncounted(p.barcode, p.name, p.stock)
                  for p in uncounted_query.order_by(Product.name, Product.id).limit(uncounted_shown))
    return Variances(_info(row), tuple(lines), shown, total)


def _uncounted(row: Stocktake):
    counted = StocktakeCount.select(StocktakeCount.product).where(StocktakeCount.stocktake == row.id)
    return Product.select().where(_in_scope(_category_ids(row.scope)) & Product.id.not_in(counted))


@dataclass(frozen=True)
class ApplyResult:
    stocktake: StocktakeInfo
    moves: int
    zeroed: int  # uncounted products set to 0 (only when asked)
    value: int  # the moves at cost, minor units


def apply(actor: Actor, stocktake_id: int, *, zero_uncounted: bool = False) -> ApplyResult:
    """Write every variance as a move (reason of the stocktake, reference ST-<id>) in one transaction."""
    require(actor, "stock.adjust")
    with write_transaction():
        row = _row(stocktake_id)
        reference = f"ST-{row.id}"
        moves = zeroed = value = 0
        now = utc_now()
        counts = StocktakeCount.select(StocktakeCount, Product).join(Product).where(StocktakeCount.stocktake == row.id)
        for count in counts:
            # read inside the write lock: on hand as it is now, after any sale since the count
            delta = count.counted - count.product.stock
            if delta:
                move(count.product.id, delta, row.reason, reference, actor, at=now)
                moves += 1
                value += round_minor(delta * count.product.cost)
        if zero_uncounted:
            for product in _uncounted(row).where(Product.stock != 0):
                move(product.id, -product.stock, row.reason, reference, actor, at=now)
                zeroed += 1
                value += round_minor(-product.stock * product.cost)
        Stocktake.update(status="applied", finished_by=_who(actor), finished_at=now).where(Stocktake.id == row.id).execute()
        audit.record("stocktake.apply", actor, reference, scope=row.scope or "whole shop", reason=row.reason,
                     moves=moves, zeroed=zeroed, zero_uncounted=zero_uncounted, value=value)
        info = _info(Stocktake.get_by_id(row.id))
    return ApplyResult(info, moves, zeroed, value)


def cancel(actor: Actor, stocktake_id: int) -> StocktakeInfo:
    """Drop a stocktake without touching stock; its counts stay for the record."""
    require(actor, "stock.adjust")
    with write_transaction():
        row = _row(stocktake_id)
        Stocktake.update(status="cancelled", finished_by=_who(actor), finished_at=utc_now()).where(
            Stocktake.id == row.id).execute()
        audit.record("stocktake.cancel", actor, f"ST-{row.id}", counted=_info(row).counted)
    return get(row.id)


# -- a count file: a one-shot stocktake ---------------------------------------
def _count_row(line: int, cells: dict[str, str]) -> CountLine:
    barcode, counted = csv_rows.collect(
        lambda: cells["barcode"] or _fail(_("barcode is empty")),
        lambda: parse_qty(cells["counted"], what="counted"),
    )
    return CountLine(str(barcode), counted, line)  # type: ignore[arg-type]


def _fail(message: str):
    raise ValidationError(message)


def parse_counts(text: str) -> list[CountLine]:
    """A count sheet (barcode,counted): negative counts, broken rows and unknown barcodes all reported by line."""
    return csv_rows.parse_rows(text, ("barcode", "counted"), (), _count_row, key=lambda r: r.barcode,
                               check=_count_check)


def _count_check(rows: list[CountLine]) -> dict[int, str]:
    problems = unknown_barcodes(rows)
    known = products_by_barcode(r.barcode for r in rows if r.line not in problems)
    for r in rows:
        product = known.get(r.barcode)
        if product is not None:
            try:
                check_qty(r.counted, product.unit, product.name, _("counted"))
            except ValidationError as exc:
                problems[r.line] = str(exc)
    return problems


def count_file(actor: Actor, rows: Sequence[CountLine], *, reason: str = "stocktake", dry_run: bool = False,
               source: str = "") -> tuple[Variances, ApplyResult | None]:
    """Open, count and apply in one transaction: all of the file or none of it.

    Only the products in the file change; a count sheet is a part of the shop.
    With `dry_run` nothing is written and the variances are what would apply.
    """
    require(actor, "stock.adjust")
    reason = check_reason(reason)
    if not rows:
        raise ValidationError(_("the count file has no rows"))
    with write_transaction():
        products = products_by_barcode(r.barcode for r in rows)
        missing = [r for r in rows if r.barcode not in products]
        if missing:
            raise ValidationError("; ".join(_("no product with barcode {barcode}").format(barcode=r.barcode) for r in missing))
        negative = [r for r in rows if r.counted < 0]
        if negative:
            raise ValidationError("; ".join(_("count of {barcode} is negative").format(barcode=r.barcode) for r in negative))
        for r in rows:
            check_qty(r.counted, products[r.barcode].unit, products[r.barcode].name, _("counted"))
        lines = [VarianceLine(p.barcode, p.name, p.unit, p.stock, r.counted, p.cost)
                 for r in rows for p in (products[r.barcode],)]
        lines.sort(key=lambda line: (-abs(line.variance), line.name))
        if dry_run:
            info = StocktakeInfo(0, "", "dry-run", reason, _who(actor), utc_now(), "", None, len(rows))
            return Variances(info, tuple(lines), (), 0), None
        row = Stocktake.create(scope="", status="open", started_by=_who(actor), started_at=utc_now(), reason=reason)
        for r in rows:
            StocktakeCount.create(stocktake=row.id, product=products[r.barcode].id, counted=r.counted,
                                  counted_by=_who(actor), counted_at=utc_now())
        audit.record("stocktake.open", actor, f"ST-{row.id}", scope="count file", source=source[:64], reason=reason)
        result = apply(actor, row.id)
    return Variances(result.stocktake, tuple(lines), (), 0), result
