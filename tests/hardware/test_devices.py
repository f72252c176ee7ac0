"""The settings pick the device; bad hardware settings are refused before they are saved."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import pytest

from pos_tui.config import Settings, load_settings
from pos_tui.errors import ConfigError
from pos_tui.hardware import base as hw
from pos_tui.hardware import escpos_status as st
from pos_tui.hardware.devices import make_drawer, make_printer, make_scanner
from pos_tui.hardware.errors_map import map_error


def settings(tmp_path: Path, **values: object) -> Settings:
    current = Settings(home=tmp_path)
    for name, value in values.items():
        current.set(name.replace("__", "."), str(value))
    return current


def test_defaults_are_simulated(tmp_path: Path) -> None:
    from pos_tui.hardware.simulated import SimulatedDrawer, SimulatedPrinter

    current = settings(tmp_path)
    assert isinstance(make_printer(current), SimulatedPrinter)
    assert isinstance(make_drawer(current), SimulatedDrawer)
    assert make_scanner(current) is None  # a keyboard wedge needs no driver


def test_none_gives_none(tmp_path: Path) -> None:
    current = settings(tmp_path, printer__type="none", drawer__type="none")
    assert make_printer(current) is None
    assert make_drawer(current) is None


def test_network_printer_and_its_drawer_from_settings(tmp_path: Path, tcp_printer) -> None:
    current = settings(tmp_path, printer__type="network", printer__host="127.0.0.1", printer__port=tcp_printer.port,
                       printer__timeout_s="0.3", drawer__type="printer", drawer__pin=5, drawer__pulse_on_ms=100)
    printer = make_printer(current)
    drawer = make_drawer(current, printer)
    drawer.open("sale")
    tcp_printer.wait_for(lambda data: b"\x1bp" in data)
    assert tcp_printer.job() == b"\x1bp\x01\x32\xfa"
    printer.print_receipt("1-1", ["x"])
    assert printer.status() == hw.PrinterStatus(online=True)


def test_printer_drawer_needs_an_escpos_printer(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="drawer.type printer needs an ESC/POS printer"):
        make_drawer(settings(tmp_path, drawer__type="printer"))


def test_missing_device_setting_says_which(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pos config set printer.host"):
        make_printer(settings(tmp_path, printer__type="network"))
    with pytest.raises(ConfigError, match="drawer.device"):
        make_drawer(settings(tmp_path, drawer__type="serial"))


def test_usb_without_pyusb_says_what_to_install(tmp_path: Path) -> None:
    from pos_tui.hardware.escpos_printer import usb_available

    current = settings(tmp_path, printer__type="usb", printer__usb_vendor="04b8", printer__usb_product="0202")
    if usb_available():
        assert make_printer(current) is not None
    else:
        with pytest.raises(hw.HardwareError, match="install pyusb"):
            make_printer(current)


def test_serial_scanner_reads_codes_line_by_line(tmp_path: Path) -> None:
    scanner = make_scanner(settings(tmp_path, scanner__type="serial", scanner__device="loop://",
                                    scanner__prefix="]E0", scanner__min_length=4))
    scanner._port().write(b"]E04006381333931\r\n12\r]E05000112637922\r")
    assert scanner.read_code(0.3) == "4006381333931"
    assert scanner.read_code(0.3) == "5000112637922"  # "12" is too short: noise
    assert scanner.read_code(0.2) is None


def test_serial_scanner_missing_port(tmp_path: Path) -> None:
    scanner = make_scanner(settings(tmp_path, scanner__type="serial", scanner__device=str(tmp_path / "ttyACM7")))
    with pytest.raises(hw.DeviceMissing):
        scanner.read_code(0.2)


# --- settings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("drawer.pulse_on_ms", "600", "0 to 510"),
    ("drawer.pulse_off_ms", "-5", "0 to 510"),
    ("drawer.trigger", "7g", "hex bytes like 07"),
    ("drawer.pin", "3", "one of 2, 5"),
    ("printer.port", "70000", "1 to 65535"),
    ("printer.host", "not a host!", "host name or IP"),
    ("printer.usb_vendor", "epson", "four hex digits"),
    ("printer.timeout_s", "0", "0.1 to 60"),
    ("printer.baud", "9601", "baud rate"),
    ("printer.profile", "TM-T88", "did you mean"),
    ("printer.type", "bluetooth", "usb, serial, network"),
    ("drawer.sensor_open_level", "up", "high, low"),
    ("scanner.type", "camera", "keyboard, serial"),
])
def test_bad_hardware_settings_are_refused(tmp_path: Path, key: str, value: str, fragment: str) -> None:
    current = Settings(home=tmp_path)
    before = current.get(key)
    with pytest.raises(ConfigError, match=fragment) as refused:
        current.set(key, value)
    assert str(refused.value).startswith(key)
    assert current.get(key) == before


def test_old_receipt_width_loads_as_printer_width(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[receipt]\nwidth = "32"\n', encoding="utf-8")
    current = load_settings(tmp_path)
    assert current.get("printer.width") == "32"
    with pytest.raises(ConfigError, match="now called printer.width"):
        current.get("receipt.width")


# --- status bytes and the error map ----------------------------------------------------------------------


def test_status_bits() -> None:
    assert st.query(1) == b"\x10\x04\x01"
    assert st.is_status(0x12) and not st.is_status(0x00) and not st.is_status(0xFF)
    assert st.online(0x12) and not st.online(0x1A)
    assert st.drawer_pin3_high(0x16) and not st.drawer_pin3_high(0x12)
    assert st.cover_open(0x16) and not st.cover_open(0x12)
    assert [st.paper(b) for b in (0x12, 0x1E, 0x72, 0x7E)] == ["ok", "near_end", "out", "out"]


@pytest.mark.parametrize(("exc", "kind"), [
    (FileNotFoundError(errno.ENOENT, "No such file"), hw.DeviceMissing),
    (PermissionError(errno.EACCES, "Permission denied"), hw.PermissionDenied),
    (OSError(errno.EIO, "Input/output error"), hw.Offline),
    (BrokenPipeError(errno.EPIPE, "Broken pipe"), hw.Offline),
    (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), hw.Offline),
    (socket.timeout("timed out"), hw.Timeout),
    (TimeoutError(), hw.Timeout),
])
def test_library_errors_become_ours(exc: BaseException, kind: type) -> None:
    assert type(map_error(exc, "the printer")) is kind


def test_errors_wrapped_by_escpos_are_looked_through() -> None:
    import serial
    from escpos.exceptions import DeviceNotFoundError

    try:
        try:
            raise serial.SerialException(errno.EACCES, "could not open port /dev/ttyS0")
        except serial.SerialException:
            raise DeviceNotFoundError("Unable to open serial printer on /dev/ttyS0")
    except DeviceNotFoundError as wrapped:
        assert type(map_error(wrapped, "the printer")) is hw.PermissionDenied
    assert type(map_error(DeviceNotFoundError("gone"), "the printer")) is hw.DeviceMissing
    assert type(map_error(serial.SerialTimeoutException("Write timeout"), "the printer")) is hw.Timeout
