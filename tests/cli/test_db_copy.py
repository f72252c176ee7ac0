"""`pos db copy --to postgresql://…`: a SQLite store moved to PostgreSQL, whole and checkable."""

from __future__ import annotations

import json

import psycopg2
import pytest


# Needs a PostgreSQL server to copy to; the store copied from is SQLite, whatever POS_TEST_DB says.
pytestmark = [pytest.mark.pg, pytest.mark.sqlite_only("the store copied from is a SQLite file")]


def _pg_rows(url: str, sql: str) -> list[tuple]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


def _sqlite_counts(query, db) -> dict[str, int]:
    from pos_tui.db.models import ALL_MODELS

    return {m._meta.table_name: query(db, f'SELECT COUNT(*) FROM "{m._meta.table_name}"')[0][0] for m in ALL_MODELS}


def test_copy_moves_every_row_and_both_stores_pass_the_check(demo_store, cli, query, empty_pg_url):
    home = str(demo_store.home)
    counts = _sqlite_counts(query, demo_store.home / "pos.db")
    assert counts["sale"] > 100 and counts["audit_log"] > 0

    result = cli("--home", home, "db", "copy", "--to", empty_pg_url, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == sum(counts.values())

    for model, count in counts.items():
        copied = _pg_rows(empty_pg_url, f'SELECT COUNT(*) FROM "{model}"')[0][0]
        # the copy's own audit row is the one extra row in the target
        assert copied == count + (1 if model == "audit_log" else 0), model
    assert _pg_rows(empty_pg_url, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == [("db.copy",)]

    assert cli("--home", home, "db", "check").stdout == "the database is sound\n"
    checked = cli("--home", home, "--db", empty_pg_url, "db", "check")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "the database is sound\n"


def test_the_copy_sells_on_with_new_ids_and_the_same_receipt_sequence(store, cli, empty_pg_url):
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.db.models import Sale
    from pos_tui.services.store import open_store
    from tests.conftest import open_test_shift
    from tests.services.conftest import import_catalog

    import_catalog(store)
    open_test_shift(store, "1")
    sold = _sell_one(store)
    close_database()
    result = cli("--home", str(store.home), "db", "copy", "--to", empty_pg_url)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("copied ")

    moved = load_settings(store.home, db=empty_pg_url)
    open_store(moved)
    again = _sell_one(moved)
    assert (sold.receipt_no, again.receipt_no) == ("1-000001", "1-000002")
    assert Sale.select().count() == 2  # the id sequence went past the copied rows: no clash


def _sell_one(settings):
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.tender import Tender
    from pos_tui.services.auth import authenticate
    from pos_tui.services.catalog import scan
    from pos_tui.services.sales import commit_sale
    from tests.conftest import ADMIN, ADMIN_PASSWORD
    from tests.services.conftest import TEA

    actor = authenticate(ADMIN, ADMIN_PASSWORD)
    cart = Cart()
    cart.add(scan(TEA, settings.tax_rates()))
    return commit_sale(actor, cart, [Tender("cash", 250)], lane="1", settings=settings)


def test_a_copy_that_fails_midway_leaves_no_rows_and_can_simply_be_run_again(store, cli, empty_pg_url, monkeypatch):
    from pos_tui.errors import StoreError
    from pos_tui.services import db_copy

    real = db_copy._copy_table

    def failing(source, target, model):
        if model._meta.table_name == "audit_log":
            raise StoreError("the network dropped")
        return real(source, target, model)

    monkeypatch.setattr(db_copy, "_copy_table", failing)
    result = cli("--home", str(store.home), "db", "copy", "--to", empty_pg_url)
    assert result.exit_code != 0 and "the network dropped" in result.stderr
    assert _pg_rows(empty_pg_url, 'SELECT COUNT(*) FROM "user"') == [(0,)]
    assert _pg_rows(empty_pg_url, "SELECT COUNT(*) FROM audit_log") == [(0,)]

    monkeypatch.setattr(db_copy, "_copy_table", real)
    again = cli("--home", str(store.home), "db", "copy", "--to", empty_pg_url)
    assert again.exit_code == 0, again.output
    assert _pg_rows(empty_pg_url, 'SELECT username FROM "user"') == [("owner",)]
    assert cli("--home", str(store.home), "--db", empty_pg_url, "db", "check").stdout == "the database is sound\n"


def test_copy_refuses_a_database_that_is_not_empty_and_changes_nothing(store, cli, pg_url):
    before = _pg_rows(pg_url, "SELECT COUNT(*) FROM audit_log")
    result = cli("--home", str(store.home), "db", "copy", "--to", pg_url)

    assert result.exit_code != 0
    assert result.stderr.strip().startswith("error: ") and "is not empty" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _pg_rows(pg_url, "SELECT COUNT(*) FROM audit_log") == before


@pytest.mark.parametrize("url, says", [
    ("sqlite:////tmp/elsewhere.db", "postgresql://"),
    ("mysql://shop@db/pos", "postgresql://"),
])
def test_copy_refuses_a_target_that_is_not_postgresql(store, cli, url, says):
    result = cli("--home", str(store.home), "db", "copy", "--to", url)

    assert result.exit_code != 0
    assert result.stderr.count("error: ") == 1 and says in result.stderr


def test_copy_to_an_unreachable_server_says_so_without_the_password(store, cli):
    result = cli("--home", str(store.home), "db", "copy", "--to", "postgresql://shop:hunter2@127.0.0.1:1/pos")

    assert result.exit_code != 0
    assert "cannot connect" in result.stderr and "hunter2" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
