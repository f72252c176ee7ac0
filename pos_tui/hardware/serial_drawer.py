"""A cash drawer on its own serial port (or a USB-serial trigger box), through pyserial.

Such drawers open on a trigger byte (often BEL, 07) or on a pulse of the
DTR or RTS line; the ones with a sensor wire it to a modem status line
(CTS, DSR or CD). `device` may be a pyserial URL such as loop://.
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

from pos_tui.errors import ConfigError
from pos_tui.hardware.drawer_kick import open_level_is_high
from pos_tui.hardware.errors_map import device_errors
from pos_tui.hardware.base import HardwareError
from pos_tui.i18n import _

PULSE_LINES = ("none", "dtr", "rts")
SENSOR_LINES = ("none", "cts", "dsr", "cd")
_HEX = re.compile(r"^(?:[0-9a-fA-F]{2})+$")


def parse_trigger(text: str) -> bytes:
    """`07` or `1b 70 00` or `1b,70,00` as bytes, or a ConfigError saying how to write them."""
    cleaned = re.sub(r"[\s,:]+", "", str(text)).removeprefix("0x")
    if not cleaned or not _HEX.match(cleaned):
        raise ConfigError(_("drawer.trigger must be hex bytes like 07 or 1b7000 (two hex digits a byte), not {text!r}").format(text=text))
    return bytes.fromhex(cleaned)


class SerialDrawer:
    def __init__(self, device: str, *, baud: int = 9600, trigger: bytes = b"\x07", repeat: int = 1,
                 pulse_line: str = "none", pulse_ms: int = 50, sensor_line: str = "none",
                 sensor_open_level: str = "high", timeout_s: float = 2.0) -> None:
        if pulse_line not in PULSE_LINES:
            raise ConfigError(_("drawer.pulse_line must be one of {PULSE_LINES}, not {pulse_line!r}").format(PULSE_LINES=', '.join(PULSE_LINES), pulse_line=pulse_line))
        if sensor_line not in SENSOR_LINES:
            raise ConfigError(_("drawer.sensor_line must be one of {SENSOR_LINES}, not {sensor_line!r}").format(SENSOR_LINES=', '.join(SENSOR_LINES), sensor_line=sensor_line))
        if repeat < 1:
            raise ConfigError(_("drawer.repeat must be at least 1, not {repeat}").format(repeat=repeat))
        self.device, self.baud, self.trigger, self.repeat = device, baud, trigger, repeat
        self.pulse_line, self.pulse_ms, self.sensor_line = pulse_line, pulse_ms, sensor_line
        self._open_high = open_level_is_high(sensor_open_level)
        self.timeout_s = timeout_s
        self.label = _("the drawer on {device}").format(device=device)
        self.port: Any = None

    def open(self, reason: str) -> None:
        with self._guard():
            port = self._port()
            if self.trigger:
                port.write(self.trigger * self.repeat)
                port.flush()
            if self.pulse_line != "none":
                setattr(port, self.pulse_line, True)
                time.sleep(self.pulse_ms / 1000)  # the solenoid needs the line held this long
                setattr(port, self.pulse_line, False)

    def is_open(self) -> bool | None:
        if self.sensor_line == "none":
            return None
        with self._guard():
            high = bool(getattr(self._port(), self.sensor_line))
        return high == self._open_high

    def close(self) -> None:
        port, self.port = self.port, None
        if port is not None:
            with contextlib.suppress(Exception):
                port.reset_output_buffer()
            with contextlib.suppress(Exception):
                port.close()

    def _port(self) -> Any:
        if self.port is None:
            import serial

            self.port = serial.serial_for_url(
                self.device, baudrate=self.baud, timeout=self.timeout_s, write_timeout=self.timeout_s,
                rtscts=False, dsrdtr=False, do_not_open=True,
            )
            # A drawer box may fire on a DTR/RTS edge: start both low rather than pyserial's high.
            self.port.dtr = False
            self.port.rts = False
            self.port.open()
        return self.port

    @contextlib.contextmanager
    def _guard(self):  # type: ignore[no-untyped-def]
        try:
            with device_errors(self.label):
                yield
        except HardwareError:
            self.close()
            raise
