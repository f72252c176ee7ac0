"""The print queue: receipts survive a broken printer and a crash, and are retried with a growing pause."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.db.fields import utc_now
from pos_tui.db.models import PrintJob, Sale
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.hardware.base import HardwareError
from pos_tui.hardware.simulated import SimulatedPrinter
from pos_tui.services import audit, print_queue, sales
from pos_tui.services.catalog import scan
from pos_tui.services.print_worker import PrintWorker


def _sale(catalog, store, actor, cash: int = 500):
    cart = Cart()
    cart.add(scan(catalog.tea, store.tax_rates()))
    return sales.commit_sale(actor, cart, [Tender("cash", cash)], lane="1", settings=store)


class BrokenPrinter:
    """Raises like an unplugged printer until `fixed`; remembers what it printed."""

    def __init__(self, message: str = "printer offline; check the cable") -> None:
        self.message, self.fixed, self.printed = message, False, []

    def print_receipt(self, name, lines, barcode=None):
        if not self.fixed:
            raise HardwareError(self.message)
        self.printed.append(name)


@dataclass(frozen=True)
class Report:
    online: bool = True
    paper: str = "ok"
    cover_open: bool = False

    @property
    def ready(self) -> bool:
        return self.online and self.paper != "out" and not self.cover_open


class StatusPrinter(BrokenPrinter):
    """A printer that reports its paper; it runs out after each job when `runs_out`."""

    def __init__(self, paper: str = "ok") -> None:
        super().__init__()
        self.fixed, self.paper, self.runs_out = True, paper, False

    def status(self):
        return Report(paper=self.paper)

    def print_receipt(self, name, lines, barcode=None):
        super().print_receipt(name, lines, barcode)
        if self.runs_out:
            self.paper = "out"


def test_a_queued_receipt_prints_once_and_is_done(catalog, store, admin_actor):
    sale = _sale(catalog, store, admin_actor)
    job = print_queue.enqueue_sale(store, sale)
    assert (job.state, job.kind, job.receipt_no) == ("queued", "receipt", sale.receipt_no)
    printer = SimulatedPrinter(store.home / "receipts")
    done = print_queue.print_one(printer, "1")
    assert done.state == "done" and done.attempts == 1
    text = (store.home / "receipts" / f"{sale.receipt_no}.txt").read_text(encoding="utf-8")
    assert sale.receipt_no in text and "Breakfast Tea" in text
    assert print_queue.print_one(printer, "1") is None  # nothing left


def test_a_printer_failing_mid_job_keeps_the_job_and_the_sale(catalog, store, admin_actor):
    sale = _sale(catalog, store, admin_actor)
    print_queue.enqueue_sale(store, sale)
    printer = BrokenPrinter()
    failed = print_queue.print_one(printer, "1")
    assert failed.state == "failed" and "offline" in failed.last_error and failed.attempts == 1
    assert Sale.get(Sale.receipt_no == sale.receipt_no).total == sale.total
    assert print_queue.counts("1") == {"failed": 1}
    printer.fixed = True
    assert print_queue.print_one(printer, "1", now=utc_now() + timedelta(seconds=3)).state == "done"
    assert printer.printed == [sale.receipt_no]


def test_a_failed_job_waits_its_pause_then_retry_makes_it_due_at_once(catalog, store, admin_actor):
    print_queue.enqueue_sale(store, _sale(catalog, store, admin_actor))
    printer = BrokenPrinter()
    first = print_queue.print_one(printer, "1")
    assert first.next_try_at - first.updated_at == timedelta(seconds=2)
    assert print_queue.claim_next("1", now=first.updated_at + timedelta(seconds=1)) is None
    second = print_queue.print_one(printer, "1", now=first.next_try_at)
    assert second.attempts == 2 and second.next_try_at - second.updated_at == timedelta(seconds=4)
    assert print_queue.retry_failed("1") == 1
    printer.fixed = True
    assert print_queue.print_one(printer, "1").state == "done"


@given(st.integers(1, 50))
def test_the_pause_doubles_from_two_seconds_and_stops_at_a_minute(attempts):
    assert print_queue.backoff_seconds(attempts) == min(60, 2 ** attempts)


def test_a_printer_out_of_paper_is_not_sent_the_job(catalog, store, admin_actor):
    print_queue.enqueue_sale(store, _sale(catalog, store, admin_actor))
    printer = StatusPrinter(paper="out")
    job = print_queue.print_one(printer, "1")
    assert job.state == "failed" and "paper out" in job.last_error and printer.printed == []


def test_a_printer_that_fails_after_the_job_keeps_it_for_another_try(catalog, store, admin_actor):
    print_queue.enqueue_sale(store, _sale(catalog, store, admin_actor))
    printer = StatusPrinter()
    printer.runs_out = True
    assert print_queue.print_one(printer, "1").state == "failed"


def test_each_lane_prints_its_own_jobs(catalog, store, admin_actor):
    print_queue.enqueue("2", "2-000001", ["x"], None)
    assert print_queue.claim_next("1") is None
    assert print_queue.claim_next("2").receipt_no == "2-000001"


def test_on_start_a_job_caught_printing_is_queued_again_and_a_lost_job_is_written(catalog, store, admin_actor):
    printed_before_crash = _sale(catalog, store, admin_actor)
    print_queue.enqueue_sale(store, printed_before_crash)
    assert print_queue.claim_next("1").state == "printing"  # then the till crashed
    job_lost = _sale(catalog, store, admin_actor)  # committed; the crash came before its job
    old = _sale(catalog, store, admin_actor)
    Sale.update(created_at=utc_now() - timedelta(hours=3)).where(Sale.receipt_no == old.receipt_no).execute()

    assert print_queue.recover(store) == (1, 1)
    jobs = {job.receipt_no: job.state for job in print_queue.list_jobs("1")}
    assert jobs == {printed_before_crash.receipt_no: "queued", job_lost.receipt_no: "queued"}
    assert print_queue.recover(store) == (0, 0)  # a second start finds nothing to do


def test_reprint_is_a_new_copy_job_and_is_audited(catalog, store, admin_actor):
    sale = _sale(catalog, store, admin_actor)
    print_queue.enqueue_sale(store, sale)
    copy = print_queue.reprint(admin_actor, store, sale.receipt_no)
    assert copy.kind == "copy" and copy.name == f"{sale.receipt_no}-copy" and any("COPY" in l for l in copy.lines)
    assert PrintJob.select().count() == 2
    assert audit.entries("receipt.reprint")[0].target == sale.receipt_no


def test_the_worker_thread_prints_what_is_queued_and_reports_a_broken_printer(catalog, store, admin_actor):
    changed = threading.Condition()
    seen = []

    def on_change(status):
        with changed:
            seen.append(status)
            changed.notify_all()

    def wait_for(condition) -> None:
        with changed:
            assert changed.wait_for(lambda: any(condition(s) for s in seen), timeout=10), seen

    printer = BrokenPrinter()
    worker = PrintWorker(store, printer, poll_s=0.05, on_change=on_change)
    worker.start()
    try:
        print_queue.enqueue_sale(store, _sale(catalog, store, admin_actor))
        worker.wake()
        wait_for(lambda s: s.failed == 1 and s.problem and "offline" in s.problem)
        printer.fixed = True
        print_queue.retry_failed("1")
        worker.wake()
        wait_for(lambda s: s.waiting == 0 and s.problem is None)
    finally:
        worker.stop()
    assert len(printer.printed) == 1


def test_an_unknown_job_kind_is_refused(store):
    with pytest.raises(ValueError):
        print_queue.enqueue("1", "1-000001", [], None, kind="poster")


def test_a_store_whose_queue_never_ran_does_not_print_its_history_again(catalog, store, admin_actor):
    _sale(catalog, store, admin_actor)  # sold before this lane ever queued a receipt (a just-upgraded store)
    assert print_queue.recover(store) == (0, 0)
    assert print_queue.list_jobs("1") == []
