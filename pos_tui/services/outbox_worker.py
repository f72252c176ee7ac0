"""The till's light outbox sender: a thread calling outbox.send_due every so often.

Only when notify.command is set (without one the outbox just shows what
would be sent, and nothing needs doing). It never raises into its owner: a
failure is logged and kept in `problem`, and the loop goes on. The sending
itself (a shop's script, maybe slow) is never on the till's event loop.
"""

from __future__ import annotations

import logging
import threading

from pos_tui.config import Settings
from pos_tui.services.outbox import SendReport, send_due

log = logging.getLogger(__name__)
EVERY_S = 30.0


class OutboxWorker:
    def __init__(self, settings: Settings, *, every_s: float = EVERY_S) -> None:
        self.settings = settings
        self.every_s = every_s
        self.last: SendReport | None = None
        self.problem: str | None = None
        self.passes = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def wanted(self) -> bool:
        return bool(str(self.settings.get("notify.command")).strip())

    def start(self) -> None:
        if self._thread is None and self.wanted:
            self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Send now rather than at the next pass (after an order changed, say)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def send_once(self) -> SendReport | None:
        """One pass in this thread's own connection; None if it failed (logged, kept in `problem`)."""
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                report = send_due(self.settings)
        except Exception as exc:  # a locked database, a broken command line: keep going
            log.exception("outbox pass failed")
            self.problem = f"outbox: {type(exc).__name__}: {exc}"
            return None
        self.last, self.problem = report, (report.errors[-1] if report.errors else None)
        return report

    def _run(self) -> None:
        while not self._stop.is_set():
            self.send_once()
            self.passes += 1
            self._wake.wait(self.every_s)
            self._wake.clear()
