"""`pos db backup|restore|check`, a damaged store at start, and the modes of the store's files."""

from __future__ import annotations

import json
import os
import select
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ADMIN = "owner"
ADMIN_PASSWORD = "s3cret-pw"
TEA = "4006381333931"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _users(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [name for (name,) in conn.execute("SELECT username FROM user ORDER BY username")]


@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def casey(store, pos, ok):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))


# --- backup --------------------------------------------------------------------------------------


def test_backup_says_where_it_wrote_a_private_checked_copy(store, pos, ok, home, open_umask):
    out = ok(pos("db", "backup"))

    [made] = list((home / "backups").iterdir())
    assert out.startswith(f"backed up to {made} (") and "integrity ok" in out
    assert _mode(made) == 0o600
    assert _users(made) == [ADMIN]


def test_backup_json_to_a_chosen_path(store, pos, ok, tmp_path):
    data = json.loads(ok(pos("db", "backup", str(tmp_path / "copy.db"), "--json")))

    assert data == {"path": str(tmp_path / "copy.db"), "size": (tmp_path / "copy.db").stat().st_size,
                    "integrity": "ok", "automatic": False, "removed": []}


def test_backup_reports_the_backups_it_rotated_away(store, pos, ok, home):
    ok(pos("config", "set", "backup.keep", "1"))
    ok(pos("db", "backup"))
    out = ok(pos("db", "backup"))
    assert "removed the old backup pos-" in out and "(backup.keep = 1)" in out
    assert len(list((home / "backups").iterdir())) == 1


def test_a_cashier_is_refused_a_backup_with_the_password_piped(casey, pos, refused, home, query):
    refused(pos("db", "backup", "--as", "casey", "--password-stdin", input="1111\n"), "casey", "backup.run")

    assert list((home / "backups").iterdir()) == []
    assert query(home / "pos.db", "SELECT COUNT(*) FROM audit_log WHERE action = 'db.backup'") == [(0,)]


def test_an_admin_backs_up_as_themselves_with_the_password_piped(store, pos, ok, home, query):
    ok(pos("db", "backup", "--as", ADMIN, "--password-stdin", input=f"{ADMIN_PASSWORD}\n"))

    assert query(home / "pos.db", "SELECT username FROM audit_log WHERE action = 'db.backup'") == [(ADMIN,)]


def test_a_backup_over_an_existing_file_is_refused(store, pos, refused, tmp_path):
    target = tmp_path / "mine.db"
    target.write_bytes(b"precious")
    refused(pos("db", "backup", str(target)), str(target), "already exists")
    assert target.read_bytes() == b"precious"


# --- restore -------------------------------------------------------------------------------------


def test_restore_with_yes_brings_the_backup_back_and_keeps_what_it_replaced(casey, pos, ok, home, tmp_path):
    ok(pos("db", "backup", str(tmp_path / "before.db")))
    ok(pos("user", "add", "late", "--role", "cashier", "--password-stdin", input="2222\n"))

    data = json.loads(ok(pos("db", "restore", str(tmp_path / "before.db"), "--yes", "--json")))

    assert data["source"] == str(tmp_path / "before.db") and data["migrated"] == []
    assert data["replaced_damaged"] is False
    assert "late" in _users(Path(data["pre_restore"]))
    assert _users(home / "pos.db") == ["casey", ADMIN]
    ok(pos("db", "check"))


def test_restore_without_a_terminal_and_without_yes_is_refused(casey, pos, ok, refused, home, tmp_path):
    ok(pos("db", "backup", str(tmp_path / "before.db")))
    ok(pos("user", "add", "late", "--role", "cashier", "--password-stdin", input="2222\n"))

    refused(pos("db", "restore", str(tmp_path / "before.db")), "--yes")

    assert _users(home / "pos.db") == ["casey", "late", ADMIN]
    assert not any(p.name.startswith("pre-restore") for p in (home / "backups").iterdir())


def test_a_cashier_is_refused_a_restore(casey, pos, ok, refused, home, tmp_path):
    ok(pos("db", "backup", str(tmp_path / "before.db")))
    refused(pos("db", "restore", str(tmp_path / "before.db"), "--yes", "--as", "casey", "--password-stdin",
                input="1111\n"), "backup.run")
    assert not any(p.name.startswith("pre-restore") for p in (home / "backups").iterdir())


def test_restoring_a_garbage_file_is_refused_naming_it(store, pos, refused, home, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(20_000))
    refused(pos("db", "restore", str(junk), "--yes"), str(junk), "not a usable backup")
    assert _users(home / "pos.db") == [ADMIN]
    assert list((home / "backups").iterdir()) == []


def _in_terminal(args: list[str], answer: str) -> tuple[int, str]:
    """Run `pos ARGS` with a pseudo-terminal as stdin/stdout; answer its question."""
    import pty

    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pos_tui", *args], stdin=child, stdout=child, stderr=child,
                            env={k: v for k, v in os.environ.items() if k != "POS_DB"}, close_fds=True)
    os.close(child)
    seen, answered = b"", False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"[y/N]" in seen:
            os.write(main, answer.encode() + b"\r")
            answered = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    os.close(main)
    return proc.returncode, seen.decode(errors="replace")


