"""The Stock area: receive deliveries, count the shelves, adjust, and read history and low stock.

The hub opens on the low-stock list (what a supervisor wants to see first);
its keys open the receiving and stocktake screens and the adjust dialog.
Reads and writes run in thread workers; the services check `stock.adjust`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError
from pos_tui.services.context import Actor
from pos_tui.services.stock import LowStockItem, MoveInfo
from pos_tui.tui.widgets.key_footer import KeyFooter


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"


class StockScreen(Screen[None]):
    """What is running low, and the way into every stock task."""

    HOWTO = """
        The low-stock list, and the way into every stock task:
        {stock.receive} receive a delivery, {stock.stocktake} a stocktake (whole shop or a section),
        {stock.adjust} adjust one product (damage, theft, expiry, own use, correction,
        found), {stock.history} a product's stock history, {stock.low} the low-stock list.
    """


    DEFAULT_CSS = """
    #stock-table { height: 1fr; }
    #stock-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "receive", "Receive", id="stock.receive"),
        Binding("f3", "stocktake", "Count", id="stock.stocktake"),
        Binding("f4", "adjust", "Adjust", id="stock.adjust"),
        Binding("f5", "history", "History", id="stock.history"),
        Binding("f6", "low", "Low stock", id="stock.low"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.zone = ZoneInfo(self.app.settings.get("store.timezone"))
        self.showing = ""  # "low" or the barcode whose history is shown
        self.sticky = ""  # a result to keep showing once the table is read again

    def compose(self) -> ComposeResult:
        yield Static(f"Stock | {self.actor.username} ({self.actor.role})", id="status-line")
        yield DataTable(id="stock-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="stock-notice")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#stock-table", DataTable))
        self.action_low()

    def on_screen_resume(self) -> None:
        """Back from receiving or a stocktake: what was shown may have changed."""
        if self.showing == "low":
            self.action_low()
        elif self.showing:
            self._read_history(self.showing)

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#stock-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def failed(self, message: str) -> None:
        self.notice(message, error=True)
        self.app.bell()

    # -- low stock -----------------------------------------------------------
    def action_low(self) -> None:
        self.showing = "low"
        self.notice("Reading low stock…")
        self._read_low()

    @work(thread=True, exclusive=True, group="stock-read")
    def _read_low(self) -> None:
        from pos_tui.services.stock import low_stock
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                items = low_stock()
        except PosError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._show_low, items)

    def _show_low(self, items: list[LowStockItem]) -> None:
        table = self.query_one("#stock-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Barcode", "Name", "Category", "Stock", "Reorder at")
        for item in items:
            table.add_row(item.barcode, _cut(item.name, 28), _cut(item.category, 14), format_qty(item.stock),
                          format_qty(item.reorder_level), key=item.barcode)
        if self._sticky():
            return
        if items:
            self.notice(f"Low stock: {len(items)} product(s) at or below their reorder level")
        else:
            self.notice("Low stock: nothing is at or below its reorder level")

    # -- history ---------------------------------------------------------------
    def action_history(self) -> None:
        from pos_tui.tui.modals.ask import AskModal

        def chosen(code: str | None) -> None:
            if code:
                self.showing = code
                self.notice(f"Reading the history of {code}…")
                self._read_history(code)

        self.app.push_screen(AskModal("Stock history", "Scan or type the product's barcode"), chosen)

    @work(thread=True, exclusive=True, group="stock-read")
    def _read_history(self, code: str) -> None:
        from pos_tui.services.stock import find_product, history
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                name = find_product(code).name
                moves = history(code, limit=200)
        except PosError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._show_history, name, moves)

    def _show_history(self, name: str, moves: list[MoveInfo]) -> None:
        table = self.query_one("#stock-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Time", "Change", "Reason", "Reference", "User", "Stock")
        for m in moves:
            sign = "+" if m.delta > 0 else ""
            table.add_row(f"{m.time.astimezone(self.zone):%m-%d %H:%M}", sign + format_qty(m.delta), m.reason,
                          _cut(m.reference, 16), _cut(m.user, 10), format_qty(m.stock_after), key=str(m.id))
        if not self._sticky():
            self.notice(f"History of {name}: {len(moves)} move(s), newest first")

    def _sticky(self) -> bool:
        text, self.sticky = self.sticky, ""
        if text:
            self.notice(text)
        return bool(text)

    # -- tasks -----------------------------------------------------------------
    def action_receive(self) -> None:
        from pos_tui.tui.screens.receiving import ReceivingScreen

        self.app.push_screen(ReceivingScreen(self.actor))

    def action_stocktake(self) -> None:
        from pos_tui.tui.screens.stocktake_screen import StocktakeScreen

        self.app.push_screen(StocktakeScreen(self.actor))

    def action_adjust(self) -> None:
        from pos_tui.tui.modals.adjust import AdjustModal, AdjustRequest

        def chosen(request: AdjustRequest | None) -> None:
            if request is not None:
                self.notice(f"Adjusting {request.barcode}…")
                self._adjust(request)

        self.app.push_screen(AdjustModal(), chosen)

    @work(thread=True, group="stock-write")
    def _adjust(self, request) -> None:
        from pos_tui.services.stock import adjust, find_product
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                result = adjust(self.actor, request.barcode, request.delta, request.reason, request.note)
                name = find_product(request.barcode).name
        except PosError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._adjusted, name, result)

    def _adjusted(self, name: str, result: MoveInfo) -> None:
        sign = "+" if result.delta > 0 else ""
        self.sticky = f"{name}: {sign}{format_qty(result.delta)} ({result.reason}), stock now {format_qty(result.stock_after)}"
        self.notice(self.sticky)
        self.on_screen_resume()
