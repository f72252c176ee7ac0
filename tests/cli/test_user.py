"""`pos user add|list|passwd|disable|enable`: the staff who log in to the till."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

ADMIN = "owner"
ADMIN_PASSWORD = "s3cret-pw"
FIELDS = {"username", "full_name", "role", "disabled", "locked_until", "training", "language"}


def _users(pos, ok) -> dict[str, dict]:
    return {u["username"]: u for u in json.loads(ok(pos("user", "list", "--json")))}


def _login(home, name: str, password: str, **limits):
    """Log in as the till would, on the store at `home`."""
    from pos_tui.config import load_settings
    from pos_tui.services.auth import authenticate
    from pos_tui.services.store import open_store

    open_store(load_settings(home))
    return authenticate(name, password, **limits)


def _login_fails(home, name: str, password: str) -> bool:
    from pos_tui.errors import AuthError

    try:
        _login(home, name, password)
    except AuthError:
        return True
    return False


def test_add_a_cashier_who_can_then_log_in(store, pos, ok, home):
    out = ok(pos("user", "add", "casey", "--role", "cashier", "--full-name", "Casey Cashier",
                 "--password-stdin", input="1111\n"))

    assert out == "added casey (cashier)\n"
    users = _users(pos, ok)
    assert set(users) == {ADMIN, "casey"}
    assert users["casey"] == {
        "username": "casey", "full_name": "Casey Cashier", "role": "cashier", "disabled": False, "locked_until": None,
        "training": False, "language": None,
    }
    assert _login(home, "casey", "1111").role == "cashier"


def test_list_json_has_exactly_the_documented_fields(store, pos, ok):
    ok(pos("user", "add", "sam", "--role", "supervisor", "--password-stdin", input="2222\n"))

    for user in json.loads(ok(pos("user", "list", "--json"))):
        assert set(user) == FIELDS


def test_list_text_shows_name_role_and_state(store, pos, ok):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))
    ok(pos("user", "disable", "casey"))

    lines = ok(pos("user", "list")).splitlines()

    assert [line.split()[:2] for line in lines] == [["casey", "cashier"], [ADMIN, "admin"]]
    assert lines[0].endswith("disabled")
    assert "disabled" not in lines[1]


def test_no_output_ever_shows_a_password_hash(store, pos, ok, query, home):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))
    hashes = [h for (h,) in query(home / "pos.db", "SELECT password_hash FROM user")]
    assert len(hashes) == 2

    outputs = [pos("user", "list"), pos("user", "list", "--json"), pos("config", "show", "--json"),
               pos("user", "disable", "casey"), pos("user", "passwd", "casey", "--password-stdin", input="9999\n")]

    for result in outputs:
        ok(result)
        text = result.stdout + result.stderr
        assert "scrypt" not in text
        for hashed in hashes:
            assert hashed not in text
            assert hashed.split("$")[-1] not in text


def test_a_duplicate_name_is_refused(store, pos, ok, refused, home):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))

    refused(pos("user", "add", "casey", "--role", "admin", "--password-stdin", input="2222\n"),
            "'casey'", "already exists")

    assert _users(pos, ok)["casey"]["role"] == "cashier"
    assert _login(home, "casey", "1111").role == "cashier"


def test_a_duplicate_of_the_admin_is_refused(store, pos, refused):
    refused(pos("user", "add", ADMIN, "--role", "cashier", "--password-stdin", input="1111\n"), "already exists")


@pytest.mark.parametrize("role", ["boss", "Cashier", ""])
def test_a_bad_role_is_refused_naming_the_roles(store, pos, ok, refused, role):
    refused(pos("user", "add", "casey", "--role", role, "--password-stdin", input="1111\n"),
            f"role {role!r}", "admin, cashier, supervisor")

    assert set(_users(pos, ok)) == {ADMIN}


@pytest.mark.parametrize("password", ["123", ""])
def test_a_short_password_is_refused(store, pos, ok, refused, password):
    refused(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input=f"{password}\n"),
            "at least 4 characters")

    assert set(_users(pos, ok)) == {ADMIN}


@pytest.mark.parametrize("name", ["bad name", "x" * 65, "semi;colon"])
def test_a_bad_user_name_is_refused(store, pos, ok, refused, name):
    refused(pos("user", "add", name, "--role", "cashier", "--password-stdin", input="1111\n"), "user name")

    assert set(_users(pos, ok)) == {ADMIN}


def test_add_without_a_terminal_or_password_stdin_says_how(store, pos, ok, refused):
    refused(pos("user", "add", "casey", "--role", "cashier", input="1111\n"), "--password-stdin")

    assert set(_users(pos, ok)) == {ADMIN}


def test_add_on_a_missing_store_says_to_run_init(pos, refused, home):
    refused(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"), "pos init")

    assert not (home / "pos.db").exists()


def test_passwd_changes_the_password(store, pos, ok, home):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))

    assert ok(pos("user", "passwd", "casey", "--password-stdin", input="4242\n")) == "changed the password of casey\n"

    assert _login(home, "casey", "4242").username == "casey"
    assert _login_fails(home, "casey", "1111")


def test_passwd_clears_a_lockout(store, pos, ok, home):
    from pos_tui.errors import AuthError

    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))
    for _ in range(2):
        with pytest.raises(AuthError):
            _login(home, "casey", "wrong", max_failures=2)

    locked = _users(pos, ok)["casey"]["locked_until"]
    until = datetime.fromisoformat(locked)
    assert until.tzinfo is not None and until > datetime.now(timezone.utc)
    assert "locked until" in ok(pos("user", "list"))

    ok(pos("user", "passwd", "casey", "--password-stdin", input="4242\n"))

    assert _users(pos, ok)["casey"]["locked_until"] is None
    assert _login(home, "casey", "4242").username == "casey"


def test_passwd_with_a_short_password_keeps_the_old_one(store, pos, refused, home):
    refused(pos("user", "passwd", ADMIN, "--password-stdin", input="12\n"), "at least 4 characters")

    assert _login(home, ADMIN, ADMIN_PASSWORD).role == "admin"


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (("user", "passwd", "nobody", "--password-stdin"), "4242\n"),
        (("user", "disable", "nobody"), None),
        (("user", "enable", "nobody"), None),
    ],
)
def test_an_unknown_user_is_refused(store, pos, ok, refused, args, stdin):
    refused(pos(*args, input=stdin), "'nobody'", "pos user list")

    assert set(_users(pos, ok)) == {ADMIN}


def test_disable_and_enable_show_in_the_list_and_at_login(store, pos, ok, home):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))

    assert ok(pos("user", "disable", "casey")) == "casey is disabled\n"
    assert _users(pos, ok)["casey"]["disabled"] is True
    assert _login_fails(home, "casey", "1111")

    assert ok(pos("user", "enable", "casey")) == "casey is enabled\n"
    assert _users(pos, ok)["casey"]["disabled"] is False
    assert _login(home, "casey", "1111").username == "casey"


def test_user_changes_are_audited_with_the_os_user(store, pos, ok, query, home):
    from pos_tui.services.context import os_user

    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))
    ok(pos("user", "passwd", "casey", "--password-stdin", input="4242\n"))
    ok(pos("user", "disable", "casey"))
    ok(pos("user", "enable", "casey"))

    rows = query(home / "pos.db",
                 "SELECT action, target, os_user FROM audit_log WHERE target = 'casey' ORDER BY id")
    assert rows == [(action, "casey", os_user()) for action in ("user.add", "user.passwd", "user.disable", "user.enable")]


# -- training ---------------------------------------------------------------------------------
def test_training_on_shows_in_the_list_puts_every_login_in_training_and_off_ends_it(store, pos, ok, query, home):
    ok(pos("user", "add", "tina", "--role", "cashier", "--password-stdin", input="1111\n"))

    assert ok(pos("user", "training", "tina", "on")) == "tina is in training at the till\n"
    assert _users(pos, ok)["tina"]["training"] is True
    assert _users(pos, ok)[ADMIN]["training"] is False
    assert [line.split()[-1] for line in ok(pos("user", "list")).splitlines() if line.startswith("tina ")] == [
        "training"]
    assert _login(home, "tina", "1111").training is True
    assert ok(pos("user", "training", "tina", "on")) == "tina is already in training at the till\n"

    assert ok(pos("user", "training", "tina", "OFF")) == "tina is live at the till (not in training)\n"
    assert _users(pos, ok)["tina"]["training"] is False
    assert _login(home, "tina", "1111").training is False
    rows = query(home / "pos.db", "SELECT details FROM audit_log WHERE action = 'user.training' ORDER BY id")
    assert [json.loads(d) for (d,) in rows] == [{"before": False, "after": True}, {"before": True, "after": False}]


@pytest.mark.parametrize(("args", "fragments"), [
    (("user", "training", "tina", "maybe"), ("on or off", "'maybe'")),
    (("user", "training", "nobody", "on"), ("'nobody'", "pos user list")),
    (("user", "training", "tina", "on", "--as", "tina", "--password-stdin"), ("tina (cashier) may not", "user.manage")),
])
def test_training_refuses_bad_input_and_a_user_without_user_manage_and_changes_nothing(
        store, pos, ok, refused, query, home, args, fragments):
    ok(pos("user", "add", "tina", "--role", "cashier", "--password-stdin", input="1111\n"))

    refused(pos(*args, input="1111\n"), *fragments)

    assert _users(pos, ok)["tina"]["training"] is False
    assert query(home / "pos.db", "SELECT COUNT(*) FROM audit_log WHERE action = 'user.training'") == [(0,)]
