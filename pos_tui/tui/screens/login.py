"""Login: user name, then password or PIN, then Enter."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.key_footer import KeyFooter
from pos_tui.tui.widgets.typed_input import TypedInput


class LoginScreen(OrderedTyping, Screen[None]):
    """Who is at the till."""

    HELP_TITLE = N_("Login")
    HOWTO = N_("Type your user name and Enter, then your password or PIN and Enter.\n"
               "Too many wrong tries lock the user for a while (auth.lockout_minutes);\n"
               "an admin clears it at once with `pos user passwd NAME`.\n"
               "{app.quit} closes the till.")


    def __init__(self) -> None:
        super().__init__()
        self.checking = False
        self.type_ahead: list[events.Key] = []

    def compose(self) -> ComposeResult:
        brief = self.app.demo_brief
        if brief is None:
            yield from self._login_box()
            return
        with Horizontal(id="login-row"):  # the scenario's brief beside the login, for the trainee
            yield from self._login_box()
            yield Static(Text.assemble((_("Scenario {name}").format(name=brief.name), "bold"), f": {brief.summary}\n\n",
                                       _("Log in as {user}.").format(user=brief.login), f" {brief.text}"),
                         id="scenario-brief")

    def _login_box(self) -> ComposeResult:
        settings = self.app.settings
        with Vertical(id="login-box"):
            yield Label(settings.get("store.name"), id="login-title")
            yield Label(_("Lane {lane}").format(lane=settings.get("lane")), id="login-lane")
            yield TypedInput(placeholder=_("User name"), id="username")
            yield TypedInput(placeholder=_("Password or PIN"), password=True, id="password")
            yield Static("", id="login-message")
            if settings.get("store.demo"):
                yield Static(self._demo_users(), id="demo-users")
        yield KeyFooter()

    def _demo_users(self) -> str:
        from pos_tui.services.demo_users import demo_users

        lines = [_("Demo users (name / password):")]
        lines += [f"  {u.username} / {u.password}  ({u.role})" for u in demo_users()]
        return "\n".join(lines)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#username", Input))
        self.replay_early_keys()

    def key_without_field(self, event: events.Key) -> bool:
        """While the password is checked, keep what is typed for the checkout."""
        if self.checking:
            self.type_ahead.append(event)
            return True
        return False

    def field_submitted(self, field: Input) -> None:
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if field is username:
            if username.value.strip():
                self.set_focus(password)
            return
        if not username.value.strip():
            self.set_focus(username)
            return
        self._message(_("Checking…"))
        self.checking = True
        password.disabled = True
        self._authenticate(username.value.strip(), password.value)

    @work(thread=True, exclusive=True, group="login")
    def _authenticate(self, username: str, password: str) -> None:
        from pos_tui.services.store import thread_session
        from pos_tui.services.auth import authenticate
        from pos_tui.services.user_language import user_language

        settings = self.app.settings
        self.app.store_ready.wait()
        if self.app.store_error:
            return
        try:
            with thread_session():
                actor = authenticate(
                    username, password, os_user=self.app.os_user,
                    max_failures=settings.get("auth.max_failures"),
                    lockout_minutes=settings.get("auth.lockout_minutes"),
                )
                language = user_language(actor.username)  # None: the store's
        except PosError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._succeeded, actor, language)

    def _failed(self, message: str) -> None:
        self.checking = False
        self.type_ahead.clear()
        self.refuse_secret("password", "login-message", message)

    def _succeeded(self, actor: Actor, language: str | None = None) -> None:
        self.app.logged_in(actor, self.type_ahead, language)
        brief = self.app.demo_brief
        if brief is not None:  # the login screen is gone: the brief stays in reach for a while
            self.app.notify(brief.text, title=_("Scenario {name}").format(name=brief.name), timeout=30, markup=False)

    def _message(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#login-message", Static)
        message.update(text)
        message.set_class(error, "error")
