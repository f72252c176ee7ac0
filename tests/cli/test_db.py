"""`pos db upgrade|status`: migrations of the store's database."""

from __future__ import annotations

import json
from pathlib import Path
from datetime import datetime

import pytest

MIGRATIONS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "migrations").glob("[0-9]*.py"))


def test_upgrade_on_a_migrated_store_says_up_to_date_every_time(store, pos, ok, query, home):
    before = ok(pos("db", "status", "--json"))

    assert ok(pos("db", "upgrade")) == "the database is up to date\n"
    assert ok(pos("db", "upgrade")) == "the database is up to date\n"

    assert ok(pos("db", "status", "--json")) == before
    assert query(home / "pos.db", "SELECT count(*) FROM audit_log WHERE action = 'db.upgrade'") == [(0,)]


def test_status_json_lists_both_migrations_applied_and_none_pending(store, pos, ok, home):
    data = json.loads(ok(pos("db", "status", "--json")))

    assert data["database"] == f"sqlite:///{home / 'pos.db'}"
    assert [m["name"] for m in data["migrations"]] == MIGRATIONS
    for migration in data["migrations"]:
        assert migration["missing_file"] is False
        datetime.fromisoformat(migration["applied"])
    assert data["pending"] == []


def test_status_text_shows_when_each_migration_was_applied(store, pos, ok):
    lines = ok(pos("db", "status")).splitlines()

    assert [line.split()[0] for line in lines] == MIGRATIONS
    assert not any("pending" in line for line in lines)
    for line in lines:
        datetime.fromisoformat(" ".join(line.split()[1:3]))


@pytest.mark.parametrize("args", [("db", "status"), ("db", "status", "--json"), ("db", "upgrade")])
def test_db_commands_on_a_missing_store_say_to_run_init_and_create_nothing(pos, refused, home, args):
    refused(pos(*args), "pos init", str(home / "pos.db"))

    assert not (home / "pos.db").exists()


def test_status_through_db_pointing_at_a_missing_file_creates_nothing(cli, refused, tmp_path):
    target = tmp_path / "elsewhere" / "shop.db"

    refused(cli("--db", f"sqlite:///{target}", "db", "status"), "pos init")

    assert not target.exists()
    assert not target.parent.exists()
