"""`pos print queue|retry|drain|reprint`: the lane's print queue from the shell."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("The print queue: receipts waiting for the printer."), no_args_is_help=True)
LaneOption = Annotated[str | None, typer.Option("--lane", help=N_("the lane (default: this till's lane setting)"))]


def _lane(current, lane):
    return lane if lane is not None else str(current.get("lane"))


def _printer(current):
    """The configured printer where the hardware factory exists, else the simulated one."""
    try:
        from pos_tui.hardware.devices import make_printer
    except ImportError:
        from pos_tui.hardware.simulated import SimulatedPrinter

        return SimulatedPrinter(current.home / "receipts")
    printer = make_printer(current)
    if printer is None:
        from pos_tui.errors import ConfigError

        raise ConfigError(_("no receipt printer is set up (printer.type is none); see `pos hardware list`"))
    return printer


@app.command("queue")
def queue(lane: LaneOption = None, all_jobs: Annotated[bool, typer.Option("--all", help=N_("done jobs too"))] = False,
          as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """Jobs not yet printed (newest first)."""
    from pos_tui.services import print_queue

    current = open_store()
    states = None if all_jobs else print_queue.WAITING
    jobs = print_queue.list_jobs(_lane(current, lane), states)
    if as_json:
        print_json([{"id": j.id, "lane": j.lane, "receipt_no": j.receipt_no, "kind": j.kind, "state": j.state,
                     "attempts": j.attempts, "last_error": j.last_error, "created_at": j.created_at,
                     "next_try_at": j.next_try_at} for j in jobs])
        return
    for j in jobs:
        error = f"  {j.last_error}" if j.last_error else ""
        typer.echo(f"{j.id:>6} {j.receipt_no:<12} {j.kind:<8} {j.state:<9} "
                   + _("tries {n}").format(n=j.attempts) + error)


@app.command("retry")
def retry(lane: LaneOption = None) -> None:
    """Make the failed jobs due now (the till or `pos print drain` prints them)."""
    from pos_tui.services import print_queue

    current = open_store()
    typer.echo(_("{n} failed job(s) due now").format(n=print_queue.retry_failed(_lane(current, lane))))


@app.command("drain")
def drain(lane: LaneOption = None) -> None:
    """Print every job due now on the configured printer; stops at the first failure."""
    from pos_tui.services.print_worker import PrintWorker

    current = open_store()
    if lane is not None:
        current.values["lane"] = lane
    worker = PrintWorker(current, _printer(current))
    printed = worker.drain()
    typer.echo(_("printed {printed} job(s); {waiting} waiting").format(printed=printed, waiting=worker.status.waiting))
    if worker.status.problem:
        from pos_tui.errors import PosError

        raise PosError(_("the printer: {problem}; the jobs stay queued (`pos print retry`)").format(
            problem=worker.status.problem))


@app.command("reprint")
def reprint(receipt_no: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Queue a COPY of a sale's receipt (audited)."""
    from pos_tui.services import print_queue

    current = open_store()
    actor = acting(as_user, password_stdin)
    job = print_queue.reprint(actor, current, receipt_no)
    typer.echo(_("queued job {id}: {name}").format(id=job.id, name=job.name))
