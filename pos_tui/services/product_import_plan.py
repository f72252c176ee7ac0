"""The product import's reads and writes, set-wise, so 100,000 rows take seconds.

Row by row through Peewee models an import of 100,000 products takes minutes.
Here the file is compared with the store in memory after a few chunked reads,
and each kind of write (categories, tags, new products, stock moves, product
tags) is one executemany of values in their stored form (milli quantities,
UTC text): the same bytes Product.create writes. Changed products are one
executemany for each set of fields that change (a new price file: one), and
an UPDATE names only those, so no trigger on another column fires, and no
index on another column is rewritten. The name's search index (migration
0007) is written set-wise too, its per-row triggers set aside inside the
transaction (see SEARCH_INSERT), as are the report roll-ups' (migrations
0010 and 0016) when the import writes what they watch.

make_plan and apply run inside the import's write_transaction: nothing here commits.
"""

from __future__ import annotations

from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ContextManager, Iterable, Iterator, Sequence

from peewee import DatabaseError, SqliteDatabase

from pos_tui.db.bulk import insert_stored, update_stored
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Category, Product, ProductTag, StockMove, Tag, database
from pos_tui.db.set_aside import set_aside
from pos_tui.domain.quantity import qty_to_milli
from pos_tui.services.context import Actor

if TYPE_CHECKING:
    from pos_tui.services.product_import import ProductRow

CHUNK = 900  # barcodes or ids per IN (...): under old SQLite's 999 parameters

_NEW_FIELDS = ("barcode", "name", "price", "cost", "tax_class", "unit", "category", "stock", "reorder_level",
               "archived", "created_at", "updated_at")
_MOVE_FIELDS = ("product", "delta", "reason", "reference", "user", "os_user", "created_at")


@dataclass(slots=True)  # one per changed product: 100,000 for a new price file
class Change:
    """An existing product the file changes: the stored values it changes, and how."""

    row: ProductRow
    id: int
    # By field name, only those whose value changes (price, cost, tax_class, reorder_level in milli, unit,
    # category: an id, None, or the name of a category the import creates). An UPDATE names only these, so
    # the triggers on other columns (the report roll-ups', the search index's) neither fire nor mark stale.
    sets: dict[str, Any]
    old_name: str | None  # set when the file renames it
    delta: int  # milli

    @property
    def moves_stock_sums(self) -> bool:
        """Whether migration 0016's per-product triggers would fire for it (stock, cost or category)."""
        return bool(self.delta) or "cost" in self.sets or "category" in self.sets


@dataclass
class Plan:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new: list[ProductRow] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    retag: list[tuple[ProductRow, int | None]] = field(default_factory=list)  # (row, existing id or None)
    deltas: list[tuple[str, int]] = field(default_factory=list)  # (barcode, milli) per stock move, in file order
    categories: dict[str, int] = field(default_factory=dict)

    @property
    def moves(self) -> int:
        return len(self.deltas)


def _chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _raw(query) -> list[tuple]:
    """The query's rows as stored (no Decimal or datetime conversion): fast, and comparable to what we write."""
    sql, params = query.sql()
    return database.execute_sql(sql, params).fetchall()


def _rows_in(sql: str, values: Sequence) -> Iterator[tuple]:
    """Rows of `sql` (ending in "WHERE column") IN values, a chunk at a time, as stored.

    Written by hand: Peewee builds a node per value, which costs more than the
    query itself at 100,000 values.
    """
    for chunk in _chunks(values):
        yield from database.execute_sql(f"{sql} IN ({', '.join([database.param] * len(chunk))})", chunk).fetchall()


_MILLI: dict[Decimal, int] = {}


def _milli(qty: Decimal) -> int:
    """qty_to_milli, remembered: a catalogue's stock levels and reorder levels repeat."""
    milli = _MILLI.get(qty)
    if milli is None:
        milli = qty_to_milli(qty)  # raises, naming the quantity, past 3 decimals
        if len(_MILLI) < 100_000:
            _MILLI[qty] = milli
    return milli


@contextmanager
def roomy_cache(kib: int = 65_536) -> Iterator[None]:
    """A bigger SQLite page cache for this connection while a big import runs.

    Names arrive in no order, so their two indexes take inserts all over; with
    the default 2 MiB cache those pages go to and from the file. Pages are
    only taken as needed; the old size is put back after.
    """
    if not isinstance(database.obj, SqliteDatabase):
        yield
        return
    old = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with suppress(DatabaseError):  # never hide the import's own error behind this one
            database.execute_sql(f"PRAGMA cache_size = {int(old)}")


