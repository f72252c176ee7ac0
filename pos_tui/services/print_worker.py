"""The thread that drains a lane's print queue: one per lane process (the till or the CLI).

It never raises into its owner: a device or database fault is logged, kept
in `status` for the till's status line, and the loop goes on. `wake()` after
queueing a job prints it at once instead of at the next poll.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable

from pos_tui.config import Settings
from pos_tui.hardware.base import Printer
from pos_tui.services import print_queue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueStatus:
    """What the till shows: jobs waiting, failed ones, and the printer's last problem."""

    waiting: int = 0
    failed: int = 0
    problem: str | None = None
    recovered: tuple[int, int] = (0, 0)  # (jobs reset, receipts queued) at start


class PrintWorker:
    def __init__(self, settings: Settings, printer: Printer, *, poll_s: float = 1.0, status_every_s: float = 15.0,
                 on_change: Callable[[QueueStatus], None] | None = None) -> None:
        self.settings = settings
        self.printer = printer
        self.lane = str(settings.get("lane"))
        self.poll_s = poll_s
        self.status_every_s = status_every_s
        self.on_change = on_change
        self.status = QueueStatus()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._idle_polls = 0
        self._problem: str | None = None

    # -- for the owner --------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"print-worker-{self.lane}", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    # -- one pass (the CLI calls this directly) -------------------------------
    def drain(self) -> int:
        """Print every job due now; returns how many printed. Stops at the first failure (the printer is down)."""
        printed = 0
        failed = False
        while not self._stop.is_set():
            job = print_queue.print_one(self.printer, self.lane)
            if job is None:
                break
            if job.state != print_queue.DONE:
                self._problem, failed = job.last_error, True
                break
            printed += 1
        if printed and not failed:
            self._problem = None
        elif not printed and not failed:
            self._idle_polls += 1
            if self._idle_polls * self.poll_s >= self.status_every_s:  # an idle printer is asked now and then
                self._idle_polls = 0
                self._problem = print_queue.printer_problem(self.printer)
        self._publish()
        return printed

    def _publish(self) -> None:
        counts = print_queue.counts(self.lane)
        status = QueueStatus(sum(counts.values()), counts.get(print_queue.FAILED, 0), self._problem,
                             self.status.recovered)
        if status != self.status:
            self.status = status
            if self.on_change is not None:
                self.on_change(status)

    def _run(self) -> None:
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                self.status = QueueStatus(recovered=print_queue.recover(self.settings))
        except Exception:
            log.exception("print queue recovery failed")
        while not self._stop.is_set():
            try:
                with thread_session():  # one per pass: a store reopened meanwhile is picked up
                    self.drain()
            except Exception as exc:  # a locked database, a driver bug: keep going
                log.exception("print worker pass failed")
                self._problem = f"print queue: {type(exc).__name__}"
            self._wake.wait(self.poll_s)
            self._wake.clear()
