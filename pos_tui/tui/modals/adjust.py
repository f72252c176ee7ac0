"""Adjust one product's stock: barcode, change, note, then the reason by its letter; Esc cancels.

Fields fill in the order typed (a scanned barcode and its Enter move on to
the change at once); the values are checked here for shape and again by
services.stock.adjust, which also checks the permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.quantity import parse_qty
from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.stock_moves import ADJUST_REASONS
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

FIELDS = ("adjust-barcode", "adjust-delta", "adjust-note")
# The reasons by their first letter (damage, theft, expiry, own_use, correction, found).
REASON_KEYS = {reason[0].upper(): reason for reason in ADJUST_REASONS}
# How each reason reads in the list (a reason added to the service and not here shows as its code).
REASON_LABELS = {"damage": N_("damage"), "theft": N_("theft"), "expiry": N_("expiry"), "own_use": N_("own use"),
                 "correction": N_("correction"), "found": N_("found")}


@dataclass(frozen=True)
class AdjustRequest:
    barcode: str
    delta: Decimal
    reason: str
    note: str


class AdjustModal(OrderedTyping, ModalScreen[AdjustRequest | None]):
    """Returns what to adjust, or None when cancelled."""

    HELP_TITLE = N_("Adjust stock")
    HOWTO = N_("Correct one product's stock: scan or type its barcode and Enter,\n"
               "the change (-2: two lost, 3: three found) and Enter, a note if you like\n"
               "and Enter, then press the letter of the reason.\n"
               "{adjust.cancel} cancels; the stock stays as it was.")

    DEFAULT_CSS = """
    AdjustModal { align: center middle; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="adjust.cancel")]

    def __init__(self, barcode: str = "") -> None:
        super().__init__()
        self.barcode = barcode
        self.step = 1 if barcode else 0  # the field typing goes to, whatever the focus says

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"[b]{_('Adjust stock')}[/b]")
            yield Label(_("Barcode"))
            yield TypedInput(value=self.barcode, placeholder=_("scan or type"), id=FIELDS[0])
            yield Label(_("Change, like -2 (lost) or 3 (found)"))
            yield TypedInput(placeholder="-1", id=FIELDS[1])
            yield Label(_("Note (optional)"))
            yield TypedInput(placeholder=_("what happened"), id=FIELDS[2])
            yield Static(_("Enter moves on; the reason comes last. Esc cancels"), id="adjust-hint", classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.typing_target())
        self.replay_early_keys()

    def typing_target(self) -> Input:
        return self.query_one(f"#{FIELDS[self.step]}", Input)

    def field_submitted(self, field: Input) -> None:
        if self.step == 0 and not field.value.strip():
            return self.refuse(_("scan or type a barcode"))
        if self.step == 1:
            try:
                delta = parse_qty(field.value, allow_negative=True, what=_("change"))
            except PosError as exc:
                return self.refuse(str(exc))
            if delta == 0:
                return self.refuse(_("a change of 0 changes nothing; type like -2 or 3"))
        if self.step < len(FIELDS) - 1:
            self.step += 1
            self.set_focus(self.typing_target())
            return
        self.ask_reason()

    def refuse(self, message: str) -> None:
        hint = self.query_one("#adjust-hint", Static)
        hint.update(message)
        hint.add_class("error")
        self.app.bell()

    def ask_reason(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        def chosen(letter: str | None) -> None:
            if letter is None:
                return
            self.dismiss(AdjustRequest(
                barcode=self.query_one(f"#{FIELDS[0]}", Input).value.strip(),
                delta=parse_qty(self.query_one(f"#{FIELDS[1]}", Input).value, allow_negative=True),
                reason=REASON_KEYS[letter],
                note=self.query_one(f"#{FIELDS[2]}", Input).value.strip(),
            ))

        self.app.push_screen(ChooseModal(_("Why?"), {k: self.reason_label(v) for k, v in REASON_KEYS.items()}), chosen)

    @staticmethod
    def reason_label(reason: str) -> str:
        label = REASON_LABELS.get(reason)
        return _(label) if label is not None else reason.replace("_", " ")

    def action_cancel(self) -> None:
        self.dismiss(None)
