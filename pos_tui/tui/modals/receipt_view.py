"""The receipt as the simulated printer printed it (demo, training, reprints)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class ReceiptModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close", id="receipt.close")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="receipt-box"):
            yield Static("\n".join(self.lines), id="receipt-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
