"""`pos db upgrade|status`."""


from typing import Annotated

import typer

from pos_tui.cli.state import print_json, settings

app = typer.Typer(help="The store's database: migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply pending migrations (a second run changes nothing)."""
    from pos_tui.services.store import upgrade_store

    applied = upgrade_store(settings())
    if applied:
        for name in applied:
            typer.echo(f"applied {name}")
    else:
        typer.echo("the database is up to date")


@app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Each migration and when it was applied."""
    from pos_tui.services.store import migration_status

    rows = migration_status(settings())
    if as_json:
        print_json({
            "database": settings().db_url,
            "migrations": [{"name": r.name, "applied": r.applied, "missing_file": r.missing_file} for r in rows],
            "pending": [r.name for r in rows if r.applied is None],
        })
        return
    for row in rows:
        when = row.applied.isoformat(sep=" ", timespec="seconds") if row.applied else "pending"
        typer.echo(f"{row.name:<32} {when}{'  (file missing)' if row.missing_file else ''}")
