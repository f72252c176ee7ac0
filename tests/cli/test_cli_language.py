"""The `pos` command in the store's language: help, messages and tables; what scripts parse stays the same."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer

from pos_tui.cli import user_cmd
from pos_tui.cli.help_i18n import cli_language_from_config, translate_tree
from pos_tui.i18n import set_language


def _option(command, name: str):
    return next(p for p in command.params if name in getattr(p, "opts", ()))


def test_help_of_a_command_group_comes_out_in_chinese_and_back_in_english(capsys: pytest.CaptureFixture) -> None:
    group = typer.main.get_command(user_cmd.app)
    set_language("zh_CN")
    translate_tree(group)
    translate_tree(group)  # twice is the same as once
    add = group.commands["add"]
    assert group.help == "登录收银机的员工。"
    assert add.help.startswith("添加一个使用密码或 PIN 码")
    assert add.get_short_help_str() == "添加一个使用密码或 PIN 码（至少 4 个字符）的用户。"
    assert _option(add, "--role").help.startswith("cashier（收银员）")
    assert _option(add, "--as").help == "以此收银机用户的身份和权限操作（会询问其密码）"
    with pytest.raises(SystemExit):
        group.main(["add", "--help"], prog_name="pos user")
    shown = capsys.readouterr().out
    assert "同时使用 --as 和 --password-stdin" in shown and "收银机上显示的名称" in shown

    set_language("en")
    translate_tree(group)
    assert group.help == "Staff who log in to the till."
    assert add.get_short_help_str() == "Add a user with a password or PIN (at..."  # click's own shortening
    assert _option(add, "--full-name").help == "name shown on the till"


@pytest.mark.parametrize(("config", "expected"), [
    ('locale = "zh_CN"\n', "zh_CN"),
    ('locale = "zh-cn"\nlane = "2"\n', "zh_CN"),
    ('locale = "en"\n', "en"),
    ('locale = "fr"\n', "en"),  # no catalogue: English (the command itself then says what is wrong)
    ('locale = 3\n', "en"),
    ('locale = "zh_CN\n', "en"),  # not TOML
    ('lane = "1"\n', "en"),
])
def test_the_language_for_help_comes_from_config_toml(tmp_path: Path, config: str, expected: str) -> None:
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    assert cli_language_from_config(tmp_path) == expected


def test_the_language_for_help_follows_pos_home_and_is_english_without_a_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_language_from_config(tmp_path / "nowhere") == "en"
    (tmp_path / "config.toml").write_text('locale = "zh_CN"\n', encoding="utf-8")
    monkeypatch.setenv("POS_HOME", str(tmp_path))
    assert cli_language_from_config() == "zh_CN"
    assert cli_language_from_config(str(tmp_path / "nowhere")) == "en"  # --home beats POS_HOME


def test_the_help_language_knows_every_catalogue() -> None:
    from pos_tui.cli import help_i18n
    from pos_tui.i18n import LANGUAGES

    assert help_i18n._LANGUAGES == LANGUAGES


# --- a store whose locale is zh_CN ----------------------------------------------------------------


def test_a_chinese_store_gets_chinese_messages_and_the_same_json(store, pos, ok, refused) -> None:
    ok(pos("product", "add", "5000000000012", "Tea", "--price", "2.50", "--reorder-level", "5", "--stock", "1"))
    english_json = ok(pos("po", "suggest", "--json"))
    english_product = ok(pos("product", "show", "5000000000012", "--json"))
    assert ok(pos("po", "suggest")).splitlines()[0].split()[:2] == ["barcode", "name"]

    ok(pos("config", "set", "locale", "zh_CN"))
    table = ok(pos("po", "suggest")).splitlines()
    assert table[0].split() == ["条码", "名称", "库存", "补货点", "28日售", "交期", "已订", "建议", "供应商"]
    assert table[1].startswith("5000000000012  Tea")
    shown = ok(pos("product", "show", "5000000000012")).splitlines()
    assert shown[0].split() == ["条码", "5000000000012"] and shown[2].split() == ["价格", "2.50"]
    assert ok(pos("po", "suggest", "--json")) == english_json
    assert ok(pos("product", "show", "5000000000012", "--json")) == english_product

    line = refused(pos("order", "create"))
    assert line == "error: 订单至少需要一个 --line BARCODE:QTY"
    refused(pos("shift", "show", "abc"), "error: 班次编号 'abc' 必须是数字；见 `pos shift list`")


@pytest.mark.parametrize(("argv", "expected"), [
    (["--home", "/srv/shop", "user", "--help"], "/srv/shop"),
    (["--debug", "--home=/srv/shop", "--help"], "/srv/shop"),
    (["--db", "sqlite:////tmp/x.db", "--home", "/srv/shop", "db", "status"], "/srv/shop"),
    (["user", "add", "--home", "x"], None),  # after the command: not the global option
    (["--help"], None),
    (["--home"], None),
])
def test_the_home_of_a_command_line_is_read_before_click_parses_it(argv: list[str], expected: str | None) -> None:
    from pos_tui.cli.help_i18n import home_from_argv

    assert home_from_argv(argv) == expected


def test_pos_help_speaks_the_stores_language_before_any_store_opens(tmp_path, monkeypatch) -> None:
    """`pos --help` reads only config.toml's locale: the command list and the global options come out Chinese."""
    import subprocess
    import sys

    (tmp_path / "config.toml").write_text('locale = "zh_CN"\n', encoding="utf-8")
    env = {**os.environ, "POS_HOME": str(tmp_path)}
    shown = subprocess.run([sys.executable, "-m", "pos_tui", "--help"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "在收银机上" in shown.stdout  # a command's one-line help
    assert "显示版本" in shown.stdout  # --version's help
    english = subprocess.run([sys.executable, "-m", "pos_tui", "--help"], capture_output=True, text=True,
                             env={**env, "POS_HOME": str(tmp_path / "none")}, timeout=60)
    assert "Open the till" in english.stdout and "在收银机上" not in english.stdout
