"""A barcode scanner on a serial port, for shops whose scanner is not a keyboard wedge.

Such scanners send each code as a line (CR, LF or CR LF after it). Reads
wait at most `timeout_s`, so the caller can stop or do other work between
scans; `device` may be a pyserial URL such as loop://.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from pos_tui.hardware.base import HardwareError
from pos_tui.hardware.errors_map import device_errors
from pos_tui.i18n import _


class SerialScanner:
    def __init__(self, device: str, *, baud: int = 9600, timeout_s: float = 1.0, prefix: str = "",
                 min_length: int = 1) -> None:
        self.device, self.baud, self.timeout_s = device, baud, timeout_s
        self.prefix, self.min_length = prefix, min_length
        self.label = _("the scanner on {device}").format(device=device)
        self.port: Any = None
        self._pending = b""

    def read_code(self, timeout_s: float | None = None) -> str | None:
        """The next code (prefix stripped, too-short noise skipped), or None if none came in time."""
        deadline = time.monotonic() + (self.timeout_s if timeout_s is None else timeout_s)
        with self._guard():
            port = self._port()
            while True:
                code = self._next_line()
                if code is not None:
                    if len(code) >= self.min_length:
                        return code
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                port.timeout = left
                chunk = port.read(1)
                if chunk:
                    chunk += port.read(port.in_waiting) if port.in_waiting else b""
                    self._pending += chunk

    def close(self) -> None:
        port, self.port = self.port, None
        if port is not None:
            with contextlib.suppress(Exception):
                port.close()

    def _next_line(self) -> str | None:
        self._pending = self._pending.lstrip(b"\r\n")
        cut = min((i for i in (self._pending.find(b"\r"), self._pending.find(b"\n")) if i >= 0), default=-1)
        if cut < 0:
            return None
        raw, self._pending = self._pending[:cut], self._pending[cut + 1:]
        code = raw.decode("ascii", errors="replace").strip()
        if self.prefix and code.startswith(self.prefix):
            code = code[len(self.prefix):]
        return code

    def _port(self) -> Any:
        if self.port is None:
            import serial

            self.port = serial.serial_for_url(self.device, baudrate=self.baud, timeout=self.timeout_s)
        return self.port

    @contextlib.contextmanager
    def _guard(self):  # type: ignore[no-untyped-def]
        try:
            with device_errors(self.label):
                yield
        except HardwareError:
            self.close()
            raise
