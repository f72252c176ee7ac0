"""`pos lane status|sync`: is this lane's server there, how many offline sales wait, send them now."""


from typing import Annotated

import typer

from pos_tui.cli.state import print_json, settings
from pos_tui.i18n import N_, _, ngettext

app = typer.Typer(help=N_("This lane's link to the shop's PostgreSQL server: offline sales waiting, sending them."),
                  no_args_is_help=True)


def _lane_settings():
    from pos_tui.errors import ValidationError
    from pos_tui.services.offline_start import is_lane_store

    current = settings()
    if not is_lane_store(current):
        raise ValidationError(_("this store is a SQLite file on this machine, so it has no server to lose; offline "
                                "lanes are for a store on PostgreSQL (database.url)"))
    return current


@app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help=N_("print the status as JSON"))] = False) -> None:
    """Online or offline, sales waiting to be sent, and when the catalogue was last synced."""
    from pos_tui.services import offline_store
    from pos_tui.services.offline_lane import CONNECT_TIMEOUT_S, refusal_text, server_database
    from pos_tui.services.offline_start import shown_time

    import os

    current = _lane_settings()
    lane = str(current.get("lane"))
    os.environ.setdefault("PGCONNECT_TIMEOUT", str(CONNECT_TIMEOUT_S))
    server = server_database(current.db_url)
    problem = None
    try:
        server.connect()
        server.close()
    except Exception as exc:
        problem = refusal_text(current.db_url, exc)
    local = offline_store.open_local(current.home, lane, create=False)
    pending = offline_store.pending(local) if local is not None else 0
    synced = offline_store.synced_at(local) if local is not None else None
    if local is not None:
        local.close()
    if as_json:
        print_json({"lane": lane, "online": problem is None, "pending": pending,
                    "synced_at": synced.isoformat(timespec="seconds") if synced else None, "problem": problem})
        return
    typer.echo(_("lane {lane}: {state}").format(lane=lane, state=_("online") if problem is None else _("offline")))
    if problem is not None:
        typer.echo(f"  {problem}")
    typer.echo("  " + ngettext("{n} offline sale waiting to be sent", "{n} offline sales waiting to be sent",
                               pending).format(n=pending))
    typer.echo("  " + (_("catalogue last synced {when}").format(when=shown_time(synced, current)) if synced
                       else _("catalogue never synced: this lane cannot sell offline yet")))


@app.command("sync")
def sync() -> None:
    """Send this lane's offline sales now (in order, each once) and sync its catalogue."""
    from pos_tui.errors import StoreError
    from pos_tui.services import offline_store
    from pos_tui.services.offline_start import start_lane, stop_lane

    current = _lane_settings()
    before_path = offline_store.local_path(current.home, str(current.get("lane")))
    existed = before_path.exists()
    lane = start_lane(current)  # online, or the one-line reason it is not
    try:
        report = lane.last_report
        sent = len(report.sent) if report else 0
        if lane.pending:
            reason = lane.problem or ""
            raise StoreError(ngettext("{n} offline sale is still waiting to be sent: {reason}",
                                      "{n} offline sales are still waiting to be sent: {reason}",
                                      lane.pending).format(n=lane.pending, reason=reason))
        typer.echo(ngettext("sent {n} offline sale", "sent {n} offline sales", sent).format(n=sent)
                   + "; " + (_("catalogue synced") if existed else _("catalogue synced for the first time")))
    finally:
        stop_lane()


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="lane")


def till_on_lane(current, offline: bool, open_till) -> bool:
    """`pos run` on a PostgreSQL store: start the lane (asking to go offline if the server is away,
    when someone is at the terminal) and run the till on it; False for a SQLite store."""
    import sys

    from pos_tui.config import sqlite_path

    if sqlite_path(current.db_url) is not None:  # a SQLite store (is_lane_store), told before importing the
        return False  # lane's services: the till's login draws without waiting for Peewee and the sale code
    from pos_tui.services.offline_start import OfflineAvailable, start_lane, stop_lane

    try:
        lane = start_lane(current, offline=offline)
    except OfflineAvailable as exc:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise
        typer.echo(str(exc), err=True)
        if not typer.confirm(_("Sell offline from the synced catalogue?"), default=True):
            raise
        lane = start_lane(current, offline=True)
    lane.start()
    try:
        open_till(current)
    finally:
        stop_lane()
    return True
