"""`pos user add|list|passwd|disable|enable`."""


from typing import Annotated

import typer

from pos_tui.cli.state import open_store, print_json, read_password

app = typer.Typer(help="Staff who log in to the till.", no_args_is_help=True)
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="read the password from one line of stdin")]


@app.command("add")
def add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="cashier, supervisor or admin")],
    full_name: Annotated[str, typer.Option("--full-name", help="name shown on the till")] = "",
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user with a password or PIN (at least 4 characters)."""
    from pos_tui.services import auth
    from pos_tui.services.context import ROLES, Actor
    from pos_tui.errors import ValidationError

    if role not in ROLES:
        raise ValidationError(f"role {role!r} is not one of {', '.join(ROLES)}")
    open_store()
    password = read_password(password_stdin, prompt=f"Password or PIN for {name}")
    user = auth.add_user(Actor.cli(), name, password, role, full_name=full_name)
    typer.echo(f"added {user.username} ({user.role})")


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Every user, with role and state."""
    from pos_tui.services import auth

    open_store()
    users = auth.list_users()
    if as_json:
        print_json([
            {"username": u.username, "full_name": u.full_name, "role": u.role, "disabled": u.disabled,
             "locked_until": u.locked_until}
            for u in users
        ])
        return
    for u in users:
        flags = " disabled" if u.disabled else ""
        flags += f" locked until {u.locked_until:%Y-%m-%d %H:%M}Z" if u.locked_until else ""
        typer.echo(f"{u.username:<16} {u.role:<11} {u.full_name}{flags}")


@app.command("passwd")
def passwd(name: str, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password or PIN (and clear a lockout)."""
    from pos_tui.services import auth
    from pos_tui.services.context import Actor

    open_store()
    auth.get_user(name)  # an unknown name fails before the prompt
    password = read_password(password_stdin, prompt=f"New password or PIN for {name}")
    auth.set_password(Actor.cli(), name, password)
    typer.echo(f"changed the password of {name}")


@app.command("disable")
def disable(name: str) -> None:
    """Stop a user from logging in (their history stays)."""
    _set_disabled(name, True)


@app.command("enable")
def enable(name: str) -> None:
    """Let a disabled user log in again."""
    _set_disabled(name, False)


def _set_disabled(name: str, disabled: bool) -> None:
    from pos_tui.services import auth
    from pos_tui.services.context import Actor

    open_store()
    user = auth.set_disabled(Actor.cli(), name, disabled)
    typer.echo(f"{user.username} is {'disabled' if disabled else 'enabled'}")
