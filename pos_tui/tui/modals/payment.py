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
from pos_tui.i18n import N_, _
from pos_tui.services.tenders import TenderChoice
from pos_tui.tui.money_text import money
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput


class PaymentModal(OrderedTyping, ModalScreen[list[Tender] | None]):
    """Returns the tenders that pay the total, or None when cancelled."""

    HELP_TITLE = N_("Payment")
    HOWTO = N_("Enter takes the amount due in cash; type an amount first for more (change\n"
               "is shown) or less (a split: pay the rest with another tender).\n"
               "A tender's letter (shown below the amount) pays by card, voucher...\n"
               "{payment.cancel} cancels the payment; the cart is kept.")

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="payment.cancel")]

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
        keys = "  ".join(f"[b]{c.letter}[/b] {_(c.label)}" for c in self.choices)
        with Vertical(id="payment-box"):
            yield Label(_("Amount due: {amount}").format(amount=f"[b]{money(self.total_due)}[/b]"), id="payment-due")
            yield Static("", id="payment-paid")
            yield Label("", id="payment-prompt")
            yield TypedInput(id="tendered")
            yield Static(_("Enter = cash   {keys}   Esc cancel").format(keys=keys), id="payment-keys")
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
        cash_note = _(" (cash {amount})").format(amount=money(cash)) if cash != remaining else ""
        self.query_one("#payment-prompt", Label).update(
            _("Remaining {amount}{cash_note}: amount").format(amount=money(remaining), cash_note=cash_note))
        field.value = format_money(remaining)
        field.select_all()
        paid = [f"{tender_word(t.kind)} {money(t.tendered)}"
                + (_(" ref {reference}").format(reference=t.reference) if t.reference else "") for t in self.tenders]
        self.query_one("#payment-paid", Static).update(_("Paid: {tenders}").format(tenders=", ".join(paid)) if paid else "")

    def take_key(self, event: events.Key) -> bool:
        """A tender letter (not while typing a reference) takes the amount with that tender."""
        character = (event.character or "").upper()
        if self.pending_kind is None and self.is_mounted and character.isalpha():
            self.flush_typing()  # the amount typed just before the letter
            choice = next((c for c in self.choices if c.letter == character), None)
            if choice is None:
                self._message(_("No tender on {key}; use {keys}").format(
                    key=character, keys=", ".join(c.letter for c in self.choices)), error=True)
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
            amount = parse_money(field.value or "", what=_("amount tendered"))
            if amount <= 0:
                raise ValidationError(_("the amount tendered must be more than zero"))
            if kind == CASH and field.value == format_money(self.remaining):
                amount = round_cash(self.remaining, self.cash_step)  # the prefilled rest, in coins
            apply_tenders(self.total_due, [*self.tenders, Tender(kind, amount)], cash_step=self.cash_step,
                          kinds=self.kinds)
        except ValidationError as exc:
            self._message(str(exc), error=True)
            return
        if kind != CASH:  # a card or voucher may carry a reference / approval code
            label = kind.capitalize()  # "Card", as the receipt names it
            self.pending_kind, self.pending_amount = kind, amount
            self.query_one("#payment-prompt", Label).update(
                _("{tender} {amount}: reference (optional), Enter").format(tender=_(label), amount=money(amount)))
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
        self._message(_("{amount} still due; take the rest").format(amount=money(remaining)))
        self._show_remaining()

    @on(Input.Changed, "#tendered")
    def _preview(self, event: Input.Changed) -> None:
        if self.pending_kind is not None:
            return
        try:
            tendered = parse_money(event.value or "0", what=_("amount tendered"))
        except ValidationError:
            tendered = 0
        due = round_cash(self.remaining, self.cash_step)
        if tendered > due:
            self._message(_("Change {amount}").format(amount=money(tendered - due)), change=True)
        elif self.showing_change:
            self._message("")

    def _message(self, text: str, *, error: bool = False, change: bool = False) -> None:
        self.showing_change = change
        message = self.query_one("#payment-message", Static)
        message.update(text)
        message.set_class(error, "error")

    def action_cancel(self) -> None:
        self.dismiss(None)


# The tender kinds as the till names them in a sentence ("cash 10.00"); a shop's own kinds show as configured.
_KIND_WORDS = {"cash": N_("cash"), "card": N_("card"), "voucher": N_("voucher"), "mobile": N_("mobile")}


def tender_word(kind: str) -> str:
    word = _KIND_WORDS.get(kind)
    return _(word) if word else kind
