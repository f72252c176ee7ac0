"""Settings: keys, values, config.toml on disk and where the store lives."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pos_tui import config
from pos_tui.config import (
    KEYS,
    Settings,
    coerce,
    default_home,
    dumps_toml,
    key_for,
    load_settings,
    resolve_home,
    save_settings,
)
from pos_tui.errors import ConfigError


# --- keys -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("tax.includd", "tax.included"), ("store.nmae", "store.name"), ("log.levle", "log.level"), ("auth.max_failure", "auth.max_failures")],
)
def test_unknown_key_suggests_the_nearest_valid_key(typo: str, suggestion: str) -> None:
    """`pos config set` with a typo tells the admin what they meant."""
    with pytest.raises(ConfigError) as info:
        key_for(typo)
    message = str(info.value)
    assert repr(typo) in message
    assert "did you mean" in message and suggestion in message


def test_unknown_key_with_no_near_match_points_to_config_show() -> None:
    """With nothing close, the admin is told where to find the keys."""
    with pytest.raises(ConfigError, match="pos config show"):
        key_for("zzzzzz")


@pytest.mark.parametrize("name", ["tax.rate.alcohol", "tax.rate.food_2", "tax.rate.standard"])
def test_tax_class_rates_are_valid_keys(name: str) -> None:
    """Shops add their own tax classes as tax.rate.<name>, typed as a percent."""
    key = key_for(name)
    assert key.name == name and key.kind == "percent"


@pytest.mark.parametrize("name", ["tax.rate.", "tax.rate.Alcohol", "tax.rate.1st", "tax.rate.a.b", "tax.rate.a-b"])
def test_malformed_tax_class_keys_are_refused(name: str) -> None:
    """A tax class name the receipts and CLI cannot show is refused."""
    with pytest.raises(ConfigError, match="unknown setting"):
        key_for(name)


def test_custom_tax_class_shows_up_in_tax_rates(tmp_path: Path) -> None:
    """After setting tax.rate.alcohol the till knows that class and its rate."""
    settings = Settings(home=tmp_path)
    settings.set("tax.rate.alcohol", "25")
    rates = settings.tax_rates()
    assert str(rates["alcohol"]) == "25"
    assert {"standard", "reduced", "zero"} <= set(rates)


# --- values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("auth.max_failures", "abc", "a whole number"),
        ("auth.max_failures", "2.5", "a whole number"),
        ("auth.max_failures", True, "a whole number"),
        ("store.demo", "maybe", "true or false"),
        ("tax.rate.standard", "120", "a percent from 0 up to 100"),
        ("tax.rate.standard", "-1", "a percent from 0 up to 100"),
        ("tax.rate.standard", "abc", "a percent from 0 up to 100"),
        ("tax.rate.standard", "NaN", "a percent from 0 up to 100"),
        ("log.level", "LOUD", "one of DEBUG, INFO, WARNING, ERROR"),
        ("store.timezone", "Mars/Base", "an IANA time zone"),
        ("store.timezone", "../../etc/passwd", "an IANA time zone"),
        ("store.timezone", "", "an IANA time zone"),
        ("store.name", 42, "text"),
    ],
)
def test_bad_values_name_the_key_and_the_expected_type(name: str, value: object, expected: str) -> None:
    """The admin learns which key, what it needs, and what they typed, on one line."""
    with pytest.raises(ConfigError) as info:
        coerce(key_for(name), value)
    message = str(info.value)
    assert message.startswith(f"{name} must be {expected}")
    assert repr(str(value).strip()) in message
    assert "\n" not in message


def test_int_below_minimum_is_refused() -> None:
    """Zero allowed failures would lock every user out at once."""
    with pytest.raises(ConfigError, match="auth.max_failures must be at least 1, not 0"):
        coerce(key_for("auth.max_failures"), "0")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("auth.max_failures", " 7 ", 7),
        ("auth.max_failures", 3, 3),
        ("store.demo", "yes", True),
        ("store.demo", "OFF", False),
        ("store.demo", "1", True),
        ("store.demo", False, False),
        ("tax.rate.standard", "5.5", "5.5"),
        ("tax.rate.standard", 20, "20"),
        ("tax.rate.zero", "0", "0"),
        ("log.level", "debug", "DEBUG"),
        ("store.timezone", "Europe/London", "Europe/London"),
        ("store.name", "Corner Shop", "Corner Shop"),
    ],
)
def test_good_values_are_stored_in_the_keys_type(name: str, value: object, expected: object) -> None:
    """Typed values are normalised so the file and `config show` agree."""
    assert coerce(key_for(name), value) == expected


# --- config.toml ------------------------------------------------------------


def test_missing_config_file_gives_defaults(tmp_path: Path) -> None:
    """A fresh store works before anything is set."""
    settings = load_settings(tmp_path / "new")
    assert settings.get("tax.included") is True
    assert settings.get("store.timezone") == "UTC"


def test_corrupt_config_names_the_file_and_the_line(tmp_path: Path) -> None:
    """A hand-edit typo points at the file and line to fix, with no traceback."""
    (tmp_path / "config.toml").write_text('[store]\nname = "Shop"\ncurrency "EUR"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "config.toml") in message
    assert "line 3" in message
    assert "Traceback" not in message and "\n" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_unreadable_bytes_in_config_are_a_config_error(tmp_path: Path) -> None:
    """A config file in the wrong encoding is reported, not a crash."""
    (tmp_path / "config.toml").write_bytes(b'[store]\nname = "\xff\xfe"\n')
    with pytest.raises(ConfigError, match=str(tmp_path / "config.toml")):
        load_settings(tmp_path)


def test_unknown_key_in_config_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    """A misspelt key in config.toml must not be silently ignored."""
    path = tmp_path / "config.toml"
    path.write_text("[tax]\nincludd = false\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "'tax.includd'" in message and "tax.included" in message


def test_bad_value_in_config_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    """A wrong value in config.toml names the file, the key and what it needs."""
    path = tmp_path / "config.toml"
    path.write_text('[log]\nlevel = "LOUD"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}: log.level must be one of"):
        load_settings(tmp_path)


def _sample(home: Path) -> Settings:
    settings = Settings(home=home)
    for name, value in {
        "store.name": 'Bob\'s "Corner" Shop \\ Deli',
        "store.demo": "true",
        "store.timezone": "Europe/Paris",
        "lane": "3",
        "tax.included": "false",
        "tax.rate.standard": "19.5",
        "tax.rate.alcohol": "25",
        "auth.max_failures": "4",
        "log.level": "warning",
    }.items():
        settings.set(name, value)
    return settings


def test_save_then_load_gives_back_the_same_settings(tmp_path: Path) -> None:
    """What `pos config set` saves is exactly what the next start reads."""
    home = tmp_path / "store"
    saved = _sample(home)
    save_settings(saved)
    loaded = load_settings(home)
    assert loaded.values == saved.values
    assert loaded.as_dict() == saved.as_dict()


def test_save_leaves_only_config_toml_readable_by_owner_only(tmp_path: Path) -> None:
    """No temp files pile up, and other local users cannot read the settings."""
    home = tmp_path / "store"
    save_settings(_sample(home))
    save_settings(_sample(home))
    assert [p.name for p in home.iterdir()] == ["config.toml"]
    assert stat.S_IMODE((home / "config.toml").stat().st_mode) == 0o600


def test_failed_save_keeps_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash mid-save (disk full, power cut) never leaves a half-written config."""
    home = tmp_path / "store"
    first = _sample(home)
    save_settings(first)
    before = (home / "config.toml").read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(config.os, "replace", broken_replace)
    first.set("store.name", "Changed")
    with pytest.raises(OSError):
        save_settings(first)
    assert (home / "config.toml").read_bytes() == before
    assert [p.name for p in home.iterdir()] == ["config.toml"]


