"""Cash in or out of the drawer: the amount, a reason from the shop's list (by letter), a free note.

Three steps in one box so a cashier keeps typing: amount and Enter, a
letter for the reason, the note (may be blank) and Enter. The service
checks the right to do it; this only gathers the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import ascii_uppercase

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

# Marked only: translated where shown. Lower-cased English, they also name the approval in the audit.
KIND_TITLES = {"paid_in": N_("Paid in"), "paid_out": N_("Paid out"), "safe_drop": N_("Safe drop")}


@dataclass(frozen=True)
class CashMove:
    kind: str
    amount: int
    reason: str
    note: str


class CashMovementModal(OrderedTyping, ModalScreen[CashMove | None]):
    """Returns the movement asked for, or None when cancelled."""

    HELP_TITLE = N_("Cash in or out")
    HOWTO = N_("Cash into or out of the drawer (paid in, paid out, safe drop):\n"
               "type the amount and Enter, press the letter of a reason,\n"
               "then type a note if you like and Enter.\n"
               "{cash_move.cancel} cancels; nothing is recorded.")

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cash_move.cancel")]

    def __init__(self, kind: str, reasons: tuple[str, ...]) -> None:
        super().__init__()
        self.kind = kind
        self.reasons = dict(zip(ascii_uppercase, reasons))
        self.amount: int | None = None
        self.reason: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = KIND_TITLES.get(self.kind, self.kind)
            yield Label(f"[b]{_(title)}[/b]", id="move-title")
            yield Label(_("Amount:"), id="move-prompt")
            yield TypedInput(placeholder="0.00", id="move-amount")
            yield Static("", id="move-reasons")
            yield TypedInput(placeholder=_("Note (optional)"), id="move-note", disabled=True)
            yield Static(_("Enter to go on, Esc to cancel"), id="move-message", classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#move-amount", Input))
        self.replay_early_keys()

    def _message(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#move-message", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def take_key(self, event: events.Key) -> bool:
        """While the reason is asked, a letter picks it."""
        if self.amount is not None and self.reason is None and self.is_mounted:
            self.flush_typing()
            letter = (event.character or "").upper()
            if letter in self.reasons:
                self._pick(self.reasons[letter])
            elif event.is_printable or event.key == "enter":
                self._message(_("Press the letter of a reason"), error=True)
            else:
                return False
            return True
        return super().take_key(event)

    def field_submitted(self, field: Input) -> None:
        if field.id == "move-note":
            self.dismiss(CashMove(self.kind, self.amount or 0, self.reason or "", field.value.strip()))
            return
        try:
            amount = parse_money(field.value or "", what="amount")
            if amount <= 0:
                raise ValidationError(_("the amount must be more than 0.00"))
        except ValidationError as exc:
            self._message(str(exc), error=True)
            field.select_all()
            return
        self.amount = amount
        field.disabled = True
        self.query_one("#move-prompt", Label).update(_("Amount: {amount}. Reason:").format(amount=format_money(amount)))
        self.query_one("#move-reasons", Static).update(
            "\n".join(f"  [b]{letter}[/b]  {reason}" for letter, reason in self.reasons.items()))
        self._message(_("Press the letter of a reason"))

    def _pick(self, reason: str) -> None:
        self.reason = reason
        self.query_one("#move-reasons", Static).update(_("Reason: {reason}").format(reason=reason))
        note = self.query_one("#move-note", Input)
        note.disabled = False
        self.set_focus(note)
        self._message(_("Type a note if you like, then Enter"))

    def action_cancel(self) -> None:
        self.dismiss(None)
