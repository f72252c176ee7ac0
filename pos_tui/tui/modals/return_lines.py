"""Choose what comes back: a quantity per line, never more than can be returned."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services.returns import ReturnableSale, refund_total
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput


# Column titles and widths; marked here, translated when the table is built. "Back " (what came back before)
# has a trailing space to keep it apart from the Back key's word; the column pads it to its width anyway.
COLUMNS = ((N_("Item"), 30), (N_("Sold"), 7), (N_("Back "), 7), (N_("Return"), 7), (N_("Refund"), 9))


class ReturnLinesModal(OrderedTyping, ModalScreen[dict[int, Decimal] | None]):
    """Returns {original line id: qty}, or None when cancelled."""

    HELP_TITLE = N_("Return")
    HOWTO = N_("What comes back from this receipt: Up/Down picks a line, type the\n"
               "quantity and Enter (never more than can come back).\n"
               "{return.done} refunds the total shown; {return.cancel} cancels the return.")

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="return.cancel"),
        Binding("f10", "done", N_("Refund"), id="return.done", priority=True),
        Binding("up", "move(-1)", N_("Up"), id="return.up", show=False),
        Binding("down", "move(1)", N_("Down"), id="return.down", show=False),
    ]

    def __init__(self, sale: ReturnableSale) -> None:
        super().__init__()
        self.sale = sale
        self.qty: dict[int, Decimal] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="lookup-box"):
            title = _("Return from receipt {number}").format(number=self.sale.receipt_no)
            yield Label(f"[b]{title}[/b] ({format_money(self.sale.total)}, {self.sale.cashier})")
            yield Label(_("Up/Down picks a line; type a quantity and Enter; F10 refunds; Esc cancels"))
            yield DataTable(id="return-lines", cursor_type="row")
            yield TypedInput(placeholder=_("Quantity to return"), id="return-qty")
            yield Static("", id="return-message")

    def on_mount(self) -> None:
        table = self.query_one("#return-lines", DataTable)
        for label, width in COLUMNS:
            table.add_column(_(label), width=width)
        self._show()
        self.set_focus(self.query_one("#return-qty", Input))
        self.replay_early_keys()

    def _show(self) -> None:
        table = self.query_one("#return-lines", DataTable)
        row = table.cursor_row
        table.clear()
        for line in self.sale.lines:
            qty = self.qty.get(line.line_id, Decimal(0))
            refund = line.refund_for(qty)[0] if qty else 0
            table.add_row(line.name, Text(format_qty(line.sold), justify="right"),
                          Text(format_qty(line.returned), justify="right"), Text(format_qty(qty), justify="right"),
                          Text(format_money(refund), justify="right"))
        table.move_cursor(row=row, animate=False)
        self.query_one("#return-message", Static).update(
            _("Refund {amount}").format(amount=format_money(refund_total(self.sale, self.qty))))

    def field_submitted(self, field: Input) -> None:
        line = self.sale.lines[self.query_one("#return-lines", DataTable).cursor_row]
        message = self.query_one("#return-message", Static)
        try:
            qty = parse_qty(field.value or "0")
            if qty > line.available:
                raise ValidationError(
                    _("{item}: {qty} is more than the {available} that can come back").format(
                        item=line.name, qty=format_qty(qty), available=format_qty(line.available)))
        except ValidationError as exc:
            message.update(str(exc))
            message.add_class("error")
            return
        message.remove_class("error")
        field.value = ""
        self.qty[line.line_id] = qty
        self._show()

    def action_move(self, step: int) -> None:
        table = self.query_one("#return-lines", DataTable)
        table.action_cursor_up() if step < 0 else table.action_cursor_down()

    def action_done(self) -> None:
        chosen = {line_id: qty for line_id, qty in self.qty.items() if qty}
        if not chosen:
            message = self.query_one("#return-message", Static)
            message.update(_("Choose at least one line and a quantity to return"))
            message.add_class("error")
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
