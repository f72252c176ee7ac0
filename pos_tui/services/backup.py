"""Backups and restores of a SQLite store, safe while the tills sell.

A backup is SQLite's online backup of the live file (one consistent snapshot; in
WAL mode the tills keep writing), checked with `integrity_check` before it is
given its name. A restore validates the file first, keeps the current database
in backups/, and writes the backup into the live file through the same backup
API: one write transaction, so a till that is open sees the restored data and
never a half-written file. A store so damaged that SQLite cannot read it is
replaced by an atomic rename instead.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from pos_tui.config import Settings, sqlite_path
from pos_tui.db import migrate, sqlite_files
from pos_tui.db.database import close_database, is_damage, open_database, write_transaction
from pos_tui.errors import StoreError, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require
from pos_tui.services.store import backups_dir, damage_error

# Automatic backups: pos-20261126-221500.db (UTC), -2, -3… when two land in one second.
AUTO_NAME = re.compile(r"^pos-(\d{8})-(\d{6})(?:-(\d+))?\.db$")
# Tables every store has had since its first migrations: a file without them is not ours.
CORE_TABLES = ("user", "product", "stock_move", "audit_log", "setting", "sale", "sale_line", "payment")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    integrity: str  # "ok": a backup that fails its check is never kept
    automatic: bool
    removed: tuple[Path, ...] = ()  # older automatic backups rotated away


@dataclass(frozen=True)
class BackupFacts:
    """What a restore would put in place, shown before anyone confirms it."""

    path: Path
    size: int
    migrations: tuple[str, ...]
    pending: tuple[str, ...]  # migrations this version applies after the restore
    sales: int
    last_sale: str | None


@dataclass(frozen=True)
class RestoreInfo:
    source: Path
    pre_restore: Path | None  # the database that was replaced, kept in backups/
    migrated: tuple[str, ...]
    replaced_damaged: bool  # the old file was unreadable and was replaced by a rename


def _db_file(settings: Settings, what: str) -> Path:
    path = sqlite_path(settings.db_url)
    if path is None:
        raise StoreError(
            _("`pos db {what}` works on SQLite stores; {db_url!r} is another database: use its own tools (pg_dump / "
              "pg_restore)").format(what=what, db_url=settings.db_url)
        )
    return path


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _backups_folder(settings: Settings) -> Path:
    folder = backups_dir(settings)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(_("cannot create {folder}: {strerror}").format(folder=folder, strerror=exc.strerror)) from None
    return folder


def backup(actor: Actor, settings: Settings, path: str | os.PathLike[str] | None = None) -> BackupInfo:
    """Back the store up to PATH, or to backups/ (rotated: backup.keep are kept)."""
    require(actor, "backup.run")
    return _take(actor, settings, Path(path) if path is not None else None, reason="manual")


def backup_at_shift_close(actor: Actor, settings: Settings) -> BackupInfo | None:
    """The automatic backup when a shift closes, if backup.on_shift_close is on.

    The shop's setting orders it, not the person closing the shift, so a
    cashier's shift close is backed up too: only to backups/, never a chosen path.
    Raises StoreError if the backup fails; the caller decides how loud to be.
    A PostgreSQL store is backed up on its server (pg_dump), not by each lane: none here.
    """
    if not settings.get("backup.on_shift_close") or sqlite_path(settings.db_url) is None:
        return None
    return _take(actor, settings, None, reason="shift close")


def _take(actor: Actor, settings: Settings, path: Path | None, *, reason: str) -> BackupInfo:
    source = _db_file(settings, "backup")
    automatic = path is None
    if automatic:
        target = sqlite_files.free_name(_backups_folder(settings), f"pos-{_stamp()}")
    else:
        target = path.expanduser().absolute()
        if target.is_dir():  # a name rotation never matches: a chosen place is never rotated away
            target = sqlite_files.free_name(target, f"pos-copy-{_stamp()}")
        elif target.exists() or Path(f"{target}-wal").exists():
            raise ValidationError(_("{target} already exists; choose a new file name (a backup never overwrites a "
                                    "file)").format(target=target))
    tmp = sqlite_files.private_temp(target.parent, ".pos-backup-")
    try:
        result = sqlite_files.snapshot(source, tmp)
        if result != ["ok"]:
            raise StoreError(
                _("the backup failed its integrity check ({result}); nothing was kept. The store itself may be "
                  "damaged: run `pos db check`").format(result=result[0])
            )
        sqlite_files.fsync(tmp)
        if target.exists():  # someone took the name while we copied
            raise ValidationError(_("{target} already exists; choose a new file name").format(target=target))
        os.replace(tmp, target)
        sqlite_files.fsync(target.parent)
    except (sqlite3.Error, OSError) as exc:
        sqlite_files.remove(tmp)
        if is_damage(exc):
            raise damage_error(settings, exc) from None
        reason_text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(
            _("cannot write the backup to {target}: {reason_text}; free some space or choose another PATH (nothing "
              "was written)").format(target=target, reason_text=reason_text)
        ) from None
    except BaseException:
        sqlite_files.remove(tmp)
        raise
    size = target.stat().st_size
    removed = _rotate(target.parent, settings.get("backup.keep")) if automatic else ()
    with write_transaction():
        audit.record("db.backup", actor, str(target), path=str(target), size=size, integrity="ok",
                     automatic=automatic, reason=reason, removed=[p.name for p in removed])
    return BackupInfo(target, size, "ok", automatic, removed)


def _rotate(folder: Path, keep: int) -> tuple[Path, ...]:
    """Remove all but the newest `keep` automatic backups (other files are left alone)."""
    found = []
    for entry in folder.iterdir():
        match = AUTO_NAME.match(entry.name)
        if match and entry.is_file():
            found.append(((match.group(1), match.group(2), int(match.group(3) or 1)), entry))
    found.sort()
    removed = []
    for _, entry in found[: max(len(found) - keep, 0)]:
        try:
            entry.unlink()
            removed.append(entry)
        except OSError:
            pass  # a backup we cannot remove is still a backup
    return tuple(removed)


def _stage(source: Path, folder: Path) -> tuple[Path, BackupFacts]:
    """A private, checked copy of `source` in `folder`; ValidationError if it is not a usable backup."""
    if not source.exists():
        raise ValidationError(_("no file at {source}; give the path of a backup file").format(source=source))
    if not source.is_file():
        raise ValidationError(_("{source} is not a file; give the path of a backup file").format(source=source))
    tmp = sqlite_files.private_temp(folder, ".pos-restore-")
    try:
        try:
            shutil.copyfile(source, tmp)
            if Path(f"{source}-wal").exists():  # a copy of a live store: its last commits are in the WAL
                shutil.copyfile(f"{source}-wal", f"{tmp}-wal")
        except OSError as exc:
            raise ValidationError(_("cannot read {source}: {strerror}").format(source=source, strerror=exc.strerror)) from None
        facts = _validate(source, tmp)
    except BaseException:
        sqlite_files.remove(tmp)
        raise
    return tmp, facts


def _validate(source: Path, copy: Path) -> BackupFacts:
    conn = sqlite_files.connect(copy)
    try:
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # folds any WAL in: one file to install
            problems = sqlite_files.integrity(conn)
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise ValidationError(_("{source} is not a usable backup ({exc}); choose another file").format(source=source, exc=exc)) from None
        if problems != ["ok"]:
            raise ValidationError(_("{source} is damaged (integrity check: {problems}); choose another backup").format(source=source, problems=problems[0]))
        if migrate.HISTORY_TABLE not in tables:
            raise ValidationError(_("{source} is a SQLite database but not a pos-tui store (no migration history)").format(source=source))
        missing = [name for name in CORE_TABLES if name not in tables]
        if missing:
            raise ValidationError(_("{source} is not a pos-tui store: it has no {missing} table").format(source=source, missing=', '.join(missing)))
        applied = tuple(name for (name,) in conn.execute(f"SELECT name FROM {migrate.HISTORY_TABLE} ORDER BY name"))
        known = migrate.known()
        newer = [name for name in applied if name not in known]
        if newer:
            raise ValidationError(
                _("{source} comes from a newer pos-tui (migration {newer} is unknown here); upgrade pos-tui first").format(source=source, newer=', '.join(newer))
            )
        sales, last = conn.execute("SELECT COUNT(*), MAX(created_at) FROM sale").fetchone()
    finally:
        conn.close()
    pending = tuple(name for name in known if name not in applied)
    return BackupFacts(source, copy.stat().st_size, applied, pending, sales, last)


def restore(
    actor: Actor, settings: Settings, path: str | os.PathLike[str], *,
    confirm: Callable[[BackupFacts], bool] | None = None,
) -> RestoreInfo | None:
    """Replace the store's database with the backup at `path`.

    Nothing changes unless the file is a sound pos-tui store no newer than this
    version, and `confirm` (given what would be restored) says yes; a refusal
    returns None. The replaced database is kept as backups/pre-restore-<time>.db.
    The store may be damaged: only the file's owner (Actor.cli()) is not looked up.
    """
    live = _db_file(settings, "restore")
    require(actor, "backup.run")
    source = Path(path).expanduser().absolute()
    folder = _backups_folder(settings)
    if not live.parent.is_dir():
        raise StoreError(_("the folder {parent} of the database does not exist; run `pos init` first").format(parent=live.parent))
    candidate, facts = _stage(source, live.parent)
    try:
        if confirm is not None and not confirm(facts):
            return None
        close_database()  # our own Peewee connection must not hold the old file
        damaged_store = live.exists() and sqlite_files.unreadable(live)
        keep_as = sqlite_files.free_name(folder, f"pre-restore-{_stamp()}") if live.exists() else None
        if keep_as is not None:
            os.close(os.open(keep_as, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        try:
            if damaged_store or not live.exists():
                sqlite_files.rename_over(candidate, live, keep_as)
            else:
                sqlite_files.write_into_live(candidate, live, keep_as)
        except (sqlite3.Error, OSError) as exc:
            text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if damaged_store or keep_as is None:  # the rename may have got part way: keep every old byte
                if keep_as:
                    raise StoreError(_("the restore failed ({text}); the old database is kept at {path}").format(
                        text=text, path=keep_as)) from None
                raise StoreError(_("the restore failed ({text})").format(text=text)) from None
            sqlite_files.remove(keep_as)  # the live file's transaction rolled back: nothing changed
            raise StoreError(_("the restore failed ({text}); the store was not changed").format(text=text)) from None
        except BaseException:
            if keep_as is not None and not damaged_store:
                sqlite_files.remove(keep_as)
            raise
    finally:
        sqlite_files.remove(candidate)
    db = open_database(settings.db_url, backups=folder)
    migrated = tuple(migrate.upgrade(db))
    with write_transaction():
        audit.record("db.restore", actor, str(source), source=str(source), size=facts.size,
                     pre_restore=str(keep_as) if keep_as else None, migrated=list(migrated),
                     replaced_damaged=damaged_store)
    return RestoreInfo(source, keep_as, migrated, damaged_store)
