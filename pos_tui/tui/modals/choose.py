"""Pick one of a few choices by its letter; Esc cancels."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pos_tui.i18n import N_, _


class ChooseModal(ModalScreen[str | None]):
    """Returns the letter chosen (upper case), or None when cancelled."""

    HELP_TITLE = N_("Choose")
    HOWTO = N_("Press the letter of a choice: it is done at once.\n"
               "{choose.cancel} goes back without choosing.")

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="choose.cancel")]

    def __init__(self, title: str, choices: dict[str, str]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = {letter.upper(): text for letter, text in choices.items()}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"[b]{self.title_text}[/b]")
            for letter, text in self.choices.items():
                yield Label(f"  [b]{letter}[/b]  {text}")
            yield Static(_("Press a letter, or Esc to cancel"), classes="hint")

    def take_key(self, event: events.Key) -> bool:
        """Letters answer at once, in the order typed."""
        letter = (event.character or "").upper()
        if letter in self.choices:
            self.dismiss(letter)
            return True
        return False

    def action_cancel(self) -> None:
        self.dismiss(None)
