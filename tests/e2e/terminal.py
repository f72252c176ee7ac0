"""Driving the real `pos` command in a real terminal (tmux), as a cashier would."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

POS = str(Path(sys.executable).parent / "pos")


class Terminal:
    """One tmux session on a private server socket, 80x24 by default."""

    def __init__(self, command: list[str], *, width: int = 80, height: int = 24, env: dict[str, str] | None = None,
                 term: str = "xterm-256color"):
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is missing: run scripts/ensure-test-tools (make test does)")
        self.socket = f"pos-e2e-{uuid.uuid4().hex[:8]}"
        self.session = "till"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = f"env {exports} TERM={shlex.quote(term)} {shlex.join(command)}"
        self._tmux("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), line)

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session).stdout

    def send(self, *keys: str) -> None:
        """tmux key names ("Enter", "F10", "C-q") or literal text."""
        self._tmux("send-keys", "-t", self.session, *keys)

    def alive(self) -> bool:
        return self._tmux("has-session", "-t", self.session).returncode == 0

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Poll the screen until `text` shows on a settled screen; fail with the last screen.

        Settled: two captures in a row agree. A capture can catch a frame half
        drawn (new title, old rows below it), so a lone sighting is not enough.
        """
        deadline = time.monotonic() + timeout
        screen = previous = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen and screen == previous:
                return screen
            previous = screen
            if not self.alive():
                break
            time.sleep(0.05)  # polling interval of a wait, not a fixed delay
        raise AssertionError(f"{text!r} never appeared; last screen:\n{screen}")

    def wait_exit(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.05)
        raise AssertionError(f"the till did not exit; last screen:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-server")


def clean_env() -> dict[str, str]:
    """The environment for a child `pos`: no POS_DB leaking in."""
    env = dict(os.environ)
    env.pop("POS_DB", None)
    return env


def sell_for_cash(term: "Terminal", barcode: str, price: str, tendered: str, change: str,
                  user: str = "cashier", password: str = "1111") -> str:
    """Log in, scan one item, pay cash as a cashier would; the receipt number shown."""
    import re

    term.wait_for("Password or PIN", timeout=60)
    term.send(user, "Enter")
    term.send(password, "Enter")
    term.wait_for("Barcode")
    term.send(barcode, "Enter")
    term.wait_for(price)
    term.send("F10")
    term.wait_for("Amount due")
    term.send(tendered, "Enter")
    screen = term.wait_for(f"Change due: {change}")
    return re.search(r"Sale (\d+-\d+) saved", screen).group(1)
