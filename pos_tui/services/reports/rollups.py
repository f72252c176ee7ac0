"""The report roll-ups (migration 0010): when they can be read, and rebuilding them from the raw rows.

Triggers keep them current sale by sale; this module rebuilds them when
they are stale (a sale, line, payment or move was edited or deleted) or
were built for another time zone. The rebuild uses the same sums as the
triggers; a test proves both equal the raw aggregation.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

from pos_tui.db.database import write_transaction
from pos_tui.db.models import database
from pos_tui.db.set_aside import set_aside
from pos_tui.services.context import Actor
from pos_tui.services.reports.common import ITEMS, LIVE, fetch, guard
from pos_tui.services.reports.periods import utc_text

USE_ROLLUPS = True  # tests turn it off to compare with the raw aggregation
TABLES = ("report_sale_hour", "report_tender_hour", "report_product_day", "report_move_day", "report_category_day",
          "report_category_stock", "report_product_state", "report_product_flow")


def local_day(column: str) -> str:
    """SQL for a stored UTC time's day in the shop's zone (from report_zone)."""
    return (f"date({column}, (SELECT z.offset_seconds FROM report_zone z WHERE z.from_utc <= {column}"
            f" ORDER BY z.from_utc DESC LIMIT 1) || ' seconds')")


def _has_tables() -> bool:
    if database.param != "?":  # PostgreSQL: no roll-ups, it sums the raw rows
        return False
    return bool(fetch("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_rollup'"))


def needs_rebuild(zone: ZoneInfo) -> bool:
    """Whether the next report will rebuild the roll-ups first (stale, or built for another zone)."""
    if not USE_ROLLUPS or not _has_tables():
        return False
    state = dict(fetch("SELECT key, value FROM report_rollup"))
    return state.get("stale") != "0" or state.get("zone") != zone.key


def ready(zone: ZoneInfo) -> bool:
    """Whether reports may read the roll-ups; rebuilds them first when stale or built for another zone."""
    if not USE_ROLLUPS or not _has_tables():
        return False
    state = dict(fetch("SELECT key, value FROM report_rollup"))
    if state.get("stale") != "0" or state.get("zone") != zone.key:
        rebuild(zone)
    return True


@lru_cache(maxsize=8)
def zone_offsets(zone: ZoneInfo, first: int = 1970, last: int = 2100) -> list[tuple[str, int]]:
    """(from UTC text, offset seconds) for each change of the zone's offset, from `first` to `last`."""
    def offset(moment: datetime) -> int:
        return int(moment.astimezone(zone).utcoffset().total_seconds())

    moment = datetime(first, 1, 1, tzinfo=timezone.utc)
    end = datetime(last, 1, 1, tzinfo=timezone.utc)
    current = offset(moment)
    found = [("0000", current)]
    day = timedelta(days=1)
    while moment < end:
        following = moment + day
        if offset(following) != current:
            step = moment
            while offset(step) == current:  # the change to the quarter hour
                step += timedelta(minutes=15)
            current = offset(step)
            found.append((utc_text(step), current))
        moment = following
    return found


def value_sql(qty: str, cost: str) -> str:
    """SQL for qty thousandths x cost rounded half up per product, as turnover._value rounds it (floor division,
    whatever the signs; division that truncates on both databases, and no % for psycopg)."""
    def floor(x: str) -> str:
        return f"(CASE WHEN {x} >= 0 THEN ({x}) / 1000 ELSE -((999 - ({x})) / 1000) END)"

    product = f"CAST({qty} AS BIGINT) * {cost}"
    # A cost of 0 or more (every product's, in practice) keeps both numerators positive, where truncation is
    # floor: half the steps for each of a year's 100,000 products. The full form for any other.
    simple = f"(CASE WHEN {qty} >= 0 THEN ({product} + 500) / 1000 ELSE -((500 - {product}) / 1000) END)"
    if cost.isdigit():
        return simple
    full = f"(CASE WHEN {qty} >= 0 THEN {floor(product + ' + 500')} ELSE -{floor('500 - ' + product)} END)"
    return f"(CASE WHEN {cost} >= 0 THEN {simple} ELSE {full} END)"