def test_dumps_toml_puts_top_level_keys_before_tables() -> None:
    """A top-level key after a [table] header would be read as part of that table."""
    text = dumps_toml({"tax.rate.zero": "0", "lane": "2", "tax.included": False, "store.name": "X"})
    lines = [l for l in text.splitlines() if l and not l.startswith("#")]
    assert lines[0] == 'lane = "2"'
    assert tomllib.loads(text) == {
        "lane": "2",
        "store": {"name": "X"},
        "tax": {"included": False, "rate": {"zero": "0"}},
    }


@given(st.text(max_size=40))
@example("Corner Shop\nHigh Street")  # a two-line receipt header
@example("Tab\there")
def test_any_shop_name_survives_a_save(name: str) -> None:
    """Whatever name the admin sets, config.toml stays readable and keeps it exactly."""
    settings = Settings(home=Path("unused"))
    settings.set("store.name", name)
    assert tomllib.loads(dumps_toml(settings.values)) == {"store": {"name": name}}


def test_multi_line_shop_name_does_not_break_the_store(tmp_path: Path) -> None:
    """A two-line receipt header must not leave a config.toml that no command can read."""
    home = tmp_path / "store"
    settings = Settings(home=home)
    settings.set("store.name", "Corner Shop\nHigh Street")
    save_settings(settings)
    assert load_settings(home).get("store.name") == "Corner Shop\nHigh Street"


