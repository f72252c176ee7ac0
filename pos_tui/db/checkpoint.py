"""WAL checkpoints off the till's commit path.

In WAL mode SQLite appends each commit to the -wal file and, by default, the
commit that takes the WAL past 1000 pages also copies it back into the database
file and fsyncs it (an "autocheckpoint"). At 100k products a sale writes about
60 pages, so every 15th or 16th sale paid for a checkpoint: ~20-40 ms on top of a
~3-8 ms commit, and the first one after a store was copied in could take a second
while the kernel flushed the copy.

A long-running till instead checkpoints from a thread and connection of its own,
when the store has gone quiet (no commit for a moment: between customers), so
no sale waits for one. Durability is unchanged: a commit is durable once its WAL
frames are fsynced (synchronous=FULL), and checkpointing is only the copy back.
The till's connections keep an autocheckpoint, raised to BACKSTOP_PAGES, so the
WAL stays bounded even if the store never goes quiet or this thread dies.
"""

from __future__ import annotations

import atexit
import logging
import sqlite3
import threading
import time
from pathlib import Path

from peewee import Database, SqliteDatabase

log = logging.getLogger(__name__)

# The commit path's own checkpoint, kept as a backstop: 10x SQLite's default (40 MiB of
# WAL at 4 KiB pages), ~160 sales in a row with no quiet moment, which a till never rings.
BACKSTOP_PAGES = 10_000
POLL_S = 0.2  # how often the thread looks for new commits; a checkpoint waits one quiet poll
MAX_WAIT_S = 10.0  # commits that never pause (a busy writer beside the till) are copied back this often


class WalCheckpointer:
    """Checkpoints `path`'s WAL (PASSIVE: never blocks a writer) once commits pause for a poll,
    or once they have gone on for MAX_WAIT_S without a pause."""

    def __init__(self, path: Path, *, poll_s: float | None = None) -> None:
        self.path = path
        self.poll_s = POLL_S if poll_s is None else poll_s
        self.checkpoints = 0  # runs that copied frames back (for tests and the bench)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pos-wal-checkpoint", daemon=True)
        self._conn: sqlite3.Connection | None = None

    def start(self) -> None:
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA synchronous=FULL")  # the copy back syncs as the commits do
        self._seen = self._data_version()
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, then copy back what is left (the store is closing)."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self._conn is not None:
            try:
                self.checkpoint()
            except sqlite3.Error as exc:  # the last connection's close copies back too
                log.warning("final WAL checkpoint of %s failed: %s", self.path, exc)
            self._conn.close()
            self._conn = None

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint now: (busy, frames in the WAL, frames copied back)."""
        assert self._conn is not None
        busy, frames, copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if copied > 0:
            self.checkpoints += 1
        return busy, frames, copied

    def _data_version(self) -> int:
        """Changes whenever another connection (any thread or process) commits to the file."""
        assert self._conn is not None
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _run(self) -> None:
        pending_since: float | None = None  # when the first commit not yet copied back was seen
        while not self._stop.wait(self.poll_s):
            try:
                version = self._data_version()
                now = time.monotonic()
                busy = version != self._seen
                if busy:  # commits since the last poll: wait for them to pause
                    self._seen = version
                    pending_since = now if pending_since is None else pending_since
                if pending_since is not None and (not busy or now - pending_since >= MAX_WAIT_S):
                    self.checkpoint()  # a commit meanwhile changes data_version: it is copied next time
                    pending_since = None
            except sqlite3.Error as exc:  # the backstop still bounds the WAL; the till sells on
                log.warning("background WAL checkpoint of %s failed: %s", self.path, exc)


_running: WalCheckpointer | None = None


def run_in_background(db: Database) -> WalCheckpointer | None:
    """Move `db`'s checkpoints to a background thread (SQLite only; None for PostgreSQL).

    Call once the store is open, before worker threads connect: their connections take
    the raised autocheckpoint from the database's pragmas. Stopped by stop_background()
    (close_database calls it) or at exit.
    """
    global _running
    if not isinstance(db, SqliteDatabase):
        return None
    stop_background()
    db.pragma("wal_autocheckpoint", BACKSTOP_PAGES, permanent=True)
    checkpointer = WalCheckpointer(Path(db.database))
    try:
        checkpointer.start()
    except sqlite3.Error as exc:  # the till still sells; its commits checkpoint at the backstop
        log.warning("cannot start background WAL checkpoints of %s: %s", db.database, exc)
        return None
    _running = checkpointer
    return _running


def running() -> WalCheckpointer | None:
    """This process's background checkpointer, if the store was opened with one."""
    return _running


def stop_background() -> None:
    global _running
    running, _running = _running, None
    if running is not None:
        running.stop()


atexit.register(stop_background)
