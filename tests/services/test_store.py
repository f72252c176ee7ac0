"""Creating a store: never over an existing one by accident; --force keeps the old one in backups/."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pos_tui.config import load_settings, save_settings
from pos_tui.db.database import close_database
from pos_tui.db.models import AuditLog
from pos_tui.errors import AuthError, StoreError, ValidationError
from pos_tui.services import auth, store as store_service
from pos_tui.services.store import init_store, open_store, store_exists

ADMIN, ADMIN_PASSWORD = "owner", "s3cret-pw"


def _usernames(db_file: Path) -> list[str]:
    with sqlite3.connect(db_file) as conn:
        return [name for (name,) in conn.execute("SELECT username FROM user ORDER BY username")]


def test_init_store_creates_a_migrated_store_with_its_admin(store, home):
    assert store_exists(store)
    assert (home / "config.toml").exists()
    assert all((home / sub).is_dir() for sub in ("backups", "spool", "logs", "receipts"))
    admin = auth.get_user(ADMIN)
    assert (admin.role, admin.full_name, admin.disabled) == ("admin", "Administrator", False)
    assert [e.action for e in reversed(list(AuditLog.select().order_by(AuditLog.id.desc())))] == ["user.add", "store.init"]


@pytest.mark.sqlite_only("the store's SQLite file")
def test_init_store_refuses_an_existing_store_without_force(store, home):
    auth.add_user(auth.authenticate(ADMIN, ADMIN_PASSWORD), "casey", "1111", "cashier")
    close_database()
    with pytest.raises(StoreError, match="a store already exists at .*; use --force to replace it"):
        init_store(load_settings(home), "intruder", "other-pw")
    assert _usernames(home / "pos.db") == ["casey", ADMIN]
    assert list((home / "backups").iterdir()) == []


def test_init_store_over_a_config_alone_creates_the_store_and_keeps_the_settings(tmp_path):
    """`pos config set` before `pos init` writes only config.toml; that is not yet a store."""
    settings = load_settings(tmp_path / "shop")
    settings.set("store.name", "Corner Shop")
    settings.set("lane", "3")
    save_settings(settings)
    init_store(load_settings(settings.home), ADMIN, ADMIN_PASSWORD)
    reloaded = load_settings(settings.home)
    assert (reloaded.get("store.name"), reloaded.get("lane")) == ("Corner Shop", "3")
    assert auth.authenticate(ADMIN, ADMIN_PASSWORD).role == "admin"
    assert list((settings.home / "backups").iterdir()) == []


def test_init_store_refuses_a_short_password_before_touching_anything(tmp_path):
    settings = load_settings(tmp_path / "shop")
    with pytest.raises(ValidationError, match="at least 4"):
        init_store(settings, ADMIN, "abc")
    assert not settings.home.exists()


@pytest.mark.sqlite_only("the store's SQLite file")
def test_force_moves_the_old_database_into_backups(store, home):
    auth.add_user(auth.authenticate(ADMIN, ADMIN_PASSWORD), "casey", "1111", "cashier")
    close_database()
    init_store(load_settings(home), "newboss", "brand-new-pw", force=True)

    (kept,) = [p for p in (home / "backups").iterdir() if p.suffix == ".db"]
    assert kept.name.startswith("pos-replaced-")
    assert _usernames(kept) == ["casey", ADMIN]  # the old store survives intact
    assert [u.username for u in auth.list_users()] == ["newboss"]
    assert auth.authenticate("newboss", "brand-new-pw").role == "admin"
    with pytest.raises(AuthError):
        auth.authenticate(ADMIN, ADMIN_PASSWORD)
    init_row = AuditLog.select().where(AuditLog.action == "store.init").order_by(AuditLog.id.desc()).first()
    assert json.loads(init_row.details) == {"admin": "newboss", "replaced": True}


@pytest.mark.sqlite_only("the store's SQLite file")
def test_forcing_twice_in_the_same_second_keeps_both_old_stores(store, home, monkeypatch):
    """Each replaced store is a separate backup; a second --force must not overwrite the first backup."""

    class FrozenClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 26, 10, 0, 0, tzinfo=timezone.utc)

    monkeypatch.setattr(store_service, "datetime", FrozenClock)
    close_database()
    init_store(load_settings(home), "second", "second-pw", force=True)
    close_database()
    init_store(load_settings(home), "third", "third-pw", force=True)
    close_database()

    kept = sorted(p for p in (home / "backups").iterdir() if p.suffix == ".db")
    assert sorted(name for p in kept for name in _usernames(p)) == [ADMIN, "second"]


def test_open_store_without_a_store_says_to_run_init(tmp_path):
    with pytest.raises(StoreError, match="run `pos init` first"):
        open_store(load_settings(tmp_path / "nothing-here"))
    assert not (tmp_path / "nothing-here" / "pos.db").exists()
