"""Help (F1): the keys of the screen underneath, as the shop has mapped them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

TIPS = (
    "Scan or type a barcode and Enter. Type 3* before a code for three of it.",
    "Unknown code? F2 finds it by name. Wrong item? Up/Down picks a line, F8 voids it.",
    "F10 pays: Enter takes cash; a letter picks another tender; split as you go.",
    "Past your limits (discounts, prices, refunds) a supervisor's PIN approves.",
)


class HelpModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="help.close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("[b]Keys[/b]")
            yield Static("\n".join(f"  {key:<10} {what}" for key, what in self.keys), id="help-keys")
            yield Label("[b]Tips[/b]")
            yield Static("\n".join(f"  {tip}" for tip in TIPS))
            yield Static("Esc closes", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
