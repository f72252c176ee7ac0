"""The till's WAL checkpoints run in a thread of their own, between sales, never in a commit."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from pos_tui.config import sqlite_path
from pos_tui.db import checkpoint
from pos_tui.db.database import close_database, write_transaction
from pos_tui.db.models import Setting, database
from pos_tui.services.store import open_store

pytestmark = pytest.mark.sqlite_only("SQLite's WAL")


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _in_the_file_alone(path: Path, tmp_path: Path) -> set[str]:
    """The test settings the database file holds by itself, without its WAL (what was copied back)."""
    alone = tmp_path / "alone.db"
    shutil.copyfile(path, alone)
    with closing(sqlite3.connect(alone)) as conn:
        return {key for (key,) in conn.execute("SELECT key FROM setting WHERE key LIKE 'test.%'")}


def _write(n: int, size: int = 100) -> None:
    for i in range(n):
        with write_transaction():
            Setting.replace(key=f"test.{i}", value="x" * size).execute()


def _in_a_worker(query: str):
    """What a till worker thread's own connection says (each thread opens its own)."""
    out = []

    def run() -> None:
        with database.connection_context():
            out.append(database.execute_sql(query).fetchone()[0])

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out[0]


@pytest.fixture
def till_store(store):
    """The store opened as the till opens it."""
    close_database()
    open_store(store, background_checkpoints=True)
    yield store
    close_database()


def test_a_sales_pages_are_copied_back_once_the_till_pauses(till_store, tmp_path):
    running = checkpoint.running()
    assert running is not None
    before = running.checkpoints
    _write(5)
    _wait_for(lambda: running.checkpoints > before)
    assert _in_the_file_alone(sqlite_path(till_store.db_url), tmp_path) == {f"test.{i}" for i in range(5)}


def test_the_till_keeps_full_durability_and_only_a_backstop_autocheckpoint(till_store):
    assert _in_a_worker("PRAGMA synchronous") == 2  # FULL: a committed sale survives a power cut
    assert _in_a_worker("PRAGMA wal_autocheckpoint") == checkpoint.BACKSTOP_PAGES


def test_a_command_keeps_sqlites_own_checkpoints(store):
    assert checkpoint.running() is None
    assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000


def test_the_wal_stays_bounded_when_the_till_never_pauses(store, monkeypatch):
    """Writes with no quiet moment: the backstop checkpoint in the commit still bounds the WAL."""
    close_database()
    monkeypatch.setattr(checkpoint, "BACKSTOP_PAGES", 20)
    monkeypatch.setattr(checkpoint, "POLL_S", 3600.0)  # the thread never gets its quiet moment
    open_store(store, background_checkpoints=True)
    try:
        _write(200, size=3000)  # about a page each
        wal = Path(f"{sqlite_path(store.db_url)}-wal")
        assert wal.stat().st_size < 60 * 4096
    finally:
        close_database()


def test_closing_the_store_stops_the_thread_and_copies_back(store, monkeypatch, tmp_path):
    close_database()
    monkeypatch.setattr(checkpoint, "POLL_S", 3600.0)  # only the close copies back
    open_store(store, background_checkpoints=True)
    running = checkpoint.running()
    _write(3)
    path = sqlite_path(store.db_url)
    assert _in_the_file_alone(path, tmp_path) == set()  # still only in the WAL
    close_database()
    assert checkpoint.running() is None and not running.alive
    assert _in_the_file_alone(path, tmp_path) == {"test.0", "test.1", "test.2"}


def test_writes_that_never_pause_are_still_copied_back_from_the_thread(store, monkeypatch):
    close_database()
    monkeypatch.setattr(checkpoint, "POLL_S", 0.05)
    monkeypatch.setattr(checkpoint, "MAX_WAIT_S", 0.3)
    open_store(store, background_checkpoints=True)
    running = checkpoint.running()
    try:
        deadline = time.monotonic() + 10
        while running.checkpoints == 0:  # a commit every few ms: no poll ever sees a quiet store
            assert time.monotonic() < deadline, "no checkpoint while the writes went on"
            _write(1)
    finally:
        close_database()
