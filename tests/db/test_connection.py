"""Opening the database: the pragmas a till needs, private files, clear errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from peewee import IntegrityError

from pos_tui.config import load_settings
from pos_tui.db.database import close_database, open_database
from pos_tui.db.models import Product, database
from pos_tui.errors import StoreError
from pos_tui.services.store import init_store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _pragma(name: str):
    return database.execute_sql(f"PRAGMA {name}").fetchone()[0]


@pytest.fixture
def open_umask():
    """A permissive umask, so only the code's own chmod can make files private."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.mark.sqlite_only("SQLite's pragmas")
def test_an_opened_store_has_the_till_pragmas(store):
    assert str(_pragma("journal_mode")).lower() == "wal"
    assert _pragma("foreign_keys") == 1
    assert _pragma("synchronous") == 2  # FULL
    assert _pragma("busy_timeout") > 0


@pytest.mark.sqlite_only("SQLite's pragmas")
def test_pragmas_apply_again_after_a_reconnect(store):
    close_database()
    database.connect()
    assert _pragma("foreign_keys") == 1 and _pragma("synchronous") == 2


def test_foreign_keys_are_enforced(store):
    with pytest.raises(IntegrityError):
        Product.create(barcode="4010079190010", name="Orphan", price=100, category=999)
    assert Product.select().count() == 0


def test_open_database_without_create_refuses_a_missing_file(tmp_path):
    path = tmp_path / "typo" / "pos.db"
    with pytest.raises(StoreError, match="run `pos init`") as err:
        open_database(f"sqlite:///{path}")
    assert str(path) in str(err.value)
    assert not path.exists() and not path.parent.exists()


def test_a_created_database_file_is_private(tmp_path, open_umask):
    path = tmp_path / "new" / "pos.db"
    open_database(f"sqlite:///{path}", create=True)
    database.execute_sql("CREATE TABLE t (x INTEGER)")
    assert _mode(path) == 0o600


def test_opening_tightens_a_world_readable_database(tmp_path):
    path = tmp_path / "pos.db"
    open_database(f"sqlite:///{path}", create=True)
    close_database()
    path.chmod(0o644)
    open_database(f"sqlite:///{path}")
    assert _mode(path) == 0o600


def test_init_store_makes_home_0700_and_the_database_0600(tmp_path, open_umask):
    home = tmp_path / "shop"
    init_store(load_settings(home), "owner", "s3cret-pw")
    assert _mode(home) == 0o700
    assert _mode(home / "pos.db") == 0o600
    for sub in ("backups", "spool", "logs", "receipts"):
        assert _mode(home / sub) == 0o700, sub
    # The write-ahead log holds the same data; SQLite gives it the database file's mode.
    assert _mode(home / "pos.db-wal") == 0o600


def test_init_store_tightens_an_existing_open_home(tmp_path):
    home = tmp_path / "shop"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    init_store(load_settings(home), "owner", "s3cret-pw")
    assert _mode(home) == 0o700


@pytest.mark.parametrize("url", ["mysql://x", "postgresql://localhost/", "nonsense"])
def test_an_unsupported_or_incomplete_url_is_a_store_error(url):
    with pytest.raises(StoreError, match="database URL"):
        open_database(url)


@pytest.fixture
def scratch_cwd(tmp_path, monkeypatch):
    """Run in a throwaway working directory (restoring its mode afterwards)."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    cwd.chmod(0o755)
    monkeypatch.chdir(cwd)
    yield cwd
    cwd.chmod(0o755)


def test_an_empty_sqlite_path_is_a_store_error_and_touches_nothing(scratch_cwd):
    """`sqlite:///` names no file: refuse it without changing the current directory."""
    with pytest.raises(StoreError):
        open_database("sqlite:///")
    assert _mode(scratch_cwd) == 0o755, "open_database('sqlite:///') chmod-ed the working directory"
    assert list(scratch_cwd.iterdir()) == []
