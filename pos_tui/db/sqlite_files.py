"""Copying SQLite files safely: private temp files, one-snapshot copies, writing a copy into a live file.

Plain sqlite3 connections of their own, so Peewee's connection is never in the way.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from pos_tui.db.database import is_damage
from pos_tui.errors import StoreError
from pos_tui.i18n import _

BUSY_TIMEOUT_S = 10


def free_name(folder: Path, stem: str) -> Path:
    """folder/stem.db, or stem-2.db, stem-3.db… if taken: never overwrite a backup."""
    candidate, counter = folder / f"{stem}.db", 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{stem}-{counter}.db"
    return candidate


def private_temp(folder: Path, prefix: str) -> Path:
    """An empty 0600 file in `folder` (the final file's folder, so the rename is atomic)."""
    if not folder.is_dir():
        message = (_("{folder} is not a folder; create the folder or choose another PATH") if folder.exists() else
                   _("{folder} does not exist; create the folder or choose another PATH"))
        raise StoreError(message.format(folder=folder))
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    except PermissionError:
        raise StoreError(_("cannot write to {folder}: permission denied; choose another PATH").format(folder=folder)) from None
    except OSError as exc:
        raise StoreError(_("cannot write to {folder}: {strerror}; choose another PATH").format(folder=folder, strerror=exc.strerror)) from None
    os.close(fd)
    return Path(name)


def remove(path: Path) -> None:
    """A file and any journal SQLite left beside it."""
    for name in (str(path), f"{path}-journal", f"{path}-wal", f"{path}-shm"):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection of our own: Peewee's stays as it is."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def integrity(conn: sqlite3.Connection) -> list[str]:
    return [str(message) for (message,) in conn.execute("PRAGMA integrity_check").fetchall()]


def snapshot(source: Path, target: Path, *, check: bool = True) -> list[str]:
    """Copy the live database into `target` in one step (one read snapshot) and check the copy.

    The copy is made a single self-contained file (rollback journal, not WAL).
    Returns integrity_check's lines: ["ok"] when sound (unchecked: []).
    """
    src, dst = connect(source), connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        return integrity(dst) if check else []
    finally:
        dst.close()
        src.close()


def unreadable(path: Path) -> bool:
    """Does SQLite call the file damaged when it reads its first page and schema?

    Read-only, so the probe can neither checkpoint nor delete a WAL the file
    left behind: for a damaged store those bytes are kept with the old file.
    """
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return is_damage(exc)
    return False


def write_into_live(candidate: Path, live: Path, keep_as: Path) -> None:
    """Copy the candidate's pages into the live file in one write transaction.

    The first backup step takes the live file's write lock; only then is the
    current database copied to `keep_as` (a reader, which WAL allows), so no
    till can commit a sale between the kept copy and the restore.
    """
    dest = connect(live)
    try:
        try:  # a till mid-sale finishes first; one that never does is named, not waited on forever
            dest.execute("BEGIN IMMEDIATE")
            dest.execute("ROLLBACK")
        except sqlite3.OperationalError:
            raise StoreError(
                _("another till kept {live} busy for {BUSY_TIMEOUT_S} s; close the tills and try again").format(live=live, BUSY_TIMEOUT_S=BUSY_TIMEOUT_S)
            ) from None
        if dest.execute("PRAGMA page_size").fetchone() != page_size(candidate):
            match_page_size(candidate, dest.execute("PRAGMA page_size").fetchone()[0])
        src = connect(candidate)
        pages = src.execute("PRAGMA page_count").fetchone()[0]
        if pages < 2:
            src.close()
            raise StoreError(_("{candidate} is too small to be a store; nothing was restored").format(candidate=candidate))
        # Fewer pages a step than the file has, so the first step cannot finish (and commit) at once.
        step = max(1, min(1024, pages // 2))
        kept: list[list[str]] = []

        def locked(status: int, remaining: int, total: int) -> None:
            if not kept:  # the kept copy is what it is; checking it would only hold the lock longer
                kept.append(snapshot(live, keep_as, check=False))

        try:
            src.backup(dest, pages=step, progress=locked)
        finally:
            src.close()
    finally:
        dest.close()


def page_size(path: Path) -> tuple[int]:
    conn = connect(path)
    try:
        return conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()


def match_page_size(path: Path, size: int) -> None:
    """A WAL database only takes pages of its own size from the backup API."""
    conn = connect(path)
    try:
        conn.execute(f"PRAGMA page_size = {int(size)}")
        conn.execute("VACUUM")
    finally:
        conn.close()


def rename_over(candidate: Path, live: Path, keep_as: Path | None) -> None:
    """Put the candidate in place of a file SQLite cannot read; keep the old bytes as they were."""
    if keep_as is not None:
        shutil.copyfile(live, keep_as)
        if Path(f"{live}-wal").exists():
            shutil.copyfile(f"{live}-wal", f"{keep_as}-wal")
            os.chmod(f"{keep_as}-wal", 0o600)
    # The old WAL belongs to the old file: replayed onto the new one it would corrupt it.
    for side in (f"{live}-wal", f"{live}-shm"):
        try:
            os.unlink(side)
        except FileNotFoundError:
            pass
    os.replace(candidate, live)
    fsync(live.parent)
