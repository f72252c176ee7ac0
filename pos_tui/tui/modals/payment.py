"""Take payment: Enter takes the amount shown in cash; a letter picks another tender.

Digits typed first tender that much. Split payments go on until nothing is
due; only cash gives change; a card asks for an optional reference.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.tender import CASH, Tender, apply_tenders, round_cash
from pos_tui.errors import ValidationError
from pos_tui.services.tenders import TenderChoice
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput


class PaymentModal(OrderedTyping, ModalScreen[list[Tender] | None]):
    """Returns the tenders that pay the total, or None when cancelled."""

    HOWTO = """
        Enter takes the amount due in cash; type an amount first for more (change
        is shown) or less (a split: pay the rest with another tender).
        A tender's letter (shown below the amount) pays by card, voucher...
        {payment.cancel} cancels the payment; the cart is kept.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="payment.cancel")]

    def __init__(self, total_due: int, choices: list[TenderChoice], cash_step: int = 1) -> None:
        super().__init__()
        self.total_due = total_due
        self.choices = choices
        self.kinds = tuple(c.kind for c in choices)
        self.cash_step = cash_step
        self.tenders: list[Tender] = []
        self.pending_kind: str | None = None  # a tender waiting for its reference
        self.pending_amount = 0
        self.showing_change = False

    def compose(self) -> ComposeResult:
        keys = "  ".join(f"[b]{c.letter}[/b] {c.label}" for c in self.choices)
        with Vertical(id="payment-box"):
            yield Label(f"Amount due: [b]{format_money(self.total_due)}[/b]", id="payment-due")
            yield Static("", id="payment-paid")
            yield Label("", id="payment-prompt")
            yield TypedInput(id="tendered")
            yield Static(f"Enter = cash   {keys}   Esc cancel", id="payment-keys")
            yield Static("", id="payment-message")

    def on_mount(self) -> None:
        self._show_remaining()
        self.set_focus(self.query_one("#tendered", Input))
        self.replay_early_keys()

    @property
    def remaining(self) -> int:
        _, remaining = apply_tenders(self.total_due, self.tenders, cash_step=self.cash_step, kinds=self.kinds)
        return remaining

    def _show_remaining(self) -> None:
        remaining = self.remaining
        field = self.query_one("#tendered", Input)
        cash = round_cash(remaining, self.cash_step)
        cash_note = f" (cash {format_money(cash)})" if cash != remaining else ""
        self.query_one("#payment-prompt", Label).update(f"Remaining {format_money(remaining)}{cash_note}: amount")
        field.value = format_money(remaining)
        field.select_all()
        paid = [f"{t.kind} {format_money(t.tendered)}" + (f" ref {t.reference}" if t.reference else "") for t in self.tenders]
        self.query_one("#payment-paid", Static).update("Paid: " + ", ".join(paid) if paid else "")

    def take_key(self, event: events.Key) -> bool:
        """A tender letter (not while typing a reference) takes the amount with that tender."""
        character = (event.character or "").upper()
        if self.pending_kind is None and self.is_mounted and character.isalpha():
            choice = next((c for c in self.choices if c.letter == character), None)
            if choice is None:
                self._message(f"No tender on {character}; use " + ", ".join(c.letter for c in self.choices), error=True)
            else:
                self._take(choice.kind)
            return True
        return super().take_key(event)

    def field_submitted(self, field: Input) -> None:
        if self.pending_kind is not None:
            self._add(Tender(self.pending_kind, self.pending_amount, field.value.strip()[:64]))
            return
        self._take(CASH)

    def _take(self, kind: str) -> None:
        field = self.query_one("#tendered", Input)
        try:
            amount = parse_money(field.value or "", what="amount tendered")
            if amount <= 0:
                raise ValidationError("the amount tendered must be more than zero")
            if kind == CASH and field.value == format_money(self.remaining):
                amount = round_cash(self.remaining, self.cash_step)  # the prefilled rest, in coins
            apply_tenders(self.total_due, [*self.tenders, Tender(kind, amount)], cash_step=self.cash_step,
                          kinds=self.kinds)
        except ValidationError as exc:
            self._message(str(exc), error=True)
            return
        if kind != CASH:  # a card or voucher may carry a reference / approval code
            self.pending_kind, self.pending_amount = kind, amount
            self.query_one("#payment-prompt", Label).update(
                f"{kind.capitalize()} {format_money(amount)}: reference (optional), Enter")
            field.value = ""
            return
        self._add(Tender(kind, amount))

    def _add(self, tender: Tender) -> None:
        self.tenders.append(tender)
        self.pending_kind = None
        remaining = self.remaining
        if remaining <= 0:
            self.dismiss(self.tenders)
            return
        self._message(f"{format_money(remaining)} still due; take the rest")
        self._show_remaining()

    @on(Input.Changed, "#tendered")
    def _preview(self, event: Input.Changed) -> None:
        if self.pending_kind is not None:
            return
        try:
            tendered = parse_money(event.value or "0", what="amount tendered")
        except ValidationError:
            tendered = 0
        due = round_cash(self.remaining, self.cash_step)
        if tendered > due:
            self._message(f"Change {format_money(tendered - due)}", change=True)
        elif self.showing_change:
            self._message("")

    def _message(self, text: str, *, error: bool = False, change: bool = False) -> None:
        self.showing_change = change
        message = self.query_one("#payment-message", Static)
        message.update(text)
        message.set_class(error, "error")

    def action_cancel(self) -> None:
        self.dismiss(None)
