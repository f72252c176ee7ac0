"""`pos --version`, `--help`, and how --home, --db, POS_HOME and POS_DB pick the store."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

GROUPS = ("init", "run", "demo", "config", "db", "user", "product", "category", "tag", "sale", "shift")


def _init(cli, ok, *options: str, admin: str) -> None:
    ok(cli(*options, "init", "--admin", admin, "--password-stdin", input="pw-1234\n"))


def _admins(cli, ok, *options: str) -> list[str]:
    return [u["username"] for u in json.loads(ok(cli(*options, "user", "list", "--json")))]


def test_version(cli, ok):
    from pos_tui import __version__

    assert ok(cli("--version")) == f"pos-tui {__version__}\n"


def test_version_needs_no_store(cli, ok, tmp_path):
    assert ok(cli("--home", str(tmp_path / "missing"), "--version")).startswith("pos-tui ")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_the_command_groups(cli, ok, flag):
    out = ok(cli(flag))

    commands = out[out.index("Commands:"):].splitlines()[1:]
    assert {line.split()[0] for line in commands if line.strip()} >= set(GROUPS)
    for option in ("--home", "--db", "--version"):
        assert option in out


@pytest.mark.parametrize(
    ("group", "commands"),
    [
        ("config", {"show", "get", "set"}),
        ("db", {"upgrade", "status", "backup", "restore", "check", "copy"}),
        ("user", {"add", "list", "passwd", "role", "disable", "enable", "training", "language"}),
        ("role", {"list", "show", "permissions", "grant", "revoke", "create", "delete"}),
        ("product", {"import", "export", "list", "show", "add", "edit", "archive", "unarchive", "label"}),
        ("category", {"list", "add", "rename", "move", "delete"}),
        ("tag", {"list", "add", "rename", "delete", "assign", "unassign"}),
        ("sale", {"list", "show"}),
        ("shift", {"list", "show", "report"}),
    ],
)
def test_each_group_lists_its_commands(cli, ok, group, commands):
    out = ok(cli(group, "--help"))

    listed = out[out.index("Commands:"):].splitlines()[1:]
    assert {m.group(1) for m in map(re.compile(r"^  (\S+)").match, listed) if m} == commands


def test_pos_home_selects_the_store(cli, ok, monkeypatch, tmp_path):
    home = tmp_path / "via-env"
    monkeypatch.setenv("POS_HOME", str(home))

    _init(cli, ok, admin="envadmin")

    assert (home / "pos.db").exists()
    assert _admins(cli, ok) == ["envadmin"]
    assert json.loads(ok(cli("config", "show", "--json")))["home"] == str(home)


def test_home_option_beats_pos_home(cli, ok, monkeypatch, tmp_path):
    env_home, option_home = tmp_path / "env", tmp_path / "option"
    _init(cli, ok, "--home", str(env_home), admin="envadmin")
    _init(cli, ok, "--home", str(option_home), admin="optadmin")
    monkeypatch.setenv("POS_HOME", str(env_home))

    assert _admins(cli, ok) == ["envadmin"]
    assert _admins(cli, ok, "--home", str(option_home)) == ["optadmin"]


def test_db_option_puts_the_database_where_it_says(cli, ok, refused, tmp_path):
    home, db = tmp_path / "home", tmp_path / "elsewhere" / "shop.db"
    url = f"sqlite:///{db}"

    _init(cli, ok, "--home", str(home), "--db", url, admin="dbadmin")

    assert db.exists() and stat.S_IMODE(db.stat().st_mode) == 0o600
    assert not (home / "pos.db").exists()
    assert _admins(cli, ok, "--home", str(home), "--db", url) == ["dbadmin"]
    assert json.loads(ok(cli("--home", str(home), "--db", url, "config", "show", "--json")))["database"] == url
    refused(cli("--home", str(home), "user", "list"), "pos init")


def test_pos_db_selects_the_database(cli, ok, monkeypatch, tmp_path):
    _init(cli, ok, "--home", str(tmp_path / "a"), admin="alice")
    monkeypatch.setenv("POS_DB", f"sqlite:///{tmp_path / 'a' / 'pos.db'}")

    # POS_HOME points at an empty folder; the database comes from POS_DB
    assert _admins(cli, ok) == ["alice"]
    assert _admins(cli, ok, "--home", str(tmp_path / "nowhere")) == ["alice"]


def test_db_option_beats_pos_db(cli, ok, monkeypatch, tmp_path):
    _init(cli, ok, "--home", str(tmp_path / "a"), admin="alice")
    _init(cli, ok, "--home", str(tmp_path / "b"), admin="bob")
    monkeypatch.setenv("POS_DB", f"sqlite:///{tmp_path / 'a' / 'pos.db'}")

    assert _admins(cli, ok, "--db", f"sqlite:///{tmp_path / 'b' / 'pos.db'}") == ["bob"]


def test_pos_db_pointing_at_a_missing_file_is_refused_not_created(cli, refused, monkeypatch, tmp_path):
    target = tmp_path / "typo.db"
    monkeypatch.setenv("POS_DB", f"sqlite:///{target}")

    refused(cli("user", "list"), str(target), "pos init")

    assert not target.exists()


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://shop@localhost/pos", "unsupported database URL"),
        ("sqlite:///", "sqlite:///"),
        ("postgresql://shop@localhost:1/", "names no database"),
    ],
)
def test_a_bad_database_url_is_refused(cli, refused, url, fragment):
    refused(cli("--db", url, "user", "list"), fragment)


def test_a_missing_default_store_says_to_run_init(cli, refused, tmp_path):
    # the autouse fixture points POS_HOME at an empty folder
    refused(cli("product", "list"), str(tmp_path / "default-home"), "pos init")


@pytest.mark.parametrize(
    "args",
    [
        ("nosuch",),
        ("--bogus", "user", "list"),
        ("user", "add", "casey", "--password-stdin"),  # no --role
    ],
)
def test_a_usage_mistake_gives_one_error_line(store, cli, refused, args):
    refused(cli("--home", str(store.home), *args, input="1111\n"))


def test_a_group_without_a_command_shows_its_help_not_an_error(cli):
    result = cli("user")
    assert "Usage: " in result.output and " user [OPTIONS] COMMAND" in result.output
    assert "error:" not in result.output
    assert "add" in result.output and "passwd" in result.output
