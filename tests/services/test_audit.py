"""The audit trail is hash-chained: an edited or deleted row is found."""

from __future__ import annotations

from datetime import timezone

import pytest
from peewee import IntegrityError

from pos_tui.db.models import AuditLog, database
from pos_tui.services import audit, auth
from pos_tui.services.context import Actor
from tests.services.conftest import drop_audit_guards, raw_sql


def _some_history(actor: Actor) -> list[int]:
    auth.add_user(actor, "casey", "1111", "cashier")
    auth.set_disabled(actor, "casey", True)
    auth.set_disabled(actor, "casey", False)
    audit.record("drawer.open", actor, "lane 1", reason="no sale", amount=0)
    return [row.id for row in AuditLog.select(AuditLog.id).order_by(AuditLog.id)]


def _tamper(sql: str, params: tuple) -> None:
    """Edit the log the way someone with the sqlite3 shell could: drop the guards first."""
    drop_audit_guards()
    database.execute_sql(raw_sql(sql), params)


def test_the_database_refuses_to_edit_or_delete_an_audit_row(store, admin_actor):
    ids = _some_history(admin_actor)
    with pytest.raises(IntegrityError, match="append-only"):
        database.execute_sql(raw_sql("UPDATE audit_log SET username = 'x' WHERE id = ?"), (ids[0],))
    with pytest.raises(IntegrityError, match="append-only"):
        database.execute_sql(raw_sql("DELETE FROM audit_log WHERE id = ?"), (ids[0],))
    assert [row.id for row in AuditLog.select(AuditLog.id).order_by(AuditLog.id)] == ids
    assert audit.verify_chain() is None


def test_rows_are_chained_each_to_the_previous_hash(store, admin_actor):
    _some_history(admin_actor)
    rows = list(AuditLog.select().order_by(AuditLog.id))
    assert len(rows) >= 6
    assert rows[0].prev_hash == ""
    for before, after in zip(rows, rows[1:]):
        assert after.prev_hash == before.hash
    assert len({row.hash for row in rows}) == len(rows)
    assert all(len(row.hash) == 64 for row in rows)


def test_verify_chain_passes_an_intact_log(store, admin_actor):
    _some_history(admin_actor)
    assert audit.verify_chain() is None


def test_verify_chain_names_a_row_whose_details_were_edited(store, admin_actor):
    ids = _some_history(admin_actor)
    victim = ids[len(ids) // 2]
    _tamper("UPDATE audit_log SET details = ? WHERE id = ?", ('{"role": "admin"}', victim))
    assert audit.verify_chain() == victim


def test_verify_chain_names_a_row_whose_action_or_user_was_edited(store, admin_actor):
    ids = _some_history(admin_actor)
    _tamper("UPDATE audit_log SET username = 'someone-else' WHERE id = ?", (ids[-1],))
    assert audit.verify_chain() == ids[-1]


def test_verify_chain_finds_a_deleted_row(store, admin_actor):
    ids = _some_history(admin_actor)
    _tamper("DELETE FROM audit_log WHERE id = ?", (ids[2],))
    assert audit.verify_chain() == ids[3]


def test_verify_chain_finds_a_row_whose_hash_was_recomputed_but_not_the_next(store, admin_actor):
    """Rewriting one row with a fresh matching hash still breaks its successor's link."""
    ids = _some_history(admin_actor)
    row = AuditLog.get_by_id(ids[1])
    forged_details = '{"role": "admin"}'
    at = row.created_at.isoformat(timespec="microseconds")
    forged = audit._digest(row.prev_hash, at, row.action, row.username, row.os_user, row.target, forged_details)
    _tamper("UPDATE audit_log SET details = ?, hash = ? WHERE id = ?", (forged_details, forged, ids[1]))
    assert audit.verify_chain() == ids[2]


def test_entries_are_newest_first_filtered_by_action(store, admin_actor):
    _some_history(admin_actor)
    newest = audit.entries(limit=1)[0]
    assert (newest.action, newest.target, newest.details) == ("drawer.open", "lane 1", {"amount": 0, "reason": "no sale"})
    assert newest.time.tzinfo is not None and newest.time.utcoffset() == timezone.utc.utcoffset(None)
    assert [e.action for e in audit.entries("user.disable")] == ["user.disable"]
    assert [e.action for e in audit.entries(limit=3)] == ["drawer.open", "user.enable", "user.disable"]
