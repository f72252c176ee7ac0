"""A supervisor approves what is past the cashier's rights, without logging them out."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.services.limits import NeedsApproval
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput


class OverrideModal(OrderedTyping, ModalScreen[Actor | None]):
    """Asks a supervisor's name and PIN; returns the approver, or None when cancelled."""

    HELP_TITLE = N_("Supervisor approval")
    HOWTO = N_("This step is past the cashier's rights (the permission is named above).\n"
               "A supervisor types their name and Enter, then their PIN and Enter;\n"
               "the cashier stays logged in. {override.cancel} cancels the step.")

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="override.cancel")]

    def __init__(self, cashier: Actor, request: NeedsApproval, what: str) -> None:
        super().__init__()
        self.cashier, self.request, self.what = cashier, request, what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"[b]{_('Supervisor approval')}[/b]")
            yield Static(Content(str(self.request)), id="override-request")  # wraps; names the permission
            yield TypedInput(placeholder=_("Supervisor name"), id="supervisor")
            yield TypedInput(placeholder=_("Supervisor PIN"), password=True, id="pin")
            yield Static("", id="override-message")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#supervisor", Input))
        self.replay_early_keys()

    def field_submitted(self, field: Input) -> None:
        name, pin = self.query_one("#supervisor", Input), self.query_one("#pin", Input)
        if field is name:
            if name.value.strip():
                self.set_focus(pin)
            return
        if not name.value.strip():
            self.set_focus(name)
            return
        pin.disabled = True
        self._check(name.value.strip(), pin.value)

    @work(thread=True, exclusive=True, group="override")
    def _check(self, username: str, password: str) -> None:
        from pos_tui.services.limits import approve
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                approver = approve(self.app.settings, self.cashier, self.request, username, password, what=self.what)
        except PosError as exc:
            self.app.call_from_thread(self.refuse_secret, "pin", "override-message", str(exc))
            return
        self.app.call_from_thread(self.dismiss, approver)

    def action_cancel(self) -> None:
        self.dismiss(None)
