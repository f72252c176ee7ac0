"""`pos`: set up and run the shop from a shell. Errors print one `error: …` line."""


import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _

# The commands of `pos` in the order its help lists them: name -> (module in pos_tui.cli, the one-line help
# `pos --help` shows). A module is imported only when one of its commands runs, so `pos --help` imports
# Typer and nothing else. A module with `register(app)` adds top-level commands; any other gives its `app` as
# the group of that name. Adding a group is one line here; tests/cli/test_lazy_groups.py checks each name and
# help against the module's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("store_cmd", N_("Create the store: its folder, config, migrated database and first admin.")),
    "run": ("till_cmd", N_("Open the till on the configured store.")),
    "demo": ("till_cmd", N_("Open the till on a throwaway demo store with simulated hardware.")),
    "config": ("config_cmd", N_("Read and change the store's settings (config.toml).")),
    "db": ("db_cmd", N_("The store's database: migrations, backups, restores and checks.")),
    "user": ("user_cmd", N_("Staff who log in to the till.")),
    "role": ("role_cmd", N_("Roles and the permissions they grant.")),
    "product": ("product_cmd", N_("The catalogue: import, export, list, show, add, edit, archive, label.")),
    "sale": ("sale_cmd", N_("Sales rung up at the till.")),
    "hardware": ("hardware_cmd", N_("The receipt printer, cash drawer and scanner: status, detection, tests.")),
    "audit": ("audit_cmd", N_("The audit log: who did what, and whether it is intact.")),
    "print": ("print_cmd", N_("The print queue: receipts waiting for the printer.")),
    "shift": ("shift_cmd", N_("Shifts: the float, cash in and out, the X and Z reports.")),
    "supplier": ("supplier_cmd", N_("Who the shop buys from, and their lead times.")),
    "po": ("po_cmd", N_("Purchase orders: suggested, drafted, sent, received.")),
    "stock": ("stock_cmd", N_("Stock: receive deliveries, adjust, count, list low stock, show history.")),
    "category": ("category_cmd", N_("Product categories (two levels: a category may sit under a top-level one).")),
    "tag": ("tag_cmd", N_("Product tags (many per product, lower case).")),
    "customer": ("customer_cmd", N_("Customers: add, edit, find, their history, import and export.")),
    "order": ("order_cmd", N_("Delivery and pickup orders: take them, review them, ship them, track them.")),
    "outbox": ("outbox_cmd", N_("Customer messages: what is queued, sent or failing; send and retry them.")),
    "report": ("report_cmd", N_("Sales, turnover, customer and cost reports (needs report.view).")),
    "lane": ("lane_cmd", N_("This lane's link to the shop's PostgreSQL server: offline sales waiting, sending them.")),
}



def _log():
    import logging

    return logging.getLogger("pos_tui.cli")


def _is_click_signal(exc: BaseException) -> bool:
    """Click's own exits, aborts and usage errors, whichever click Typer bundles."""
    return any(cls.__name__ in ("ClickException", "Exit", "Abort") for cls in type(exc).__mro__)


def one_line(text: str) -> str:
    """Control characters (a newline in a file name, a scanner's GS) escaped, so a message stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {one_line(message)}", err=True)
    return typer.Exit(code)


def _prepare_group(command: Any) -> Any:
    """Every command loaded from COMMANDS passes here once, before it parses or shows help: the one place
    to adjust a loaded command tree: its help in the store's language."""
    from pos_tui.cli.help_i18n import translate_tree

    return translate_tree(command)


def _load_module(group: TyperGroup, module_name: str) -> None:
    """Import pos_tui.cli.<module_name> and add its commands to `group`, built the way Typer builds them."""
    module = importlib.import_module(f"pos_tui.cli.{module_name}")
    holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    holder.callback()(lambda: None)  # a callback makes Typer build a group even around a single command
    names = [name for name, (owner, _help) in COMMANDS.items() if owner == module_name]
    if hasattr(module, "register"):
        module.register(holder)
    else:
        for name in names:
            holder.add_typer(module.app, name=name)
    built = typer.main.get_group(holder).commands
    for name in names:
        group.commands[name] = _prepare_group(built[name])


def load_all(group: TyperGroup) -> TyperGroup:
    """`group` with every command loaded, for code that walks `.commands` (tests, documentation)."""
    for name in COMMANDS:
        group.get_command(None, name)
    return group