def rebuild(zone: ZoneInfo) -> None:
    """Sum the raw rows into the roll-ups again, for `zone`, in one transaction."""
    with write_transaction():
        for table in TABLES + ("report_zone",):
            database.execute_sql(f"DELETE FROM {table}")
        cursor = database.cursor()
        cursor.executemany("INSERT INTO report_zone (from_utc, offset_seconds) VALUES (?, ?)", list(zone_offsets(zone)))
        database.execute_sql(
            f"INSERT INTO report_sale_hour SELECT substr(s.created_at, 1, 13), s.lane, s.cashier_id, s.status, COUNT(*),"
            f" SUM(s.total), SUM(s.discount_total), SUM(s.tax_total), SUM(s.rounding), 0 FROM sale s WHERE {LIVE}"
            f" GROUP BY 1, 2, 3, 4")
        database.execute_sql(
            f"INSERT INTO report_sale_hour SELECT substr(s.created_at, 1, 13), s.lane, s.cashier_id, s.status, 0, 0, 0,"
            f" 0, 0, SUM({ITEMS}) FROM sale s JOIN sale_line sl ON sl.sale_id = s.id JOIN product p ON p.id = sl.product_id"
            f" WHERE {LIVE} GROUP BY 1, 2, 3, 4 ON CONFLICT (hour, lane, cashier_id, status) DO UPDATE SET items = excluded.items")
        database.execute_sql(
            f"INSERT INTO report_tender_hour SELECT substr(s.created_at, 1, 13), pay.tender, s.status,"
            f" COUNT(DISTINCT s.id), SUM(pay.amount) FROM payment pay JOIN sale s ON s.id = pay.sale_id WHERE {LIVE}"
            f" GROUP BY 1, 2, 3")
        database.execute_sql(
            f"INSERT INTO report_product_day SELECT {local_day('s.created_at')}, sl.product_id, s.status,"
            f" COUNT(DISTINCT s.id), SUM(sl.qty), SUM({ITEMS}),"
            f" SUM(sl.total + CASE WHEN s.prices_include_tax THEN 0 ELSE sl.tax END),"
            f" SUM(sl.total - CASE WHEN s.prices_include_tax THEN sl.tax ELSE 0 END),"
            f" SUM(CASE WHEN s.status = 'completed' THEN sl.discount ELSE 0 END), SUM(sl.tax), SUM(sl.qty * sl.unit_cost)"
            f" FROM sale_line sl JOIN sale s ON s.id = sl.sale_id JOIN product p ON p.id = sl.product_id WHERE {LIVE}"
            f" GROUP BY 1, 2, 3")
        database.execute_sql(  # from the product roll-up just built: a product counts under its category now
            "INSERT INTO report_category_day SELECT d.day, COALESCE(p.category_id, 0), d.status, SUM(d.qty),"
            " SUM(d.items), SUM(d.amount), SUM(d.revenue), SUM(d.discount), SUM(d.tax), SUM(d.cost)"
            " FROM report_product_day d JOIN product p ON p.id = d.product_id GROUP BY 1, 2, 3")
        database.execute_sql(
            f"INSERT INTO report_move_day SELECT {local_day('m.created_at')}, m.product_id, m.reason, SUM(m.delta),"
            f" SUM(MIN(m.delta, 0)) FROM stock_move m GROUP BY 1, 2, 3")
        database.execute_sql(FLOW)  # migration 0017: both day roll-ups just built, per product in product order
        _stock_sums()  # migration 0016: the catalogue's stock now, and each product's last sale and stock value
        database.execute_sql(
            f"INSERT INTO report_product_state (product_id, category_id, last_sale, stocked_value)"
            f" SELECT p.id, COALESCE(p.category_id, 0), COALESCE(s.day, ''),"
            f" CASE WHEN p.stock > 0 THEN {value_sql('p.stock', 'p.cost')} END FROM product p LEFT JOIN"
            f" (SELECT product_id, MAX(day) AS day FROM report_move_day WHERE reason = 'sale' GROUP BY product_id) s"
            f" ON s.product_id = p.id")
        database.execute_sql(PREVIOUS_SALE)
        database.execute_sql("UPDATE report_rollup SET value = ? WHERE key = 'zone'", (zone.key,))
        database.execute_sql("UPDATE report_rollup SET value = '0' WHERE key = 'stale'")


