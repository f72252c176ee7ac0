"""`pos role …` and `--as USER`: the shell acts with a till user's rights when asked to."""

from __future__ import annotations

import json

ADMIN = "owner"
ADMIN_PASSWORD = "s3cret-pw"


def _add(pos, ok, name: str, role: str, password: str = "1234") -> None:
    ok(pos("user", "add", name, "--role", role, "--password-stdin", input=f"{password}\n"))


def test_role_list_and_show_give_each_roles_permissions_as_json(store, pos, ok):
    roles = {r["name"]: r for r in json.loads(ok(pos("role", "list", "--json")))}
    assert set(roles) == {"cashier", "supervisor", "admin"}
    assert roles["admin"]["users"] == 1 and roles["admin"]["builtin"] is True
    assert set(roles["cashier"]["permissions"]) == {"sale.void", "sale.refund"}
    shown = json.loads(ok(pos("role", "show", "supervisor", "--json")))
    assert "drawer.no_sale" in shown["permissions"] and "user.manage" not in shown["permissions"]
    listed = ok(pos("role", "permissions"))
    assert "sale.refund_no_receipt" in listed and "backup.run" in listed


def test_grant_and_revoke_change_what_a_user_may_do_and_are_audited(store, pos, ok, refused, query, home):
    _add(pos, ok, "casey", "cashier")
    refused(pos("product", "import", "/nonexistent.csv", "--as", "casey", "--password-stdin", input="1234\n"),
            "casey (cashier) may not", "[product.edit]")
    out = ok(pos("role", "grant", "cashier", "product.edit", "stock.adjust"))
    assert "product.edit" in out
    # Granted: the import now gets as far as reading the file.
    refused(pos("product", "import", "/nonexistent.csv", "--as", "casey", "--password-stdin", input="1234\n"),
            "/nonexistent.csv")
    ok(pos("role", "revoke", "cashier", "product.edit"))
    assert "product.edit" not in json.loads(ok(pos("role", "show", "cashier", "--json")))["permissions"]
    rows = query(home / "pos.db", "SELECT action, target, os_user FROM audit_log WHERE action LIKE 'role.%' ORDER BY id")
    assert [(a, t) for a, t, _ in rows] == [("role.grant", "cashier"), ("role.revoke", "cashier")]
    assert all(os_user for _, _, os_user in rows)


def test_a_custom_role_is_created_given_to_a_user_and_deleted_when_unused(store, pos, ok, refused):
    ok(pos("role", "create", "trainee", "--from", "cashier", "--description", "first week"))
    _add(pos, ok, "tess", "trainee")
    refused(pos("role", "delete", "trainee"), "still have the role trainee")
    ok(pos("user", "role", "tess", "cashier"))
    ok(pos("role", "delete", "trainee"))
    assert "trainee" not in {r["name"] for r in json.loads(ok(pos("role", "list", "--json")))}


def test_bad_role_commands_say_what_was_wrong(store, pos, refused):
    refused(pos("role", "grant", "cashier", "sale.viod"), "unknown permission 'sale.viod'", "sale.void")
    refused(pos("role", "show", "boss"), "no role named 'boss'")
    refused(pos("role", "delete", "admin"), "built-in")
    refused(pos("user", "role", ADMIN, "cashier"), "last enabled admin")


def test_as_a_cashier_the_shell_cannot_add_users_or_change_settings(store, pos, ok, refused, query, home):
    _add(pos, ok, "casey", "cashier")
    refused(pos("user", "add", "mallory", "--role", "admin", "--as", "casey", "--password-stdin",
                input="1234\nevil-pw\n"), "[user.manage]")
    refused(pos("config", "set", "--as", "casey", "--password-stdin", "store.name", "Mallory's",
                input="1234\n"), "[settings.edit]")
    assert "mallory" not in {u for (u,) in query(home / "pos.db", "SELECT username FROM user")}
    assert ok(pos("config", "get", "store.name")).strip() == "My Shop"


def test_as_an_admin_the_action_is_audited_under_their_name_and_the_os_user(store, pos, ok, query, home):
    ok(pos("user", "add", "casey", "--role", "cashier", "--as", ADMIN, "--password-stdin",
           input=f"{ADMIN_PASSWORD}\n1234\n"))
    ((username, os_user),) = query(home / "pos.db",
                                   "SELECT username, os_user FROM audit_log WHERE action = 'user.add' AND target = 'casey'")
    assert username == ADMIN and os_user


def test_a_wrong_password_for_as_is_refused_and_counted(store, pos, ok, refused, query, home):
    _add(pos, ok, "casey", "cashier")
    refused(pos("role", "grant", "cashier", "report.view", "--as", ADMIN, "--password-stdin", input="nope\n"),
            "wrong user name or password")
    assert "report.view" not in json.loads(ok(pos("role", "show", "cashier", "--json")))["permissions"]
    ((failures,),) = query(home / "pos.db", "SELECT failed_logins FROM user WHERE username = ?", ADMIN)
    assert failures == 1


def test_a_user_changes_their_own_password_from_the_shell(store, pos, ok, refused):
    _add(pos, ok, "casey", "cashier")
    refused(pos("user", "passwd", "casey", "--as", "casey", "--password-stdin", input="0000\n5678\n"),
            "wrong user name or password")
    ok(pos("user", "passwd", "casey", "--as", "casey", "--password-stdin", input="1234\n5678\n"))
    refused(pos("user", "passwd", ADMIN, "--as", "casey", "--password-stdin", input="5678\nowned-pw\n"),
            "[user.manage]")


def test_no_password_ever_reaches_the_audit_log_the_json_or_the_log_file(store, pos, ok, query, home):
    _add(pos, ok, "casey", "cashier", password="pw-casey-4321")
    pos("user", "passwd", "casey", "--as", "casey", "--password-stdin", input="pw-casey-4321\npw-new-8765\n")
    pos("role", "grant", "cashier", "report.view", "--as", "casey", "--password-stdin", input="pw-wrong-1111\n")
    listed = ok(pos("user", "list", "--json"))
    dumped = "\n".join(str(row) for row in query(home / "pos.db", "SELECT * FROM audit_log"))
    logs = "".join(p.read_text() for p in (home / "logs").glob("*.log*"))
    for secret in ("pw-casey-4321", "pw-new-8765", "pw-wrong-1111"):
        assert secret not in listed and secret not in dumped and secret not in logs
