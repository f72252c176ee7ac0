"""The supervisor's low-stock warning on the till.

At login, for a user who may act on it (stock.adjust), the products low on
stock are read once, off the UI thread. After each sale only the products it
sold are looked at again (a primary-key read of a few rows, after the
commit), so a till on 100,000 products never rescans them per sale. The
Purchasing screen hands over a fresh list whenever it reads one. Cashiers
get nothing: no query, no warning.
"""

from __future__ import annotations

import logging
import threading

from textual import work

from pos_tui.i18n import N_, _, ngettext
from pos_tui.services.context import Actor
from pos_tui.tui.widgets.low_stock_lamp import LowStockLamp

log = logging.getLogger(__name__)
PERMISSION = "stock.adjust"
LOGIN_NOTICE = N_("Scan or type a barcode, then Enter")  # the checkout's first notice (shown translated)


class LowStockWatch:
    """The ids of the products low on stock, as last seen; shared by the till's screens (app.low_stock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: set[int] = set()

    @property
    def count(self) -> int:
        return len(self._ids)

    def replace(self, ids: set[int]) -> None:
        with self._lock:
            self._ids = set(ids)

    def update(self, checked: list[int], low: set[int]) -> int:
        """After a sale: of the `checked` products, exactly `low` are low now; returns how many became low."""
        with self._lock:
            before = len(self._ids)
            self._ids.difference_update(checked)
            self._ids.update(low)
            return len(self._ids) - before


def watch_of(app) -> LowStockWatch:
    """The app's shared watch, made on first use (call on the UI thread)."""
    watch = getattr(app, "low_stock", None)
    if watch is None:
        watch = app.low_stock = LowStockWatch()
    return watch


def warning_text(count: int) -> str:
    if not count:
        return ""
    return ngettext("{n} product low on stock (F12 > Purchasing)", "{n} products low on stock (F12 > Purchasing)",
                    count).format(n=count)


def lamp_text(count: int) -> str:
    """The status line is 80 columns shared with the devices: the short form."""
    return _("{n} low on stock (F12)").format(n=count) if count else ""


class LowStockWarning:
    """Mixin for the checkout screen; needs actor, app, notice() and a LowStockLamp in the status row."""

    actor: Actor

    def start_low_stock(self) -> None:
        self.watching_low_stock = False
        watch_of(self.app)
        if self.actor.training:
            return
        self._read_low_stock()
        self.set_interval(1.0, self.show_low_stock)  # a memory read: the Purchasing screen may have changed it

    @work(thread=True, group="low-stock")
    def _read_low_stock(self) -> None:
        from pos_tui.services.permissions import has
        from pos_tui.services.reorder import low_ids
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                if not has(self.actor, PERMISSION):
                    return
                ids = low_ids()
        except Exception:  # a warning must never take the till down
            log.exception("reading the low-stock products failed")
            return
        self.app.low_stock.replace(ids)
        self.watching_low_stock = True
        self.app.call_from_thread(self._low_stock_at_login)

    def _low_stock_at_login(self) -> None:
        self.show_low_stock()
        # Said once at login, unless the till is already saying something else (a restored cart).
        if self.app.low_stock.count and self.cart.is_empty and str(self.query_one("#notice").render()) == \
                _(LOGIN_NOTICE):
            self.notice(warning_text(self.app.low_stock.count))

    def show_low_stock(self) -> None:
        if getattr(self, "watching_low_stock", False):
            self.query_one(LowStockLamp).show(lamp_text(self.app.low_stock.count))

    def low_stock_after_sale(self, product_ids: list[int]) -> None:
        """From the sale's worker thread, after the commit: look at what it sold, nothing else."""
        if not getattr(self, "watching_low_stock", False) or self.actor.training:
            return
        from pos_tui.services.reorder import low_among_ids
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                low = low_among_ids(product_ids)
        except Exception:
            log.exception("the low-stock check after a sale failed")
            return
        if self.app.low_stock.update(product_ids, low):
            self.app.call_from_thread(self.show_low_stock)
