"""Backups while the tills sell, their rotation, and restores that change nothing unless they succeed."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pos_tui.config import Settings, load_settings
from pos_tui.db import migrate, sqlite_files
from pos_tui.db.database import close_database, open_database
from pos_tui.db.models import AuditLog, database
from pos_tui.errors import StoreError, ValidationError
from pos_tui.services import auth
from pos_tui.services.auth import authenticate
from pos_tui.services.backup import AUTO_NAME, backup, backup_at_shift_close, restore
from pos_tui.services.context import Actor
from pos_tui.services.integrity import check_store
from pos_tui.services.permissions import PermissionDenied
from pos_tui.services.store import open_store

# `pos db backup` copies the SQLite file; a PostgreSQL store is backed up on its server.
pytestmark = pytest.mark.sqlite_only("backs up and restores the SQLite file")

WRITER = r"""
import sys
from pathlib import Path
from pos_tui.config import load_settings
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.services import sales, shifts
from pos_tui.services.auth import authenticate
from pos_tui.services.catalog import scan
from pos_tui.services.store import open_store

settings = load_settings(sys.argv[1])
open_store(settings)
stop = Path(sys.argv[2])
cashier = authenticate("cashier", "1111")
rates = settings.tax_rates()
shifts.open_shift(cashier, settings, lane="2", counts=shifts.break_down(settings, 10000))
while not stop.exists():
    cart = Cart()
    cart.add(scan("4010079190010", rates))
    cart.add(scan("9315147350651", rates))
    sales.commit_sale(cashier, cart, [Tender("cash", 1000)], lane="2")
"""

FULL_DISK = r"""
import resource, signal, sys
from pos_tui.config import load_settings
from pos_tui.errors import PosError
from pos_tui.services.backup import backup
from pos_tui.services.context import Actor
from pos_tui.services.store import open_store

settings = load_settings(sys.argv[1])
open_store(settings)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
try:
    backup(Actor.cli(), settings, sys.argv[2])
except PosError as exc:
    print(exc)
    sys.exit(3)
"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _wait(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)  # polling interval of a wait, not a fixed delay


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _open_copy(path: Path, tmp_path: Path) -> Settings:
    """A backup file opened as a store of its own."""
    close_database()
    settings = Settings(home=tmp_path / "copy-home", db_override=f"sqlite:///{path}")
    open_store(settings)
    return settings


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if "logs" not in p.parts)


@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def cashier(store, admin_actor) -> Actor:
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    return authenticate("casey", "1111")


# --- backup --------------------------------------------------------------------------------------


def test_a_backup_is_a_checked_private_copy_that_opens_as_the_same_store(store, admin_actor, tmp_path, open_umask):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    info = backup(admin_actor, store)

    assert info.path.parent == store.home / "backups" and AUTO_NAME.match(info.path.name)
    assert (info.integrity, info.automatic, info.size) == ("ok", True, info.path.stat().st_size)
    assert _mode(info.path) == 0o600
    assert not list(info.path.parent.glob(".pos-backup-*"))
    entry = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (entry.action, entry.target) == ("db.backup", str(info.path))
    details = json.loads(entry.details)
    assert (details["path"], details["size"], details["integrity"]) == (str(info.path), info.size, "ok")

    _open_copy(info.path, tmp_path)
    assert sorted(u.username for u in auth.list_users()) == ["casey", "owner"]
    assert check_store() == []


def test_a_backup_taken_while_another_process_sells_is_consistent(demo_store, tmp_path):
    admin = authenticate("admin", "admin")
    db = demo_store.home / "pos.db"
    stop = tmp_path / "stop"
    lane2 = "SELECT COUNT(*) FROM sale WHERE lane = '2'"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(demo_store.home), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait(lambda: writer.poll() is not None or _count(db, lane2) >= 10, "the writer's first sales")
        assert writer.poll() is None, writer.communicate()
        taken = [backup(admin, demo_store, tmp_path / f"during-{n}.db") for n in range(3)]
        counts = [_count(info.path, lane2) for info in taken]
        _wait(lambda: _count(db, lane2) > counts[-1], "a sale after the last backup")
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    final = _count(db, lane2)

    assert 10 <= counts[0] <= counts[1] <= counts[2] < final
    for info in taken:
        _open_copy(info.path, tmp_path)
        assert check_store() == [], info.path
        close_database()


