"""Goods in against a purchase order: a quantity per line, filled with what is still expected.

Tab or Enter moves down, F10 receives (in a worker); a refusal (more than
ordered, a bad number) is shown here and nothing is received.
"""

from __future__ import annotations

from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import fit, pad_left, pad_right
from pos_tui.i18n import N_, _, ngettext
from pos_tui.services.context import Actor
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput


class ReceiveOrderModal(OrderedTyping, ModalScreen[object | None]):
    """Returns the order as received (OrderInfo), or None when cancelled."""

    HELP_TITLE = N_("Receive an order")
    HOWTO = N_("Goods in against a purchase order: each line is filled with what is\n"
               "still expected. Type what arrived (0: none); Enter moves down a line.\n"
               "{receive.done} receives; {receive.cancel} cancels and receives nothing.")

    DEFAULT_CSS = """
    ReceiveOrderModal { align: center middle; }
    #receive-box { width: 70; height: auto; max-height: 100%; border: $frame-heavy $accent; background: $surface;
                   padding: 0 1; }
    #receive-lines { height: auto; max-height: 14; }
    .receive-line { height: 1; }
    .receive-line Label { width: 1fr; }
    .receive-line Input { width: 12; height: 1; border: none; }
    #receive-message { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="receive.cancel"),
        Binding("f10", "receive", N_("Receive"), id="receive.done", priority=True),
    ]

    def __init__(self, actor: Actor, number: str) -> None:
        super().__init__()
        self.actor, self.number = actor, number
        self.lines: list = []

    def compose(self) -> ComposeResult:
        with Vertical(id="receive-box"):
            yield Label(f"[b]{_('Receive against {number}').format(number=self.number)}[/b]")
            yield VerticalScroll(id="receive-lines")
            yield Static("", id="receive-message")
            yield Static(_("Reading the order…"), id="receive-hint", classes="hint")

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

    async def _fill(self, order) -> None:
        lines = [line for line in order.lines if line.outstanding > 0]
        widgets = []
        for index, line in enumerate(lines):
            widgets.append(Horizontal(
                Label(_("{name} {received} of {ordered}").format(
                    name=fit(line.name, 30), received=pad_left(format_qty(line.qty_received), 6),
                    ordered=pad_right(format_qty(line.qty_ordered), 6))),
                TypedInput(value=format_qty(line.outstanding), id=f"qty-{index}"), classes="receive-line"))
        await self.query_one("#receive-lines", VerticalScroll).mount_all(widgets)
        self.lines = lines
        self.say("")
        self.query_one("#receive-hint", Static).update(ngettext(
            "{n} line still expected, filled in as due. Type what arrived (0: none); Enter next line, F10 receive, "
            "Esc cancel",
            "{n} lines still expected, filled in as due. Type what arrived (0: none); Enter next line, F10 receive, "
            "Esc cancel", len(lines)).format(n=len(lines)))
        if self.lines:
            first = self.query_one("#qty-0", Input)
            self.set_focus(first)
            first.select_all()

    def say(self, text: str) -> None:
        widget = self.query_one("#receive-message", Static)
        widget.update(text)
        widget.set_class(bool(text), "error")

    def field_submitted(self, field: Input) -> None:
        """Enter: the next line's quantity (selected, so typing replaces it), at once."""
        index = int((field.id or "qty-0").split("-")[1]) + 1
        if index < len(self.lines):
            following = self.query_one(f"#qty-{index}", Input)
            self.set_focus(following)
            following.select_all()

    def quantities(self) -> dict[str, Decimal]:
        """Barcode -> qty typed; raises ValidationError naming the line."""
        found = {}
        for index, line in enumerate(self.lines):
            text = self.query_one(f"#qty-{index}", Input).value.strip()
            qty = parse_qty(text or "0", what=_("{name}: quantity").format(name=line.name))
            if qty:
                found[line.barcode] = qty
        return found

    def action_receive(self) -> None:
        if not self.lines:
            self.say(_("Nothing to receive yet: wait for the lines, or Esc to cancel"))
            return
        try:
            wanted = self.quantities()
        except PosError as exc:
            self.say(str(exc))
            return
        if not wanted:
            self.say(_("Type a quantity on at least one line, or Esc to cancel"))
            return
        self.say(_("Receiving…"))
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
