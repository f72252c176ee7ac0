"""Measuring helpers: wall time of a command, and time-to-screen in a pty."""

from __future__ import annotations

import os
import pty
import select
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Sample:
    seconds: float
    max_rss_kb: int = 0


def wall(command: list[str], env: dict[str, str] | None = None) -> Sample:
    """One run of a command to completion."""
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return Sample(time.perf_counter() - start)


def time_to_screen(command: list[str], marker: bytes, env: dict[str, str], timeout: float = 30.0) -> Sample:
    """Start `command` on a fresh 80x24 pty; time until `marker` is drawn; quit with Ctrl+Q."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.clear()
        os.environ.update(env)
        os.execvp(command[0], command)
    start = time.perf_counter()
    _set_size(fd, 24, 80)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
        if elapsed is None:
            raise RuntimeError(f"{marker!r} never appeared running {command}")
        os.write(fd, b"\x11")  # Ctrl+Q
        _drain(fd, 5.0)
    finally:
        try:
            _, status, usage = os.wait4(pid, 0)
        except ChildProcessError:
            usage = None
        os.close(fd)
    return Sample(elapsed, usage.ru_maxrss if usage else 0)


def _set_size(fd: int, rows: int, cols: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _drain(fd: int, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return


def median(values: list[float]) -> float:
    return statistics.median(values)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
