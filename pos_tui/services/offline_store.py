"""A lane's own SQLite copy of the shop: what it needs to sell while the server is away.

POS_HOME/offline-<lane>.db is migrated with the store's migrations and holds
the catalogue last synced from the server (products with prices, categories,
the users with their password hashes, roles and permissions, the settings
rows, the lane's open shift and receipt counter). Sales made offline are
written there by the ordinary sale service, and each one gets a row in
`offline_queue` (a table only the local copy has) until the server has it.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from peewee import Case, CharField, Database, IntegerField, Model, TextField

from pos_tui.db import migrate
from pos_tui.db.database import make_database
from pos_tui.db.fields import UtcDateTimeField, utc_now
from pos_tui.db.models import Category, Product, Role, RolePermission, Setting, Shift, Tag, User, database

SYNCED_AT = "offline.synced_at"  # local-only Setting rows: when, and up to which product change
PRODUCT_STAMP = "offline.product_stamp"
BATCH = 500


class OfflineQueue(Model):
    """A sale made offline, waiting to be sent (sent_at is set only after the server committed it)."""

    offline_id = CharField(max_length=36, unique=True)
    receipt_no = CharField(max_length=32)
    customer_id = IntegerField(null=True)  # customers are not copied here: the server's id, kept for the send
    queued_at = UtcDateTimeField(default=utc_now)
    sent_at = UtcDateTimeField(null=True)
    attempts = IntegerField(default=0)
    last_error = TextField(default="")

    class Meta:
        database = database
        table_name = "offline_queue"


def local_path(home: Path, lane: str) -> Path:
    return home / f"offline-{lane}.db"


def open_local(home: Path, lane: str, *, create: bool = True, busy_timeout_s: float = 10) -> Database | None:
    """The lane's local store (migrated, with its queue table), not bound to the proxy; None if absent."""
    path = local_path(home, lane)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    db = make_database(f"sqlite:///{path}", busy_timeout_s=busy_timeout_s)
    migrate.upgrade(db)
    with database.routed(db):
        db.create_tables([OfflineQueue, SyncMark], safe=True)
    for sql in _GUARDS:
        db.execute_sql(sql)
    return db


class SyncMark(Model):
    """A row here, inside a pull's own transaction, lets the sync move shifts the guards refuse the till."""

    id = IntegerField(primary_key=True)

    class Meta:
        database = database
        table_name = "offline_sync_mark"


_SYNCING = "EXISTS (SELECT 1 FROM offline_sync_mark)"


def _guard(name: str, event: str, when: str, message: str) -> str:
    return (f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} WHEN {when} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END")


# Only sales are queued and sent: anything else written here while offline would never reach the
# server, so the local copy refuses it with a line saying so (the till shows the message).
_GUARDS = (
    _guard("offline_no_returns", "INSERT ON sale", "NEW.status != 'completed' OR NEW.original_id IS NOT NULL",
           "this lane is offline: returns and refunds need the server; try again when it is back"),
    _guard("offline_no_voids", "UPDATE OF status ON sale", "NEW.status != OLD.status",
           "this lane is offline: voids need the server; try again when it is back"),
    _guard("offline_no_cash_movements", "INSERT ON cash_movement", "1",
           "this lane is offline: cash in and out need the server; try again when it is back"),
    _guard("offline_no_shift_open", "INSERT ON shift", f"NOT {_SYNCING}",
           "this lane is offline: opening a shift needs the server; try again when it is back"),
    _guard("offline_no_shift_close", "UPDATE ON shift", f"NOT {_SYNCING}",
           "this lane is offline: closing a shift needs the server; try again when it is back"),
)


def synced_at(local: Database) -> datetime | None:
    """When the catalogue was last synced into `local` (None: never, so it cannot sell)."""
    with database.routed(local):
        row = Setting.get_or_none(Setting.key == SYNCED_AT)
    return datetime.fromisoformat(row.value) if row else None


