"""What the global options chose, and helpers every command group shares."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pos_tui.cli.log_file import setup_logging  # noqa: F401  (its home; the commands import it from here)
from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from pos_tui.config import Settings
    from pos_tui.services.context import Actor

# Options every permission-gated write command takes.
AsUser = Annotated[str | None, typer.Option(
    "--as", metavar="USER", help=N_("act as this till user, with their permissions (asks their password)"))]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help=N_("read passwords from stdin, one per line"))]

# Imports stay inside functions: `pos --help` must start fast.


class CliState:
    """The global options of this invocation."""

    def __init__(self) -> None:
        self.home: str | None = None
        self.db: str | None = None
        self.debug = False
        self._settings: "Settings | None" = None


state = CliState()


def settings() -> "Settings":
    """Settings for --home/--db, loaded once per command."""
    if state._settings is None:
        from pos_tui.config import load_settings

        state._settings = load_settings(state.home, state.db)
        setup_logging(state._settings)
        from pos_tui.i18n import set_language

        set_language(str(state._settings.get("locale")))  # the store's language; the till may switch per user
    return state._settings


def open_store() -> "Settings":
    """Settings with the store's database open and up to date."""
    from pos_tui.services.store import open_store as open_db

    current = settings()
    open_db(current)
    return current


def _default(value: Any) -> Any:
    from datetime import date, datetime
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot show {type(value).__name__} as JSON")  # a programmer's mistake


def print_json(value: Any) -> None:
    import json

    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, default=_default))


def write_output(text: str, file: Path | None, done: str) -> None:
    """`text` to stdout, or to `file` with `exported <done> to FILE` on stderr (a clear error if it cannot)."""
    if file is None:
        typer.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ValidationError(_("cannot write {file}: {why}").format(file=file, why=exc.strerror)) from None
    typer.echo(_("exported {what} to {file}").format(what=done, file=file), err=True)


def export_rows_as(rows: list[dict[str, str]], fmt: str, to_csv) -> str:
    """Export rows as CSV (the import's columns, through `to_csv`) or JSON; `fmt` checked."""
    import json

    if fmt not in ("csv", "json"):
        raise ValidationError(_("format {format} must be csv or json").format(format=repr(fmt)))
    return to_csv(rows) if fmt == "csv" else json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def read_password(password_stdin: bool, prompt: str | None = None) -> str:
    """One line from stdin for scripts, else a hidden prompt asked twice."""
    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise ValidationError(_("--password-stdin was given but stdin is empty"))
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError(_("no terminal to ask for a password; pass --password-stdin and pipe it in"))
    return typer.prompt(prompt or _("Password or PIN"), hide_input=True,
                        confirmation_prompt=_("Repeat for confirmation"))


def read_secret(password_stdin: bool, prompt: str) -> str:
    """One password: a line of stdin for scripts, else one hidden prompt."""
    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise ValidationError(_("--password-stdin was given but stdin has no line for the password"))
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError(_("no terminal to ask for a password; pass --password-stdin and pipe it in"))
    return typer.prompt(prompt, hide_input=True)


def acting(as_user: str | None, password_stdin: bool = False) -> "Actor":
    """Who a command acts for: the shell's owner, or `--as USER` once their password checks out.

    Either way the audit row names the OS user too. Call it after `open_store()`.
    With `--password-stdin` the acting user's password is the first line.
    """
    from pos_tui.services.context import Actor, os_user

    if as_user is None:
        return Actor.cli()
    from pos_tui.services.auth import authenticate

    current = settings()
    password = read_secret(password_stdin, _("Password or PIN of {user}").format(user=as_user))
    return authenticate(
        as_user, password, os_user=os_user(), max_failures=current.get("auth.max_failures"),
        lockout_minutes=current.get("auth.lockout_minutes"),
    )


def parse_day(text: str, what: str | None = None) -> "date":
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(_("{what} {text} is not a date; use YYYY-MM-DD").format(
            what=what or _("date"), text=repr(text))) from None
