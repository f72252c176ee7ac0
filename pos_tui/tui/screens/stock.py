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

from pos_tui.domain.locale_format import format_datetime
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import display_width, truncate
from pos_tui.i18n import SOURCE_LANGUAGE, N_, _, current_language
from pos_tui.services.context import Actor
from pos_tui.services.stock import LowStockItem, MoveInfo
from pos_tui.tui.widgets.key_footer import KeyFooter


LOW_COLUMNS = (N_("Barcode"), N_("Name"), N_("Category"), N_("Stock"), N_("Reorder at"))
HISTORY_COLUMNS = (N_("Time"), N_("Change"), N_("Reason"), N_("Reference"), N_("User"), N_("Stock"))
# A stock move's reason code as a person reads it (English shows the code itself, as it always has).
MOVE_REASONS = {
    "sale": N_("sale"), "return": N_("return"), "import": N_("import"), "receive": N_("receive"),
    "stocktake": N_("stocktake"), "damage": N_("damage"), "theft": N_("theft"), "expiry": N_("expiry"),
    "own_use": N_("own use"), "correction": N_("correction"), "found": N_("found"), "order": N_("order"),
}


def _cut(text: str, width: int) -> str:
    """At most `width` display columns (a CJK character takes two), "~" marking a cut."""
    return text if display_width(text) <= width else truncate(text, width - 1) + "~"


def reason_shown(code: str) -> str:
    language = current_language()
    if language == SOURCE_LANGUAGE or code not in MOVE_REASONS:
        return code
    label = MOVE_REASONS[code]
    return _(label)


def when_shown(moment) -> str:
    """A move's local time: "11-27 14:03" in English (as it always was), the locale's own form otherwise."""
    language = current_language()
    if language == SOURCE_LANGUAGE:
        return f"{moment:%m-%d %H:%M}"
    return format_datetime(moment, language)


