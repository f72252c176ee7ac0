"""`pos hardware …` against the simulated devices and a TCP listener that answers like a printer."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.hardware.conftest import TcpPrinter

ADMIN_PASSWORD = "s3cret-pw"


@pytest.fixture
def net_printer(pos, ok):
    """Point the store's settings at a printer double; returns a function making one."""
    made: list[TcpPrinter] = []

    def make(answer: dict[int, int] | None) -> TcpPrinter:
        """A printer answering each DLE EOT n with answer[n]; None: it takes the bytes, never answers."""
        double = TcpPrinter(port=0)  # its own port: a stopped double must leave it refused
        if answer is None:
            double.answering = False
        else:
            double.status.update(answer)
        made.append(double)
        for key, value in (("printer.type", "network"), ("printer.host", "127.0.0.1"),
                           ("printer.port", str(double.port)), ("printer.timeout_s", "0.3")):
            ok(pos("config", "set", key, value))
        return double

    yield make
    for double in made:
        double.stop()


def test_list_shows_the_simulated_devices(pos, ok) -> None:
    data = json.loads(ok(pos("hardware", "list", "--json")))
    by_device = {d["device"]: d for d in data["devices"]}
    assert by_device["printer"]["type"] == "simulated"
    assert by_device["printer"]["status"]["ready"] is True
    assert by_device["drawer"]["status"] == {"open": False}
    assert by_device["scanner"]["type"] == "keyboard"


def test_list_reports_paper_out_on_a_network_printer(pos, ok, net_printer) -> None:
    net_printer({1: 0x12, 2: 0x12, 4: 0x7E})
    data = json.loads(ok(pos("hardware", "list", "--json")))
    printer = data["devices"][0]
    assert printer["where"].startswith("127.0.0.1:")
    assert printer["status"] == {"online": True, "paper": "out", "cover_open": False, "ready": False}


def test_list_reports_a_refusing_printer_without_failing(pos, ok, net_printer) -> None:
    double = net_printer({1: 0x12, 2: 0x12, 4: 0x12})
    double.stop()  # nothing listens on the port any more
    out = ok(pos("hardware", "list"))
    assert "refused the connection" in out.splitlines()[0]


def test_detect_lists_device_files_and_names_the_permission_fix(pos, ok, tmp_path: Path, monkeypatch) -> None:
    dev = tmp_path / "dev"
    (dev / "usb").mkdir(parents=True)
    for name in ("ttyUSB0", "ttyACM0", "usb/lp0"):
        (dev / name).write_bytes(b"")
    # Tests run as root, which os.access never refuses: refuse the one file as a normal user would be.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if str(path).endswith("lp0") else real_access(path, mode))
    data = json.loads(ok(pos("hardware", "detect", "--json", "--dev-root", str(dev), "--sys-root", str(tmp_path))))
    paths = {c["path"]: c for c in data["candidates"]}
    assert set(paths) == {str(dev / "ttyUSB0"), str(dev / "ttyACM0"), str(dev / "usb" / "lp0")}
    assert paths[str(dev / "ttyUSB0")]["writable"] is True and paths[str(dev / "ttyUSB0")]["problem"] is None
    lp0 = paths[str(dev / "usb" / "lp0")]
    assert lp0["kind"] == "printer-file" and lp0["writable"] is False
    assert "no write access" in lp0["problem"] and ("group" in lp0["problem"] or "udev" in lp0["problem"])


def test_test_printer_writes_the_test_page(pos, ok, home: Path) -> None:
    data = json.loads(ok(pos("hardware", "test", "printer", "--json")))
    assert data["printed"] is True
    page = (home / "receipts" / "test-page.txt").read_text(encoding="utf-8")
    assert "合计" in page and "|||| TEST-PAGE ||||" in page


def test_test_printer_sends_escpos_to_a_network_printer(pos, ok, net_printer) -> None:
    double = net_printer({1: 0x12, 2: 0x12, 4: 0x12})
    ok(pos("hardware", "test", "printer"))
    job = bytes(double.received)
    assert b"\x1c&" + "合计".encode("gb18030") in job
    assert b"\x1dkI\x0b{BTEST-PAGE" in job  # CODE128, 11 bytes
    assert b"\x1dV\x00" in job


