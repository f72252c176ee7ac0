"""`pos audit list|verify`: read the audit log and check its hash chain."""


from typing import TYPE_CHECKING, Annotated, Any

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from pos_tui.services.audit import AuditEntry, ChainReport

app = typer.Typer(help=N_("The audit log: who did what, and whether it is intact."), no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help=N_("print JSON (times in UTC)"))]


def _moment(text: str, what: str, zone: "tzinfo", *, end_of_day: bool = False) -> "datetime":
    """A day or a time in the shop's zone (or with its own offset).

    A bare day given to --until means up to the end of that day.
    """
    from datetime import date, datetime, time, timedelta

    from pos_tui.errors import ValidationError

    cleaned = text.strip()
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        day = None
    if day is not None:
        moment = datetime.combine(day, time.min, tzinfo=zone)
        return moment + timedelta(days=1) if end_of_day else moment
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValidationError(
            _("{what} {text} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM (shop time)").format(
                what=what, text=repr(text))) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def entry_json(e: "AuditEntry") -> dict[str, Any]:
    return {
        "id": e.id, "time": e.time.isoformat(timespec="microseconds"), "action": e.action, "username": e.username,
        "os_user": e.os_user, "target": e.target, "details": e.details,
    }


def _short(details: dict[str, Any]) -> str:
    return " ".join(f"{key}={value}" for key, value in details.items())


@app.command("list")
def list_(
    since: Annotated[str | None, typer.Option("--since", metavar="DATE|DATETIME", help=N_("from then on (shop time)"))] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE|DATETIME", help=N_("up to then; a day includes itself"))] = None,
    user: Annotated[str | None, typer.Option("--user", metavar="NAME", help=N_("a till user or an OS user"))] = None,
    action: Annotated[str | None, typer.Option("--action", metavar="ACTION", help=N_("an action, or a prefix like drawer.*"))] = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", help=N_("at most N rows (1-1000)"))] = 50,
    before: Annotated[int | None, typer.Option("--before", metavar="ID", help=N_("older than row ID (to page back)"))] = None,
    as_json: JsonOption = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Audit rows, newest first, in the shop's time zone."""
    from zoneinfo import ZoneInfo

    from pos_tui.services import audit

    current = open_store()
    zone = ZoneInfo(current.get("store.timezone"))
    start = _moment(since, "--since", zone) if since is not None else None
    end = _moment(until, "--until", zone, end_of_day=True) if until is not None else None
    actor = acting(as_user, password_stdin)
    found = audit.search(actor, since=start, until=end, user=user, action=action, limit=limit, before_id=before)
    if as_json:
        print_json([entry_json(e) for e in found])
        return
    for e in found:
        who = e.username or "-"
        typer.echo(f"{e.id:>7} {e.time.astimezone(zone):%Y-%m-%d %H:%M:%S} {who:<12} {e.os_user:<10} "
                   f"{e.action:<20} {e.target} {_short(e.details)}".rstrip())


def _broken_line(report: "ChainReport", zone: "tzinfo") -> str:
    when = f"{report.broken_time.astimezone(zone):%Y-%m-%d %H:%M:%S}" if report.broken_time else "?"
    return _("the audit log is broken at row {id} ({time}, {action}): {reason}; "
             "the {rows} rows before it are intact").format(
        id=report.broken_id, time=when, action=report.broken_action, reason=report.reason, rows=report.rows)


@app.command("verify")
def verify(as_json: JsonOption = False, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Check every row's hash and link; exits 1 naming the first broken row."""
    from zoneinfo import ZoneInfo

    from pos_tui.errors import PosError
    from pos_tui.services import audit

    current = open_store()
    report = audit.verify(acting(as_user, password_stdin))
    if as_json:
        broken = None
        if not report.intact:
            broken = {"id": report.broken_id, "time": report.broken_time, "action": report.broken_action,
                      "reason": report.reason}
        print_json({"intact": report.intact, "rows": report.rows, "broken": broken})
        if not report.intact:
            raise typer.Exit(1)
        return
    if not report.intact:
        raise PosError(_broken_line(report, ZoneInfo(current.get("store.timezone"))))
    typer.echo(_("the audit log is intact ({rows} rows)").format(rows=report.rows))
