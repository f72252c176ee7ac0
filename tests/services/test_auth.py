"""Users, password hashes, logins, lockout and the audit rows they leave."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos_tui.db.models import AuditLog, User, database
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.services import audit, auth
from pos_tui.services.context import Actor

ADMIN = "owner"
ADMIN_PASSWORD = "s3cret-pw"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def _actions() -> list[str]:
    return [row.action for row in AuditLog.select().order_by(AuditLog.id)]


def _failures(username: str) -> int:
    return User.get(User.username == username).failed_logins


# --- add_user -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "two words", "semi;colon", "x" * 65, "rm -rf", "a/b"])
def test_add_user_refuses_a_bad_name_and_writes_nothing(store, admin_actor, name):
    users, audits = User.select().count(), AuditLog.select().count()
    with pytest.raises(ValidationError, match="user name"):
        auth.add_user(admin_actor, name, "good-pass", "cashier")
    assert (User.select().count(), AuditLog.select().count()) == (users, audits)


def test_add_user_accepts_dots_dashes_underscores_and_strips_spaces(store, admin_actor):
    info = auth.add_user(admin_actor, "  jo.smith_2-b  ", "good-pass", "cashier", full_name="Jo Smith")
    assert info.username == "jo.smith_2-b"
    assert auth.get_user("jo.smith_2-b").full_name == "Jo Smith"


def test_add_user_refuses_an_unknown_role(store, admin_actor):
    with pytest.raises(ValidationError, match="role 'manager' does not exist; the roles are admin, cashier, supervisor"):
        auth.add_user(admin_actor, "mo", "good-pass", "manager")
    assert not User.select().where(User.username == "mo").exists()


def test_add_user_refuses_a_short_password(store, admin_actor):
    with pytest.raises(ValidationError, match="at least 4 characters"):
        auth.add_user(admin_actor, "mo", "abc", "cashier")
    assert not User.select().where(User.username == "mo").exists()


def test_add_user_refuses_a_duplicate_and_keeps_the_original(store, admin_actor):
    before = User.get(User.username == ADMIN).password_hash
    with pytest.raises(ValidationError, match="already exists"):
        auth.add_user(admin_actor, ADMIN, "another-pass", "cashier")
    assert User.select().where(User.username == ADMIN).count() == 1
    assert User.get(User.username == ADMIN).password_hash == before
    assert auth.get_user(ADMIN).role == "admin"


def test_add_user_is_audited_with_the_role(store, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    entry = audit.entries("user.add", limit=1)[0]
    assert (entry.username, entry.target, entry.details) == (ADMIN, "casey", {"role": "cashier"})


def test_list_users_is_sorted_by_name(store, admin_actor):
    for name in ("zed", "amy"):
        auth.add_user(admin_actor, name, "1111", "cashier")
    assert [u.username for u in auth.list_users()] == ["amy", ADMIN, "zed"]


def test_get_user_of_an_unknown_name_says_where_to_look(store):
    with pytest.raises(NotFound, match="no user named 'ghost'; see `pos user list`"):
        auth.get_user("ghost")


# --- password storage -----------------------------------------------------------


@pytest.mark.sqlite_only("reads the SQLite file's bytes")
def test_passwords_are_stored_only_as_salted_scrypt_hashes(store, admin_actor, home: Path):
    first, second = "Plain-Text-Pw-7731", "Other-Secret-Pw-5519"
    auth.add_user(admin_actor, "casey", first, "cashier")
    auth.authenticate("casey", first)
    with pytest.raises(AuthError):
        auth.authenticate("casey", "Wrong-Guess-Pw-1234")
    auth.set_password(admin_actor, "casey", second)

    stored = User.get(User.username == "casey").password_hash
    assert stored.startswith("scrypt$") and second not in stored
    database.execute_sql("PRAGMA wal_checkpoint(FULL)")
    files = [p for p in home.iterdir() if p.name.startswith("pos.db")]
    assert home / "pos.db" in files
    for path in files:
        raw = path.read_bytes()
        for secret in (first, second, ADMIN_PASSWORD):
            assert secret.encode() not in raw, f"{secret!r} in plain text in {path.name}"


def test_the_same_password_hashes_differently_each_time():
    assert auth.hash_password("1111") != auth.hash_password("1111")


def test_verify_password():
    stored = auth.hash_password("correct horse")
    assert auth.verify_password("correct horse", stored)
    assert not auth.verify_password("correct hors", stored)
    assert not auth.verify_password("correct horse", "")
    assert not auth.verify_password("correct horse", "md5$abc")
    assert not auth.verify_password("correct horse", "plain:correct horse")


# --- authenticate ---------------------------------------------------------------


def test_authenticate_returns_the_actor_and_audits_the_login(store):
    actor = auth.authenticate(ADMIN, ADMIN_PASSWORD, os_user="till1")
    assert (actor.username, actor.role, actor.os_user) == (ADMIN, "admin", "till1")
    assert actor.user_id == User.get(User.username == ADMIN).id
    entry = audit.entries(limit=1)[0]
    assert (entry.action, entry.username, entry.target, entry.os_user) == ("login", ADMIN, ADMIN, "till1")


def test_wrong_password_counts_a_failure_and_audits_it(store):
    with pytest.raises(AuthError, match="^wrong user name or password$"):
        auth.authenticate(ADMIN, "nope-nope", now=T0)
    assert _failures(ADMIN) == 1
    entry = audit.entries(limit=1)[0]
    assert (entry.action, entry.target, entry.details) == ("login.failed", ADMIN, {"reason": "wrong password"})
    with pytest.raises(AuthError):
        auth.authenticate(ADMIN, "nope-again", now=T0)
    assert _failures(ADMIN) == 2


def test_a_good_login_resets_the_failure_count(store):
    for _ in range(3):
        with pytest.raises(AuthError):
            auth.authenticate(ADMIN, "nope-nope", now=T0)
    auth.authenticate(ADMIN, ADMIN_PASSWORD, now=T0)
    assert _failures(ADMIN) == 0
    # The count starts again: four more failures stay under the limit of five.
    for _ in range(4):
        with pytest.raises(AuthError, match="^wrong user name or password$"):
            auth.authenticate(ADMIN, "nope-nope", now=T0)
    assert User.get(User.username == ADMIN).locked_until is None


def test_unknown_user_and_wrong_password_get_the_same_message(store):
    with pytest.raises(AuthError) as unknown:
        auth.authenticate("nobody", "whatever-pw", now=T0)
    with pytest.raises(AuthError) as wrong:
        auth.authenticate(ADMIN, "whatever-pw", now=T0)
    assert str(unknown.value) == str(wrong.value) == "wrong user name or password"
    assert [e.target for e in audit.entries("login.failed", limit=2)] == [ADMIN, "nobody"]


def test_lockout_after_max_failures_refuses_even_the_right_password_until_it_passes(store):
    for attempt in range(2):
        with pytest.raises(AuthError, match="^wrong user name or password$"):
            auth.authenticate(ADMIN, "bad-guess", max_failures=3, lockout_minutes=10, now=T0)
    with pytest.raises(AuthError, match="owner is now locked for 10 min after 3 failed logins"):
        auth.authenticate(ADMIN, "bad-guess", max_failures=3, lockout_minutes=10, now=T0)

    locked = User.get(User.username == ADMIN)
    assert locked.locked_until == T0 + timedelta(minutes=10)
    assert _actions()[-2:] == ["login.failed", "user.locked"]
    assert audit.entries("user.locked", limit=1)[0].details == {"minutes": 10}

    # The right password is refused while locked, and the refusal is audited.
    with pytest.raises(AuthError, match="owner is locked after too many failed logins; try again in 6 min"):
        auth.authenticate(ADMIN, ADMIN_PASSWORD, max_failures=3, lockout_minutes=10, now=T0 + timedelta(minutes=5))
    assert audit.entries(limit=1)[0].details == {"reason": "locked"}
    with pytest.raises(AuthError, match="locked"):
        auth.authenticate(
            ADMIN, ADMIN_PASSWORD, max_failures=3, lockout_minutes=10, now=T0 + timedelta(minutes=9, seconds=59)
        )

    # Once the lock has passed the right password works and clears it.
    actor = auth.authenticate(ADMIN, ADMIN_PASSWORD, max_failures=3, lockout_minutes=10, now=T0 + timedelta(minutes=10, seconds=1))
    assert actor.username == ADMIN
    assert User.get(User.username == ADMIN).locked_until is None
    assert _failures(ADMIN) == 0


def test_lockout_uses_the_default_of_five_failures(store):
    for _ in range(4):
        with pytest.raises(AuthError, match="^wrong user name or password$"):
            auth.authenticate(ADMIN, "bad-guess", now=T0)
    with pytest.raises(AuthError, match="now locked for 15 min after 5 failed logins"):
        auth.authenticate(ADMIN, "bad-guess", now=T0)
    assert auth.get_user(ADMIN).locked_until == T0 + timedelta(minutes=15)


def test_a_wrong_password_after_the_lock_expired_does_not_relock(store):
    for _ in range(3):
        with pytest.raises(AuthError):
            auth.authenticate(ADMIN, "bad-guess", max_failures=3, now=T0)
    later = T0 + timedelta(minutes=20)
    with pytest.raises(AuthError, match="^wrong user name or password$"):
        auth.authenticate(ADMIN, "bad-guess", max_failures=3, now=later)
    assert _failures(ADMIN) == 1
    assert AuditLog.select().where(AuditLog.action == "user.locked").count() == 1
    assert auth.authenticate(ADMIN, ADMIN_PASSWORD, max_failures=3, now=later).username == ADMIN


def test_unknown_users_are_never_locked_or_created(store):
    for _ in range(7):
        with pytest.raises(AuthError, match="^wrong user name or password$"):
            auth.authenticate("ghost", "bad-guess", now=T0)
    assert not User.select().where(User.username == "ghost").exists()
    assert AuditLog.select().where(AuditLog.action == "user.locked").count() == 0


def test_disabled_user_is_refused_with_the_usual_message(store, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    info = auth.set_disabled(admin_actor, "casey", True)
    assert info.disabled
    with pytest.raises(AuthError, match="^wrong user name or password$"):
        auth.authenticate("casey", "1111")
    entry = audit.entries("login.failed", limit=1)[0]
    assert entry.details == {"reason": "unknown or disabled"}
    auth.set_disabled(admin_actor, "casey", False)
    assert auth.authenticate("casey", "1111").username == "casey"


def test_set_disabled_is_audited_both_ways(store, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    auth.set_disabled(admin_actor, "casey", True)
    auth.set_disabled(admin_actor, "casey", False)
    rows = [(e.action, e.username, e.target) for e in audit.entries(limit=2)]
    assert rows == [("user.enable", ADMIN, "casey"), ("user.disable", ADMIN, "casey")]


def test_set_disabled_of_an_unknown_user_changes_nothing(store, admin_actor):
    before = AuditLog.select().count()
    with pytest.raises(NotFound):
        auth.set_disabled(admin_actor, "ghost", True)
    assert AuditLog.select().count() == before


def test_set_password_clears_a_lockout_and_the_old_password_stops_working(store, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    for _ in range(3):
        with pytest.raises(AuthError):
            auth.authenticate("casey", "9999", max_failures=3, now=T0)
    assert auth.get_user("casey").locked_until is not None

    auth.set_password(admin_actor, "casey", "2468")
    assert auth.get_user("casey").locked_until is None
    assert audit.entries("user.passwd", limit=1)[0].target == "casey"
    assert auth.authenticate("casey", "2468", max_failures=3, now=T0).username == "casey"
    with pytest.raises(AuthError, match="^wrong user name or password$"):
        auth.authenticate("casey", "1111", max_failures=3, now=T0)


def test_set_password_refuses_a_short_password_and_keeps_the_old_one(store, admin_actor):
    with pytest.raises(ValidationError, match="at least 4"):
        auth.set_password(admin_actor, ADMIN, "123")
    assert auth.authenticate(ADMIN, ADMIN_PASSWORD).username == ADMIN


def test_cli_actor_is_an_admin_without_a_user_row():
    actor = Actor.cli()
    assert actor.role == "admin" and actor.user_id is None and actor.os_user
