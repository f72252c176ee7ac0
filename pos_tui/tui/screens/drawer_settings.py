"""Settings area: the shop's drawer rules, changed at the till by a user with settings.edit.

Each change goes through services.store.change_setting (which checks the
permission, validates, saves config.toml and audits), in a thread worker.
A letter picks a rule; yes/no rules flip, the others ask for a new value.
"""

from __future__ import annotations

from string import ascii_uppercase

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from pos_tui.config import key_for
from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.widgets.key_footer import KeyFooter

RULES = (
    "drawer.rules.sale_tenders", "drawer.rules.refund_tenders", "drawer.rules.cash_range",
    "drawer.rules.cash_amounts", "drawer.rules.shift_open", "drawer.rules.shift_close",
    "drawer.rules.no_sale_reasons", "drawer.rules.no_sale_hours", "drawer.rules.no_sale_max",
    "drawer.rules.open_warning_s", "drawer.rules.warn_open_before_sale",
)
EMPTY_WORDS = ("none", "any", "-")  # AskModal needs some text: these clear a range or a list


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if str(value) else _("(any)")


class DrawerSettingsScreen(Screen[None]):
    """One line per rule: its letter, name and value."""

    HELP_TITLE = N_("Drawer settings")
    HOWTO = N_("The shop's drawer rules, one per line. Press a rule's letter: yes/no\n"
               "rules flip, the others ask for the new value (type none to clear).\n"
               "Every change is saved and audited. {settings.test_drawer} kicks the drawer to test it.")

    BINDINGS = [
        Binding("f9", "test_drawer", N_("Test drawer"), id="settings.test_drawer", priority=True),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.letters = dict(zip(ascii_uppercase, RULES))

    def compose(self) -> ComposeResult:
        yield Static(_("Settings - drawer rules | {name} ({role})").format(name=self.actor.username,
                                                                          role=self.actor.role), id="status-line")
        with Vertical(id="rules"):
            for letter, key in self.letters.items():
                yield Label("", id=f"rule-{letter}")
        yield Static(_("Press a rule's letter to change it; F12 for the menu"), id="notice")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_rules()

    def on_screen_resume(self) -> None:
        self.show_rules()  # another till or `pos config set` may have changed them

    def show_rules(self) -> None:
        settings = self.app.settings
        for letter, key in self.letters.items():
            self.query_one(f"#rule-{letter}", Label).update(
                f" [b]{letter}[/b]  {key.removeprefix('drawer.rules.'):<22} {_shown(settings.get(key))}")

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#notice", Static)
        widget.update(text)
        widget.set_class(error, "error")
        if error:
            self.app.bell()

    def take_key(self, event: events.Key) -> bool:
        """A rule's letter, typed in order with everything else (see app.on_event)."""
        key = self.letters.get((event.character or "").upper())
        if key is None:
            return False
        self.edit(key)
        return True

    def edit(self, key: str) -> None:
        declared = key_for(key)
        current = self.app.settings.get(key)
        if declared.kind == "bool":
            self.change(key, "false" if current else "true")
            return
        self.app.push_screen(
            AskModal(key.removeprefix("drawer.rules."), _("{help} (type none to clear)").format(help=declared.help),
                     value=str(current)),
            lambda text: self.change(key, "" if text.lower() in EMPTY_WORDS else text) if text is not None else None,
        )

    @work(thread=True, exclusive=True, group="settings")
    def change(self, key: str, value: str) -> None:
        from pos_tui.services.store import change_setting, thread_session

        try:
            with thread_session():
                before, after = change_setting(self.app.settings, key, value, self.actor)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self.show_rules)
        self.app.call_from_thread(self.notice, f"{key}: {_shown(before)} -> {_shown(after)}")

    def action_test_drawer(self) -> None:
        self._test_drawer()

    @work(thread=True, group="settings")
    def _test_drawer(self) -> None:
        from pos_tui.services.drawer import check_drawer
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                outcome = check_drawer(self.actor, self.app.settings, self.app.drawer,
                                       lane=self.app.settings.get("lane"))
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self.notice, _("Drawer test: {outcome}").format(outcome=outcome.outcome),
                                  error=not outcome.opened)
