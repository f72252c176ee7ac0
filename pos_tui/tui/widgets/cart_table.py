"""The cart as a table: name, qty, unit price, line total.

Drawn line by line (Textual's line API) with each row's line kept until that
row changes. A scan then draws the new row and the two rows the highlight
moved between; a DataTable redrew every visible row on each scan, because its
row cache is keyed by the cursor position, which made a scan's redraw grow
with the basket.

No scrollbar: the header counts the lines out of view ("Item ▲12"). A
scrollbar's thumb moved with every scan in a long basket, and drawing it
again cost as much as the cart's own lines.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pos_tui.domain.cart import Cart, CartLine
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.i18n import _
from pos_tui.tui.money_text import money

NUMBER_WIDTHS = {"qty": 7, "price": 8, "total": 9}
PADDING = 1  # cells each side of a cell
Row = tuple[str, str, str, str]


class CartTable(ScrollView, can_focus=False):
    """Shows a Cart; the newest line is highlighted and kept in view under a fixed header.

    The name column takes whatever width the numbers leave.
    """

    COMPONENT_CLASSES = {"cart-table--header", "cart-table--cursor", "cart-table--even-row"}

    DEFAULT_CSS = """
    CartTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: hidden;
        & > .cart-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .cart-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .cart-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .cart-table--even-row { background: $surface-darken-1 40%; }
        & > .cart-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cursor_row = 0
        self._rows: list[Row] = []
        self._drawn: dict[int, tuple[tuple, Strip]] = {}  # row index -> (what it showed, its line)
        self._header: tuple[tuple, Strip] | None = None
        self._formatted: dict[int, tuple[CartLine, Row]] = {}  # id(line) -> (line, its cells)

    # -- what the checkout calls ---------------------------------------------------------------------

    def show(self, cart: Cart, highlight: int | None = None) -> None:
        """Draw `cart`, touching only the rows that changed: a scan adds or updates one row,
        so a long basket costs no more per scan than a short one."""
        rows = [self._row_of(line) for line in cart.lines]
        if len(self._formatted) > 2 * len(rows) + 64:  # forget lines long gone
            self._formatted = {id(line): self._formatted[id(line)] for line in cart.lines}
        old = self._rows
        self._rows = rows
        for index in range(max(len(rows), len(old))):
            if index >= len(rows) or index >= len(old) or rows[index] != old[index]:
                self._drawn.pop(index, None)
                self._refresh_row(index)
        if len(rows) != len(old):
            self._measure(len(rows))
        if rows:
            self.move_cursor(len(rows) - 1 if highlight is None else highlight)
        else:
            self.cursor_row = 0

    def _row_of(self, line: CartLine) -> Row:
        """A line's cells, formatted once per line (lines are immutable: a change is a new line)."""
        known = self._formatted.get(id(line))
        if known is not None and known[0] is line:
            return known[1]
        row = (line.name, format_qty(line.qty), _fitted(line.unit_price, "price"), _fitted(line.total, "total"))
        self._formatted[id(line)] = (line, row)
        return row

    def _measure(self, rows: int) -> None:
        """The scrollable height (+ the header), set without the layout a virtual size asks for: the
        table's own size never depends on it."""
        self.set_reactive(CartTable.virtual_size, Size(0, rows + 1))
        self.scroll_y = min(self.scroll_y, self.max_scroll_y)
        self._refresh_header()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def move_cursor(self, row: int) -> None:
        """Highlight `row` and scroll it into view."""
        row = max(0, min(row, len(self._rows) - 1))
        old, self.cursor_row = self.cursor_row, row
        if old != row:
            self._refresh_row(old)
            self._refresh_row(row)
        self._scroll_to_row(row)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    # -- drawing --------------------------------------------------------------------------------------

    def _scroll_to_row(self, row: int) -> None:
        body = max(1, self.scrollable_content_region.height - 1)  # lines under the header
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + body:
            self.scroll_to(y=row - body + 1, animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)

    def _refresh_header(self) -> None:
        self.refresh(Region(0, 0, self.size.width, 1))

    @property
    def allow_vertical_scroll(self) -> bool:
        """The mouse wheel scrolls a long basket, though no scrollbar is drawn."""
        return self.max_scroll_y > 0 and not self._check_disabled()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lines straight from the rows' own cache. The table has no border, padding, tint or opacity, so
        Textual's per-line styling adds nothing to them, and after a scroll (each scan in a long basket)
        it cost a tenth of a millisecond for every visible line. The terminal's colour filters (NO_COLOR,
        ANSI themes) still apply."""
        styles = self.styles
        if styles.gutter or styles.tint.a or self.opacity != 1.0 or styles.text_opacity != 1.0:
            return super().render_lines(crop)
        filters = self.get_line_filters()
        background = self.background_colors[1]
        strips = []
        for y in crop.line_range:
            strip = self.render_line(y)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self.size.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(width)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._row_strip(index, width)

    def _row_strip(self, index: int, width: int) -> Strip:
        key = (self._rows[index], index == self.cursor_row, index % 2, width)
        drawn = self._drawn.get(index)
        if drawn is not None and drawn[0] == key:
            return drawn[1]
        style = self.rich_style
        if index == self.cursor_row:
            style += self.get_component_rich_style("cart-table--cursor")
        elif index % 2:
            style += self.get_component_rich_style("cart-table--even-row")
        strip = _strip(self._rows[index], width, style)
        self._drawn[index] = (key, strip)
        return strip

    def _header_strip(self, width: int) -> Strip:
        top = round(self.scroll_y)
        body = max(1, self.scrollable_content_region.height - 1)
        below = len(self._rows) - top - body
        out_of_view = (f" ▲{top}" if top > 0 else "") + (f" ▼{below}" if below > 0 else "")
        cells = (_("Item") + out_of_view, _("Qty"), _("Price"), _("Total"))
        key = (cells, width)
        if self._header is None or self._header[0] != key:
            style = self.rich_style + self.get_component_rich_style("cart-table--header")
            self._header = (key, _strip(cells, width, style))
        return self._header[1]

    def notify_style_update(self) -> None:
        """A theme or CSS change: every line is drawn again in the new colours."""
        super().notify_style_update()
        self._drawn.clear()
        self._header = None
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._drawn.clear()
        self._header = None
        self.virtual_size = Size(0, len(self._rows) + 1)
        self._scroll_to_row(self.cursor_row)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1 and self._rows:
            self.move_cursor(round(self.scroll_y) + event.y - 1)


def _strip(cells: Row | tuple[str, ...], width: int, style: Style) -> Strip:
    """One line: the name left-aligned in what the numbers leave, the numbers right-aligned; widths in
    terminal cells, so a Chinese character counts as two."""
    numbers = sum(NUMBER_WIDTHS.values()) + 2 * PADDING * len(NUMBER_WIDTHS)
    name_width = max(1, width - numbers - 2 * PADDING)
    pad = " " * PADDING
    name = cells[0]
    if cell_len(name) > name_width:  # cut, and seen to be cut
        name = set_cell_size(name, name_width - 1) + "…"
    text = pad + set_cell_size(name, name_width) + pad
    for cell, cell_width in zip(cells[1:], NUMBER_WIDTHS.values()):
        cell = cell if cell_len(cell) <= cell_width else set_cell_size(cell, cell_width)
        text += pad + " " * (cell_width - cell_len(cell)) + cell + pad
    text = set_cell_size(text, width)
    return Strip([Segment(text, style)], width)


def _fitted(minor: int, column: str) -> str:
    """The amount grouped for reading, or its plain digits when the grouping would not fit the column."""
    text = money(minor)
    return text if len(text) <= NUMBER_WIDTHS[column] else format_money(minor)
