"""A scan to its line on screen, through a real pty, at 100,000 products.

The clock starts when the code and its Enter are written to the till's
terminal, as a wedge scanner's burst, and stops when the product's name has
been drawn. The floor is the same round trip for a code the till refuses at
once (too short for scanner.min_length): terminal, event loop and a redraw,
without the lookup or the cart.
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

    def send(self, data: bytes, needle: bytes) -> float:
        self.seen.clear()
        start = time.perf_counter()
        os.write(self.fd, data)
        while needle not in self.seen:
            if time.perf_counter() - start > 10:
                raise RuntimeError(f"{needle!r} never drawn after {data!r}")
            if select.select([self.fd], [], [], 0.2)[0]:
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


def measure(pos: str, store: Path, env: dict[str, str], scans: int = 150) -> tuple[list[float], list[float]]:
    work = Path(tempfile.mkdtemp(prefix="pos-bench-scan-"))
    home = work / "store"
    shutil.copytree(store, home)
    with sqlite3.connect(home / "pos.db") as db:
        rows = db.execute("SELECT barcode, name FROM product WHERE unit = 'each' AND archived = 0 "
                          "AND length(name) BETWEEN 8 AND 24 AND name NOT GLOB '*[^ -~]*'").fetchall()
    picks = random.Random(9).sample(rows, scans)
    env = {**env, "TERM": "xterm-256color"}
    # The floor's code is one character: refused at once by scanner.min_length.
    subprocess.run([pos, "--home", str(home), "config", "set", "scanner.min_length", "2"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    # The lane's shift open with a float, so the till goes straight to the checkout.
    python = str(Path(pos).parent / "python")
    subprocess.run([python, "-c", (
        "import sys; from pos_tui.config import load_settings; from pos_tui.services import shifts;"
        "from pos_tui.services.context import Actor; from pos_tui.services.store import open_store;"
        "s = load_settings(sys.argv[1]); open_store(s);"
        "shifts.current_shift(s.get('lane')) or shifts.open_shift(Actor.cli(), s, counts=shifts.break_down(s, 10000))"), str(home)],
        env=env, check=True)
    till = Till(pos, home, env)
    try:
        till.read_until(b"Password or PIN", timeout=60)
        os.write(till.fd, b"cashier\r")
        os.write(till.fd, b"1111\r")
        till.read_until(b"Barcode")
        _drain(till.fd, 0.5)
        times, floor = [], []
        for n, (barcode, name) in enumerate(picks):  # interleaved, so machine noise hits both alike
            digit = str(n % 10).encode()
            floor.append(till.send(digit + b"\r", b"Ignored '" + digit + b"'"))
            times.append(till.send(barcode.encode() + b"\r", name.encode()))
    finally:
        till.close()
        shutil.rmtree(work, ignore_errors=True)
    return times, floor
