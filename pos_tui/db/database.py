"""Opening the store's database from a URL, with the pragmas a till needs."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar
from urllib.parse import unquote, urlparse, urlunparse

from peewee import Database, DatabaseError, OperationalError, PostgresqlDatabase, SqliteDatabase

from pos_tui.config import sqlite_path
from pos_tui.db.models import database
from pos_tui.errors import StoreDamaged, StoreError
from pos_tui.i18n import _

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: a committed sale survives a power cut
    "busy_timeout": 10_000,
}
# PostgreSQL's serialization failure and deadlock: the write lost a race and may simply run again.
RETRY_PGCODES = frozenset({"40001", "40P01"})
RETRY_ATTEMPTS = 5
T = TypeVar("T")
# What SQLite says when the file itself is broken (not busy, not missing).
_DAMAGE = ("file is not a database", "database disk image is malformed")


def is_damage(exc: BaseException) -> bool:
    return isinstance(exc, (DatabaseError, sqlite3.DatabaseError)) and any(text in str(exc) for text in _DAMAGE)


def damaged(path: Path, exc: BaseException, backups: Path | None = None) -> StoreDamaged:
    """The one-line error for a damaged store file: which file, and the way back."""
    hint = ""
    if backups is not None:
        kept = sorted(backups.glob("*.db"), key=lambda p: p.stat().st_mtime) if backups.is_dir() else []
        hint = (_(" (backups are in {backups}; the newest is {name})").format(backups=backups, name=kept[-1].name)
                if kept else _(" (backups are in {backups}; there are none yet)").format(backups=backups))
    return StoreDamaged(_("the database {path} is damaged ({exc}); restore a backup with `pos db restore PATH`{hint}").format(path=path, exc=exc, hint=hint))


def redact(url: str) -> str:
    """The URL as it may be shown or audited: without its password."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    netloc = f"{parsed.username}:***@{parsed.hostname or ''}" + (f":{parsed.port}" if parsed.port else "")
    return urlunparse(parsed._replace(netloc=netloc))


def one_line(exc: BaseException) -> str:
    """A driver's message (libpq's run over several lines) as one line."""
    return " ".join(str(exc).split())


def make_database(url: str, *, busy_timeout_s: float = 10) -> Database:
    """A Peewee database for `sqlite:///PATH` or `postgresql://user:pw@host:port/name`."""
    path = sqlite_path(url)
    if path is not None:
        pragmas = {**SQLITE_PRAGMAS, "busy_timeout": int(busy_timeout_s * 1000)}
        return SqliteDatabase(str(path), pragmas=pragmas, timeout=busy_timeout_s)
    parsed = urlparse(url)
    if parsed.scheme in ("postgresql", "postgres"):
        from pos_tui import pg_driver

        try:
            pg_driver.load()
        except ImportError:
            raise StoreError(_("a PostgreSQL store needs the psycopg2 driver: pip install psycopg2-binary")) from None
        name = parsed.path.lstrip("/")
        if not name:
            raise StoreError(_("the database URL {url!r} names no database").format(url=url))
        return PostgresqlDatabase(
            unquote(name),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
        )
    raise StoreError(_("unsupported database URL {url!r}; use sqlite:///PATH or postgresql://…").format(url=url))


def open_database(url: str, *, create: bool = False, backups: Path | None = None,
                  busy_timeout_s: float = 10) -> Database:
    """Bind the models to the database at `url` and connect.

    A new SQLite file is created with mode 0600 only when `create` is true, so
    a mistyped --home or POS_DB never silently starts an empty store. A damaged
    file is a StoreDamaged naming it and `backups`, the folder to restore from.
    """
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            if not create:
                raise StoreError(_("no store at {path}; run `pos init` first (or check --home / POS_DB)").format(path=path))
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
    db = make_database(url, busy_timeout_s=busy_timeout_s)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except DatabaseError as exc:
        if path is not None and is_damage(exc):
            raise damaged(path, exc, backups) from None
        if path is None:  # PostgreSQL down, refusing us, or no such database
            raise StoreError(_("cannot connect to {redact!r}: {one_line}").format(redact=redact(url), one_line=one_line(exc))) from None
        if isinstance(exc, OperationalError):
            raise StoreError(_("cannot open the database {url!r}: {exc}").format(url=url, exc=exc)) from None
        raise StoreError(_("cannot connect to {url!r}: {exc}").format(url=url, exc=exc)) from None
    except Exception as exc:  # psycopg errors when PostgreSQL is down or refuses us
        raise StoreError(_("cannot connect to {redact!r}: {one_line}").format(redact=redact(url), one_line=one_line(exc))) from None
    return db


