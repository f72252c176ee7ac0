"""Ask for one value (a quantity, a discount, a price, a label); Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.i18n import N_, _
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput


class AskModal(OrderedTyping, ModalScreen[str | None]):
    """Returns the text typed, or None when cancelled."""

    HELP_TITLE = N_("Type a value")
    HOWTO = N_("The till asks for one value: a quantity, a discount, a price or a name.\n"
               "Type it and press Enter; {ask.cancel} goes back and changes nothing.")

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="ask.cancel")]

    def __init__(self, title: str, prompt: str, *, value: str = "", password: bool = False) -> None:
        super().__init__()
        self.title_text, self.prompt, self.value, self.password = title, prompt, value, password

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"[b]{self.title_text}[/b]")
            yield Label(self.prompt)
            yield TypedInput(value=self.value, password=self.password, id="answer")
            yield Static(_("Enter to confirm, Esc to cancel"), classes="hint")

    def on_mount(self) -> None:
        field = self.query_one("#answer", Input)
        self.set_focus(field)
        field.select_all()
        self.replay_early_keys()

    def field_submitted(self, field: Input) -> None:
        if field.value.strip():
            self.dismiss(field.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
