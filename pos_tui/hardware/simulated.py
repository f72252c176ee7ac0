"""The simulated printer and drawer of demo and training mode, and of tests.

The printer writes each receipt as text into POS_HOME/receipts/ (and keeps
the last one for the till to show); the drawer records each opening in
POS_HOME/receipts/drawer.log.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from pos_tui.hardware.base import HardwareError, PrinterStatus
from pos_tui.i18n import _


class SimulatedPrinter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.last: list[str] = []

    def print_receipt(self, name: str, lines: list[str], barcode: str | None = None) -> None:
        body = list(lines) + ([f"|||| {barcode} ||||"] if barcode else [])
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temp = self.folder / f".{safe}.tmp"
            temp.write_text("\n".join(body) + "\n", encoding="utf-8")
            os.replace(temp, self.folder / f"{safe}.txt")
        except OSError as exc:
            raise HardwareError(_("the simulated printer cannot write to {folder}: {strerror}").format(folder=self.folder, strerror=exc.strerror)) from None
        self.last = body

    def status(self) -> PrinterStatus:
        """Always ready: there is no paper to run out of."""
        return PrinterStatus(online=True)

    def close(self) -> None:
        """Nothing held open."""


class SimulatedDrawer:
    """Opens on a kick and, like a cashier pushing it shut, closes `auto_close_s` later (or on `push_shut`)."""

    def __init__(self, folder: Path, *, auto_close_s: float | None = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.log = folder / "drawer.log"
        self.openings = 0
        self.auto_close_s = auto_close_s
        self._clock = clock
        self._opened_at: float | None = None

    def open(self, reason: str) -> None:
        try:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with self.log.open("a", encoding="utf-8") as handle:
                handle.write(f"{datetime.now(timezone.utc).isoformat(timespec='seconds')} open {reason}\n")
        except OSError as exc:
            raise HardwareError(_("the simulated drawer cannot write {log}: {strerror}").format(log=self.log, strerror=exc.strerror)) from None
        self.openings += 1
        self._opened_at = self._clock()

    def is_open(self) -> bool:
        if self._opened_at is None:
            return False
        if self.auto_close_s is not None and self._clock() - self._opened_at >= self.auto_close_s:
            self._opened_at = None
        return self._opened_at is not None

    def push_shut(self) -> None:
        """The cashier closes the drawer (training mode's button, or a test)."""
        self._opened_at = None

    def close(self) -> None:
        """Nothing held open."""
