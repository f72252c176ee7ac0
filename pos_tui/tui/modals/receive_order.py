"""Goods in against a purchase order: a quantity per line, filled with what is still expected.

Tab or Enter moves down, F10 receives (in a worker); a refusal (more than
ordered, a bad number) is shown here and nothing is received.
"""

from __future__ import annotations

from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import PosError
from pos_tui.services.context import Actor
from pos_tui.tui.widgets.typed_input import TypedInput


class ReceiveOrderModal(ModalScreen[object | None]):
    """Returns the order as received (OrderInfo), or None when cancelled."""

    DEFAULT_CSS = """
    ReceiveOrderModal { align: center middle; }
    #receive-box { width: 70; height: auto; max-height: 100%; border: thick $accent; background: $surface;
                   padding: 0 1; }
    #receive-lines { height: auto; max-height: 14; }
    .receive-line { height: 1; margin-top: 1; }
    #receive-lines Input { width: 16; }
    #receive-message { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="receive.cancel"),
        Binding("f10", "receive", "Receive", id="receive.done", priority=True),
    ]

    def __init__(self, actor: Actor, number: str) -> None:
        super().__init__()
        self.actor, self.number = actor, number
        self.lines: list = []

    def compose(self) -> ComposeResult:
        with Vertical(id="receive-box"):
            yield Label(f"[b]Receive against {self.number}[/b]")
            yield VerticalScroll(id="receive-lines")
            yield Static("", id="receive-message")
            yield Static("Type what arrived per line (0 or blank: none). F10 receive, Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, group="receive")
    def _load(self) -> None:
        from pos_tui.services.purchase_orders import get_order
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                order = get_order(self.number)
        except PosError as exc:
            self.app.call_from_thread(self.say, str(exc))
            return
        self.app.call_from_thread(self._fill, order)

    def _fill(self, order) -> None:
        self.lines = [line for line in order.lines if line.outstanding > 0]
        box = self.query_one("#receive-lines", VerticalScroll)
        for index, line in enumerate(self.lines):
            box.mount(Label(f"{line.name[:34]:<34} {format_qty(line.qty_received)}/{format_qty(line.qty_ordered)}",
                            classes="receive-line"))
            box.mount(TypedInput(value=format_qty(line.outstanding), id=f"qty-{index}"))
        if self.lines:
            self.call_after_refresh(lambda: self.set_focus(self.query_one("#qty-0", Input)))

    def say(self, text: str) -> None:
        widget = self.query_one("#receive-message", Static)
        widget.update(text)
        widget.set_class(bool(text), "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def quantities(self) -> dict[str, Decimal]:
        """Barcode -> qty typed; raises ValidationError naming the line."""
        found = {}
        for index, line in enumerate(self.lines):
            text = self.query_one(f"#qty-{index}", Input).value.strip()
            qty = parse_qty(text or "0", what=f"{line.name}: quantity")
            if qty:
                found[line.barcode] = qty
        return found

    def action_receive(self) -> None:
        try:
            wanted = self.quantities()
        except PosError as exc:
            self.say(str(exc))
            return
        if not wanted:
            self.say("Type a quantity on at least one line, or Esc to cancel")
            return
        self.say("Receiving…")
        self._receive(wanted)

    @work(thread=True, exclusive=True, group="receive")
    def _receive(self, wanted: dict[str, Decimal]) -> None:
        from pos_tui.services.purchase_orders import receive
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                order = receive(self.actor, self.number, wanted)
        except PosError as exc:
            self.app.call_from_thread(self.say, str(exc))
            return
        self.app.call_from_thread(self.dismiss, order)

    def action_cancel(self) -> None:
        self.dismiss(None)
