"""Receipt printers that speak ESC/POS, through python-escpos, each call bounded by a timeout.

python-escpos's own transports wait forever in places (USB writes without a
timeout, serial writes without a write timeout, a 60 s socket timeout), so
each transport below is its library class with the waits bounded. The
printer asks the device for its status (DLE EOT) before a job, so a receipt
is not sent into an empty roll, and after it, because a network write
"succeeds" into a dead socket and only the missing answer tells.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import select
import time
from collections.abc import Callable, Iterator
from typing import Any

from pos_tui.hardware.escpos_cache import keep_capabilities, use_cached_capabilities

use_cached_capabilities()
from escpos.printer import File, Network, Serial, Usb  # noqa: E402  (after the cache is set)

from pos_tui.hardware import escpos_status as st
from pos_tui.hardware.base import CoverOpen, HardwareError, Offline, PaperOut, PrinterStatus, Timeout
from pos_tui.hardware.errors_map import device_errors
from pos_tui.i18n import _

keep_capabilities()

ESC_INIT = b"\x1b@"  # clears the previous job's modes (bold, code page, alignment)
FS_KANJI_ON = b"\x1c&"  # multi-byte (GB18030 / Kanji) characters on
FS_KANJI_OFF = b"\x1c."
# The characters python-escpos sends as GB18030 rather than through a code page.
_HAN = re.compile(r"[\u4e00-\u9fa5]")
# printer.encoding: "auto" lets python-escpos pick code pages from the profile (Han lines in GB18030);
# "gb18030" is for CJK printers: ASCII as it is, any other line in GB18030 between FS & and FS .
ENCODINGS = ("auto", "gb18030")


class NetworkPort(Network):
    """A raw TCP printer (port 9100); a closed connection is an error, not an empty answer."""

    def _read(self) -> bytes:
        data = self.device.recv(16)  # type: ignore[union-attr]
        if not data:
            raise ConnectionResetError(errno.ECONNRESET, _("the printer closed the connection"))
        return data


class SerialPort(Serial):
    """A serial printer with a write timeout (pyserial has none by default); `devfile` may be a pyserial URL."""

    def open(self, raise_not_found: bool = True) -> None:
        import serial

        if self._device:
            self.close()
        self.device = serial.serial_for_url(
            self.devfile, baudrate=self.baudrate, timeout=self.timeout, write_timeout=self.timeout,
            rtscts=False, dsrdtr=False, xonxoff=False,
        )

    def _read(self) -> bytes:
        return self.device.read(1)  # type: ignore[union-attr]

    def close(self) -> None:
        device, self._device = self._device, False
        if device:
            with contextlib.suppress(Exception):
                device.reset_output_buffer()  # a dead printer must not hold close() for the tty's 30 s drain
            with contextlib.suppress(Exception):
                device.close()


class DeviceFile(File):
    """/dev/usb/lp0 and the like: opened non-blocking, so a stuck printer cannot hold a write forever."""

    def __init__(self, devfile: str, timeout: float, **kwargs: Any) -> None:
        super().__init__(devfile=devfile, **kwargs)
        self.timeout = timeout

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        fd = os.open(self.devfile, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_NOCTTY)
        self.device = os.fdopen(fd, "wb", buffering=0)

    def _raw(self, msg: bytes) -> None:
        fd = self.device.fileno()  # type: ignore[union-attr]
        deadline = time.monotonic() + self.timeout
        view = memoryview(msg)
        while view:
            try:
                view = view[os.write(fd, view):]
                continue
            except BlockingIOError:
                pass
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise TimeoutError(errno.ETIMEDOUT, _("{devfile} took no data for {timeout:g} s").format(devfile=self.devfile, timeout=self.timeout))

    def close(self) -> None:
        device, self._device = self._device, False
        if device:
            with contextlib.suppress(OSError):
                device.close()


class UsbPort(Usb):
    """A USB printer with its timeout (milliseconds, as pyusb counts) on reads as well as writes."""

    def _read(self) -> bytes:
        return bytes(self.device.read(self.in_ep, 16, self.timeout))  # type: ignore[union-attr]


def usb_available() -> bool:
    try:
        import usb.core  # noqa: F401
    except ImportError:
        return False
    return True


class EscposPrinter:
    """One ESC/POS printer behind a transport; opens on first use and again after a failure."""

    def __init__(self, connect: Callable[[], Any], label: str, *, answers_status: bool = True,
                 encoding: str = "auto") -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"printer encoding {encoding!r} is not one of {', '.join(ENCODINGS)}")
        self._connect = connect
        self.label = label
        self.answers_status = answers_status
        self.encoding = encoding
        self.last_status: PrinterStatus | None = None
        self._dev: Any = None

    # --- the Printer protocol -----------------------------------------------------------------

    def print_receipt(self, name: str, lines: list[str], barcode: str | None = None) -> None:
        with self._guard():
            if self.answers_status:
                _refuse_unready(self.status(), self.label, _("receipt {name} was not printed").format(name=name))
            device = self._device()
            device._raw(ESC_INIT)
            device.magic.encoding = None  # ESC @ reset the code page: say it again before the next text
            write = self._line if self.encoding == "auto" else self._line_gb18030
            for line in lines:
                write(device, line)
            if barcode:
                with contextlib.redirect_stdout(io.StringIO()):  # the library prints which renderer it used
                    device.barcode("{B" + barcode.replace("{", "{{"), "CODE128", function_type="B")
            device.cut()
            if self.answers_status:
                _refuse_unready(self.status(), self.label, _("receipt {name} may be incomplete").format(name=name))

    def status(self) -> PrinterStatus | None:
        if not self.answers_status:
            return None
        with self._guard():
            printer = self._ask(st.PRINTER)
            cause = self._ask(st.OFFLINE_CAUSE)
            roll = self._ask(st.ROLL_PAPER)
        self.last_status = PrinterStatus(online=st.online(printer), paper=st.paper(roll), cover_open=st.cover_open(cause))
        return self.last_status

    def close(self) -> None:
        device, self._dev = self._dev, None
        if device is not None:
            with contextlib.suppress(Exception):
                device.close()

    # --- for a drawer wired to the printer -------------------------------------------------------

    def send(self, data: bytes) -> None:
        """Raw ESC/POS bytes (the drawer kick)."""
        with self._guard():
            self._device()._raw(data)

    def drawer_pin3_high(self) -> bool | None:
        """The drawer connector's pin 3 (DLE EOT 1, bit 2), or None when the device cannot answer."""
        if not self.answers_status:
            return None
        with self._guard():
            return st.drawer_pin3_high(self._ask(st.PRINTER))

    # --- inside -------------------------------------------------------------------------------------

    def _device(self) -> Any:
        if self._dev is None:
            device = self._connect()
            device.open()
            self._dev = device
        return self._dev

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Library errors become ours; after any failure the connection is dropped and reopened next time."""
        try:
            with device_errors(self.label):
                yield
        except HardwareError:
            self.close()
            raise

    def _ask(self, n: int) -> int:
        device = self._device()
        device._raw(st.query(n))
        answer = device._read()
        if not answer:
            raise Timeout(_("{label} did not answer its status request").format(label=self.label))
        good = [byte for byte in answer if st.is_status(byte)]
        if not good:
            raise HardwareError(_("{label} answered its status request with {hex}").format(label=self.label, hex=answer.hex()),
                                _("check printer.type and printer.baud"))
        return good[-1]

    @staticmethod
    def _line_gb18030(device: Any, line: str) -> None:
        """Exact bytes, no code page switching: what a CJK printer's GB18030 (Kanji) mode reads."""
        if line.isascii():
            device._raw(line.encode("ascii") + b"\n")
        else:
            # GB18030 covers all of Unicode; only a lone surrogate can fail, and it becomes "?".
            device._raw(FS_KANJI_ON + line.encode("gb18030", errors="replace") + b"\n" + FS_KANJI_OFF)

    @staticmethod
    def _line(device: Any, line: str) -> None:
        if _HAN.search(line):
            device._raw(FS_KANJI_ON)
            device.text(line + "\n")
            device._raw(FS_KANJI_OFF)
        else:
            device.text(line + "\n")