def _existing(barcodes: list[str]) -> dict[str, tuple]:
    """The stored (barcode, id, name, price, cost, tax_class, reorder_level, unit, category_id, stock) by barcode."""
    sql = ('SELECT barcode, id, name, price, cost, tax_class, reorder_level, unit, category_id, stock '
           'FROM product')
    # A file naming half the catalogue or more (a re-import): one pass over the table costs less than
    # looking each barcode up (100,000 of them: 0.34 s of CPU against 0.49 s).
    if 2 * len(barcodes) >= database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM product").fetchone()[0]:
        return {row[0]: row for row in database.execute_sql(sql).fetchall()}
    return {row[0]: row for row in _rows_in(f"{sql} WHERE barcode", barcodes)}


def _tags_of(ids: list[int]) -> dict[int, tuple[str, ...]]:
    names: dict[int, list[str]] = {}
    sql = "SELECT pt.product_id, t.name FROM product_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.product_id"
    for product_id, name in _rows_in(sql, ids):
        names.setdefault(product_id, []).append(name)
    return {pid: tuple(sorted(tags)) for pid, tags in names.items()}


def make_plan(rows: list[ProductRow]) -> Plan:
    """What the import would do; reads only, so a dry run is this alone."""
    plan = Plan(categories=dict(_raw(Category.select(Category.name, Category.id))))
    existing = _existing([r.barcode for r in rows])
    tags = _tags_of([existing[r.barcode][1] for r in rows if "tags" in r.present and r.barcode in existing])
    categories = plan.categories
    for row in rows:
        current = existing.get(row.barcode)
        if current is None:
            plan.created += 1
            plan.new.append(row)
            if row.stock != 0:
                plan.deltas.append((row.barcode, _milli(row.stock)))
            if row.tags:
                plan.retag.append((row, None))
            continue
        _, pid, name, price, cost, tax_class, reorder, unit, category, stock = current
        present = row.present
        sets: dict[str, Any] = {}
        if row.price != price:
            sets["price"] = row.price
        if "cost" in present and row.cost != cost:
            sets["cost"] = row.cost
        if "tax_class" in present and row.tax_class != tax_class:
            sets["tax_class"] = row.tax_class
        if "reorder_level" in present and (milli := _milli(row.reorder_level)) != reorder:
            sets["reorder_level"] = milli
        if "unit" in present and row.unit != unit:
            sets["unit"] = row.unit
        if "category" in present:
            wanted = (categories.get(row.category) or row.category) if row.category else None
            if wanted != category:
                sets["category"] = wanted
        delta = _milli(row.stock) - stock if "stock" in present else 0
        renamed = name != row.name
        retag = "tags" in present and row.tags != tags.get(pid, ())
        if sets or renamed or delta or retag:
            plan.updated += 1
            plan.changes.append(Change(row, pid, sets, name if renamed else None, delta))
            if delta:
                plan.deltas.append((row.barcode, delta))
            if retag:
                plan.retag.append((row, pid))
        else:
            plan.unchanged += 1
    return plan


def _create_names(model: type[Category] | type[Tag], names: Iterable[str], known: dict[str, int]) -> None:
    """Add the names not yet in `known` (in first-seen order), and their new ids to `known`."""
    missing = [n for n in dict.fromkeys(names) if n not in known]  # each distinct name tested once
    insert_stored(model, ("name",), [(n,) for n in missing])
    known.update(_rows_in(f"SELECT name, id FROM {model._meta.table_name} WHERE name", missing))


# Migration 0007's search-index triggers, as SQLite stores them. Row by row they
# cost more than the rest of a 100,000-row import together; the import drops
# them inside its transaction, indexes its rows in one statement and puts them
# back. A trigger that differs (a later migration) is left alone: slower, still right.
SEARCH_INSERT = ("CREATE TRIGGER product_search_insert AFTER INSERT ON product BEGIN "
                 "INSERT INTO product_search (rowid, name) VALUES (new.id, new.name); END")
SEARCH_RENAME = ("CREATE TRIGGER product_search_rename AFTER UPDATE OF id, name ON product BEGIN "
                 "INSERT INTO product_search (product_search, rowid, name) VALUES ('delete', old.id, old.name); "
                 "INSERT INTO product_search (rowid, name) VALUES (new.id, new.name); END")


