"""End to end in tmux: a cash sale on the real drivers, against device doubles: the receipt
goes over TCP to a network printer that answers DLE EOT, and a serial drawer on a pty gets
its trigger byte."""

from __future__ import annotations

import os
import select
import subprocess
import threading

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env, sell_for_cash
from tests.hardware.conftest import TcpPrinter

pytestmark = pytest.mark.e2e

BREAD = "4010079190010"  # Sourdough Loaf 800g, 3.20


class PtyDrawer:
    """A serial cash drawer: the till opens the pty's slave end; this reads the master end."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        self.received = bytearray()
        self.cond = threading.Condition()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.stopped.is_set():
            if not select.select([self.master], [], [], 0.05)[0]:
                continue
            try:
                data = os.read(self.master, 1024)
            except OSError:
                return
            with self.cond:
                self.received += data
                self.cond.notify_all()

    def wait_for(self, wanted: bytes, timeout: float = 15.0) -> bytes:
        with self.cond:
            assert self.cond.wait_for(lambda: wanted in self.received, timeout), bytes(self.received)
            return bytes(self.received)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(2)
        for fd in (self.master, self.slave):
            os.close(fd)


def _configure(home, **values: str) -> None:
    for key, value in values.items():
        subprocess.run([POS, "--home", str(home), "config", "set", key, value], env=clean_env(), check=True,
                       capture_output=True)


def test_a_cash_sale_prints_on_the_network_printer_and_kicks_the_serial_drawer(demo_store):
    printer, drawer = TcpPrinter(), PtyDrawer()
    home = demo_store.home
    _configure(home, **{"printer.type": "network", "printer.host": "127.0.0.1", "printer.port": str(printer.port),
                        "drawer.type": "serial", "drawer.device": drawer.path, "drawer.trigger": "07"})
    term = Terminal([POS, "--home", str(home), "run"])
    try:
        receipt_no = sell_for_cash(term, BREAD, "3.20", "5", "1.80")
        assert drawer.wait_for(b"\x07") == b"\x07"  # the trigger, once
        job = printer.wait_for(lambda data: b"\x1dV" in data and receipt_no.encode() in data, timeout=15)
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
        printer.stop()
        drawer.close()
    assert job.startswith(b"\x10\x04")  # asked the printer's status before the job
    body = printer.job()
    assert b"\x1b@" in body and b"Sourdough Loaf 800g" in body and b"1.80" in body
    assert body.index(receipt_no.encode()) < body.index(b"\x1dV")  # the receipt number, then the cut
    from pos_tui.services import audit

    (opening,) = [e for e in audit.entries("drawer.open") if e.details.get("receipt") == receipt_no]
    assert (opening.username, opening.details["why"], opening.details["outcome"]) == ("cashier", "sale", "opened")
