"""A big product import on a full disk: refused whole, search triggers intact, and it goes through once space is freed."""

from __future__ import annotations

import pytest

from pos_tui.db.models import AuditLog, Category, Product, ProductTag, StockMove, Tag, database
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.errors import StoreError
from pos_tui.services import product_import
from pos_tui.services.catalog import list_products
from pos_tui.services.context import Actor
from pos_tui.services.integrity import check_store

from tests.faults.test_store_faults import UNLIMITED_PAGES, _fill_the_disk

ROWS = 2000
TEXT = "barcode,name,price,category,stock,tags\n" + "".join(
    f"{with_check_digit(f'47{n:010d}')},Bulk Item {n:05d},1.{n % 100:02d},Aisle {n % 9},{n % 13},t{n % 5}\n"
    for n in range(ROWS))
TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def _counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Product, Category, Tag, ProductTag, StockMove, AuditLog))


def test_a_full_disk_refuses_the_import_whole_and_it_goes_through_once_space_is_freed(shop):
    rows = product_import.parse_products(TEXT, set(shop.tax_rates()))
    before, triggers = _counts(), database.execute_sql(TRIGGERS).fetchall()
    _fill_the_disk()

    with pytest.raises(StoreError, match="disk holding the database is full, so nothing was saved"):
        product_import.import_products(Actor.cli(), rows, source="bulk.csv")

    assert _counts() == before
    assert database.execute_sql(TRIGGERS).fetchall() == triggers
    database.obj.pragma("max_page_count", UNLIMITED_PAGES, permanent=True)  # space freed
    result = product_import.import_products(Actor.cli(), rows, source="bulk.csv")
    assert (result.created, result.stock_moves) == (ROWS, sum(1 for n in range(ROWS) if n % 13))
    assert [p.name for p in list_products("Bulk Item 01999")] == ["Bulk Item 01999"]
    assert database.execute_sql(TRIGGERS).fetchall() == triggers
    assert check_store() == []
