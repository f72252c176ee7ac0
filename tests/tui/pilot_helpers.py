"""Waiting for the till in Pilot tests: poll a condition, never sleep blindly."""

from __future__ import annotations

from typing import Callable

from textual.pilot import Pilot

TIMEOUT_S = 10.0
STEP_S = 0.02


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition()` holds; fail naming `what` after TIMEOUT_S."""
    steps = int(TIMEOUT_S / STEP_S)
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(STEP_S)
    raise AssertionError(f"timed out waiting for {what}")


async def login(pilot: Pilot, username: str, password: str) -> None:
    await pilot.press(*username, "enter", *password, "enter")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CheckoutScreen", "the checkout screen")


async def scan(pilot: Pilot, code: str) -> None:
    await pilot.press(*code, "enter")


async def settle_workers(app) -> None:
    """Wait for the app's workers to finish; one cancelled by a newer one (exclusive) is fine."""
    from textual.worker import WorkerCancelled

    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass


async def login_to_the_float(pilot: Pilot, username: str = "cashier", password: str = "1111"):
    """Log in on a lane without an open shift: the till asks for the float first."""
    from pos_tui.tui.modals.count_form import CountFormModal

    await pilot.press(*username, "enter", *password, "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CountFormModal), "the float count after login")
    return pilot.app.screen


def shown(app, selector: str) -> str:
    """The text of one widget of the screen on top."""
    return str(app.screen.query_one(selector).render())


class HeldCall:
    """A service function made to wait on purpose, so a test decides which of two workers finishes last.

    Once armed (`hold()`, or `armed=True`), the next call waits until `release()`: before its work, or
    after it with `work_first` (a read taken before what the test does next). `reached` is set while it
    waits. Later calls run as usual.
    """

    def __init__(self, monkeypatch, module, name: str, *, armed: bool = False, work_first: bool = False) -> None:
        import threading

        self._real, self._work_first = getattr(module, name), work_first
        self._armed, self._released, self.reached = threading.Event(), threading.Event(), threading.Event()
        if armed:
            self._armed.set()
        monkeypatch.setattr(module, name, self._call)

    def hold(self) -> None:
        self._armed.set()

    def release(self) -> None:
        self._released.set()

    def _call(self, *args, **kwargs):
        held = self._armed.is_set() and not self.reached.is_set()
        if held and not self._work_first:
            self._wait()
        result = self._real(*args, **kwargs)
        if held and self._work_first:
            self._wait()
        return result

    def _wait(self) -> None:
        self.reached.set()
        self._released.wait(TIMEOUT_S)