class PosGroup(TyperGroup):
    """Turns every error into one `error: …` line (the traceback only with --debug); loads COMMANDS lazily."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*COMMANDS, *self.commands]))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            _load_module(self, COMMANDS[cmd_name][0])
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in COMMANDS and args[0] not in self.commands:
            load_all(self)  # an unknown name: Typer suggests the closest from every loaded command
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Typer's list of commands, from COMMANDS' help for those not loaded, so the help imports none."""
        from typer._click.utils import make_default_short_help

        shown = [(name, self.commands.get(name)) for name in self.list_commands(ctx)]
        shown = [(name, cmd) for name, cmd in shown if cmd is None or not cmd.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _cmd in shown)
        rows = []
        for name, cmd in shown:
            if cmd is None:
                summary = COMMANDS[name][1]
                rows.append((name, make_default_short_help(_(summary), limit)))
            else:
                rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        _prepare_group(self)  # the global options' help; each command group is translated as it loads
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        argv = kwargs.get("args", args[0] if args else None)
        for arg in sys.argv[1:] if argv is None else argv:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:  # non-UTF-8 bytes in argv: no name, code or file the store can hold
                message = _("argument {arg} is not UTF-8 text; retype it (or rename the file)").format(arg=repr(arg))
                typer.echo(f"error: {message}", err=True)
                sys.exit(2)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except Exception as exc:
            names = {cls.__name__ for cls in type(exc).__mro__}
            if "NoArgsIsHelpError" in names:  # bare `pos` or `pos user`: show the help
                exc.show()
                sys.exit(exc.exit_code)
            if "ClickException" in names:  # a usage mistake: unknown command, missing option…
                hint = ""
                context = getattr(exc, "ctx", None)
                if "UsageError" in names and context is not None:
                    hint = " " + _("(see `{command} --help`)").format(command=context.command_path)
                typer.echo(f"error: {one_line(exc.format_message())}{hint}", err=True)
                sys.exit(exc.exit_code)
            if "Abort" in names:
                typer.echo("error: " + _("aborted"), err=True)
                sys.exit(1)
            raise
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`pos sale list | head`); nothing more to say.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except PosError as exc:
            from pos_tui.cli.state import state

            _log().info("refused: %s", exc)
            if state.debug:
                raise
            for problem in getattr(exc, "problems", []):
                typer.echo(one_line(problem), err=True)
            raise fail(str(exc), exc.exit_code) from None
        except Exception as exc:
            from pos_tui.cli.state import state

            if _is_click_signal(exc) or state.debug:
                raise
            from pos_tui.db.database import is_damage

            if is_damage(exc) and state._settings is not None:  # damage found mid-command, past open_store
                from pos_tui.services.store import damage_error

                _log().error("damaged database: %s", exc)
                raise fail(str(damage_error(state._settings, exc))) from None
            _log().exception("unexpected failure")
            raise fail(_("unexpected failure ({kind}: {error}); rerun with --debug for details").format(
                kind=type(exc).__name__, error=exc)) from None


app = typer.Typer(
    cls=PosGroup,
    help=N_("pos-tui: a point-of-sale for small shops. `pos demo` opens a demo till."),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from pos_tui import __version__

        typer.echo(f"pos-tui {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    home: Annotated[str | None, typer.Option("--home", metavar="PATH", help=N_("store folder (default: $POS_HOME or the user data dir)"))] = None,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help=N_("database URL (default: $POS_DB or the SQLite file in the store folder)"))] = None,
    debug: Annotated[bool, typer.Option("--debug", help=N_("show tracebacks"))] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("show the version"))] = False,
) -> None:
    """Global options apply to every command."""
    from pos_tui.cli.state import state

    state.home, state.db, state.debug, state._settings = home, db, debug, None


def main(argv: list[str] | None = None) -> int:
    """The console script: returns the exit code."""
    from pos_tui.cli.till_start import run_fast

    code = run_fast(sys.argv[1:] if argv is None else argv)  # `pos run`: the till without Typer's machinery
    if code is not None:
        return code
    from pos_tui.cli.help_i18n import cli_language_from_config, home_from_argv
    from pos_tui.i18n import set_language

    # The store's language from the first line: `--help` and errors before a store opens speak it too.
    set_language(cli_language_from_config(home_from_argv(sys.argv[1:] if argv is None else argv)))
    try:
        app(args=argv, prog_name="pos")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
