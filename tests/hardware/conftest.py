"""A small sale as receipt data, the way a corner shop rings one up."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.hardware.receipt import ReceiptData, ReceiptLine, TaxLine, TenderLine


@pytest.fixture
def small_sale() -> ReceiptData:
    """Milk, two loaves with 0.50 off, 350 g of apples; paid 20.00 cash, prices include VAT."""
    return ReceiptData(
        shop_name="Corner Shop",
        address_lines=("1 High Street", "Springfield"),
        tax_id="GB123456789",
        lane="1",
        cashier="alice",
        receipt_no="1-000042",
        time=datetime(2026, 11, 26, 14, 3, tzinfo=ZoneInfo("Europe/London")),
        lines=(
            ReceiptLine("Whole Milk 1L", Decimal(1), 120, 120),
            ReceiptLine("Sourdough Bread", Decimal(2), 250, 450, discount=50),
            ReceiptLine("Loose Apples", Decimal("0.350"), 1290, 452, weighed=True),
        ),
        cart_discount=0,
        taxes=(TaxLine("20", 450, 75), TaxLine("5", 120, 6), TaxLine("0", 452, 0)),
        prices_include_tax=True,
        total=1022,
        tenders=(TenderLine("Cash", 2000),),
        change=978,
        footer="Thank you!",
    )


# --- device doubles: they take bytes like a printer, answer DLE EOT like one, and record everything -----

import os  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

ONLINE = 0x12  # DLE EOT answers: bits 1 and 4 always set
OFFLINE = 0x1A  # n=1, bit 3
DRAWER_PIN3_HIGH = 0x16  # n=1, bit 2
COVER_OPEN = 0x16  # n=2, bit 2
PAPER_NEAR_END = 0x1E  # n=4, bits 2-3
PAPER_OUT = 0x7E  # n=4, bits 2-3 and 5-6


class EscposDouble:
    """What a printer does with the bytes it gets: keeps them, answers each DLE EOT n with `status[n]`."""

    # The answers, as class attributes so tests reach them through the fixture (tests/ is not a package).
    ONLINE, OFFLINE, DRAWER_PIN3_HIGH = ONLINE, OFFLINE, DRAWER_PIN3_HIGH
    COVER_OPEN, PAPER_NEAR_END, PAPER_OUT = COVER_OPEN, PAPER_NEAR_END, PAPER_OUT

    def __init__(self) -> None:
        self.received = bytearray()
        self.status = {1: ONLINE, 2: ONLINE, 3: ONLINE, 4: ONLINE}
        self.answering = True
        self.hang_up_on: bytes | None = None  # drop the line when these bytes arrive (unplugged mid-job)
        self.cond = threading.Condition()
        self._scan = 0

    def take(self, data: bytes) -> tuple[bytes, bool]:
        """Record `data`; the reply to send and whether to hang up now."""
        reply = bytearray()
        with self.cond:
            self.received += data
            while True:
                at = self.received.find(b"\x10\x04", self._scan)
                if at < 0 or at + 2 >= len(self.received):
                    break
                self._scan = at + 3
                if self.answering:
                    reply.append(self.status[self.received[at + 2]])
            hang_up = self.hang_up_on is not None and self.hang_up_on in self.received
            self.cond.notify_all()
        return bytes(reply), hang_up

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float = 3.0) -> bytes:
        with self.cond:
            assert self.cond.wait_for(lambda: predicate(bytes(self.received)), timeout), bytes(self.received)
            return bytes(self.received)

    def job(self) -> bytes:
        """What arrived, without the status requests (DLE EOT n) the driver sent around it."""
        with self.cond:
            data = bytes(self.received)
        for n in (1, 2, 3, 4):
            data = data.replace(b"\x10\x04" + bytes([n]), b"")
        return data


class TcpPrinter(EscposDouble):
    """A network printer on 127.0.0.1 (port 9100 when free, else any port)."""

    def __init__(self, port: int = 9100) -> None:
        """`port` 0 takes any free port: for a test that must know nobody else listens there after it."""
        super().__init__()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.listener.bind(("127.0.0.1", port))
        except OSError:
            self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(4)
        self.listener.settimeout(0.05)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(0.05)
                while not self.stopped.is_set():
                    try:
                        data = conn.recv(4096)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    reply, hang_up = self.take(data)
                    if hang_up:
                        break
                    if reply:
                        conn.sendall(reply)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(2)
        self.listener.close()


class PtyPrinter(EscposDouble):
    """A serial printer: the driver opens the pty's slave end; this double works the master end."""

    def __init__(self) -> None:
        super().__init__()
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        self.stopped = threading.Event()
        self.reading = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import select

        while not self.stopped.is_set():
            if not self.reading:
                self.stopped.wait(0.02)
                continue
            try:
                ready = select.select([self.master], [], [], 0.05)[0]
                if not ready:
                    continue
                data = os.read(self.master, 4096)
            except OSError:
                return
            reply, hang_up = self.take(data)
            if hang_up:
                self.unplug()
                return
            if reply:
                os.write(self.master, reply)

    def unplug(self) -> None:
        """Both ends gone, as when the USB-serial adapter is pulled: the driver's next write fails with EIO."""
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass
        self.master = self.slave = -1

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(2)
        self.unplug()


@pytest.fixture
def tcp_printer() -> Iterator[TcpPrinter]:
    double = TcpPrinter()
    yield double
    double.stop()


@pytest.fixture
def pty_printer() -> Iterator[PtyPrinter]:
    double = PtyPrinter()
    yield double
    double.stop()


@pytest.fixture
def closed_port() -> int:
    """A local TCP port with nothing listening on it."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A device path the OS refuses to open for writing (EACCES), even for root.

    A chmod 000 file does it for a normal user; root ignores modes, but sysfs
    still refuses to open a read-only attribute for writing. Where neither
    works, the errno is injected at os.open for that one path.
    """
    path = tmp_path / "lp0"
    path.write_bytes(b"")
    path.chmod(0)
    if not os.access(path, os.W_OK):
        return path
    for candidate in ("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "/sys/kernel/notes",
                      "/sys/kernel/address_bits", "/sys/devices/system/cpu/possible"):
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_NONBLOCK)
        except PermissionError:
            return Path(candidate)
        except OSError:
            continue
        os.close(fd)
    real_open = os.open

    def refusing_open(name, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    return path
