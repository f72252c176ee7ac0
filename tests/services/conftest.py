"""Fixtures for service tests: a small catalogue imported the way a shop would."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pos_tui.config import Settings
from pos_tui.db.models import database
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.services import product_import
from pos_tui.services.context import Actor

# Barcodes of the small test catalogue (valid EAN-13 check digits).
TEA = with_check_digit("500000000001")  # 2.50, standard (20%), stock 10
MILK = with_check_digit("500000000002")  # 1.00, reduced (5%), stock 5
APPLES = with_check_digit("2112345" + "00000")  # 3.20/kg, zero, stock 2.5 kg, weighed


@dataclass(frozen=True)
class Catalog:
    tea: str = TEA
    milk: str = MILK
    apples: str = APPLES


CATALOG_CSV = (
    "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
    f"{TEA},Breakfast Tea 80 bags,2.50,Drinks,1.40,10,standard,2,hot;promo,each\n"
    f"{MILK},Whole Milk 1L,1.00,Dairy,0.60,5,reduced,1,,each\n"
    f"{APPLES},Loose Apples,3.20,Fruit & Veg,2.00,2.500,zero,0,local,kg\n"
)


def import_catalog(settings: Settings) -> Catalog:
    rows = product_import.parse_products(CATALOG_CSV, set(settings.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="catalog.csv")
    return Catalog()


@pytest.fixture
def catalog(store: Settings) -> Catalog:
    """Three products imported through the CSV import, each with its opening stock move,
    and lane 1's shift open (a sale needs one)."""
    from tests.conftest import open_test_shift

    import_catalog(store)
    open_test_shift(store, "1")
    return Catalog()


@pytest.fixture
def assert_stock_matches_moves():
    """Check the invariant: every product's stock is the sum of its stock moves (raw thousandths)."""

    def check() -> None:
        rows = database.execute_sql(
            "SELECT p.barcode, p.stock, COALESCE(SUM(m.delta), 0) FROM product p "
            "LEFT JOIN stock_move m ON m.product_id = p.id GROUP BY p.id"
        ).fetchall()
        assert rows, "no products to check"
        wrong = [(code, stock, moved) for code, stock, moved in rows if stock != moved]
        assert wrong == [], f"stock differs from the sum of its moves (barcode, stock, moves): {wrong}"

    return check



def raw_sql(text: str) -> str:
    """A test's raw SQL, written with `?` placeholders, in the open database's own style."""
    return text.replace("?", database.param)


def drop_audit_guards() -> None:
    """Take the audit log's append-only guard away, as someone with the database's own shell could."""
    from peewee import SqliteDatabase

    if isinstance(database.obj, SqliteDatabase):
        database.execute_sql("DROP TRIGGER audit_log_no_update")
        database.execute_sql("DROP TRIGGER audit_log_no_delete")
    else:
        database.execute_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