def _refuse_unready(status: PrinterStatus | None, label: str, what: str) -> None:
    if status is None or status.ready:
        return
    if status.cover_open:
        raise CoverOpen(_("{label}: the cover is open; {what}").format(label=label, what=what))
    if status.paper == "out":
        raise PaperOut(_("{label}: out of paper; {what}").format(label=label, what=what))
    raise Offline(_("{label} is offline; {what}").format(label=label, what=what))


# --- the four transports ------------------------------------------------------------------------------


def network_printer(host: str, port: int = 9100, *, timeout_s: float, profile: str = "default",
                    encoding: str = "auto") -> EscposPrinter:
    return EscposPrinter(lambda: NetworkPort(host=host, port=port, timeout=timeout_s, profile=profile),
                         _("the printer at {host}:{port}").format(host=host, port=port), encoding=encoding)


def serial_printer(device: str, baud: int = 9600, *, timeout_s: float, profile: str = "default",
                   encoding: str = "auto") -> EscposPrinter:
    return EscposPrinter(lambda: SerialPort(devfile=device, baudrate=baud, timeout=timeout_s, profile=profile),
                         _("the printer on {device}").format(device=device), encoding=encoding)


def file_printer(device: str = "/dev/usb/lp0", *, timeout_s: float, profile: str = "default",
                 encoding: str = "auto") -> EscposPrinter:
    """A device file cannot be asked for its status: status() is None, jobs are not checked."""
    return EscposPrinter(lambda: DeviceFile(device, timeout_s, profile=profile), _("the printer on {device}").format(device=device),
                         answers_status=False, encoding=encoding)


def usb_printer(vendor: int, product: int, *, timeout_s: float, profile: str = "default",
                encoding: str = "auto") -> EscposPrinter:
    label = _("the USB printer {vendor:04x}:{product:04x}").format(vendor=vendor, product=product)
    if not usb_available():
        raise HardwareError(_("{label} needs pyusb, which is not installed").format(label=label),
                            _("install pyusb and libusb-1.0, or use printer.type file with /dev/usb/lp0"))
    return EscposPrinter(
        lambda: UsbPort(idVendor=vendor, idProduct=product, timeout=max(1, int(timeout_s * 1000)), profile=profile),
        label, encoding=encoding,
    )
