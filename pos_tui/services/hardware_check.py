"""Checking the shop's devices from the shell: their live status, a test page, a test kick, test scans.

Reading a device's status changes nothing, so it needs no permission; a test
kick opens the cash drawer, so it needs `settings.edit` and leaves an audit
row (`drawer.open`, reason "test", with the outcome) whether or not it worked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from pos_tui.config import Settings
from pos_tui.hardware import base as hw
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

LIST_TIMEOUT_S = 1.0  # `pos hardware list` must come back fast even with a dead printer
CJK_SAMPLE = "合计 テスト 한글"
CHINESE_SAMPLE = "合计 找零 现金 谢谢惠顾"  # words a Chinese receipt prints


@dataclass(frozen=True)
class DeviceReport:
    device: str  # printer, drawer or scanner
    type: str
    where: str
    status: dict[str, Any] | None = None  # None: the device cannot tell
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"device": self.device, "type": self.type, "where": self.where, "status": self.status,
                "error": self.error}


def _short(settings: Settings) -> float:
    from pos_tui.hardware.devices import timeout_s

    return min(timeout_s(settings), LIST_TIMEOUT_S)


def device_reports(settings: Settings) -> list[DeviceReport]:
    """Each configured device and what it says about itself now, within a short timeout."""
    from pos_tui.errors import PosError
    from pos_tui.hardware.devices import describe_printer, make_drawer, make_printer

    reports: list[DeviceReport] = []
    wait = _short(settings)
    printer: Any = None
    kind = settings.get("printer.type")
    try:
        printer = make_printer(settings, timeout=wait)
        status = printer.status() if printer is not None else None
        reports.append(DeviceReport("printer", kind, describe_printer(settings),
                                    status.as_dict() if status is not None else None))
    except PosError as exc:
        reports.append(DeviceReport("printer", kind, describe_printer(settings), error=str(exc)))
    kind = settings.get("drawer.type")
    where = {"printer": "printer's drawer port, pin " + str(settings.get("drawer.pin")),
             "serial": str(settings.get("drawer.device"))}.get(kind, "")
    try:
        drawer = make_drawer(settings, printer if kind == "printer" else None, timeout=wait)
        state = drawer.is_open() if drawer is not None else None
        reports.append(DeviceReport("drawer", kind, where, None if state is None else {"open": state}))
        if drawer is not None:
            drawer.close()
    except PosError as exc:
        reports.append(DeviceReport("drawer", kind, where, error=str(exc)))
    finally:
        if printer is not None:
            printer.close()
    scanner = settings.get("scanner.type")
    reports.append(DeviceReport("scanner", scanner, str(settings.get("scanner.device")) if scanner == "serial" else
                                _("keyboard wedge: types into the till")))
    return reports


def page_lines(width: int, language: str = "en", *, chinese: bool = False) -> list[str]:
    """The test page in `language`; `chinese` adds a line of the words a Chinese receipt prints."""
    from pos_tui.hardware.text_width import center
    from pos_tui.i18n import translation

    _ = translation(language).gettext
    lines = [
        center(_("pos-tui test page"), width),
        "",
        "0123456789" * (width // 10) + "0123456789"[: width % 10],
        _("{width} columns; a CJK line:").format(width=width),
        CJK_SAMPLE,
        "Accents: café naïve",
    ]
    if chinese:
        lines += [_("Chinese receipt text:"), CHINESE_SAMPLE]
    return lines + ["-" * width]


def print_test_page(settings: Settings) -> dict[str, Any]:
    """A test page (ruler, CJK line, CODE128 barcode, cut); its status after, or a HardwareError."""
    from pos_tui.errors import ConfigError
    from pos_tui.hardware.devices import make_printer

    printer = make_printer(settings)
    if printer is None:
        raise ConfigError(_("printer.type is none: there is no printer to test; set printer.type first"))
    try:
        language = str(settings.get("locale"))
        chinese = language == "zh_CN" or settings.get("printer.encoding") == "gb18030"
        lines = page_lines(int(settings.get("printer.width")), language, chinese=chinese)
        printer.print_receipt("test-page", lines, "TEST-PAGE")
        status = printer.status()
    finally:
        printer.close()
    return {"printer": settings.get("printer.type"), "printed": True,
            "status": status.as_dict() if status is not None else None}


@dataclass
class DrawerTest:
    opened_before: bool | None
    opened_after: bool | None
    outcome: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"open_before": self.opened_before, "open_after": self.opened_after, "outcome": self.outcome}


def try_drawer(actor: Actor, settings: Settings, *, settle_s: float = 0.5) -> DrawerTest:
    """Kick the drawer with its sensor read before and after; audited either way, then any fault raised."""
    from pos_tui.errors import ConfigError
    from pos_tui.hardware.devices import make_drawer

    require(actor, "settings.edit")
    drawer = make_drawer(settings)
    if drawer is None:
        raise ConfigError(_("drawer.type is none: there is no drawer to test; set drawer.type first"))
    lane = str(settings.get("lane"))
    before: bool | None = None
    try:
        before = drawer.is_open()
        drawer.open("test")
        after = _settled(drawer, settle_s)
    except hw.HardwareError as exc:
        audit.record_now("drawer.open", actor, lane, reason="test", outcome="failed", error=str(exc))
        raise
    finally:
        drawer.close()
        printer = getattr(drawer, "printer", None)
        if printer is not None:
            printer.close()
    outcome = "opened" if after else ("kicked, no sensor" if after is None else "kicked, still closed")
    audit.record_now("drawer.open", actor, lane, reason="test", outcome=outcome, before=before, after=after)
    return DrawerTest(before, after, outcome)


def _settled(drawer: hw.Drawer, settle_s: float) -> bool | None:
    """The sensor after the kick: the drawer takes a moment to spring open."""
    deadline = time.monotonic() + settle_s
    while True:
        state = drawer.is_open()
        if state is not False or time.monotonic() >= deadline:
            return state
        time.sleep(0.05)


@dataclass(frozen=True)
class ScanReport:
    code: str
    suffix: str  # enter, tab or none
    suffix_matches: bool
    check_digit: str  # ok, bad (with the reason) or n/a (not a GTIN)
    problem: str = ""
    keys: int = 0
    ms_total: int | None = None  # key timing, when the scan was read from a terminal
    ms_max_gap: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "suffix": self.suffix, "suffix_matches": self.suffix_matches,
                "check_digit": self.check_digit, "problem": self.problem or None, "keys": self.keys,
                "ms_total": self.ms_total, "ms_max_gap": self.ms_max_gap}


def scan_report(settings: Settings, raw: str, suffix: str, times: list[float] | None = None) -> ScanReport:
    """What one scan says about the scanner's set-up: its suffix, its prefix, its check digit."""
    from pos_tui.domain.barcodes import GTIN_LENGTHS, gtin_problem

    code = raw.strip()
    prefix = str(settings.get("scanner.prefix"))
    if prefix and code.startswith(prefix):
        code = code[len(prefix):]
    if code.isdigit() and len(code) in GTIN_LENGTHS:
        problem = gtin_problem(code) or ""
        check = "bad" if problem else "ok"
    else:
        problem, check = "", "n/a"
    if len(code) < int(settings.get("scanner.min_length")):
        problem = problem or _("shorter than scanner.min_length ({get}): ignored at the till").format(get=settings.get('scanner.min_length'))
    total = gap = None
    if times and len(times) > 1:
        total = round((times[-1] - times[0]) * 1000)
        gap = round(max(b - a for a, b in zip(times, times[1:])) * 1000)
    return ScanReport(code, suffix, suffix == settings.get("scanner.suffix"), check, problem,
                      len(times or ()) or len(raw), total, gap)


def detect_devices(dev_root: str = "/dev", sys_root: str = "/sys") -> tuple[list[dict[str, Any]], list[str]]:
    """Candidate device files and USB printers, and notes on what could not be looked at."""
    from pathlib import Path

    from pos_tui.hardware.detect import device_files, usb_printers

    found = device_files(Path(dev_root), Path(sys_root))
    usb, note = usb_printers() if dev_root == "/dev" else ([], "")
    return [c.as_dict() for c in found + usb], [note] if note else []
