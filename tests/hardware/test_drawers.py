"""Cash drawers: kicked through the printer (ESC p), on their own serial port, and simulated."""

from __future__ import annotations

import os
import select
import threading
import time
from pathlib import Path

import pytest

from pos_tui.errors import ConfigError
from pos_tui.hardware import base as hw
from pos_tui.hardware.drawer_kick import PrinterDrawer, kick_bytes
from pos_tui.hardware.escpos_printer import file_printer, network_printer
from pos_tui.hardware.serial_drawer import SerialDrawer, parse_trigger
from pos_tui.hardware.simulated import SimulatedDrawer

TIMEOUT = 0.3


@pytest.mark.parametrize(("pin", "on_ms", "off_ms", "expected"), [
    (2, 50, 500, b"\x1b\x70\x00\x19\xfa"),  # the defaults: pin 2, 50 ms on, 500 ms off
    (5, 100, 100, b"\x1b\x70\x01\x32\x32"),
    (2, 0, 510, b"\x1b\x70\x00\x00\xff"),  # the ends of the range
    (2, 51, 1, b"\x1b\x70\x00\x1a\x01"),  # odd milliseconds round up to the next 2 ms step
])
def test_kick_bytes_follow_esc_p(pin: int, on_ms: int, off_ms: int, expected: bytes) -> None:
    assert kick_bytes(pin, on_ms, off_ms) == expected


@pytest.mark.parametrize(("pin", "on_ms", "off_ms", "fragment"), [
    (3, 50, 500, "drawer.pin must be 2 or 5"),
    (2, 511, 500, "0-510 ms"),
    (2, 50, -1, "0-510 ms"),
])
def test_kick_refuses_what_esc_p_cannot_say(pin: int, on_ms: int, off_ms: int, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        kick_bytes(pin, on_ms, off_ms)


def test_printer_drawer_kicks_through_the_printer_and_reads_pin3(tcp_printer) -> None:
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    drawer = PrinterDrawer(printer, pin=5, on_ms=60, off_ms=240, sensor_open_level="high")
    assert drawer.is_open() is False
    drawer.open("test")
    tcp_printer.wait_for(lambda data: b"\x1bp\x01\x1e\x78" in data)
    assert tcp_printer.job() == b"\x1bp\x01\x1e\x78"
    tcp_printer.status[1] = tcp_printer.DRAWER_PIN3_HIGH  # the drawer was left open
    assert drawer.is_open() is True


def test_sensor_open_level_low_inverts_the_reading(tcp_printer) -> None:
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    drawer = PrinterDrawer(printer, sensor_open_level="low")
    assert drawer.is_open() is True  # pin 3 low
    tcp_printer.status[1] = tcp_printer.DRAWER_PIN3_HIGH
    assert drawer.is_open() is False


def test_printer_drawer_without_a_sensor_reading_is_none(tmp_path: Path) -> None:
    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    drawer = PrinterDrawer(file_printer(str(lp0), timeout_s=TIMEOUT))
    assert drawer.is_open() is None
    drawer.open("sale")
    drawer.printer.close()
    assert lp0.read_bytes() == b"\x1bp\x00\x19\xfa"


def test_printer_drawer_when_the_printer_refuses(closed_port: int) -> None:
    drawer = PrinterDrawer(network_printer("127.0.0.1", closed_port, timeout_s=TIMEOUT))
    with pytest.raises(hw.Offline, match="refused"):
        drawer.open("sale")


# --- a serial drawer ----------------------------------------------------------------------------------


def _read_master(master: int, count: int, timeout: float = 2.0) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while len(data) < count and select.select([master], [], [], max(0.0, deadline - time.monotonic()))[0]:
        data += os.read(master, 64)
    return data


def test_serial_drawer_sends_the_trigger_repeat_times() -> None:
    master, slave = os.openpty()
    try:
        drawer = SerialDrawer(os.ttyname(slave), trigger=parse_trigger("1b 70 00"), repeat=2, timeout_s=TIMEOUT)
        drawer.open("sale")
        assert _read_master(master, 6) == b"\x1bp\x00\x1bp\x00"
        assert drawer.is_open() is None  # no sensor line configured
        drawer.close()
    finally:
        os.close(master)
        os.close(slave)


def test_serial_drawer_pulses_dtr() -> None:
    """On pyserial's loop:// port DSR follows DTR, so the pulse can be watched from the port itself."""
    drawer = SerialDrawer("loop://", trigger=b"", pulse_line="dtr", pulse_ms=200, timeout_s=TIMEOUT)
    drawer._port()
    seen: list[bool] = []
    worker = threading.Thread(target=drawer.open, args=("sale",))
    worker.start()
    deadline = time.monotonic() + 2
    while not seen and time.monotonic() < deadline:
        if drawer.port.dsr:
            seen.append(True)
    worker.join(2)
    assert seen == [True]
    assert drawer.port.dsr is False  # and low again after the pulse


def test_serial_drawer_sensor_line_reads_open_and_closed() -> None:
    drawer = SerialDrawer("loop://", sensor_line="cts", sensor_open_level="high", timeout_s=TIMEOUT)
    assert drawer.is_open() is False
    drawer.port.rts = True  # loop://: CTS follows RTS, as the drawer's switch would raise it
    assert drawer.is_open() is True
    drawer.open("sale")
    assert drawer.port.read(1) == b"\x07"  # the default trigger, looped back


def test_serial_drawer_missing_device(tmp_path: Path) -> None:
    drawer = SerialDrawer(str(tmp_path / "ttyS9"), timeout_s=TIMEOUT)
    with pytest.raises(hw.DeviceMissing):
        drawer.open("sale")


def test_serial_drawer_permission_denied(unwritable: Path) -> None:
    drawer = SerialDrawer(str(unwritable), timeout_s=TIMEOUT)
    with pytest.raises(hw.PermissionDenied, match="dialout"):
        drawer.open("sale")


@pytest.mark.parametrize("text", ["", "7", "zz", "07 0", "0x"])
def test_bad_trigger_is_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="drawer.trigger must be hex bytes"):
        parse_trigger(text)


def test_trigger_forms() -> None:
    assert parse_trigger("07") == b"\x07"
    assert parse_trigger("1B,70,00") == b"\x1bp\x00"
    assert parse_trigger("0x07") == b"\x07"


# --- the simulated drawer -----------------------------------------------------------------------------


def test_simulated_drawer_opens_on_a_kick_and_closes_a_moment_later(tmp_path: Path) -> None:
    now = [100.0]
    drawer = SimulatedDrawer(tmp_path, auto_close_s=3.0, clock=lambda: now[0])
    assert drawer.is_open() is False
    drawer.open("sale 1-1")
    assert drawer.is_open() is True
    now[0] += 2.9
    assert drawer.is_open() is True
    now[0] += 0.1
    assert drawer.is_open() is False
    assert "open sale 1-1" in (tmp_path / "drawer.log").read_text(encoding="utf-8")


def test_simulated_drawer_pushed_shut(tmp_path: Path) -> None:
    drawer = SimulatedDrawer(tmp_path, auto_close_s=None)
    drawer.open("no sale")
    assert drawer.is_open() is True
    drawer.push_shut()
    assert drawer.is_open() is False
