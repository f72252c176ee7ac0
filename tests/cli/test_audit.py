"""`pos audit list|verify`: the log as the owner reads it over SSH, and the chain check."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from pos_tui.config import save_settings
from pos_tui.services import audit, auth
from pos_tui.services.context import Actor

ENTRY_KEYS = {"id", "time", "action", "username", "os_user", "target", "details"}
ADMIN = "owner"  # the top-level conftest's store (tests/ is not a package)
ADMIN_PASSWORD = "s3cret-pw"
T0 = datetime(2026, 11, 20, 22, 30, tzinfo=timezone.utc)  # 09:30 on the 21st in Sydney
SYDNEY = "Australia/Sydney"


@pytest.fixture
def history(store, admin_actor, monkeypatch) -> None:
    """A cashier and six rows, one a day from T0, in a shop that keeps Sydney time."""
    store.set("store.timezone", SYDNEY)
    save_settings(store)
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    casey = Actor(username="casey", role="cashier", os_user="till1")
    rows = [
        ("drawer.open", casey, "1", {"reason": "sale"}),
        ("sale.void_line", casey, "1", {"name": "Tea", "total": 250}),
        ("drawer.no_sale", casey, "1", {}),
        ("setting.change", Actor.cli(), "store.name", {"after": "Corner Shop"}),
        ("drawer.open", casey, "1", {"reason": "no sale"}),
        ("login", casey, "casey", {}),
    ]
    with monkeypatch.context() as patch:
        for day, (action, actor, target, details) in enumerate(rows):
            patch.setattr(audit, "utc_now", lambda day=day: T0 + timedelta(days=day))
            audit.record_now(action, actor, target, **details)


def _listed(pos, ok, *args: str, input: str | None = None) -> list[dict]:
    return json.loads(ok(pos("audit", "list", "--json", *args, input=input)))


def test_list_json_is_newest_first_with_utc_times_and_the_details(history, pos, ok):
    rows = _listed(pos, ok, "--limit", "6")
    assert [r["action"] for r in rows] == [
        "login", "drawer.open", "setting.change", "drawer.no_sale", "sale.void_line", "drawer.open"]
    for row in rows:
        assert set(row) == ENTRY_KEYS
        assert row["time"].endswith("+00:00")
    assert [datetime.fromisoformat(r["time"]) for r in rows] == [T0 + timedelta(days=d) for d in range(5, -1, -1)]
    assert rows[4]["details"] == {"name": "Tea", "total": 250}
    assert (rows[4]["username"], rows[4]["os_user"], rows[4]["target"]) == ("casey", "till1", "1")
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)


def test_list_text_shows_shop_time(history, pos, ok):
    lines = ok(pos("audit", "list", "--action", "sale.void_line")).splitlines()
    assert len(lines) == 1
    shown = (T0 + timedelta(days=1)).astimezone(ZoneInfo(SYDNEY))
    assert f"{shown:%Y-%m-%d %H:%M:%S}" in lines[0]
    assert "2026-11-22 09:30:00" in lines[0]
    for part in ("casey", "till1", "sale.void_line", "name=Tea"):
        assert part in lines[0]


def test_list_filters_by_exact_action_and_by_prefix(history, pos, ok):
    assert [r["action"] for r in _listed(pos, ok, "--action", "drawer.open")] == ["drawer.open", "drawer.open"]
    assert [r["action"] for r in _listed(pos, ok, "--action", "drawer.*")] == [
        "drawer.open", "drawer.no_sale", "drawer.open"]


def test_list_filters_by_till_user_or_os_user(history, pos, ok):
    assert len(_listed(pos, ok, "--user", "casey")) == 5
    assert {r["username"] for r in _listed(pos, ok, "--user", "till1")} == {"casey"}
    shell = _listed(pos, ok, "--user", Actor.cli().os_user)
    assert "setting.change" in [r["action"] for r in shell]
    assert {r["username"] for r in shell} == {""}


def test_since_and_until_take_shop_days_and_until_includes_its_day(history, pos, ok):
    # Shop days 22nd to 23rd (Sydney) hold rows 1 and 2 (09:30 local each day from the 21st).
    rows = _listed(pos, ok, "--since", "2026-11-22", "--until", "2026-11-23", "--user", "casey")
    assert [r["action"] for r in rows] == ["drawer.no_sale", "sale.void_line"]


def test_since_takes_a_shop_time(history, pos, ok):
    rows = _listed(pos, ok, "--since", "2026-11-25T09:30", "--until", "2026-11-26T09:00")
    assert [r["action"] for r in rows] == ["drawer.open"]
    assert datetime.fromisoformat(rows[0]["time"]) == T0 + timedelta(days=4)


def test_limit_and_before_page_back(history, pos, ok):
    first = _listed(pos, ok, "--user", "casey", "--limit", "2")
    older = _listed(pos, ok, "--user", "casey", "--limit", "2", "--before", str(first[-1]["id"]))
    assert [r["action"] for r in first + older] == ["login", "drawer.open", "drawer.no_sale", "sale.void_line"]


@pytest.mark.parametrize("args, fragment", [
    (("--since", "yesterday"), "--since 'yesterday' is not a date or time"),
    (("--until", "2026-02-30"), "--until '2026-02-30'"),
    (("--action", "drawer*open"), "at the end"),
    (("--limit", "0"), "between 1 and 1000"),
])
def test_bad_input_is_one_error_line(history, pos, refused, args, fragment):
    refused(pos("audit", "list", *args), fragment)


def test_a_cashier_may_not_list_or_verify(history, pos, refused):
    refused(pos("audit", "list", "--as", "casey", "--password-stdin", input="1111\n"), "audit.view")
    refused(pos("audit", "verify", "--as", "casey", "--password-stdin", input="1111\n"), "audit.view")


def test_an_admin_reads_it_with_their_password_and_the_read_is_audited(history, pos, ok):
    rows = _listed(pos, ok, "--limit", "1", "--as", ADMIN, "--password-stdin", input=f"{ADMIN_PASSWORD}\n")
    assert (rows[0]["action"], rows[0]["username"]) == ("login", ADMIN)


def _count(home, query) -> int:
    return query(home / "pos.db", "SELECT COUNT(*) FROM audit_log")[0][0]


def test_verify_an_intact_log(history, pos, ok, home, query):
    out = ok(pos("audit", "verify"))
    assert out == f"the audit log is intact ({_count(home, query)} rows)\n"
    report = json.loads(ok(pos("audit", "verify", "--json")))
    assert report == {"intact": True, "rows": _count(home, query), "broken": None}


def _tamper(home, sql: str, *params) -> None:
    """What someone with the sqlite3 shell could do: drop the guards, then edit."""
    import sqlite3

    conn = sqlite3.connect(home / "pos.db")
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _id_of(home, query, action: str) -> int:
    return query(home / "pos.db", "SELECT id FROM audit_log WHERE action = ?", action)[0][0]


def test_verify_names_an_edited_row_and_exits_1(history, pos, refused, home, query):
    victim = _id_of(home, query, "sale.void_line")
    _tamper(home, "UPDATE audit_log SET details = '{\"name\": \"Tea\", \"total\": 25}' WHERE id = ?", victim)
    line = refused(pos("audit", "verify"), f"row {victim} ", "2026-11-22 09:30:00", "sale.void_line", "hash")
    assert f"the {victim - 1} rows before it are intact" in line


def test_verify_names_the_row_after_a_deleted_one(history, pos, refused, home, query):
    gone = _id_of(home, query, "drawer.no_sale")
    _tamper(home, "DELETE FROM audit_log WHERE id = ?", gone)
    refused(pos("audit", "verify"), f"row {gone + 1} ", "setting.change", f"rows {gone}-{gone} were deleted")


def test_verify_json_reports_the_broken_row_and_exits_1(history, pos, home, query):
    victim = _id_of(home, query, "setting.change")
    _tamper(home, "UPDATE audit_log SET os_user = 'someone' WHERE id = ?", victim)
    result = pos("audit", "verify", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["intact"] is False and report["rows"] == victim - 1
    assert report["broken"]["id"] == victim and report["broken"]["action"] == "setting.change"
    assert datetime.fromisoformat(report["broken"]["time"]) == T0 + timedelta(days=3)
    assert "hash" in report["broken"]["reason"]
