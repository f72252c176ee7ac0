"""`pos`: set up and run the shop from a shell. Errors print one `error: …` line."""


import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from pos_tui.cli import (
    audit_cmd, category_cmd, config_cmd, customer_cmd, db_cmd, hardware_cmd, order_cmd, outbox_cmd, po_cmd, print_cmd,
    product_cmd, report_cmd, role_cmd, sale_cmd, shift_cmd, stock_cmd, store_cmd, supplier_cmd, tag_cmd, till_cmd, user_cmd,
)
from pos_tui.cli.state import state
from pos_tui.errors import PosError



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


class PosGroup(TyperGroup):
    """Turns every error into one `error: …` line (the traceback only with --debug)."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        argv = kwargs.get("args", args[0] if args else None)
        for arg in sys.argv[1:] if argv is None else argv:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:  # non-UTF-8 bytes in argv: no name, code or file the store can hold
                typer.echo(f"error: argument {arg!r} is not UTF-8 text; retype it (or rename the file)", err=True)
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
                    hint = f" (see `{context.command_path} --help`)"
                typer.echo(f"error: {one_line(exc.format_message())}{hint}", err=True)
                sys.exit(exc.exit_code)
            if "Abort" in names:
                typer.echo("error: aborted", err=True)
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
            _log().info("refused: %s", exc)
            if state.debug:
                raise
            for problem in getattr(exc, "problems", []):
                typer.echo(one_line(problem), err=True)
            raise fail(str(exc), exc.exit_code) from None
        except Exception as exc:
            if _is_click_signal(exc) or state.debug:
                raise
            from pos_tui.db.database import is_damage

            if is_damage(exc) and state._settings is not None:  # damage found mid-command, past open_store
                from pos_tui.services.store import damage_error

                _log().error("damaged database: %s", exc)
                raise fail(str(damage_error(state._settings, exc))) from None
            _log().exception("unexpected failure")
            raise fail(
                f"unexpected failure ({type(exc).__name__}: {exc}); rerun with --debug for details"
            ) from None


app = typer.Typer(
    cls=PosGroup,
    help="pos-tui: a point-of-sale for small shops. `pos demo` opens a demo till.",
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
    home: Annotated[str | None, typer.Option("--home", metavar="PATH", help="store folder (default: $POS_HOME or the user data dir)")] = None,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help="database URL (default: $POS_DB or the SQLite file in the store folder)")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="show the version")] = False,
) -> None:
    """Global options apply to every command."""
    state.home, state.db, state.debug, state._settings = home, db, debug, None


store_cmd.register(app)
till_cmd.register(app)
app.add_typer(config_cmd.app, name="config")
app.add_typer(db_cmd.app, name="db")
app.add_typer(user_cmd.app, name="user")
app.add_typer(role_cmd.app, name="role")
app.add_typer(product_cmd.app, name="product")
app.add_typer(sale_cmd.app, name="sale")
app.add_typer(hardware_cmd.app, name="hardware")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(print_cmd.app, name="print")
app.add_typer(shift_cmd.app, name="shift")
app.add_typer(supplier_cmd.app, name="supplier")
app.add_typer(po_cmd.app, name="po")
app.add_typer(stock_cmd.app, name="stock")
app.add_typer(category_cmd.app, name="category")
app.add_typer(tag_cmd.app, name="tag")
app.add_typer(customer_cmd.app, name="customer")
app.add_typer(order_cmd.app, name="order")
app.add_typer(outbox_cmd.app, name="outbox")
app.add_typer(report_cmd.app, name="report")
from pos_tui.cli import lane_cmd  # noqa: E402  (issue 13: offline lanes)
lane_cmd.register(app)


def main(argv: list[str] | None = None) -> int:
    """The console script: returns the exit code."""
    try:
        app(args=argv, prog_name="pos")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
