"""`pos db upgrade|status|backup|restore|check|copy`."""


import sys
from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json, settings
from pos_tui.i18n import N_, _, ngettext

app = typer.Typer(help=N_("The store's database: migrations, backups, restores and checks."), no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]


@app.command("upgrade")
def upgrade() -> None:
    """Apply pending migrations (a second run changes nothing)."""
    from pos_tui.services.store import upgrade_store

    applied = upgrade_store(settings())
    if applied:
        for name in applied:
            typer.echo(_("applied {migration}").format(migration=name))
    else:
        typer.echo(_("the database is up to date"))


@app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
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
        when = row.applied.isoformat(sep=" ", timespec="seconds") if row.applied else _("pending")
        typer.echo(f"{row.name:<32} {when}" + ("  " + _("(file missing)") if row.missing_file else ""))


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"


@app.command("backup")
def backup(
    path: Annotated[str | None, typer.Argument(metavar="[PATH]", help=N_("file (or folder) to write; default: POS_HOME/backups, rotated"))] = None,
    as_json: JsonOption = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Back the database up while the tills sell; the copy is checked before it is kept."""
    from pos_tui.services.backup import backup as take

    current = open_store()
    info = take(acting(as_user, password_stdin), current, path)
    if as_json:
        print_json({"path": str(info.path), "size": info.size, "integrity": info.integrity,
                    "automatic": info.automatic, "removed": [str(p) for p in info.removed]})
        return
    typer.echo(_("backed up to {path} ({size}, integrity {integrity})").format(
        path=info.path, size=_size(info.size), integrity=info.integrity))
    for old in info.removed:
        typer.echo(_("removed the old backup {name} (backup.keep = {keep})").format(
            name=old.name, keep=current.get("backup.keep")))


@app.command("restore")
def restore(
    path: Annotated[str, typer.Argument(metavar="PATH", help=N_("the backup file to restore"))],
    yes: Annotated[bool, typer.Option("--yes", help=N_("replace the database without asking"))] = False,
    as_json: JsonOption = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Replace the database with a backup (the current one is kept in backups/)."""
    from pos_tui.errors import ValidationError
    from pos_tui.services.backup import BackupFacts, restore as put_back
    from pos_tui.services.context import Actor

    current = settings()
    if not yes and not sys.stdin.isatty():
        raise ValidationError(_("restoring replaces the whole database; pass --yes to confirm (no terminal to ask)"))
    # Without --as the files' owner acts, and the store may be too damaged to open: only --as reads it.
    actor = Actor.cli()
    if as_user is not None:
        open_store()
        actor = acting(as_user, password_stdin)

    def confirm(facts: BackupFacts) -> bool:
        if yes:
            return True
        last = facts.last_sale[:16].replace("T", " ") if facts.last_sale else _("none")
        # On stderr, so --json output stays JSON.
        pending = _(", {n} migration(s) to apply").format(n=len(facts.pending)) if facts.pending else ""
        typer.echo(_("{path}: {size}, {sales} sales (last {last} UTC){pending}").format(
            path=facts.path, size=_size(facts.size), sales=facts.sales, last=last, pending=pending), err=True)
        return typer.confirm(_("Replace the database {url} with it?").format(url=current.db_url), default=False,
                             err=True)

    info = put_back(actor, current, path, confirm=confirm)
    if info is None:
        typer.echo(_("nothing was restored"), err=True)
        raise typer.Exit(1)
    if as_json:
        print_json({"source": str(info.source), "pre_restore": str(info.pre_restore) if info.pre_restore else None,
                    "migrated": list(info.migrated), "replaced_damaged": info.replaced_damaged})
        return
    typer.echo(_("restored {source}").format(source=info.source))
    if info.pre_restore:
        typer.echo(_("the database it replaced is kept at {path}").format(path=info.pre_restore))
    for name in info.migrated:
        typer.echo(_("applied {migration}").format(migration=name))


@app.command("check")
def check(as_json: JsonOption = False) -> None:
    """Check the file and the shop's sums (stock, sales, payments, audit chain); exit 1 on a problem."""
    from pos_tui.errors import StoreError
    from pos_tui.services.integrity import check_store

    open_store()
    found = check_store()
    if as_json:
        print_json({"sound": not found,
                    "violations": [{"kind": v.kind, "where": v.where, "message": v.message} for v in found]})
    else:
        for v in found:
            typer.echo(f"{v.kind:<12} {v.where}: {v.message}")
        if not found:
            typer.echo(_("the database is sound"))
    if found:
        raise StoreError(ngettext("{n} problem found in the database", "{n} problems found in the database",
                                  len(found)).format(n=len(found)))


@app.command("copy")
def copy(
    to: Annotated[str, typer.Option("--to", metavar="URL", help=N_("an empty PostgreSQL database: postgresql://USER[:PW]@HOST[:PORT]/NAME"))],
    as_json: JsonOption = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Copy this store into an empty PostgreSQL database (migrated, every row, ids and audit chain kept)."""
    from pos_tui.services.db_copy import copy_store

    open_store()
    report = copy_store(acting(as_user, password_stdin), to)
    if as_json:
        print_json({"target": report.target, "tables": report.tables, "rows": report.rows,
                    "migrations": list(report.migrations)})
        return
    typer.echo(_("copied {rows} rows in {tables} tables to {target}").format(
        rows=report.rows, tables=report.tables, target=report.target))
    typer.echo(_("point the lanes at it with `pos config set database.url URL` (or POS_DB), then run `pos db check`"))
