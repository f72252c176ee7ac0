"""Settings under any value an admin types and any config.toml a disk or an editor leaves.

test_config.py holds the worked examples; here every key kind gets arbitrary
input, config.toml gets random bytes and random TOML, and `pos config set`
gets random keys and values: the answer is a typed value or one ConfigError
line, and config.toml is always the old file or a valid new one.
"""

from __future__ import annotations

import re

import datetime as dt
import os
import tomllib
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pos_tui.config import CONFIG_NAME, KEYS, Settings, coerce, dumps_toml, key_for, load_settings
from pos_tui.domain.barcodes import parse_templates
from pos_tui.errors import ConfigError

# One key of each kind, plus the two families of open-ended keys.
KINDS = sorted({key.kind for key in KEYS.values()})
KEY_NAMES = sorted(KEYS) + ["tax.rate.alcohol", "keys.pay", "keys.help.show", "limits.barista.discount_percent"]

SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789.-+eE _xX,\n\t\u00a0１٣", max_size=16),
    st.text(alphabet=st.characters(codec="utf-8") | SURROGATES, max_size=8),  # non-UTF-8 argv bytes
    st.sampled_from([
        "1e1", "1E-50", "0E-1000000", "-0", "NaN", "sNaN", "Infinity", "1_0", "１２", "99.9999999999999999999",
        "TRUE", "yes", "ınfo", "America", "Europe/../UTC", "/etc/localtime", "UTC\x00", "21IIIIIWWWWWC,",
        "sqlite:///", "sqlite:////srv/pos.db", "postgresql://pos@db/pos", "postgresql://db/", "mysql://x/y",
    ]),
)
# What tomllib hands coerce: every TOML value type.
TOML_VALUES = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.datetimes(),
    st.dates(),
    st.times(),
)


def _one_line(exc: Exception) -> str:
    message = str(exc)
    assert message and "\n" not in message and "\r" not in message, repr(message)
    return message


def _check_typed(name: str, value: object) -> None:
    """The coerced value has its key's type and passes the key's own rule."""
    key = key_for(name)
    if key.kind == "str":
        assert type(value) is str
        value.encode("utf-8")  # config.toml can hold it
    elif key.kind == "int":
        assert type(value) is int and (key.minimum is None or value >= key.minimum)
    elif key.kind == "bool":
        assert type(value) is bool
    elif key.kind == "percent":
        # Stored as the plain decimal a sale line keeps in its 16-character tax_rate column.
        assert type(value) is str and len(value) <= 16 and "E" not in value.upper()
        assert 0 <= Decimal(value) < 100
    elif key.kind == "choice":
        assert value in key.choices
    elif key.kind == "timezone":
        ZoneInfo(value)
    elif key.kind == "templates":
        parse_templates(value)
    elif key.kind == "url":
        assert value == "" or value.startswith(("sqlite:///", "postgresql://", "postgres://"))
    elif key.kind in ("port", "baud", "pulse_ms"):  # hardware numbers
        assert type(value) is int and value >= 0
    elif key.kind in ("host", "usb_id", "seconds", "hex", "escpos_profile"):  # hardware names
        assert type(value) is str
        value.encode("utf-8")
    elif key.kind == "lane":  # it starts every receipt number
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,16}", value)
    elif key.kind in ("tenders", "money_range", "amounts", "hours", "reasons"):  # the drawer rules, kept as text
        assert type(value) is str
        value.encode("utf-8")
        assert "\n" not in value
    elif key.kind == "money":  # one amount, kept in its one spelling
        from pos_tui.domain.money import format_money, parse_money

        assert format_money(parse_money(value)) == value
    elif key.kind == "optional_money":  # a review threshold; empty switches the rule off
        from pos_tui.domain.money import format_money, parse_money

        assert value == "" or format_money(parse_money(value)) == value
    elif key.kind == "optional_percent":
        assert value == "" or ("E" not in value.upper() and 0 <= Decimal(value) <= 100)
    elif key.kind == "carriers":  # the shop's carriers, kept as one line of text
        assert type(value) is str and value and "\n" not in value
        value.encode("utf-8")
    elif key.kind == "message":  # a notify template: every placeholder known
        from pos_tui.config_orders import template_fields

        assert type(value) is str
        value.encode("utf-8")
        template_fields(value)
    else:
        raise AssertionError(f"untested kind {key.kind}")


def test_every_kind_is_covered_by_the_keys_below():
    assert {key_for(name).kind for name in KEY_NAMES} == set(KINDS)


