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

from pos_tui.db.fields import utc_now
from pos_tui.db.models import AuditLog
from pos_tui.services.context import Actor


def _digest(prev_hash: str, at: str, action: str, username: str, os_user: str, target: str, details: str) -> str:
    payload = "\x1f".join((prev_hash, at, action, username, os_user, target, details))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(action: str, actor: Actor, target: str = "", **details: Any) -> AuditLog:
    """Write one audit row; call it inside the write's own transaction."""
    last = AuditLog.select(AuditLog.hash).order_by(AuditLog.id.desc()).first()
    prev_hash = last.hash if last else ""
    at = utc_now().isoformat(timespec="microseconds")
    body = json.dumps(details, sort_keys=True, default=str, ensure_ascii=False)
    return AuditLog.create(
        created_at=at,
        action=action,
        username=actor.username,
        os_user=actor.os_user,
        target=target,
        details=body,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, at, action, actor.username, actor.os_user, target, body),
    )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: datetime
    action: str
    username: str
    os_user: str
    target: str
    details: dict[str, Any]


def entries(action: str | None = None, limit: int = 100) -> list[AuditEntry]:
    """The newest audit rows first, optionally of one action."""
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(limit)
    if action:
        query = query.where(AuditLog.action == action)
    return [
        AuditEntry(row.id, row.created_at, row.action, row.username, row.os_user, row.target, json.loads(row.details))
        for row in query
    ]


def verify_chain() -> int | None:
    """The id of the first row whose hash does not match, or None if intact."""
    prev = ""
    for row in AuditLog.select().order_by(AuditLog.id):
        at = row.created_at.isoformat(timespec="microseconds")
        if row.prev_hash != prev or row.hash != _digest(prev, at, row.action, row.username, row.os_user, row.target, row.details):
            return row.id
        prev = row.hash
    return None


def record_now(action: str, actor: Actor, target: str = "", **details: Any) -> None:
    """One audit row in a transaction of its own (till events outside a sale)."""
    from pos_tui.db.database import write_transaction

    with write_transaction():
        record(action, actor, target, **details)
