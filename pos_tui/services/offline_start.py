"""Starting a lane on a PostgreSQL store: online if the server answers, offline (when asked) if not."""

from __future__ import annotations

import os
from datetime import datetime
from contextlib import contextmanager
from typing import Iterator

from peewee import Database

from pos_tui.config import Settings, sqlite_path
from pos_tui.db import migrate
from pos_tui.db.models import database
from pos_tui.domain.locale_format import format_datetime
from pos_tui.errors import StoreError
from pos_tui.i18n import _, current_language
from pos_tui.services import offline_lane, offline_store
from pos_tui.services.offline_lane import Lane, refusal_text, server_database


class OfflineAvailable(StoreError):
    """The server cannot be used, but this lane has a synced catalogue and could sell offline."""


def is_lane_store(settings: Settings) -> bool:
    """Only a PostgreSQL store has lanes that can go offline (a SQLite store is on this machine)."""
    return sqlite_path(settings.db_url) is None


def start_lane(settings: Settings, *, offline: bool = False) -> Lane:
    """Open the store for this lane and install its Lane (its sender is not started yet).

    Online: the catalogue is pulled whole and any sales left queued by an
    earlier offline run are sent. Without the server: a StoreError with one
    line saying why, an OfflineAvailable one when the lane could sell from
    its synced copy (and `offline` then starts it so).
    """
    from pos_tui.services.store import _opened

    os.environ.setdefault("PGCONNECT_TIMEOUT", str(offline_lane.CONNECT_TIMEOUT_S))
    lane_name = str(settings.get("lane"))
    server = server_database(settings.db_url)
    busy = settings.get("database.busy_timeout_s")
    try:
        with database.routed(server):
            server.connect(reuse_if_open=True)
            waiting = migrate.pending(server)
    except Exception as exc:
        server.drop_connection()
        local = offline_store.open_local(settings.home, lane_name, create=False, busy_timeout_s=busy)
        synced = offline_store.synced_at(local) if local is not None else None
        reason = refusal_text(settings.db_url, exc)
        if synced is None:
            raise StoreError(_("{reason}; lane {lane} has no synced catalogue, so it cannot start without the "
                               "server").format(reason=reason, lane=lane_name)) from None
        if not offline:
            raise OfflineAvailable(_("{reason}; lane {lane} can sell offline from its catalogue synced at {when}: "
                                     "start it with `pos run --offline`").format(
                reason=reason, lane=lane_name, when=shown_time(synced, settings)
            )) from None
        database.initialize(local)
        _opened(settings)
        lane = Lane(settings, server, local, online=False)
        lane.problem = reason
        offline_lane.install(lane)
        return lane
    if waiting:
        server.drop_connection()
        raise StoreError(f"the store needs {len(waiting)} migration(s) ({', '.join(waiting)}); run `pos db upgrade`")
    local = offline_store.open_local(settings.home, lane_name, busy_timeout_s=busy)
    database.initialize(server)
    _opened(settings)
    lane = Lane(settings, server, local, online=True)
    offline_store.pull_catalogue(server, local, lane_name, full=True)
    lane.synced_at = offline_store.synced_at(local)
    if lane.pending:
        lane.online = False  # the queue goes first, so the lane's numbers stay in order
        database.initialize(local)
        lane.pass_once()
    offline_lane.install(lane)
    return lane


def shown_time(moment: datetime, settings: Settings) -> str:
    """A time as the shop reads it: its own zone, its language."""
    from zoneinfo import ZoneInfo

    return format_datetime(moment.astimezone(ZoneInfo(str(settings.get("store.timezone")))), current_language())


def stop_lane() -> None:
    lane = offline_lane.current()
    if lane is not None:
        lane.stop()
        offline_lane.install(None)


@contextmanager
def lane_session() -> Iterator[None]:
    """A worker thread's connections, closed when it ends, whichever store the lane used meanwhile."""
    lane = offline_lane.current()
    if lane is None:
        with database.connection_context():
            yield
        return
    try:
        yield  # connections open on first use (a down server must not fail before the sale is tried)
    finally:
        for db in (lane.server, lane.local):
            _close(db)


def _close(db: Database) -> None:
    try:
        if not db.is_closed():
            db.close()
    except Exception:
        if hasattr(db, "drop_connection"):
            db.drop_connection()
