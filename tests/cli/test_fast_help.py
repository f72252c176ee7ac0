"""`pos`, `pos --help`, `pos -h` and `pos --version` print, without Typer, exactly what Typer prints."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer._click._textwrap import TextWrapper
from typer._click.formatting import HelpFormatter, wrap_text
from typer._click.utils import make_default_short_help

from pos_tui.cli import fast_help, help_i18n, main as cli_main
from pos_tui.i18n import set_language

STORES = {  # config.toml of the store, None: no store folder at all
    "missing": None,
    "english": '# pos-tui settings\nlane = "1"\n\n[store]\nname = "My Shop"\n',
    "chinese": 'locale = "zh_CN"\nlane = "1"\n',
    "corrupt": 'locale = "zh_CN\n',  # not TOML: English
}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point POS_HOME at a store with the named config.toml."""

    def make(kind: str) -> Path:
        home = tmp_path / kind
        if STORES[kind] is not None:
            home.mkdir()
            (home / "config.toml").write_text(STORES[kind], encoding="utf-8")
        monkeypatch.setenv("POS_HOME", str(home))
        return home

    yield make
    set_language("en")


def _run(capsys: pytest.CaptureFixture, args: list[str], fast: bool, monkeypatch: pytest.MonkeyPatch):
    """(exit code, stdout, stderr) of `pos ARGS`, by the fast path (which must answer) or by Typer."""
    answered = []
    real_show = fast_help.show
    with monkeypatch.context() as patch:
        patch.setattr(fast_help, "show", lambda *a: answered.append(real_show(*a)) or answered[-1] if fast else None)
        code = cli_main.main(list(args))
    out, err = capsys.readouterr()
    if fast:
        assert answered == [code], "the fast path handed the command line to Typer"
    return code, out, err


@pytest.mark.parametrize("kind", sorted(STORES))
@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["--version"]], ids=["bare", "help", "h", "version"])
def test_the_fast_path_prints_what_typer_prints(store, kind, args, capsys, monkeypatch) -> None:
    store(kind)
    fast = _run(capsys, args, True, monkeypatch)
    assert fast == _run(capsys, args, False, monkeypatch)
    code, out, err = fast
    if args == ["--version"]:
        assert (code, err) == (0, "") and out.startswith("pos-tui ")
    elif args:
        assert (code, err) == (0, "") and out.startswith("Usage: pos [OPTIONS] COMMAND [ARGS]...\n")
    else:
        assert (code, out) == (2, "") and err.startswith("Usage: pos [OPTIONS] COMMAND [ARGS]...\n")
    if kind == "chinese" and args in (["--help"], []):
        assert "命令:" in out + err and "在收银机上" in out + err


@pytest.mark.parametrize("columns", ["", "30", "50", "57", "64", "79", "100", "abc"])
@pytest.mark.parametrize("kind", ["english", "chinese"])
def test_the_fast_help_wraps_and_shortens_as_click_at_every_width(store, kind, columns, capsys, monkeypatch) -> None:
    store(kind)
    monkeypatch.setenv("COLUMNS", columns)
    fast = _run(capsys, ["--help"], True, monkeypatch)
    assert fast == _run(capsys, ["--help"], False, monkeypatch)
    assert fast_help.terminal_width() == HelpFormatter().width
    if columns == "50" and kind == "english":
        assert "\n  --db URL     database URL (default: $POS_DB or\n" in fast[1]
        assert "\n  init      Create the store: its folder,...\n" in fast[1]


def test_typers_shell_completion_variable_still_reaches_typer(store, capsys, monkeypatch) -> None:
    store("english")
    monkeypatch.setenv("_POS_COMPLETE", "bash_complete")
    assert fast_help.show(["--help"], "en") is None
    code, out, err = _run(capsys, ["--help"], False, monkeypatch)
    assert "Usage:" not in out + err


