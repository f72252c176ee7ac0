"""Opening the store's database from a URL, with the pragmas a till needs."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlparse

from peewee import Database, DatabaseError, OperationalError, PostgresqlDatabase, SqliteDatabase

from pos_tui.config import sqlite_path
from pos_tui.db.models import database
from pos_tui.errors import StoreDamaged, StoreError

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: a committed sale survives a power cut
    "busy_timeout": 10_000,
}
# What SQLite says when the file itself is broken (not busy, not missing).
_DAMAGE = ("file is not a database", "database disk image is malformed")


def is_damage(exc: BaseException) -> bool:
    return isinstance(exc, (DatabaseError, sqlite3.DatabaseError)) and any(text in str(exc) for text in _DAMAGE)


def damaged(path: Path, exc: BaseException, backups: Path | None = None) -> StoreDamaged:
    """The one-line error for a damaged store file: which file, and the way back."""
    hint = ""
    if backups is not None:
        kept = sorted(backups.glob("*.db"), key=lambda p: p.stat().st_mtime) if backups.is_dir() else []
        hint = f" (backups are in {backups}" + (f"; the newest is {kept[-1].name})" if kept else "; there are none yet)")
    return StoreDamaged(f"the database {path} is damaged ({exc}); restore a backup with `pos db restore PATH`{hint}")


def make_database(url: str) -> Database:
    """A Peewee database for `sqlite:///PATH` or `postgresql://user:pw@host:port/name`."""
    path = sqlite_path(url)
    if path is not None:
        return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)
    parsed = urlparse(url)
    if parsed.scheme in ("postgresql", "postgres"):
        name = parsed.path.lstrip("/")
        if not name:
            raise StoreError(f"the database URL {url!r} names no database")
        return PostgresqlDatabase(
            unquote(name),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
            autorollback=True,
        )
    raise StoreError(f"unsupported database URL {url!r}; use sqlite:///PATH or postgresql://…")


def open_database(url: str, *, create: bool = False, backups: Path | None = None) -> Database:
    """Bind the models to the database at `url` and connect.

    A new SQLite file is created with mode 0600 only when `create` is true, so
    a mistyped --home or POS_DB never silently starts an empty store. A damaged
    file is a StoreDamaged naming it and `backups`, the folder to restore from.
    """
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            if not create:
                raise StoreError(f"no store at {path}; run `pos init` first (or check --home / POS_DB)")
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
    db = make_database(url)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except DatabaseError as exc:
        if path is not None and is_damage(exc):
            raise damaged(path, exc, backups) from None
        if isinstance(exc, OperationalError):
            raise StoreError(f"cannot open the database {url!r}: {exc}") from None
        raise StoreError(f"cannot connect to {url!r}: {exc}") from None
    except Exception as exc:  # psycopg errors when PostgreSQL is down or refuses us
        raise StoreError(f"cannot connect to {url!r}: {exc}") from None
    return db


def close_database() -> None:
    db = database.obj
    if db is not None and not db.is_closed():
        db.close()


@contextmanager
def write_transaction() -> Iterator[None]:
    """One all-or-nothing write; SQLite takes the write lock up front (IMMEDIATE)
    so two lanes never deadlock upgrading a read lock."""
    db = database.obj
    if isinstance(db, SqliteDatabase) and not db.in_transaction():
        with db.atomic("IMMEDIATE"):
            yield
    else:
        with db.atomic():
            yield