@pytest.mark.parametrize("answer, restored", [("n", False), ("y", True)])
def test_restore_on_a_terminal_asks_first_showing_what_it_would_restore(casey, pos, ok, home, tmp_path,
                                                                         answer, restored):
    ok(pos("db", "backup", str(tmp_path / "before.db")))
    ok(pos("user", "add", "late", "--role", "cashier", "--password-stdin", input="2222\n"))
    from pos_tui.db.database import close_database

    close_database()

    code, screen = _in_terminal(["--home", str(home), "db", "restore", str(tmp_path / "before.db")], answer)

    assert f"{tmp_path / 'before.db'}: " in screen and "0 sales" in screen
    assert "Replace the database" in screen and "Traceback" not in screen
    if restored:
        assert code == 0 and "restored" in screen
        assert _users(home / "pos.db") == ["casey", ADMIN]
    else:
        assert code == 1 and "nothing was restored" in screen
        assert _users(home / "pos.db") == ["casey", "late", ADMIN]


# --- check ---------------------------------------------------------------------------------------


def test_check_of_a_sound_store_says_so(store, pos, ok):
    assert ok(pos("db", "check")) == "the database is sound\n"
    assert json.loads(ok(pos("db", "check", "--json"))) == {"sound": True, "violations": []}


def test_check_lists_each_problem_and_exits_1(store, pos, ok, refused, home, tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text(f"barcode,name,price,stock\n{TEA},Tea,2.50,10\n")
    ok(pos("product", "import", str(csv)))
    with sqlite3.connect(home / "pos.db") as conn:
        conn.execute("UPDATE product SET stock = stock + 2000")
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET target = 'someone' WHERE id = 1")

    result = pos("db", "check")
    refused(result, "2 problems")
    assert result.stdout.splitlines() == [
        f"stock        product {TEA}: stock is 12 but its stock moves add up to 10",
        "audit_chain  audit row 1: does not follow from the row before it: a row was edited or deleted from here on",
    ]
    result = pos("db", "check", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["sound"] is False
    assert [(v["kind"], v["where"]) for v in data["violations"]] == [("stock", f"product {TEA}"),
                                                                      ("audit_chain", "audit row 1")]


# --- a damaged store at start --------------------------------------------------------------------


def _damage(db: Path, how: str) -> None:
    for side in (f"{db}-wal", f"{db}-shm"):
        if os.path.exists(side):
            os.unlink(side)
    data = db.read_bytes()
    db.write_bytes({"random bytes": os.urandom(len(data)), "cut in half": data[: len(data) // 2],
                    "zeroed header": b"\0" * 100 + data[100:]}[how])


@pytest.fixture
def checkpointed(store):
    from pos_tui.db.database import close_database
    from pos_tui.db.models import database

    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    return store


COMMANDS = [("db", "status"), ("db", "upgrade"), ("db", "check"), ("db", "backup"), ("user", "list"),
            ("sale", "list"), ("product", "list", "--json")]


@pytest.mark.parametrize("how", ["random bytes", "cut in half", "zeroed header"])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_command_on_a_damaged_store_names_the_file_and_the_way_back(checkpointed, pos, refused, home,
                                                                         how, args):
    _damage(home / "pos.db", how)
    refused(pos(*args), f"the database {home / 'pos.db'} is damaged", "pos db restore PATH",
            f"backups are in {home / 'backups'}")


def test_the_newest_backup_is_named_and_restoring_it_brings_the_store_back(store, pos, ok, refused, home):
    ok(pos("db", "backup"))
    [saved] = list((home / "backups").iterdir())
    from pos_tui.db.database import close_database

    close_database()
    _damage(home / "pos.db", "cut in half")
    refused(pos("user", "list"), f"the newest is {saved.name}")

    out = ok(pos("db", "restore", str(saved), "--yes"))
    assert "restored" in out and "pre-restore-" in out
    assert json.loads(ok(pos("user", "list", "--json")))[0]["username"] == ADMIN


def test_damage_found_in_the_middle_of_a_command_is_named_too(checkpointed, pos, refused, home):
    """The file opens (its first page is fine) but the users' pages are garbage."""
    db = home / "pos.db"
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'user'").fetchone()[0]
    conn.close()
    with open(db, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 600)
    refused(pos("user", "list"), f"the database {db} is damaged", "pos db restore PATH")


# --- file modes ----------------------------------------------------------------------------------


def test_a_home_made_by_config_set_before_init_is_private(cli, ok, tmp_path, open_umask):
    home = tmp_path / "new-shop"
    ok(cli("--home", str(home), "config", "set", "store.name", "Corner Shop"))
    assert _mode(home) == 0o700
    assert _mode(home / "config.toml") == 0o600


def test_init_makes_the_database_and_its_wal_and_shm_private(cli, ok, tmp_path, open_umask):
    home = tmp_path / "shop"
    ok(cli("--home", str(home), "init", "--admin", ADMIN, "--password-stdin", input=f"{ADMIN_PASSWORD}\n"))
    from pos_tui.config import load_settings
    from pos_tui.services.store import open_store

    open_store(load_settings(home))  # a till's connection: the -wal and -shm exist while it is open
    assert _mode(home) == 0o700 and _mode(home / "backups") == 0o700
    for name in ("pos.db", "pos.db-wal", "pos.db-shm"):
        assert _mode(home / name) == 0o600, name
