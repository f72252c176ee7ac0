"""The floor for till start-up: a bare Textual app with the login screen's widgets
and the till's stylesheet, and nothing else (no CLI, no settings, no store)."""

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

STYLES = Path(__file__).resolve().parent.parent / "pos_tui" / "tui" / "styles" / "till.tcss"


class LoginScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Label("Shop", id="login-title")
            yield Label("Lane 1", id="login-lane")
            yield Input(placeholder="User name", id="username")
            yield Input(placeholder="Password or PIN", password=True, id="password")
            yield Static("", id="login-message")


class BareLogin(App[None]):
    CSS_PATH = STYLES
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def get_css_variables(self) -> dict[str, str]:
        """The stylesheet's border types (pos_tui/tui/console.py sets them in the till)."""
        return {**super().get_css_variables(), "frame": "round", "frame-heavy": "thick", "rule": "solid", "field": "tall"}

    def on_mount(self) -> None:
        self.push_screen(LoginScreen())


if __name__ == "__main__":
    BareLogin().run()
