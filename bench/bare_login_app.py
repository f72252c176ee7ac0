"""The floor for till start-up: a bare Textual app with the login screen's widgets."""

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static


class BareLogin(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Shop")
            yield Label("Lane 1")
            yield Input(placeholder="User name")
            yield Input(placeholder="Password or PIN", password=True)
            yield Static("")


if __name__ == "__main__":
    BareLogin().run()
