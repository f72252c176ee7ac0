"""The till's device threads: the print worker, the drawer's sensor watch and the outbox sender.

Started once per till (the first checkout), stopped when the till exits.
Every device call runs in these threads, never on the event loop; the
screens read the plain values they publish (`status`, `drawer_open`).
"""

from __future__ import annotations

import logging
import threading
import time

from pos_tui.services.outbox_worker import OutboxWorker
from pos_tui.i18n import _
from pos_tui.services.print_worker import PrintWorker, QueueStatus

log = logging.getLogger(__name__)
SENSOR_POLL_S = 0.5
RETRY_SCANNER_S = 2.0


class TillDevices:
    def __init__(self, app) -> None:
        self.app = app
        self.worker = PrintWorker(app.settings, app.printer)
        self.outbox = OutboxWorker(app.settings)  # only runs when notify.command is set
        self.drawer_open: bool | None = None  # None: no sensor, or it failed
        self.open_since: float | None = None  # monotonic time the sensor saw it open
        self.would_open = False  # training: the last decision would have opened a live drawer
        self.last_opened: str = ""  # when it last opened, for a drawer without a sensor
        self._stop = threading.Event()
        self._sensor: threading.Thread | None = None
        self._scanner_thread: threading.Thread | None = None
        self.scanner_problem: str | None = None  # a serial scanner that failed, until it reads again

    @classmethod
    def of(cls, app) -> "TillDevices":
        """The app's devices, started on first use."""
        devices = getattr(app, "devices", None)
        if devices is None:
            devices = cls(app)
            app.devices = devices
            devices.start()
        return devices

    @property
    def status(self) -> QueueStatus:
        return self.worker.status

    def start(self) -> None:
        if self.app.printer is not None:  # printer.type none: nothing to print to
            self.worker.start()
        self.outbox.start()
        if callable(getattr(self.app.drawer, "is_open", None)):
            self._sensor = threading.Thread(target=self._watch, name="drawer-sensor", daemon=True)
            self._sensor.start()
        if self.app.settings.get("scanner.type") == "serial":
            self._scanner_thread = threading.Thread(target=self._read_scans, name="serial-scanner", daemon=True)
            self._scanner_thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.worker.stop()
        self.outbox.stop()
        for thread in (self._sensor, self._scanner_thread):
            if thread is not None:
                thread.join(2)

    def kicked(self) -> None:
        """The drawer was just opened (the sensor, where there is one, will say when it shuts)."""
        self.last_opened = _("opened {time}").format(time=time.strftime("%H:%M"))

    def open_seconds(self) -> float | None:
        if not self.drawer_open or self.open_since is None:
            return None
        return time.monotonic() - self.open_since

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                state = self.app.drawer.is_open()
            except Exception as exc:  # a sensor that fails is treated as no sensor, once logged
                log.warning("drawer sensor failed: %s", exc)
                state = None
            if state and not self.drawer_open:
                self.open_since = time.monotonic()
            elif not state:
                self.open_since = None
            self.drawer_open = state
            self._stop.wait(SENSOR_POLL_S)

    def _read_scans(self) -> None:
        """A serial scanner's codes, in the order read, to the screen that takes scans."""
        from pos_tui.errors import PosError
        from pos_tui.hardware.devices import make_scanner

        try:
            scanner = make_scanner(self.app.settings, timeout=SENSOR_POLL_S)
        except PosError as exc:
            self.scanner_problem = _("scanner: {why}").format(why=exc)
            return
        try:
            while not self._stop.is_set():
                try:
                    code = scanner.read_code()
                except PosError as exc:  # unplugged or missing: say so, try again shortly
                    self.scanner_problem = _("scanner: {why}").format(why=exc)
                    self._stop.wait(RETRY_SCANNER_S)
                    continue
                self.scanner_problem = None
                if code:
                    self.app.call_from_thread(self._deliver, code)
        finally:
            scanner.close()

    def _deliver(self, code: str) -> None:
        take = getattr(self.app.screen, "scan_code", None)
        if take is not None:
            take(code)
        else:
            self.app.notify(_("Scan {code} not taken: close the dialog first").format(code=code), severity="warning")
