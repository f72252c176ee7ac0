"""The till application: login first, then checkout."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Input

from pos_tui.config import Settings
from pos_tui.i18n import N_, _, current_language, set_language
from pos_tui.services.context import Actor, os_user
from pos_tui.tui.screens.login import LoginScreen
from pos_tui.tui.training import TRAINING_BINDING, TrainingMode


class PosApp(TrainingMode, App[None]):
    """One till on one store.

    With `open_store` (`pos run`), the database is opened (Peewee imported,
    migrations checked) and the printer and drawer are made (python-escpos
    imported: most of a second) in a thread after the login screen is drawn,
    so the till shows at once; logging in waits for `store_ready`, which
    covers both.
    """

    CSS_PATH = Path(__file__).parent / "styles" / "till.tcss"
    # Textual's fields draw `tall` borders; `$field` makes them ASCII on the Linux console.
    # Default rules with "Screen" for weight: a form's own `#box Input { border: none; }` still wins.
    DEFAULT_CSS = """
    Screen Input { border: $field $border-blurred; }
    Screen Input:focus { border: $field $border; }
    Screen Input.-invalid { border: $field $error 60%; }
    Screen Input.-invalid:focus { border: $field $error; }
    """
    TITLE = "pos-tui"
    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="app.help", priority=True),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
        Binding("f12", "menu", N_("Menu"), id="app.menu", priority=True),
        TRAINING_BINDING,
    ]
    ENABLE_COMMAND_PALETTE = False
    demo_brief = None  # `pos demo --scenario`: the prepared scenario's Brief, shown at login
    training: reactive[bool] = reactive(False)  # this session is in training mode: every screen's banner shows

    def __init__(self, settings: Settings, *, open_store: bool = False) -> None:
        self.last_activity = time.monotonic()
        super().__init__()
        self.settings = settings
        self.language_before = current_language()  # given back when the till exits
        self.actor_language: str | None = None  # the logged-in user's own language (None: the store's)
        self.use_store_language()
        self._set_up_terminal()
        self.printer: object | None = None
        self.drawer: object | None = None
        self.device_error: str | None = None  # why a configured device is missing, for the status line
        if not open_store:
            self.printer, self.drawer, self.device_error = _devices(settings)
        self.os_user = os_user()
        self.actor: Actor | None = None
        self.areas: list = []  # the logged-in user's areas (tui/areas.py), for the menu
        self.area_screens: dict[str, object] = {}  # mode -> that area's screen
        self.store_ready = threading.Event()
        self.store_error: str | None = None
        self._open_store_on_mount = open_store
        if not open_store:
            self.store_ready.set()

    def _set_up_terminal(self) -> None:
        """The Linux console gets ANSI colours (and ASCII, see get_css_variables); no animations unless asked."""
        from pos_tui.tui.console import CONSOLE_THEME, AsciiGlyphs, is_linux_console

        self.register_theme(CONSOLE_THEME)
        self.ascii_glyphs = AsciiGlyphs(enabled=is_linux_console())
        if is_linux_console():
            self.theme = CONSOLE_THEME.name
        if not self.settings.get("till.animations"):
            self.animation_level = "none"

    def get_css_variables(self) -> dict[str, str]:
        from pos_tui.tui.console import frame_variables

        return {**super().get_css_variables(), **frame_variables()}

    def get_line_filters(self):
        """Textual's filters (NO_COLOR among them), then ASCII for any glyph the Linux console lacks."""
        return [*super().get_line_filters(), *([self.ascii_glyphs] if self.ascii_glyphs.enabled else [])]

    def get_key_display(self, binding: Binding) -> str:
        """Keys in words, not arrows: the Linux console's font has no arrow glyphs."""
        display = super().get_key_display(binding)
        return _KEY_WORDS.get(display, display)

    def on_mount(self) -> None:
        self.title = self.settings.get("store.name")
        self.set_keymap(self.settings.keymap())  # keys.<binding id> in config.toml
        self.install_training_banners()
        self.push_screen(LoginScreen())
        if self._open_store_on_mount:
            self.call_after_refresh(self._open_store)
        self.set_interval(10, self.lock_if_idle)

    def on_unmount(self) -> None:
        devices = getattr(self, "devices", None)  # the print worker and drawer sensor (tui/devices.py)
        if devices is not None:
            devices.stop()
        set_language(self.language_before)

    def use_store_language(self) -> None:
        """The login and lock screens speak the store's language (`locale`): nobody is known there."""
        set_language(str(self.settings.get("locale")))

    def use_actor_language(self) -> None:
        """The logged-in user's own language, else the store's; a stored code no catalogue has is the store's."""
        from pos_tui.errors import PosError

        try:
            set_language(self.actor_language or str(self.settings.get("locale")))
        except PosError:
            self.use_store_language()

    def lock_if_idle(self) -> None:
        """Lock the till after till.idle_lock_minutes without a key (the cart stays)."""
        from pos_tui.tui.screens.lock import LockScreen

        idle = time.monotonic() - self.last_activity
        if self.actor is None or idle < 60 * self.settings.get("till.idle_lock_minutes"):
            return
        if any(isinstance(screen, (LockScreen, LoginScreen)) for screen in self.screen_stack):
            return
        self.use_store_language()  # the unlock gives the user's back (screens/lock.py)
        self.push_screen(LockScreen(self.actor))

    @work(thread=True, exclusive=True, group="store")
    def _open_store(self) -> None:
        """After the login is drawn: the store (refused when it needs an upgrade or is damaged), then the devices."""
        from pos_tui.errors import PosError
        from pos_tui.services.store import close_thread_connection, open_store

        try:
            try:
                open_store(self.settings, background_checkpoints=True)  # no sale waits for a WAL checkpoint
                close_thread_connection()  # the UI and each worker open their own
            except PosError as exc:
                self.store_error = str(exc)
                self.call_from_thread(self.exit, None, 1)
                return
            try:
                self.printer, self.drawer, self.device_error = _devices(self.settings)
            except Exception as exc:  # a driver that will not even load (python-escpos missing): the till sells on
                import logging

                log = logging.getLogger(__name__)
                log.exception("making the printer and drawer failed")
                self.device_error = _("no printer: {why}").format(why=exc)
        finally:
            self.store_ready.set()

    async def on_event(self, event: events.Event) -> None:
        # Typing goes to the screen in arrival order, before any binding runs
        # for a later key (see ordered_typing.py); priority bindings such as
        # F10 and Ctrl+Q still run here, in the same queue, in order.
        if isinstance(event, (events.Key, events.MouseDown)):
            self.last_activity = time.monotonic()
        if isinstance(event, events.Key) and not event.is_forwarded:
            take_key = getattr(self.screen, "take_key", None)
            if take_key is not None and not self._typed_into_field(event) and \
                    await self._check_bindings(event.key, priority=True):
                return
            if take_key is not None and take_key(event):
                return
        elif isinstance(event, (events.MouseDown, events.Paste)):
            self.flush_typing()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            take_paste = getattr(self.screen, "take_paste", None)
            if take_paste is not None and take_paste(event.text):
                return
        await super().on_event(event)

    def _typed_into_field(self, event: events.Key) -> bool:
        """A character for the focused field: Textual drops every priority binding on a key a field takes
        (so a digit is never a shortcut there), and building its binding chain for each of a scanner's
        digits cost more than the digit."""
        focused = self.screen.focused
        return isinstance(focused, Input) and event.is_printable and focused.check_consume_key(
            event.key, event.character)

    def flush_typing(self) -> None:
        """Characters the screen gathered go into their field (see ordered_typing.py), and a draw it
        put off until the queued keys were handled happens now."""
        for name in ("flush_typing", "draw_pending"):
            flush = getattr(self.screen, name, None)
            if flush is not None:
                flush()

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key binding's action sees the characters typed before its key."""
        self.flush_typing()
        return await super().run_action(action, default_namespace, namespaces)

    async def action_quit(self) -> None:
        """Ctrl+Q: asks first when a cart is open (it is kept for the next login)."""
        from pos_tui.tui.modals.choose import ChooseModal

        open_carts = [s for s in self.screen_stack if not getattr(getattr(s, "cart", None), "is_empty", True)]
        if not open_carts or isinstance(self.screen, ChooseModal):
            self.exit()
            return

        def answered(letter: str | None) -> None:
            if letter == "Y":
                self.exit()

        self.push_screen(ChooseModal(_("Quit with a cart open?"), {
            "Y": _("quit; the cart is saved and comes back at the next login"),
            "N": _("stay at the till"),
        }), answered)

    def action_help(self) -> None:
        """F1 on every screen: its keys as mapped now, how it works, troubleshooting; F1 again closes."""
        from pos_tui.tui.modals.help import HelpModal

        if isinstance(self.screen, HelpModal):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpModal.for_screen(self.screen))

    def logged_in(self, actor: Actor, type_ahead: list[events.Key] | None = None, language: str | None = None) -> None:
        """Called by the login screen: the user's language (`language`, else the store's), then their areas
        become modes, built in that language; checkout first."""
        from pos_tui.tui.areas import areas_for

        self.actor_language = language
        self.use_actor_language()
        self.set_actor(actor)  # a training user's login is in training: the banner shows
        self.areas = areas_for(actor)
        screens = {area.mode: area.screen(actor) for area in self.areas}
        self.area_screens = screens
        for mode, screen in screens.items():
            self.add_mode(mode, lambda screen=screen: screen)
        self.switch_mode("checkout")
        for event in type_ahead or []:  # typed while the password was checked
            screens["checkout"].take_key(event)

    def menu_allowed(self) -> bool:
        """The menu needs a logged-in user, and never opens over the lock screen (it would get round it)."""
        if self.actor is None:  # the login: told before the lock screen's module is imported
            return False
        from pos_tui.tui.screens.lock import LockScreen

        return not any(isinstance(screen, LockScreen) for screen in self.screen_stack)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing here are left out of the footer and the help."""
        return self.menu_allowed() if action == "menu" else True

    def action_menu(self) -> None:
        """F12: the areas this user's role may use."""
        from pos_tui.tui.modals.choose import ChooseModal

        if not self.menu_allowed():
            return
        areas = {area.letter: area for area in self.areas}
        choices = {letter: (_("{area} (here)").format(area=_(area.title)) if area.mode == self.current_mode
                            else _(area.title))
                   for letter, area in areas.items()}

        def chosen(letter: str | None) -> None:
            if letter is not None and areas[letter].mode != self.current_mode:
                self.switch_mode(areas[letter].mode)

        self.push_screen(ChooseModal(_("Go to"), choices), chosen)


_KEY_WORDS = {"↑": "up", "↓": "down", "←": "left", "→": "right", "⌫": "backspace", "⏎": "enter"}


def _devices(settings: Settings) -> tuple[object | None, object | None, str | None]:
    """The configured printer and drawer (not opened: every device call runs in a worker).

    A setting that cannot make a device leaves it out and says why in the status line.
    """
    from pos_tui.errors import ConfigError
    from pos_tui.hardware.devices import make_drawer, make_printer

    try:
        printer = make_printer(settings)
    except ConfigError as exc:
        return None, None, _("no printer: {why}").format(why=exc)
    try:
        return printer, make_drawer(settings, printer), None
    except ConfigError as exc:
        return printer, None, _("no drawer: {why}").format(why=exc)
