"""Saving the lane's cart as it changes, off the UI thread, newest first.

One writer thread per till: each change replaces the pending snapshot, so a
burst of scans costs one write, and writes never land out of order.
"""

from __future__ import annotations

import logging
import threading
from contextlib import ExitStack
from dataclasses import replace
from typing import Callable

from pos_tui.domain.cart import Cart
from pos_tui.errors import PosError
from pos_tui.services import held_carts
from pos_tui.services.context import Actor

log = logging.getLogger(__name__)


class CartAutosave:
    """`on_error` hears (from the writer thread) why a snapshot could not be saved."""

    def __init__(self, lane: str, actor: Actor, on_error: Callable[[str], None] | None = None) -> None:
        self.lane, self.actor, self.on_error = lane, actor, on_error
        self._pending: Cart | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stopped = False
        self._encoded: dict = {}  # the thread's: each line's JSON, made once (held_carts.dumps)
        self._thread = threading.Thread(target=self._run, name="cart-autosave", daemon=True)
        self._thread.start()

    def save(self, cart: Cart) -> None:
        """Queue a snapshot of `cart` (its lines are immutable, the list is copied)."""
        with self._lock:
            self._pending = replace(cart, lines=list(cart.lines))
            self._idle.clear()
        self._wake.set()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued is written."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        self.flush()
        self._stopped = True
        self._wake.set()

    def _run(self) -> None:
        from pos_tui.services import offline_lane
        from pos_tui.services.store import thread_session

        # One connection for the thread's life: opening one (pragmas, the schema) cost more than the save,
        # beside the frame drawing the scan. An offline lane's store changes under it, so there each save
        # opens its own. A failed save closes it either way; the next opens afresh.
        session, connected = ExitStack(), False
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stopped:
                    return
                with self._lock:
                    cart, self._pending = self._pending, None
                if cart is not None:
                    try:
                        if not connected:
                            session.enter_context(thread_session())
                            connected = True
                        held_carts.save_open(self.lane, self.actor, cart, self._encoded)
                    except Exception as exc:  # the till goes on; the cart is still on screen
                        log.exception("could not save the open cart")
                        _close(session)
                        connected = False
                        if self.on_error is not None:
                            self.on_error(str(exc) if isinstance(exc, PosError) else type(exc).__name__)
                    if connected and offline_lane.current() is not None:
                        _close(session)
                        connected = False
                with self._lock:
                    if self._pending is None:
                        self._idle.set()
        finally:
            _close(session)


def _close(session: ExitStack) -> None:
    """End the thread's connection, whatever state a failure left it in."""
    try:
        session.close()
    except Exception:
        log.debug("closing the autosave's connection failed", exc_info=True)
