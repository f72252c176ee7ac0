"""`pos` under random argument lists: real command and option names mixed with junk.

Whatever an admin types over SSH, `pos` answers with exit 0, 1 or 2, never a
traceback; a refusal is one `error: …` line (after the bad rows of an import)
or the usage help, and a refused command has written nothing to the store.
The TUI commands (`run`, `demo`) are left out: they open the till; so are
`hardware detect` and `hardware test`, which reach for real devices.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import typer.main
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pos_tui.config import KEYS
from pos_tui.domain.barcodes import with_check_digit

ADMIN = "owner"
ADMIN_PASSWORD = "s3cret-pw"
TUI_COMMANDS = {"run", "demo"}
# Commands that reach for real devices (serial ports, printers, /dev): not for a fuzz run.
DEVICE_COMMANDS = {("hardware", "detect"), ("hardware", "test")}


def _command_tree() -> dict[tuple[str, ...], list[str]]:
    """Every command path of `pos` (but the TUI ones) with its option names."""
    from pos_tui.cli.main import app, load_all

    tree: dict[tuple[str, ...], list[str]] = {}

    def walk(command, path: tuple[str, ...]) -> None:
        options = [opt for param in command.params for opt in param.opts if opt.startswith("-")]
        tree[path] = options
        for name, sub in getattr(command, "commands", {}).items():
            if name not in TUI_COMMANDS and path + (name,) not in DEVICE_COMMANDS:
                walk(sub, path + (name,))

    walk(load_all(typer.main.get_command(app)), ())  # the groups load lazily: all of them, to walk
    return tree


TREE = _command_tree()
GLOBAL_OPTIONS = [opt for opt in TREE[()] if opt != "--debug"]  # --debug shows tracebacks on purpose
ALL_OPTIONS = sorted({opt for options in TREE.values() for opt in options} - {"--debug"})
TEA = with_check_digit("400000000001")
VALUES = [
    # Real things in the store, and near misses.
    ADMIN, "nobody", "cashier", "supervisor", "admin", "root", TEA, TEA[:-1] + "0", "4006381333931", "12345",
    "good.csv", "bad.csv", "latin1.csv", "folder", "missing.csv", "out.csv", "csv", "json", "xml",
    "2026-01-01", "2026-13-40", "yesterday", "1-000001", "0", "-1", "1e3", "12.50", "true", "",
    "sqlite:///nowhere.db", "postgresql://", "mysql://h/pos", "-", "--", "-x", "--no-such-option",
    *sorted(KEYS)[:: 3], "tax.rate.luxury", "keys.pay", "no.such.key",
]
# Random tokens: no "/" (nothing may be written outside the test's folder), no NUL (argv cannot hold one).
JUNK = st.text(alphabet=st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]), max_size=12) | st.text(
    alphabet=st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF) | st.sampled_from("ab1-"), max_size=4
)  # surrogates: non-UTF-8 bytes in argv
TOKENS = st.one_of(st.sampled_from(ALL_OPTIONS), st.sampled_from(VALUES), JUNK).filter(
    lambda token: token not in ("--debug", *TUI_COMMANDS, "detect", "test")
)
COMMANDS = st.sampled_from(sorted(path for path in TREE if path))


@st.composite
def argument_lists(draw) -> tuple[list[str], str | None]:
    """Global options, a command path (sometimes cut short or misspelt), then tokens."""
    path = list(draw(COMMANDS))
    if len(path) > 1 and draw(st.integers(0, 9)) == 0:
        path = path[:1]  # a group alone: its help
    if draw(st.integers(0, 9)) == 0:
        path[-1] = draw(st.sampled_from([path[-1][:-1] or "x", path[-1].upper(), path[-1] + "s"]))
    options = TREE.get(tuple(path), [])
    tokens = draw(st.lists(st.one_of(st.sampled_from(options) if options else TOKENS, TOKENS), max_size=5))
    head = draw(st.lists(st.sampled_from(GLOBAL_OPTIONS + ["--json", "-h"]) | st.sampled_from(VALUES[:6]), max_size=2))
    stdin = draw(st.sampled_from([None, "", ADMIN_PASSWORD + "\n", "pw\n", "new-pass-1\nnew-pass-1\n"]))
    return [*head, *path, *tokens], stdin


def _snapshot(home: Path) -> tuple:
    """What a refused command must leave alone: every table's rows and config.toml."""
    conn = sqlite3.connect(home / "pos.db")
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = tuple((name, tuple(conn.execute(f'SELECT * FROM "{name}"').fetchall())) for name in tables)
    finally:
        conn.close()
    config = home / "config.toml"
    return rows, config.read_bytes() if config.exists() else None


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder relative paths land in, with the files the tokens name."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    (folder / "good.csv").write_text(f"barcode,name,price\n{TEA},Tea,2.50\n")
    (folder / "bad.csv").write_text(f"barcode,name,price\n{TEA},Tea,-2.50\n{TEA[:-1]}0,Milk,1\n")
    (folder / "latin1.csv").write_bytes(f"barcode,name,price\n{TEA},Caf\xe9,1.00\n".encode("latin-1"))
    (folder / "folder").mkdir()
    monkeypatch.chdir(folder)
    return folder


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argument_lists())
@example((["config", "set", "store.name", "Shop \udcff"], None))
@example((["product", "import", "bad.csv"], None))
@example((["product", "import", "latin1.csv", "--dry-run"], None))
@example((["product", "export", "--format", "xml"], None))
@example((["user", "add", "\udcff", "--role", "cashier", "--password-stdin"], "pw-12345\n"))
@example((["sale", "list", "--since", "2026-13-40"], None))
@example((["--db", "mysql://h/pos", "user", "list"], None))
@example((["user"], None))
@example((["product", "import", "\udc80"], None))  # the refusal is logged: no "--- Logging error ---" traceback
@example((["product", "import", "a\nb\x1d.csv"], None))  # the error line escapes the newline
def test_any_arguments_give_an_answer_or_one_error_line_and_a_refusal_writes_nothing(store, cli, workdir, case):
    args, stdin = case
    home = store.home
    before = _snapshot(home)
    result = cli("--home", str(home), *args, input=stdin)
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, err)
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    if result.exit_code == 0:
        assert errors == [], (args, err)
        return
    assert _snapshot(home) == before, f"`pos {' '.join(args)}` failed yet changed the store"
    if not errors:  # a group or command without its arguments shows its usage
        assert "Usage:" in out + err, (args, out, err)
        return
    assert len(errors) == 1, (args, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1] == errors[0], (args, err)
    assert all(line.startswith("line ") for line in lines[:-1]), (args, err)  # an import's bad rows
    assert "unexpected failure" not in errors[0], (args, errors[0])