class StockScreen(Screen[None]):
    """What is running low, and the way into every stock task."""

    HELP_TITLE = N_("Stock")
    HOWTO = N_("""
        The low-stock list, and the way into every stock task:
        {stock.receive} receive a delivery, {stock.stocktake} a stocktake (whole shop or a section),
        {stock.adjust} adjust one product (damage, theft, expiry, own use, correction,
        found), {stock.history} a product's stock history, {stock.low} the low-stock list.
    """)


    DEFAULT_CSS = """
    #stock-table { height: 1fr; }
    #stock-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "receive", N_("Receive"), id="stock.receive"),
        Binding("f3", "stocktake", N_("Count"), id="stock.stocktake"),
        Binding("f4", "adjust", N_("Adjust"), id="stock.adjust"),
        Binding("f5", "history", N_("History"), id="stock.history"),
        Binding("f6", "low", N_("Low stock"), id="stock.low"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.zone = ZoneInfo(self.app.settings.get("store.timezone"))
        self.showing = ""  # "low" or the barcode whose history is shown
        # The last adjustment's result (text, is it a refusal): it stays in the notice while the table is
        # read again, whichever read lands last, until the next task starts.
        self.sticky: tuple[str, bool] | None = None
        # Every read of the table gets a number and only the newest one's answer is drawn: a cancelled
        # thread worker runs on, and the low-stock list must not land over a history asked for since.
        self.asked = 0

    def compose(self) -> ComposeResult:
        yield Static(_("Stock | {user} ({role})").format(user=self.actor.username, role=self.actor.role),
                     id="status-line")
        yield DataTable(id="stock-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="stock-notice")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#stock-table", DataTable))
        self.action_low()

    def on_screen_resume(self) -> None:
        """Back from receiving or a stocktake: what was shown may have changed."""
        if self.showing == "low":
            self._reread_low()
        elif self.showing:
            self._read_history(self._ask(), self.showing)

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#stock-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def failed(self, message: str) -> None:
        self.notice(message, error=True)
        self.app.bell()

    # -- low stock -----------------------------------------------------------
    def action_low(self) -> None:
        self.sticky = None
        self._reread_low()

    def _reread_low(self) -> None:
        self.showing = "low"
        self._notice_unless_sticky(_("Reading low stock…"))
        self._read_low(self._ask())

    def _ask(self) -> int:
        self.asked += 1
        return self.asked

    def _read_failed(self, asked: int, message: str) -> None:
        if asked == self.asked:
            self.failed(message)

    @work(thread=True, exclusive=True, group="stock-read")
    def _read_low(self, asked: int) -> None:
        from pos_tui.services.stock import low_stock
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                items = low_stock()
        except PosError as exc:
            self.app.call_from_thread(self._read_failed, asked, str(exc))
            return
        self.app.call_from_thread(self._show_low, asked, items)

    def _show_low(self, asked: int, items: list[LowStockItem]) -> None:
        if asked != self.asked:
            return
        table = self.query_one("#stock-table", DataTable)
        table.clear(columns=True)
        table.add_columns(*(_(title) for title in LOW_COLUMNS))
        for item in items:
            table.add_row(item.barcode, _cut(item.name, 28), _cut(item.category, 14), format_qty(item.stock),
                          format_qty(item.reorder_level), key=item.barcode)
        if items:
            self._notice_unless_sticky(_("Low stock: {n} product(s) at or below their reorder level").format(n=len(items)))
        else:
            self._notice_unless_sticky(_("Low stock: nothing is at or below its reorder level"))

    # -- history ---------------------------------------------------------------
    def action_history(self) -> None:
        from pos_tui.tui.modals.ask import AskModal

        def chosen(code: str | None) -> None:
            if code:
                self.sticky = None
                self.showing = code
                self.notice(_("Reading the history of {code}…").format(code=code))
                self._read_history(self._ask(), code)

        self.app.push_screen(AskModal(_("Stock history"), _("Scan or type the product's barcode")), chosen)

    @work(thread=True, exclusive=True, group="stock-read")
    def _read_history(self, asked: int, code: str) -> None:
        from pos_tui.services.stock import find_product, history
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                name = find_product(code).name
                moves = history(code, limit=200)
        except PosError as exc:
            self.app.call_from_thread(self._read_failed, asked, str(exc))
            return
        self.app.call_from_thread(self._show_history, asked, name, moves)

    def _show_history(self, asked: int, name: str, moves: list[MoveInfo]) -> None:
        if asked != self.asked:
            return
        table = self.query_one("#stock-table", DataTable)
        table.clear(columns=True)
        table.add_columns(*(_(title) for title in HISTORY_COLUMNS))
        for m in moves:
            sign = "+" if m.delta > 0 else ""
            table.add_row(when_shown(m.time.astimezone(self.zone)), sign + format_qty(m.delta), reason_shown(m.reason),
                          _cut(m.reference, 16), _cut(m.user, 10), format_qty(m.stock_after), key=str(m.id))
        self._notice_unless_sticky(_("History of {name}: {n} move(s), newest first").format(name=name, n=len(moves)))

    def _notice_unless_sticky(self, text: str) -> None:
        if self.sticky is None:
            self.notice(text)
        else:
            self.notice(self.sticky[0], error=self.sticky[1])

    # -- tasks -----------------------------------------------------------------
    def action_receive(self) -> None:
        from pos_tui.tui.screens.receiving import ReceivingScreen

        self.sticky = None  # a new task
        self.app.push_screen(ReceivingScreen(self.actor))

    def action_stocktake(self) -> None:
        from pos_tui.tui.screens.stocktake_screen import StocktakeScreen

        self.sticky = None  # a new task
        self.app.push_screen(StocktakeScreen(self.actor))

    def action_adjust(self) -> None:
        from pos_tui.tui.modals.adjust import AdjustModal, AdjustRequest

        def chosen(request: AdjustRequest | None) -> None:
            if request is not None:
                self.sticky = None
                self.notice(_("Adjusting {barcode}…").format(barcode=request.barcode))
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
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self._adjusted, name, result)

    def _refused(self, message: str) -> None:
        self.sticky = (message, True)  # the list read on the way back must not cover it
        self.failed(message)

    def _adjusted(self, name: str, result: MoveInfo) -> None:
        sign = "+" if result.delta > 0 else ""
        text = _("{name}: {change} ({reason}), stock now {stock}").format(
            name=name, change=sign + format_qty(result.delta), reason=reason_shown(result.reason),
            stock=format_qty(result.stock_after))
        self.sticky = (text, False)
        self.notice(text)
        self.on_screen_resume()
