"""The real `pos` on a pseudo-terminal, fed bytes exactly as a scanner sends them."""

from __future__ import annotations

import os
import pty
import select
import signal
import time

from tests.e2e.terminal import POS, clean_env

KEYS = {"enter": b"\r", "tab": b"\t", "f10": b"\x1b[21~", "ctrl+q": b"\x11"}


class PtyTill:
    """`pos ARGS` on an 80x24 pty; the output is drained continuously so the app never blocks."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        merged = {**clean_env(), "TERM": "xterm-256color", **(env or {})}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become `pos`
            os.execve(POS, [POS, *args], merged)
        _set_size(self.fd, 24, 80)
        self.output = bytearray()

    def pump(self, seconds: float = 0.0) -> None:
        """Read what the app drew, for up to `seconds` (at least one poll)."""
        deadline = time.monotonic() + seconds
        while True:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, min(0.05, deadline - time.monotonic())))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk
            if time.monotonic() >= deadline:
                return

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        needle = text.encode()
        while needle not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never drawn; last output: {bytes(self.output[-400:])!r}")
            self.pump(0.05)

    def write(self, data: bytes) -> None:
        """All of `data` in as few reads as the pty allows (one burst)."""
        view = memoryview(data)
        while view:
            _, writable, _ = select.select([self.fd], [self.fd], [], 0.05)
            if writable:
                written = os.write(self.fd, view[:4096])
                view = view[written:]
            self.pump()

    def type(self, data: bytes, per_key: float) -> None:
        """One byte (or escape sequence) at a time, `per_key` seconds apart, like a wedge scanner."""
        for byte in data:
            os.write(self.fd, bytes([byte]))
            self.pump(per_key)

    def close(self) -> int | None:
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        return self.wait_exit(10)

    def wait_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            self.pump(0.05)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        return None


def _set_size(fd: int, rows: int, cols: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def wait_for_file_condition(check, timeout: float = 60.0, till: PtyTill | None = None) -> None:
    """Poll `check()` (e.g. a database query) while keeping the till's output drained."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            tail = bytes(till.output[-600:]) if till is not None else b""
            raise AssertionError(f"timed out waiting for the till; its last output: {tail!r}")
        if till is not None:
            till.pump(0.05)
        else:
            time.sleep(0.05)
