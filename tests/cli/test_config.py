"""`pos config show|get|set`: validated settings that persist and are audited."""

from __future__ import annotations

import json
import tomllib

import pytest


def _audit_rows(query, home, action="setting.change"):
    return query(
        home / "pos.db", "SELECT target, os_user, details FROM audit_log WHERE action = ? ORDER BY id", action
    )


def test_show_lists_every_setting_with_its_value(store, pos, ok, home):
    out = ok(pos("config", "show"))

    assert str(home) in out
    assert f"sqlite:///{home / 'pos.db'}" in out
    for line in ("store.name = My Shop", "auth.max_failures = 5", "store.demo = false", "tax.rate.standard = 20"):
        assert line in out.splitlines()


def test_show_json_has_home_database_and_typed_settings(store, pos, ok, home):
    data = json.loads(ok(pos("config", "show", "--json")))

    assert data["home"] == str(home)
    assert data["database"] == f"sqlite:///{home / 'pos.db'}"
    settings = data["settings"]
    assert settings["store.name"] == "My Shop"
    assert settings["auth.max_failures"] == 5
    assert settings["store.demo"] is False
    assert settings["tax.included"] is True
    assert settings["log.level"] == "INFO"


def test_get_prints_one_value(store, pos, ok):
    assert ok(pos("config", "get", "store.timezone")) == "UTC\n"
    assert json.loads(ok(pos("config", "get", "auth.lockout_minutes", "--json"))) == {"auth.lockout_minutes": 15}


def test_set_persists_across_invocations_and_is_audited(store, pos, ok, query, home):
    out = ok(pos("config", "set", "store.name", "Corner Shop"))

    assert out == "store.name = Corner Shop\n"
    assert ok(pos("config", "get", "store.name")) == "Corner Shop\n"
    assert json.loads(ok(pos("config", "show", "--json")))["settings"]["store.name"] == "Corner Shop"
    on_disk = tomllib.loads((home / "config.toml").read_text(encoding="utf-8"))
    assert on_disk["store"]["name"] == "Corner Shop"
    [(target, os_user, details)] = _audit_rows(query, home)
    assert target == "store.name"
    assert os_user
    assert json.loads(details) == {"before": "My Shop", "after": "Corner Shop"}


def test_set_audit_is_visible_through_the_audit_service(store, pos, ok, home):
    from pos_tui.config import load_settings
    from pos_tui.services import audit
    from pos_tui.services.store import open_store

    ok(pos("config", "set", "auth.max_failures", "7"))

    open_store(load_settings(home))
    [entry] = audit.entries("setting.change")
    assert (entry.target, entry.details) == ("auth.max_failures", {"before": 5, "after": 7})


@pytest.mark.parametrize(
    ("key", "typed", "shown", "as_json"),
    [
        ("auth.max_failures", "7", "7", 7),
        ("store.demo", "yes", "true", True),
        ("tax.included", "off", "false", False),
        ("tax.rate.standard", "17.5", "17.5", "17.5"),
        ("log.level", "debug", "DEBUG", "DEBUG"),
        ("store.timezone", "Europe/London", "Europe/London", "Europe/London"),
    ],
)
def test_set_stores_the_value_in_the_keys_type(store, pos, ok, key, typed, shown, as_json):
    assert ok(pos("config", "set", key, typed)) == f"{key} = {shown}\n"

    assert json.loads(ok(pos("config", "get", key, "--json"))) == {key: as_json}


def test_set_accepts_a_new_tax_class(store, pos, ok):
    ok(pos("config", "set", "tax.rate.luxury", "25"))

    assert json.loads(ok(pos("config", "show", "--json")))["settings"]["tax.rate.luxury"] == "25"


@pytest.mark.parametrize("command", ["get", "set"])
def test_an_unknown_key_is_refused_naming_the_nearest_keys(store, pos, refused, query, home, command):
    before = (home / "config.toml").read_bytes()
    args = ("config", command, "store.nmae") + (("Corner",) if command == "set" else ())

    refused(pos(*args), "unknown setting 'store.nmae'", "store.name")

    assert (home / "config.toml").read_bytes() == before
    assert _audit_rows(query, home) == []


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("auth.max_failures", "abc", "a whole number"),
        ("auth.max_failures", "2.5", "a whole number"),
        ("auth.max_failures", "0", "at least 1"),
        ("store.demo", "maybe", "true or false"),
        ("tax.rate.standard", "120", "a percent"),
        ("tax.rate.standard", "-1", "a percent"),
        ("store.timezone", "Mars/Base", "IANA time zone"),
        ("log.level", "LOUD", "one of DEBUG, INFO, WARNING, ERROR"),
    ],
)
def test_a_bad_value_is_refused_naming_the_expected_type(store, pos, ok, refused, query, home, key, value, expected):
    before = (home / "config.toml").read_bytes()
    old = ok(pos("config", "get", key))

    refused(pos("config", "set", "--", key, value), key, expected)

    assert (home / "config.toml").read_bytes() == before
    assert ok(pos("config", "get", key)) == old
    assert _audit_rows(query, home) == []


@pytest.mark.parametrize(
    "args",
    [
        ("config", "show"),
        ("config", "get", "store.name"),
        ("config", "set", "store.name", "X"),
        ("user", "list"),
    ],
)
def test_a_corrupt_config_file_gives_one_error_naming_file_and_line(store, pos, refused, home, args):
    broken = 'lane = "1"\n[store]\nname = "Corner\n'
    (home / "config.toml").write_text(broken, encoding="utf-8")

    refused(pos(*args), str(home / "config.toml"), "line 3")

    assert (home / "config.toml").read_text(encoding="utf-8") == broken


def test_a_wrong_value_in_the_config_file_names_file_and_key(store, pos, refused, home):
    (home / "config.toml").write_text("[auth]\nmax_failures = \"many\"\n", encoding="utf-8")

    refused(pos("config", "show"), str(home / "config.toml"), "auth.max_failures", "a whole number")


def test_config_set_before_init_does_not_block_init(pos, ok, refused):
    """A user who configures first is told to run `pos init`; that must then work."""
    set_result = pos("config", "set", "store.name", "Corner Shop")
    refused(pos("user", "list"), "pos init")

    init = pos("init", "--admin", "boss", "--password-stdin", input="pw-1234\n")

    if set_result.exit_code == 0:
        ok(init)
        assert ok(pos("config", "get", "store.name")) == "Corner Shop\n"
    else:
        refused(set_result, "pos init")
        ok(init)
