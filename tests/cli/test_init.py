"""`pos init`: a new store, its first admin, and refusing to clobber one."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path

import pytest

ADMIN = "owner"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _usernames(pos, ok) -> list[str]:
    return [u["username"] for u in json.loads(ok(pos("user", "list", "--json")))]


def test_init_creates_a_private_migrated_store_with_its_admin(pos, ok, home):
    out = ok(pos("init", "--admin", "boss", "--password-stdin", input="pw-1234\n"))

    assert str(home) in out and "boss" in out
    assert _mode(home) == 0o700
    assert _mode(home / "pos.db") == 0o600
    config = home / "config.toml"
    assert _mode(config) == 0o600
    assert tomllib.loads(config.read_text(encoding="utf-8"))["store"]["name"] == "My Shop"
    for folder in ("backups", "spool", "logs", "receipts"):
        assert (home / folder).is_dir()
    users = json.loads(ok(pos("user", "list", "--json")))
    assert [(u["username"], u["role"]) for u in users] == [("boss", "admin")]
    status = json.loads(ok(pos("db", "status", "--json")))
    assert status["pending"] == []


def test_init_without_admin_names_the_admin_admin(pos, ok):
    ok(pos("init", "--password-stdin", input="pw-1234\n"))

    assert _usernames(pos, ok) == ["admin"]


def test_the_password_from_stdin_is_the_admins_password(pos, ok, home):
    from pos_tui.config import load_settings
    from pos_tui.errors import AuthError
    from pos_tui.services.auth import authenticate
    from pos_tui.services.store import open_store

    ok(pos("init", "--admin", "boss", "--password-stdin", input="pw-1234\r\n"))

    open_store(load_settings(home))
    assert authenticate("boss", "pw-1234").role == "admin"
    with pytest.raises(AuthError):
        authenticate("boss", "pw-1234\r")  # the line ending is not part of the password


def test_init_refuses_an_existing_store_without_force(store, pos, ok, refused, query, home):
    refused(pos("init", "--admin", "boss", "--password-stdin", input="pw-1234\n"), "already exists", "--force")

    assert query(home / "pos.db", "SELECT count(*) FROM audit_log WHERE action = 'store.init'") == [(1,)]
    assert list((home / "backups").iterdir()) == []
    assert _usernames(pos, ok) == [ADMIN]


def test_init_force_replaces_the_store_and_keeps_the_old_database_in_backups(store, pos, ok, query, home):
    ok(pos("init", "--admin", "boss", "--password-stdin", "--force", input="pw-1234\n"))

    assert _usernames(pos, ok) == ["boss"]
    kept = [p for p in (home / "backups").iterdir() if p.suffix == ".db"]
    assert len(kept) == 1 and kept[0].name.startswith("pos-replaced-")
    assert query(kept[0], "SELECT username FROM user") == [(ADMIN,)]
    assert _mode(home / "pos.db") == 0o600


def test_init_force_with_a_short_password_changes_nothing(store, pos, ok, refused, home):
    refused(pos("init", "--admin", "boss", "--password-stdin", "--force", input="abc\n"), "at least 4")

    assert _usernames(pos, ok) == [ADMIN]
    assert list((home / "backups").iterdir()) == []


def test_init_refuses_a_short_password_and_creates_nothing(pos, refused, home):
    refused(pos("init", "--admin", "boss", "--password-stdin", input="abc\n"), "at least 4 characters")

    assert not home.exists()


def test_init_refuses_an_empty_password_line(pos, refused, home):
    refused(pos("init", "--admin", "boss", "--password-stdin", input="\n"), "at least 4 characters")

    assert not home.exists()


def test_init_with_password_stdin_but_nothing_piped_is_refused(pos, refused, home):
    refused(pos("init", "--admin", "boss", "--password-stdin", input=""), "--password-stdin", "empty")

    assert not home.exists()


def test_init_without_a_terminal_or_password_stdin_says_how_to_pass_one(pos, refused, home):
    refused(pos("init", "--admin", "boss", input="pw-1234\n"), "--password-stdin")

    assert not home.exists()


def test_init_refuses_a_bad_admin_name_and_leaves_no_half_store(pos, ok, refused):
    refused(pos("init", "--admin", "bad name", "--password-stdin", input="pw-1234\n"), "'bad name'")

    # Whatever was left behind, `pos init` must still be able to create the store.
    ok(pos("init", "--admin", "boss", "--password-stdin", input="pw-1234\n"))
    assert _usernames(pos, ok) == ["boss"]
