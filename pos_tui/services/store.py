"""Creating and opening a store: POS_HOME, its config, the migrated database."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import ContextManager, Iterator

from peewee import Database, DatabaseError

from pos_tui.config import Settings, save_settings, sqlite_path
from pos_tui.db import migrate
from pos_tui.db.database import damaged, is_damage, open_database, write_transaction
from pos_tui.db.models import database
from pos_tui.errors import StoreError
from pos_tui.i18n import _
from pos_tui.services import audit, auth
from pos_tui.services.context import Actor

SUBDIRS = ("backups", "spool", "logs", "receipts")
_current: Settings | None = None


def current_settings() -> Settings:
    """The settings of the store this process opened last (limits the services check)."""
    if _current is None:
        raise StoreError(_("no store is open; run `pos init` or pass --home"))
    return _current


def _opened(settings: Settings) -> None:
    global _current
    _current = settings


def backups_dir(settings: Settings) -> Path:
    return settings.home / "backups"


def damage_error(settings: Settings, exc: BaseException) -> StoreError:
    """SQLite's "file is not a database" as a line naming the file and the way back."""
    path = sqlite_path(settings.db_url)
    if path is None:
        return StoreError(_("the database {db_url!r} reports damage: {exc}").format(db_url=settings.db_url, exc=exc))
    return damaged(path, exc, backups_dir(settings))


@contextmanager
def _damage_named(settings: Settings) -> Iterator[None]:
    """Damage that shows only once a page is read (after the connect) is named too."""
    try:
        yield
    except DatabaseError as exc:
        if is_damage(exc):
            raise damage_error(settings, exc) from None
        raise


def _open(settings: Settings) -> Database:
    return open_database(settings.db_url, backups=backups_dir(settings),
                         busy_timeout_s=settings.get("database.busy_timeout_s"))


def make_home(home: Path) -> None:
    """POS_HOME and its folders, private to the shop's OS user (0700)."""
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(home, 0o700)
        for name in SUBDIRS:
            (home / name).mkdir(mode=0o700, exist_ok=True)
    except PermissionError:
        raise StoreError(_("permission denied creating {home}; choose another --home or fix its owner").format(home=home)) from None
    except OSError as exc:
        raise StoreError(_("cannot create {home}: {strerror}").format(home=home, strerror=exc.strerror)) from None


def store_exists(settings: Settings) -> bool:
    """A store is its database; a config.toml written by `pos config set` alone is not one."""
    path = sqlite_path(settings.db_url)
    if path is not None:
        return path.exists()
    return _open(settings).table_exists(migrate.HISTORY_TABLE)


def init_store(settings: Settings, admin: str, password: str, *, force: bool = False) -> auth.UserInfo:
    """A new store with its first admin. With `force`, the old database is moved to backups/ first."""
    auth.check_password(password)
    auth.check_username(admin)
    if store_exists(settings) and not force:
        raise StoreError(_("a store already exists at {home}; use --force to replace it").format(home=settings.home))
    make_home(settings.home)
    path = sqlite_path(settings.db_url)
    if path is not None and path.exists():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        kept = settings.home / "backups" / f"{path.stem}-replaced-{stamp}{path.suffix}"
        counter = 1
        while kept.exists():  # never overwrite an earlier replaced store
            kept = settings.home / "backups" / f"{path.stem}-replaced-{stamp}-{counter}{path.suffix}"
            counter += 1
        shutil.move(path, kept)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                shutil.move(side, Path(f"{kept}{suffix}"))
    save_settings(settings)
    db = open_database(settings.db_url, create=True, busy_timeout_s=settings.get("database.busy_timeout_s"))
    migrate.upgrade(db)
    _opened(settings)
    actor = Actor.cli()
    user = auth.add_user(actor, admin, password, "admin", full_name="Administrator")
    audit.record("store.init", actor, str(settings.home), admin=admin, replaced=force)
    return user


def open_store(settings: Settings, *, background_checkpoints: bool = False) -> Database:
    """The store's database, refusing one that needs `pos db upgrade` or is damaged.

    `background_checkpoints` is for the till, a long-running process whose commits a
    person waits for: SQLite's WAL checkpoints move off the commit path into a thread
    that runs them between sales (db/checkpoint.py). Short commands keep SQLite's own.
    """
    db = _open(settings)
    with _damage_named(settings):
        waiting = migrate.pending(db)
    if waiting:
        raise StoreError(
            _("the store needs {count} migration(s) ({waiting}); run `pos db upgrade`").format(count=len(waiting), waiting=', '.join(waiting))
        )
    if background_checkpoints:
        from pos_tui.db.checkpoint import run_in_background

        run_in_background(db)
    _opened(settings)
    return db


def upgrade_store(settings: Settings) -> list[str]:
    """Apply pending migrations (audited); a second run applies nothing."""
    db = _open(settings)
    with _damage_named(settings):
        applied = migrate.upgrade(db)
    if applied:
        with write_transaction():
            audit.record("db.upgrade", Actor.cli(), "", applied=applied)
    return applied


def migration_status(settings: Settings) -> list[migrate.MigrationState]:
    with _damage_named(settings):
        return migrate.status(_open(settings))


def change_setting(settings: Settings, key: str, value: str, actor: Actor | None = None) -> tuple[object, object]:
    """Validate, save and audit one setting; returns (before, after).

    With a store, `actor` needs settings.edit; before `pos init` there is no
    store and only the owner of the files can write config.toml anyway.
    """
    from pos_tui.services.permissions import require

    from pos_tui.config import coerce, key_for

    actor = actor or Actor.cli()
    before = settings.get(key)
    coerce(key_for(key), value)  # a bad value is refused before anything else
    try:
        if not (_current is settings and database.obj is not None):  # a running till keeps its connections
            open_store(settings)
    except StoreError:
        if not actor.owner:
            raise
        after = settings.set(key, value)
        save_settings(settings)
        return before, after
    require(actor, "settings.edit")
    after = settings.set(key, value)
    with write_transaction():  # the audit row commits only if config.toml was saved
        audit.record("setting.change", actor, key, before=before, after=after)
        save_settings(settings)
    return before, after


def thread_session() -> ContextManager[object]:
    """A database connection for one worker thread, closed when it ends."""
    return database.connection_context()


def close_thread_connection() -> None:
    """Close this thread's connection (each thread has its own), if any."""
    if database.obj is not None and not database.is_closed():
        database.close()
