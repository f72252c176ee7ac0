"""The printer, drawer and scanner the settings describe (`printer.*`, `drawer.*`, `scanner.*`).

Drivers are imported only for the type in use, so a shop with the simulated
printer never loads python-escpos. A type of `none` gives None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_tui.errors import ConfigError
from pos_tui.i18n import _

if TYPE_CHECKING:
    from pos_tui.config import Settings
    from pos_tui.hardware.base import Drawer, Printer
    from pos_tui.hardware.scanner import SerialScanner


def timeout_s(settings: Settings) -> float:
    return float(str(settings.get("printer.timeout_s")))


def _need(settings: Settings, name: str, what: str) -> str:
    value = str(settings.get(name) or "").strip()
    if not value:
        raise ConfigError(_("{what} needs {name}; set it with `pos config set {name} VALUE`").format(what=what, name=name))
    return value


def describe_printer(settings: Settings) -> str:
    """Where the configured printer is, in words (for `pos hardware list`)."""
    kind = settings.get("printer.type")
    if kind == "network":
        return f"{settings.get('printer.host') or '?'}:{settings.get('printer.port')}"
    if kind == "usb":
        return f"usb {settings.get('printer.usb_vendor') or '?'}:{settings.get('printer.usb_product') or '?'}"
    if kind in ("serial", "file"):
        return str(settings.get("printer.device") or "?")
    if kind == "simulated":
        return str(settings.home / "receipts")
    return ""


def make_printer(settings: Settings, *, timeout: float | None = None) -> Printer | None:
    """The configured receipt printer (not opened yet); `timeout` overrides printer.timeout_s."""
    kind = settings.get("printer.type")
    if kind == "none":
        return None
    if kind == "simulated":
        from pos_tui.hardware.simulated import SimulatedPrinter

        return SimulatedPrinter(settings.home / "receipts")
    from pos_tui.hardware import escpos_printer as ep

    wait = timeout if timeout is not None else timeout_s(settings)
    profile = str(settings.get("printer.profile"))
    encoding = str(settings.get("printer.encoding"))
    if kind == "network":
        host = _need(settings, "printer.host", _("a network printer"))
        return ep.network_printer(host, int(settings.get("printer.port")), timeout_s=wait, profile=profile,
                                  encoding=encoding)
    if kind == "serial":
        device = _need(settings, "printer.device", _("a serial printer"))
        return ep.serial_printer(device, int(settings.get("printer.baud")), timeout_s=wait, profile=profile,
                                  encoding=encoding)
    if kind == "file":
        device = str(settings.get("printer.device") or "/dev/usb/lp0")
        return ep.file_printer(device, timeout_s=wait, profile=profile, encoding=encoding)
    if kind == "usb":
        vendor = int(_need(settings, "printer.usb_vendor", _("a USB printer")), 16)
        product = int(_need(settings, "printer.usb_product", _("a USB printer")), 16)
        return ep.usb_printer(vendor, product, timeout_s=wait, profile=profile, encoding=encoding)
    raise ConfigError(_("printer.type {kind!r} is not one this version knows").format(kind=kind))


def make_drawer(settings: Settings, printer: Any = None, *, timeout: float | None = None) -> Drawer | None:
    """The configured cash drawer; a printer-kicked drawer uses `printer` (or makes the configured one)."""
    kind = settings.get("drawer.type")
    if kind == "none":
        return None
    if kind == "simulated":
        from pos_tui.hardware.simulated import SimulatedDrawer

        return SimulatedDrawer(settings.home / "receipts")
    pulse = dict(on_ms=int(settings.get("drawer.pulse_on_ms")), off_ms=int(settings.get("drawer.pulse_off_ms")))
    level = str(settings.get("drawer.sensor_open_level"))
    if kind == "printer":
        from pos_tui.hardware.drawer_kick import PrinterDrawer
        from pos_tui.hardware.escpos_printer import EscposPrinter

        if printer is None:
            printer = make_printer(settings, timeout=timeout)
        if not isinstance(printer, EscposPrinter):
            raise ConfigError(
                _("drawer.type printer needs an ESC/POS printer (printer.type usb, serial, network or file); use "
                  "drawer.type simulated with the simulated printer")
            )
        return PrinterDrawer(printer, pin=int(settings.get("drawer.pin")), sensor_open_level=level, **pulse)
    if kind == "serial":
        from pos_tui.hardware.serial_drawer import SerialDrawer, parse_trigger

        return SerialDrawer(
            _need(settings, "drawer.device", _("a serial drawer")), baud=int(settings.get("drawer.baud")),
            trigger=parse_trigger(str(settings.get("drawer.trigger"))), repeat=int(settings.get("drawer.repeat")),
            pulse_line=str(settings.get("drawer.pulse_line")), pulse_ms=pulse["on_ms"],
            sensor_line=str(settings.get("drawer.sensor_line")), sensor_open_level=level,
            timeout_s=timeout if timeout is not None else timeout_s(settings),
        )
    raise ConfigError(_("drawer.type {kind!r} is not one this version knows").format(kind=kind))


def make_scanner(settings: Settings, *, timeout: float | None = None) -> SerialScanner | None:
    """The serial scanner, or None for a keyboard wedge (which types into the till like a keyboard)."""
    if settings.get("scanner.type") != "serial":
        return None
    from pos_tui.hardware.scanner import SerialScanner

    return SerialScanner(
        _need(settings, "scanner.device", _("a serial scanner")), baud=int(settings.get("scanner.baud")),
        timeout_s=timeout if timeout is not None else timeout_s(settings),
        prefix=str(settings.get("scanner.prefix")), min_length=int(settings.get("scanner.min_length")),
    )
