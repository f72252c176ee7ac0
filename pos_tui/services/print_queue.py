"""The durable print queue: every receipt is a row until the printer has taken it.

The sale's transaction stays as it is (the till's hot path); its receipt is
queued right after the commit, and `recover()` on start queues any recent
sale whose job a crash lost. A printer that is offline, out of paper or
unplugged mid-job leaves the job `failed`, retried with a growing pause
(2, 4, 8 ... 60 s); a job caught `printing` by a crash goes back to `queued`.
Each lane's process drains its own lane's jobs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import fn

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import PrintJob, Sale
from pos_tui.errors import NotFound
from pos_tui.hardware.base import HardwareError, Printer
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor

QUEUED, PRINTING, DONE, FAILED = "queued", "printing", "done", "failed"
WAITING = (QUEUED, PRINTING, FAILED)
BACKOFF_CAP_S = 60


@dataclass(frozen=True)
class JobInfo:
    id: int
    lane: str
    receipt_no: str
    kind: str
    name: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime
    updated_at: datetime
    next_try_at: datetime
    lines: tuple[str, ...] = ()
    barcode: str | None = None


def _info(row: PrintJob) -> JobInfo:
    return JobInfo(row.id, row.lane, row.receipt_no, row.kind, row.name, row.state, row.attempts, row.last_error,
                   row.created_at, row.updated_at, row.next_try_at, tuple(json.loads(row.lines)), row.barcode)


def backoff_seconds(attempts: int) -> int:
    """The pause after the `attempts`-th failure: 2, 4, 8 ... capped at a minute."""
    return min(BACKOFF_CAP_S, 2 ** max(1, min(attempts, 6)))


def enqueue(lane: str, receipt_no: str, lines: list[str], barcode: str | None, *, kind: str = "receipt",
            name: str | None = None) -> JobInfo:
    """Queue one laid-out receipt (its own small transaction, after the sale's)."""
    if kind not in ("receipt", "copy", "report", "label", "slip"):
        raise ValueError(f"unknown print job kind {kind!r}")
    now = utc_now()
    with write_transaction():
        row = PrintJob.create(
            lane=lane, receipt_no=receipt_no, kind=kind, name=name or receipt_no, lines=json.dumps(list(lines)),
            barcode=barcode, state=QUEUED, next_try_at=now, created_at=now, updated_at=now,
        )
    return _info(row)


def enqueue_sale(settings: Settings, sale, *, copy: bool = False) -> JobInfo:
    """A sale's receipt (or a COPY of it), laid out for the shop's paper, queued on its lane."""
    from pos_tui.services.printing import receipt_lines

    lines, barcode = receipt_lines(settings, sale, copy=copy)
    lane = str(settings.get("lane"))
    if copy:
        return enqueue(lane, sale.receipt_no, lines, barcode, kind="copy", name=f"{sale.receipt_no}-copy")
    return enqueue(lane, sale.receipt_no, lines, barcode)


def claim_next(lane: str, now: datetime | None = None) -> JobInfo | None:
    """Take the oldest job that is due (queued, or failed and past its pause), marking it printing."""
    now = now or utc_now()
    with write_transaction():
        row = (PrintJob.select()
               .where((PrintJob.lane == lane) & (PrintJob.state.in_((QUEUED, FAILED)))
                      & (PrintJob.next_try_at <= PrintJob.next_try_at.db_value(now)))
               .order_by(PrintJob.next_try_at, PrintJob.id).first())
        if row is None:
            return None
        PrintJob.update(state=PRINTING, attempts=PrintJob.attempts + 1, updated_at=now).where(
            PrintJob.id == row.id).execute()
    return _info(PrintJob.get_by_id(row.id))


def mark_done(job_id: int, now: datetime | None = None) -> None:
    now = now or utc_now()
    with write_transaction():
        PrintJob.update(state=DONE, last_error="", updated_at=now, printed_at=now).where(
            PrintJob.id == job_id).execute()


def mark_failed(job_id: int, error: str, now: datetime | None = None) -> JobInfo:
    """Keep the job, to be tried again after its pause."""
    now = now or utc_now()
    with write_transaction():
        row = PrintJob.get_by_id(job_id)
        pause = timedelta(seconds=backoff_seconds(row.attempts))
        PrintJob.update(state=FAILED, last_error=error[:500], updated_at=now, next_try_at=now + pause).where(
            PrintJob.id == job_id).execute()
    return _info(PrintJob.get_by_id(job_id))


def retry_failed(lane: str, now: datetime | None = None) -> int:
    """Make the lane's failed jobs due now (the cashier fixed the printer); returns how many."""
    now = now or utc_now()
    with write_transaction():
        return PrintJob.update(next_try_at=now, updated_at=now).where(
            (PrintJob.lane == lane) & (PrintJob.state == FAILED)).execute()


def list_jobs(lane: str | None = None, states: tuple[str, ...] | None = None, limit: int = 50) -> list[JobInfo]:
    """The newest jobs first."""
    query = PrintJob.select().order_by(PrintJob.id.desc()).limit(limit)
    if lane is not None:
        query = query.where(PrintJob.lane == lane)
    if states:
        query = query.where(PrintJob.state.in_(states))
    return [_info(row) for row in query]


def counts(lane: str) -> dict[str, int]:
    """Jobs not done on this lane, by state (what the till's status line shows)."""
    rows = (PrintJob.select(PrintJob.state, fn.COUNT(PrintJob.id))
            .where((PrintJob.lane == lane) & (PrintJob.state.in_(WAITING))).group_by(PrintJob.state).tuples())
    return {state: n for state, n in rows}


def reprint(actor: Actor, settings: Settings, receipt_no: str) -> JobInfo:
    """A new COPY job of a sale's receipt; audited (a copy can be handed out as proof)."""
    from pos_tui.services.sales import get_sale

    sale = get_sale(receipt_no)
    job = enqueue_sale(settings, sale, copy=True)
    audit.record_now("receipt.reprint", actor, sale.receipt_no, job=job.id, lane=job.lane)
    return job


def recover(settings: Settings, now: datetime | None = None) -> tuple[int, int]:
    """On start: jobs a crash left `printing` go back to queued; recent sales without a job are queued.

    Returns (jobs reset, receipts queued). A sale committed just before a crash,
    whose job was never written, gets its receipt here (receipt.recover_minutes),
    counting only sales since the lane's first print job: the history of a store
    that had no queue yet (just upgraded, or a new demo) is not printed again.
    """
    from pos_tui.services.sales import get_sale

    now = now or utc_now()
    lane = str(settings.get("lane"))
    with write_transaction():
        reset = PrintJob.update(state=QUEUED, next_try_at=now, updated_at=now).where(
            (PrintJob.lane == lane) & (PrintJob.state == PRINTING)).execute()
    first_job = PrintJob.select(fn.MIN(PrintJob.created_at)).where(PrintJob.lane == lane).scalar()
    if first_job is None:  # the queue never ran on this lane (a new or just-upgraded store): nothing was lost
        return reset, 0
    since = max(now - timedelta(minutes=int(settings.get("receipt.recover_minutes"))),
                _as_time(first_job) - timedelta(seconds=5))
    missing = (Sale.select(Sale.receipt_no)
               .where((Sale.lane == lane) & (Sale.created_at >= Sale.created_at.db_value(since))
                      & (Sale.created_at <= Sale.created_at.db_value(now))
                      & Sale.original.is_null()
                      & ~Sale.receipt_no.in_(PrintJob.select(PrintJob.receipt_no).where(PrintJob.kind == "receipt")))
               .order_by(Sale.id).tuples())
    queued = 0
    for (receipt_no,) in list(missing):
        try:
            enqueue_sale(settings, get_sale(receipt_no))
        except NotFound:
            continue
        queued += 1
    return reset, queued


def _as_time(value) -> datetime:
    return value if isinstance(value, datetime) else PrintJob.created_at.python_value(value)


def printer_problem(printer: Printer) -> str | None:
    """What the printer says is wrong (offline, paper out, cover open), where it can tell."""
    status = getattr(printer, "status", None)
    if status is None:
        return None
    try:
        report = status()
    except HardwareError as exc:
        return str(exc)
    if report is None or getattr(report, "ready", True):
        return None
    if not getattr(report, "online", True):
        return _("printer offline")
    if getattr(report, "paper", "ok") == "out":
        return _("printer: paper out")
    if getattr(report, "cover_open", False):
        return _("printer: cover open")
    return _("printer not ready")


def print_one(printer: Printer, lane: str, now: datetime | None = None) -> JobInfo | None:
    """Print the next due job of `lane`, if any; a device fault fails the job, never raises.

    Asks the printer's status first (a job is not sent to a printer that says it
    is out of paper) and after (a job the printer lost mid-way is not done).
    """
    job = claim_next(lane, now)
    if job is None:
        return None
    problem = printer_problem(printer)
    if problem is None:
        try:
            printer.print_receipt(job.name, list(job.lines), job.barcode)
        except HardwareError as exc:
            problem = str(exc)
        except Exception as exc:  # a driver bug must not kill the worker or lose the job
            problem = _("the printer failed ({kind}: {exc})").format(kind=type(exc).__name__, exc=exc)
        else:
            problem = printer_problem(printer)
    if problem is not None:
        return mark_failed(job.id, problem)
    mark_done(job.id)
    return _info(PrintJob.get_by_id(job.id))
