"""`pos config show|get|set`."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, print_json, settings
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Read and change the store's settings (config.toml)."), no_args_is_help=True)


@app.command("show")
def show(as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """Every setting with its value."""
    current = settings()
    values = current.as_dict()
    if as_json:
        print_json({"home": str(current.home), "database": current.db_url, "settings": values})
        return
    from pos_tui.hardware.text_width import pad_right

    typer.echo(f"# {pad_right(_('store folder:'), 14)}{current.home}")
    typer.echo(f"# {pad_right(_('database:'), 14)}{current.db_url}")
    for name, value in values.items():
        typer.echo(f"{name} = {_show(value)}")


@app.command("get")
def get(key: str, as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """One setting's value."""
    value = settings().get(key)
    if as_json:
        print_json({key: value})
    else:
        typer.echo(_show(value))


@app.command("set", context_settings={"ignore_unknown_options": True})
def set_(key: str, value: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Change one setting (validated, written atomically, audited)."""
    from pos_tui.config import key_for
    from pos_tui.services.store import change_setting, open_store, store_exists

    current = settings()
    key_for(key)  # an unknown key fails before any password prompt
    actor = None
    if as_user is not None and store_exists(current):
        open_store(current)
        actor = acting(as_user, password_stdin)
    _, after = change_setting(current, key, value, actor)
    typer.echo(f"{key} = {_show(after)}")


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
