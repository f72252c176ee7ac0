"""One audit row in full: the time in the shop's zone and UTC, and every detail."""

from __future__ import annotations

import json
from datetime import timezone, tzinfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pos_tui.services.audit import AuditEntry


class AuditEntryModal(ModalScreen[None]):
    DEFAULT_CSS = """
    AuditEntryModal { align: center middle; }
    #audit-entry-box { width: 76; max-height: 22; height: auto; border: $frame-heavy $accent;
                       background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close", id="audit_entry.close")]

    def __init__(self, entry: AuditEntry, zone: tzinfo) -> None:
        super().__init__()
        self.entry = entry
        self.zone = zone

    def compose(self) -> ComposeResult:
        e = self.entry
        local = e.time.astimezone(self.zone)
        utc = e.time.astimezone(timezone.utc)
        fields = [
            ("Time", f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()} ({utc:%Y-%m-%d %H:%M:%S} UTC)"),
            ("User", e.username or "-"),
            ("OS user", e.os_user or "-"),
            ("Action", e.action),
            ("Target", e.target or "-"),
        ]
        details = json.dumps(e.details, indent=2, ensure_ascii=False, sort_keys=True) if e.details else "(none)"
        with VerticalScroll(id="audit-entry-box"):
            yield Label(f"[b]Audit row {e.id}[/b]")
            yield Static("\n".join(f"{name:<8} {value}" for name, value in fields), id="audit-entry-fields",
                         markup=False)
            yield Label("[b]Details[/b]")
            yield Static(details, id="audit-entry-details", markup=False)
            yield Static("Esc or Enter closes", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
