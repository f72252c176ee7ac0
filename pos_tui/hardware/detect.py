"""Devices a printer, drawer or scanner could be on: serial ports, USB printer files, USB printers.

Nothing is opened: opening a serial port raises DTR, which fires some drawers.
Access is checked with os.access, and a missing right is named with the
group that owns the device, since joining it is the usual fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pos_tui.i18n import _

SERIAL_PATTERNS = ("ttyUSB*", "ttyACM*", "ttyS*")
PRINTER_PATTERNS = ("usb/lp*", "lp[0-9]*")


@dataclass(frozen=True)
class Candidate:
    kind: str  # "serial", "printer-file" or "usb"
    path: str  # the device file, or vendor:product for a USB device
    description: str
    writable: bool
    problem: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "path": self.path, "description": self.description,
                "writable": self.writable, "problem": self.problem or None}


def _group(path: Path) -> str:
    try:
        import grp

        return grp.getgrgid(path.stat().st_gid).gr_name
    except (ImportError, KeyError, OSError):
        return ""


def _problem(path: Path, kind: str) -> str:
    group = _group(path) or ("lp" if kind == "printer-file" else "dialout")
    if group == "root":
        return _("no write access: install a udev rule that gives the device to the lp or dialout group")
    return _("no write access: add the user to the {group} group (sudo usermod -aG {group} $USER, then log in again)").format(group=group)


def _real_uart(name: str, sys_root: Path) -> bool:
    """ttyS0-31 exist on most PCs whether or not a UART is behind them; sysfs type 0 means none."""
    type_file = sys_root / "class" / "tty" / name / "type"
    try:
        return type_file.read_text().strip() != "0"
    except OSError:
        return True


def device_files(dev_root: Path = Path("/dev"), sys_root: Path = Path("/sys")) -> list[Candidate]:
    found: list[Candidate] = []
    for kind, patterns in (("serial", SERIAL_PATTERNS), ("printer-file", PRINTER_PATTERNS)):
        for pattern in patterns:
            for path in sorted(dev_root.glob(pattern)):
                if pattern == "ttyS*" and not _real_uart(path.name, sys_root):
                    continue
                writable = os.access(path, os.R_OK | os.W_OK)
                what = {"ttyUSB": "USB-serial adapter", "ttyACM": "USB modem-class device (many scanners)",
                        "ttyS": "serial port"}.get(path.name.rstrip("0123456789"), "USB printer (usblp)")
                found.append(Candidate(kind, str(path), what, writable, "" if writable else _problem(path, kind)))
    return found


def usb_printers() -> tuple[list[Candidate], str]:
    """USB devices of the printer class (7) through pyusb, and a note when they cannot be listed."""
    try:
        import usb.core
    except ImportError:
        return [], _("pyusb is not installed: USB printers are not listed (pip install pyusb)")
    try:
        devices = list(usb.core.find(find_all=True))
    except usb.core.NoBackendError:
        return [], _("no libusb backend: install libusb-1.0 to list USB printers")
    found = []
    for device in devices:
        classes = {device.bDeviceClass}
        try:
            classes |= {intf.bInterfaceClass for cfg in device for intf in cfg}
        except Exception:  # reading descriptors may need rights the user lacks
            pass
        if 7 in classes:
            ident = f"{device.idVendor:04x}:{device.idProduct:04x}"
            found.append(Candidate("usb", ident, _("USB printer (printer.usb_vendor {idVendor:04x}, "
                                                   "printer.usb_product {idProduct:04x})").format(idVendor=device.idVendor, idProduct=device.idProduct), True))
    return found, ""
