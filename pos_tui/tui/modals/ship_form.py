"""Ship a packed order: the carrier (already picked from orders.carriers), service, tracking, date and cost.

The carrier comes from the shop's list, so an unknown one cannot be typed.
Enter moves to the next field and ships after the last; F10 ships from
anywhere. A refusal (a tracking number on another order) keeps the form.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.money import parse_money
from pos_tui.errors import PosError, ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

FIELDS = (("tracking", N_("Tracking no.")), ("service", N_("Service")), ("expected", N_("Expected date")),
          ("cost", N_("Shipping cost")))


class ShipFormModal(OrderedTyping, ModalScreen[object | None]):
    """Returns the shipped OrderInfo, or None when cancelled."""

    HELP_TITLE = N_("Ship an order")
    HOWTO = N_("Ship a packed order with the carrier picked: the tracking number,\n"
               "service, expected date (YYYY-MM-DD) and shipping cost. Enter moves on\n"
               "and ships after the cost; {ship_form.save} ships from any field.\n"
               "{ship_form.cancel} cancels; the order stays packed.")

    DEFAULT_CSS = """
    ShipFormModal { align: center middle; }
    #ship-box { width: 64; height: auto; border: $frame-heavy $accent; background: $surface; padding: 0 1; }
    .ship-row { height: 1; }
    .ship-row Label { width: 16; }
    #ship-box Input { height: 1; border: none; width: 1fr; }
    #ship-message { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="ship_form.cancel"),
        Binding("f10", "save", N_("Ship"), id="ship_form.save", priority=True),
    ]

    def __init__(self, actor: Actor, number: str, carrier: str) -> None:
        super().__init__()
        self.actor, self.number, self.carrier = actor, number, carrier

    def compose(self) -> ComposeResult:
        with Vertical(id="ship-box"):
            yield Label(_("[b]Ship {number} with {carrier}[/b]").format(number=self.number, carrier=self.carrier))
            for key, label in FIELDS:
                with Horizontal(classes="ship-row"):
                    yield Label(_(label))
                    yield TypedInput(value="0.00" if key == "cost" else "", id=f"ship-{key}",
                                     placeholder="YYYY-MM-DD" if key == "expected" else "")
            yield Static("", id="ship-message")
            yield Static(_("Enter: next (ships after the cost)  F10: ship  Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#ship-tracking", Input))
        self.replay_early_keys()

    def say(self, text: str) -> None:
        widget = self.query_one("#ship-message", Static)
        widget.update(text)
        widget.set_class(bool(text), "error")

    def field_submitted(self, field: Input) -> None:
        self.next_field_or_save(field)

    def values(self) -> dict:
        found = {key: self.query_one(f"#ship-{key}", Input).value.strip() for key, _ in FIELDS}
        expected = None
        if found["expected"]:
            try:
                expected = date.fromisoformat(found["expected"])
            except ValueError:
                raise ValidationError(_("expected date {date} must be YYYY-MM-DD").format(
                    date=repr(found["expected"]))) from None
        return dict(carrier=self.carrier, tracking=found["tracking"], service=found["service"], expected=expected,
                    cost=parse_money(found["cost"] or "0", what=_("shipping cost")))

    def action_save(self) -> None:
        try:
            values = self.values()
        except PosError as exc:
            self.say(str(exc))
            return
        self.say(_("Shipping…"))
        self._save(values)

    @work(thread=True, exclusive=True, group="ship-form")
    def _save(self, values: dict) -> None:
        from pos_tui.services import orders
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                shipped = orders.ship(self.actor, self.app.settings, self.number, source="till", **values)
        except PosError as exc:
            self.app.call_from_thread(self.say, str(exc))
            return
        self.app.call_from_thread(self.dismiss, shipped)

    def action_cancel(self) -> None:
        self.dismiss(None)
