"""An X or Z report on screen, as printed; after a close the over/short heads it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pos_tui.i18n import N_, _


class ShiftReportModal(ModalScreen[None]):
    """Up/Down/PgUp/PgDn scroll; Enter or Esc closes."""

    HELP_TITLE = N_("Shift report")
    HOWTO = N_("The X or Z report as printed; after a close, the over/short heads it.\n"
               "Up/Down/PgUp/PgDn scroll; {shift_report.close} closes.")

    BINDINGS = [Binding("escape,enter", "close", N_("Close"), id="shift_report.close")]

    def __init__(self, title: str, lines: list[str], summary: str = "") -> None:
        super().__init__()
        self.title_text, self.lines, self.summary = title, lines, summary

    def compose(self) -> ComposeResult:
        with Vertical(id="shift-report-box"):
            yield Label(f"[b]{self.title_text}[/b]", id="shift-report-title")
            if self.summary:
                yield Static(self.summary, id="shift-report-summary", markup=False)
            with VerticalScroll(id="shift-report-scroll"):
                yield Static("\n".join(self.lines), id="shift-report-text", markup=False)
            yield Static(_("Up/Down to scroll, Enter to close"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#shift-report-scroll"))

    def action_close(self) -> None:
        self.dismiss(None)
