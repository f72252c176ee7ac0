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
