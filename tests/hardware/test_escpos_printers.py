"""ESC/POS printers against doubles that behave like the hardware: a TCP printer, a pty, a device file.

Each test asserts the bytes the printer gets, or the one error a person sees
when the device fails, and that no call waits longer than its timeout.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pos_tui.hardware import base as hw
from pos_tui.hardware.escpos_printer import file_printer, network_printer, serial_printer

TIMEOUT = 0.3
INIT = b"\x1b@"
CP437 = b"\x1bt\x00"  # ESC t 0: the first text selects its code page
BARCODE = (
    b"\x1ba\x01"  # centred
    b"\x1dh\x40\x1dw\x03"  # height 64 dots, module width 3
    b"\x1df\x00\x1dH\x02"  # human-readable text in font A, below the bars
    b"\x1dkI\x0a{B1-000042"  # GS k 73 n: CODE128, 10 bytes, code set B
)
CUT = b"\x1bd\x06\x1dV\x00"  # feed 6 lines, full cut


def expected_job(*lines: str) -> bytes:
    return INIT + CP437 + b"".join(line.encode("ascii") + b"\n" for line in lines)


def test_network_printer_prints_lines_barcode_and_cut(tcp_printer) -> None:
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    printer.print_receipt("1-000042", ["Corner Shop", "TOTAL        10.22"], "1-000042")
    assert tcp_printer.job() == expected_job("Corner Shop", "TOTAL        10.22") + BARCODE + CUT
    # It asked for the status (printer, offline cause, paper) before the job and again after it.
    received = tcp_printer.wait_for(lambda data: True)
    assert received.startswith(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04\x1b@")
    assert received.endswith(CUT + b"\x10\x04\x01\x10\x04\x02\x10\x04\x04")


def test_cjk_line_is_sent_in_multibyte_mode(tcp_printer) -> None:
    """Han characters go as GB18030 between FS & and FS ., which Chinese-market printers print."""
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    printer.print_receipt("1-1", ["合计 12.00", "ok"])
    assert tcp_printer.job() == INIT + b"\x1c&" + "合计 12.00\n".encode("gb18030") + b"\x1c." + CP437 + b"ok\n" + CUT


def test_status_reads_each_dle_eot_answer(tcp_printer) -> None:
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    assert printer.status() == hw.PrinterStatus(online=True, paper="ok", cover_open=False)
    tcp_printer.status[4] = tcp_printer.PAPER_NEAR_END
    assert printer.status() == hw.PrinterStatus(online=True, paper="near_end", cover_open=False)
    tcp_printer.status.update({1: tcp_printer.OFFLINE, 2: tcp_printer.COVER_OPEN, 4: tcp_printer.PAPER_OUT})
    status = printer.status()
    assert status == hw.PrinterStatus(online=False, paper="out", cover_open=True)
    assert not status.ready


def test_near_end_still_prints(tcp_printer) -> None:
    tcp_printer.status[4] = tcp_printer.PAPER_NEAR_END
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    printer.print_receipt("1-7", ["x"])
    assert tcp_printer.job() == expected_job("x") + CUT
    assert printer.last_status is not None and printer.last_status.paper == "near_end"


def test_paper_out_refuses_the_job_before_sending_it(tcp_printer) -> None:
    tcp_printer.status[4] = tcp_printer.PAPER_OUT
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    with pytest.raises(hw.PaperOut, match="load paper"):
        printer.print_receipt("1-8", ["x"])
    assert tcp_printer.job() == b""


def test_cover_open_refuses_the_job(tcp_printer) -> None:
    tcp_printer.status.update({1: tcp_printer.OFFLINE, 2: tcp_printer.COVER_OPEN})
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    with pytest.raises(hw.CoverOpen, match="close the printer's cover"):
        printer.print_receipt("1-9", ["x"])
    assert tcp_printer.job() == b""


def test_refused_connection_is_offline(closed_port: int) -> None:
    printer = network_printer("127.0.0.1", closed_port, timeout_s=TIMEOUT)
    with pytest.raises(hw.Offline, match="refused the connection"):
        printer.print_receipt("1-1", ["x"])


def test_printer_that_stops_answering_times_out(tcp_printer) -> None:
    """The socket takes the bytes, but no status comes back: the job is reported, within the timeout."""
    tcp_printer.answering = False
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    started = time.monotonic()
    with pytest.raises(hw.Timeout, match="stopped answering"):
        printer.print_receipt("1-1", ["x"])
    assert time.monotonic() - started < TIMEOUT * 4


def test_dead_after_the_job_is_caught_by_the_status_after_it(tcp_printer) -> None:
    """The write "succeeds" into the socket; only the status after the job shows the printer went quiet."""
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    printer.status()  # connected and answering
    tcp_printer.answering = False
    with pytest.raises(hw.Timeout):
        printer.status()


def test_unplugged_mid_job_is_offline(tcp_printer) -> None:
    tcp_printer.hang_up_on = INIT  # the line drops as the job starts
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    with pytest.raises(hw.Offline, match="went away"):
        printer.print_receipt("1-1", ["x"] * 20, "1-000042")


def test_printer_recovers_on_the_next_job(tcp_printer) -> None:
    tcp_printer.status[4] = tcp_printer.PAPER_OUT
    printer = network_printer("127.0.0.1", tcp_printer.port, timeout_s=TIMEOUT)
    with pytest.raises(hw.PaperOut):
        printer.print_receipt("1-1", ["x"])
    tcp_printer.status[4] = tcp_printer.ONLINE  # paper loaded: the plain answer
    printer.print_receipt("1-1", ["x"])
    assert tcp_printer.job() == expected_job("x") + CUT


# --- serial, over a pty --------------------------------------------------------------------------


def test_serial_printer_prints_and_answers_status(pty_printer) -> None:
    printer = serial_printer(pty_printer.path, 9600, timeout_s=TIMEOUT)
    assert printer.status() == hw.PrinterStatus(online=True)
    printer.print_receipt("1-000042", ["Receipt"], "1-000042")
    assert pty_printer.job() == expected_job("Receipt") + BARCODE + CUT
    printer.close()


def test_serial_paper_out(pty_printer) -> None:
    pty_printer.status[4] = pty_printer.PAPER_OUT
    printer = serial_printer(pty_printer.path, 9600, timeout_s=TIMEOUT)
    with pytest.raises(hw.PaperOut):
        printer.print_receipt("1-1", ["x"])


def test_serial_printer_that_does_not_answer_times_out(pty_printer) -> None:
    pty_printer.answering = False
    printer = serial_printer(pty_printer.path, 9600, timeout_s=TIMEOUT)
    started = time.monotonic()
    with pytest.raises(hw.Timeout, match="did not answer"):
        printer.status()
    assert time.monotonic() - started < TIMEOUT * 4


def test_serial_printer_that_takes_no_data_hits_the_write_timeout(pty_printer) -> None:
    """Nobody reads the line (flow stopped): pyserial's write would wait forever without write_timeout."""
    pty_printer.reading = False
    printer = serial_printer(pty_printer.path, 9600, timeout_s=TIMEOUT)
    printer.answers_status = False  # straight to the write
    started = time.monotonic()
    with pytest.raises(hw.Timeout):
        printer.print_receipt("1-1", ["x" * 40] * 4000)
    assert time.monotonic() - started < TIMEOUT * 6