def test_pos_help_in_a_process_imports_neither_typer_nor_click_and_prints_typers_text(tmp_path: Path) -> None:
    script = ("import sys\n"
              "from pos_tui.cli.main import main\n"
              "code = main(sys.argv[1:])\n"
              "heavy = ('typer', 'click', 'platformdirs', 'tomllib', 'textwrap', 'pos_tui.i18n', 'pathlib')\n"
              "sys.stderr.write(repr(sorted({m for m in sys.modules if m.split('.')[0] in heavy or m in heavy})))\n"
              "sys.exit(code)\n")
    env = {**os.environ, "POS_HOME": str(tmp_path), "COLUMNS": "80"}
    shown = subprocess.run([sys.executable, "-c", script, "--help"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert shown.returncode == 0 and shown.stderr == "[]"
    typer = subprocess.run([sys.executable, "-c", "import sys\nfrom pos_tui.cli import fast_help, main\n"
                            "fast_help.show = lambda *a: None\nsys.exit(main.main(sys.argv[1:]))", "--help"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert (typer.returncode, typer.stdout, typer.stderr) == (0, shown.stdout, "")


def _random_text(rng: random.Random) -> str:
    pieces = ["word", "a", "longerwordthanmost", "中文字", "收银机上显示的名称", "-", "--", "x-y", "re-run", ".", "。",
              " ", "  ", "\t", "\n", "\n\n", "\u3000", "\xa0", "\b", "$POS_DB", "(default:", "e.g.", "\f"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))


def test_the_ported_wrapping_and_shortening_match_clicks_on_any_text() -> None:
    rng = random.Random(12)
    for _ in range(4000):
        text = _random_text(rng)
        width = rng.randint(1, 40)
        first, rest = rng.choice(["", "  ", "Usage: pos "]), rng.choice(["", "    "])
        # Both loop for ever where an indent leaves a line no room (click's does too); the help has room.
        indent = max([len(line) - len(line.lstrip()) for line in text.expandtabs().splitlines()], default=0)
        if width > len(first) and width > len(rest):
            clicks = TextWrapper(width, initial_indent=first, subsequent_indent=rest, replace_whitespace=False)
            assert fast_help.fill(text, width, first, rest) == clicks.fill(text.expandtabs()), (text, width)
        if width > max(len(first), len(rest)) + indent:
            assert fast_help.wrap_text(text, width, first, rest, preserve_paragraphs=True) == wrap_text(
                text, width, first, rest, preserve_paragraphs=True), (text, width)
        assert fast_help.short_help(text, width) == make_default_short_help(text, width), (text, width)


@pytest.mark.parametrize("env", [
    {},
    {"XDG_DATA_HOME": "/srv/data"},
    {"XDG_DATA_HOME": "/srv/data/"},
    {"XDG_DATA_HOME": "relative/data"},
    {"XDG_DATA_HOME": ""},
    {"HOME": "/home/till/"},
    {"HOME": "/"},
    {"HOME": "relative"},
    {"HOME": ""},
    {"HOME": None},
    {"HOME": None, "XDG_DATA_HOME": "/srv/data"},
    {"ANDROID_DATA": "/data", "ANDROID_ROOT": "/system", "SHELL": "/bin/sh"},
])
def test_the_store_folder_for_the_help_language_is_platformdirs_own(env, monkeypatch) -> None:
    from platformdirs import user_data_dir

    for name in ("XDG_DATA_HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert help_i18n.user_data_dir() == user_data_dir("pos-tui", appauthor=False)


def test_the_help_language_reads_a_config_without_parsing_it_only_when_it_cannot_name_a_locale(tmp_path) -> None:
    (tmp_path / "config.toml").write_text('"\\u006cocale" = "zh_CN"\n', encoding="utf-8")  # `locale`, escaped
    assert help_i18n.cli_language_from_config(tmp_path) == "zh_CN"
    (tmp_path / "config.toml").write_text('[store]\nname = "Locale Books"\n', encoding="utf-8")
    assert help_i18n.cli_language_from_config(tmp_path) == "en"
    (tmp_path / "config.toml").write_bytes(b'locale = "zh_CN"\nname = "\xff"\n')  # not UTF-8: not TOML
    assert help_i18n.cli_language_from_config(tmp_path) == "en"