def close_database() -> None:
    from pos_tui.db.checkpoint import stop_background

    stop_background()  # its connection must not outlive the store's (a restore replaces the file)
    db = database.obj
    if db is not None and not db.is_closed():
        db.close()


def write_failure(exc: BaseException) -> StoreError | None:
    """What a person should hear when the database refused a write, or None if it is not one of those.

    SQLite rolls a transaction back itself on a full disk, so Peewee's own
    rollback then fails ("no transaction is active"): the cause is in the
    exception's context, which is searched too.
    """
    seen: BaseException | None = exc
    while seen is not None:
        found = _failure_text(str(seen).lower())
        if found is not None:
            return found
        seen = seen.__cause__ or seen.__context__
    return None


def _failure_text(text: str) -> StoreError | None:
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(_("the disk holding the database is full, so nothing was saved; free some space (old logs, "
                            "backups, downloads) and try again"))
    if "locked" in text or "busy" in text:
        return StoreError(_("the database is busy: another program (a backup, another till, the sqlite3 shell) has "
                            "held it too long, so nothing was saved; try again in a moment"))
    if "deadlock detected" in text or "could not serialize access" in text:
        return StoreError(_("another till was writing the same rows at the same moment, so nothing was saved; try "
                            "again"))
    if "disk i/o error" in text:
        return StoreError(_("the disk reported an I/O error, so nothing was saved; check the disk, then run `pos db "
                            "check`"))
    if "readonly" in text or "read-only" in text:
        return StoreError(_("the database is read-only for this user, so nothing was saved; check the owner and mode "
                            "of the store's files"))
    return None


@contextmanager
def write_transaction() -> Iterator[None]:
    """One all-or-nothing write; SQLite takes the write lock up front (IMMEDIATE)
    so two lanes never deadlock upgrading a read lock.

    A full disk, a lock held past the busy timeout or an I/O error rolls the
    whole write back and becomes a StoreError saying what to do.
    """
    db = database.obj
    outermost = not db.in_transaction()
    try:
        if isinstance(db, SqliteDatabase) and outermost:
            with db.atomic("IMMEDIATE"):
                yield
        else:
            with db.atomic():
                yield
    except OperationalError as exc:
        failure = write_failure(exc) if outermost else None
        if failure is None:
            raise
        raise failure from exc


def is_conflict(exc: BaseException) -> bool:
    """A PostgreSQL serialization failure or deadlock, however Peewee wrapped it."""
    seen: BaseException | None = exc
    while seen is not None:
        if getattr(seen, "pgcode", None) in RETRY_PGCODES:
            return True
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = inner or seen.__cause__ or seen.__context__
    return False


def retrying_write(body: Callable[[], T], attempts: int = RETRY_ATTEMPTS) -> T:
    """Run `body` in one write_transaction, again (after a short random pause) when PostgreSQL
    aborted it as a deadlock or serialization failure; nothing of a failed try is kept.

    Nested inside another transaction it runs once: only the outermost one can be retried.
    """
    db = database.obj
    if db.in_transaction():
        with write_transaction():
            return body()
    for attempt in range(1, attempts + 1):
        try:
            with write_transaction():
                return body()
        except Exception as exc:
            if not is_conflict(exc):
                raise
            if attempt == attempts:
                raise StoreError(_("the database refused the write {attempts} times because other tills were writing "
                                   "the same rows, so nothing was saved; try again").format(attempts=attempts)) from exc
            time.sleep(random.uniform(0.005, 0.02) * attempt)  # let the other writer finish first
    raise AssertionError("unreachable")
