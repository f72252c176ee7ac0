"""One audit row in full: the time in the shop's zone and UTC, and every detail."""

from __future__ import annotations

import json
from datetime import datetime, timezone, tzinfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pos_tui.domain.locale_format import format_date, format_time
from pos_tui.hardware.text_width import pad_right
from pos_tui.i18n import N_, _, current_language
from pos_tui.services.audit import AuditEntry


def stamp(moment: datetime, language: str) -> str:
    """Date and time to the second: 2026-11-27 14:03:09 (English), 2026年11月27日 14:03:09 (Chinese)."""
    return f"{format_date(moment.date(), language)} {format_time(moment, language, seconds=True)}"


class AuditEntryModal(ModalScreen[None]):
    HELP_TITLE = N_("Audit row")
    HOWTO = N_("One row of the audit log in full: when (the shop's time and UTC), who,\n"
               "the action, what it was done to, and every detail recorded.\n"
               "{audit_entry.close} closes.")

    DEFAULT_CSS = """
    AuditEntryModal { align: center middle; }
    #audit-entry-box { width: 76; max-height: 22; height: auto; border: $frame-heavy $accent;
                       background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,enter", "close", N_("Close"), id="audit_entry.close")]

    def __init__(self, entry: AuditEntry, zone: tzinfo) -> None:
        super().__init__()
        self.entry = entry
        self.zone = zone

    def compose(self) -> ComposeResult:
        e = self.entry
        local = e.time.astimezone(self.zone)
        utc = e.time.astimezone(timezone.utc)
        language = current_language()
        fields = [
            (_("Time"), f"{stamp(local, language)} {local.tzname()} ({stamp(utc, language)} UTC)"),
            (_("User"), e.username or "-"),
            (_("OS user"), e.os_user or "-"),
            (_("Action"), e.action),
            (_("Target"), e.target or "-"),
        ]
        details = json.dumps(e.details, indent=2, ensure_ascii=False, sort_keys=True) if e.details else _("(none)")
        with VerticalScroll(id="audit-entry-box"):
            yield Label(f"[b]{_('Audit row {id}').format(id=e.id)}[/b]")
            yield Static("\n".join(f"{pad_right(name, 8)} {value}" for name, value in fields),
                         id="audit-entry-fields", markup=False)
            yield Label(f"[b]{_('Details')}[/b]")
            yield Static(details, id="audit-entry-details", markup=False)
            yield Static(_("Esc or Enter closes"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
