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
