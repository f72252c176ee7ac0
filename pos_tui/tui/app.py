"""The till application: login first, then checkout."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from pos_tui.config import Settings
from pos_tui.services.context import Actor, os_user
from pos_tui.tui.screens.login import LoginScreen


class PosApp(App[None]):
    """One till on one store."""

    CSS_PATH = Path(__file__).parent / "styles" / "till.tcss"
    TITLE = "pos-tui"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.os_user = os_user()
        self.actor: Actor | None = None

    def on_mount(self) -> None:
        self.title = self.settings.get("store.name")
        self.push_screen(LoginScreen())

    def logged_in(self, actor: Actor) -> None:
        """Called by the login screen once a user is authenticated."""
        from pos_tui.tui.screens.checkout import CheckoutScreen

        self.actor = actor
        self.switch_screen(CheckoutScreen(actor))