def test_test_printer_hardware_fault_is_one_error_line(pos, refused, net_printer) -> None:
    net_printer(None)  # takes the bytes, never answers
    refused(pos("hardware", "test", "printer"), "stopped answering")
    net_printer({1: 0x12, 2: 0x12, 4: 0x7E})
    refused(pos("hardware", "test", "printer", "--json"), "load paper")


def _drawer_audit(home: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(home / "pos.db")
    try:
        return conn.execute("SELECT username, target, details FROM audit_log WHERE action = 'drawer.open'").fetchall()
    finally:
        conn.close()


def test_test_drawer_kicks_and_audits(pos, ok, store, home: Path) -> None:
    data = json.loads(ok(pos("hardware", "test", "drawer", "--json")))
    assert data == {"open_before": False, "open_after": True, "outcome": "opened"}
    (row,) = _drawer_audit(home)
    details = json.loads(row[2])
    assert details["reason"] == "test" and details["outcome"] == "opened"


def test_test_drawer_needs_settings_edit(pos, ok, refused, store, home: Path) -> None:
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1234\n"))
    refused(pos("hardware", "test", "drawer", "--as", "casey", "--password-stdin", input="1234\n"), "settings.edit")
    assert _drawer_audit(home) == []
    data = json.loads(ok(pos("hardware", "test", "drawer", "--json", "--as", "owner", "--password-stdin",
                             input=ADMIN_PASSWORD + "\n")))
    assert data["outcome"] == "opened"
    assert [r[0] for r in _drawer_audit(home)] == ["owner"]


def test_test_drawer_fault_is_audited_and_fails(pos, ok, refused, store, home: Path, net_printer) -> None:
    double = net_printer({1: 0x12, 2: 0x12, 4: 0x12})
    double.stop()
    ok(pos("config", "set", "drawer.type", "printer"))
    refused(pos("hardware", "test", "drawer"), "refused the connection")
    (row,) = _drawer_audit(home)
    assert json.loads(row[2])["outcome"] == "failed"


def test_test_drawer_left_open_and_kicked_again(pos, ok, store, net_printer) -> None:
    net_printer({1: 0x16, 2: 0x12, 4: 0x12})  # pin 3 high: the drawer is open
    ok(pos("config", "set", "drawer.type", "printer"))
    data = json.loads(ok(pos("hardware", "test", "drawer", "--json")))
    assert data["open_before"] is True and data["open_after"] is True


def test_test_scanner_reports_each_scan(pos, ok) -> None:
    out = ok(pos("hardware", "test", "scanner", "--json", input="4006381333931\n4006381333932\t\nABC-1\n\nignored\n"))
    scans = json.loads(out)["scans"]
    assert [s["code"] for s in scans] == ["4006381333931", "4006381333932", "ABC-1"]
    assert [s["check_digit"] for s in scans] == ["ok", "bad", "n/a"]
    assert [s["suffix"] for s in scans] == ["enter", "tab", "enter"]
    assert [s["suffix_matches"] for s in scans] == [True, False, True]
    assert "check digit" in scans[1]["problem"]


def test_test_scanner_strips_the_prefix_and_flags_short_codes(pos, ok) -> None:
    ok(pos("config", "set", "scanner.prefix", "]E0"))
    ok(pos("config", "set", "scanner.min_length", "6"))
    scans = json.loads(ok(pos("hardware", "test", "scanner", "--json", input="]E04006381333931\n123\n")))["scans"]
    assert scans[0]["code"] == "4006381333931" and scans[0]["check_digit"] == "ok"
    assert "scanner.min_length" in scans[1]["problem"]


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("drawer.pulse_on_ms", "700", "drawer.pulse_on_ms must be milliseconds from 0 to 510"),
    ("drawer.trigger", "0g", "drawer.trigger must be hex bytes"),
    ("drawer.pin", "4", "drawer.pin must be one of 2, 5"),
])
def test_config_set_refuses_bad_drawer_settings(pos, ok, refused, home: Path, key: str, value: str, fragment: str) -> None:
    ok(pos("config", "set", "store.name", "Corner Shop"))
    before = (home / "config.toml").read_text(encoding="utf-8")
    refused(pos("config", "set", key, value), fragment)
    assert (home / "config.toml").read_text(encoding="utf-8") == before
