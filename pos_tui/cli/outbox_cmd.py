"""`pos outbox list|send|retry`: customer messages and whether they went out."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Customer messages: what is queued, sent or failing; send and retry them."),
                  no_args_is_help=True)


def message_json(m, zone) -> dict:
    when = lambda v: v.astimezone(zone).isoformat(timespec="seconds") if v is not None else None  # noqa: E731
    return {"id": m.id, "order": m.order or None, "event": m.event, "channel": m.channel, "recipient": m.recipient,
            "text": m.text, "state": m.state, "attempts": m.attempts, "last_error": m.last_error or None,
            "next_try_at": when(m.next_try_at), "created_at": when(m.created_at), "sent_at": when(m.sent_at)}


@app.command("list")
def list_(
    state: Annotated[str | None, typer.Option("--state", help=N_("queued, sending, sent or failed"))] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help=N_("newest this many"))] = 100,
    as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False,
) -> None:
    """Messages newest first: with no notify.command this is what would be sent."""
    from zoneinfo import ZoneInfo

    from pos_tui.services import outbox

    current = open_store()
    zone = ZoneInfo(current.get("store.timezone"))
    found = outbox.list_messages(state, limit=limit)
    if as_json:
        print_json([message_json(m, zone) for m in found])
        return
    if found and not str(current.get("notify.command")).strip():
        typer.echo(_("notify.command is not set: these messages would be sent"), err=True)
    for m in found:
        error = "  " + _("[{n} tries: {error}]").format(n=m.attempts, error=m.last_error) if m.last_error else ""
        typer.echo(f"{m.id:>5} {m.state:<7} {m.order or '-':<10} {m.event:<14} {m.channel:<5} {m.recipient:<24} "
                   f"{m.text}{error}")


@app.command("send")
def send() -> None:
    """Queue late-order messages, then send what is due through notify.command (run it from cron)."""
    from pos_tui.services import outbox

    current = open_store()
    report = outbox.send_due(current)
    for error in report.errors:
        typer.echo(error, err=True)
    if not str(current.get("notify.command")).strip():
        typer.echo(_("notify.command is not set: {waiting} messages wait in the outbox "
                     "({late} new late-order messages)").format(waiting=report.waiting, late=report.late_queued))
        return
    typer.echo(_("sent {sent}, failed {failed}, {late} new late-order messages").format(
        sent=report.sent, failed=report.failed, late=report.late_queued))
    if report.failed:
        from pos_tui.errors import PosError

        raise PosError(_("{n} messages could not be sent; they are retried later "
                         "(see `pos outbox list --state failed`, or `pos outbox retry` once fixed)").format(
            n=report.failed))


@app.command("retry")
def retry(
    message_id: Annotated[int | None, typer.Argument(metavar="[ID]", help=N_("one message (default: every failed one)"))] = None,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Make failed messages due now (the next `pos outbox send` tries them)."""
    from pos_tui.services import outbox

    open_store()
    actor = acting(as_user, password_stdin)
    typer.echo(_("{n} messages due again").format(n=outbox.retry(actor, message_id)))
