"""The product import and the report roll-ups: exact after any mix of changes, and no needless rebuild.

The import sets the roll-ups' per-row triggers aside when it writes what they
watch (new products, stock, cost, category, stock moves) and sums their tables
set-wise after; a file that changes only prices, names, tax classes or reorder
levels leaves them in place, and its UPDATEs name only the changed columns so
they do not fire. Either way the roll-ups must equal a rebuild from the raw rows.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from pos_tui.db.models import database
from pos_tui.services import product_import
from pos_tui.services.context import Actor
from pos_tui.services.reports import rollups

pytestmark = pytest.mark.sqlite_only("report roll-ups are SQLite's")

ZONE = ZoneInfo("Europe/London")
TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def _snapshot() -> dict[str, list[tuple]]:
    return {table: sorted(database.execute_sql(f"SELECT * FROM {table}").fetchall()) for table in rollups.TABLES}


def _stale() -> str:
    return dict(database.execute_sql("SELECT key, value FROM report_rollup").fetchall())["stale"]


def _catalogue() -> list[dict[str, str]]:
    rows = product_import.export_rows()
    assert len(rows) >= 8  # the demo catalogue: enough products to change each in another way
    return rows


def _import(rows: list[dict[str, str]], demo_store) -> product_import.ImportResult:
    text = product_import.to_csv(rows)
    return product_import.import_products(
        Actor.cli(), product_import.parse_products(text, set(demo_store.tax_rates())), source="t.csv")


def _as_rebuilt() -> None:
    """The roll-ups as the import left them equal a rebuild from the raw rows, and are not marked stale."""
    assert _stale() == "0"
    kept = _snapshot()
    rollups.rebuild(ZONE)
    assert _snapshot() == kept


def test_a_file_changing_prices_names_and_tax_alone_keeps_the_rollups_exact_and_current(demo_store):
    rollups.ready(ZONE)
    triggers = database.execute_sql(TRIGGERS).fetchall()
    rows = _catalogue()
    rows[0]["price"] = "99.99"
    rows[1]["name"] = rows[1]["name"] + " (new)"
    rows[2]["tax_class"] = "zero" if rows[2]["tax_class"] != "zero" else "standard"
    rows[3]["reorder_level"] = "17"
    result = _import(rows, demo_store)
    assert (result.updated, result.stock_moves) == (4, 0)
    assert database.execute_sql(TRIGGERS).fetchall() == triggers
    _as_rebuilt()


def test_a_file_mixing_every_kind_of_change_keeps_the_rollups_exact(demo_store):
    rollups.ready(ZONE)
    triggers = database.execute_sql(TRIGGERS).fetchall()
    rows = _catalogue()
    rows[0]["price"] = "99.99"                    # price alone: a trigger-free change
    rows[1]["cost"] = "0.01"                      # revalued
    rows[2]["stock"] = "250"                      # a stock move
    rows[3]["category"] = rows[4]["category"] if rows[4]["category"] != rows[3]["category"] else ""
    rows[5]["category"] = "Brand New Shelf"       # to a category the import creates
    rows[6]["stock"] = "-3"                        # below zero: out of the stocked values
    rows[7]["name"], rows[7]["cost"] = "Renamed and revalued", "12.34"
    rows.append(dict(rows[0], barcode="4006381333931", name="Pencil", stock="40", category="Brand New Shelf"))
    result = _import(rows, demo_store)
    assert (result.created, result.updated, result.stock_moves) == (1, 7, 3)
    assert database.execute_sql(TRIGGERS).fetchall() == triggers
    _as_rebuilt()


def test_a_price_change_does_not_mark_the_rollups_stale_on_a_store_from_before_the_unit_check(demo_store):
    """Stores migrated before migration 0010's unit trigger tested OLD.unit IS NOT NEW.unit mark the roll-ups
    stale on any UPDATE naming the unit; a price import must not (the next report would rebuild them all)."""
    database.execute_sql("DROP TRIGGER report_unit_edit")
    database.execute_sql("CREATE TRIGGER report_unit_edit AFTER UPDATE OF unit ON product BEGIN"
                         " UPDATE report_rollup SET value = '1' WHERE key = 'stale'; END")
    rollups.ready(ZONE)
    rows = _catalogue()
    for row in rows:
        row["price"] = "1.23" if row["price"] != "1.23" else "1.24"
    assert _import(rows, demo_store).updated == len(rows)
    assert not rollups.needs_rebuild(ZONE)
    _as_rebuilt()
    rows[0]["unit"] = "kg" if rows[0]["unit"] != "kg" else "each"  # a real unit change still does
    _import(rows, demo_store)
    assert rollups.needs_rebuild(ZONE)


def test_a_sale_after_an_import_with_stock_moves_still_updates_the_last_sale_day(demo_store):
    """The import sets the last-sale trigger on stock_move aside while its 'import' moves go in; it is back after."""
    from datetime import datetime, timezone
    from decimal import Decimal

    from pos_tui.db.models import Product, StockMove

    rollups.ready(ZONE)
    rows = [dict(r, stock="500") for r in _catalogue()]
    assert _import(rows, demo_store).stock_moves == len(rows)
    product = Product.get(Product.barcode == rows[0]["barcode"])
    StockMove.create(product=product, delta=Decimal(-1), reason="sale",
                     created_at=datetime(2099, 1, 2, 12, tzinfo=timezone.utc))
    assert database.execute_sql("SELECT last_sale FROM report_product_state WHERE product_id = ?",
                                (product.id,)).fetchone() == ("2099-01-02",)
    _as_rebuilt()


def test_the_move_rollup_adds_to_a_day_that_already_has_import_moves(demo_store):
    """Two imports on one day: the second's moves add to the first's in the day's roll-up, as the trigger would."""
    rollups.ready(ZONE)
    rows = _catalogue()
    _import([dict(r, stock="30") for r in rows], demo_store)
    _import([dict(r, stock="10") for r in rows], demo_store)
    _as_rebuilt()
    moved = database.execute_sql("SELECT SUM(delta), SUM(loss) FROM report_move_day WHERE reason = 'import'").fetchone()
    assert moved[1] < 0  # the second import's losses are kept apart from the first's gains


def test_new_products_beside_price_changes_keep_the_rollups_and_the_moves_exact(demo_store):
    """New products' opening stock (their moves read back from the rows just written) beside changes that
    leave every existing product's stock, cost and category alone: the roll-ups equal a rebuild."""
    from decimal import Decimal

    from pos_tui.db.models import Product, StockMove

    rollups.ready(ZONE)
    rows = _catalogue()
    rows[0]["price"] = "99.99"
    new = [dict(rows[1], barcode=code, name=f"Pencil {n}", stock=stock, category=category)
           for n, (code, stock, category) in enumerate((("4006381333931", "40", "Stationery"),
                                                         ("4006381333948", "0", ""), ("4006381333955", "2.5", "")))]
    result = _import(rows + new, demo_store)
    assert (result.created, result.updated, result.stock_moves) == (3, 1, 2)
    moved = [(m.product.barcode, m.delta, m.reason, m.reference)
             for m in StockMove.select().join(Product).order_by(StockMove.id.desc()).limit(2)]
    assert moved == [("4006381333955", Decimal("2.5"), "import", "t.csv"), ("4006381333931", Decimal(40), "import", "t.csv")]
    _as_rebuilt()