def test_automatic_backups_keep_the_newest_n_and_never_a_chosen_file(store, admin_actor, tmp_path):
    folder = store.home / "backups"
    first = backup(admin_actor, store)
    for old in ("pos-20250101-000000.db", "pos-20250101-000000-2.db", "pos-20250301-120000.db"):
        shutil.copyfile(first.path, folder / old)
    chosen = backup(admin_actor, store, folder / "before-the-upgrade.db")
    into_folder = backup(admin_actor, store, folder)
    (folder / "pre-restore-20250101-000000.db").write_bytes(b"kept")
    store.set("backup.keep", 3)

    second, third = backup(admin_actor, store), backup(admin_actor, store)

    autos = sorted(p.name for p in folder.iterdir() if AUTO_NAME.match(p.name))
    assert autos == sorted([first.path.name, second.path.name, third.path.name])
    # Oldest first by the time in the name; -2 came after its plain twin.
    assert second.removed == (folder / "pos-20250101-000000.db", folder / "pos-20250101-000000-2.db")
    assert third.removed == (folder / "pos-20250301-120000.db",)
    assert chosen.path.exists() and into_folder.path.exists() and not chosen.automatic
    assert (folder / "pre-restore-20250101-000000.db").exists()

    store.set("backup.keep", 1)
    fourth = backup(admin_actor, store)
    assert sorted(fourth.removed) == sorted([first.path, second.path, third.path])
    assert [p.name for p in folder.iterdir() if AUTO_NAME.match(p.name)] == [fourth.path.name]


def test_a_cashier_may_not_back_up(cashier, store):
    with pytest.raises(PermissionDenied, match=r"backup\.run"):
        backup(cashier, store)
    assert list((store.home / "backups").iterdir()) == []
    assert not AuditLog.select().where(AuditLog.action == "db.backup").exists()


def test_shift_close_backs_up_for_a_cashier_when_the_setting_is_on(cashier, store):
    info = backup_at_shift_close(cashier, store)
    assert info is not None and info.automatic and info.path.exists()
    entry = AuditLog.select().where(AuditLog.action == "db.backup").get()
    assert (entry.username, json.loads(entry.details)["reason"]) == ("casey", "shift close")

    store.set("backup.on_shift_close", False)
    assert backup_at_shift_close(cashier, store) is None
    assert list((store.home / "backups").iterdir()) == [info.path]


def test_a_backup_never_overwrites_a_file(store, admin_actor, tmp_path):
    target = tmp_path / "mine.db"
    target.write_bytes(b"precious")
    with pytest.raises(ValidationError, match="already exists"):
        backup(admin_actor, store, target)
    assert target.read_bytes() == b"precious"


@pytest.mark.parametrize("where, says", [("missing/dir/x.db", "does not exist"), ("a-file/x.db", "is not a folder")])
def test_a_backup_to_a_place_that_cannot_hold_it_says_why_and_writes_nothing(store, admin_actor, tmp_path, where, says):
    (tmp_path / "a-file").write_text("x")
    before = _files(tmp_path)
    with pytest.raises(StoreError, match=says):
        backup(admin_actor, store, tmp_path / where)
    assert _files(tmp_path) == before


def test_a_full_disk_gives_a_clear_message_and_leaves_no_partial_file(store, tmp_path):
    target_dir = tmp_path / "usb"
    target_dir.mkdir()
    close_database()
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(store.home), str(target_dir / "copy.db")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert str(target_dir / "copy.db") in done.stdout and "nothing was written" in done.stdout
    assert "Traceback" not in done.stderr
    assert list(target_dir.iterdir()) == []


def test_a_copy_that_fails_its_integrity_check_is_deleted(store, admin_actor):
    """An index that no longer matches its table: SQLite reads on, integrity_check objects."""
    database.execute_sql("PRAGMA writable_schema = ON")
    database.execute_sql("""UPDATE sqlite_master SET sql = replace(sql, '"username"', '"full_name"') """
                         "WHERE name = 'user_username'")
    close_database()
    open_store(store)
    with pytest.raises(StoreError, match="integrity check .*missing from index.*nothing was kept.*pos db check"):
        backup(Actor.cli(), store)
    assert list((store.home / "backups").iterdir()) == []
    assert not AuditLog.select().where(AuditLog.action == "db.backup").exists()