def _trigger_off(sql: str, wanted: bool) -> ContextManager[set[str]]:
    """Without the trigger `sql` creates, when it is there as written and `wanted` (db/set_aside.py)."""
    return set_aside("trigger", wanted, names=[sql.split()[2]], unless=lambda found: found != sql)


# Triggers on stock_move the import's moves need not fire one by one: migration 0010's roll-up (an upsert
# per move; the import sums its moves in one statement after) and migration 0016's last sale days, which
# only a 'sale' move changes (the import's are 'import'), yet SQLite ran its trigger program for each row
# to test that: 1.7 s of CPU for a new catalogue's 100,000 opening moves.
MOVE_ROLLUP = "report_move_in"
FLOW_ROLLUP = "report_flow_move"  # migration 0017's, beside it (report_product_flow), likewise
MOVE_TRIGGERS = (MOVE_ROLLUP, FLOW_ROLLUP, "report_state_sale")


def _roll_up_moves(after_id: int, at: str, off: set[str]) -> None:
    """What the roll-up triggers set aside (`off`) would have added for the import's moves (those past
    `after_id`, all made `at` one time), in one statement each: the shop's day of `at` is worked out once,
    not once a move."""
    from pos_tui.services.reports.rollups import local_day

    day = database.execute_sql(f"SELECT {local_day('t.at')} FROM (SELECT ? AS at) t", (at,)).fetchone()[0]
    # One move a product (a file repeating a barcode is refused), so no GROUP BY: a day that has this
    # product's moves from an earlier import already adds to them ON CONFLICT, as the trigger does.
    if MOVE_ROLLUP in off:
        database.execute_sql(
            "INSERT INTO report_move_day SELECT ?, m.product_id, m.reason, m.delta, MIN(m.delta, 0)"
            " FROM stock_move m WHERE m.id > ?"
            " ON CONFLICT (day, product_id, reason) DO UPDATE SET delta = delta + excluded.delta,"
            " loss = loss + excluded.loss", (day, after_id))
    if FLOW_ROLLUP in off:
        database.execute_sql(
            "INSERT INTO report_product_flow (product_id, day, qty, cost, delta) SELECT m.product_id, ?, 0, 0,"
            " m.delta FROM stock_move m WHERE m.id > ?"
            " ON CONFLICT (product_id, day) DO UPDATE SET delta = delta + excluded.delta", (day, after_id))


def _index_names(rows: list[tuple[int, str]], *, old: list[tuple[int, str]] = ()) -> None:
    """What the search triggers would have done for these (id, name) rows, in one statement each."""
    cursor = database.cursor()
    cursor.executemany("INSERT INTO product_search (product_search, rowid, name) VALUES ('delete', ?, ?)", old)
    cursor.executemany("INSERT INTO product_search (rowid, name) VALUES (?, ?)", rows)


def _updates(plan: Plan, now: str) -> dict[tuple[tuple[str, ...], bool], list[tuple]]:
    """The changed products' UPDATE parameters, grouped by the fields each changes (and whether its stock
    moves): {(fields, adds stock): [(values..., stock delta?, id)]}, one statement per group."""
    categories = plan.categories
    groups: dict[tuple[tuple[str, ...], bool], list[tuple]] = {}
    for c in plan.changes:
        sets = c.sets
        if isinstance(sets.get("category"), str):
            sets = {**sets, "category": categories[sets["category"]]}
        fields, values = (*sets, "updated_at"), (*sets.values(), now)
        if c.old_name is not None:
            fields, values = (*fields, "name"), (*values, c.row.name)
        if c.delta:
            values = (*values, c.delta)
        groups.setdefault((fields, bool(c.delta)), []).append((*values, c.id))
    return groups


