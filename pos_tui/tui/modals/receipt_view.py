"""The receipt as the simulated printer printed it (demo, training, reprints)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pos_tui.hardware.receipt import TRAINING_BANNER
from pos_tui.i18n import LANGUAGES, N_, translation
from pos_tui.tui.widgets.training_banner import TrainingBanner


class ReceiptModal(ModalScreen[None]):
    HELP_TITLE = N_("Receipt")
    HOWTO = N_("The receipt as the printer printed it (demo, training, reprints).\n"
               "{receipt.close} closes.")

    BINDINGS = [Binding("escape,enter", "close", N_("Close"), id="receipt.close")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines
        # The receipt's own words, not the session's: a training sale reprinted later is still one.
        # It heads the receipt, wrapped over two lines on narrow paper.
        head = " ".join(line.strip() for line in lines[:3])
        banners = [translation(language).gettext(TRAINING_BANNER) for language in LANGUAGES]
        self.banner = next((banner for banner in banners if banner in head), "")  # in the receipt's language
        self.training = bool(self.banner)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="receipt-box"):
            if self.training:
                yield TrainingBanner(self.banner, follow_app=False, id="receipt-training")
            yield Static("\n".join(self.lines), id="receipt-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
