"""`pos user add|list|passwd|role|disable|enable|training`."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json, read_password, read_secret
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Staff who log in to the till."), no_args_is_help=True)


@app.command("add")
def add(
    name: str,
    role: Annotated[str, typer.Option("--role", help=N_("cashier, supervisor, admin or a role of the shop's own"))],
    full_name: Annotated[str, typer.Option("--full-name", help=N_("name shown on the till"))] = "",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user with a password or PIN (at least 4 characters).

    With --as and --password-stdin, stdin's first line is the acting user's
    password and the second the new user's.
    """
    from pos_tui.services import auth

    open_store()
    auth.check_role(role)  # a typo fails before any prompt
    actor = acting(as_user, password_stdin)
    password = read_password(password_stdin, prompt=_("Password or PIN for {user}").format(user=name))
    user = auth.add_user(actor, name, password, role, full_name=full_name)
    typer.echo(_("added {user} ({role})").format(user=user.username, role=user.role))


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """Every user, with role and state."""
    from pos_tui.services import auth

    open_store()
    users = auth.list_users()
    if as_json:
        from pos_tui.services.user_language import user_languages

        languages = user_languages()
        print_json([
            {"username": u.username, "full_name": u.full_name, "role": u.role, "disabled": u.disabled,
             "locked_until": u.locked_until, "training": u.training, "language": languages.get(u.username)}
            for u in users
        ])
        return
    for u in users:
        flags = " " + _("disabled") if u.disabled else ""
        flags += " " + _("training") if u.training else ""
        if u.locked_until:
            flags += " " + _("locked until {time}").format(time=f"{u.locked_until:%Y-%m-%d %H:%M}Z")
        typer.echo(f"{u.username:<16} {u.role:<11} {u.full_name}{flags}")


@app.command("passwd")
def passwd(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password or PIN (and clear a lockout).

    `pos user passwd NAME --as NAME` changes your own password: it asks the
    current one first, then the new one (with --password-stdin: one per line).
    """
    from pos_tui.services import auth

    open_store()
    auth.get_user(name)  # an unknown name fails before the prompt
    if as_user is not None and as_user.strip() == name.strip():
        from pos_tui.services.context import os_user

        old = read_secret(password_stdin, _("Current password or PIN of {user}").format(user=name))
        current = open_store()
        actor = auth.authenticate(name, old, os_user=os_user(), max_failures=current.get("auth.max_failures"),
                                  lockout_minutes=current.get("auth.lockout_minutes"))
        new = read_password(password_stdin, prompt=_("New password or PIN for {user}").format(user=name))
        auth.change_own_password(actor, old, new)
    else:
        actor = acting(as_user, password_stdin)
        new = read_password(password_stdin, prompt=_("New password or PIN for {user}").format(user=name))
        auth.set_password(actor, name, new)
    typer.echo(_("changed the password of {user}").format(user=name))


@app.command("role")
def role(name: str, role: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Give a user another role."""
    from pos_tui.services import auth

    open_store()
    user = auth.set_role(acting(as_user, password_stdin), name, role)
    typer.echo(_("{user} is now {role}").format(user=user.username, role=user.role))


@app.command("disable")
def disable(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Stop a user from logging in (their history stays)."""
    _set_disabled(name, True, as_user, password_stdin)


@app.command("enable")
def enable(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Let a disabled user log in again."""
    _set_disabled(name, False, as_user, password_stdin)


def _set_disabled(name: str, disabled: bool, as_user: str | None, password_stdin: bool) -> None:
    from pos_tui.services import auth

    open_store()
    user = auth.set_disabled(acting(as_user, password_stdin), name, disabled)
    done = _("{user} is disabled") if disabled else _("{user} is enabled")
    typer.echo(done.format(user=user.username))


@app.command("training")
def training(
    name: str,
    state: Annotated[str, typer.Argument(
        metavar="on|off", help=N_("on: every login of NAME is in training mode; off: live again"))],
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Put a user in training mode at the till (nothing they do counts), or take them out.

    Takes effect at their next login.
    """
    from pos_tui.errors import ValidationError
    from pos_tui.services import auth

    wanted = state.strip().lower()
    if wanted not in ("on", "off"):
        raise ValidationError(_("training must be on or off, not {value}").format(value=repr(state)))
    open_store()
    before = auth.get_user(name)  # an unknown name fails before any prompt
    user = auth.set_training(acting(as_user, password_stdin), name, wanted == "on")
    already = before.training == user.training
    if user.training:
        said = _("{user} is already in training at the till") if already else _("{user} is in training at the till")
    else:
        said = (_("{user} is already live at the till (not in training)") if already
                else _("{user} is live at the till (not in training)"))
    typer.echo(said.format(user=user.username))


@app.command("language")
def language(
    name: str,
    language: Annotated[str, typer.Argument(
        metavar="en|zh_CN|store", help=N_("the till's language for NAME; store: the store's locale"))],
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set the language the till speaks to a user (receipts keep the store's).

    Takes effect at their next login.
    """
    from pos_tui.i18n import normalize_language
    from pos_tui.services import auth
    from pos_tui.services.user_language import STORE, set_user_language

    if language.strip().lower() != STORE:
        normalize_language(language)  # a typo fails before any prompt
    open_store()
    auth.get_user(name)  # so does an unknown name
    chosen = set_user_language(acting(as_user, password_stdin), name, language)
    if chosen is None:
        typer.echo(_("{name} gets the store's language at the till").format(name=name.strip()))
    else:
        typer.echo(_("{name} gets {language} at the till").format(name=name.strip(), language=chosen))
