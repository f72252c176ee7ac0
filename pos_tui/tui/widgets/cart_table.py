"""The cart as a table: name, qty, unit price, line total."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from pos_tui.domain.cart import Cart
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.i18n import _
from pos_tui.tui.money_text import money

NUMBER_WIDTHS = {"qty": 7, "price": 8, "total": 9}


class CartTable(DataTable):
    """Shows a Cart; the newest line is highlighted and kept in view.

    The name column takes whatever width the numbers leave, so the columns
    are rebuilt when the table is resized.
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self._cart: Cart | None = None
        self._highlight: int | None = None
        self._shown: list[tuple[str, str, str, str]] = []  # the rows as drawn, to change only what changed
        self._columns()

    def _columns(self) -> None:
        used = sum(NUMBER_WIDTHS.values()) + 2 * (len(NUMBER_WIDTHS) + 1) + 1  # 1 cell of padding a side
        self.add_column(_("Item"), key="name", width=max(10, self.size.width - used))
        self.add_column(_("Qty"), key="qty", width=NUMBER_WIDTHS["qty"])
        self.add_column(_("Price"), key="price", width=NUMBER_WIDTHS["price"])
        self.add_column(_("Total"), key="total", width=NUMBER_WIDTHS["total"])

    def on_resize(self) -> None:
        self.clear(columns=True)
        self._shown = []
        self._columns()
        if self._cart is not None:
            self.show(self._cart, self._highlight)

    def show(self, cart: Cart, highlight: int | None = None) -> None:
        """Draw `cart`, touching only the rows that changed: a scan adds or updates one row,
        so a long basket costs no more per scan than a short one."""
        self._cart, self._highlight = cart, highlight
        rows = [(line.name, format_qty(line.qty), _fitted(line.unit_price, "price"), _fitted(line.total, "total"))
                for line in cart.lines]
        shown = self._shown
        if len(rows) < len(shown) or any(rows[i][0] != shown[i][0] for i in range(len(shown))):
            self.clear()  # a line went or moved: draw them all again
            shown = []
        for index, row in enumerate(rows):
            if index >= len(shown):
                self.add_row(row[0], *(Text(cell, justify="right") for cell in row[1:]), key=str(index))
            elif row != shown[index]:
                for column, cell in zip(("qty", "price", "total"), row[1:]):
                    self.update_cell(str(index), column, Text(cell, justify="right"))
        self._shown = rows
        if cart.lines:
            row = len(cart.lines) - 1 if highlight is None else highlight
            self.move_cursor(row=row, animate=False)


def _fitted(minor: int, column: str) -> str:
    """The amount grouped for reading, or its plain digits when the grouping would not fit the column."""
    text = money(minor)
    return text if len(text) <= NUMBER_WIDTHS[column] else format_money(minor)
