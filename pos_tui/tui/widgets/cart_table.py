"""The cart as a table: name, qty, unit price, line total."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from pos_tui.domain.cart import Cart
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty


NUMBER_WIDTHS = {"qty": 7, "price": 8, "total": 9}


class CartTable(DataTable):
    """Shows a Cart; the newest line is highlighted and kept in view."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("Item", key="name", width=self._name_width())
        self.add_column("Qty", key="qty", width=NUMBER_WIDTHS["qty"])
        self.add_column("Price", key="price", width=NUMBER_WIDTHS["price"])
        self.add_column("Total", key="total", width=NUMBER_WIDTHS["total"])

    def _name_width(self) -> int:
        """The item name takes what the numbers leave (each column pads 1 cell a side)."""
        used = sum(NUMBER_WIDTHS.values()) + 2 * (len(NUMBER_WIDTHS) + 1) + 1
        return max(10, self.size.width - used)

    def on_resize(self) -> None:
        column = self.columns.get("name")
        if column is not None:
            column.width = self._name_width()
            self.refresh()

    def show(self, cart: Cart, highlight: int | None = None) -> None:
        self.clear()
        for line in cart.lines:
            self.add_row(
                line.name,
                Text(format_qty(line.qty), justify="right"),
                Text(format_money(line.unit_price), justify="right"),
                Text(format_money(line.total), justify="right"),
            )
        if cart.lines:
            row = len(cart.lines) - 1 if highlight is None else highlight
            self.move_cursor(row=row, animate=False)
