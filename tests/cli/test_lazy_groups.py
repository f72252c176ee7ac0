"""`pos` loads a command's module only when it is used: the static table that stands in for the modules in
`pos --help` says what the modules say, and loading one group loads nothing else."""

import subprocess
import sys

import typer.main
from typer._click.utils import make_default_short_help

from pos_tui.cli import main as cli_main


def _real_commands() -> dict[str, object]:
    """Every command as its own module builds it, without the table: registered the way main.py did before."""
    import importlib

    holder = typer.Typer(rich_markup_mode=None)
    holder.callback()(lambda: None)
    for name, (module_name, _help) in cli_main.COMMANDS.items():
        module = importlib.import_module(f"pos_tui.cli.{module_name}")
        if hasattr(module, "register"):
            module.register(holder)
        else:
            holder.add_typer(module.app, name=name)
    return dict(typer.main.get_group(holder).commands)


def test_the_table_names_every_command_with_its_modules_own_help() -> None:
    real = _real_commands()
    assert sorted(real) == sorted(cli_main.COMMANDS)  # a module's command missing from the table, or a stale entry
    for name, command in real.items():
        summary = command.short_help or make_default_short_help(command.help or "", 10**6)
        assert cli_main.COMMANDS[name][1] == summary, name


def test_help_lists_every_command_without_loading_one(cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for name, (_module, help_text) in cli_main.COMMANDS.items():
        assert f"\n  {name} " in result.output
        assert help_text[:20] in result.output


def test_a_group_loads_when_used_and_every_loaded_one_passes_prepare(monkeypatch) -> None:
    from pos_tui.cli import root

    prepared = []
    monkeypatch.setattr(root, "_prepare_group", lambda command: prepared.append(command.name) or command)
    group = typer.main.get_command(cli_main.app)
    assert group.commands == {}
    assert group.get_command(None, "product").name == "product"
    assert prepared == ["product"] and set(group.commands) == {"product"}
    cli_main.load_all(group)
    assert sorted(group.commands) == sorted(cli_main.COMMANDS) == sorted(prepared)


def test_a_mistyped_command_is_refused_with_the_nearest_name(cli) -> None:
    result = cli("prodcut", "list")
    assert result.exit_code == 2
    assert "No such command 'prodcut'" in result.output and "Did you mean 'product'?" in result.output


def test_pos_help_imports_no_command_module() -> None:
    script = ("import sys, io, contextlib\n"
              "from pos_tui.cli.main import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    main(['--help'])\n"
              "print(sorted(m for m in sys.modules if m.startswith('pos_tui.cli.') and m.endswith('_cmd')))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
