"""Take payment: Enter takes the amount due in cash; a typed amount shows change."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError
from pos_tui.tui.ordered_typing import OrderedTyping


class PaymentModal(OrderedTyping, ModalScreen[int | None]):
    """Returns the cash tendered in minor units, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="payment.cancel")]

    def __init__(self, total_due: int) -> None:
        super().__init__()
        self.total_due = total_due

    def compose(self) -> ComposeResult:
        with Vertical(id="payment-box"):
            yield Label(f"Amount due: [b]{format_money(self.total_due)}[/b]", id="payment-due")
            yield Label("Cash tendered (Enter to accept, Esc to cancel):")
            yield Input(value=format_money(self.total_due), id="tendered", select_on_focus=True)
            yield Static("", id="payment-message")

    def on_mount(self) -> None:
        field = self.query_one("#tendered", Input)
        self.set_focus(field)
        field.select_all()  # typing replaces the prefilled amount due
        self.replay_early_keys()

    @on(Input.Changed, "#tendered")
    def _preview(self, event: Input.Changed) -> None:
        message = self.query_one("#payment-message", Static)
        try:
            tendered = parse_money(event.value or "0", what="amount tendered")
        except ValidationError:
            message.update("")
            return
        short = self.total_due - tendered
        message.update(f"Still due {format_money(short)}" if short > 0 else f"Change {format_money(-short)}")

    def field_submitted(self, field: Input) -> None:
        message = self.query_one("#payment-message", Static)
        try:
            tendered = parse_money(field.value or "", what="amount tendered")
        except ValidationError as exc:
            message.update(str(exc))
            return
        if tendered < self.total_due:
            message.update(f"{format_money(tendered)} is less than the {format_money(self.total_due)} due")
            return
        self.dismiss(tendered)

    def action_cancel(self) -> None:
        self.dismiss(None)
