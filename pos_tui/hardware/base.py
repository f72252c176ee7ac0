"""What the till asks of a receipt printer and a cash drawer, and the errors they raise.

Every driver turns its library's exceptions into one of the HardwareError
family below (see errors_map.py), so the till and the CLI show one line
that says what happened and what to do about it.

`PermissionDenied` here is about the operating system refusing a device
file; it is not pos_tui.services.permissions.PermissionDenied (a till
user's role). Import this module, not its names, where both are in reach:
`from pos_tui.hardware import base as hw` then `hw.PermissionDenied`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _


class HardwareError(PosError):
    """A device failed; the message says what to do. Never loses a sale: printing runs after the commit."""

    advice = ""

    def __init__(self, message: str, advice: str | None = None) -> None:
        """`message` says what happened; the class's advice (or `advice`) what to do."""
        tip = (_(self.advice) if self.advice else "") if advice is None else advice  # advice given is translated
        super().__init__(f"{message}; {tip}" if tip else message)


class DeviceMissing(HardwareError):
    """The configured device is not there (no such file, not plugged in, no USB match)."""

    advice = N_("check the cable and power, and the device setting (`pos hardware detect` lists candidates)")


class PermissionDenied(HardwareError):
    """The operating system refuses to open the device for this user."""

    advice = N_("add the user to the lp or dialout group, or install a udev rule for the device")


class Offline(HardwareError):
    """The device is there but does not take data (refused, closed, unplugged mid-job, offline)."""

    advice = N_("check the cable and power, then print the receipt again")


class PaperOut(HardwareError):
    """The roll is empty."""

    advice = N_("load paper, then print the receipt again")


class CoverOpen(HardwareError):
    """The printer's cover is open."""

    advice = N_("close the printer's cover, then print the receipt again")


class Timeout(HardwareError):
    """The device stopped answering within the configured time."""

    advice = N_("check the cable and power; the job may not have printed, so check it and print it again")


@dataclass(frozen=True)
class PrinterStatus:
    """What a printer reports about itself (DLE EOT): `paper` is "ok", "near_end" or "out"."""

    online: bool
    paper: str = "ok"
    cover_open: bool = False

    @property
    def ready(self) -> bool:
        return self.online and self.paper != "out" and not self.cover_open

    def as_dict(self) -> dict[str, object]:
        return {"online": self.online, "paper": self.paper, "cover_open": self.cover_open, "ready": self.ready}


class Printer(Protocol):
    def print_receipt(self, name: str, lines: list[str], barcode: str | None = None) -> None:
        """Print `lines` (already laid out to the paper's width), then the barcode, then cut."""

    def status(self) -> PrinterStatus | None:
        """The printer's own report, or None when the device cannot tell (a plain device file)."""

    def close(self) -> None:
        """Let go of the device; the next call opens it again."""


class Drawer(Protocol):
    def open(self, reason: str) -> None:
        """Kick the drawer open."""

    def is_open(self) -> bool | None:
        """True or False from the drawer's sensor; None where there is no sensor."""

    def close(self) -> None:
        """Let go of the device (not the drawer: a person closes that)."""