def test_a_store_damaged_past_reading_is_named_by_the_backup(store):
    page_size = database.execute_sql("PRAGMA page_size").fetchone()[0]
    root = database.execute_sql("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    with open(store.home / "pos.db", "r+b") as handle:
        handle.seek((root - 1) * page_size)  # the b-tree page's header: no valid page type
        handle.write(b"\xff" * 600)
    open_store(store)
    with pytest.raises(StoreError, match=r"is damaged .*pos db restore PATH"):
        backup(Actor.cli(), store)
    assert list((store.home / "backups").iterdir()) == []


def test_backups_and_restores_of_another_database_say_so(tmp_path):
    settings = Settings(home=tmp_path / "pg", db_override="postgresql://till@localhost/shop")
    with pytest.raises(StoreError, match="SQLite stores.*pg_dump"):
        backup(Actor.cli(), settings)
    with pytest.raises(StoreError, match="SQLite stores.*pg_restore"):
        restore(Actor.cli(), settings, tmp_path / "x.db")


# --- restore -------------------------------------------------------------------------------------


def _older_store(path: Path) -> None:
    """A store as an older pos-tui left it: every migration but the last."""
    known = migrate.known()
    db = open_database(f"sqlite:///{path}", create=True)
    migrate.upgrade(db, target=known[-2])
    close_database()


@pytest.fixture
def garbage(tmp_path, store, admin_actor):
    """Files that must never replace a store, by name."""
    made = {}
    made["random bytes"] = tmp_path / "random.db"
    made["random bytes"].write_bytes(os.urandom(50_000))
    made["a text file"] = tmp_path / "notes.db"
    made["a text file"].write_text("barcode,name,price\n" * 100)
    made["an empty file"] = tmp_path / "empty.db"
    made["an empty file"].write_bytes(b"")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    made["another program's database"] = other
    good = backup(admin_actor, store, tmp_path / "good.db").path
    half = tmp_path / "half.db"
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    made["a backup cut in half"] = half
    newer = tmp_path / "newer.db"
    shutil.copyfile(good, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("INSERT INTO schema_migration (name, applied) VALUES ('9999_future', '2030-01-01')")
    made["a backup from a newer version"] = newer
    made["a missing file"] = tmp_path / "nowhere.db"
    return made


@pytest.mark.parametrize("kind, says", [
    ("random bytes", "not a usable backup"), ("a text file", "not a usable backup"),
    ("an empty file", "not a pos-tui store"), ("another program's database", "not a pos-tui store"),
    ("a backup cut in half", "not a usable backup"), ("a backup from a newer version", "9999_future"),
    ("a missing file", "no file at"),
])
def test_restoring_a_bad_file_changes_nothing(store, admin_actor, garbage, kind, says):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before_files, before_db = _files(store.home), _dump(store.home / "pos.db")

    with pytest.raises(ValidationError, match=says) as err:
        restore(admin_actor, store, garbage[kind])

    assert str(garbage[kind]) in str(err.value)
    assert _files(store.home) == before_files
    assert _dump(store.home / "pos.db") == before_db


def test_restore_keeps_the_replaced_database_and_the_restored_store_works(store, admin_actor, tmp_path, open_umask):
    saved = backup(admin_actor, store, tmp_path / "saved.db")
    auth.add_user(admin_actor, "late", "2222", "cashier")  # after the backup: the restore takes it away
    till = sqlite3.connect(store.home / "pos.db", isolation_level=None)  # another lane, open throughout
    assert till.execute("SELECT COUNT(*) FROM user").fetchone() == (2,)

    info = restore(admin_actor, store, saved.path)

    assert info.source == saved.path and info.migrated == () and not info.replaced_damaged
    assert info.pre_restore.parent == store.home / "backups" and info.pre_restore.name.startswith("pre-restore-")
    assert _mode(info.pre_restore) == 0o600
    assert _count(info.pre_restore, "SELECT COUNT(*) FROM user WHERE username = 'late'") == 1
    assert till.execute("SELECT COUNT(*) FROM user").fetchone() == (1,)  # the open lane sees the restore
    till.close()

    assert [u.username for u in auth.list_users()] == ["owner"]
    last = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (last.action, last.target) == ("db.restore", str(saved.path))
    assert json.loads(last.details)["pre_restore"] == str(info.pre_restore)
    assert check_store() == []
    auth.add_user(admin_actor, "after", "3333", "cashier")  # the store takes writes again
    close_database()
    open_store(load_settings(store.home))
    assert sorted(u.username for u in auth.list_users()) == ["after", "owner"]
    for name in ("pos.db", "pos.db-wal", "pos.db-shm"):
        assert _mode(store.home / name) == 0o600, name


def test_restoring_an_older_backup_applies_the_newer_migrations(store, admin_actor, tmp_path):
    older = tmp_path / "older.db"
    _older_store(older)
    open_store(store)

    info = restore(admin_actor, store, older)

    assert info.migrated == (migrate.known()[-1],)
    assert migrate.pending(database.obj) == []
    assert AuditLog.select().order_by(AuditLog.id.desc()).first().action == "db.restore"


@pytest.mark.parametrize("damage", ["random bytes", "cut in half", "zeroed header"])
def test_restore_over_a_damaged_store_keeps_the_damaged_bytes_and_brings_the_store_back(
        store, admin_actor, tmp_path, damage):
    saved = backup(admin_actor, store, tmp_path / "saved.db")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    db = store.home / "pos.db"
    data = db.read_bytes()
    broken = {"random bytes": os.urandom(len(data)), "cut in half": data[: len(data) // 2],
              "zeroed header": b"\0" * 100 + data[100:]}[damage]
    db.write_bytes(broken)
    with pytest.raises(StoreError, match="is damaged"):
        open_store(store)

    info = restore(Actor.cli(), store, saved.path)

    assert info.replaced_damaged
    assert info.pre_restore.read_bytes() == broken
    open_store(store)
    assert [u.username for u in auth.list_users()] == ["owner"]
    assert check_store() == []


def test_a_cashier_may_not_restore(cashier, store, tmp_path):
    saved = backup(Actor.cli(), store, tmp_path / "saved.db")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _dump(store.home / "pos.db")
    with pytest.raises(PermissionDenied, match=r"backup\.run"):
        restore(cashier, store, saved.path)
    assert _dump(store.home / "pos.db") == before
    assert not any(p.name.startswith("pre-restore") for p in (store.home / "backups").iterdir())


def test_a_till_mid_transaction_that_never_finishes_stops_the_restore(store, admin_actor, tmp_path, monkeypatch):
    saved = backup(admin_actor, store, tmp_path / "saved.db")
    auth.add_user(admin_actor, "late", "2222", "cashier")
    monkeypatch.setattr(sqlite_files, "BUSY_TIMEOUT_S", 0.2)
    stuck = sqlite3.connect(store.home / "pos.db", isolation_level=None)
    stuck.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="busy"):
            restore(admin_actor, store, saved.path)
    finally:
        stuck.execute("ROLLBACK")
        stuck.close()
    open_store(store)
    assert sorted(u.username for u in auth.list_users()) == ["late", "owner"]
    assert not any(p.name.startswith("pre-restore") for p in (store.home / "backups").iterdir())


def test_no_till_can_commit_between_the_kept_copy_and_the_restore(store, admin_actor, tmp_path, monkeypatch):
    saved = backup(admin_actor, store, tmp_path / "saved.db")
    real = sqlite_files.snapshot
    attempts = []

    def kept_copy(source, target, *, check=True):
        lane = sqlite3.connect(store.home / "pos.db", timeout=0, isolation_level=None)
        try:
            lane.execute("INSERT INTO setting (key, value) VALUES ('sneaked', 'in')")
            attempts.append("committed")
        except sqlite3.OperationalError as exc:
            attempts.append(str(exc))
        finally:
            lane.close()
        return real(source, target, check=check)

    monkeypatch.setattr(sqlite_files, "snapshot", kept_copy)
    info = restore(admin_actor, store, saved.path)
    assert attempts == ["database is locked"]
    assert _count(info.pre_restore, "SELECT COUNT(*) FROM setting WHERE key = 'sneaked'") == 0


def test_a_stale_wal_of_the_damaged_store_is_kept_aside_not_replayed_onto_the_restored_one(
        store, admin_actor, tmp_path):
    saved = backup(admin_actor, store, tmp_path / "saved.db")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    auth.add_user(admin_actor, "late", "2222", "cashier")  # lands in the WAL only
    db = store.home / "pos.db"
    wal = Path(f"{db}-wal").read_bytes()
    assert wal, "the new user should still be in the write-ahead log"
    close_database()
    db.write_bytes(os.urandom(db.stat().st_size))
    Path(f"{db}-wal").write_bytes(wal)  # as a crash would leave it

    info = restore(Actor.cli(), store, saved.path)

    assert info.replaced_damaged
    assert Path(f"{info.pre_restore}-wal").read_bytes() == wal
    open_store(store)
    assert [u.username for u in auth.list_users()] == ["owner"]
    assert check_store() == []