@given(st.sampled_from(KEY_NAMES), st.one_of(TEXT, TOML_VALUES))
@example("tax.rate.standard", "1e1")
@example("tax.rate.standard", "99.9999999999999999999")
@example("store.name", "Shop \udcff")
@example("store.timezone", "UTC\x00")
def test_coerce_gives_the_keys_type_or_one_config_error_line(name, value):
    """`pos config set` and config.toml go through coerce: a typed value or a one-line refusal."""
    try:
        result = coerce(key_for(name), value)
    except ConfigError as exc:
        assert name in _one_line(exc)
        return
    _check_typed(name, result)
    # What is stored reads back as itself: `config set` then `config show` agree.
    assert coerce(key_for(name), result) == result


@given(st.sampled_from(KEY_NAMES), TEXT)
def test_a_coerced_value_survives_a_save_and_load(name, value):
    """Whatever coerce accepts, config.toml can hold and gives back the same."""
    try:
        result = coerce(key_for(name), value)
    except ConfigError:
        return
    text = dumps_toml({name: result})
    flat = _flatten(tomllib.loads(text))
    assert coerce(key_for(name), flat[name]) == result


def _flatten(table, prefix=""):
    out = {}
    for name, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


# --- a corrupt config.toml ------------------------------------------------------------


def _toml_key(name: str) -> str:
    """A bare dotted key when TOML allows one, else a quoted key."""
    parts = name.split(".")
    if all(part and all(c.isascii() and (c.isalnum() or c in "_-") for c in part) for part in parts):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


TOML_SCALARS = st.one_of(
    st.booleans().map(lambda b: "true" if b else "false"),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "1979-05-27T07:32:00Z", "07:32:00", "[1, 2]", "{a = 1}", '"x"', "'20'", '"5.5"']),
    st.text(max_size=10).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)
TOML_LINES = st.lists(
    st.tuples(st.one_of(st.sampled_from(KEY_NAMES), st.text(max_size=12)), TOML_SCALARS).map(
        lambda kv: f"{_toml_key(kv[0])} = {kv[1]}"
    ) | st.sampled_from(["[store]", "[tax.rate]", "[[x]]", "[store", "name =", "= 1", "\x00", "\r", "a.b = 1\na = 2"]),
    max_size=6,
).map("\n".join)
CONFIG_BYTES = st.one_of(
    st.binary(max_size=60),
    TOML_LINES.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([
        b"\xef\xbb\xbfstore.name = 'x'\n",  # a BOM from a Windows editor
        b"store.name = '\xff'\n",
        b"x = " + b"[" * 3000 + b"]" * 3000,  # nested past Python's recursion limit
        b"x = " + b"{a=" * 2000 + b"1" + b"}" * 2000,
    ]),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(CONFIG_BYTES)
def test_any_config_file_loads_or_is_refused_naming_the_file(tmp_path, data):
    """Every command loads config.toml first; a broken one is one line naming it, never a traceback."""
    path = tmp_path / CONFIG_NAME
    path.write_bytes(data)
    try:
        loaded = load_settings(tmp_path)
    except ConfigError as exc:
        assert str(path) in _one_line(exc)
        return
    for name, value in loaded.values.items():
        _check_typed(name, value)


# --- `pos config set` never leaves half a file ------------------------------------------


def _audit_count(home: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(home / "pos.db")
    try:
        return conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    finally:
        conn.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# database.url moves the store elsewhere, so the next example would audit into no store.
@given(st.one_of(st.sampled_from(KEY_NAMES), st.text(max_size=20)).filter(lambda name: name != "database.url"), TEXT)
@example("store.name", "Shop \udcff")
@example("tax.rate.standard", "1e1")
def test_config_set_writes_a_valid_new_file_or_keeps_the_old_one(store, cli, name, value):
    """After any `pos config set`, config.toml is the old file or a valid one holding the new value."""
    home = store.home
    path = home / CONFIG_NAME
    before, audits = path.read_bytes(), _audit_count(home)
    result = cli("--home", str(home), "config", "set", "--", name, value)
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(p.name for p in home.iterdir() if p.name.startswith(".config.")) == [], "a temp file was left"
    if result.exit_code == 0:
        assert load_settings(home).get(name) == coerce(key_for(name), value)
        assert _audit_count(home) == audits + 1
        return
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code in (1, 2) and len(errors) == 1 and errors[0].startswith("error: "), result.stderr
    assert "unexpected failure" not in errors[0]
    assert path.read_bytes() == before and _audit_count(home) == audits
    load_settings(home)  # still readable


@pytest.mark.parametrize("url", ["hello", "sqlite:///", "sqlite://relative.db", "postgresql://db/", "mysql://h/pos", "x\udcff"])
def test_a_database_url_that_names_no_store_is_refused_before_it_is_saved(url):
    """`pos config set database.url hello` used to be saved, and then every command failed."""
    with pytest.raises(ConfigError, match="database.url must be empty, sqlite:///PATH or postgresql://"):
        coerce(key_for("database.url"), url)
    for good in ("", "sqlite:////srv/pos/pos.db", "postgresql://pos:pw@db:5432/pos", "postgres://db/pos"):
        assert coerce(key_for("database.url"), good) == good
