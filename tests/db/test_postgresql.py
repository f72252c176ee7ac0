"""A store on PostgreSQL: migrations, the guards, lost races retried, clear errors when it cannot connect."""

from __future__ import annotations

import pytest
from peewee import IntegrityError

from pos_tui.config import load_settings
from pos_tui.db import migrate
from pos_tui.db.database import open_database, retrying_write
from pos_tui.db.models import ALL_MODELS, Setting, database
from pos_tui.errors import StoreError
from pos_tui.services.store import open_store

pytestmark = pytest.mark.pg

# PostgreSQL's own way to abort a transaction as the loser of a deadlock / a serialization failure.
LOSE = "DO $$ BEGIN RAISE EXCEPTION 'lost a race' USING ERRCODE = '{code}'; END $$"


def test_every_migration_applies_and_every_model_has_its_table(pg_url):
    db = open_store(load_settings(db=pg_url))

    assert migrate.pending(db) == []
    assert {m._meta.table_name for m in ALL_MODELS} <= set(db.get_tables())


@pytest.mark.parametrize("code", ["40P01", "40001"])
def test_a_write_that_loses_a_race_runs_again_and_only_its_last_try_is_kept(pg_url, code):
    open_store(load_settings(db=pg_url))
    tries = []

    def write() -> int:
        tries.append(1)
        Setting.insert(key=f"try.{len(tries)}", value="x").execute()
        if len(tries) < 3:
            database.execute_sql(LOSE.format(code=code))
        return len(tries)

    assert retrying_write(write) == 3
    assert [s.key for s in Setting.select().where(Setting.key.startswith("try."))] == ["try.3"]


def test_a_write_that_keeps_losing_gives_up_with_one_clear_line_and_keeps_nothing(pg_url):
    open_store(load_settings(db=pg_url))

    def write() -> None:
        Setting.insert(key="never", value="x").execute()
        database.execute_sql(LOSE.format(code="40P01"))

    with pytest.raises(StoreError, match="other tills were writing the same rows, so nothing was saved"):
        retrying_write(write, attempts=2)
    assert not Setting.select().where(Setting.key == "never").exists()


def test_other_errors_are_not_retried(pg_url):
    open_store(load_settings(db=pg_url))
    tries = []

    def write() -> None:
        tries.append(1)
        Setting.insert(key="twice", value="x").execute()
        Setting.insert(key="twice", value="y").execute()

    with pytest.raises(IntegrityError):
        retrying_write(write)
    assert len(tries) == 1


def test_the_audit_log_refuses_edits_and_a_closed_shift_never_changes(pg_url):
    from pos_tui.db.models import AuditLog, Shift
    from tests.conftest import open_test_shift

    settings = load_settings(db=pg_url)
    open_store(settings)
    first = AuditLog.select().order_by(AuditLog.id).first()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditLog.update(username="x").where(AuditLog.id == first.id).execute()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditLog.delete().where(AuditLog.id == first.id).execute()
    shift = open_test_shift(settings, "1")
    Shift.update(closed_at=Shift.opened_at).where(Shift.id == shift.id).execute()
    with pytest.raises(IntegrityError, match="a closed shift never changes"):
        Shift.update(counted=1).where(Shift.id == shift.id).execute()


def test_an_unreachable_server_or_missing_database_is_one_clear_line(pg_cluster):
    with pytest.raises(StoreError, match="cannot connect to 'postgresql://shop@127.0.0.1:1/pos'"):
        open_database("postgresql://shop@127.0.0.1:1/pos")
    with pytest.raises(StoreError, match='database "no_such_shop" does not exist') as refused:
        open_database(pg_cluster.url("no_such_shop"))
    assert "\n" not in str(refused.value).strip()
