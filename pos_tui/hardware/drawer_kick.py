"""A cash drawer wired to the printer's drawer port, kicked with ESC p m t1 t2.

ESC/POS: m = 0 pulses connector pin 2, m = 1 pin 5; the pulse is on for
t1 x 2 ms and off for t2 x 2 ms (t1, t2 in 0-255). The drawer's sensor
switch reads back as connector pin 3 in DLE EOT 1 (bit 2); whether a high
level means open depends on the drawer, hence `drawer.sensor_open_level`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_tui.errors import ConfigError
from pos_tui.i18n import _

if TYPE_CHECKING:
    from pos_tui.hardware.escpos_printer import EscposPrinter

PINS = {2: 0, 5: 1}
MAX_MS = 510


def pulse_units(ms: int, what: str | None = None) -> int:
    """Milliseconds as the 2 ms units ESC p counts (odd values round up), or a ConfigError."""
    what = what or _("pulse")
    if isinstance(ms, bool) or not isinstance(ms, int) or not 0 <= ms <= MAX_MS:
        raise ConfigError(_("drawer {what} must be 0-{MAX_MS} ms (ESC p counts 2 ms steps up to 255), not {ms!r}").format(what=what, MAX_MS=MAX_MS, ms=ms))
    return (ms + 1) // 2


def kick_bytes(pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> bytes:
    """ESC p m t1 t2 for a pulse on `pin` (2 or 5)."""
    if pin not in PINS:
        raise ConfigError(_("drawer.pin must be 2 or 5 (the drawer connector's kick pins), not {pin!r}").format(pin=pin))
    return b"\x1bp" + bytes((PINS[pin], pulse_units(on_ms, "pulse_on_ms"), pulse_units(off_ms, "pulse_off_ms")))


def open_level_is_high(level: str) -> bool:
    if level not in ("high", "low"):
        raise ConfigError(_("drawer.sensor_open_level must be high or low, not {level!r}").format(level=level))
    return level == "high"


class PrinterDrawer:
    """The drawer behind an ESC/POS printer; its sensor answers only where the printer does."""

    def __init__(self, printer: EscposPrinter, *, pin: int = 2, on_ms: int = 50, off_ms: int = 500,
                 sensor_open_level: str = "high") -> None:
        self.printer = printer
        self.kick = kick_bytes(pin, on_ms, off_ms)
        self._open_high = open_level_is_high(sensor_open_level)
        self.label = _("the drawer on {label}").format(label=printer.label)

    def open(self, reason: str) -> None:
        self.printer.send(self.kick)

    def is_open(self) -> bool | None:
        high = self.printer.drawer_pin3_high()
        return None if high is None else high == self._open_high

    def close(self) -> None:
        """The printer is shared with receipts: its owner closes it."""