def pending(local: Database) -> int:
    with database.routed(local):
        return OfflineQueue.select().where(OfflineQueue.sent_at.is_null()).count()


def _upsert(model: type[Model], rows: list[dict], key: str = "id") -> None:
    fields = [f for f in model._meta.sorted_field_names if f != key]
    for start in range(0, len(rows), BATCH):
        (model.insert_many(rows[start:start + BATCH])
         .on_conflict(conflict_target=[model._meta.fields[key]], preserve=[model._meta.fields[f] for f in fields])
         .execute())


def pull_catalogue(server: Database, local: Database, lane: str, *, full: bool = False) -> int:
    """Copy what the lane sells with from `server` into `local`; returns the products copied.

    Small tables are copied whole; products only when changed since the last
    pull (their updated_at), unless `full`. The lane's receipt counter only
    moves forward: sales queued here may have taken numbers the server has
    not seen yet.
    """
    with database.routed(local):
        stamp_row = None if full else Setting.get_or_none(Setting.key == PRODUCT_STAMP)
        local_open = [s.id for s in Shift.select(Shift.id).where(Shift.lane == lane, Shift.closed_at.is_null())]
    since = stamp_row.value if stamp_row else ""
    with database.routed(server):
        roles = list(Role.select().dicts())
        grants = list(RolePermission.select().dicts())
        users = list(User.select().dicts())
        categories = list(Category.select().order_by(Category.id).dicts())
        tags = list(Tag.select().dicts())
        query = Product.select().order_by(Product.id)
        if since:
            query = query.where(Product.updated_at >= since)
        products = list(query.dicts())
        settings = list(Setting.select().where(~Setting.key.startswith("offline.")).dicts())
        shifts = list(Shift.select().where(Shift.lane == lane, (Shift.closed_at.is_null()) | (Shift.id << local_open))
                      .order_by(Shift.id).dicts())
    for product in products:
        product["supplier"] = None  # suppliers are not copied: the till never needs them
    newest = max((str(p["updated_at"].isoformat(timespec="microseconds")) for p in products), default=since)
    seq_key = f"receipt_seq.{lane}"
    with database.routed(local), local.atomic("IMMEDIATE"):
        SyncMark.insert(id=1).on_conflict_ignore().execute()  # seen only inside this transaction
        _upsert(Role, roles, key="name")
        RolePermission.delete().execute()  # a revoked permission must go here too
        _upsert(RolePermission, grants)
        _upsert(User, users)
        _upsert(Category, categories)
        _upsert(Tag, tags)
        _upsert(Product, products)
        _upsert(Setting, [s for s in settings if s["key"] != seq_key], key="key")
        server_seq = next((int(s["value"]) for s in settings if s["key"] == seq_key), 0)
        if server_seq:
            (Setting.insert(key=seq_key, value=str(server_seq))
             .on_conflict(conflict_target=[Setting.key], update={Setting.value: Case(
                 None, [(Setting.value.cast("INTEGER") < server_seq, str(server_seq))], Setting.value)})
             .execute())
        closed_first = sorted(shifts, key=lambda s: s["closed_at"] is None)  # free the lane's one open slot
        _upsert(Shift, closed_first)
        _put(SYNCED_AT, utc_now().isoformat(timespec="microseconds"))
        _put(PRODUCT_STAMP, newest)
        SyncMark.delete().execute()
    return len(products)


def _put(key: str, value: str) -> None:
    Setting.insert(key=key, value=value).on_conflict(conflict_target=[Setting.key],
                                                     update={Setting.value: value}).execute()


def mirror_receipt(local: Database, lane: str, receipt_no: str) -> None:
    """After a sale committed on the server: the local counter follows, so an offline sale takes the next number."""
    seq = int(receipt_no.rsplit("-", 1)[1])
    key = f"receipt_seq.{lane}"
    with database.routed(local), local.atomic():
        (Setting.insert(key=key, value=str(seq))
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: Case(
             None, [(Setting.value.cast("INTEGER") < seq, str(seq))], Setting.value)})
         .execute())
