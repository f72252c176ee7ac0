"""`pos config show|get|set`."""


from typing import Annotated

import typer

from pos_tui.cli.state import print_json, settings

app = typer.Typer(help="Read and change the store's settings (config.toml).", no_args_is_help=True)


@app.command("show")
def show(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Every setting with its value."""
    current = settings()
    values = current.as_dict()
    if as_json:
        print_json({"home": str(current.home), "database": current.db_url, "settings": values})
        return
    typer.echo(f"# store folder: {current.home}")
    typer.echo(f"# database:     {current.db_url}")
    for name, value in values.items():
        typer.echo(f"{name} = {_show(value)}")


@app.command("get")
def get(key: str, as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """One setting's value."""
    value = settings().get(key)
    if as_json:
        print_json({key: value})
    else:
        typer.echo(_show(value))


@app.command("set", context_settings={"ignore_unknown_options": True})
def set_(key: str, value: str) -> None:
    """Change one setting (validated, written atomically, audited)."""
    from pos_tui.config import save_settings

    current = settings()
    before = current.get(key)
    after = current.set(key, value)
    save_settings(current)
    _audit(key, before, after)
    typer.echo(f"{key} = {_show(after)}")


def _audit(key: str, before: object, after: object) -> None:
    from pos_tui.services.store import record_setting_change

    record_setting_change(settings(), key, before, after)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
