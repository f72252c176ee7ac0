"""Product search (F2): type part of a name, category or tag; Enter adds the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.tui.ordered_typing import OrderedTyping

RESULTS = 50


class ProductSearchModal(OrderedTyping, ModalScreen[str | None]):
    """Returns the barcode picked, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="search.cancel"),
        Binding("up", "move(-1)", "Up", id="search.up", show=False),
        Binding("down", "move(1)", "Down", id="search.down", show=False),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.initial = text
        self.barcodes: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Label("[b]Find a product[/b]  (name, category or tag; Enter adds, Esc closes)")
            yield Input(value=self.initial, placeholder="Search", id="search")
            yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
            yield Static("", id="search-message")

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_column("Item", key="name", width=34)
        table.add_column("Price", key="price", width=8)
        table.add_column("Stock", key="stock", width=8)
        table.add_column("Category", key="category", width=14)
        self.set_focus(self.query_one("#search", Input))
        self.replay_early_keys()
        self._search(self.initial)

    @on(Input.Changed, "#search")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, text: str) -> None:
        from pos_tui.services.catalog import list_products
        from pos_tui.services.store import thread_session

        with thread_session():
            found = list_products(text, limit=RESULTS) if text.strip() else []
        self.app.call_from_thread(self._show, text, found)

    def _show(self, text: str, found) -> None:
        if text != self.query_one("#search", Input).value:
            return  # a newer search is on its way
        table = self.query_one("#results", DataTable)
        table.clear()
        self.barcodes = [p.barcode for p in found]
        for p in found:
            table.add_row(p.name, Text(format_money(p.price), justify="right"),
                          Text(format_qty(p.stock), justify="right"), p.category)
        more = f"; the first {RESULTS} are shown, type more to narrow" if len(found) == RESULTS else ""
        self.query_one("#search-message", Static).update(
            f"{len(found)} found{more}" if text.strip() else "Type to search")

    def action_move(self, step: int) -> None:
        table = self.query_one("#results", DataTable)
        if step < 0:
            table.action_cursor_up()
        else:
            table.action_cursor_down()

    def field_submitted(self, field: Input) -> None:
        if self.barcodes:
            row = self.query_one("#results", DataTable).cursor_row
            self.dismiss(self.barcodes[max(0, min(row, len(self.barcodes) - 1))])

    def action_cancel(self) -> None:
        self.dismiss(None)