def apply(plan: Plan, actor: Actor, reference: str) -> None:
    """Write the plan; inside the caller's write_transaction."""
    now = Product.created_at.db_value(utc_now())
    categories = plan.categories
    _create_names(Category, filter(None, map(attrgetter("category"), plan.new)), categories)
    _create_names(Category, (c.sets["category"] for c in plan.changes if isinstance(c.sets.get("category"), str)),
                  categories)

    from pos_tui.services.reports.rollups import stock_triggers_off

    renamed = [c for c in plan.changes if c.old_name is not None]
    updates = _updates(plan, now)
    # On SQLite, new products take the ids past the largest so far, in the plan's order (a rowid is one more
    # than the largest, while that is below 2**63), and no one else's: the import is the one writer.
    last = database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM product").fetchone()[0]
    # The report roll-ups' per-product triggers (migration 0016) aside too, their sums brought up to date
    # after; not for changes of price, name, tax class, reorder level or unit alone, which they do not watch.
    stock_changes = any(c.moves_stock_sums for c in plan.changes)
    with stock_triggers_off(bool(plan.new) or stock_changes, new_after=last, changed=stock_changes):
        with _trigger_off(SEARCH_INSERT, bool(plan.new)) as index_here:
            # At least doubling the catalogue (there are no more products than ids so far): the product's plain
            # indexes made after its rows, as a new catalogue's names arrive in no order and each insert
            # landed at a random place in them (100,000 products: 2.0 s of CPU, 1.0 s this way). The
            # barcode's UNIQUE index stays: the load looks its rows up by it.
            with set_aside("index", bool(plan.new) and len(plan.new) >= last, table="product",
                           unless=lambda sql: sql.upper().startswith("CREATE UNIQUE")):
                insert_stored(Product, _NEW_FIELDS, [
                    (r.barcode, r.name, r.price, r.cost, r.tax_class, r.unit,
                     categories[r.category] if r.category else None, _milli(r.stock), _milli(r.reorder_level), False,
                     now, now)
                    for r in plan.new
                ])
            if isinstance(database.obj, SqliteDatabase):  # the rows past `last`: one range, not 900 barcodes a query
                ids = dict(database.execute_sql("SELECT barcode, id FROM product WHERE id > ?", (last,)).fetchall())
            else:
                ids = dict(_rows_in("SELECT barcode, id FROM product WHERE barcode", [r.barcode for r in plan.new]))
            if index_here:  # what the trigger would have indexed, read back in one statement
                database.execute_sql("INSERT INTO product_search (rowid, name) SELECT id, name FROM product"
                                     " WHERE id > ? ORDER BY id", (last,))
        ids.update((c.row.barcode, c.id) for c in plan.changes)
        for (fields, adds), params in updates.items():
            if "name" not in fields:
                update_stored(Product, fields, params, add=("stock",) if adds else ())
        with _trigger_off(SEARCH_RENAME, bool(renamed)) as index_here:
            for (fields, adds), params in updates.items():
                if "name" in fields:
                    update_stored(Product, fields, params, add=("stock",) if adds else ())
            if index_here:
                _index_names([(c.id, c.row.name) for c in renamed], old=[(c.id, c.old_name) for c in renamed])
    with set_aside("trigger", bool(plan.deltas), names=MOVE_TRIGGERS) as off:
        before = database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM stock_move").fetchone()[0]
        if any(c.delta for c in plan.changes) or not isinstance(database.obj, SqliteDatabase):
            insert_stored(StockMove, _MOVE_FIELDS, [
                (ids[barcode], delta, "import", reference, actor.user_id, actor.os_user, now)
                for barcode, delta in plan.deltas
            ])
        else:  # opening stock alone (a new catalogue): each new product's stock as stored, in the plan's order
            # (read back by id: SQLite's one writer is the import; a lane's server may add products meanwhile)
            database.execute_sql(
                "INSERT INTO stock_move (product_id, delta, reason, reference, user_id, os_user, created_at)"
                " SELECT id, stock, 'import', ?, ?, ?, ? FROM product WHERE id > ? AND stock <> 0 ORDER BY id",
                (reference, actor.user_id, actor.os_user, now, last))
        if off & {MOVE_ROLLUP, FLOW_ROLLUP}:
            _roll_up_moves(before, now, off)

    tags = dict(_raw(Tag.select(Tag.name, Tag.id)))
    _create_names(Tag, chain.from_iterable(row.tags for row, _ in plan.retag), tags)
    for chunk in _chunks([pid for _, pid in plan.retag if pid is not None]):
        database.execute_sql(f"DELETE FROM product_tag WHERE product_id IN ({', '.join([database.param] * len(chunk))})",
                             chunk)
    insert_stored(ProductTag, ("product", "tag"), [
        (ids[row.barcode], tags[name]) for row, _ in plan.retag for name in row.tags
    ])
