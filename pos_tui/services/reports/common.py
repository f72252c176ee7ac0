"""What every report shares: the result shape, what counts as a sale, the shop's zone, the guard.

A report is a table (columns with a kind, rows keyed by column, totals) plus
series for charts. Money is int minor units, quantities Decimal, ratios
Decimal; the CLI formats them and the Reports screen draws them.

Counted sales: status "completed" (a sale) or "return" (a refund, negative
amounts); any other status (voided) is left out, and training sales never
count. A line's amount is what the customer paid for it: its total, plus its
tax when the shop's prices exclude tax, so lines add up to the sale's total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping, Sequence
from zoneinfo import ZoneInfo

from pos_tui.db.models import Category, database
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require
from pos_tui.services.reports.periods import Period

LIVE = "s.status IN ('completed', 'return') AND NOT s.training"
IN_PERIOD = "s.created_at >= ? AND s.created_at < ?"
LINE_AMOUNT = "(sl.total + CASE WHEN s.prices_include_tax THEN 0 ELSE sl.tax END)"
# Items as the till counts them: a weighed line (sold by the kg) is one item, however heavy.
ITEMS = "(CASE WHEN p.unit <> 'kg' THEN sl.qty WHEN sl.qty < 0 THEN -1000 ELSE 1000 END)"
MONEY, QTY, INT, TEXT, RATIO, PERCENT = "money", "qty", "int", "text", "ratio", "percent"
# Per product, reports list the first TOP_PRODUCTS rows and sum the rest into one "(N other products)" row
# (a year of a big shop has 100,000 products: a row each took seconds); `top=None` lists every one.
TOP_PRODUCTS = 100


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT  # money (int minor units) | qty (Decimal) | int | ratio | percent (Decimal) | text


@dataclass(frozen=True)
class Report:
    """One report's answer; `rows` and `totals` map column keys to values."""

    name: str
    period: Period
    by: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...]
    totals: Mapping[str, Any]
    previous: Mapping[str, Any] | None = None  # the same totals for the period just before
    series: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    sections: Mapping[str, "Report"] = field(default_factory=dict)  # further tables (e.g. pairs, segments)


def guard(actor: Actor) -> None:
    require(actor, "report.view")


def shop_zone(zone: ZoneInfo | None = None) -> ZoneInfo:
    if zone is not None:
        return zone
    from pos_tui.services.store import current_settings

    return ZoneInfo(current_settings().get("store.timezone"))


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Rows of a read query written with `?` placeholders, in the database's own dialect."""
    if database.param != "?":
        sql = sql.replace("?", database.param)
    return list(database.execute_sql(sql, tuple(params)).fetchall())


def unindexed(column: str) -> str:
    """`column` in a GROUP BY that should not walk its index: SQLite's unary + trick, which PostgreSQL
    (whose planner chooses for itself) would read as another expression than the selected column."""
    return f"+{column}" if database.param == "?" else column


def milli(value: Any) -> Decimal:
    """A summed QtyField (integer thousandths) as a Decimal quantity."""
    return Decimal(int(value or 0)).scaleb(-3)


_ZEROS = {places: Decimal(places) * 0 for places in ("0.01", "0.1")}


def ratio(numerator: int | Decimal, denominator: int | Decimal, places: str = "0.01") -> Decimal | None:
    """numerator / denominator rounded half up; None when the denominator is 0."""
    if not denominator:
        return None
    if not numerator:  # most rows of a short period: skip the division
        return _ZEROS[places] if places in _ZEROS else Decimal(places) * 0
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), ROUND_HALF_UP)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    if not part:
        return _ZEROS["0.1"]
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def money_div(amount: int, count: int | Decimal) -> int | None:
    """Money divided (an average), rounded half up to the minor unit."""
    if not count:
        return None
    if type(amount) is int and type(count) is int:  # the same rounding in integers: a year's 77,000 rows
        rounded = (2 * abs(amount) + abs(count)) // (2 * abs(count))
        return -rounded if (amount < 0) != (count < 0) else rounded
    return int((Decimal(amount) / Decimal(count)).quantize(Decimal(1), ROUND_HALF_UP))


def category_ids(name: str | None) -> list[int] | None:
    """The category named and its subcategories (two levels), for a drill-down; None for all."""
    if name is None:
        return None
    row = Category.get_or_none(Category.name == name.strip())
    if row is None:
        raise NotFound(_("no category named {name!r}; see `pos category list`").format(name=name.strip()))
    return [row.id] + [c.id for c in Category.select(Category.id).where(Category.parent == row.id)]


def category_labels() -> dict[int | None, str]:
    """Each category as "Parent / Child" (or its own name at the top), None as "(none)"."""
    rows = {c.id: (c.name, c.parent_id) for c in Category.select()}
    labels: dict[int | None, str] = {None: "(none)"}
    for cid, (name, parent) in rows.items():
        labels[cid] = f"{rows[parent][0]} / {name}" if parent in rows else name
    return labels


def category_keys() -> dict[int | None, str]:
    """Category row keys: each category's own name, which `category=` drills into ("" for none)."""
    keys: dict[int | None, str] = {None: ""}
    keys.update((c.id, c.name) for c in Category.select(Category.id, Category.name))
    return keys


def product_categories(ids: Sequence[int] | None = None) -> dict[int, int | None]:
    """Each product's category id; with `ids`, at least those products'.

    A day's few hundred products are looked up by id: reading all 100,000 took 0.2 s.
    """
    if ids is not None and len(ids) <= 5000:
        return dict(fetch(f"SELECT id, category_id FROM product WHERE id IN {in_list(ids)}")) if ids else {}
    return dict(fetch("SELECT id, category_id FROM product"))


def in_list(ids: Sequence[int]) -> str:
    """An SQL list of integer ids (ints only, so safe to inline)."""
    return "(" + ",".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def check_top(top: int | None) -> None:
    if top is not None and top < 1:
        raise ValidationError(_("--top {top} must be 1 or more").format(top=top))


def others_label(count: int) -> str:
    """The label of the row that sums the products left out of a top (its key is ""); the export keeps
    it in English, as a file format, and the Reports screen says it in the shop's language."""
    return f"({count} other product{'' if count == 1 else 's'})"


OTHERS_LABEL = re.compile(r"\((\d+) other products?\)")  # others_label's text, read back
