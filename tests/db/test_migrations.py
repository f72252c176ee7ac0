"""The migrations build exactly the schema the models describe, and upgrades keep data."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from pos_tui.config import load_settings
from pos_tui.db import migrate
from pos_tui.db.database import close_database, open_database
from pos_tui.db.models import ALL_MODELS, Category, Product, Sale, StockMove, User, database
from pos_tui.domain.cart import Cart, CartLine
from pos_tui.domain.tender import Tender
from pos_tui.errors import StoreError
from pos_tui.resources import data_dir
from pos_tui.services import auth, sales, shifts
from pos_tui.services.store import open_store

MIGRATIONS = sorted(p.stem for p in data_dir("migrations").glob("[0-9][0-9][0-9][0-9]_*.py"))
FIRST, LATEST = MIGRATIONS[0], MIGRATIONS[-1]


# Migration 0007's SQLite-only search index, which no model describes on purpose:
# the models must also create a PostgreSQL schema, and FTS5 tables and NOCASE
# collation exist only in SQLite. The FTS5 table `product_search` keeps its
# index in shadow tables named after it; `product_name_nocase` is on `product`.
# tests/services/test_catalog_search.py checks that they work.
SQLITE_SEARCH_TABLES = {f"product_search{suffix}" for suffix in ("", "_data", "_idx", "_docsize", "_config")}
SQLITE_SEARCH_INDEXES = {"product_name_nocase"}
# Migration 0010's SQLite-only report roll-ups, kept by triggers: no model either, for the same
# reason. tests/services/reports/test_rollups.py checks they equal the raw sums.
SQLITE_SEARCH_TABLES |= {"report_rollup", "report_zone", "report_sale_hour", "report_tender_hour",
                         "report_product_day", "report_move_day"}
# Migration 0015's, for the same reason: the category roll-up and the narrow product index the turnover
# report sums (tests/services/reports/ check both).
SQLITE_SEARCH_TABLES |= {"report_category_day"}
SQLITE_SEARCH_INDEXES |= {"report_product_stock"}
# Migration 0016's: the catalogue's stock per category and each product's last sale and stock value
# (tests/services/reports/test_rollups.py checks them against a rebuild from the raw rows).
SQLITE_SEARCH_TABLES |= {"report_category_stock", "report_product_state"}
# Migration 0017's: each product's sales and stock moves per day, in product order (the same tests check it).
SQLITE_SEARCH_TABLES |= {"report_product_flow"}


def _schema(db) -> dict[str, dict]:
    """Each table's columns, foreign keys and indexes as SQLite reports them.

    Compared by meaning, not by CREATE text: a column added by a migration is
    spelt `REFERENCES` inline where create_tables writes a FOREIGN KEY clause.
    """
    tables = [row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ?",
        (migrate.HISTORY_TABLE,),
    ).fetchall()]
    schema = {}
    for table in sorted(set(tables) - SQLITE_SEARCH_TABLES):
        columns = sorted(
            (name, kind, notnull, default, pk)
            for _, name, kind, notnull, default, pk in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
        )
        foreign_keys = sorted(
            (src, ref_table, dst, on_update, on_delete)
            for _, _, ref_table, src, dst, on_update, on_delete, _ in db.execute_sql(
                f'PRAGMA foreign_key_list("{table}")').fetchall()
        )
        indexes = sorted(
            (name, unique, tuple(col for *_, col in db.execute_sql(f'PRAGMA index_info("{name}")').fetchall()))
            for _, name, unique, *_ in db.execute_sql(f'PRAGMA index_list("{table}")').fetchall()
            if name not in SQLITE_SEARCH_INDEXES
        )
        schema[table] = {"columns": columns, "foreign_keys": foreign_keys, "indexes": indexes}
    return schema


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_the_migrations_folder_is_numbered_and_starts_at_0001():
    assert FIRST == "0001_initial"
    assert [name[:4] for name in MIGRATIONS] == [f"{n:04d}" for n in range(1, len(MIGRATIONS) + 1)]


def test_migrations_build_exactly_the_schema_of_the_models(tmp_path):
    migrated = open_database(_url(tmp_path / "migrated.db"), create=True)
    assert migrate.upgrade(migrated) == MIGRATIONS
    from_migrations = _schema(migrated)
    close_database()

    modelled = open_database(_url(tmp_path / "models.db"), create=True)
    database.create_tables(ALL_MODELS)
    from_models = _schema(modelled)

    assert from_models, "create_tables made no schema"
    assert set(from_models) == {m._meta.table_name for m in ALL_MODELS}
    assert set(from_migrations) == set(from_models)
    for table in from_models:  # table by table, so a failure names the one that differs
        assert from_migrations[table] == from_models[table], table


def test_upgrade_twice_applies_nothing_the_second_time(tmp_path):
    db = open_database(_url(tmp_path / "pos.db"), create=True)
    assert migrate.upgrade(db) == MIGRATIONS
    schema = _schema(db)
    history = db.execute_sql(f"SELECT name, applied FROM {migrate.HISTORY_TABLE} ORDER BY name").fetchall()
    assert migrate.upgrade(db) == []
    assert _schema(db) == schema
    assert db.execute_sql(f"SELECT name, applied FROM {migrate.HISTORY_TABLE} ORDER BY name").fetchall() == history


def test_status_lists_every_migration_with_when_it_was_applied(tmp_path):
    db = open_database(_url(tmp_path / "pos.db"), create=True)
    assert [(s.name, s.applied) for s in migrate.status(db)] == [(name, None) for name in MIGRATIONS]
    assert migrate.pending(db) == MIGRATIONS

    migrate.upgrade(db)
    states = migrate.status(db)
    assert [s.name for s in states] == MIGRATIONS
    assert all(isinstance(s.applied, datetime) for s in states)
    assert not any(s.missing_file for s in states)
    assert migrate.pending(db) == []


def test_upgrade_to_an_unknown_target_is_a_store_error(tmp_path):
    db = open_database(_url(tmp_path / "pos.db"), create=True)
    with pytest.raises(StoreError, match="migration failed"):
        migrate.upgrade(db, target="9999_nope")


def test_a_store_at_0001_upgrades_to_the_latest_keeping_its_data(tmp_path):
    db = open_database(_url(tmp_path / "pos.db"), create=True)
    assert migrate.upgrade(db, target=FIRST) == [FIRST]
    assert migrate.pending(db) == MIGRATIONS[1:]
    assert not db.table_exists("sale")

    # Rows written the way the 0001-era code wrote them: plain SQL on the 0001 tables.
    created = "2026-01-02T03:04:05.000006+00:00"
    db.execute_sql(
        "INSERT INTO user (username, full_name, role, password_hash, disabled, failed_logins, created_at) "
        "VALUES (?, ?, ?, ?, 0, 0, ?)",
        ("old.timer", "Old Timer", "cashier", auth.hash_password("7777"), created),
    )
    db.execute_sql("INSERT INTO category (name) VALUES ('Bakery')")
    db.execute_sql(
        "INSERT INTO product (barcode, name, price, cost, tax_class, unit, category_id, stock, reorder_level, "
        "archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, 0, ?, ?)",
        ("4010079190010", "Sourdough Loaf", 320, 222, "reduced", "each", 5000, 1000, created, created),
    )
    db.execute_sql(
        "INSERT INTO stock_move (product_id, delta, reason, reference, os_user, created_at) "
        "VALUES (1, 5000, 'import', 'old.csv', 'root', ?)",
        (created,),
    )

    assert migrate.upgrade(db) == MIGRATIONS[1:]
    assert migrate.pending(db) == []

    user = User.get(User.username == "old.timer")
    assert (user.full_name, user.role, user.created_at) == (
        "Old Timer", "cashier", datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc),
    )
    product = Product.get(Product.barcode == "4010079190010")
    assert (product.name, product.price, product.cost, product.stock, product.reorder_level) == (
        "Sourdough Loaf", 320, 222, Decimal(5), Decimal(1),
    )
    assert product.category.name == "Bakery" and Category.select().count() == 1

    # The upgraded store takes a sale from the old user.
    actor = auth.authenticate("old.timer", "7777")
    settings = load_settings(tmp_path / "home")
    shifts.open_shift(actor, settings, lane="1", counts={"20.00": 5})
    cart = Cart()
    cart.add(CartLine(product.id, product.barcode, product.name, product.price, Decimal(2), "reduced", Decimal(5)))
    info = sales.commit_sale(actor, cart, [Tender("cash", 1000)], lane="1", settings=settings)
    assert (info.receipt_no, info.total, info.change, info.cashier) == ("1-000001", 640, 360, "old.timer")
    assert Product.get_by_id(product.id).stock == Decimal(3)
    assert [m.delta for m in StockMove.select().order_by(StockMove.id)] == [Decimal(5), Decimal(-2)]
    assert Sale.select().count() == 1
    assert Sale.get().shift_id == shifts.current_shift("1").id  # an old store's sales had none; new ones do


def test_open_store_refuses_a_store_with_a_pending_migration(tmp_path):
    home = tmp_path / "shop"
    settings = load_settings(home)
    db = open_database(settings.db_url, create=True)
    migrate.upgrade(db, target=FIRST)
    close_database()

    with pytest.raises(StoreError) as err:
        open_store(load_settings(home))
    message = str(err.value)
    assert "run `pos db upgrade`" in message
    assert all(name in message for name in MIGRATIONS[1:])
    # Nothing was applied behind the shop's back.
    db = open_database(settings.db_url)
    assert migrate.pending(db) == MIGRATIONS[1:]


def test_open_store_opens_an_up_to_date_store(store):
    close_database()
    db = open_store(store)
    assert migrate.pending(db) == []
    assert User.select().where(User.username == "owner").exists()

