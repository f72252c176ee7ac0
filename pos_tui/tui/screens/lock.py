"""The till locked after idle minutes: the same user's PIN unlocks it, the cart kept."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.key_footer import KeyFooter
from pos_tui.tui.widgets.typed_input import TypedInput


class LockScreen(OrderedTyping, Screen[None]):
    """Covers the till; nothing under it changes until the PIN is right."""

    HELP_TITLE = N_("Lock")
    HOWTO = N_("The till locked itself after idle minutes (till.idle_lock_minutes).\n"
               "Type the same user's password or PIN and Enter: the cart is as it was.\n"
               "{app.quit} quits instead; the cart is kept for the next login.")


    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Label(f"[b]{_('Till locked')}[/b]", id="login-title")
            yield Label(_("{user}: your password or PIN to go on (Ctrl+Q quits; the cart is kept)").format(
                user=self.actor.username))
            yield TypedInput(placeholder=_("Password or PIN"), password=True, id="password")
            yield Static("", id="login-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#password", Input))
        self.replay_early_keys()

    def field_submitted(self, field: Input) -> None:
        field.disabled = True
        self._check(field.value)

    @work(thread=True, exclusive=True, group="unlock")
    def _check(self, password: str) -> None:
        from pos_tui.services.auth import authenticate
        from pos_tui.services.store import thread_session

        settings = self.app.settings
        try:
            with thread_session():
                authenticate(self.actor.username, password, os_user=self.actor.os_user,
                             max_failures=settings.get("auth.max_failures"),
                             lockout_minutes=settings.get("auth.lockout_minutes"))
        except PosError as exc:
            self.app.call_from_thread(self.refuse_secret, "password", "login-message", str(exc))
            return
        self.app.call_from_thread(self._unlocked)

    def _unlocked(self) -> None:
        """The user's own language again (the lock spoke the store's), then back to where they were."""
        use_actor_language = getattr(self.app, "use_actor_language", None)
        if use_actor_language is not None:
            use_actor_language()
        self.app.pop_screen()