# Migration 0017's report_product_flow from the two day roll-ups: a product's sales (every status) and stock
# moves (every reason) per day.
FLOW = ("INSERT INTO report_product_flow (product_id, day, qty, cost, delta)"
        " SELECT product_id, day, SUM(qty), SUM(cost), SUM(delta) FROM"
        " (SELECT product_id, day, qty, cost, 0 AS delta FROM report_product_day"
        " UNION ALL SELECT product_id, day, 0, 0, delta FROM report_move_day) GROUP BY product_id, day")


# Migration 0016's per-product triggers that a bulk write of products sets aside (stock_triggers_off).
STOCK_TRIGGERS = ("report_stock_in", "report_stock_edit", "report_stock_move", "report_state_in", "report_state_edit")


# Each product's sale day before its last (migration 0016), from the stock roll-up.
PREVIOUS_SALE = ("UPDATE report_product_state SET prev_sale = COALESCE((SELECT MAX(m.day) FROM report_move_day m"
                 " WHERE m.product_id = report_product_state.product_id AND m.reason = 'sale'"
                 " AND m.day < report_product_state.last_sale), '') WHERE last_sale <> ''")


def _stock_sums() -> None:
    """report_category_stock summed again from every product (a rebuild, or after a bulk write)."""
    database.execute_sql("DELETE FROM report_category_stock")
    database.execute_sql(
        f"INSERT INTO report_category_stock SELECT COALESCE(p.category_id, 0), COUNT(*),"
        f" COUNT(CASE WHEN p.stock <> 0 THEN 1 END), SUM(p.stock), SUM({value_sql('p.stock', 'p.cost')})"
        f" FROM product p GROUP BY 1")


@contextmanager
def stock_triggers_off(wanted: bool, *, new_after: int | None = None, changed: bool = True) -> Iterator[None]:
    """Without migration 0016's per-product triggers while a bulk write of products runs (the product import:
    they doubled an import of 100,000 new products), then their two tables brought up to date set-wise, as
    the import does for the search index and the stock roll-up. Inside the writer's transaction: DDL is
    transactional in SQLite, so no other connection sees the tables without them.

    A writer that knows narrows the catch-up of report_product_state: `new_after`, the products' largest id
    before the write (the new ones are those past it, the rest have their rows); `changed`, False when no
    existing product's stock, cost or category changed. Without them every product is compared."""
    with set_aside("trigger", wanted and _has_tables(), names=STOCK_TRIGGERS) as found:
        yield
    if not found:
        return
    _stock_sums()
    stocked = f"CASE WHEN p.stock > 0 THEN {value_sql('p.stock', 'p.cost')} END"
    new = ("p.id > ?", (new_after,)) if new_after is not None else \
        ("NOT EXISTS (SELECT 1 FROM report_product_state s WHERE s.product_id = p.id)", ())
    database.execute_sql(
        f"INSERT INTO report_product_state (product_id, category_id, last_sale, stocked_value)"
        f" SELECT p.id, COALESCE(p.category_id, 0), '', {stocked} FROM product p WHERE {new[0]}"
        f" ORDER BY 4", new[1])  # in the value index's order: appended, not scattered over it
    if changed:
        database.execute_sql(
            f"UPDATE report_product_state AS s SET category_id = COALESCE(p.category_id, 0), stocked_value = {stocked}"
            f" FROM product p WHERE p.id = s.product_id AND (s.category_id IS NOT COALESCE(p.category_id, 0)"
            f" OR s.stocked_value IS NOT {stocked})")


def rebuild_for(actor: Actor, zone: ZoneInfo) -> bool:
    """`pos report rebuild`: needs report.view; False when the database keeps no roll-ups."""
    guard(actor)
    if not _has_tables():
        return False
    rebuild(zone)
    return True


def day_bounds(start: date, end: date) -> tuple[str, str]:
    return start.isoformat(), end.isoformat()


def hour_bounds(bounds: tuple[str, str]) -> tuple[str, str]:
    """UTC period bounds as roll-up hours (exact when the zone's offsets are whole hours)."""
    return bounds[0][:13], bounds[1][:13]