# --- where things live ------------------------------------------------------


def test_home_argument_beats_pos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pos --home X` uses X even when POS_HOME is set."""
    monkeypatch.setenv("POS_HOME", str(tmp_path / "env"))
    assert resolve_home(tmp_path / "arg") == tmp_path / "arg"
    assert load_settings(tmp_path / "arg").home == tmp_path / "arg"


def test_pos_home_beats_the_platform_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """POS_HOME moves the store without a flag on every command."""
    monkeypatch.setenv("POS_HOME", str(tmp_path / "env"))
    assert resolve_home() == tmp_path / "env"
    assert resolve_home("") == tmp_path / "env"
    assert resolve_home() != default_home()


def test_without_home_or_pos_home_the_platform_data_dir_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing set the store lives in the user's data dir, under pos-tui."""
    monkeypatch.delenv("POS_HOME")
    home = resolve_home()
    assert home == default_home()
    assert home.name == "pos-tui"


def test_relative_home_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative --home keeps pointing at the same folder after a chdir."""
    monkeypatch.chdir(tmp_path)
    assert resolve_home("shop") == tmp_path / "shop"


def test_db_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--db beats POS_DB beats database.url beats the SQLite file in the store."""
    settings = Settings(home=tmp_path)
    assert settings.db_url == f"sqlite:///{tmp_path / 'pos.db'}"
    settings.set("database.url", "postgresql://cfg/pos")
    assert settings.db_url == "postgresql://cfg/pos"
    monkeypatch.setenv("POS_DB", "postgresql://env/pos")
    assert settings.db_url == "postgresql://env/pos"
    settings.db_override = "sqlite:////tmp/override.db"
    assert settings.db_url == "sqlite:////tmp/override.db"


def test_db_override_from_load_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """load_settings(db=…) is how `pos --db` reaches every command."""
    monkeypatch.setenv("POS_DB", "postgresql://env/pos")
    assert load_settings(tmp_path, db="postgresql://flag/pos").db_url == "postgresql://flag/pos"
    assert load_settings(tmp_path).db_url == "postgresql://env/pos"


def test_every_declared_default_is_a_valid_value() -> None:
    """A fresh store's defaults pass the same checks as typed values."""
    for key in KEYS.values():
        if key.kind == "str":
            assert isinstance(key.default, str)
        else:
            assert coerce(key, key.default) == key.default


def test_a_bad_barcode_template_is_refused_naming_the_problem():
    from pos_tui.config import KEYS, coerce

    with pytest.raises(ConfigError, match="unknown letter 'X'"):
        coerce(KEYS["barcode.templates"], "21IIIIXWWWWWC")
    assert coerce(KEYS["barcode.templates"], "21IIIIIWWWWWC,23IIIIVPPPPPC") == "21IIIIIWWWWWC,23IIIIVPPPPPC"


def test_a_lane_name_must_fit_every_receipt_number(tmp_path):
    import pytest

    from pos_tui.config import load_settings
    from pos_tui.errors import ConfigError

    settings = load_settings(tmp_path)
    with pytest.raises(ConfigError, match="lane must be 1-16 letters"):
        settings.set("lane", "a" * 17)
    with pytest.raises(ConfigError, match="lane must be"):
        settings.set("lane", "lane 1")
    assert settings.set("lane", "front-2") == "front-2"
