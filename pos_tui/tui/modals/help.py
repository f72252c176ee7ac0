"""Help (F1 on every screen): its keys as the shop has mapped them, how it works, troubleshooting.

The keys are read from the screen's live bindings when F1 is pressed (see
tui/keys.py), the how-to from the screen's HOWTO (marked N_(), translated
here; else, in English only, its docstring), and the troubleshooting from
the one text the README carries too (help_text.py), or its translation
beside it (docs/troubleshooting.<language>.md) when the till speaks another
language.
"""

from __future__ import annotations

import inspect
import re

from importlib.resources import files

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from pos_tui.i18n import N_, SOURCE_LANGUAGE, _, current_language
from pos_tui.tui.keys import Key, screen_keys

_PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_.]+)\}")
KEY_CELLS = 9  # "ctrl+f10" and a space
COLUMN_CELLS = 34  # two columns of keys fit the 76-wide box
TILL = N_("Till")  # the title of a screen without a name


def screen_title(screen: Screen) -> str:
    """The screen's HELP_TITLE (translated), else its class name in words ("StocktakeScreen": "Stocktake"), which
    is English: another language says Till."""
    title = getattr(screen, "HELP_TITLE", "")
    if title:
        return _(title)
    if current_language() != SOURCE_LANGUAGE:
        return _(TILL)
    words = re.findall(r"[A-Z][a-z]*", type(screen).__name__.removesuffix("Screen").removesuffix("Modal"))
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else _(TILL)


def howto(screen: Screen) -> str:
    """The screen's HOWTO in the current language, each {binding.id} as the key it is mapped to now.

    Without one, English shows the class docstring; another language shows nothing rather than a developer's
    English (the keys below still say what to press).
    """
    marked = getattr(screen, "HOWTO", "")
    if marked:
        text = inspect.cleandoc(_(marked))
    elif current_language() == SOURCE_LANGUAGE:
        text = inspect.getdoc(type(screen)) or ""
    else:
        text = ""
    keys = binding_keys(screen)
    return _PLACEHOLDER.sub(lambda found: keys.get(found.group(1), found.group(0)), text)


def binding_keys(screen: Screen) -> dict[str, str]:
    """Binding id: the key that runs it now (keys.<id> remaps included), for the screen and the app."""
    app = screen.app
    keys: dict[str, str] = {}
    for active in screen.active_bindings.values():  # live, remapped
        if active.binding.id:
            keys.setdefault(active.binding.id, _prose(app.get_key_display(active.binding)))
    remapped = app.settings.keymap() if hasattr(app, "settings") else {}
    for node in (screen, app):  # declared but not active now (e.g. not offered for this row)
        for klass in type(node).__mro__:
            for binding in klass.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id and binding.id not in keys:
                    key = remapped.get(binding.id, binding.key).split(",")[0].strip()
                    keys[binding.id] = _prose(app.get_key_display(Binding(key, "")))
    return keys


def _prose(display: str) -> str:
    """F2 rather than f2 in a sentence."""
    return display.upper() if re.fullmatch(r"f\d+", display) else display


def key_columns(keys: list[Key]) -> str:
    """Keys in two columns when every one fits half the box, else one."""
    cells = [_pad(key.display, KEY_CELLS) + key.description for key in keys]
    if any(cell_len(cell) >= COLUMN_CELLS for cell in cells):
        return "\n".join(cells)
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:]
    return "\n".join((_pad(a, COLUMN_CELLS) + b).rstrip() for a, b in zip(left, right + [""]))


def _pad(text: str, cells: int) -> str:
    """`text` and spaces to `cells` columns, a Chinese character counted as two."""
    return text + " " * max(cells - cell_len(text), 0)


def troubleshooting_text() -> str:
    """The troubleshooting in the current language: docs/troubleshooting.<language>.md, else the English."""
    from pos_tui.help_text import troubleshooting

    language = current_language()
    if language != SOURCE_LANGUAGE:
        translated = files("pos_tui").joinpath("docs", f"troubleshooting.{language}.md")
        if translated.is_file():
            return translated.read_text(encoding="utf-8")
    return troubleshooting()


def troubleshooting_content() -> Content:
    """The README's troubleshooting, wrapped to the box: commands in bold, a blank line between blocks."""
    from pos_tui.help_text import code_runs, paragraphs

    styles = {"title": "b reverse", "heading": "b underline"}
    blocks = []
    for kind, text in paragraphs(troubleshooting_text()):
        if kind == "heading":
            blocks.append(Content(""))
        if kind in styles:
            blocks.append(Content.styled(text, styles[kind]))
        else:
            blocks.append(Content.assemble(*((run, "b" if code else "") for run, code in code_runs(text))))
    return Content("\n").join(blocks)


class HelpModal(ModalScreen[None]):
    """This help: T switches between the screen's keys and troubleshooting."""

    HELP_TITLE = N_("Help")
    HOWTO = N_("This help: what the screen below is for, and its keys as mapped now.\n"
               "{help.troubleshooting} switches to troubleshooting and back; {help.close} or F1 closes.")

    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    #help-box { width: 76; max-width: 100%; height: 90%; max-height: 32; border: $frame-heavy $accent;
                background: $surface; padding: 0 1; }
    #help-scroll { height: 1fr; }
    #help-title { text-style: bold; }
    #help-howto { margin-bottom: 1; }
    #help-trouble { display: none; }
    HelpModal.-trouble #help-trouble { display: block; }
    HelpModal.-trouble #help-howto, HelpModal.-trouble #help-keys { display: none; }
    #help-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,q", "close", N_("Close"), id="help.close"),
        Binding("t", "troubleshooting", N_("Troubleshooting"), id="help.troubleshooting"),
    ]

    def __init__(self, title: str, keys: list[Key], how: str) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys
        self.how = how

    @classmethod
    def for_screen(cls, screen: Screen) -> "HelpModal":
        """The help for `screen`: its keys (the app's included) as mapped at this moment."""
        return cls(screen_title(screen), screen_keys(screen, every=True), howto(screen))

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Label(Content.styled(_("Help: {screen}").format(screen=self.title_text), "b"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(Content(self.how), id="help-howto")
                yield Static(Content(key_columns(self.keys)), id="help-keys")
                yield Static(troubleshooting_content(), id="help-trouble")
            yield Static(self._hint(), id="help-hint")

    def _hint(self) -> Content:
        other = _("the keys") if self.has_class("-trouble") else _("troubleshooting")
        return Content(_("T {other}   Up/Down/PgUp/PgDn scroll   Esc or F1 closes").format(other=other))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#help-scroll"))

    def action_troubleshooting(self) -> None:
        """T: the shop's common problems and what to run, then T again for the keys."""
        self.toggle_class("-trouble")
        self.query_one("#help-scroll", VerticalScroll).scroll_home(animate=False)
        self.query_one("#help-hint", Static).update(self._hint())

    def action_close(self) -> None:
        self.dismiss(None)
