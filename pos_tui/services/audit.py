"""The audit trail: one row for every action that matters, chained by hash.

Each row's hash covers its content and the previous row's hash, so an edited
or deleted row breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import PostgresqlDatabase

from pos_tui.db import statements
from pos_tui.db.bulk import bulk_insert, dialect_sql
from pos_tui.db.fields import utc_now
from pos_tui.db.models import AuditLog
from pos_tui.errors import ValidationError
from pos_tui.i18n import _
from pos_tui.services.context import Actor

MAX_PAGE = 1000  # rows one search returns at most; page on with before_id
CHAIN_LOCK = 0x706F7361  # the advisory lock key of the audit chain on PostgreSQL ("posa")
_VERIFY_BATCH = 5000  # rows read per query while verifying, so memory stays flat


def _digest(prev_hash: str, at: str, action: str, username: str, os_user: str, target: str, details: str) -> str:
    payload = "\x1f".join((prev_hash, at, action, username, os_user, target, details))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(action: str, actor: Actor, target: str = "", **details: Any) -> None:
    """Write one audit row; call it inside the write's own transaction.

    Fixed statements, no Peewee row built: every sale writes one (the till's hot path).
    """
    _lock_chain()
    last = AuditLog._meta.database.execute_sql(dialect_sql(statements.LAST_AUDIT_HASH)).fetchone()
    prev_hash = last[0] if last else ""
    at = utc_now().isoformat(timespec="microseconds")
    body = json.dumps(details, sort_keys=True, default=str, ensure_ascii=False)
    bulk_insert(AuditLog, [dict(
        created_at=at,
        action=action,
        username=actor.username,
        os_user=actor.os_user,
        target=target,
        details=body,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, at, action, actor.username, actor.os_user, target, body),
    )])


def _lock_chain() -> None:
    """On PostgreSQL, one writer at a time extends the chain (until its commit), so two tills
    never both chain from the same last row; SQLite's write lock already does that."""
    db = AuditLog._meta.database
    if isinstance(getattr(db, "obj", db), PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: datetime
    action: str
    username: str
    os_user: str
    target: str
    details: dict[str, Any]


def _entry(row: AuditLog) -> AuditEntry:
    return AuditEntry(row.id, row.created_at, row.action, row.username, row.os_user, row.target, json.loads(row.details))


def entries(action: str | None = None, limit: int = 100) -> list[AuditEntry]:
    """The newest audit rows first, optionally of one action (ungated: for code, not people)."""
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(limit)
    if action:
        query = query.where(AuditLog.action == action)
    return [_entry(row) for row in query]


def _action_names(action: str) -> list[str] | None:
    """The action names `action` stands for: itself, or those a `prefix*` covers (None: all).

    Distinct names are few (dozens) while rows are many, so the names are found
    by hopping along the action index, one seek per name, whatever the collation.
    """
    wanted = action.strip()
    prefix = wanted[:-1] if wanted.endswith("*") else None
    if "*" in (wanted if prefix is None else prefix):
        raise ValidationError(_("action {wanted!r} may have one '*', at the end (like drawer.*)").format(wanted=wanted))
    if prefix is None:
        return [wanted]
    if not prefix:
        return None
    names: list[str] = []
    last: str | None = None
    while True:
        query = AuditLog.select(AuditLog.action).order_by(AuditLog.action).limit(1)
        if last is not None:
            query = query.where(AuditLog.action > last)
        last = query.scalar()
        if last is None:
            return names
        if last.startswith(prefix):
            names.append(last)


def search(
    actor: Actor, *, since: datetime | None = None, until: datetime | None = None, user: str | None = None,
    action: str | None = None, limit: int = 100, before_id: int | None = None,
) -> list[AuditEntry]:
    """Audit rows newest first, for someone allowed to read them.

    `since` is inclusive and `until` exclusive (aware datetimes); `user` is a
    till user name or an OS user; `action` is exact or a prefix ending in `*`;
    `before_id` pages back: pass the smallest id of the page already shown.
    """
    from pos_tui.services.permissions import require  # permissions audits through this module

    require(actor, "audit.view")
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(_("limit {limit} must be between 1 and {MAX_PAGE}").format(limit=limit, MAX_PAGE=MAX_PAGE))
    for name, moment in (("since", since), ("until", until)):
        if moment is not None and moment.tzinfo is None:
            raise ValidationError(_("{name} needs a time zone").format(name=name))
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AuditLog.created_at >= since)
    if until is not None:
        query = query.where(AuditLog.created_at < until)
    if user and user.strip():
        query = query.where((AuditLog.username == user.strip()) | (AuditLog.os_user == user.strip()))
    if before_id is not None:
        query = query.where(AuditLog.id < before_id)
    names = _action_names(action) if action and action.strip() else None
    if names is None:
        return [_entry(row) for row in query]
    # One query per name walks the (action, id) index newest first and stops at
    # `limit`; a single IN or range query would sort every row of the family.
    rows = [row for name in names for row in query.clone().where(AuditLog.action == name)]
    rows.sort(key=lambda row: row.id, reverse=True)
    return [_entry(row) for row in rows[:limit]]


@dataclass(frozen=True)
class ChainReport:
    """What verifying found: how many rows hold together, and the first that does not."""

    rows: int  # rows checked and intact (all of them when the chain holds)
    broken_id: int | None = None
    broken_time: datetime | None = None
    broken_action: str = ""
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


_CHAIN_COLUMNS = (AuditLog.id, AuditLog.created_at, AuditLog.action, AuditLog.username, AuditLog.os_user,
                  AuditLog.target, AuditLog.details, AuditLog.prev_hash, AuditLog.hash)


def _check_chain() -> ChainReport:
    """Walk the chain oldest first, a batch of ids at a time (flat memory, no OFFSET).

    Rows come back as the stored text, not converted to datetimes: the hash
    covers that text, and skipping Peewee's conversion halves the time.
    """
    prev_hash, prev_id, checked = "", None, 0
    while True:
        query = AuditLog.select(*_CHAIN_COLUMNS).order_by(AuditLog.id).limit(_VERIFY_BATCH)
        if prev_id is not None:
            query = query.where(AuditLog.id > prev_id)
        batch = AuditLog._meta.database.execute_sql(*query.sql()).fetchall()
        for row_id, at, action, username, os_name, target, details, row_prev, row_hash in batch:
            reason = ""
            if row_prev != prev_hash:
                if prev_id is None:
                    reason = _("it does not start the chain: the rows before it were deleted")
                elif row_id != prev_id + 1:
                    reason = _("its link to row {prev_id} is broken: rows {first}-{last} were deleted").format(prev_id=prev_id, first=prev_id + 1, last=row_id - 1)
                else:
                    reason = _("its link to row {prev_id} does not match: one of the two was changed").format(prev_id=prev_id)
            elif row_hash != _digest(prev_hash, at, action, username, os_name, target, details):
                reason = _("its hash does not match its content: the row was changed")
            if reason:
                return ChainReport(checked, row_id, AuditLog.created_at.python_value(at), action, reason)
            prev_hash, prev_id = row_hash, row_id
            checked += 1
        if len(batch) < _VERIFY_BATCH:
            return ChainReport(checked)


def verify(actor: Actor) -> ChainReport:
    """Check every row's hash and its link to the row before, for someone allowed to read the log."""
    from pos_tui.services.permissions import require

    require(actor, "audit.view")
    return _check_chain()


def verify_chain() -> int | None:
    """The id of the first row whose hash or link does not match, or None if intact."""
    return _check_chain().broken_id


def record_now(action: str, actor: Actor, target: str = "", **details: Any) -> None:
    """One audit row in a transaction of its own (till events outside a sale)."""
    from pos_tui.db.database import write_transaction

    with write_transaction():
        record(action, actor, target, **details)
