"""Scans through a real pty into the real till, at 100,000 products.

One scan: the clock starts when the code and its Enter are written to the
till's terminal, as a wedge scanner's burst, and stops when the product's name
has been drawn. Its floor is the raw indexed SQLite lookup of the same code;
a code the till refuses at once (too short for scanner.min_length) is timed
too, as the terminal + event loop + redraw share of the figure.

A burst: 300 codes written at once; the clock stops when the total of all of
them is drawn.
"""

from __future__ import annotations

import os
import pty
import random
import select
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from harness import _drain, _set_size


class Till:
    def __init__(self, pos: str, home: Path, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.execve(pos, [pos, "--home", str(home), "run"], env)
        _set_size(self.fd, 24, 80)
        self.seen = bytearray()

    def read_until(self, needle: bytes, timeout: float = 30.0) -> float:
        """Seconds until `needle` appears in what is drawn from now on."""
        start = time.perf_counter()
        self.seen.clear()
        while needle not in self.seen:
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{needle!r} never drawn; last: {bytes(self.seen[-300:])!r}")
            if select.select([self.fd], [], [], 0.2)[0]:
                self.seen += os.read(self.fd, 65536)
        return time.perf_counter() - start

    def send(self, data: bytes, needle: bytes, timeout: float = 10.0) -> float:
        """Seconds from writing `data` (a burst, written as the terminal takes it) until `needle` is drawn."""
        self.seen.clear()
        start = time.perf_counter()
        pending = memoryview(data)
        while pending or needle not in self.seen:
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{needle!r} never drawn after {bytes(data[:40])!r}")
            readable, writable, _ = select.select([self.fd], [self.fd] if pending else [], [], 0.2)
            if writable:
                pending = pending[os.write(self.fd, pending[:1024]):]
            if readable:
                self.seen += os.read(self.fd, 65536)
        elapsed = time.perf_counter() - start
        _drain(self.fd, 0.05)  # let the frame finish before the next scan
        return elapsed

    def close(self) -> None:
        os.write(self.fd, b"\x11")  # Ctrl+Q: an open cart asks first
        _drain(self.fd, 1.0)
        os.write(self.fd, b"y")
        _drain(self.fd, 3.0)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def prepare(pos: str, store: Path, env: dict[str, str], prefix: str) -> tuple[Path, Path]:
    """A private copy of `store` (work folder, home) whose lane has its shift open, so login goes to the checkout."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    home = work / "store"
    shutil.copytree(store, home)
    python = str(Path(pos).parent / "python")
    subprocess.run([python, "-c", (
        "import sys; from pos_tui.config import load_settings; from pos_tui.services import shifts;"
        "from pos_tui.services.context import Actor; from pos_tui.services.store import open_store;"
        "s = load_settings(sys.argv[1]); open_store(s);"
        "shifts.current_shift(s.get('lane')) or shifts.open_shift(Actor.cli(), s, counts=shifts.break_down(s, 10000))"),
        str(home)], env=env, check=True)
    return work, home


def _codes(home: Path, count: int, seed: int) -> list[tuple[str, str, int]]:
    """`count` distinct products a cashier scans: (barcode, name, price), names plain ASCII so they are found
    verbatim in what is drawn."""
    with sqlite3.connect(home / "pos.db") as db:
        rows = db.execute("SELECT barcode, name, price FROM product WHERE unit = 'each' AND archived = 0 "
                          "AND length(name) BETWEEN 8 AND 24 AND name NOT GLOB '*[^ -~]*'").fetchall()
    return random.Random(seed).sample(rows, count)


def _login(till: Till) -> None:
    till.read_until(b"Password or PIN", timeout=60)
    os.write(till.fd, b"cashier\r1111\r")
    till.read_until(b"Barcode")
    _drain(till.fd, 0.5)


def measure(pos: str, store: Path, env: dict[str, str],
            scans: int = 150) -> tuple[list[float], list[float], list[float]]:
    """Seconds from each scan to its line drawn; a refused code's round trip; the raw indexed lookup."""
    env = {**env, "TERM": "xterm-256color"}
    work, home = prepare(pos, store, env, "pos-bench-scan-")
    picks = _codes(home, scans, 9)
    # The refused code is one character: refused at once by scanner.min_length.
    subprocess.run([pos, "--home", str(home), "config", "set", "scanner.min_length", "2"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    raw = sqlite3.connect(home / "pos.db")
    till = Till(pos, home, env)
    try:
        _login(till)
        times, refused, lookup = [], [], []
        for n, (barcode, name, _) in enumerate(picks):  # interleaved, so machine noise hits all alike
            digit = str(n % 10).encode()
            refused.append(till.send(digit + b"\r", b"Ignored '" + digit + b"'"))
            times.append(till.send(barcode.encode() + b"\r", name.encode()))
            start = time.perf_counter()
            raw.execute("SELECT * FROM product WHERE barcode = ?", (barcode,)).fetchone()
            lookup.append(time.perf_counter() - start)
    finally:
        till.close()
        raw.close()
        shutil.rmtree(work, ignore_errors=True)
    return times, refused, lookup


def burst(pos: str, store: Path, env: dict[str, str], scans: int = 300,
          runs: int = 3) -> tuple[list[float], list[float]]:
    """`scans` different codes written at once, as fast as a scanner can; seconds until the total of all of
    them is drawn (a lost or wrong scan gives another total, and the run fails). Floor: the same raw lookups."""
    from pos_tui.domain.locale_format import format_money_text

    env = {**env, "TERM": "xterm-256color"}
    work, home = prepare(pos, store, env, "pos-bench-burst-")
    times, floor = [], []
    try:
        for run in range(runs):
            picks = _codes(home, scans, 300 + run)
            # As the totals panel draws it (grouped: 7,447.38)
            total = format_money_text(sum(price for _, _, price in picks), language="en", symbol=False).encode()
            till = Till(pos, home, env)
            try:
                _login(till)
                payload = b"".join(code.encode() + b"\r" for code, _, _ in picks)
                times.append(till.send(payload, total, timeout=120))
                if f"{scans}".encode() not in till.seen:
                    raise RuntimeError(f"the burst's total was drawn but not its {scans} items")
            finally:
                till.close()
            with sqlite3.connect(home / "pos.db") as db:
                db.execute("DELETE FROM held_cart")  # the quit kept the cart for the next login; start empty
                start = time.perf_counter()
                for code, _, _ in picks:
                    db.execute("SELECT * FROM product WHERE barcode = ?", (code,)).fetchone()
                floor.append(time.perf_counter() - start)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return times, floor