def test_serial_unplugged_mid_job(pty_printer) -> None:
    pty_printer.hang_up_on = b"first line"
    printer = serial_printer(pty_printer.path, 9600, timeout_s=TIMEOUT)
    with pytest.raises(hw.Offline, match="went away"):
        printer.print_receipt("1-1", ["first line"] + ["more"] * 50, "1-000042")


def test_serial_device_missing(tmp_path: Path) -> None:
    printer = serial_printer(str(tmp_path / "ttyUSB9"), 9600, timeout_s=TIMEOUT)
    with pytest.raises(hw.DeviceMissing, match="is not there"):
        printer.status()


def test_serial_permission_denied(unwritable: Path) -> None:
    printer = serial_printer(str(unwritable), 9600, timeout_s=TIMEOUT)
    with pytest.raises(hw.PermissionDenied, match="dialout group"):
        printer.status()


# --- a device file (/dev/usb/lp0) -----------------------------------------------------------------


def test_file_printer_writes_the_job_and_cannot_tell_its_status(tmp_path: Path) -> None:
    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    printer = file_printer(str(lp0), timeout_s=TIMEOUT)
    assert printer.status() is None
    printer.print_receipt("1-000042", ["Receipt"], "1-000042")
    printer.print_receipt("1-000043", ["Next"])
    printer.close()
    assert lp0.read_bytes() == expected_job("Receipt") + BARCODE + CUT + expected_job("Next") + CUT


def test_file_printer_missing_device(tmp_path: Path) -> None:
    printer = file_printer(str(tmp_path / "usb" / "lp0"), timeout_s=TIMEOUT)
    with pytest.raises(hw.DeviceMissing, match="check the cable and power"):
        printer.print_receipt("1-1", ["x"])


def test_file_printer_permission_denied(unwritable: Path) -> None:
    printer = file_printer(str(unwritable), timeout_s=TIMEOUT)
    with pytest.raises(hw.PermissionDenied, match="lp or dialout group"):
        printer.print_receipt("1-1", ["x"])
