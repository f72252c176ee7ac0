"""`pos init`: a new store with its first admin."""


import sys
from typing import Annotated

import typer

from pos_tui.cli.state import read_password, settings
from pos_tui.i18n import N_, _


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    admin: Annotated[str | None, typer.Option("--admin", metavar="NAME", help=N_("the first admin's user name"))] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help=N_("read the password from one line of stdin"))] = False,
    force: Annotated[bool, typer.Option("--force", help=N_("replace an existing store (its database is moved to backups/)"))] = False,
) -> None:
    """Create the store: its folder, config, migrated database and first admin."""
    from pos_tui.services.store import init_store, store_exists

    current = settings()
    if store_exists(current) and not force:
        from pos_tui.errors import StoreError

        raise StoreError(_("a store already exists at {folder}; use --force to replace it").format(folder=current.home))
    if admin is None:
        admin = typer.prompt(_("Admin user name"), default="admin") if sys.stdin.isatty() and not password_stdin \
            else "admin"
    password = read_password(password_stdin, prompt=_("Password for {user}").format(user=admin))
    current.values.setdefault("store.name", current.get("store.name"))
    current.values.setdefault("lane", current.get("lane"))
    user = init_store(current, admin, password, force=force)
    typer.echo(_("created the store at {folder} with admin {user}").format(folder=current.home, user=user.username))
    typer.echo(_("next: `pos product import FILE.csv`, `pos user add NAME --role cashier`, then `pos run`"))
